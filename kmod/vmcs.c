// SPDX-License-Identifier: GPL-2.0
/*
 * The VMCS on the right CPU: VMPTRLD, VMCLEAR and VPIDs (SDM Vol. 3C,
 * 25.1, 25.11). Runs in VMX root mode, in the VCPU's thread with
 * preemption off, or in an IPI with interrupts off.
 *
 * A VMCS is active on at most one CPU. minivmm loads it (VMPTRLD) when RUN
 * or an ioctl needs it and leaves it active there, across RUNs and while
 * its thread sleeps. Only when the thread runs on another CPU, the VCPU is
 * freed or the CPU leaves VMX operation is it cleared (VMCLEAR) on its CPU
 * (SDM 25.11.1). Each CPU lists its active VMCSs; a list changes only on
 * its own CPU, with interrupts off.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/idr.h>
#include <linux/list.h>
#include <linux/mm.h>
#include <linux/percpu.h>
#include <linux/preempt.h>
#include <linux/smp.h>
#include <asm/io.h>

#include "minivmm.h"
#include "vcpu.h"
#include "vmcs.h"
#include "vmx.h"
#include "vmx_ops.h"

static DEFINE_PER_CPU(struct list_head, active_vcpus);
static DEFINE_PER_CPU(struct page *, current_vmcs);	/* VMPTRLD's last */

/* VMCLEAR on the CPU where the VMCS is active. Interrupts are off. */
static void vmcs_clear_here(void *arg)
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

void minivmm_vmcs_clear(struct minivmm_vcpu *vcpu)
{
	int cpu = READ_ONCE(vcpu->cpu);

	/* An offline CPU cleared its VMCSs as it went (minivmm_vmcs_clear_cpu). */
	if (cpu >= 0)
		smp_call_function_single(cpu, vmcs_clear_here, vcpu, 1);
}

/*
 * Before VMXOFF on this CPU (last VM, CPU offline, reboot, suspend): vmx.c
 * calls it through the hook main.c gives vmx_init().
 */
void minivmm_vmcs_clear_cpu(void)
{
	struct minivmm_vcpu *vcpu, *tmp;

	list_for_each_entry_safe(vcpu, tmp, this_cpu_ptr(&active_vcpus), active_link)
		vmcs_clear_here(vcpu);
}

void minivmm_vmcs_init(void)
{
	int cpu;

	for_each_possible_cpu(cpu)
		INIT_LIST_HEAD(per_cpu_ptr(&active_vcpus, cpu));
}

/* The VM whose guest code this CPU ran last, by its never-reused id. */
static DEFINE_PER_CPU(u64, last_vm_id);

/* Another VM's VMCS on this CPU: no branch prediction carries over. */
static void vm_switch(struct minivmm_vcpu *vcpu)
{
	if (__this_cpu_read(last_vm_id) != vcpu->vm->id) {
		__this_cpu_write(last_vm_id, vcpu->vm->id);
		minivmm_ibpb_vm_switch();
	}
}

void minivmm_vmcs_load(struct minivmm_vcpu *vcpu)
{
	int cpu = smp_processor_id();
	unsigned long flags;

	if (likely(vcpu->cpu == cpu)) {
		/* Active here already: current, unless another VCPU ran since. */
		if (__this_cpu_read(current_vmcs) != vcpu->vmcs) {
			vmx_vmptrld(page_to_phys(vcpu->vmcs));
			__this_cpu_write(current_vmcs, vcpu->vmcs);
			vm_switch(vcpu);
		}
		return;
	}
	/* The thread moved: clear the VMCS where it was active. */
	minivmm_vmcs_clear(vcpu);
	/* Pairs with vmcs_clear_here(): see its VMCLEAR, then VMPTRLD. */
	smp_rmb();
	local_irq_save(flags);
	vmx_vmptrld(page_to_phys(vcpu->vmcs));
	__this_cpu_write(current_vmcs, vcpu->vmcs);
	vm_switch(vcpu);
	list_add(&vcpu->active_link, this_cpu_ptr(&active_vcpus));
	vcpu->cpu = cpu;
	local_irq_restore(flags);
	minivmm_vmcs_setup_host_cpu(vcpu, cpu);
	/*
	 * The guest's MOV CR3 and INVLPG flush its VPID's translations only
	 * on the CPU they run on (SDM 28.3.3.3): entries this CPU cached
	 * before the VCPU ran elsewhere may be stale.
	 */
	if (vcpu->vpid && vcpu->last_cpu != cpu)
		vmx_invvpid_type(1, vcpu->vpid);
	vcpu->last_cpu = cpu;
}

void minivmm_vcpu_get(struct minivmm_vcpu *vcpu)
{
	preempt_disable();
	minivmm_vmcs_load(vcpu);
}

void minivmm_vcpu_put(struct minivmm_vcpu *vcpu)
{
	preempt_enable();
}

/* ---- VPIDs: tags for the guest's TLB entries (SDM 28.1) ---- */

static DEFINE_IDA(vpid_ida);

/* A VPID for a new VCPU: 1..0xffff, or -errno. */
int minivmm_vpid_alloc(void)
{
	return ida_alloc_range(&vpid_ida, 1, 0xffff, GFP_KERNEL);
}

static void invvpid_cpu(void *vpid)
{
	vmx_invvpid_type(1, *(u16 *)vpid);	/* single context */
}

/* Before a VPID is reused, no CPU may hold translations tagged with it. */
void minivmm_vpid_free(u16 vpid)
{
	on_each_cpu(invvpid_cpu, &vpid, 1);
	ida_free(&vpid_ida, vpid);
}
