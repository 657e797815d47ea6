// SPDX-License-Identifier: GPL-2.0
/*
 * Setting up a VCPU's VMCS: its control area (what traps), its host area
 * (where the CPU resumes after a VM exit) and its guest area (the state
 * the guest starts in). SDM Vol. 3C, 25.4-25.8. Runs in VMX root mode in
 * the thread that creates the VCPU or loads its VMCS, with the VMCS
 * current and preemption off.
 */
#include <linux/kernel.h>
#include <asm/desc.h>
#include <asm/msr.h>
#include <asm/special_insns.h>
#include <asm/tlbflush.h>

#include "emulate.h"
#include "minivmm.h"
#include "vcpu.h"
#include "vmcs.h"
#include "vmx.h"

/* ---- Control area: what traps, computed at load (vmx_check_and_setup) ---- */

static void setup_control(struct minivmm_vcpu *vcpu)
{
	vmcs_write32(PIN_BASED_VM_EXEC_CONTROL, vmx_cfg.pin_based);
	vcpu->cpu_based = vmx_cfg.cpu_based;
	vmcs_write32(CPU_BASED_VM_EXEC_CONTROL, vcpu->cpu_based);
	vmcs_write32(SECONDARY_VM_EXEC_CONTROL, vmx_cfg.secondary);
	vmcs_write32(VM_EXIT_CONTROLS, vmx_cfg.exit_ctls);
	vmcs_write32(VM_ENTRY_CONTROLS, vmx_cfg.entry_ctls);
	vmcs_write32(EXCEPTION_BITMAP, MINIVMM_EXCEPTIONS_INTERCEPTED);
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
	vcpu->tsc_offset = vcpu->vm->tsc_offset;
	vmcs_write64(TSC_OFFSET, vcpu->tsc_offset);
	/* Writes to these bits trap; reads come from the read shadows. */
	vmcs_writel(CR0_GUEST_HOST_MASK, vmx_cr0_guest_host_mask());
	vmcs_writel(CR4_GUEST_HOST_MASK, vmx_cr4_guest_host_mask());
}

/* ---- Host area: where the CPU resumes after a VM exit (SDM 27.5) ---- */

/* The fields that are the same on every CPU. */
static void setup_host(struct minivmm_vcpu *vcpu)
{
	struct desc_ptr dt;
	u64 v;

	vmcs_writel(HOST_CR0, read_cr0());
	vmcs_write16(HOST_CS_SELECTOR, __KERNEL_CS);
	vmcs_write16(HOST_SS_SELECTOR, __KERNEL_DS);
	vmcs_write16(HOST_DS_SELECTOR, 0);
	vmcs_write16(HOST_ES_SELECTOR, 0);
	vmcs_write16(HOST_FS_SELECTOR, 0);
	vmcs_write16(HOST_GS_SELECTOR, 0);
	vmcs_writel(HOST_FS_BASE, 0);	/* the RUN's thread's, see run.c */
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
}

/* The fields that differ per CPU: written after each VMPTRLD on a new CPU. */
void minivmm_vmcs_setup_host_cpu(struct minivmm_vcpu *vcpu, int cpu)
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

/* ---- Guest area: the VCPU's state while it does not run ---- */

/*
 * The architectural state after INIT in real mode (SDM 10.1.1, Table 10-1),
 * with CS:IP = 0:0 so that userspace chooses where to start.
 */
static void setup_guest(struct minivmm_vcpu *vcpu)
{
	struct minivmm_sregs sr = { 0 };
	struct minivmm_segment *s;
	int i;

	for (i = 0; i < MINIVMM_NR_SEGS; i++) {
		s = minivmm_sregs_seg(&sr, i);
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
	minivmm_set_sregs(vcpu, &sr);

	vmcs_writel(GUEST_RFLAGS, X86_EFLAGS_FIXED);
	vmcs_writel(GUEST_RIP, 0);
	vmcs_writel(GUEST_RSP, 0);
	/* Never the guest's own DR7 (guest_debug.c): no breakpoint armed. */
	vmcs_writel(GUEST_DR7, MV_DR7_FIXED_1);
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

/* A new VCPU's VMCS, all three areas. */
void minivmm_vmcs_setup(struct minivmm_vcpu *vcpu)
{
	setup_control(vcpu);
	setup_host(vcpu);
	setup_guest(vcpu);
}
