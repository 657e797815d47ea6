/*
 * guests/loop.S: a real-mode guest that never stops (jmp .). vmm must stop
 * it cleanly on SIGTERM, SIGINT or SIGALRM. No exits but the host's own
 * interrupts.
 */
	.code16
	.text
	.globl	_start
_start:
	jmp	_start
