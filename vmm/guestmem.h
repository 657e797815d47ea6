/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Guest memory as vmm reaches it: guest-physical addresses checked against
 * vm->mem, guest-virtual ones through the guest's own page tables with the
 * module's page walk (kmod/pagewalk.c). For the gdb stub and --trace.
 */
#ifndef VMM_GUESTMEM_H
#define VMM_GUESTMEM_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <linux/minivmm.h>

struct vm;

/* Guest-virtual la to guest-physical with the paging mode of sr: 0 or -1. */
int guest_translate(struct vm *vm, const struct minivmm_sregs *sr, uint64_t la, uint64_t *gpa);
/*
 * Copy len bytes at guest-virtual la to buf (or buf to guest memory when
 * write), page by page: the number of bytes copied before the first page
 * that is not mapped or not in guest memory.
 */
size_t guest_copy(struct vm *vm, const struct minivmm_sregs *sr, uint64_t la, uint8_t *buf,
		  size_t len, bool write);

#endif
