// SPDX-License-Identifier: GPL-2.0
/*
 * CPUID: what the virtual CPU says it is. CPUID always exits (SDM 26.1.2);
 * the answer comes from the table userspace set (MINIVMM_SET_CPUID), or
 * without one from the host's CPUID with VMX and AVX hidden, marked as
 * running on a hypervisor. The exit handler runs in VMX root mode with
 * preemption off; the ioctl in the VCPU's thread, preemptible.
 */
#include <linux/mm.h>
#include <linux/slab.h>
#include <linux/uaccess.h>
#include <asm/processor.h>

#include <linux/minivmm.h>

#include "emulate.h"
#include "vcpu.h"
#include "vmx.h"

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

static void set_result(struct minivmm_vcpu *vcpu, u32 eax, u32 ebx, u32 ecx, u32 edx)
{
	vcpu->regs[REG_RAX] = eax;
	vcpu->regs[REG_RBX] = ebx;
	vcpu->regs[REG_RCX] = ecx;
	vcpu->regs[REG_RDX] = edx;
}

int minivmm_handle_cpuid(struct minivmm_vcpu *vcpu)
{
	u32 leaf = vcpu->regs[REG_RAX], sub = vcpu->regs[REG_RCX];
	u32 eax, ebx, ecx, edx;

	if (vcpu->cpuid) {
		const struct minivmm_cpuid_entry *e = find_cpuid(vcpu, leaf, sub);

		if (e)
			set_result(vcpu, e->eax, e->ebx, e->ecx, e->edx);
		else
			set_result(vcpu, 0, 0, 0, 0);
	} else if ((leaf & 0xffffff00) == MINIVMM_CPUID_SIGNATURE) {
		/*
		 * The hypervisor leaves (0x40000000-0x400000ff, a convention
		 * that hardware leaves alone): leaf 0x40000000 gives the
		 * highest one in EAX and "minivmm" in EBX, ECX, EDX, so that
		 * a guest can tell its hypercalls exist.
		 */
		if (leaf == MINIVMM_CPUID_SIGNATURE)
			set_result(vcpu, MINIVMM_CPUID_SIGNATURE,
				   0x696e696d /* "mini" */, 0x006d6d76 /* "vmm\0" */, 0);
		else
			set_result(vcpu, 0, 0, 0, 0);
	} else {
		cpuid_count(leaf, sub, &eax, &ebx, &ecx, &edx);
		if (leaf == 1) {
			/* VMX, XSAVE, OSXSAVE, AVX hidden; the hypervisor bit set */
			ecx &= ~(BIT(5) | BIT(26) | BIT(27) | BIT(28));
			ecx |= BIT(31);
		} else if (leaf == 7 && sub == 0) {
			/* AVX2 and AVX-512; PKU and OSPKE (CR4.PKE is refused) */
			ebx &= ~(BIT(5) | BIT(16) | BIT(17) | BIT(28) | BIT(30) | BIT(31));
			ecx &= ~(BIT(3) | BIT(4));
			if (!(vmx_cfg.secondary & SECONDARY_RDTSCP))
				ecx &= ~BIT(22);	/* RDPID would #UD */
		} else if (leaf == 0x80000001 && !(vmx_cfg.secondary & SECONDARY_RDTSCP)) {
			edx &= ~BIT(27);		/* RDTSCP would #UD */
		}
		set_result(vcpu, eax, ebx, ecx, edx);
	}
	minivmm_skip_instruction(vcpu);
	return 1;
}

/* MINIVMM_SET_CPUID. Called with vcpu->mutex held. */
long minivmm_set_cpuid(struct minivmm_vcpu *vcpu, void __user *argp)
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
