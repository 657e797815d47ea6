// SPDX-License-Identifier: GPL-2.0
/*
 * Module-wide counters, read-only in debugfs (minivmm/vms, vmxon_cpus,
 * vmcs, mapped_pages). Tests read them to prove that closing fds and
 * killing processes leave nothing behind. Atomic: updated from any
 * context.
 */
#include <linux/debugfs.h>

#include "minivmm.h"

struct minivmm_stats minivmm_stats;

void minivmm_counters_debugfs(struct dentry *dir)
{
	debugfs_create_atomic_t("vms", 0444, dir, &minivmm_stats.vms);
	debugfs_create_atomic_t("vmxon_cpus", 0444, dir, &minivmm_stats.vmxon_cpus);
	debugfs_create_atomic_t("vmcs", 0444, dir, &minivmm_stats.vmcs);
	debugfs_create_atomic_t("mapped_pages", 0444, dir, &minivmm_stats.mapped_pages);
}
