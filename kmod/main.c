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

#include <linux/minivmm.h>

#include "minivmm.h"
#include "profile.h"
#include "vmcs.h"
#include "vmx.h"

struct minivmm_stats minivmm_stats;

unsigned int minivmm_max_vms = 256;
module_param_named(max_vms, minivmm_max_vms, uint, 0444);
MODULE_PARM_DESC(max_vms, "Maximum number of VMs that may exist at once (default 256)");

static struct dentry *minivmm_debugfs;

/* A failed VMREAD/VMWRITE is a minivmm bug: report it, once. */
void vmcs_error(const char *insn, unsigned long field, unsigned long value)
{
	WARN_ONCE(1, "%s failed: field %#lx, value %#lx\n", insn, field, value);
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
	debugfs_create_atomic_t("vms", 0444, minivmm_debugfs,
				&minivmm_stats.vms);
	debugfs_create_atomic_t("vmxon_cpus", 0444, minivmm_debugfs,
				&minivmm_stats.vmxon_cpus);
	debugfs_create_atomic_t("vmcs", 0444, minivmm_debugfs,
				&minivmm_stats.vmcs);
	debugfs_create_atomic_t("pinned_pages", 0444, minivmm_debugfs,
				&minivmm_stats.pinned_pages);
	minivmm_profile_debugfs(minivmm_debugfs);
}

static int __init minivmm_init(void)
{
	int r;

	r = vmx_check_and_setup();
	if (r)
		return r;

	minivmm_vcpu_init();
	r = vmx_init();
	if (r)
		return r;

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
	return r;
}

static void __exit minivmm_exit(void)
{
	debugfs_remove_recursive(minivmm_debugfs);
	misc_deregister(&minivmm_dev);
	vmx_exit();
}

module_init(minivmm_init);
module_exit(minivmm_exit);

MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("minivmm: a small KVM-like hypervisor for Intel VMX");
