/*
 * guests/loop.S: a real-mode guest that never stops (jmp .). vmm must stop
 * it cleanly on SIGTERM, SIGINT or SIGALRM. No exits but the host's own
 * interrupts.
 *
 * It sets IF although nothing ever interrupts it (vmm has no interrupt
 * controller): Bochs, the test machine, does not turn the host's
 * interrupts into VM exits while a guest runs with IF=0, so under KVM,
 * which has no other way out of such a loop, the host CPU would hang
 * (docs/testing.md). minivmm also stops IF=0 loops, with the VMX
 * preemption timer (run_test.c tests that).
 */
	.code16
	.text
	.globl	_start
_start:
	sti
1:	jmp	1b
