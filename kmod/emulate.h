/* SPDX-License-Identifier: GPL-2.0 */
/*
 * What every trap-and-emulate exit handler ends with: the emulated
 * instruction retired (RIP moved past it), an exception raised in the
 * guest instead, or an internal-error exit to userspace. Inline: these sit
 * on the exit path. VMX root mode, the VCPU's VMCS current.
 */
#ifndef MINIVMM_EMULATE_H
#define MINIVMM_EMULATE_H

#include <asm/processor-flags.h>

#include <linux/minivmm.h>

#include "vcpu.h"
#include "vmcs.h"

#define DB_VECTOR		1
#define BP_VECTOR		3
#define UD_VECTOR		6
#define GP_VECTOR		13
#define MC_VECTOR		18

/* DR7 bit 10 is always 1 (SDM Vol. 3A 18.2.4): DR7 with no breakpoint armed. */
#define MV_DR7_FIXED_1		0x400UL

/*
 * Exceptions always intercepted (the exception bitmap, SDM 25.6.3): #DB,
 * so that a guest's debug exception never changes the host's DR6 (it is
 * given back to the guest, guest_debug.c), and #MC, which is the host's.
 */
#define MINIVMM_EXCEPTIONS_INTERCEPTED	(BIT(DB_VECTOR) | BIT(MC_VECTOR))

/*
 * The instruction that exited is done: RIP moves past it (SDM 27.2.5, the
 * VM-exit instruction length) and blocking by STI or MOV SS ends.
 */
static inline void minivmm_skip_instruction(struct minivmm_vcpu *vcpu)
{
	u32 intr = vmcs_read32(GUEST_INTERRUPTIBILITY_INFO);

	vcpu->insn_rip = vmcs_readl(GUEST_RIP);
	vcpu->emulated = true;
	vmcs_writel(GUEST_RIP, vcpu->insn_rip + vmcs_read32(VM_EXIT_INSTRUCTION_LEN));
	if (intr & 3)
		vmcs_write32(GUEST_INTERRUPTIBILITY_INFO, intr & ~3);
}

/* Deliver a hardware exception at the next entry (SDM 26.6.1, events.c). */
static inline void minivmm_inject_exception(struct minivmm_vcpu *vcpu, u8 vector,
					    bool has_code)
{
	u32 info = vector | INTR_TYPE_HW_EXCEPTION | INTR_INFO_VALID;

	/* Real mode delivers no error code (SDM 26.2.1.3). */
	if (has_code && (vmcs_readl(GUEST_CR0) & X86_CR0_PE))
		info |= INTR_INFO_DELIVER_CODE;
	minivmm_queue_exception(vcpu, info, 0, 0);
}

/* #UD or #GP(0) instead of the instruction; the guest goes on (returns 1). */
static inline int minivmm_inject_ud(struct minivmm_vcpu *vcpu)
{
	minivmm_inject_exception(vcpu, UD_VECTOR, false);
	return 1;
}

static inline int minivmm_inject_gp(struct minivmm_vcpu *vcpu)
{
	minivmm_inject_exception(vcpu, GP_VECTOR, true);
	return 1;
}

/* An exit minivmm cannot handle: tell userspace (returns 0). */
static inline int minivmm_exit_internal(struct minivmm_vcpu *vcpu, u32 suberror,
					u64 d0, u64 d1)
{
	struct minivmm_run *run = vcpu->run;

	run->exit_reason = MINIVMM_EXIT_INTERNAL_ERROR;
	run->internal.suberror = suberror;
	run->internal.ndata = 3;
	run->internal.data[0] = d0;
	run->internal.data[1] = d1;
	run->internal.data[2] = vmcs_readl(GUEST_RIP);
	return 0;
}

#endif /* MINIVMM_EMULATE_H */
