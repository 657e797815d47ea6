// SPDX-License-Identifier: GPL-2.0
/*
 * The VCPU fd: MINIVMM_CREATE_VCPU makes one, its ioctls reach the VCPU's
 * state and run it, its mmap is the run area shared with userspace, and
 * its last close frees the VCPU. Each VCPU owns one VMCS (vmcs.c, set up
 * by vmcs_setup.c) and the shadow state around it (shadow.c); RUN is the
 * run loop (run.c). Runs in process context, in VMX root mode; ioctls of
 * one VCPU are serialized by vcpu->mutex.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/anon_inodes.h>
#include <linux/file.h>
#include <linux/fs.h>
#include <linux/mm.h>
#include <linux/module.h>
#include <linux/slab.h>
#include <linux/uaccess.h>
#include <asm/io.h>

#include <linux/minivmm.h>

#include "minivmm.h"
#include "vcpu.h"
#include "vmcs.h"
#include "vmx.h"
#include "vmx_ops.h"

/* MINIVMM_GET_STATS. Called with vcpu->mutex held. */
static long vcpu_get_stats(struct minivmm_vcpu *vcpu, void __user *argp)
{
	struct minivmm_vm *vm = vcpu->vm;

	spin_lock(&vm->mmu_lock);
	vcpu->stats.vm_mapped_pages = vm->mapped_pages;
	spin_unlock(&vm->mmu_lock);
	return copy_to_user(argp, &vcpu->stats, sizeof(vcpu->stats)) ? -EFAULT : 0;
}

/* The ioctls other than RUN. Called with vcpu->mutex held. */
static long vcpu_state_ioctl(struct minivmm_vcpu *vcpu, unsigned int ioctl,
			     void __user *argp)
{
	struct minivmm_sregs sr;
	struct minivmm_regs r;

	switch (ioctl) {
	case MINIVMM_GET_REGS:
		minivmm_vcpu_get(vcpu);
		minivmm_get_regs(vcpu, &r);
		minivmm_vcpu_put(vcpu);
		return copy_to_user(argp, &r, sizeof(r)) ? -EFAULT : 0;
	case MINIVMM_SET_REGS:
		if (copy_from_user(&r, argp, sizeof(r)))
			return -EFAULT;
		minivmm_vcpu_get(vcpu);
		minivmm_set_regs(vcpu, &r);
		minivmm_vcpu_put(vcpu);
		return 0;
	case MINIVMM_GET_SREGS:
		minivmm_vcpu_get(vcpu);
		minivmm_get_sregs(vcpu, &sr);
		minivmm_vcpu_put(vcpu);
		return copy_to_user(argp, &sr, sizeof(sr)) ? -EFAULT : 0;
	case MINIVMM_SET_SREGS:
		if (copy_from_user(&sr, argp, sizeof(sr)))
			return -EFAULT;
		if (!minivmm_cr4_valid(sr.cr4) || sr.cr8 > 15)
			return -EINVAL;
		minivmm_vcpu_get(vcpu);
		minivmm_set_sregs(vcpu, &sr);
		minivmm_vcpu_put(vcpu);
		return 0;
	case MINIVMM_SET_CPUID:
		return minivmm_set_cpuid(vcpu, argp);
	case MINIVMM_GET_STATS:
		return vcpu_get_stats(vcpu, argp);
	case MINIVMM_SET_GUEST_DEBUG:
		return minivmm_set_guest_debug(vcpu, argp);
	case MINIVMM_GET_MSRS:
		return minivmm_msrs_ioctl(vcpu, argp, false);
	case MINIVMM_SET_MSRS:
		return minivmm_msrs_ioctl(vcpu, argp, true);
	case MINIVMM_INTERRUPT:
		return minivmm_interrupt_ioctl(vcpu, argp);
	case MINIVMM_NMI:
		return minivmm_nmi_ioctl(vcpu, (unsigned long)argp);
	case MINIVMM_GET_VCPU_EVENTS:
		return minivmm_get_events(vcpu, argp);
	case MINIVMM_SET_VCPU_EVENTS:
		return minivmm_set_events(vcpu, argp);
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
		r = arg ? -EINVAL : minivmm_run(vcpu);
	else
		r = vcpu_state_ioctl(vcpu, ioctl, (void __user *)arg);
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
	minivmm_vmcs_clear(vcpu);
	if (vcpu->vpid)
		minivmm_vpid_free(vcpu->vpid);
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
	vcpu->irq_pending = -1;
	mutex_init(&vcpu->mutex);

	r = -ENOMEM;
	vcpu->run = (struct minivmm_run *)get_zeroed_page(GFP_KERNEL_ACCOUNT);
	vcpu->guest_fpu = kzalloc(sizeof(*vcpu->guest_fpu), GFP_KERNEL_ACCOUNT);
	vcpu->vmcs = alloc_page(GFP_KERNEL_ACCOUNT | __GFP_ZERO);
	if (!vcpu->run || !vcpu->guest_fpu || !vcpu->vmcs)
		goto out_free;
	atomic_inc(&minivmm_stats.vmcs);
	minivmm_debug_init(vcpu);
	/* FNINIT state and the power-up MXCSR (SDM Vol. 1, 10.2.3). */
	vcpu->guest_fpu->cwd = 0x37f;
	vcpu->guest_fpu->mxcsr = 0x1f80;
	/* The VMCS region starts with the revision identifier (SDM 25.2). */
	*(u32 *)page_address(vcpu->vmcs) = vmx_cfg.revision_id;

	if (cpu_has_vpid()) {
		r = minivmm_vpid_alloc();
		if (r < 0)
			goto out_free;
		vcpu->vpid = r;
	}

	preempt_disable();
	vmx_vmclear(page_to_phys(vcpu->vmcs));	/* launch state "clear" */
	minivmm_vmcs_load(vcpu);
	minivmm_vmcs_setup(vcpu);
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
