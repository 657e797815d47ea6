/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The guest's page walk: a linear address to a guest-physical one through
 * the guest's own page tables (SDM Vol. 3A, 4.3 32-bit paging, 4.4 PAE
 * paging, 4.5 4-level paging). Pure logic in one header, included by the
 * module (MMIO emulation, string I/O: VCPU thread, vm->lock held) and by
 * vmm (the gdb stub, --trace) and its unit test; the caller supplies how
 * guest-physical memory is read.
 */
#ifndef MINIVMM_PAGEWALK_H
#define MINIVMM_PAGEWALK_H

#ifdef __KERNEL__
#include <linux/bits.h>
#include <linux/types.h>
#else
#include "../tests/lib/ktypes.h"	/* vmm and host unit tests */
#endif

/* The control registers that select the paging mode. */
struct pagewalk_regs {
	u64 cr0, cr3, cr4, efer;
};

/* Read len (4 or 8) bytes of guest-physical memory: 0, or nonzero. */
typedef int (*pagewalk_read_t)(void *ctx, u64 gpa, void *buf, unsigned int len);

#define PW_CR0_PG	BIT_ULL(31)
#define PW_CR4_PSE	BIT_ULL(4)
#define PW_CR4_PAE	BIT_ULL(5)
#define PW_CR4_LA57	BIT_ULL(12)
#define PW_EFER_LMA	BIT_ULL(10)
#define PW_P		BIT_ULL(0)	/* present */
#define PW_PS		BIT_ULL(7)	/* page size: this entry maps a page */
#define PW_ADDR		0x000ffffffffff000ULL	/* bits 51:12 */

/* SDM 4.3, Table 4-4 and 4-6: 4 KiB and 4 MiB pages (PSE-36 high bits). */
static inline int pagewalk_32(const struct pagewalk_regs *r, u64 la, u64 *gpa,
			      pagewalk_read_t read, void *ctx)
{
	u32 pde, pte;
	u64 a;

	a = (r->cr3 & 0xfffff000ULL) + ((la >> 22) & 0x3ff) * 4;
	if (read(ctx, a, &pde, 4) || !(pde & PW_P))
		return -1;
	if ((pde & PW_PS) && (r->cr4 & PW_CR4_PSE)) {
		*gpa = (pde & 0xffc00000ULL) | ((u64)((pde >> 13) & 0xff) << 32) |
		       (la & 0x3fffff);
		return 0;
	}
	a = (pde & 0xfffff000ULL) + ((la >> 12) & 0x3ff) * 4;
	if (read(ctx, a, &pte, 4) || !(pte & PW_P))
		return -1;
	*gpa = (pte & 0xfffff000ULL) | (la & 0xfff);
	return 0;
}

/*
 * Translate la. Returns 0 with *gpa set, or -1 when an entry is not
 * present, cannot be read, or the mode is not walked (5-level paging).
 * Access rights are not checked: the hypervisor reads what the guest's
 * instruction already reached. Inline, so that a caller's read function
 * is called directly (the MMIO exit path walks on every access).
 */
static inline int pagewalk(const struct pagewalk_regs *r, u64 la, u64 *gpa,
			   pagewalk_read_t read, void *ctx)
{
	int levels, shift, i;
	u64 table, e = 0, idx;

	if (!(r->cr0 & PW_CR0_PG)) {
		*gpa = la;
		return 0;
	}
	if (!(r->cr4 & PW_CR4_PAE))
		return pagewalk_32(r, (u32)la, gpa, read, ctx);
	if ((r->efer & PW_EFER_LMA) && (r->cr4 & PW_CR4_LA57))
		return -1;
	if (r->efer & PW_EFER_LMA) {		/* SDM 4.5: PML4 at CR3[51:12] */
		levels = 4;
		table = r->cr3 & PW_ADDR;
	} else {				/* SDM 4.4: PDPT at CR3[31:5] */
		levels = 3;
		la = (u32)la;
		table = r->cr3 & 0xffffffe0ULL;
	}
	shift = 12 + 9 * (levels - 1);
	for (i = 0; i < levels; i++, shift -= 9) {
		idx = (la >> shift) & (levels == 3 && i == 0 ? 3 : 511);
		if (read(ctx, table + idx * 8, &e, 8) || !(e & PW_P))
			return -1;
		if (i > 0 && (e & PW_PS)) {	/* a 1 GiB or 2 MiB page */
			u64 mask = (1ULL << shift) - 1;

			*gpa = (e & PW_ADDR & ~mask) | (la & mask);
			return 0;
		}
		table = e & PW_ADDR;
	}
	*gpa = (e & PW_ADDR) | (la & 0xfff);
	return 0;
}

#endif /* MINIVMM_PAGEWALK_H */
