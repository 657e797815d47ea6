// SPDX-License-Identifier: GPL-2.0
/*
 * The VM fd: MINIVMM_CREATE_VM on /dev/minivmm makes one; its ioctls set
 * memory slots (ept.c) and create VCPUs (vcpu.c); closing it drops its
 * reference to the VM (vm.c). Process context, VMX root mode.
 */
#include <linux/anon_inodes.h>
#include <linux/err.h>
#include <linux/file.h>
#include <linux/fs.h>
#include <linux/module.h>
#include <linux/uaccess.h>

#include <linux/minivmm.h>

#include "minivmm.h"
#include "vcpu.h"

unsigned int minivmm_max_vms = 256;
module_param_named(max_vms, minivmm_max_vms, uint, 0444);
MODULE_PARM_DESC(max_vms, "Maximum number of VMs that may exist at once (default 256)");

static long vm_ioctl(struct file *filp, unsigned int ioctl, unsigned long arg)
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

static int vm_release(struct inode *inode, struct file *filp)
{
	minivmm_vm_put(filp->private_data);
	return 0;
}

static const struct file_operations vm_fops = {
	.owner = THIS_MODULE,
	.release = vm_release,
	.unlocked_ioctl = vm_ioctl,
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
	vm = minivmm_vm_alloc(minivmm_max_vms);
	if (IS_ERR(vm))
		return PTR_ERR(vm);
	/* On success the fd owns the VM: its release drops the reference. */
	r = anon_inode_getfd("minivmm-vm", &vm_fops, vm, O_RDWR | O_CLOEXEC);
	if (r < 0)
		minivmm_vm_put(vm);
	return r;
}
