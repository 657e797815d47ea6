// SPDX-License-Identifier: GPL-2.0
/*
 * MSRs: RDMSR and WRMSR always exit (no MSR bitmap, SDM 25.6.9) and are
 * emulated here for the MSRs on minivmm's allow-list (the uapi header
 * lists them); any other MSR raises #GP in the guest. Userspace reads and
 * writes the same list with MINIVMM_GET_MSRS / MINIVMM_SET_MSRS. The exit
 * handlers run in VMX root mode with preemption off, the ioctls in the
 * VCPU's thread, loading the VMCS for each entry.
 *
 * The SYSCALL MSRs (STAR, LSTAR, CSTAR, SFMASK) and TSC_AUX are the
 * guest's own while it runs: VM entry and exit do not switch them. They are
 * loaded before an entry and the host's come back on the next return to
 * any userspace on that CPU (a user-return notifier, as KVM does), or
 * before VMXOFF: the host kernel itself never uses them, only the SYSCALL,
 * RDTSCP and RDPID instructions do (the kernel's paranoid entry finds its
 * CPU without RDPID since 5.9, for this reason).
 */
#include <linux/percpu.h>
#include <linux/uaccess.h>
#include <linux/user-return-notifier.h>
#include <asm/msr.h>

#include <linux/minivmm.h>

#include "emulate.h"
#include "vcpu.h"
#include "vmcs.h"
#include "vmx.h"

/* ---- The SYSCALL MSRs, switched lazily (SDM Vol. 3A 5.8.8) ---- */

static const u32 syscall_msr_index[MINIVMM_NR_SYSCALL_MSRS] = {
	MSR_STAR, MSR_LSTAR, MSR_CSTAR, MSR_SYSCALL_MASK, MSR_TSC_AUX,
};

/* TSC_AUX only where the guest may run RDTSCP ("enable RDTSCP", SDM 25.6.2). */
static unsigned int nr_syscall_msrs(void)
{
	return (vmx_cfg.secondary & SECONDARY_RDTSCP) ? MINIVMM_NR_SYSCALL_MSRS :
							MINIVMM_NR_SYSCALL_MSRS - 1;
}

/* Per CPU: the host's values and what the CPU holds now. */
struct syscall_msrs_cpu {
	struct user_return_notifier urn;
	bool registered;
	u64 host[MINIVMM_NR_SYSCALL_MSRS];
	u64 cur[MINIVMM_NR_SYSCALL_MSRS];
};

static DEFINE_PER_CPU(struct syscall_msrs_cpu, syscall_msrs_cpu);

/* Put the host's values back. Interrupts off, on the CPU itself. */
static void syscall_msrs_restore(struct syscall_msrs_cpu *c)
{
	int i;

	for (i = 0; i < nr_syscall_msrs(); i++)
		if (c->cur[i] != c->host[i])
			wrmsrl(syscall_msr_index[i], c->host[i]);
	user_return_notifier_unregister(&c->urn);
	c->registered = false;
}

/* The return to a userspace on this CPU: interrupts are off. */
static void syscall_msrs_on_user_return(struct user_return_notifier *urn)
{
	syscall_msrs_restore(container_of(urn, struct syscall_msrs_cpu, urn));
}

/* Before VMXOFF on this CPU (the module may go away next). Interrupts off. */
void minivmm_syscall_msrs_restore_cpu(void)
{
	struct syscall_msrs_cpu *c = this_cpu_ptr(&syscall_msrs_cpu);

	if (c->registered)
		syscall_msrs_restore(c);
}

/* The guest's values into the CPU, before entering it. Preemption off. */
void minivmm_syscall_msrs_load(struct minivmm_vcpu *vcpu)
{
	struct syscall_msrs_cpu *c = this_cpu_ptr(&syscall_msrs_cpu);
	int i;

	if (unlikely(!c->registered)) {
		for (i = 0; i < nr_syscall_msrs(); i++) {
			rdmsrl(syscall_msr_index[i], c->host[i]);
			c->cur[i] = c->host[i];
		}
		c->urn.on_user_return = syscall_msrs_on_user_return;
		user_return_notifier_register(&c->urn);
		c->registered = true;
	}
	for (i = 0; i < nr_syscall_msrs(); i++) {
		if (c->cur[i] != vcpu->syscall_msrs[i]) {
			wrmsrl(syscall_msr_index[i], vcpu->syscall_msrs[i]);
			c->cur[i] = vcpu->syscall_msrs[i];
		}
	}
}

/* The slot of a SYSCALL MSR in vcpu->syscall_msrs, or -1. */
static int syscall_msr_slot(u32 index)
{
	int i;

	for (i = 0; i < nr_syscall_msrs(); i++)
		if (syscall_msr_index[i] == index)
			return i;
	return -1;
}

/* A 48-bit linear address with bits 63:47 equal (SDM Vol. 1 3.3.7.1). */
static bool is_canonical(u64 la)
{
	return (s64)(la << 16) >> 16 == (s64)la;
}

/*
 * The MSRs a guest and userspace may use (include/uapi/linux/minivmm.h).
 * Returns 0, or -1 for an MSR minivmm does not support or a value the MSR
 * does not take. VMCS loaded.
 */
static int get_msr(struct minivmm_vcpu *vcpu, u32 index, u64 *data)
{
	int slot = syscall_msr_slot(index);

	if (slot >= 0) {
		*data = vcpu->syscall_msrs[slot];
		return 0;
	}
	switch (index) {
	case MSR_IA32_TSC:
		*data = rdtsc() + vcpu->tsc_offset;
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
	case MSR_IA32_UCODE_REV:
		/* Microcode revision 1 (bits 63:32), as KVM reports (SDM 10.11.7.1). */
		*data = MINIVMM_UCODE_REV;
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

static int set_msr(struct minivmm_vcpu *vcpu, u32 index, u64 data)
{
	int slot = syscall_msr_slot(index);

	if (slot >= 0) {
		/* LSTAR, CSTAR: canonical; SFMASK: bits 63:32 reserved (#GP). */
		if ((index == MSR_LSTAR || index == MSR_CSTAR) && !is_canonical(data))
			return -1;
		/* SFMASK and TSC_AUX: bits 63:32 reserved. */
		if ((index == MSR_SYSCALL_MASK || index == MSR_TSC_AUX) && data >> 32)
			return -1;
		vcpu->syscall_msrs[slot] = data;
		/* In RUN, between entries: the CPU holds the guest's values. */
		if (vcpu->in_run)
			minivmm_syscall_msrs_load(vcpu);
		return 0;
	}
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
	case MSR_IA32_UCODE_REV:
		/* Software writes 0 before CPUID reloads the revision: nothing to do. */
		return 0;
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
		minivmm_set_cr0(vcpu, minivmm_guest_cr0());
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
int minivmm_handle_rdmsr(struct minivmm_vcpu *vcpu)
{
	u64 data;

	if (get_msr(vcpu, vcpu->regs[REG_RCX], &data))
		return minivmm_inject_gp(vcpu);
	vcpu->regs[REG_RAX] = (u32)data;
	vcpu->regs[REG_RDX] = data >> 32;
	minivmm_skip_instruction(vcpu);
	return 1;
}

int minivmm_handle_wrmsr(struct minivmm_vcpu *vcpu)
{
	u64 data = (vcpu->regs[REG_RDX] << 32) | (u32)vcpu->regs[REG_RAX];

	if (set_msr(vcpu, vcpu->regs[REG_RCX], data))
		return minivmm_inject_gp(vcpu);
	minivmm_skip_instruction(vcpu);
	return 1;
}

/* MINIVMM_GET_MSRS and MINIVMM_SET_MSRS. Called with vcpu->mutex held. */
long minivmm_msrs_ioctl(struct minivmm_vcpu *vcpu, void __user *argp, bool set)
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
		minivmm_vcpu_get(vcpu);
		r = set ? set_msr(vcpu, e.index, e.data) :
			  get_msr(vcpu, e.index, &e.data);
		minivmm_vcpu_put(vcpu);
		if (r)
			break;
		if (!set && copy_to_user(&ue[i].data, &e.data, sizeof(e.data)))
			return -EFAULT;
	}
	return i;
}
