// SPDX-License-Identifier: GPL-2.0
/*
 * MSRs: RDMSR and WRMSR always exit (no MSR bitmap, SDM 25.6.9) and are
 * emulated here for the MSRs on minivmm's allow-list (the uapi header
 * lists them); any other MSR raises #GP in the guest. Userspace reads and
 * writes the same list with MINIVMM_GET_MSRS / MINIVMM_SET_MSRS. The exit
 * handlers run in VMX root mode with preemption off, the ioctls in the
 * VCPU's thread, loading the VMCS for each entry.
 */
#include <linux/uaccess.h>
#include <asm/msr.h>

#include <linux/minivmm.h>

#include "emulate.h"
#include "vcpu.h"
#include "vmcs.h"

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

static int set_msr(struct minivmm_vcpu *vcpu, u32 index, u64 data)
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
