/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The guest's page walk: a linear address to a guest-physical one through
 * the guest's own page tables (SDM Vol. 3A, 4.3 32-bit paging, 4.4 PAE
 * paging, 4.5 4-level paging). Pure logic: built into the module (MMIO
 * emulation, string I/O) and into vmm (the gdb stub, --trace); the caller
 * supplies how guest-physical memory is read.
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

/*
 * Translate la. Returns 0 with *gpa set, or -1 when an entry is not
 * present, cannot be read, or the mode is not walked (5-level paging).
 * Access rights are not checked: the hypervisor reads what the guest's
 * instruction already reached.
 */
int pagewalk(const struct pagewalk_regs *r, u64 la, u64 *gpa,
	     pagewalk_read_t read, void *ctx);

#endif /* MINIVMM_PAGEWALK_H */
