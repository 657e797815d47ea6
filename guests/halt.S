/*
 * guests/halt.S: a real-mode guest that halts with interrupts off, as
 * Linux's poweroff does on a PC without ACPI: nothing can wake the CPU, so
 * vmm ends with status 0. Exits it causes: one HLT.
 */
	.code16
	.text
	.globl	_start
_start:
	cli
	hlt
	/* Not reached: an interrupt woke a CPU with IF=0. */
	mov	$0x51, %al
	out	%al, $0xf4
