// SPDX-License-Identifier: GPL-2.0
/*
 * The VCPU: its VMCS, its shadow state, the run loop and its file.
 *
 * Each VCPU owns one VMCS (SDM Vol. 3C, chapter 25). Its three areas are
 * set up here: the control area (what traps: computed once in vmx_cfg), the
 * guest area (the VCPU's state while it is not running, set from userspace
 * by SET_REGS/SET_SREGS) and the host area (where the CPU resumes after a
 * VM exit). The general-purpose registers other than RSP are not in the
 * VMCS: they are the saved registers of the shadow state, vcpu->regs.
 *
 * A VMCS is active on at most one CPU. minivmm loads it (VMPTRLD) when RUN
 * enters the guest and leaves it active there; only when the VCPU's thread
 * runs on another CPU, the VCPU is freed or the CPU leaves VMX operation is
 * it cleared (VMCLEAR) on its CPU, so a VCPU may move between CPUs freely.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/anon_inodes.h>
#include <linux/file.h>
#include <linux/fs.h>
#include <linux/idr.h>
#include <linux/kernel.h>
#include <linux/mm.h>
#include <linux/module.h>
#include <linux/preempt.h>
#include <linux/sched/signal.h>
#include <linux/slab.h>
#include <linux/uaccess.h>
#include <asm/apic.h>
#include <asm/desc.h>
#include <asm/fpu/api.h>
#include <asm/fpu/xcr.h>
#include <asm/msr.h>
#include <asm/special_insns.h>
#include <asm/tlbflush.h>

#include <linux/minivmm.h>

#include "minivmm.h"
#include "profile.h"
#define CREATE_TRACE_POINTS
#include "trace.h"
#include "regs.h"
#include "vcpu.h"
#include "vmcs.h"
#include "vmx.h"
#include "vmx_ops.h"

/* Segment access rights in the VMCS, SDM 25.4.1, Table 25-2. */
#define VMX_AR_TYPE(t)		((t) & 0xf)
#define VMX_AR_S			BIT(4)
#define VMX_AR_DPL(d)		(((d) & 3) << 5)
#define VMX_AR_P			BIT(7)
#define VMX_AR_AVL			BIT(12)
#define VMX_AR_L			BIT(13)
#define VMX_AR_DB			BIT(14)
#define VMX_AR_G			BIT(15)
#define VMX_AR_UNUSABLE		BIT(16)

/* VM-entry interruption information, SDM 25.8.3, Table 25-17. */
#define INTR_INFO_VALID		BIT(31)
#define INTR_INFO_DELIVER_CODE	BIT(11)
#define INTR_TYPE_HW_EXCEPTION	(3 << 8)
#define INTR_TYPE_NMI		(2 << 8)
#define INTR_INFO_TYPE_MASK	(7 << 8)

#define DB_VECTOR		1
#define BP_VECTOR		3
#define UD_VECTOR		6
#define GP_VECTOR		13

static DEFINE_IDA(vpid_ida);

static void invvpid_cpu(void *vpid)
{
	vmx_invvpid_type(1, *(u16 *)vpid);	/* single context */
}

/* Before a VPID is reused, no CPU may hold translations tagged with it. */
static void vmx_invvpid_all(u16 vpid)
{
	on_each_cpu(invvpid_cpu, &vpid, 1);
}

/* ---- Loading and clearing the VMCS ---- */

/*
 * A VMCS stays active on the CPU it last ran on, across RUNs and while its
 * thread sleeps, as long as nothing else needs it. It may be active on one
 * CPU only and must be VMCLEARed there before it is loaded on another or the
 * CPU leaves VMX operation (SDM 25.1, 25.11.1). Each CPU lists its active
 * VMCSs; a list changes only on its own CPU, with interrupts off.
 */
static DEFINE_PER_CPU(struct list_head, active_vcpus);
static DEFINE_PER_CPU(struct page *, current_vmcs);	/* VMPTRLD's last */

/* Host-state fields that differ per CPU (SDM 25.5): written after VMPTRLD. */
static void vmcs_write_host_percpu(struct minivmm_vcpu *vcpu, int cpu)
{
	struct desc_ptr gdt;
	u64 v;

	vmcs_writel(HOST_TR_BASE,
		    (unsigned long)&get_cpu_entry_area(cpu)->tss.x86_tss);
	native_store_gdt(&gdt);
	vmcs_writel(HOST_GDTR_BASE, gdt.address);
	rdmsrl(MSR_IA32_SYSENTER_ESP, v);
	vmcs_writel(HOST_IA32_SYSENTER_ESP, v);
	rdmsrl(MSR_GS_BASE, v);
	vmcs_writel(HOST_GS_BASE, v);
	vcpu->host_cr3 = __read_cr3();
	vmcs_writel(HOST_CR3, vcpu->host_cr3);
	vcpu->host_cr4 = cr4_read_shadow();
	vmcs_writel(HOST_CR4, vcpu->host_cr4);
}

/* VMCLEAR on the CPU where the VMCS is active. Interrupts are off. */
static void vcpu_vmcs_clear_here(void *arg)
{
	struct minivmm_vcpu *vcpu = arg;

	if (vcpu->cpu != smp_processor_id())
		return;		/* cleared already */
	vmx_vmclear(page_to_phys(vcpu->vmcs));
	if (__this_cpu_read(current_vmcs) == vcpu->vmcs)
		__this_cpu_write(current_vmcs, NULL);
	list_del(&vcpu->active_link);
	vcpu->launched = false;
	/* The VMCS is in memory before another CPU may load it. */
	smp_wmb();
	WRITE_ONCE(vcpu->cpu, -1);
}

/* Make the VMCS inactive wherever it is active. Interrupts must be on. */
static void vcpu_vmcs_clear(struct minivmm_vcpu *vcpu)
{
	int cpu = READ_ONCE(vcpu->cpu);

	/* An offline CPU cleared its VMCSs as it went (minivmm_vmcs_clear_cpu). */
	if (cpu >= 0)
		smp_call_function_single(cpu, vcpu_vmcs_clear_here, vcpu, 1);
}

/* Before VMXOFF on this CPU (last VM, CPU offline, reboot, suspend). */
void minivmm_vmcs_clear_cpu(void)
{
	struct minivmm_vcpu *vcpu, *tmp;

	list_for_each_entry_safe(vcpu, tmp, this_cpu_ptr(&active_vcpus), active_link)
		vcpu_vmcs_clear_here(vcpu);
}

void minivmm_vcpu_init(void)
{
	int cpu;

	for_each_possible_cpu(cpu)
		INIT_LIST_HEAD(per_cpu_ptr(&active_vcpus, cpu));
}

/* Make the VMCS current on this CPU. Preemption must be off. */
static void vcpu_vmcs_load(struct minivmm_vcpu *vcpu)
{
	int cpu = smp_processor_id();
	unsigned long flags;

	if (likely(vcpu->cpu == cpu)) {
		/* Active here already: current, unless another VCPU ran since. */
		if (__this_cpu_read(current_vmcs) != vcpu->vmcs) {
			vmx_vmptrld(page_to_phys(vcpu->vmcs));
			__this_cpu_write(current_vmcs, vcpu->vmcs);
		}
		return;
	}
	/* The thread moved: clear the VMCS where it was active. */
	vcpu_vmcs_clear(vcpu);
	/* Pairs with vcpu_vmcs_clear_here(): see its VMCLEAR, then VMPTRLD. */
	smp_rmb();
	local_irq_save(flags);
	vmx_vmptrld(page_to_phys(vcpu->vmcs));
	__this_cpu_write(current_vmcs, vcpu->vmcs);
	list_add(&vcpu->active_link, this_cpu_ptr(&active_vcpus));
	vcpu->cpu = cpu;
	local_irq_restore(flags);
	vmcs_write_host_percpu(vcpu, cpu);
	/*
	 * The guest's MOV CR3 and INVLPG flush its VPID's translations only
	 * on the CPU they run on (SDM 28.3.3.3): entries this CPU cached
	 * before the VCPU ran elsewhere may be stale.
	 */
	if (vcpu->vpid && vcpu->last_cpu != cpu)
		vmx_invvpid_type(1, vcpu->vpid);
	vcpu->last_cpu = cpu;
}

/* Access the VMCS outside RUN (register ioctls, setup). */
static void vcpu_get(struct minivmm_vcpu *vcpu)
{
	preempt_disable();
	vcpu_vmcs_load(vcpu);
}

static void vcpu_put(struct minivmm_vcpu *vcpu)
{
	preempt_enable();
}

/* ---- Guest state: control registers and segments ---- */

/* CR0 bits VMX requires, relaxed by unrestricted guest (SDM 26.3.1.1). */
static unsigned long cr0_must1(void)
{
	return vmx_cfg.cr0_fixed0 & ~(X86_CR0_PE | X86_CR0_PG);
}

static unsigned long cr0_must0(void)
{
	return ~vmx_cfg.cr0_fixed1 & 0xffffffffUL;
}

static unsigned long cr4_must1(void)
{
	return vmx_cfg.cr4_fixed0;
}

static unsigned long cr4_must0(void)
{
	return ~vmx_cfg.cr4_fixed1 & 0xffffffffUL;
}

/*
 * CR0 and CR4 as the guest reads them (SDM 25.6.6): bits set in the
 * guest/host mask from the read shadow, the others (PE and PG among them,
 * which the guest changes without a VM exit) from the guest-state field.
 */
static unsigned long guest_cr0(void)
{
	unsigned long mask = vmcs_readl(CR0_GUEST_HOST_MASK);

	return (vmcs_readl(GUEST_CR0) & ~mask) | (vmcs_readl(CR0_READ_SHADOW) & mask);
}

static unsigned long guest_cr4(void)
{
	unsigned long mask = vmcs_readl(CR4_GUEST_HOST_MASK);

	return (vmcs_readl(GUEST_CR4) & ~mask) | (vmcs_readl(CR4_READ_SHADOW) & mask);
}

/*
 * The guest sees cr0 (through the read shadow); the CPU runs with the bits
 * VMX needs forced. Bits in the guest/host mask trap on change.
 */
static void vcpu_set_cr0(struct minivmm_vcpu *vcpu, unsigned long cr0)
{
	u64 efer = vmcs_read64(GUEST_IA32_EFER);
	u32 entry = vmcs_read32(VM_ENTRY_CONTROLS);

	vmcs_writel(CR0_READ_SHADOW, cr0);
	vmcs_writel(GUEST_CR0, (cr0 | cr0_must1()) & ~cr0_must0());
	/* IA-32e mode is active when paging is on with EFER.LME (SDM 10.8.5). */
	if ((cr0 & X86_CR0_PG) && (efer & EFER_LME))
		efer |= EFER_LMA;
	else
		efer &= ~EFER_LMA;
	vmcs_write64(GUEST_IA32_EFER, efer);
	if (efer & EFER_LMA)
		entry |= VM_ENTRY_IA32E_MODE;
	else
		entry &= ~VM_ENTRY_IA32E_MODE;
	vmcs_write32(VM_ENTRY_CONTROLS, entry);
}

/*
 * CR4 bits a guest may have: those VMX operation allows (IA32_VMX_CR4_FIXED1,
 * SDM A.8) but VMXE, which minivmm keeps for itself (no nested VMX). Other
 * bits are reserved or not supported here: MOV to CR4 raises #GP and
 * SET_SREGS fails, rather than the read shadow showing a bit the CPU does
 * not run with (the guest-host mask traps each such bit).
 */
/* MOV to CR0 raises #GP for these (SDM Vol. 3A 2.5, Vol. 2B MOV-Move to/from CRs). */
static bool cr0_valid(u64 cr0)
{
	if (cr0 >> 32)
		return false;
	if ((cr0 & X86_CR0_PG) && !(cr0 & X86_CR0_PE))
		return false;
	return !((cr0 & X86_CR0_NW) && !(cr0 & X86_CR0_CD));
}

/* A 48-bit linear address with bits 63:47 equal (SDM Vol. 1 3.3.7.1). */
static bool is_canonical(u64 la)
{
	return (s64)(la << 16) >> 16 == (s64)la;
}

static bool cr4_valid(u64 cr4)
{
	return !(cr4 & (X86_CR4_VMXE | ~vmx_cfg.cr4_fixed1));
}

static void vcpu_set_cr4(struct minivmm_vcpu *vcpu, unsigned long cr4)
{
	vmcs_writel(CR4_READ_SHADOW, cr4);
	vmcs_writel(GUEST_CR4, (cr4 | cr4_must1()) & ~cr4_must0());
}

static u32 seg_to_ar(const struct minivmm_segment *s)
{
	if (s->unusable)
		return VMX_AR_UNUSABLE;
	return VMX_AR_TYPE(s->type) | (s->s ? VMX_AR_S : 0) | VMX_AR_DPL(s->dpl) |
	       (s->present ? VMX_AR_P : 0) | (s->avl ? VMX_AR_AVL : 0) |
	       (s->l ? VMX_AR_L : 0) | (s->db ? VMX_AR_DB : 0) | (s->g ? VMX_AR_G : 0);
}

static void ar_to_seg(u32 ar, struct minivmm_segment *s)
{
	s->type = ar & 0xf;
	s->s = !!(ar & VMX_AR_S);
	s->dpl = (ar >> 5) & 3;
	s->present = !!(ar & VMX_AR_P);
	s->avl = !!(ar & VMX_AR_AVL);
	s->l = !!(ar & VMX_AR_L);
	s->db = !!(ar & VMX_AR_DB);
	s->g = !!(ar & VMX_AR_G);
	s->unusable = !!(ar & VMX_AR_UNUSABLE);
}

/* The four VMCS fields of each segment register, SDM 25.4.1. */
static const struct {
	enum vmcs_field selector, base, limit, ar;
} seg_fields[] = {
#define SEG(n) { GUEST_##n##_SELECTOR, GUEST_##n##_BASE, GUEST_##n##_LIMIT, GUEST_##n##_AR_BYTES }
	SEG(CS), SEG(DS), SEG(ES), SEG(FS), SEG(GS), SEG(SS), SEG(TR), SEG(LDTR),
#undef SEG
};

static struct minivmm_segment *sregs_seg(struct minivmm_sregs *sr, int i)
{
	struct minivmm_segment *segs[] = {
		&sr->cs, &sr->ds, &sr->es, &sr->fs, &sr->gs, &sr->ss, &sr->tr, &sr->ldt,
	};

	return segs[i];
}

static void vcpu_set_sregs(struct minivmm_vcpu *vcpu, struct minivmm_sregs *sr)
{
	int i;

	for (i = 0; i < ARRAY_SIZE(seg_fields); i++) {
		struct minivmm_segment *s = sregs_seg(sr, i);

		vmcs_write16(seg_fields[i].selector, s->selector);
		vmcs_writel(seg_fields[i].base, s->base);
		vmcs_write32(seg_fields[i].limit, s->limit);
		vmcs_write32(seg_fields[i].ar, seg_to_ar(s));
	}
	vmcs_writel(GUEST_GDTR_BASE, sr->gdt.base);
	vmcs_write32(GUEST_GDTR_LIMIT, sr->gdt.limit);
	vmcs_writel(GUEST_IDTR_BASE, sr->idt.base);
	vmcs_write32(GUEST_IDTR_LIMIT, sr->idt.limit);
	vmcs_write64(GUEST_IA32_EFER, sr->efer);
	vcpu_set_cr0(vcpu, sr->cr0);
	vcpu_set_cr4(vcpu, sr->cr4);
	vmcs_writel(GUEST_CR3, sr->cr3);
	vcpu->cr2 = sr->cr2;
}

static void vcpu_get_sregs(struct minivmm_vcpu *vcpu, struct minivmm_sregs *sr)
{
	int i;

	memset(sr, 0, sizeof(*sr));
	for (i = 0; i < ARRAY_SIZE(seg_fields); i++) {
		struct minivmm_segment *s = sregs_seg(sr, i);

		s->selector = vmcs_read16(seg_fields[i].selector);
		s->base = vmcs_readl(seg_fields[i].base);
		s->limit = vmcs_read32(seg_fields[i].limit);
		ar_to_seg(vmcs_read32(seg_fields[i].ar), s);
	}
	sr->gdt.base = vmcs_readl(GUEST_GDTR_BASE);
	sr->gdt.limit = vmcs_read32(GUEST_GDTR_LIMIT);
	sr->idt.base = vmcs_readl(GUEST_IDTR_BASE);
	sr->idt.limit = vmcs_read32(GUEST_IDTR_LIMIT);
	sr->cr0 = guest_cr0();
	sr->cr4 = guest_cr4();
	sr->cr3 = vmcs_readl(GUEST_CR3);
	sr->cr2 = vcpu->cr2;
	sr->efer = vmcs_read64(GUEST_IA32_EFER);
}

/*
 * The architectural state after INIT in real mode (SDM 10.1.1, Table 10-1),
 * with CS:IP = 0:0 so that userspace chooses where to start.
 */
static void vmcs_init_guest(struct minivmm_vcpu *vcpu)
{
	struct minivmm_sregs sr = { 0 };
	int i;

	for (i = 0; i < ARRAY_SIZE(seg_fields); i++) {
		struct minivmm_segment *s = sregs_seg(&sr, i);

		s->limit = 0xffff;
		s->present = 1;
		s->s = 1;
		s->type = 3;		/* read/write data, accessed */
	}
	sr.cs.type = 0xb;		/* execute/read code, accessed */
	sr.tr.s = 0;
	sr.tr.type = 0xb;		/* busy TSS (SDM 26.3.1.2) */
	sr.ldt.s = 0;
	sr.ldt.type = 2;		/* LDT */
	sr.gdt.limit = 0xffff;
	sr.idt.limit = 0xffff;
	sr.cr0 = X86_CR0_ET;
	vcpu_set_sregs(vcpu, &sr);

	vmcs_writel(GUEST_RFLAGS, X86_EFLAGS_FIXED);
	vmcs_writel(GUEST_RIP, 0);
	vmcs_writel(GUEST_RSP, 0);
	vmcs_writel(GUEST_DR7, 0x400);
	vmcs_write64(VMCS_LINK_POINTER, ~0ULL);	/* SDM 26.3.1.5 */
	vmcs_write64(GUEST_IA32_DEBUGCTL, 0);
	vmcs_write64(GUEST_IA32_PAT, 0x0007040600070406ULL);	/* power-up PAT */
	vmcs_write32(GUEST_INTERRUPTIBILITY_INFO, 0);
	vmcs_write32(GUEST_ACTIVITY_STATE, 0);
	vmcs_writel(GUEST_PENDING_DBG_EXCEPTIONS, 0);
	vmcs_write32(GUEST_SYSENTER_CS, 0);
	vmcs_writel(GUEST_SYSENTER_ESP, 0);
	vmcs_writel(GUEST_SYSENTER_EIP, 0);
}

/* The control and host areas, once per VCPU (SDM 25.5, 25.6-25.8). */
static void vmcs_init(struct minivmm_vcpu *vcpu)
{
	struct desc_ptr dt;
	u64 v;

	/* Control area: what traps (computed at load from the capability MSRs). */
	vmcs_write32(PIN_BASED_VM_EXEC_CONTROL, vmx_cfg.pin_based);
	vmcs_write32(CPU_BASED_VM_EXEC_CONTROL, vmx_cfg.cpu_based);
	vmcs_write32(SECONDARY_VM_EXEC_CONTROL, vmx_cfg.secondary);
	vmcs_write32(VM_EXIT_CONTROLS, vmx_cfg.exit_ctls);
	vmcs_write32(VM_ENTRY_CONTROLS, vmx_cfg.entry_ctls);
	vmcs_write32(EXCEPTION_BITMAP, 0);
	vmcs_write32(PAGE_FAULT_ERROR_CODE_MASK, 0);
	vmcs_write32(PAGE_FAULT_ERROR_CODE_MATCH, 0);
	vmcs_write32(CR3_TARGET_COUNT, 0);
	vmcs_write32(VM_EXIT_MSR_STORE_COUNT, 0);
	vmcs_write32(VM_EXIT_MSR_LOAD_COUNT, 0);
	vmcs_write32(VM_ENTRY_MSR_LOAD_COUNT, 0);
	vmcs_write32(VM_ENTRY_INTR_INFO_FIELD, 0);
	vmcs_write64(EPT_POINTER, vcpu->vm->eptp);
	if (vcpu->vpid)
		vmcs_write16(VIRTUAL_PROCESSOR_ID, vcpu->vpid);
	vmcs_write64(TSC_OFFSET, 0);
	vmcs_writel(CR0_GUEST_HOST_MASK, cr0_must1() | cr0_must0());
	vmcs_writel(CR4_GUEST_HOST_MASK, cr4_must1() | cr4_must0());

	/* Host area: where the CPU resumes after a VM exit (SDM 27.5). */
	vmcs_writel(HOST_CR0, read_cr0());
	vmcs_write16(HOST_CS_SELECTOR, __KERNEL_CS);
	vmcs_write16(HOST_SS_SELECTOR, __KERNEL_DS);
	vmcs_write16(HOST_DS_SELECTOR, 0);
	vmcs_write16(HOST_ES_SELECTOR, 0);
	vmcs_write16(HOST_FS_SELECTOR, 0);
	vmcs_write16(HOST_GS_SELECTOR, 0);
	vmcs_writel(HOST_FS_BASE, 0);	/* the RUN's thread's, see vcpu_run() */
	vmcs_write16(HOST_TR_SELECTOR, GDT_ENTRY_TSS * 8);
	store_idt(&dt);
	vmcs_writel(HOST_IDTR_BASE, dt.address);
	vmcs_writel(HOST_RIP, (unsigned long)minivmm_vmx_exit);
	rdmsrl(MSR_IA32_SYSENTER_CS, v);
	vmcs_write32(HOST_IA32_SYSENTER_CS, v);
	rdmsrl(MSR_IA32_SYSENTER_EIP, v);
	vmcs_writel(HOST_IA32_SYSENTER_EIP, v);
	rdmsrl(MSR_IA32_CR_PAT, v);
	vmcs_write64(HOST_IA32_PAT, v);
	rdmsrl(MSR_EFER, v);
	vmcs_write64(HOST_IA32_EFER, v);

	vmcs_init_guest(vcpu);
}

/* ---- Exit handlers (trap and emulate) ---- */

static void skip_instruction(struct minivmm_vcpu *vcpu)
{
	u32 intr = vmcs_read32(GUEST_INTERRUPTIBILITY_INFO);

	vcpu->insn_rip = vmcs_readl(GUEST_RIP);
	vcpu->insn_rip_valid = true;
	vmcs_writel(GUEST_RIP, vcpu->insn_rip + vmcs_read32(VM_EXIT_INSTRUCTION_LEN));
	vcpu->emulated = true;
	/* The instruction completed: blocking by STI or MOV SS ends. */
	if (intr & 3)
		vmcs_write32(GUEST_INTERRUPTIBILITY_INFO, intr & ~3);
}

/* Deliver a hardware exception at the next entry (SDM 26.6.1). */
static void inject_exception(struct minivmm_vcpu *vcpu, u8 vector, bool has_code)
{
	u32 info = vector | INTR_TYPE_HW_EXCEPTION | INTR_INFO_VALID;

	/* Real mode delivers no error code (SDM 26.2.1.3). */
	if (has_code && (vmcs_readl(GUEST_CR0) & X86_CR0_PE)) {
		info |= INTR_INFO_DELIVER_CODE;
		vmcs_write32(VM_ENTRY_EXCEPTION_ERROR_CODE, 0);
	}
	vmcs_write32(VM_ENTRY_INTR_INFO_FIELD, info);
}

static int handle_ud(struct minivmm_vcpu *vcpu)
{
	inject_exception(vcpu, UD_VECTOR, false);
	return 1;
}

static int handle_gp(struct minivmm_vcpu *vcpu)
{
	inject_exception(vcpu, GP_VECTOR, true);
	return 1;
}

static int handle_nop(struct minivmm_vcpu *vcpu)
{
	skip_instruction(vcpu);
	return 1;
}

/* The host handles the interrupt as soon as interrupts are enabled again. */
static int handle_external_interrupt(struct minivmm_vcpu *vcpu)
{
	return 1;
}

/* Stop for the debugger: RIP is where the guest stopped (SDM 27.2.1). */
static int debug_exit(struct minivmm_vcpu *vcpu, u32 exception)
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
static int handle_mtf(struct minivmm_vcpu *vcpu)
{
	return debug_exit(vcpu, DB_VECTOR);
}

static int handle_exception_nmi(struct minivmm_vcpu *vcpu)
{
	u32 info = vmcs_read32(VM_EXIT_INTR_INFO);

	if ((info & INTR_INFO_TYPE_MASK) == INTR_TYPE_NMI)
		return 1;	/* already reflected to the host in the run loop */
	/* #BP is intercepted only for a debugger (MINIVMM_GUESTDBG_SW_BP). */
	if ((info & 0xff) == BP_VECTOR && (vcpu->guest_debug & MINIVMM_GUESTDBG_SW_BP))
		return debug_exit(vcpu, BP_VECTOR);
	if ((info & 0xff) == DB_VECTOR && vcpu->step_tf) {
		/*
		 * A trap before the instruction ran (Bochs 2.7 raises one on
		 * the first entry with TF set): enter again, once, so that a
		 * jump to itself still ends the step.
		 */
		if (vmcs_readl(GUEST_RIP) == vcpu->step_rip && !vcpu->step_retried) {
			vcpu->step_retried = true;
			return 1;
		}
		return debug_exit(vcpu, DB_VECTOR);
	}
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
	skip_instruction(vcpu);
	vcpu->run->exit_reason = MINIVMM_EXIT_HLT;
	return 0;
}

/* The entry userspace set for (function, index), or NULL. */
static const struct minivmm_cpuid_entry *find_cpuid(struct minivmm_vcpu *vcpu,
						    u32 function, u32 index)
{
	unsigned int i;

	for (i = 0; i < vcpu->cpuid_nent; i++) {
		const struct minivmm_cpuid_entry *e = &vcpu->cpuid[i];

		if (e->function == function &&
		    (!(e->flags & MINIVMM_CPUID_INDEXED) || e->index == index))
			return e;
	}
	return NULL;
}

/*
 * CPUID (trapped unconditionally, SDM 26.1.2): the table userspace set, or
 * the host's answer without VMX, marked as running on a hypervisor, with
 * minivmm's signature in the hypervisor leaf.
 */
static int handle_cpuid(struct minivmm_vcpu *vcpu)
{
	u32 eax = vcpu->regs[REG_RAX], ecx = vcpu->regs[REG_RCX];
	u32 ebx, edx;

	if (vcpu->cpuid) {
		const struct minivmm_cpuid_entry *e = find_cpuid(vcpu, eax, ecx);

		vcpu->regs[REG_RAX] = e ? e->eax : 0;
		vcpu->regs[REG_RBX] = e ? e->ebx : 0;
		vcpu->regs[REG_RCX] = e ? e->ecx : 0;
		vcpu->regs[REG_RDX] = e ? e->edx : 0;
		skip_instruction(vcpu);
		return 1;
	}
	if ((eax & 0xffffff00) == MINIVMM_CPUID_SIGNATURE) {
		/*
		 * The hypervisor leaves (0x40000000-0x400000ff, a convention
		 * that hardware leaves alone): leaf 0x40000000 gives the
		 * highest one in EAX and "minivmm" in EBX, ECX, EDX, so that
		 * a guest can tell its hypercalls exist.
		 */
		bool sig = eax == MINIVMM_CPUID_SIGNATURE;

		vcpu->regs[REG_RAX] = sig ? MINIVMM_CPUID_SIGNATURE : 0;
		vcpu->regs[REG_RBX] = sig ? 0x696e696d : 0;	/* "mini" */
		vcpu->regs[REG_RCX] = sig ? 0x006d6d76 : 0;	/* "vmm\0" */
		vcpu->regs[REG_RDX] = 0;
		skip_instruction(vcpu);
		return 1;
	}
	cpuid_count(eax, ecx, &eax, &ebx, &ecx, &edx);
	if (vcpu->regs[REG_RAX] == 1) {
		ecx &= ~(BIT(5) | BIT(26) | BIT(27) | BIT(28));	/* VMX, XSAVE, OSXSAVE, AVX */
		ecx |= BIT(31);					/* hypervisor present */
	} else if (vcpu->regs[REG_RAX] == 7 && vcpu->regs[REG_RCX] == 0) {
		/* AVX2 and AVX-512 */
		ebx &= ~(BIT(5) | BIT(16) | BIT(17) | BIT(28) | BIT(30) | BIT(31));
	}
	vcpu->regs[REG_RAX] = eax;
	vcpu->regs[REG_RBX] = ebx;
	vcpu->regs[REG_RCX] = ecx;
	vcpu->regs[REG_RDX] = edx;
	skip_instruction(vcpu);
	return 1;
}

/*
 * VMCALL: the paravirtual interface (docs/hypercalls.md). MINIVMM_HC_NOP is
 * answered here, without leaving the kernel; every other number is handed
 * to userspace.
 */
static int handle_vmcall(struct minivmm_vcpu *vcpu)
{
	struct minivmm_run *run = vcpu->run;

	skip_instruction(vcpu);
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

/*
 * INS/OUTS: record what the run loop needs (SDM 27.2.5, Table 27-8: the
 * VM-exit instruction-information field gives the address size and, for
 * OUTS, the segment). The data is copied preemptibly, in string_io().
 */
static const enum vmcs_field seg_base_field[] = {
	GUEST_ES_BASE, GUEST_CS_BASE, GUEST_SS_BASE, GUEST_DS_BASE,
	GUEST_FS_BASE, GUEST_GS_BASE,
};

static int string_io_start(struct minivmm_vcpu *vcpu, unsigned long qual)
{
	struct string_io *sio = &vcpu->sio;
	u32 info = vmcs_read32(VMX_INSTRUCTION_INFO);
	unsigned int seg = (info >> 15) & 7, asz = (info >> 7) & 7;

	sio->size = (qual & 7) + 1;
	sio->in = qual & BIT(3);
	sio->rep = qual & BIT(5);
	sio->port = qual >> 16;
	sio->df = vmcs_readl(GUEST_RFLAGS) & X86_EFLAGS_DF;
	sio->addr_mask = asz == 0 ? 0xffff : asz == 1 ? 0xffffffffUL : ~0UL;
	if (sio->in)
		seg = 0;			/* INS always writes ES:[E/R]DI */
	if (seg >= ARRAY_SIZE(seg_base_field))
		return handle_ud(vcpu);
	minivmm_mmio_snapshot(vcpu, &sio->st);
	/* In 64-bit mode only FS and GS have a base (SDM Vol. 3A, 3.4.4). */
	sio->seg_base = sio->st.mode == DECODE_64 && seg < 4 ? 0 :
			vmcs_readl(seg_base_field[seg]);
	return MINIVMM_NEED_STRING_IO;
}

/* reg += delta within the instruction's address size. */
static void string_io_advance(struct string_io *sio, unsigned long *reg, long delta)
{
	*reg = (*reg & ~sio->addr_mask) | ((*reg + delta) & sio->addr_mask);
}

/*
 * Copy the data of up to one run area's worth of items and fill the IO
 * exit. A REP instruction with items left keeps its RIP and runs again.
 * Preemptible; returns 0 (exit to userspace), 1 (re-enter) or an
 * internal-error exit.
 */
static int string_io(struct minivmm_vcpu *vcpu)
{
	struct string_io *sio = &vcpu->sio;
	struct minivmm_run *run = vcpu->run;
	unsigned long *ptr = &vcpu->regs[sio->in ? REG_RDI : REG_RSI];
	u64 count = sio->rep ? vcpu->regs[REG_RCX] & sio->addr_mask : 1;
	unsigned long next_rip;
	bool done;
	u64 la;

	if (count > MINIVMM_RUN_IO_DATA_SIZE / sio->size)
		count = MINIVMM_RUN_IO_DATA_SIZE / sio->size;
	if (sio->df)
		count = min_t(u64, count, 1);	/* backwards: one item per exit */
	la = sio->seg_base + (*ptr & sio->addr_mask);
	if (sio->st.mode != DECODE_64)
		la = (u32)la;

	preempt_disable();
	vcpu_vmcs_load(vcpu);
	next_rip = vmcs_readl(GUEST_RIP);
	done = !sio->rep || (vcpu->regs[REG_RCX] & sio->addr_mask) <= count;
	if (done)
		skip_instruction(vcpu);
	preempt_enable();
	if (!count)
		return 1;			/* REP with RCX = 0: nothing to do */

	run->exit_reason = MINIVMM_EXIT_IO;
	run->io.direction = sio->in ? MINIVMM_IO_IN : MINIVMM_IO_OUT;
	run->io.size = sio->size;
	run->io.port = sio->port;
	run->io.count = count;
	run->io.data_offset = MINIVMM_RUN_IO_DATA_OFFSET;
	sio->count = count;
	sio->la = la;
	if (sio->in) {
		vcpu->pending = MINIVMM_PENDING_INS;
		return 0;
	}
	if (minivmm_guest_rw(vcpu, &sio->st, la, (u8 *)run + MINIVMM_RUN_IO_DATA_OFFSET,
			     count * sio->size, false)) {
		preempt_disable();
		vcpu_vmcs_load(vcpu);
		vmcs_writel(GUEST_RIP, next_rip);	/* not done after all */
		minivmm_exit_internal(vcpu, MINIVMM_INTERNAL_EMULATION, la, sio->port);
		preempt_enable();
		return 0;
	}
	string_io_advance(sio, ptr, sio->df ? -(long)(count * sio->size) : count * sio->size);
	if (sio->rep)
		string_io_advance(sio, &vcpu->regs[REG_RCX], -(long)count);
	return 0;
}

/* INS completes: the data userspace supplied goes to guest memory. */
static void string_io_complete_in(struct minivmm_vcpu *vcpu)
{
	struct string_io *sio = &vcpu->sio;

	/* Memory that vanished since the exit: the data is dropped. */
	minivmm_guest_rw(vcpu, &sio->st, sio->la,
			 (u8 *)vcpu->run + MINIVMM_RUN_IO_DATA_OFFSET,
			 sio->count * sio->size, true);
	string_io_advance(sio, &vcpu->regs[REG_RDI],
			  sio->df ? -(long)(sio->count * sio->size) : sio->count * sio->size);
	if (sio->rep)
		string_io_advance(sio, &vcpu->regs[REG_RCX], -(long)sio->count);
}

/* I/O instruction, exit qualification in SDM 27.2.1, Table 27-5. */
static int handle_io(struct minivmm_vcpu *vcpu)
{
	unsigned long qual = vmcs_readl(EXIT_QUALIFICATION);
	struct minivmm_run *run = vcpu->run;
	unsigned int size = (qual & 7) + 1;
	bool in = qual & BIT(3);

	if (qual & BIT(4))
		return string_io_start(vcpu, qual);
	run->exit_reason = MINIVMM_EXIT_IO;
	run->io.direction = in ? MINIVMM_IO_IN : MINIVMM_IO_OUT;
	run->io.size = size;
	run->io.port = qual >> 16;
	run->io.count = 1;
	run->io.data_offset = MINIVMM_RUN_IO_DATA_OFFSET;
	if (in) {
		vcpu->pending = MINIVMM_PENDING_IN;
		vcpu->pending_size = size;
	} else {
		memcpy((u8 *)run + MINIVMM_RUN_IO_DATA_OFFSET,
		       &vcpu->regs[REG_RAX], size);
	}
	skip_instruction(vcpu);
	return 0;
}

/* An IN completes when userspace has put the data in the run area. */
static void complete_pending(struct minivmm_vcpu *vcpu)
{
	u8 *data = (u8 *)vcpu->run + MINIVMM_RUN_IO_DATA_OFFSET;
	unsigned long *rax = &vcpu->regs[REG_RAX];

	switch (vcpu->pending) {
	case MINIVMM_PENDING_IN:
		if (vcpu->pending_size == 4)
			*rax = *(u32 *)data;	/* a 32-bit result zero-extends */
		else if (vcpu->pending_size == 2)
			*rax = (*rax & ~0xffffUL) | *(u16 *)data;
		else
			*rax = (*rax & ~0xffUL) | *data;
		break;
	case MINIVMM_PENDING_HYPERCALL:
		*rax = vcpu->run->hypercall.ret;
		break;
	case MINIVMM_PENDING_MMIO_READ:
		minivmm_mmio_complete_read(vcpu);
		break;
	case MINIVMM_PENDING_INS:
		string_io_complete_in(vcpu);
		break;
	case MINIVMM_PENDING_NONE:
		break;
	}
	vcpu->pending = MINIVMM_PENDING_NONE;
}

static unsigned long *gpr(struct minivmm_vcpu *vcpu, int reg)
{
	return &vcpu->regs[reg];
}

/* MOV to/from CR, CLTS, LMSW: exit qualification in SDM 27.2.1, Table 27-3. */
static int handle_cr(struct minivmm_vcpu *vcpu)
{
	unsigned long qual = vmcs_readl(EXIT_QUALIFICATION);
	int cr = qual & 15, type = (qual >> 4) & 3, reg = (qual >> 8) & 15;
	unsigned long val;

	if (type == 0 || type == 1) {
		if (reg == REG_RSP)
			val = vmcs_readl(GUEST_RSP);
		else
			val = *gpr(vcpu, reg);
	}
	switch (type) {
	case 0:				/* MOV to CR */
		if (cr == 0) {
			if (!cr0_valid(val))
				return handle_gp(vcpu);
			vcpu_set_cr0(vcpu, val);
		} else if (cr == 4) {
			if (!cr4_valid(val))
				return handle_gp(vcpu);
			vcpu_set_cr4(vcpu, val);
		} else if (cr == 3) {
			/* Bits above MAXPHYADDR are reserved; bit 63 is no-flush with PCIDE. */
			if (guest_cr4() & X86_CR4_PCIDE)
				val &= ~BIT_ULL(63);
			if (val >> boot_cpu_data.x86_phys_bits)
				return handle_gp(vcpu);
			vmcs_writel(GUEST_CR3, val);
		} else {
			return handle_ud(vcpu);
		}
		break;
	case 1:				/* MOV from CR */
		val = cr == 3 ? vmcs_readl(GUEST_CR3) : 0;
		if (cr != 3)
			return handle_ud(vcpu);
		if (reg == REG_RSP)
			vmcs_writel(GUEST_RSP, val);
		else
			*gpr(vcpu, reg) = val;
		break;
	case 2:				/* CLTS */
		vcpu_set_cr0(vcpu, guest_cr0() & ~X86_CR0_TS);
		break;
	default:			/* LMSW: bits 3:0 of CR0, PE cannot be cleared */
		val = (qual >> 16) & 0xf;
		val |= guest_cr0() & (~0xfUL | X86_CR0_PE);
		vcpu_set_cr0(vcpu, val);
		break;
	}
	skip_instruction(vcpu);
	return 1;
}

/*
 * The MSRs a guest and userspace may use (include/uapi/linux/minivmm.h).
 * Returns 0, or -1 for an MSR minivmm does not support or a value the MSR
 * does not take. VMCS loaded.
 */
static int vcpu_get_msr(struct minivmm_vcpu *vcpu, u32 index, u64 *data)
{
	switch (index) {
	case MSR_IA32_TSC:
		*data = rdtsc();
		return 0;
	case MSR_IA32_SYSENTER_CS:
		*data = vmcs_read32(GUEST_SYSENTER_CS);
		return 0;
	case MSR_IA32_SYSENTER_ESP:
		*data = vmcs_readl(GUEST_SYSENTER_ESP);
		return 0;
	case MSR_IA32_SYSENTER_EIP:
		*data = vmcs_readl(GUEST_SYSENTER_EIP);
		return 0;
	case MSR_IA32_MISC_ENABLE:
		*data = MSR_IA32_MISC_ENABLE_FAST_STRING;
		return 0;
	case MSR_IA32_CR_PAT:
		*data = vmcs_read64(GUEST_IA32_PAT);
		return 0;
	case MSR_EFER:
		*data = vmcs_read64(GUEST_IA32_EFER);
		return 0;
	case MSR_FS_BASE:
		*data = vmcs_readl(GUEST_FS_BASE);
		return 0;
	case MSR_GS_BASE:
		*data = vmcs_readl(GUEST_GS_BASE);
		return 0;
	case MSR_KERNEL_GS_BASE:
		if (vcpu->in_run)
			rdmsrl(MSR_KERNEL_GS_BASE, *data);
		else
			*data = vcpu->guest_kernel_gs_base;
		return 0;
	}
	return -1;
}

/* Memory types a PAT entry may hold (SDM Vol. 3A, 13.12.2): 0, 1, 4-7. */
static bool pat_valid(u64 pat)
{
	int i;

	for (i = 0; i < 8; i++) {
		u8 t = pat >> (8 * i);

		if (t > 7 || t == 2 || t == 3)
			return false;
	}
	return true;
}

static int vcpu_set_msr(struct minivmm_vcpu *vcpu, u32 index, u64 data)
{
	switch (index) {
	case MSR_IA32_SYSENTER_CS:
		vmcs_write32(GUEST_SYSENTER_CS, data);
		return 0;
	/* Intel CPUs keep these canonical rather than fault (as KVM does). */
	case MSR_IA32_SYSENTER_ESP:
		vmcs_writel(GUEST_SYSENTER_ESP, (s64)(data << 16) >> 16);
		return 0;
	case MSR_IA32_SYSENTER_EIP:
		vmcs_writel(GUEST_SYSENTER_EIP, (s64)(data << 16) >> 16);
		return 0;
	case MSR_IA32_MISC_ENABLE:
		return data == MSR_IA32_MISC_ENABLE_FAST_STRING ? 0 : -1;
	case MSR_IA32_CR_PAT:
		if (!pat_valid(data))
			return -1;
		vmcs_write64(GUEST_IA32_PAT, data);
		return 0;
	case MSR_EFER:
		/* SCE, LME, LMA and NXE only; LMA follows CR0.PG and LME. */
		if (data & ~(u64)(EFER_SCE | EFER_LME | EFER_LMA | EFER_NX))
			return -1;
		vmcs_write64(GUEST_IA32_EFER, data);
		vcpu_set_cr0(vcpu, guest_cr0());
		return 0;
	case MSR_FS_BASE:
		/* A non-canonical base faults in WRMSR (and fails VM entry). */
		if (!is_canonical(data))
			return -1;
		vmcs_writel(GUEST_FS_BASE, data);
		return 0;
	case MSR_GS_BASE:
		if (!is_canonical(data))
			return -1;
		vmcs_writel(GUEST_GS_BASE, data);
		return 0;
	case MSR_KERNEL_GS_BASE:
		if (!is_canonical(data))
			return -1;
		if (vcpu->in_run)
			wrmsrl(MSR_KERNEL_GS_BASE, data);
		else
			vcpu->guest_kernel_gs_base = data;
		return 0;
	}
	return -1;
}

/* RDMSR and WRMSR: ECX names the MSR, EDX:EAX holds the value (SDM Vol. 2). */
static int handle_rdmsr(struct minivmm_vcpu *vcpu)
{
	u64 data;

	if (vcpu_get_msr(vcpu, vcpu->regs[REG_RCX], &data))
		return handle_gp(vcpu);
	vcpu->regs[REG_RAX] = (u32)data;
	vcpu->regs[REG_RDX] = data >> 32;
	skip_instruction(vcpu);
	return 1;
}

static int handle_wrmsr(struct minivmm_vcpu *vcpu)
{
	u64 data = (vcpu->regs[REG_RDX] << 32) | (u32)vcpu->regs[REG_RAX];

	if (vcpu_set_msr(vcpu, vcpu->regs[REG_RCX], data))
		return handle_gp(vcpu);
	skip_instruction(vcpu);
	return 1;
}

/* XSETBV: only x87 and SSE state may be enabled (AVX is not offered). */
static int handle_xsetbv(struct minivmm_vcpu *vcpu)
{
	u64 v = (vcpu->regs[REG_RDX] << 32) | (u32)vcpu->regs[REG_RAX];

	if ((u32)vcpu->regs[REG_RCX] != 0 || !(v & 1) || (v & ~3ULL))
		return handle_gp(vcpu);
	skip_instruction(vcpu);
	return 1;
}

static int handle_ept_violation(struct minivmm_vcpu *vcpu)
{
	vcpu->fault_gpa = vmcs_read64(GUEST_PHYSICAL_ADDRESS);
	vcpu->fault_write = vmcs_readl(EXIT_QUALIFICATION) & BIT(1);
	return MINIVMM_NEED_FAULT_IN;
}

static int handle_invalid_state(struct minivmm_vcpu *vcpu)
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
 * userspace, MINIVMM_NEED_FAULT_IN for the run loop, or a negative errno.
 */
static int (*const exit_handlers[])(struct minivmm_vcpu *vcpu) = {
	[EXIT_REASON_EXCEPTION_NMI]	= handle_exception_nmi,
	[EXIT_REASON_EXTERNAL_INTERRUPT] = handle_external_interrupt,
	[EXIT_REASON_TRIPLE_FAULT]	= handle_triple_fault,
	[EXIT_REASON_CPUID]		= handle_cpuid,
	[EXIT_REASON_HLT]		= handle_hlt,
	[EXIT_REASON_INVD]		= handle_nop,
	[EXIT_REASON_VMCALL]		= handle_vmcall,
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
	[EXIT_REASON_IO_INSTRUCTION]	= handle_io,
	[EXIT_REASON_MSR_READ]		= handle_rdmsr,
	[EXIT_REASON_MSR_WRITE]		= handle_wrmsr,
	[EXIT_REASON_INVALID_STATE]	= handle_invalid_state,
	[EXIT_REASON_MSR_LOAD_FAIL]	= handle_invalid_state,
	[EXIT_REASON_MWAIT]		= handle_ud,
	[EXIT_REASON_MTF]		= handle_mtf,
	[EXIT_REASON_MONITOR]		= handle_ud,
	[EXIT_REASON_MCE_DURING_ENTRY]	= handle_invalid_state,
	[EXIT_REASON_EPT_VIOLATION]	= handle_ept_violation,
	[EXIT_REASON_INVEPT]		= handle_ud,
	[EXIT_REASON_INVVPID]		= handle_ud,
	[EXIT_REASON_WBINVD]		= handle_nop,
	[EXIT_REASON_XSETBV]		= handle_xsetbv,
	[EXIT_REASON_PREEMPTION_TIMER]	= handle_external_interrupt,
	[EXIT_REASON_VMFUNC]		= handle_ud,
};

int minivmm_exit_internal(struct minivmm_vcpu *vcpu, u32 suberror, u64 d0, u64 d1)
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

static int handle_exit(struct minivmm_vcpu *vcpu)
{
	u32 basic = vcpu->exit_reason & 0xffff;

	/* A failed entry is checked first (SDM 26.8): bit 31 of the reason. */
	if (vcpu->exit_reason & VMX_EXIT_REASON_FAILED_ENTRY)
		return handle_invalid_state(vcpu);
	if (basic < ARRAY_SIZE(exit_handlers) && exit_handlers[basic])
		return exit_handlers[basic](vcpu);
	dump_vmcs_once(vcpu);
	return minivmm_exit_internal(vcpu, MINIVMM_INTERNAL_UNKNOWN_EXIT, basic,
				     vmcs_readl(EXIT_QUALIFICATION));
}

/* ---- The run loop: VMX root mode <-> non-root mode ---- */

/*
 * Host state that VM exit does not restore (SDM 27.5) and that the kernel
 * does not need until it may sleep or return to userspace: the FPU/SSE
 * registers (the guest's are loaded, under kernel_fpu_begin(), with XCR0 =
 * x87|SSE) and the DS, ES, FS and GS selectors. It is switched once for a
 * run of exits handled in the kernel, not at every exit.
 */
struct host_state {
	u16 ds, es, fs, gs;
	u64 xcr0;		/* 0: no XSAVE */
};

static void guest_fpu_load(struct minivmm_vcpu *vcpu, struct host_state *h)
{
	kernel_fpu_begin();
	h->xcr0 = 0;
	if (boot_cpu_has(X86_FEATURE_XSAVE)) {
		h->xcr0 = xgetbv(XCR_XFEATURE_ENABLED_MASK);
		if (h->xcr0 != 3)
			xsetbv(XCR_XFEATURE_ENABLED_MASK, 3);
	}
	asm volatile("fxrstor64 %0" : : "m" (*vcpu->guest_fpu));
	savesegment(ds, h->ds);
	savesegment(es, h->es);
	savesegment(fs, h->fs);
	savesegment(gs, h->gs);
}

static void guest_fpu_put(struct minivmm_vcpu *vcpu, struct host_state *h)
{
	loadsegment(ds, h->ds);
	loadsegment(es, h->es);
	/* VM exit left FS and GS null with the bases from the host area. */
	if (h->fs) {
		loadsegment(fs, h->fs);
		wrmsrl(MSR_FS_BASE, vcpu->host_fs_base);
	}
	if (h->gs)
		load_gs_index(h->gs);
	/* VM exit set the TR limit to 0x67 (SDM 27.5.2). */
	invalidate_tss_limit();
	asm volatile("fxsave64 %0" : "=m" (*vcpu->guest_fpu));
	if (h->xcr0 && h->xcr0 != 3)
		xsetbv(XCR_XFEATURE_ENABLED_MASK, h->xcr0);
	kernel_fpu_end();
}

/*
 * One guest instruction, then a single-step #DB (SDM Vol. 3A, 18.3.1.4).
 * After STI or MOV SS the entry checks want that trap already pending
 * (SDM 26.3.1.5, BS bit): the step then ends before the next instruction.
 */
static void step_tf_set(struct minivmm_vcpu *vcpu)
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
 * One VM entry and the VM exit that ends it, with interrupts off, between
 * guest_fpu_load() and guest_fpu_put(). Returns 1 if the entry failed.
 */
static int vcpu_enter_guest(struct minivmm_vcpu *vcpu)
{
	unsigned long cr;
	int fail;

	cr = __read_cr3();
	if (cr != vcpu->host_cr3) {
		vcpu->host_cr3 = cr;
		vmcs_writel(HOST_CR3, cr);
	}
	cr = cr4_read_shadow();
	if (cr != vcpu->host_cr4) {
		vcpu->host_cr4 = cr;
		vmcs_writel(HOST_CR4, cr);
	}

	/*
	 * The VMX-preemption timer (SDM 26.5.1) bounds how long the guest runs
	 * without an exit, so that the run loop sees signals and the host's
	 * interrupts even if an emulator fails to exit on them. It counts
	 * down at the TSC rate shifted right by IA32_VMX_MISC[4:0].
	 */
	if (vmx_cfg.pin_based & PIN_BASED_PREEMPTION_TIMER)
		vmcs_write32(VMX_PREEMPTION_TIMER_VALUE, vmx_cfg.preemption_ticks);

	local_irq_disable();
	if (native_read_cr2() != vcpu->cr2)
		native_write_cr2(vcpu->cr2);

	if (trace_minivmm_entry_enabled())
		trace_minivmm_entry(vcpu->id, vmcs_readl(GUEST_RIP));
	if (vcpu->step_tf)
		step_tf_set(vcpu);
	vcpu->emulated = false;
	minivmm_prof(vcpu, PROF_ENTRY);
	fail = minivmm_vmx_enter(vcpu->regs, vcpu->launched);
	minivmm_prof(vcpu, PROF_GUEST);

	vcpu->cr2 = native_read_cr2();
	vcpu->insn_rip_valid = false;
	if (fail) {
		vcpu->exit_reason = ~0U;
		vcpu->stats.failed_entries++;
	} else {
		vcpu->launched = true;
		vcpu->exit_reason = vmcs_read32(VM_EXIT_REASON);
		vcpu_count_exit(vcpu);
		if (vcpu->step_tf && !vcpu->guest_tf)
			vmcs_writel(GUEST_RFLAGS, vmcs_readl(GUEST_RFLAGS) & ~X86_EFLAGS_TF);
		if (trace_minivmm_exit_enabled())
			trace_minivmm_exit(vcpu->id, vcpu->exit_reason,
					   vmcs_readl(GUEST_RIP),
					   vmcs_readl(EXIT_QUALIFICATION));
		/* An NMI that caused the exit belongs to the host: raise it again. */
		if ((vcpu->exit_reason & 0xffff) == EXIT_REASON_EXCEPTION_NMI &&
		    (vmcs_read32(VM_EXIT_INTR_INFO) & INTR_INFO_TYPE_MASK) == INTR_TYPE_NMI)
			apic->send_IPI_self(NMI_VECTOR);
	}
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

	preempt_disable();
	vcpu_vmcs_load(vcpu);
	minivmm_mmio_snapshot(vcpu, &st);
	st.rsp = vmcs_readl(GUEST_RSP);
	preempt_enable();

	r = minivmm_mmio_prepare(vcpu, &st, vcpu->fault_gpa);
	if (!r && vcpu->run->exit_reason == MINIVMM_EXIT_MMIO) {
		/* The access is done (or will be, by the next RUN): move on. */
		preempt_disable();
		vcpu_vmcs_load(vcpu);
		vmcs_writel(GUEST_RIP, vcpu->mmio_next_rip);
		vcpu->emulated = true;
		vcpu->insn_rip = st.rip;
		vcpu->insn_rip_valid = true;
		preempt_enable();
	}
	return r;
}

static long vcpu_run(struct minivmm_vcpu *vcpu)
{
	struct minivmm_run *run = vcpu->run;
	struct host_state host;
	int r;

	minivmm_prof(vcpu, PROF_USER);
	vcpu->stats.runs++;
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
			vcpu->emulated = false;
			preempt_disable();
			vcpu_vmcs_load(vcpu);
			r = debug_exit(vcpu, DB_VECTOR);
			preempt_enable();
			break;
		}
		cond_resched();

		preempt_disable();
		vcpu_vmcs_load(vcpu);
		/* Per thread: the last RUN may have come from another. */
		if (vcpu->host_fs_base != vcpu->vmcs_host_fs_base) {
			vcpu->vmcs_host_fs_base = vcpu->host_fs_base;
			vmcs_writel(HOST_FS_BASE, vcpu->host_fs_base);
		}
		guest_fpu_load(vcpu, &host);
		do {
			if (vcpu_enter_guest(vcpu)) {
				r = vcpu_fail_entry(vcpu);
				break;
			}
			r = handle_exit(vcpu);
			minivmm_prof(vcpu, PROF_HANDLE);
		} while (r == 1 && vcpu_reenter_at_once(vcpu));
		guest_fpu_put(vcpu, &host);
		preempt_enable();

		if (r == MINIVMM_NEED_STRING_IO) {
			r = string_io(vcpu);
			minivmm_prof(vcpu, PROF_HANDLE);
		} else if (r == MINIVMM_NEED_FAULT_IN) {
			/* Preemptible: pinning the page may sleep. */
			r = minivmm_ept_fault(vcpu->vm, vcpu->fault_gpa, vcpu->fault_write);
			if (r == 1) {
				r = vcpu_mmio(vcpu);
				vcpu->stats.mmio_exits++;
			} else if (r == 0) {
				r = 1;
				vcpu->stats.ept_faults_in++;
			}
			minivmm_prof(vcpu, PROF_HANDLE);
		}
		if (r <= 0)
			break;
	}

	preempt_disable();
	if (r == 0) {
		if (!vcpu->insn_rip_valid) {
			vcpu_vmcs_load(vcpu);
			vcpu->insn_rip = vmcs_readl(GUEST_RIP);
		}
		run->exit_rip = vcpu->insn_rip;
	}
	rdmsrl(MSR_KERNEL_GS_BASE, vcpu->guest_kernel_gs_base);
	wrmsrl(MSR_KERNEL_GS_BASE, vcpu->host_kernel_gs_base);
	vcpu->in_run = false;
	preempt_enable();
	/* VM exits left the GDT limit at 0xffff (SDM 27.5.2): restore it. */
	load_fixmap_gdt(raw_smp_processor_id());
	if (r == 0)
		vcpu->stats.userspace_exits++;
	else if (r == -EINTR)
		vcpu->stats.signal_exits++;
	if (r == 0 || r == -EINTR)
		trace_minivmm_userspace_exit(vcpu->id, run->exit_reason);
	minivmm_prof(vcpu, PROF_RETURN);
	return r;
}

/* ---- The VCPU fd ---- */

/*
 * MINIVMM_SET_GUEST_DEBUG: the monitor trap flag for single steps (SDM
 * 26.5.2), or RFLAGS.TF and #DB in the exception bitmap where there is no
 * MTF; #BP in the exception bitmap for INT3 (SDM 25.6.3).
 */
static long vcpu_set_guest_debug(struct minivmm_vcpu *vcpu, void __user *argp)
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
	vcpu_get(vcpu);
	cpu_based = vmcs_read32(CPU_BASED_VM_EXEC_CONTROL) & ~CPU_BASED_MTF;
	if ((d.flags & MINIVMM_GUESTDBG_SINGLESTEP) && vmx_cfg.mtf)
		cpu_based |= CPU_BASED_MTF;
	vmcs_write32(CPU_BASED_VM_EXEC_CONTROL, cpu_based);
	vmcs_write32(EXCEPTION_BITMAP,
		     ((d.flags & MINIVMM_GUESTDBG_SW_BP) ? BIT(BP_VECTOR) : 0) |
		     (vcpu->step_tf ? BIT(DB_VECTOR) : 0));
	vcpu_put(vcpu);
	return 0;
}

/* MINIVMM_GET_STATS. Called with vcpu->mutex held. */
static long vcpu_get_stats(struct minivmm_vcpu *vcpu, void __user *argp)
{
	struct minivmm_vm *vm = vcpu->vm;

	mutex_lock(&vm->lock);
	vcpu->stats.vm_pinned_pages = vm->pinned_pages;
	mutex_unlock(&vm->lock);
	return copy_to_user(argp, &vcpu->stats, sizeof(vcpu->stats)) ? -EFAULT : 0;
}

/* MINIVMM_GET_MSRS and MINIVMM_SET_MSRS. Called with vcpu->mutex held. */
static long vcpu_msrs(struct minivmm_vcpu *vcpu, void __user *argp, bool set)
{
	struct minivmm_msr_entry __user *ue;
	struct minivmm_msr_entry e;
	struct minivmm_msrs m;
	unsigned int i;
	int r;

	if (copy_from_user(&m, argp, sizeof(m)))
		return -EFAULT;
	if (m.padding)
		return -EINVAL;
	if (m.nmsrs > MINIVMM_MAX_MSR_ENTRIES)
		return -E2BIG;
	ue = u64_to_user_ptr(m.entries);
	for (i = 0; i < m.nmsrs; i++) {
		if (copy_from_user(&e, &ue[i], sizeof(e)))
			return -EFAULT;
		if (e.padding)
			return -EINVAL;
		vcpu_get(vcpu);
		r = set ? vcpu_set_msr(vcpu, e.index, e.data) :
			  vcpu_get_msr(vcpu, e.index, &e.data);
		vcpu_put(vcpu);
		if (r)
			break;
		if (!set && copy_to_user(&ue[i].data, &e.data, sizeof(e.data)))
			return -EFAULT;
	}
	return i;
}

/* MINIVMM_SET_CPUID. Called with vcpu->mutex held. */
static long vcpu_set_cpuid(struct minivmm_vcpu *vcpu, void __user *argp)
{
	struct minivmm_cpuid_entry *e = NULL;
	struct minivmm_cpuid c;
	unsigned int i;

	if (copy_from_user(&c, argp, sizeof(c)))
		return -EFAULT;
	if (c.padding)
		return -EINVAL;
	if (c.nent > MINIVMM_MAX_CPUID_ENTRIES)
		return -E2BIG;
	if (c.nent) {
		e = kvmalloc_array(c.nent, sizeof(*e), GFP_KERNEL_ACCOUNT);
		if (!e)
			return -ENOMEM;
		if (copy_from_user(e, u64_to_user_ptr(c.entries), c.nent * sizeof(*e))) {
			kvfree(e);
			return -EFAULT;
		}
		for (i = 0; i < c.nent; i++)
			if ((e[i].flags & ~MINIVMM_CPUID_INDEXED) || e[i].padding) {
				kvfree(e);
				return -EINVAL;
			}
	}
	kvfree(vcpu->cpuid);
	vcpu->cpuid = e;
	vcpu->cpuid_nent = c.nent;
	return 0;
}

static long vcpu_regs_ioctl(struct minivmm_vcpu *vcpu, unsigned int ioctl,
			    void __user *argp)
{
	struct minivmm_sregs sr;
	struct minivmm_regs r;

	switch (ioctl) {
	case MINIVMM_GET_REGS:
		memset(&r, 0, sizeof(r));
		r.rax = vcpu->regs[REG_RAX];
		r.rbx = vcpu->regs[REG_RBX];
		r.rcx = vcpu->regs[REG_RCX];
		r.rdx = vcpu->regs[REG_RDX];
		r.rsi = vcpu->regs[REG_RSI];
		r.rdi = vcpu->regs[REG_RDI];
		r.rbp = vcpu->regs[REG_RBP];
		r.r8 = vcpu->regs[REG_R8];
		r.r9 = vcpu->regs[REG_R9];
		r.r10 = vcpu->regs[REG_R10];
		r.r11 = vcpu->regs[REG_R11];
		r.r12 = vcpu->regs[REG_R12];
		r.r13 = vcpu->regs[REG_R13];
		r.r14 = vcpu->regs[REG_R14];
		r.r15 = vcpu->regs[REG_R15];
		vcpu_get(vcpu);
		r.rsp = vmcs_readl(GUEST_RSP);
		r.rip = vmcs_readl(GUEST_RIP);
		r.rflags = vmcs_readl(GUEST_RFLAGS);
		vcpu_put(vcpu);
		return copy_to_user(argp, &r, sizeof(r)) ? -EFAULT : 0;
	case MINIVMM_SET_REGS:
		if (copy_from_user(&r, argp, sizeof(r)))
			return -EFAULT;
		vcpu->regs[REG_RAX] = r.rax;
		vcpu->regs[REG_RBX] = r.rbx;
		vcpu->regs[REG_RCX] = r.rcx;
		vcpu->regs[REG_RDX] = r.rdx;
		vcpu->regs[REG_RSI] = r.rsi;
		vcpu->regs[REG_RDI] = r.rdi;
		vcpu->regs[REG_RBP] = r.rbp;
		vcpu->regs[REG_R8] = r.r8;
		vcpu->regs[REG_R9] = r.r9;
		vcpu->regs[REG_R10] = r.r10;
		vcpu->regs[REG_R11] = r.r11;
		vcpu->regs[REG_R12] = r.r12;
		vcpu->regs[REG_R13] = r.r13;
		vcpu->regs[REG_R14] = r.r14;
		vcpu->regs[REG_R15] = r.r15;
		vcpu_get(vcpu);
		vmcs_writel(GUEST_RSP, r.rsp);
		vmcs_writel(GUEST_RIP, r.rip);
		/* Bit 1 of RFLAGS is fixed to 1 (SDM 26.3.1.4). */
		vmcs_writel(GUEST_RFLAGS, r.rflags | X86_EFLAGS_FIXED);
		vcpu_put(vcpu);
		return 0;
	case MINIVMM_GET_SREGS:
		vcpu_get(vcpu);
		vcpu_get_sregs(vcpu, &sr);
		vcpu_put(vcpu);
		return copy_to_user(argp, &sr, sizeof(sr)) ? -EFAULT : 0;
	case MINIVMM_SET_SREGS:
		if (copy_from_user(&sr, argp, sizeof(sr)))
			return -EFAULT;
		if (!cr4_valid(sr.cr4))
			return -EINVAL;
		vcpu_get(vcpu);
		vcpu_set_sregs(vcpu, &sr);
		vcpu_put(vcpu);
		return 0;
	case MINIVMM_SET_CPUID:
		return vcpu_set_cpuid(vcpu, argp);
	case MINIVMM_GET_STATS:
		return vcpu_get_stats(vcpu, argp);
	case MINIVMM_SET_GUEST_DEBUG:
		return vcpu_set_guest_debug(vcpu, argp);
	case MINIVMM_GET_MSRS:
		return vcpu_msrs(vcpu, argp, false);
	case MINIVMM_SET_MSRS:
		return vcpu_msrs(vcpu, argp, true);
	}
	return -ENOTTY;
}

static long vcpu_ioctl(struct file *filp, unsigned int ioctl, unsigned long arg)
{
	struct minivmm_vcpu *vcpu = filp->private_data;
	long r;

	if (vcpu->vm->mm != current->mm)
		return -EIO;
	if (mutex_lock_killable(&vcpu->mutex))
		return -EINTR;
	if (ioctl == MINIVMM_RUN)
		r = arg ? -EINVAL : vcpu_run(vcpu);
	else
		r = vcpu_regs_ioctl(vcpu, ioctl, (void __user *)arg);
	mutex_unlock(&vcpu->mutex);
	return r;
}

static vm_fault_t vcpu_fault(struct vm_fault *vmf)
{
	struct minivmm_vcpu *vcpu = vmf->vma->vm_file->private_data;

	if (vmf->pgoff != 0)
		return VM_FAULT_SIGBUS;
	vmf->page = virt_to_page(vcpu->run);
	get_page(vmf->page);
	return 0;
}

static const struct vm_operations_struct vcpu_vm_ops = {
	.fault = vcpu_fault,
};

static int vcpu_mmap(struct file *filp, struct vm_area_struct *vma)
{
	struct minivmm_vcpu *vcpu = filp->private_data;

	/*
	 * The run area carries guest data (I/O and MMIO exits): like the
	 * ioctls, it is only for the VM's own process. KVM allows this mmap.
	 */
	if (vcpu->vm->mm != current->mm)
		return -EIO;
	if (vma->vm_pgoff != 0 || vma_pages(vma) != 1)
		return -EINVAL;
	/*
	 * VM_DONTEXPAND: mremap() cannot grow the run area, and mmap() cannot
	 * merge a mapping of offset 4096 into it without asking this driver.
	 */
#ifdef MINIVMM_HAVE_VM_FLAGS_SET
	vm_flags_set(vma, VM_DONTEXPAND);
#else
	vma->vm_flags |= VM_DONTEXPAND;
#endif
	vma->vm_ops = &vcpu_vm_ops;
	return 0;
}

static void vcpu_free(struct minivmm_vcpu *vcpu)
{
	vcpu_vmcs_clear(vcpu);
	if (vcpu->vpid) {
		vmx_invvpid_all(vcpu->vpid);
		ida_free(&vpid_ida, vcpu->vpid);
	}
	if (vcpu->vmcs) {
		__free_page(vcpu->vmcs);
		atomic_dec(&minivmm_stats.vmcs);
	}
	free_page((unsigned long)vcpu->run);
	kvfree(vcpu->cpuid);
	kfree(vcpu->guest_fpu);
	kfree(vcpu);
}

static int vcpu_release(struct inode *inode, struct file *filp)
{
	struct minivmm_vcpu *vcpu = filp->private_data;
	struct minivmm_vm *vm = vcpu->vm;

	mutex_lock(&vm->lock);
	vm->vcpus[vcpu->id] = NULL;
	mutex_unlock(&vm->lock);
	vcpu_free(vcpu);
	minivmm_vm_put(vm);
	return 0;
}

static const struct file_operations vcpu_fops = {
	.owner = THIS_MODULE,
	.release = vcpu_release,
	.unlocked_ioctl = vcpu_ioctl,
	.compat_ioctl = compat_ptr_ioctl,
	.mmap = vcpu_mmap,
	.llseek = noop_llseek,
};

/* MINIVMM_CREATE_VCPU. */
int minivmm_vcpu_create(struct minivmm_vm *vm, unsigned long id)
{
	struct minivmm_vcpu *vcpu;
	int r;

	if (id >= MINIVMM_MAX_VCPUS)
		return -EINVAL;
	vcpu = kzalloc(sizeof(*vcpu), GFP_KERNEL_ACCOUNT);
	if (!vcpu)
		return -ENOMEM;
	vcpu->vm = vm;
	vcpu->id = id;
	vcpu->cpu = -1;
	vcpu->last_cpu = -1;
	mutex_init(&vcpu->mutex);

	r = -ENOMEM;
	vcpu->run = (struct minivmm_run *)get_zeroed_page(GFP_KERNEL_ACCOUNT);
	vcpu->guest_fpu = kzalloc(sizeof(*vcpu->guest_fpu), GFP_KERNEL_ACCOUNT);
	vcpu->vmcs = alloc_page(GFP_KERNEL_ACCOUNT | __GFP_ZERO);
	if (!vcpu->run || !vcpu->guest_fpu || !vcpu->vmcs)
		goto out_free;
	atomic_inc(&minivmm_stats.vmcs);
	/* FNINIT state and the power-up MXCSR (SDM Vol. 1, 10.2.3). */
	vcpu->guest_fpu->cwd = 0x37f;
	vcpu->guest_fpu->mxcsr = 0x1f80;
	/* The VMCS region starts with the revision identifier (SDM 25.2). */
	*(u32 *)page_address(vcpu->vmcs) = vmx_cfg.revision_id;

	if (cpu_has_vpid()) {
		r = ida_alloc_range(&vpid_ida, 1, 0xffff, GFP_KERNEL);
		if (r < 0)
			goto out_free;
		vcpu->vpid = r;
	}

	preempt_disable();
	vmx_vmclear(page_to_phys(vcpu->vmcs));	/* launch state "clear" */
	vcpu_vmcs_load(vcpu);
	vmcs_init(vcpu);
	preempt_enable();

	mutex_lock(&vm->lock);
	if (vm->vcpus[id]) {
		mutex_unlock(&vm->lock);
		r = -EEXIST;
		goto out_free;
	}
	vm->vcpus[id] = vcpu;
	mutex_unlock(&vm->lock);

	minivmm_vm_get(vm);
	r = anon_inode_getfd("minivmm-vcpu", &vcpu_fops, vcpu, O_RDWR | O_CLOEXEC);
	if (r < 0) {
		mutex_lock(&vm->lock);
		vm->vcpus[id] = NULL;
		mutex_unlock(&vm->lock);
		minivmm_vm_put(vm);
		goto out_free;
	}
	return r;

out_free:
	vcpu_free(vcpu);
	return r;
}
