/* SPDX-License-Identifier: GPL-2.0 */
/*
 * minivmm internals shared by the files of kmod/.
 */
#ifndef MINIVMM_H
#define MINIVMM_H

#include <linux/atomic.h>
#include <linux/sched.h>
#include <linux/types.h>

/*
 * Module-wide counters, read-only in debugfs (minivmm/). Tests use them to
 * prove that closing fds and killing processes leave nothing behind.
 */
struct minivmm_stats {
	atomic_t vms;		/* VM objects alive */
	atomic_t vmxon_cpus;	/* CPUs currently in VMX operation */
};

extern struct minivmm_stats minivmm_stats;
extern unsigned int minivmm_max_vms;

/* A virtual machine: lives as long as its VM fd. */
struct minivmm_vm {
	struct mm_struct *mm;	/* creator's address space (guest memory lives here) */
};

int minivmm_vm_create(unsigned long flags);

#endif /* MINIVMM_H */
