// SPDX-License-Identifier: GPL-2.0
/*
 * Debug state: the guest's own debug registers, and debugging a guest.
 *
 * The debug registers are the host's (its hardware breakpoints, perf): MOV
 * DR always exits and the guest's DR0-DR3, DR6 and DR7 are shadows in the
 * VCPU; the guest runs with DR7 = 0x400 from the VMCS, so its breakpoints
 * are kept but never armed. A #DB in the guest (single step, INT1) always
 * exits, updates the shadow DR6 and is given back to the guest, so the
 * CPU's DR6 stays the host's (SDM Vol. 3A 18.2, Vol. 3C 25.6.3, 27.2.1).
 *
 * Debugging a guest (MINIVMM_SET_GUEST_DEBUG, vmm --gdb): single steps
 * with the monitor trap flag (SDM 26.5.2), or with RFLAGS.TF where there
 * is no MTF (Bochs); INT3 with #BP in the exception bitmap. A stop is a
 * MINIVMM_EXIT_DEBUG exit. Runs in VMX root mode in the VCPU's thread: the
 * ioctl preemptible, the rest on the exit path with the VMCS current.
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
	cpu_based = vcpu->cpu_based & ~CPU_BASED_MTF;
	if ((d.flags & MINIVMM_GUESTDBG_SINGLESTEP) && vmx_cfg.mtf)
		cpu_based |= CPU_BASED_MTF;
	vcpu->cpu_based = cpu_based;
	vmcs_write32(CPU_BASED_VM_EXEC_CONTROL, cpu_based);
	vmcs_write32(EXCEPTION_BITMAP, MINIVMM_EXCEPTIONS_INTERCEPTED |
		     ((d.flags & MINIVMM_GUESTDBG_SW_BP) ? BIT(BP_VECTOR) : 0));
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

/* DR6 bits a #DB exit reports in its qualification (SDM 27.2.1, Table 27-1). */
#define MV_DR6_B0_B3	0xfUL
#define MV_DR6_BD		BIT(13)
#define MV_DR6_BS		BIT(14)
#define MV_DR6_RTM		BIT(16)		/* active low */
#define MV_DR6_FIXED_1	0xfffe0ff0UL	/* and RTM when no #DB in a transaction */
#define MV_DR7_GD		BIT(13)
#define MV_DR7_VALID	0xffff2bffUL	/* bits 10, 14 and 15 are reserved */

void minivmm_debug_init(struct minivmm_vcpu *vcpu)
{
	vcpu->dr6 = MV_DR6_FIXED_1 | MV_DR6_RTM;
	vcpu->dr7 = MV_DR7_FIXED_1;
}

/* A #DB for the guest, its cause added to the shadow DR6 (SDM 18.2.3). */
static int reflect_db(struct minivmm_vcpu *vcpu, u32 intr_info)
{
	unsigned long qual = vmcs_readl(EXIT_QUALIFICATION);
	u32 info = DB_VECTOR | INTR_INFO_VALID, len = 0;

	vcpu->dr6 &= ~(MV_DR6_B0_B3 | MV_DR6_RTM);
	vcpu->dr6 |= qual & (MV_DR6_B0_B3 | MV_DR6_BD | MV_DR6_BS);
	if (!(qual & MV_DR6_RTM))
		vcpu->dr6 |= MV_DR6_RTM;
	if (qual & MV_DR6_BD)
		vcpu->dr7 &= ~MV_DR7_GD;
	/* INT1 is delivered again as INT1, with its length (SDM 26.6.1.1). */
	if ((intr_info & INTR_INFO_TYPE_MASK) == INTR_TYPE_PRIV_SW_EXCEPTION) {
		info |= INTR_TYPE_PRIV_SW_EXCEPTION;
		len = vmcs_read32(VM_EXIT_INSTRUCTION_LEN);
	} else {
		info |= INTR_TYPE_HW_EXCEPTION;
	}
	minivmm_queue_exception(vcpu, info, 0, len);
	return 1;
}

/*
 * MOV to or from a debug register (exit qualification: SDM 27.2.1, Table
 * 27-4). The CPU has already checked the privilege level; the rest of the
 * instruction's checks are minivmm's (SDM Vol. 2B, MOV-Move to/from Debug
 * Registers).
 */
int minivmm_handle_dr(struct minivmm_vcpu *vcpu)
{
	unsigned long qual = vmcs_readl(EXIT_QUALIFICATION);
	unsigned int dr = qual & 7, reg = (qual >> 8) & 15;
	bool from = qual & BIT(4);
	unsigned long val;

	if (vcpu->dr7 & MV_DR7_GD) {		/* general detect: #DB first */
		vcpu->dr6 = (vcpu->dr6 & ~MV_DR6_B0_B3) | MV_DR6_BD;
		vcpu->dr7 &= ~MV_DR7_GD;
		minivmm_inject_exception(vcpu, DB_VECTOR, false);
		return 1;
	}
	if (dr == 4 || dr == 5) {		/* aliases of DR6/DR7 without CR4.DE */
		if (minivmm_guest_cr4() & X86_CR4_DE)
			return minivmm_inject_ud(vcpu);
		dr += 2;
	}
	if (from) {
		val = dr < 4 ? vcpu->dr[dr] : dr == 6 ? vcpu->dr6 : vcpu->dr7;
		if (reg == REG_RSP)
			vmcs_writel(GUEST_RSP, val);
		else
			vcpu->regs[reg] = val;
	} else {
		val = reg == REG_RSP ? vmcs_readl(GUEST_RSP) : vcpu->regs[reg];
		if (dr >= 6 && val >> 32)
			return minivmm_inject_gp(vcpu);	/* DR6/DR7 bits 63:32 */
		if (dr < 4)
			vcpu->dr[dr] = val;
		else if (dr == 6)
			vcpu->dr6 = (val & ~MV_DR6_FIXED_1) | MV_DR6_FIXED_1;
		else
			vcpu->dr7 = (val & MV_DR7_VALID) | MV_DR7_FIXED_1;
	}
	minivmm_skip_instruction(vcpu);
	return 1;
}

/*
 * An intercepted #DB or #BP: the debugger's, else the guest's own #DB.
 * Returns 1 to re-enter, 0 for a debug exit, or -ENOENT for an exception
 * neither minivmm nor a debugger wanted.
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
	if (vector == DB_VECTOR)
		return reflect_db(vcpu, vmcs_read32(VM_EXIT_INTR_INFO));
	return -ENOENT;
}
