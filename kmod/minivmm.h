/* SPDX-License-Identifier: GPL-2.0 */
/*
 * minivmm internals shared by the files of kmod/.
 */
#ifndef MINIVMM_H
#define MINIVMM_H

#include <linux/atomic.h>
#include <linux/mmu_notifier.h>
#include <linux/mutex.h>
#include <linux/refcount.h>
#include <linux/sched.h>
#include <linux/types.h>
#include <linux/spinlock.h>

struct minivmm_memory_region;
struct dentry;

/*
 * Module-wide counters, read-only in debugfs (minivmm/). Tests use them to
 * prove that closing fds and killing processes leave nothing behind.
 */
struct minivmm_stats {
	atomic_t vms;		/* VM objects alive */
	atomic_t vmxon_cpus;	/* CPUs currently in VMX operation */
	atomic_t vmcs;		/* VMCS regions allocated (one per VCPU) */
	atomic_t mapped_pages;	/* guest pages mapped in EPTs */
};

extern struct minivmm_stats minivmm_stats;
extern unsigned int minivmm_max_vms;

#define MINIVMM_MAX_VCPUS	8
#define MINIVMM_NR_MEMSLOTS	32
#define EPT_CACHE_PAGES		3	/* tables below the root: PDPT, PD, PT */

struct minivmm_vcpu;

/* A memory slot: guest-physical [gpa, gpa + size) backed by [hva, ...). */
struct minivmm_memslot {
	u64 gpa, size, hva;	/* size 0: the slot is free */
	u32 flags;		/* MINIVMM_MEM_* */
	struct minivmm_vm *vm;
	struct mmu_interval_notifier mn;	/* the owner's [hva, hva + size) */
};

/*
 * A virtual machine: lives as long as its VM fd or any of its VCPU fds.
 * vm->lock guards slots and vcpus; changes to the EPT also hold mmu_lock,
 * which the MMU notifiers take (ept.c).
 */
struct minivmm_vm {
	struct mm_struct *mm;	/* creator's address space (guest memory lives here) */
	refcount_t refs;	/* the VM fd and each VCPU */
	struct mutex lock;
	struct minivmm_memslot slots[MINIVMM_NR_MEMSLOTS];
	unsigned int slots_end;	/* 1 + the highest slot in use */
	struct minivmm_vcpu *vcpus[MINIVMM_MAX_VCPUS];
	u64 *ept_root;		/* EPT PML4 table */
	u64 eptp;		/* EPT pointer for the VMCS (SDM 25.6.11) */
	u64 id;			/* unique for the module's lifetime */
	s64 tsc_offset;		/* guest TSC = host TSC + this: 0 at creation */

	/* Guest memory follows the owner's page tables (ept.c). */
	spinlock_t mmu_lock;	/* the EPT and mapped_pages; the notifiers take it */
	u64 mapped_pages;	/* leaves present in the EPT */
	void *ept_cache[EPT_CACHE_PAGES]; /* zeroed pages for new EPT tables */
	unsigned int ept_cache_n;
};

/* vmfd.c: the VM fd */
int minivmm_vm_create(unsigned long flags);

/* vm.c: the VM object */
struct minivmm_vm *minivmm_vm_alloc(unsigned int max_vms);
void minivmm_vm_get(struct minivmm_vm *vm);
void minivmm_vm_put(struct minivmm_vm *vm);

/* mitigations.c: speculative-execution mitigations at the world switch */
extern bool minivmm_verw_on, minivmm_ibpb_on, minivmm_l1d_flush_on, minivmm_vmscape_on;
int minivmm_mitigations_init(void);
void minivmm_mitigations_exit(void);
void minivmm_mitigations_debugfs(struct dentry *dir);
bool minivmm_irq_ran_since_flush(void);
void minivmm_l1d_flush(void);
void minivmm_ibpb_vm_switch(void);
void minivmm_spec_ctrl_restore_host(void);

/* counters.c */
void minivmm_counters_debugfs(struct dentry *dir);

/* ept.c */
int minivmm_ept_init(struct minivmm_vm *vm);
void minivmm_ept_destroy(struct minivmm_vm *vm);
int minivmm_set_memory_region(struct minivmm_vm *vm,
			      const struct minivmm_memory_region *r);
#define MINIVMM_FAULT_AGAIN	2	/* minivmm_ept_fault(): see there */
int minivmm_ept_fault(struct minivmm_vm *vm, u64 gpa, bool write);
unsigned long minivmm_gpa_to_hva(struct minivmm_vm *vm, u64 gpa, unsigned int len);

#endif /* MINIVMM_H */
