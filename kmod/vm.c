// SPDX-License-Identifier: GPL-2.0
/*
 * The VM object and its file descriptor.
 *
 * A VM holds VMX operation on (vmx_get) for as long as its fd is open; the
 * last close frees everything the VM owns.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/anon_inodes.h>
#include <linux/file.h>
#include <linux/fs.h>
#include <linux/module.h>
#include <linux/sched/mm.h>
#include <linux/slab.h>
#include <linux/uaccess.h>

#include <linux/minivmm.h>

#include "minivmm.h"
#include "vcpu.h"
#include "vmx.h"

static long minivmm_vm_ioctl(struct file *filp, unsigned int ioctl,
			     unsigned long arg)
{
	struct minivmm_vm *vm = filp->private_data;

	/* A VM fd works only in the process that created the VM (as in KVM). */
	if (vm->mm != current->mm)
		return -EIO;

	switch (ioctl) {
	case MINIVMM_SET_MEMORY_REGION: {
		struct minivmm_memory_region r;

		if (copy_from_user(&r, (void __user *)arg, sizeof(r)))
			return -EFAULT;
		return minivmm_set_memory_region(vm, &r);
	}
	case MINIVMM_CREATE_VCPU:
		return minivmm_vcpu_create(vm, arg);
	default:
		return -ENOTTY;
	}
}

void minivmm_vm_get(struct minivmm_vm *vm)
{
	refcount_inc(&vm->refs);
}

/* The last reference gone: free the guest memory mappings and VMX. */
void minivmm_vm_put(struct minivmm_vm *vm)
{
	if (!refcount_dec_and_test(&vm->refs))
		return;
	minivmm_ept_destroy(vm);
	mmdrop(vm->mm);
	kfree(vm);
	atomic_dec(&minivmm_stats.vms);
	vmx_put();
}

static int minivmm_vm_release(struct inode *inode, struct file *filp)
{
	minivmm_vm_put(filp->private_data);
	return 0;
}

static const struct file_operations minivmm_vm_fops = {
	.owner = THIS_MODULE,
	.release = minivmm_vm_release,
	.unlocked_ioctl = minivmm_vm_ioctl,
	.compat_ioctl = compat_ptr_ioctl,
	.llseek = noop_llseek,
};

/* MINIVMM_CREATE_VM: returns the new VM's fd or a negative errno. */
int minivmm_vm_create(unsigned long flags)
{
	struct minivmm_vm *vm;
	int r;

	if (flags)
		return -EINVAL;
	if (atomic_inc_return(&minivmm_stats.vms) > minivmm_max_vms) {
		r = -ENOSPC;
		goto out_count;
	}

	r = vmx_get();
	if (r)
		goto out_count;

	vm = kzalloc(sizeof(*vm), GFP_KERNEL_ACCOUNT);
	if (!vm) {
		r = -ENOMEM;
		goto out_vmx;
	}
	vm->mm = current->mm;
	mmgrab(vm->mm);
	refcount_set(&vm->refs, 1);
	mutex_init(&vm->lock);
	r = minivmm_ept_init(vm);
	if (r)
		goto out_free_vm;

	/* On success the fd owns the VM: its release destroys it. */
	r = anon_inode_getfd("minivmm-vm", &minivmm_vm_fops, vm,
			     O_RDWR | O_CLOEXEC);
	if (r < 0)
		goto out_free_vm;
	return r;

out_free_vm:
	if (vm->ept_root)
		minivmm_ept_destroy(vm);
	mmdrop(vm->mm);
	kfree(vm);
out_vmx:
	vmx_put();
out_count:
	atomic_dec(&minivmm_stats.vms);
	return r;
}
