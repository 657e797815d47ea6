// SPDX-License-Identifier: GPL-2.0
/*
 * The run loop and the world switch: MINIVMM_RUN moves the VCPU's thread
 * between VMX root mode (the host) and non-root mode (the guest) until an
 * exit needs userspace. Around each VM entry (vmenter.S) it switches what
 * VM entry and exit do not switch themselves (SDM 27.5): CR2, the FPU/SSE
 * registers and XCR0, the DS/ES/FS/GS selectors, the TR limit, the FS and
 * KERNEL_GS bases, the GDT limit. docs/concepts.md says who owns each
 * piece of CPU state when.
 *
 * Runs in the VCPU's thread (process context, VMX root mode). The loop
 * itself is preemptible and may sleep (page faults, string I/O); one VM
 * entry and its exit run with interrupts off; a run of exits handled in
 * the kernel (exits.c) runs with preemption off and the guest's FPU state
 * loaded.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/kernel.h>
#include <linux/preempt.h>
#include <linux/sched/signal.h>
#include <linux/vtime.h>
#include <asm/debugreg.h>
#include <asm/desc.h>
#include <asm/fpu/api.h>
#include <asm/fpu/xcr.h>
#include <asm/idtentry.h>
#include <asm/mce.h>
#include <asm/msr.h>
#include <asm/special_insns.h>
#include <asm/tlbflush.h>

#include <linux/minivmm.h>

#include "emulate.h"
#include "exits.h"
#include "minivmm.h"
#include "profile.h"
#define CREATE_TRACE_POINTS
#include "trace.h"
#include "vcpu.h"
#include "vmcs.h"
#include "vmx.h"

/*
 * Host state that VM exit does not restore (SDM 27.5) and that the kernel
 * does not need until it may sleep or return to userspace: the FPU/SSE
 * registers (the guest's are loaded, under kernel_fpu_begin(), with XCR0 =
 * x87|SSE), the DS, ES, FS and GS selectors, the LDT, and the TR and GDT
 * limits. It is switched once for a run of exits handled in the kernel,
 * not at every exit, and always back before preemption is enabled again.
 */
struct host_state {
	u16 ds, es, fs, gs, ldt;
	u64 xcr0;		/* 0: no XSAVE */
};

static void guest_state_load(struct minivmm_vcpu *vcpu, struct host_state *h)
{
	kernel_fpu_begin();
	h->xcr0 = 0;
	if (boot_cpu_has(X86_FEATURE_XSAVE)) {
		h->xcr0 = xgetbv(XCR_XFEATURE_ENABLED_MASK);
		if (h->xcr0 != 3)
			xsetbv(XCR_XFEATURE_ENABLED_MASK, 3);
	}
	asm volatile("fxrstor64 %0" : : "m" (*vcpu->guest_fpu));
	minivmm_syscall_msrs_load(vcpu);
	/* Another task ran on a CPU since the last entry: its data in the L1D. */
	if (unlikely(current->nvcsw + current->nivcsw != vcpu->switches)) {
		vcpu->switches = current->nvcsw + current->nivcsw;
		vcpu->l1d_flush = true;
	}
	savesegment(ds, h->ds);
	savesegment(es, h->es);
	savesegment(fs, h->fs);
	savesegment(gs, h->gs);
	store_ldt(h->ldt);
}

static void host_state_restore(struct minivmm_vcpu *vcpu, struct host_state *h)
{
	u64 guest_kgs;

	/* VM exit set the GDT limit to 0xffff (SDM 27.5.2): this CPU's GDT. */
	load_fixmap_gdt(smp_processor_id());
	/* ... and LDTR to null: a process with an LDT (modify_ldt) needs it. */
	if (unlikely(h->ldt))
		asm volatile("lldt %0" : : "rm" (h->ldt));
	loadsegment(ds, h->ds);
	loadsegment(es, h->es);
	/* VM exit left FS and GS null with the bases from the host area. */
	if (h->fs) {
		loadsegment(fs, h->fs);
		wrmsrl(MSR_FS_BASE, vcpu->host_fs_base);
	}
	if (unlikely(h->gs)) {
		/*
		 * load_gs_index() writes the user GS base, which is
		 * KERNEL_GS_BASE here: during RUN that is the guest's.
		 */
		rdmsrl(MSR_KERNEL_GS_BASE, guest_kgs);
		load_gs_index(h->gs);
		wrmsrl(MSR_KERNEL_GS_BASE, guest_kgs);
	}
	/* VM exit set the TR limit to 0x67 (SDM 27.5.2). */
	invalidate_tss_limit();
	asm volatile("fxsave64 %0" : "=m" (*vcpu->guest_fpu));
	if (h->xcr0 && h->xcr0 != 3)
		xsetbv(XCR_XFEATURE_ENABLED_MASK, h->xcr0);
	kernel_fpu_end();
}

static void vcpu_count_exit(struct minivmm_vcpu *vcpu)
{
	u32 basic = vcpu->exit_reason & 0xffff;

	vcpu->stats.exits++;
	if (vcpu->exit_reason & VMX_EXIT_REASON_FAILED_ENTRY)
		vcpu->stats.failed_entries++;
	if (basic < MINIVMM_NR_EXIT_REASONS)
		vcpu->stats.exits_by_reason[basic]++;
}

/*
 * A machine check in the guest or during VM entry is the host's: its
 * handler runs as for one in user mode, as KVM does (SDM Vol. 3B 16.10).
 */
static void host_machine_check(void)
{
#ifdef CONFIG_X86_MCE
	struct pt_regs regs = { .cs = 3, .flags = X86_EFLAGS_IF };

	do_machine_check(&regs);
#endif
}

/*
 * An exit for an NMI or an intercepted exception. The host's NMI goes to
 * the host's NMI handler before interrupts are on again (an NMI that
 * arrives in the guest cannot be raised again by a self-IPI: SDM Vol. 3A
 * 11.6.1), a #MC to its handler. Interrupts are off.
 */
static void host_exception(struct minivmm_vcpu *vcpu, u32 intr_info)
{
	u32 type = intr_info & INTR_INFO_TYPE_MASK;

	if (type == INTR_TYPE_NMI) {
		minivmm_do_nmi_irqoff((unsigned long)MINIVMM_NMI_ENTRY);
		vcpu->l1d_flush = true;
	} else if (unlikely(type == INTR_TYPE_HW_EXCEPTION && (intr_info & 0xff) == MC_VECTOR)) {
		host_machine_check();
		vcpu->l1d_flush = true;
	}
}

/*
 * One VM entry and the VM exit that ends it, with interrupts off, between
 * guest_state_load() and host_state_restore(). Returns 1 if the entry
 * failed.
 */
static int vcpu_enter_guest(struct minivmm_vcpu *vcpu)
{
	unsigned long cr;
	u32 basic;
	int fail;

	/*
	 * The VMX-preemption timer (SDM 26.5.1) bounds how long the guest runs
	 * without an exit, so that the run loop sees signals and the host's
	 * interrupts even if an emulator fails to exit on them. It counts
	 * down at the TSC rate shifted right by IA32_VMX_MISC[4:0].
	 */
	if (vmx_cfg.pin_based & PIN_BASED_PREEMPTION_TIMER)
		vmcs_write32(VMX_PREEMPTION_TIMER_VALUE, vmx_cfg.preemption_ticks);

	local_irq_disable();
	/*
	 * CR3 and CR4 as the host has them now: with interrupts off, as a TLB
	 * flush IPI may switch CR3 (a new PCID, or the kernel's page tables)
	 * at any time before.
	 */
	cr = __read_cr3();
	if (unlikely(cr != vcpu->host_cr3)) {
		vcpu->host_cr3 = cr;
		vmcs_writel(HOST_CR3, cr);
	}
	cr = cr4_read_shadow();
	if (unlikely(cr != vcpu->host_cr4)) {
		vcpu->host_cr4 = cr;
		vmcs_writel(HOST_CR4, cr);
	}
	if (native_read_cr2() != vcpu->cr2)
		native_write_cr2(vcpu->cr2);

	if (trace_minivmm_entry_enabled())
		trace_minivmm_entry(vcpu->id, vmcs_readl(GUEST_RIP));
	if (vcpu->step_tf)
		minivmm_step_tf_set(vcpu);
	/* An event to deliver, or a window to open or close (events.c). */
	if (unlikely(vcpu->inject.info || vcpu->irq_pending >= 0 || vcpu->nmi_pending ||
		     (vcpu->cpu_based & (CPU_BASED_INTR_WINDOW | CPU_BASED_NMI_WINDOW)) ||
		     READ_ONCE(vcpu->run->request_interrupt_window)))
		minivmm_events_before_entry(vcpu);
	vcpu->emulated = false;
	/*
	 * L1TF: nothing of the host's in the L1D when the guest runs, once
	 * host code that may have left secrets there ran: RUN's caller, another
	 * task, an interrupt or NMI handler (the kernel's irq entry marks the
	 * CPU), a page faulted in (KVM's "cond" policy).
	 */
	if (unlikely(minivmm_l1d_flush_on &&
		     (vcpu->l1d_flush || minivmm_irq_ran_since_flush()))) {
		vcpu->l1d_flush = false;
		minivmm_l1d_flush();
	}
	/* The time from here to the exit is the guest's (PF_VCPU). */
	vtime_account_guest_enter();
	minivmm_prof(vcpu, PROF_ENTRY);
	fail = minivmm_vmx_enter(vcpu->regs,
				 (vcpu->launched ? MINIVMM_ENTER_RESUME : 0) |
				 (minivmm_verw_on ? MINIVMM_ENTER_VERW : 0));
	minivmm_prof(vcpu, PROF_GUEST);

	vcpu->cr2 = native_read_cr2();
	/*
	 * VM exit set DR7 to 0x400 and cleared DEBUGCTL (SDM 27.5.1): the
	 * host's breakpoints, LBR and bus-lock detection come back.
	 */
	if (unlikely(vcpu->host_debugctl))
		update_debugctlmsr(vcpu->host_debugctl);
	if (unlikely(hw_breakpoint_active()))
		hw_breakpoint_restore();
	/* VMSCAPE: an indirect-branch barrier before the next userspace. */
	if (minivmm_vmscape_on)
		this_cpu_write(x86_ibpb_exit_to_user, true);
	if (fail) {
		vcpu->exit_reason = ~0U;
		vcpu->stats.failed_entries++;
	} else {
		vcpu->launched = true;
		vcpu->exit_reason = vmcs_read32(VM_EXIT_REASON);
		vcpu_count_exit(vcpu);
		/* The event injected is delivered, unless the exit cut it short. */
		if (likely(!(vcpu->exit_reason & VMX_EXIT_REASON_FAILED_ENTRY))) {
			u32 idt = vmcs_read32(IDT_VECTORING_INFO_FIELD);

			vcpu->inject.info = 0;
			if (unlikely(idt & INTR_INFO_VALID))
				minivmm_events_after_exit(vcpu, idt);
		}
		if (vcpu->step_tf && !vcpu->guest_tf)
			vmcs_writel(GUEST_RFLAGS, vmcs_readl(GUEST_RFLAGS) & ~X86_EFLAGS_TF);
		if (trace_minivmm_exit_enabled())
			trace_minivmm_exit(vcpu->id, vcpu->exit_reason,
					   vmcs_readl(GUEST_RIP),
					   vmcs_readl(EXIT_QUALIFICATION));
		/* NMIs and machine checks are the host's: to its handlers now. */
		basic = vcpu->exit_reason & 0xffff;
		if (basic == EXIT_REASON_EXCEPTION_NMI)
			host_exception(vcpu, vmcs_read32(VM_EXIT_INTR_INFO));
		else if (unlikely(basic == EXIT_REASON_MCE_DURING_ENTRY))
			host_machine_check();
	}
	/*
	 * Take the interrupts pending since the exit, ticks counted as guest
	 * time. STI holds interrupts off until the next instruction is done
	 * (SDM Vol. 2B, STI): without the NOP, CLI would follow at once and
	 * none would be taken here.
	 */
	local_irq_enable();
	asm volatile("nop");
	local_irq_disable();
	vtime_account_guest_exit();
	local_irq_enable();
	minivmm_prof(vcpu, PROF_EXIT);
	return fail;
}

/*
 * After an exit the kernel handled, enter the guest again at once, or go
 * back to the run loop first? The loop reschedules, sees signals and
 * immediate_exit; the host's interrupts and the preemption timer send the
 * guest there too, so that it never stays away from the loop for long.
 */
static bool vcpu_reenter_at_once(struct minivmm_vcpu *vcpu)
{
	u32 basic = vcpu->exit_reason & 0xffff;

	return basic != EXIT_REASON_EXTERNAL_INTERRUPT &&
	       basic != EXIT_REASON_PREEMPTION_TIMER &&
	       !(vcpu->guest_debug & MINIVMM_GUESTDBG_SINGLESTEP) &&
	       !need_resched() && !signal_pending(current) &&
	       !READ_ONCE(vcpu->run->immediate_exit);
}

static int vcpu_fail_entry(struct minivmm_vcpu *vcpu)
{
	struct minivmm_run *run = vcpu->run;

	run->exit_reason = MINIVMM_EXIT_FAIL_ENTRY;
	run->fail_entry.hardware_entry_failure_reason = ~0ULL;
	run->fail_entry.exit_qualification = 0;
	run->fail_entry.vm_instruction_error = vmcs_read32(VM_INSTRUCTION_ERROR);
	run->fail_entry.cpu = smp_processor_id();
	return 0;
}

/* No memory at the faulting address: an MMIO exit for userspace. */
static int vcpu_mmio(struct minivmm_vcpu *vcpu)
{
	struct mmio_state st;
	int r;

	/*
	 * Page tables in MMIO or ROM: no instruction to emulate, the access
	 * was the CPU's walk (or its A/D-bit update): say so.
	 */
	if (unlikely(vcpu->fault_in_walk)) {
		preempt_disable();
		minivmm_vmcs_load(vcpu);
		r = minivmm_exit_internal(vcpu, MINIVMM_INTERNAL_PAGE_WALK, vcpu->fault_gpa,
					  vmcs_readl(EXIT_QUALIFICATION));
		preempt_enable();
		return r;
	}
	preempt_disable();
	minivmm_vmcs_load(vcpu);
	minivmm_mmio_snapshot(vcpu, &st);
	st.rsp = vmcs_readl(GUEST_RSP);
	preempt_enable();

	r = minivmm_mmio_prepare(vcpu, &st, vcpu->fault_gpa);
	if (!r && vcpu->run->exit_reason == MINIVMM_EXIT_MMIO) {
		/* The access is done (or will be, by the next RUN): move on. */
		preempt_disable();
		minivmm_vmcs_load(vcpu);
		vmcs_writel(GUEST_RIP, vcpu->mmio_next_rip);
		vcpu->emulated = true;
		vcpu->insn_rip = st.rip;
		preempt_enable();
	}
	return r;
}

/* The exit userspace handled completes: its results go into the guest. */
static void complete_pending(struct minivmm_vcpu *vcpu)
{
	switch (vcpu->pending) {
	case MINIVMM_PENDING_IN:
		minivmm_io_complete_in(vcpu);
		break;
	case MINIVMM_PENDING_HYPERCALL:
		vcpu->regs[REG_RAX] = vcpu->run->hypercall.ret;
		break;
	case MINIVMM_PENDING_MMIO_READ:
		minivmm_mmio_complete_read(vcpu);
		break;
	case MINIVMM_PENDING_INS:
		minivmm_string_io_complete_in(vcpu);
		break;
	case MINIVMM_PENDING_NONE:
		break;
	}
	vcpu->pending = MINIVMM_PENDING_NONE;
}

/* MINIVMM_RUN. Called with vcpu->mutex held. */
long minivmm_run(struct minivmm_vcpu *vcpu)
{
	struct minivmm_run *run = vcpu->run;
	struct host_state host;
	bool step_done = false;
	int r;

	minivmm_prof(vcpu, PROF_USER);
	vcpu->stats.runs++;
	vcpu->l1d_flush = true;			/* userspace ran */
	complete_pending(vcpu);
	rdmsrl(MSR_FS_BASE, vcpu->host_fs_base);
	/*
	 * SWAPGS in the guest exchanges GS.base with IA32_KERNEL_GS_BASE,
	 * which VM entry and exit do not switch: the guest's value is loaded
	 * for the whole RUN and the host's (this thread's user GS base) put
	 * back at the end. A context switch saves and restores it as this
	 * thread's own.
	 */
	rdmsrl(MSR_KERNEL_GS_BASE, vcpu->host_kernel_gs_base);
	wrmsrl(MSR_KERNEL_GS_BASE, vcpu->guest_kernel_gs_base);
	/* This thread's DEBUGCTL (0 mostly), to put back after each exit. */
	if (rdmsrl_safe(MSR_IA32_DEBUGCTLMSR, &vcpu->host_debugctl))
		vcpu->host_debugctl = 0;
	vcpu->in_run = true;
	minivmm_prof(vcpu, PROF_SETUP);

	for (;;) {
		if (READ_ONCE(run->immediate_exit) || signal_pending(current)) {
			run->exit_reason = MINIVMM_EXIT_INTR;
			r = -EINTR;
			break;
		}
		if ((vcpu->guest_debug & MINIVMM_GUESTDBG_SINGLESTEP) && vcpu->emulated) {
			/* The step was an instruction minivmm emulated: done. */
			step_done = true;
			preempt_disable();
			minivmm_vmcs_load(vcpu);
			r = minivmm_debug_exit(vcpu, DB_VECTOR);
			preempt_enable();
			break;
		}
		cond_resched();

		preempt_disable();
		minivmm_vmcs_load(vcpu);
		/* Per thread: the last RUN may have come from another. */
		if (vcpu->host_fs_base != vcpu->vmcs_host_fs_base) {
			vcpu->vmcs_host_fs_base = vcpu->host_fs_base;
			vmcs_writel(HOST_FS_BASE, vcpu->host_fs_base);
		}
		guest_state_load(vcpu, &host);
		do {
			if (vcpu_enter_guest(vcpu)) {
				r = vcpu_fail_entry(vcpu);
				break;
			}
			r = minivmm_handle_exit(vcpu);
			minivmm_prof(vcpu, PROF_HANDLE);
		} while (r == 1 && vcpu_reenter_at_once(vcpu));
		host_state_restore(vcpu, &host);
		preempt_enable();

		if (r == MINIVMM_NEED_STRING_IO) {
			r = minivmm_string_io(vcpu);
			minivmm_prof(vcpu, PROF_HANDLE);
		} else if (r == MINIVMM_NEED_FAULT_IN) {
			vcpu->l1d_flush = true;	/* the host's page tables, the page lookup */
			/* Preemptible: looking the page up may sleep. */
			r = minivmm_ept_fault(vcpu->vm, vcpu->fault_gpa, vcpu->fault_write);
			if (r == 1) {
				r = vcpu_mmio(vcpu);
				vcpu->stats.mmio_exits++;
			} else if (r == 0) {
				r = 1;
				vcpu->stats.ept_faults_in++;
			} else if (r == MINIVMM_FAULT_AGAIN) {
				r = 1;		/* the loop sees the signal */
			}
			minivmm_prof(vcpu, PROF_HANDLE);
		}
		if (r <= 0)
			break;
	}

	preempt_disable();
	if (r == 0 || r == -EINTR) {
		/* Can the guest take an interrupt now? The monitor's next step. */
		minivmm_vmcs_load(vcpu);
		minivmm_events_report(vcpu);
	}
	if (r == 0) {
		/* The exit's instruction: the one emulated, or where the guest is. */
		if (!vcpu->emulated) {
			minivmm_vmcs_load(vcpu);
			vcpu->insn_rip = vmcs_readl(GUEST_RIP);
		}
		run->exit_rip = vcpu->insn_rip;
	}
	if (step_done)
		vcpu->emulated = false;	/* the next RUN steps afresh */
	rdmsrl(MSR_KERNEL_GS_BASE, vcpu->guest_kernel_gs_base);
	wrmsrl(MSR_KERNEL_GS_BASE, vcpu->host_kernel_gs_base);
	vcpu->in_run = false;
	preempt_enable();
	if (r == 0)
		vcpu->stats.userspace_exits++;
	else if (r == -EINTR)
		vcpu->stats.signal_exits++;
	if (r == 0 || r == -EINTR)
		trace_minivmm_userspace_exit(vcpu->id, run->exit_reason);
	minivmm_prof(vcpu, PROF_RETURN);
	return r;
}
