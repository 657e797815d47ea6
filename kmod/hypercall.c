// SPDX-License-Identifier: GPL-2.0
/*
 * Hypercalls: VMCALL, the guest's deliberate call into the hypervisor
 * (paravirtualization; docs/hypercalls.md). RAX holds the number, RBX,
 * RCX, RDX, RSI the arguments, RAX the result. MINIVMM_HC_NOP is answered
 * here without leaving the kernel; every other number goes to userspace as
 * a MINIVMM_EXIT_HYPERCALL, whose result the next RUN puts in RAX. Runs in
 * VMX root mode on the exit path, preemption off.
 */
#include <linux/minivmm.h>

#include "emulate.h"
#include "vcpu.h"

int minivmm_handle_vmcall(struct minivmm_vcpu *vcpu)
{
	struct minivmm_run *run = vcpu->run;

	minivmm_skip_instruction(vcpu);
	if (vcpu->regs[REG_RAX] == MINIVMM_HC_NOP) {
		vcpu->regs[REG_RAX] = 0;
		return 1;
	}
	run->exit_reason = MINIVMM_EXIT_HYPERCALL;
	run->hypercall.nr = vcpu->regs[REG_RAX];
	run->hypercall.args[0] = vcpu->regs[REG_RBX];
	run->hypercall.args[1] = vcpu->regs[REG_RCX];
	run->hypercall.args[2] = vcpu->regs[REG_RDX];
	run->hypercall.args[3] = vcpu->regs[REG_RSI];
	run->hypercall.ret = 0;
	vcpu->pending = MINIVMM_PENDING_HYPERCALL;
	return 0;
}
