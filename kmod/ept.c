// SPDX-License-Identifier: GPL-2.0
/*
 * Guest memory: memory slots and the EPT that maps them (SDM Vol. 3C, 28.3
 * "The extended page table mechanism").
 *
 * A slot maps a range of the VM owner's memory at a guest-physical address.
 * The EPT starts empty: the first access to a page is an EPT violation, and
 * minivmm pins the backing page and maps it then (lazy fault-in). Pages stay
 * pinned until the slot is deleted or the VM is destroyed.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/mm.h>
#include <asm/io.h>
#include <linux/slab.h>
#include <linux/smp.h>
#include <linux/uaccess.h>
#include <linux/xarray.h>

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

/* The leaf entry for gpa, allocating tables on the way when alloc is set. */
static u64 *ept_walk(struct minivmm_vm *vm, u64 gpa, bool alloc)
{
	u64 *table = vm->ept_root;
	int level;

	for (level = EPT_LEVELS; level > 1; level--) {
		u64 *e = &table[(gpa >> (12 + 9 * (level - 1))) & 511];

		if (!(*e & EPT_READ)) {
			u64 *next;

			if (!alloc)
				return NULL;
			next = (u64 *)get_zeroed_page(GFP_KERNEL_ACCOUNT);
			if (!next)
				return NULL;
			*e = __pa(next) | EPT_READ | EPT_WRITE | EPT_EXEC;
		}
		table = __va(*e & EPT_ADDR_MASK);
	}
	return &table[(gpa >> 12) & 511];
}

static void ept_invept_cpu(void *eptp)
{
	/* Single-context INVEPT (type 1) if offered, else all-context (2). */
	if (vmx_cfg.ept_vpid_cap & EPT_CAP_INVEPT_SINGLE)
		vmx_invept_type(1, *(u64 *)eptp);
	else
		vmx_invept_type(2, 0);
}

/* Forget cached translations of this EPT on every CPU (SDM 28.4.3.1). */
static void ept_flush(struct minivmm_vm *vm)
{
	on_each_cpu(ept_invept_cpu, &vm->eptp, 1);
}

int minivmm_ept_init(struct minivmm_vm *vm)
{
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
 * Unmap and unpin every page of a slot. Called with vm->lock held. In this
 * order: clear the EPT entries, make every CPU forget the translations it
 * cached (a VCPU may be running the guest on another CPU right now), and
 * only then let the pages go, so that the guest can never reach a page the
 * host may already use for something else.
 */
static void slot_release(struct minivmm_vm *vm, struct minivmm_memslot *s)
{
	struct page *page;
	unsigned long i;
	bool any = false;

	xa_for_each(&s->pages, i, page) {
		u64 *e = ept_walk(vm, s->gpa + ((u64)i << PAGE_SHIFT), false);

		if (e)
			WRITE_ONCE(*e, 0);
		any = true;
	}
	if (!any)
		goto out;
	ept_flush(vm);
	xa_for_each(&s->pages, i, page) {
		unpin_user_page(page);
		atomic_dec(&minivmm_stats.pinned_pages);
		vm->pinned_pages--;
		cond_resched();
	}
out:
	xa_destroy(&s->pages);
	memset(s, 0, sizeof(*s));
	while (vm->slots_end && !vm->slots[vm->slots_end - 1].size)
		vm->slots_end--;
}

void minivmm_ept_destroy(struct minivmm_vm *vm)
{
	int i;

	for (i = 0; i < MINIVMM_NR_MEMSLOTS; i++)
		if (vm->slots[i].size)
			slot_release(vm, &vm->slots[i]);
	/* Cached paging-structure entries point into the tables freed next. */
	ept_flush(vm);
	ept_free_table(vm->ept_root, EPT_LEVELS);
}

/*
 * Is [start, start + len) mapped in the calling process, by mappings whose
 * pages can be pinned (not I/O or PFN maps)? Memory can still be unmapped
 * later: then the RUN that faults on it fails with -EFAULT.
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
	int i;

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
		mutex_unlock(&vm->lock);
		return -EINVAL;		/* delete a slot before reusing it */
	}
	for (i = 0; i < MINIVMM_NR_MEMSLOTS; i++) {
		struct minivmm_memslot *o = &vm->slots[i];

		if (o->size && r->guest_phys_addr < o->gpa + o->size &&
		    o->gpa < r->guest_phys_addr + r->memory_size) {
			mutex_unlock(&vm->lock);
			return -EEXIST;
		}
	}
	/*
	 * Nothing is allocated for the slot's pages until the guest touches
	 * them (EPT violations fill s->pages), so a slot of any size costs
	 * the same to set up.
	 */
	xa_init(&s->pages);
	s->gpa = r->guest_phys_addr;
	s->hva = r->userspace_addr;
	s->flags = r->flags;
	s->size = r->memory_size;
	vm->slots_end = max_t(unsigned int, vm->slots_end, r->slot + 1);
	mutex_unlock(&vm->lock);
	return 0;
}

/*
 * An EPT violation at gpa: map the page if a slot covers it. Returns 0 when
 * mapped, 1 when the access is MMIO (no slot, or a write to a read-only
 * slot), or a negative errno. Runs preemptible; may sleep.
 */
int minivmm_ept_fault(struct minivmm_vm *vm, u64 gpa, bool write)
{
	struct minivmm_memslot *s;
	struct page *page;
	u64 idx, *e;
	int r = 0;

	mutex_lock(&vm->lock);
	s = find_slot(vm, gpa);
	if (!s || (write && (s->flags & MINIVMM_MEM_READONLY))) {
		r = 1;
		goto out;
	}
	idx = (gpa - s->gpa) >> PAGE_SHIFT;
	page = xa_load(&s->pages, idx);
	if (!page) {
		unsigned int gup = FOLL_LONGTERM;

		if (!(s->flags & MINIVMM_MEM_READONLY))
			gup |= FOLL_WRITE;
		if (pin_user_pages_fast(s->hva + (idx << PAGE_SHIFT), 1, gup,
					&page) != 1) {
			r = -EFAULT;
			goto out;
		}
		if (xa_err(xa_store(&s->pages, idx, page, GFP_KERNEL_ACCOUNT))) {
			unpin_user_page(page);
			r = -ENOMEM;
			goto out;
		}
		atomic_inc(&minivmm_stats.pinned_pages);
		vm->pinned_pages++;
	}
	e = ept_walk(vm, gpa, true);
	if (!e) {
		r = -ENOMEM;
		goto out;
	}
	*e = page_to_phys(page) | EPT_READ | EPT_EXEC | EPT_MEMTYPE_WB | EPT_IGNORE_PAT |
	     ((s->flags & MINIVMM_MEM_READONLY) ? 0 : EPT_WRITE);
out:
	mutex_unlock(&vm->lock);
	return r;
}
