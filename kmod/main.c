// SPDX-License-Identifier: GPL-2.0
/*
 * minivmm: a small KVM-like hypervisor for Intel VMX.
 *
 * This file is the module's front door: the load-time checks, the misc
 * device /dev/minivmm (the "system fd") and its ioctls, and the read-only
 * counters in debugfs. Runs in ordinary kernel context (VMX root mode once a
 * VM exists).
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/debugfs.h>
#include <linux/fs.h>
#include <linux/miscdevice.h>
#include <linux/module.h>
#include <linux/preempt.h>
#include <asm/tsc.h>

#include <linux/minivmm.h>

#include "minivmm.h"
#include "profile.h"
#include "vcpu.h"
#include "vmx.h"

static struct dentry *minivmm_debugfs;

/*
 * Before VMXOFF on a CPU (vmx.c calls it there, interrupts off): its
 * active VMCSs go back to memory and the host's SYSCALL MSRs come back.
 */
static void minivmm_cpu_leaves_vmx(void)
{
	minivmm_vmcs_clear_cpu();
	minivmm_syscall_msrs_restore_cpu();
}

static long minivmm_check_capability(unsigned long cap)
{
	switch (cap) {
	case MINIVMM_CAP_UNRESTRICTED_GUEST:
	case MINIVMM_CAP_EPT:
		return 1;	/* required at load */
	case MINIVMM_CAP_VPID:
		return cpu_has_vpid();
	case MINIVMM_CAP_EPT_AD:
		return cpu_has_ept_ad();
	case MINIVMM_CAP_MAX_VMS:
		return minivmm_max_vms;
	case MINIVMM_CAP_MAX_VCPUS:
		return MINIVMM_MAX_VCPUS;
	case MINIVMM_CAP_NR_MEMSLOTS:
		return MINIVMM_NR_MEMSLOTS;
	case MINIVMM_CAP_INTERRUPTS:
		return 1;
	case MINIVMM_CAP_NMI:
		return vmx_cfg.vnmi;
	case MINIVMM_CAP_TSC_KHZ:
		return tsc_khz;
	default:
		return 0;
	}
}

/* ioctls of the system fd, /dev/minivmm. */
static long minivmm_dev_ioctl(struct file *filp, unsigned int ioctl,
			      unsigned long arg)
{
	switch (ioctl) {
	case MINIVMM_GET_API_VERSION:
		if (arg)
			return -EINVAL;
		return MINIVMM_API_VERSION;
	case MINIVMM_CHECK_CAPABILITY:
		return minivmm_check_capability(arg);
	case MINIVMM_CREATE_VM:
		return minivmm_vm_create(arg);
	case MINIVMM_GET_VCPU_MMAP_SIZE:
		return arg ? -EINVAL : PAGE_SIZE;
	default:
		return -ENOTTY;
	}
}

static const struct file_operations minivmm_dev_fops = {
	.owner = THIS_MODULE,
	.unlocked_ioctl = minivmm_dev_ioctl,
	.compat_ioctl = compat_ptr_ioctl,
	.llseek = noop_llseek,
};

static struct miscdevice minivmm_dev = {
	.minor = MISC_DYNAMIC_MINOR,
	.name = "minivmm",
	.fops = &minivmm_dev_fops,
	.mode = 0600,
};

static void minivmm_debugfs_init(void)
{
	minivmm_debugfs = debugfs_create_dir("minivmm", NULL);
	minivmm_counters_debugfs(minivmm_debugfs);
	minivmm_mitigations_debugfs(minivmm_debugfs);
	minivmm_profile_debugfs(minivmm_debugfs);
}

static int __init minivmm_init(void)
{
	int r;

	r = vmx_check_and_setup();
	if (r)
		return r;

	minivmm_vmcs_init();
	r = minivmm_mitigations_init();
	if (r)
		return r;
	r = vmx_init(minivmm_cpu_leaves_vmx);
	if (r)
		goto out_mitigations;

	r = misc_register(&minivmm_dev);
	if (r) {
		pr_err("cannot register /dev/minivmm (%d)\n", r);
		goto out_vmx_exit;
	}
	minivmm_debugfs_init();

	pr_info("loaded: VMCS revision %#x, EPT%s%s, unrestricted guest\n",
		vmx_cfg.revision_id, cpu_has_ept_ad() ? " with A/D bits" : "",
		cpu_has_vpid() ? ", VPID" : "");
	return 0;

out_vmx_exit:
	vmx_exit();
out_mitigations:
	minivmm_mitigations_exit();
	return r;
}

static void __exit minivmm_exit(void)
{
	debugfs_remove_recursive(minivmm_debugfs);
	misc_deregister(&minivmm_dev);
	vmx_exit();
	minivmm_mitigations_exit();
}

module_init(minivmm_init);
module_exit(minivmm_exit);

MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("minivmm: a small KVM-like hypervisor for Intel VMX");
MODULE_VERSION(MINIVMM_VERSION);
