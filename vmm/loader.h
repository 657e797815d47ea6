/* SPDX-License-Identifier: GPL-2.0 */
/* Guest image loaders. Pure logic over a memory buffer: unit-tested. */
#ifndef VMM_LOADER_H
#define VMM_LOADER_H

#include <stddef.h>
#include <stdint.h>

#define FLAT_LOAD_ADDR	0x7c00		/* where a boot sector runs */

struct guest_entry {
	uint64_t rip;			/* where the VCPU starts */
	int mode;			/* 16 (real mode) for now */
};

/*
 * Load a flat image at 0x7c00 in guest memory mem[0..mem_size). Returns 0,
 * or -1 with a one-line reason in err.
 */
int load_flat(uint8_t *mem, uint64_t mem_size, const uint8_t *img, size_t len,
	      struct guest_entry *entry, char *err, size_t errlen);

#endif
