// SPDX-License-Identifier: GPL-2.0
/*
 * Guest memory: memory slots and the EPT that maps them (SDM Vol. 3C, 28.3
 * "The extended page table mechanism").
 *
 * A slot maps a range of the VM owner's memory at a guest-physical address.
 * The EPT starts empty: the first access to a page is an EPT violation, and
 * minivmm looks up the page behind the slot's address and maps it then
 * (lazy fault-in). Pages are not pinned: guest memory is ordinary process
 * memory. Each slot has an MMU interval notifier on its range of the
 * owner's address space: it hears of every change to those page tables
 * (munmap, madvise, swap-out, migration, COW, mprotect) and removes the
 * EPT entries of the range first, so the guest always sees the pages the
 * process sees, and never a page the host took back (KVM's design, with
 * the kernel's per-range notifiers: see docs/host-state.md).
 *
 * Locking: vm->lock (a mutex) guards the slots, and is held by a fault for
 * its whole length. vm->mmu_lock, a spinlock, guards the EPT entries and
 * orders a fault against the notifiers, which take only it. Nothing
 * allocates or touches user memory under mmu_lock: a notifier can run from
 * reclaim triggered by an allocation, and with the owner's mmap_lock held.
 * Process context throughout.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/mm.h>
#include <linux/mmu_notifier.h>
#include <linux/sched/signal.h>
#include <linux/slab.h>
#include <linux/smp.h>
#include <linux/swap.h>
#include <linux/uaccess.h>
#include <asm/io.h>

#include <linux/minivmm.h>

#include "minivmm.h"
#include "vmx.h"
#include "vmx_ops.h"

/* EPT paging-structure entries, SDM 28.3.2, Tables 28-1 to 28-6. */
#define EPT_READ		BIT_ULL(0)
#define EPT_WRITE		BIT_ULL(1)
#define EPT_EXEC		BIT_ULL(2)
#define EPT_MEMTYPE_WB		(6ULL << 3)	/* leaf entries: memory type */
/* Leaf entries: the guest's PAT cannot make host RAM uncached (SDM 28.3.7). */
#define EPT_IGNORE_PAT		BIT_ULL(6)
#define EPT_ADDR_MASK		GENMASK_ULL(51, 12)
#define EPT_LEVELS		4

/* EPTP, SDM 25.6.11: WB paging structures, 4-level walk. */
#define EPTP_WB			6ULL
#define EPTP_WALK_4		(3ULL << 3)

static void ept_free_table(u64 *table, int level)
{
	int i;

	if (level > 1)
		for (i = 0; i < 512; i++)
			if (table[i] & EPT_READ)
				ept_free_table(__va(table[i] & EPT_ADDR_MASK),
					       level - 1);
	free_page((unsigned long)table);
}

/*
 * Fill the VM's cache of zeroed pages for EPT tables, enough for one walk
 * from the root to a leaf. vm->lock held, mmu_lock not: this may reclaim.
 */
static int ept_cache_topup(struct minivmm_vm *vm)
{
	while (vm->ept_cache_n < ARRAY_SIZE(vm->ept_cache)) {
		void *p = (void *)get_zeroed_page(GFP_KERNEL_ACCOUNT);

		if (!p)
			return -ENOMEM;
		vm->ept_cache[vm->ept_cache_n++] = p;
	}
	return 0;
}

/* The leaf entry for gpa, building tables from the cache on the way. mmu_lock held. */
static u64 *ept_walk_alloc(struct minivmm_vm *vm, u64 gpa)
{
	u64 *table = vm->ept_root;
	int level;

	lockdep_assert_held(&vm->mmu_lock);
	for (level = EPT_LEVELS; level > 1; level--) {
		u64 *e = &table[(gpa >> (12 + 9 * (level - 1))) & 511];

		if (!(*e & EPT_READ)) {
			u64 *next = vm->ept_cache[--vm->ept_cache_n];

			vm->ept_cache[vm->ept_cache_n] = NULL;
			*e = __pa(next) | EPT_READ | EPT_WRITE | EPT_EXEC;
		}
		table = __va(*e & EPT_ADDR_MASK);
	}
	return &table[(gpa >> 12) & 511];
}

/*
 * Clear the leaf entries for guest-physical [start, end) under table, which
 * maps from base at this level, skipping absent subtrees: a 4 GiB slot with
 * a few pages mapped costs a few entries, not a million. Tables stay (they
 * are freed with the VM). Returns the number of leaves cleared.
 */
static u64 ept_zap(u64 *table, int level, u64 base, u64 start, u64 end)
{
	unsigned int shift = 12 + 9 * (level - 1);
	u64 span = BIT_ULL(shift), n = 0, addr;
	unsigned int i;

	for (i = (start - base) >> shift; i < 512; i++) {
		addr = base + i * span;
		if (addr >= end)
			break;
		if (!(table[i] & EPT_READ))
			continue;
		if (level == 1) {
			WRITE_ONCE(table[i], 0);
			n++;
		} else {
			n += ept_zap(__va(table[i] & EPT_ADDR_MASK), level - 1, addr,
				     max(start, addr), min(end, addr + span));
		}
	}
	return n;
}

static void ept_invept_cpu(void *eptp)
{
	/* Single-context INVEPT (type 1) if offered, else all-context (2). */
	if (vmx_cfg.ept_vpid_cap & EPT_CAP_INVEPT_SINGLE)
		vmx_invept_type(1, *(u64 *)eptp);
	else
		vmx_invept_type(2, 0);
}

/*
 * Forget cached translations of this EPT on every CPU (SDM 28.4.3.1). A
 * CPU running this VM's guest takes the IPI as a VM exit first, so when
 * this returns no CPU can use a cleared entry any more.
 */
static void ept_flush(struct minivmm_vm *vm)
{
	on_each_cpu(ept_invept_cpu, &vm->eptp, 1);
}

/*
 * Unmap guest-physical [start, end) and flush if anything was mapped.
 * mmu_lock held. After this the host may free or reuse the pages.
 */
static void ept_unmap_range(struct minivmm_vm *vm, u64 start, u64 end)
{
	u64 n;

	lockdep_assert_held(&vm->mmu_lock);
	n = ept_zap(vm->ept_root, EPT_LEVELS, 0, start, end);
	if (!n)
		return;
	ept_flush(vm);
	vm->mapped_pages -= n;
	atomic_sub(n, &minivmm_stats.mapped_pages);
}

/*
 * The owner's page tables are about to change in range: take the guest's
 * mappings of this slot's part of it away before they do, and make a fault
 * that looked a page up meanwhile start again (the sequence). Called with
 * the owner's mmap_lock or a page's rmap lock held, maybe from reclaim: no
 * sleeping, no allocation. The spinlock never waits on a sleeper.
 */
static bool ept_slot_invalidate(struct mmu_interval_notifier *mn,
				const struct mmu_notifier_range *range,
				unsigned long cur_seq)
{
	struct minivmm_memslot *s = container_of(mn, struct minivmm_memslot, mn);
	struct minivmm_vm *vm = s->vm;
	unsigned long lo, hi;

	spin_lock(&vm->mmu_lock);
	mmu_interval_set_seq(mn, cur_seq);
	lo = max_t(unsigned long, range->start, s->hva);
	hi = min_t(unsigned long, range->end, s->hva + s->size);
	if (lo < hi)
		ept_unmap_range(vm, s->gpa + (lo - s->hva), s->gpa + (hi - s->hva));
	spin_unlock(&vm->mmu_lock);
	return true;
}

static const struct mmu_interval_notifier_ops ept_slot_ops = {
	.invalidate = ept_slot_invalidate,
};

int minivmm_ept_init(struct minivmm_vm *vm)
{
	spin_lock_init(&vm->mmu_lock);
	vm->ept_root = (u64 *)get_zeroed_page(GFP_KERNEL_ACCOUNT);
	if (!vm->ept_root)
		return -ENOMEM;
	vm->eptp = __pa(vm->ept_root) | EPTP_WALK_4 | EPTP_WB;
	/*
	 * A root page freed by another VM and reused here gives the same
	 * EPTP: no CPU may still hold translations tagged with it.
	 */
	ept_flush(vm);
	return 0;
}

static struct minivmm_memslot *find_slot(struct minivmm_vm *vm, u64 gpa)
{
	int i;

	/* Only the slots in use: an MMIO address misses them all. */
	for (i = 0; i < vm->slots_end; i++) {
		struct minivmm_memslot *s = &vm->slots[i];

		if (s->size && gpa >= s->gpa && gpa - s->gpa < s->size)
			return s;
	}
	return NULL;
}

/* The userspace address of [gpa, gpa + len) in one slot, or 0. vm->lock held. */
unsigned long minivmm_gpa_to_hva(struct minivmm_vm *vm, u64 gpa, unsigned int len)
{
	struct minivmm_memslot *s = find_slot(vm, gpa);

	if (!s || gpa + len - s->gpa > s->size)
		return 0;
	return s->hva + (gpa - s->gpa);
}

/*
 * Delete a slot. Called with vm->lock held, so no fault is mapping a page
 * meanwhile. Its EPT entries are cleared and every CPU flushed (a VCPU may
 * be running the guest on another CPU right now); then the notifier goes
 * (waiting for one in progress), and the slot with it.
 */
static void slot_release(struct minivmm_vm *vm, struct minivmm_memslot *s)
{
	spin_lock(&vm->mmu_lock);
	ept_unmap_range(vm, s->gpa, s->gpa + s->size);
	spin_unlock(&vm->mmu_lock);
	mmu_interval_notifier_remove(&s->mn);
	memset(s, 0, sizeof(*s));
	while (vm->slots_end && !vm->slots[vm->slots_end - 1].size)
		vm->slots_end--;
}

/*
 * The VM's last reference is gone: every slot goes (its entries cleared,
 * its notifier removed, so no callback runs or is running), then the
 * tables.
 */
void minivmm_ept_destroy(struct minivmm_vm *vm)
{
	unsigned int i;

	for (i = 0; i < MINIVMM_NR_MEMSLOTS; i++)
		if (vm->slots[i].size)
			slot_release(vm, &vm->slots[i]);
	WARN_ON_ONCE(vm->mapped_pages);
	/* Cached paging-structure entries point into the tables freed next. */
	ept_flush(vm);
	ept_free_table(vm->ept_root, EPT_LEVELS);
	for (i = 0; i < vm->ept_cache_n; i++)
		free_page((unsigned long)vm->ept_cache[i]);
}

/*
 * Is [start, start + len) mapped in the calling process, by mappings whose
 * pages are ordinary memory (not I/O or PFN maps)? Memory can still be
 * unmapped later: then the RUN that faults on it fails with -EFAULT.
 */
static bool range_is_memory(unsigned long start, unsigned long len)
{
	struct mm_struct *mm = current->mm;
	unsigned long end = start + len;
	struct vm_area_struct *vma;
	bool ok = true;

	mmap_read_lock(mm);
	while (start < end) {
		vma = find_vma(mm, start);	/* the first one ending above start */
		if (!vma || vma->vm_start > start ||
		    (vma->vm_flags & (VM_IO | VM_PFNMAP))) {
			ok = false;
			break;
		}
		start = vma->vm_end;
	}
	mmap_read_unlock(mm);
	return ok;
}

/* MINIVMM_SET_MEMORY_REGION. */
int minivmm_set_memory_region(struct minivmm_vm *vm,
			      const struct minivmm_memory_region *r)
{
	struct minivmm_memslot *s;
	int i, ret = 0;

	if (r->slot >= MINIVMM_NR_MEMSLOTS || r->flags & ~MINIVMM_MEM_READONLY)
		return -EINVAL;
	if ((r->guest_phys_addr | r->memory_size | r->userspace_addr) & ~PAGE_MASK)
		return -EINVAL;
	s = &vm->slots[r->slot];

	mutex_lock(&vm->lock);
	if (!r->memory_size) {
		if (s->size)
			slot_release(vm, s);
		mutex_unlock(&vm->lock);
		return 0;
	}
	mutex_unlock(&vm->lock);

	/* Guest-physical addresses are limited to 4-level EPT: 48 bits. */
	if (r->guest_phys_addr + r->memory_size < r->guest_phys_addr ||
	    r->guest_phys_addr + r->memory_size > BIT_ULL(48) ||
	    r->userspace_addr + r->memory_size < r->userspace_addr)
		return -EINVAL;
	if (!access_ok((void __user *)(unsigned long)r->userspace_addr,
		       r->memory_size) ||
	    !range_is_memory(r->userspace_addr, r->memory_size))
		return -EFAULT;

	mutex_lock(&vm->lock);
	if (s->size) {
		ret = -EINVAL;		/* delete a slot before reusing it */
		goto out;
	}
	for (i = 0; i < MINIVMM_NR_MEMSLOTS; i++) {
		struct minivmm_memslot *o = &vm->slots[i];

		if (o->size && r->guest_phys_addr < o->gpa + o->size &&
		    o->gpa < r->guest_phys_addr + r->memory_size) {
			ret = -EEXIST;
			goto out;
		}
	}
	/*
	 * Nothing is mapped until the guest touches a page (EPT violations
	 * fill the EPT), so a slot of any size costs the same to set up. The
	 * notifier sees an empty slot until it is complete.
	 */
	s->vm = vm;
	ret = mmu_interval_notifier_insert(&s->mn, current->mm, r->userspace_addr,
					   r->memory_size, &ept_slot_ops);
	if (ret) {
		memset(s, 0, sizeof(*s));
		goto out;
	}
	spin_lock(&vm->mmu_lock);
	s->gpa = r->guest_phys_addr;
	s->hva = r->userspace_addr;
	s->flags = r->flags;
	s->size = r->memory_size;
	vm->slots_end = max_t(unsigned int, vm->slots_end, r->slot + 1);
	spin_unlock(&vm->mmu_lock);
out:
	mutex_unlock(&vm->lock);
	return ret;
}

/*
 * An EPT violation at gpa: map the page if a slot covers it. Returns 0 when
 * mapped, MINIVMM_FAULT_AGAIN when a signal came first (nothing mapped:
 * the access faults again on the next entry), 1 when the access is MMIO
 * (no slot, or a write to a read-only slot), or a negative errno: -EFAULT
 * when the process has no memory at the slot's address any more. Runs
 * preemptible; may sleep.
 *
 * The page is looked up without the lock the notifier takes, so by the
 * time it is mapped the process may have unmapped it: the slot's notifier
 * sequence, read before the lookup and checked under mmu_lock before the
 * EPT entry is written, tells, and the lookup is done again.
 */
int minivmm_ept_fault(struct minivmm_vm *vm, u64 gpa, bool write)
{
	struct minivmm_memslot *s;
	unsigned long hva, seq;
	struct page *page;
	bool writable;
	u64 *e;
	int r;

	mutex_lock(&vm->lock);
again:
	s = find_slot(vm, gpa);
	if (!s || (write && (s->flags & MINIVMM_MEM_READONLY))) {
		r = 1;
		goto out;
	}
	writable = !(s->flags & MINIVMM_MEM_READONLY);
	hva = s->hva + ((gpa - s->gpa) & PAGE_MASK);
	r = ept_cache_topup(vm);
	if (r)
		goto out;

	/* Waits for a change in progress; pairs with mmu_interval_set_seq(). */
	seq = mmu_interval_read_begin(&s->mn);
	/* A writable slot is faulted in for write: copy-on-write is broken now. */
	if (get_user_pages_fast(hva, 1, writable ? FOLL_WRITE : 0, &page) != 1) {
		r = -EFAULT;
		goto out;
	}

	spin_lock(&vm->mmu_lock);
	if (mmu_interval_read_retry(&s->mn, seq)) {
		/*
		 * The process's page tables changed under the lookup: again,
		 * unless a signal waits (the run loop sees it; the guest's
		 * access faults again on the next entry): a process that
		 * keeps changing them cannot hold the VCPU in RUN.
		 */
		spin_unlock(&vm->mmu_lock);
		put_page(page);
		if (signal_pending(current)) {
			r = MINIVMM_FAULT_AGAIN;
			goto out;
		}
		cond_resched();
		goto again;
	}
	e = ept_walk_alloc(vm, gpa);
	if (!*e) {
		vm->mapped_pages++;
		atomic_inc(&minivmm_stats.mapped_pages);
	}
	*e = page_to_phys(page) | EPT_READ | EPT_EXEC | EPT_MEMTYPE_WB | EPT_IGNORE_PAT |
	     (writable ? EPT_WRITE : 0);
	spin_unlock(&vm->mmu_lock);

	/*
	 * The guest's writes do not set the dirty bit of the process's page
	 * table entry: mark the page dirty now, or reclaim could drop them
	 * (a clean swap-cache page, a file page). Writeback cleans it through
	 * page_mkclean(), which the notifier hears, so it is mapped and
	 * marked again on the next write. The reference taken by the lookup
	 * goes: the notifier, not a pin, keeps the guest off a freed page.
	 */
	if (!PageReserved(page)) {	/* the zero page, in a read-only slot */
		if (writable)
			set_page_dirty_lock(page);
		mark_page_accessed(page);
	}
	put_page(page);
out:
	mutex_unlock(&vm->lock);
	return r;
}
