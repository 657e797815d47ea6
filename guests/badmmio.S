/*
 * guests/badmmio.S: a real-mode guest whose MMIO access is an instruction
 * minivmm does not emulate (INC on memory; only MOV and MOVZX are). vmm
 * must end with status 72 and name the instruction and its RIP, 0x7c06.
 * A test fixture: installed in /tests (tests/vm/vmm_run_test.sh).
 */
	.code16
	.text
	.globl	_start
_start:
	mov	$0xa000, %ax		/* 0x7c00: the VGA hole, no RAM */
	mov	%ax, %es		/* 0x7c03 */
	nop				/* 0x7c05 */
	incb	%es:0x10		/* 0x7c06: MMIO at 0xa0010 */
	hlt
