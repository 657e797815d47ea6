/*
 * guests/triple.S: a real-mode guest that triple-faults. With an empty
 * interrupt table, INT3 faults, the fault faults (double fault), and that
 * shuts the CPU down: vmm reports a SHUTDOWN exit.
 */
	.code16
	.text
	.globl	_start
_start:
	lidt	empty_idt
	int3
	hlt
empty_idt:
	.word	0		/* limit */
	.long	0		/* base */
