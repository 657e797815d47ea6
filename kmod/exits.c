// SPDX-License-Identifier: GPL-2.0
/*
 * Trap and emulate: the VM-exit handlers, one per basic exit reason (SDM
 * Vol. 3D, Appendix C), and the table that dispatches to them. The bigger
 * handlers have files of their own: I/O (io.c), MSRs (msr.c), CPUID
 * (cpuid.c), hypercalls (hypercall.c), MMIO (mmio.c via the run loop) and
 * guest debugging (guest_debug.c). Runs in VMX root mode right after the
 * exit, interrupts on, preemption off, the VCPU's VMCS current: a handler
 * must not sleep (work that may is handed back to the run loop, run.c).
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/kernel.h>
#include <asm/processor.h>

#include <linux/minivmm.h>

#include "emulate.h"
#include "exits.h"
#include "vcpu.h"
#include "vmcs.h"

static int handle_ud(struct minivmm_vcpu *vcpu)
{
	return minivmm_inject_ud(vcpu);
}

/* RDPMC: the virtual CPU has no performance counters to read. */
static int handle_gp(struct minivmm_vcpu *vcpu)
{
	return minivmm_inject_gp(vcpu);
}

/*
 * INVD, WBINVD: nothing to do for a guest whose memory is write-back (the
 * EPT maps it so, ignoring the guest's PAT), and nothing the guest may do
 * to the host's caches.
 */
static int handle_nop(struct minivmm_vcpu *vcpu)
{
	minivmm_skip_instruction(vcpu);
	return 1;
}

/* The host handles the interrupt as soon as interrupts are enabled again. */
static int handle_external_interrupt(struct minivmm_vcpu *vcpu)
{
	return 1;
}

/* Intercepted exceptions (the exception bitmap) and NMIs, SDM 27.2.2. */
static int handle_exception_nmi(struct minivmm_vcpu *vcpu)
{
	u32 info = vmcs_read32(VM_EXIT_INTR_INFO);
	int r;

	if ((info & INTR_INFO_TYPE_MASK) == INTR_TYPE_NMI)
		return 1;	/* the host's: handled in the run loop at the exit */
	if ((info & 0xff) == MC_VECTOR)
		return 1;	/* the host's too, likewise */
	/* A fault in IRET that unblocked NMIs (SDM 27.2.2), not a #DF. */
	if (unlikely(info & BIT(12)) && (info & 0xff) != 8)
		minivmm_events_iret_fault(vcpu);
	r = minivmm_debug_exception(vcpu, info & 0xff);
	if (r >= 0)
		return r;
	/* No other exception is intercepted. */
	return minivmm_exit_internal(vcpu, MINIVMM_INTERNAL_UNKNOWN_EXIT,
				     EXIT_REASON_EXCEPTION_NMI, info);
}

static int handle_triple_fault(struct minivmm_vcpu *vcpu)
{
	vcpu->run->exit_reason = MINIVMM_EXIT_SHUTDOWN;
	return 0;
}

static int handle_hlt(struct minivmm_vcpu *vcpu)
{
	minivmm_skip_instruction(vcpu);
	vcpu->run->exit_reason = MINIVMM_EXIT_HLT;
	return 0;
}

/*
 * MOV to/from CR, CLTS, LMSW: exit qualification in SDM 27.2.1, Table
 * 27-3. CR0 and CR4 writes trap when they change a bit of the guest/host
 * mask (shadow.c, SDM 26.1.3); CR3 accesses trap where the CPU's
 * capability MSRs force CR3-load/store exiting on (SDM A.3.2). CR8 always
 * traps (CR8-load and -store exiting): without an APIC to virtualize, the
 * guest's TPR lives in vcpu->cr8, never in the host CPU's.
 */
static int handle_cr(struct minivmm_vcpu *vcpu)
{
	unsigned long qual = vmcs_readl(EXIT_QUALIFICATION);
	int cr = qual & 15, type = (qual >> 4) & 3, reg = (qual >> 8) & 15;
	unsigned long val = 0;

	if (type == 0 || type == 1)
		val = reg == REG_RSP ? vmcs_readl(GUEST_RSP) : vcpu->regs[reg];
	switch (type) {
	case 0:				/* MOV to CR */
		if (cr == 0) {
			if (!minivmm_cr0_valid(val))
				return minivmm_inject_gp(vcpu);
			minivmm_set_cr0(vcpu, val);
		} else if (cr == 4) {
			if (!minivmm_cr4_valid(val))
				return minivmm_inject_gp(vcpu);
			minivmm_set_cr4(vcpu, val);
		} else if (cr == 8) {
			/* Bits 63:4 are reserved (SDM Vol. 3A 10.8.6.1). */
			if (val & ~0xfUL)
				return minivmm_inject_gp(vcpu);
			vcpu->cr8 = val;
		} else if (cr == 3) {
			/* Bits above MAXPHYADDR are reserved; bit 63 is no-flush with PCIDE. */
			if (minivmm_guest_cr4() & X86_CR4_PCIDE)
				val &= ~BIT_ULL(63);
			if (val >> boot_cpu_data.x86_phys_bits)
				return minivmm_inject_gp(vcpu);
			vmcs_writel(GUEST_CR3, val);
		} else {
			return minivmm_inject_ud(vcpu);
		}
		break;
	case 1:				/* MOV from CR */
		if (cr == 3)
			val = vmcs_readl(GUEST_CR3);
		else if (cr == 8)
			val = vcpu->cr8;
		else
			return minivmm_inject_ud(vcpu);
		if (reg == REG_RSP)
			vmcs_writel(GUEST_RSP, val);
		else
			vcpu->regs[reg] = val;
		break;
	case 2:				/* CLTS */
		minivmm_set_cr0(vcpu, minivmm_guest_cr0() & ~X86_CR0_TS);
		break;
	default:			/* LMSW: bits 3:0 of CR0, PE cannot be cleared */
		val = (qual >> 16) & 0xf;
		val |= minivmm_guest_cr0() & (~0xfUL | X86_CR0_PE);
		minivmm_set_cr0(vcpu, val);
		break;
	}
	minivmm_skip_instruction(vcpu);
	return 1;
}

/* XSETBV: only x87 and SSE state may be enabled (AVX is not offered). */
static int handle_xsetbv(struct minivmm_vcpu *vcpu)
{
	u64 v = (vcpu->regs[REG_RDX] << 32) | (u32)vcpu->regs[REG_RAX];

	if ((u32)vcpu->regs[REG_RCX] != 0 || !(v & 1) || (v & ~3ULL))
		return minivmm_inject_gp(vcpu);
	minivmm_skip_instruction(vcpu);
	return 1;
}

/*
 * EPT violation (SDM 27.2.1, Table 27-7): the run loop maps the page, or it
 * is MMIO. Bit 7 set with bit 8 clear: the access was the CPU's own, to a
 * paging-structure entry during a walk, not the instruction's.
 */
static int handle_ept_violation(struct minivmm_vcpu *vcpu)
{
	unsigned long qual = vmcs_readl(EXIT_QUALIFICATION);

	vcpu->fault_gpa = vmcs_read64(GUEST_PHYSICAL_ADDRESS);
	vcpu->fault_write = qual & BIT(1);
	vcpu->fault_in_walk = (qual & BIT(7)) && !(qual & BIT(8));
	if (unlikely(qual & BIT(12)))
		minivmm_events_iret_fault(vcpu);	/* an IRET runs again */
	return MINIVMM_NEED_FAULT_IN;
}

/* VM entry failed on the guest state or MSR loading (SDM 26.8). */
int minivmm_exit_failed_entry(struct minivmm_vcpu *vcpu)
{
	struct minivmm_run *run = vcpu->run;

	run->exit_reason = MINIVMM_EXIT_FAIL_ENTRY;
	run->fail_entry.hardware_entry_failure_reason = vcpu->exit_reason;
	run->fail_entry.exit_qualification = vmcs_readl(EXIT_QUALIFICATION);
	run->fail_entry.vm_instruction_error = 0;
	run->fail_entry.cpu = smp_processor_id();
	return 0;
}

/*
 * The exit handlers, indexed by basic exit reason (SDM Appendix C). Each
 * returns 1 to re-enter the guest, 0 when the run area is filled for
 * userspace, MINIVMM_NEED_* for the run loop, or a negative errno. A reason
 * that is not here cannot happen with minivmm's controls.
 */
int (*const minivmm_exit_handlers[EXIT_REASON_MAX + 1])(struct minivmm_vcpu *vcpu) = {
	[EXIT_REASON_EXCEPTION_NMI]	= handle_exception_nmi,
	[EXIT_REASON_EXTERNAL_INTERRUPT] = handle_external_interrupt,
	[EXIT_REASON_TRIPLE_FAULT]	= handle_triple_fault,
	[EXIT_REASON_CPUID]		= minivmm_handle_cpuid,
	[EXIT_REASON_HLT]		= handle_hlt,
	[EXIT_REASON_INTERRUPT_WINDOW]	= minivmm_handle_interrupt_window,
	[EXIT_REASON_NMI_WINDOW]	= handle_external_interrupt,
	[EXIT_REASON_INVD]		= handle_nop,
	[EXIT_REASON_RDPMC]		= handle_gp,
	[EXIT_REASON_VMCALL]		= minivmm_handle_vmcall,
	[EXIT_REASON_VMCLEAR]		= handle_ud,
	[EXIT_REASON_VMLAUNCH]		= handle_ud,
	[EXIT_REASON_VMPTRLD]		= handle_ud,
	[EXIT_REASON_VMPTRST]		= handle_ud,
	[EXIT_REASON_VMREAD]		= handle_ud,
	[EXIT_REASON_VMRESUME]		= handle_ud,
	[EXIT_REASON_VMWRITE]		= handle_ud,
	[EXIT_REASON_VMXOFF]		= handle_ud,
	[EXIT_REASON_VMXON]		= handle_ud,
	[EXIT_REASON_CR_ACCESS]		= handle_cr,
	[EXIT_REASON_DR_ACCESS]		= minivmm_handle_dr,
	[EXIT_REASON_IO_INSTRUCTION]	= minivmm_handle_io,
	[EXIT_REASON_MSR_READ]		= minivmm_handle_rdmsr,
	[EXIT_REASON_MSR_WRITE]		= minivmm_handle_wrmsr,
	[EXIT_REASON_INVALID_STATE]	= minivmm_exit_failed_entry,
	[EXIT_REASON_MSR_LOAD_FAIL]	= minivmm_exit_failed_entry,
	[EXIT_REASON_MWAIT]		= handle_ud,
	[EXIT_REASON_MTF]		= minivmm_handle_mtf,
	[EXIT_REASON_MONITOR]		= handle_ud,
	[EXIT_REASON_MCE_DURING_ENTRY]	= minivmm_exit_failed_entry,
	[EXIT_REASON_EPT_VIOLATION]	= handle_ept_violation,
	[EXIT_REASON_INVEPT]		= handle_ud,
	[EXIT_REASON_INVVPID]		= handle_ud,
	[EXIT_REASON_WBINVD]		= handle_nop,
	[EXIT_REASON_XSETBV]		= handle_xsetbv,
	[EXIT_REASON_PREEMPTION_TIMER]	= handle_external_interrupt,
	[EXIT_REASON_VMFUNC]		= handle_ud,
};

static const char *const exit_reason_names[EXIT_REASON_MAX + 1] = {
	VMX_EXIT_REASON_NAMES
};

static const char *const user_exit_names[] = {
	MINIVMM_USER_EXIT_NAMES
};

/* A basic exit reason's name (SDM Appendix C), or NULL for none. */
const char *minivmm_exit_reason_name(u32 basic)
{
	return basic <= EXIT_REASON_MAX ? exit_reason_names[basic] : NULL;
}

/* A MINIVMM_EXIT_* exit's name, or NULL. */
const char *minivmm_user_exit_name(u32 exit_reason)
{
	return exit_reason < ARRAY_SIZE(user_exit_names) ? user_exit_names[exit_reason] : NULL;
}

static void dump_vmcs_once(struct minivmm_vcpu *vcpu)
{
	if (vcpu->dumped)
		return;
	vcpu->dumped = true;
	pr_err("VCPU %u: unhandled exit reason %u, qualification %#lx, RIP %#lx, CR0 %#lx, CR4 %#lx, EFER %#llx, CS %#x/%#x\n",
	       vcpu->id, vcpu->exit_reason, vmcs_readl(EXIT_QUALIFICATION),
	       vmcs_readl(GUEST_RIP), vmcs_readl(GUEST_CR0), vmcs_readl(GUEST_CR4),
	       vmcs_read64(GUEST_IA32_EFER), vmcs_read16(GUEST_CS_SELECTOR),
	       vmcs_read32(GUEST_CS_AR_BYTES));
}

/* An exit reason with no handler: minivmm's controls should not allow it. */
int minivmm_exit_unknown(struct minivmm_vcpu *vcpu)
{
	dump_vmcs_once(vcpu);
	return minivmm_exit_internal(vcpu, MINIVMM_INTERNAL_UNKNOWN_EXIT,
				     vcpu->exit_reason & 0xffff,
				     vmcs_readl(EXIT_QUALIFICATION));
}
