// SPDX-License-Identifier: GPL-2.0
/*
 * Debugging a guest (MINIVMM_SET_GUEST_DEBUG, vmm --gdb): single steps
 * with the monitor trap flag (SDM 26.5.2), or with RFLAGS.TF and #DB in
 * the exception bitmap where there is no MTF (Bochs); INT3 with #BP in the
 * exception bitmap (SDM 25.6.3). A stop is a MINIVMM_EXIT_DEBUG exit. Runs
 * in VMX root mode in the VCPU's thread: the ioctl preemptible, the rest
 * on the exit path with the VMCS current.
 */
#include <linux/uaccess.h>

#include <linux/minivmm.h>

#include "emulate.h"
#include "vcpu.h"
#include "vmcs.h"
#include "vmx.h"

/* MINIVMM_SET_GUEST_DEBUG. Called with vcpu->mutex held. */
long minivmm_set_guest_debug(struct minivmm_vcpu *vcpu, void __user *argp)
{
	struct minivmm_guest_debug d;
	u32 cpu_based, all = MINIVMM_GUESTDBG_ENABLE | MINIVMM_GUESTDBG_SINGLESTEP |
			     MINIVMM_GUESTDBG_SW_BP;

	if (copy_from_user(&d, argp, sizeof(d)))
		return -EFAULT;
	if ((d.flags & ~all) || d.padding ||
	    (d.flags && !(d.flags & MINIVMM_GUESTDBG_ENABLE)))
		return -EINVAL;
	vcpu->guest_debug = d.flags;
	/*
	 * Without the monitor trap flag (Bochs has none), a step is RFLAGS.TF
	 * set around each entry and the single-step #DB intercepted.
	 */
	vcpu->step_tf = (d.flags & MINIVMM_GUESTDBG_SINGLESTEP) && !vmx_cfg.mtf;
	/* A step counts from now: an exit already handled is not one. */
	vcpu->emulated = false;
	vcpu->step_retried = false;
	minivmm_vcpu_get(vcpu);
	cpu_based = vmcs_read32(CPU_BASED_VM_EXEC_CONTROL) & ~CPU_BASED_MTF;
	if ((d.flags & MINIVMM_GUESTDBG_SINGLESTEP) && vmx_cfg.mtf)
		cpu_based |= CPU_BASED_MTF;
	vmcs_write32(CPU_BASED_VM_EXEC_CONTROL, cpu_based);
	vmcs_write32(EXCEPTION_BITMAP,
		     ((d.flags & MINIVMM_GUESTDBG_SW_BP) ? BIT(BP_VECTOR) : 0) |
		     (vcpu->step_tf ? BIT(DB_VECTOR) : 0));
	minivmm_vcpu_put(vcpu);
	return 0;
}

/*
 * Before an entry that single-steps with TF: one guest instruction, then a
 * single-step #DB (SDM Vol. 3A, 18.3.1.4). After STI or MOV SS the entry
 * checks want that trap already pending (SDM 26.3.1.5, BS bit): the step
 * then ends before the next instruction.
 */
void minivmm_step_tf_set(struct minivmm_vcpu *vcpu)
{
	unsigned long rflags = vmcs_readl(GUEST_RFLAGS);
	unsigned long pending = vmcs_readl(GUEST_PENDING_DBG_EXCEPTIONS) & ~BIT(14);

	vcpu->guest_tf = rflags & X86_EFLAGS_TF;
	vcpu->step_rip = vmcs_readl(GUEST_RIP);
	vmcs_writel(GUEST_RFLAGS, rflags | X86_EFLAGS_TF);
	if (vmcs_read32(GUEST_INTERRUPTIBILITY_INFO) & 3)
		pending |= BIT(14);
	vmcs_writel(GUEST_PENDING_DBG_EXCEPTIONS, pending);
}

/* Stop for the debugger: RIP is where the guest stopped (SDM 27.2.1). */
int minivmm_debug_exit(struct minivmm_vcpu *vcpu, u32 exception)
{
	struct minivmm_run *run = vcpu->run;

	vcpu->step_retried = false;
	run->exit_reason = MINIVMM_EXIT_DEBUG;
	run->debug.rip = vmcs_readl(GUEST_RIP);
	run->debug.exception = exception;
	run->debug.padding = 0;
	return 0;
}

/* The monitor trap flag: one guest instruction ran (SDM 26.5.2). */
int minivmm_handle_mtf(struct minivmm_vcpu *vcpu)
{
	return minivmm_debug_exit(vcpu, DB_VECTOR);
}

/*
 * An intercepted #DB or #BP: the debugger's. Returns 1 to re-enter, 0 for a
 * debug exit, or -ENOENT when the exception is not the debugger's.
 */
int minivmm_debug_exception(struct minivmm_vcpu *vcpu, u8 vector)
{
	/* #BP is intercepted only for a debugger (MINIVMM_GUESTDBG_SW_BP). */
	if (vector == BP_VECTOR && (vcpu->guest_debug & MINIVMM_GUESTDBG_SW_BP))
		return minivmm_debug_exit(vcpu, BP_VECTOR);
	if (vector == DB_VECTOR && vcpu->step_tf) {
		/*
		 * A trap before the instruction ran (Bochs 2.7 raises one on
		 * the first entry with TF set): enter again, once, so that a
		 * jump to itself still ends the step.
		 */
		if (vmcs_readl(GUEST_RIP) == vcpu->step_rip && !vcpu->step_retried) {
			vcpu->step_retried = true;
			return 1;
		}
		return minivmm_debug_exit(vcpu, DB_VECTOR);
	}
	return -ENOENT;
}
