/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The world switch: VM entry and VM exit (SDM Vol. 3C, chapters 26 and 27).
 *
 * minivmm_vmx_enter() runs in VMX root mode with interrupts off. It saves
 * the host's callee-saved registers, records the stack pointer in the VMCS
 * host area (HOST_RSP), loads the guest's general-purpose registers from the
 * VCPU's shadow state and executes VMLAUNCH (first entry with this VMCS on
 * this CPU) or VMRESUME. The guest then runs in VMX non-root mode until a
 * VM exit, which resumes the host at minivmm_vmx_exit (HOST_RIP) with the
 * guest's registers still live: they are stored back into the shadow state.
 * RSP, RIP and RFLAGS of the guest live in the VMCS guest area instead.
 *
 * int minivmm_vmx_enter(unsigned long *regs, unsigned int flags)
 * flags: MINIVMM_ENTER_RESUME (VMRESUME, else VMLAUNCH), MINIVMM_ENTER_VERW
 * (clear CPU buffers first, kmod/mitigations.c).
 * Returns 0 after a VM exit, 1 if VMLAUNCH/VMRESUME failed (VMfail).
 */
#include <linux/linkage.h>
#include <asm/asm.h>
#include <asm/nospec-branch.h>
#include <asm/segment.h>
#include <asm/unwind_hints.h>

#include "regs.h"

#define HOST_RSP_FIELD	0x6c14

/* The flags argument (vcpu.h). */
#define MINIVMM_ENTER_RESUME_BIT	0
#define MINIVMM_ENTER_VERW		2

.macro LOAD_GUEST_GPRS
	mov	REG_RAX*8(%rdi), %rax
	mov	REG_RCX*8(%rdi), %rcx
	mov	REG_RDX*8(%rdi), %rdx
	mov	REG_RBX*8(%rdi), %rbx
	mov	REG_RBP*8(%rdi), %rbp
	mov	REG_RSI*8(%rdi), %rsi
	mov	REG_R8*8(%rdi), %r8
	mov	REG_R9*8(%rdi), %r9
	mov	REG_R10*8(%rdi), %r10
	mov	REG_R11*8(%rdi), %r11
	mov	REG_R12*8(%rdi), %r12
	mov	REG_R13*8(%rdi), %r13
	mov	REG_R14*8(%rdi), %r14
	mov	REG_R15*8(%rdi), %r15
	mov	REG_RDI*8(%rdi), %rdi
.endm

.section .noinstr.text, "ax"

SYM_FUNC_START(minivmm_vmx_enter)
	push	%rbp
	mov	%rsp, %rbp
	push	%r15
	push	%r14
	push	%r13
	push	%r12
	push	%rbx
	/* The regs pointer stays on the stack for the exit path. */
	push	%rdi

	mov	$HOST_RSP_FIELD, %eax
	vmwrite	%rsp, %rax
	jbe	.Lvmfail_early

	/*
	 * Guest GPRs. CF holds the resume flag through the MOVs and VERW
	 * (which changes ZF only); two copies of the loads, so that no
	 * memory access follows VERW (it must be the last before entry).
	 */
	testb	$MINIVMM_ENTER_VERW, %sil
	jz	.Lno_verw
	bt	$MINIVMM_ENTER_RESUME_BIT, %esi
	LOAD_GUEST_GPRS
	/*
	 * MDS, TAA, MMIO stale data, RFDS: the memory-operand VERW clears
	 * the CPU's buffers (where the kernel does so for itself or for its
	 * guests: kmod/mitigations.c decides, the flag says).
	 */
	verw	x86_verw_sel(%rip)
	jmp	.Lenter
.Lno_verw:
	bt	$MINIVMM_ENTER_RESUME_BIT, %esi
	LOAD_GUEST_GPRS
.Lenter:
	/* The exit path resumes with this stack layout (HOST_RSP). */
	UNWIND_HINT_SAVE
	jc	.Lresume
.Llaunch:
	vmlaunch
	jmp	.Lvmfail
.Lresume:
	vmresume
	/* Falling through: the entry failed, the guest never ran. */
.Lvmfail:
	mov	$1, %eax
	jmp	.Lclear

.Lvmfail_early:
	mov	$1, %eax
	jmp	.Lout

	/* A fault on VMLAUNCH/VMRESUME (not in VMX operation) is a VMfail. */
	_ASM_EXTABLE(.Llaunch, .Lvmfail)
	_ASM_EXTABLE(.Lresume, .Lvmfail)

SYM_INNER_LABEL(minivmm_vmx_exit, SYM_L_GLOBAL)
	/* VM exit: RSP is HOST_RSP again, the GPRs hold guest values. */
	UNWIND_HINT_RESTORE
	ENDBR
	push	%rax
	mov	8(%rsp), %rax
	mov	%rcx, REG_RCX*8(%rax)
	mov	%rdx, REG_RDX*8(%rax)
	mov	%rbx, REG_RBX*8(%rax)
	mov	%rbp, REG_RBP*8(%rax)
	mov	%rsi, REG_RSI*8(%rax)
	mov	%rdi, REG_RDI*8(%rax)
	mov	%r8, REG_R8*8(%rax)
	mov	%r9, REG_R9*8(%rax)
	mov	%r10, REG_R10*8(%rax)
	mov	%r11, REG_R11*8(%rax)
	mov	%r12, REG_R12*8(%rax)
	mov	%r13, REG_R13*8(%rax)
	mov	%r14, REG_R14*8(%rax)
	mov	%r15, REG_R15*8(%rax)
	popq	REG_RAX*8(%rax)
	xor	%eax, %eax

.Lclear:
	/* Leave no guest value in a register the host may speculate on. */
	xor	%ecx, %ecx
	xor	%edx, %edx
	xor	%ebx, %ebx
	xor	%ebp, %ebp
	xor	%esi, %esi
	xor	%edi, %edi
	xor	%r8d, %r8d
	xor	%r9d, %r9d
	xor	%r10d, %r10d
	xor	%r11d, %r11d
	xor	%r12d, %r12d
	xor	%r13d, %r13d
	xor	%r14d, %r14d
	xor	%r15d, %r15d

	/*
	 * Before the first RET not matched by a CALL: the guest may have
	 * filled the return stack buffer (overwrite it, or on eIBRS CPUs
	 * retire one CALL for post-barrier RSB predictions), and where the
	 * kernel runs with IBRS, SPEC_CTRL is written again.
	 */
	FILL_RETURN_BUFFER %rcx, RSB_CLEAR_LOOPS, X86_FEATURE_RSB_VMEXIT, \
			   X86_FEATURE_RSB_VMEXIT_LITE
	call	minivmm_spec_ctrl_restore_host
	/* Branch history the guest left (BHI). */
	CLEAR_BRANCH_HISTORY_VMEXIT

.Lout:
	pop	%rdi
	pop	%rbx
	pop	%r12
	pop	%r13
	pop	%r14
	pop	%r15
	pop	%rbp
	RET
SYM_FUNC_END(minivmm_vmx_enter)

.section .text, "ax"

/*
 * void minivmm_do_nmi_irqoff(unsigned long handler)
 *
 * An NMI that arrived while the guest ran made a VM exit and is the
 * host's: call the host's NMI handler as the CPU would have, on an
 * interrupt frame (SS, RSP, RFLAGS, CS; RIP by the call), aligned as the
 * CPU aligns it. The handler returns with IRET, which also ends the NMI
 * blocking the VM exit left (SDM 27.2.3, 6.7.1). Interrupts are off.
 */
SYM_FUNC_START(minivmm_do_nmi_irqoff)
	push	%rbp
	mov	%rsp, %rbp
	and	$-16, %rsp
	push	$__KERNEL_DS
	push	%rbp
	pushf
	push	$__KERNEL_CS
	CALL_NOSPEC rdi
	/* IRET has restored RSP; say so to objtool as well. */
	mov	%rbp, %rsp
	pop	%rbp
	RET
SYM_FUNC_END(minivmm_do_nmi_irqoff)
