/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Guest image loaders. Pure logic over a memory buffer: unit-tested.
 *
 * - A flat image loads at 0x7c00 and starts in real mode at 0000:7c00,
 *   like a boot sector.
 * - An ELF32 (i386) image loads its PT_LOAD segments at their physical
 *   addresses and starts at its entry in flat 32-bit protected mode.
 * - An ELF64 (x86-64) image the same, in 64-bit mode, with page tables
 *   built by vmm that identity-map the first 4 GiB.
 */
#ifndef VMM_LOADER_H
#define VMM_LOADER_H

#include <stddef.h>
#include <stdint.h>

#define FLAT_LOAD_ADDR	0x7c00		/* where a boot sector runs */

/* Guest-physical pages vmm uses for protected and long mode. */
#define LOADER_GDT_ADDR		0x0500	/* null, code32, data, code64 */
#define LOADER_PT_ADDR		0x1000	/* PML4, PDPT, 4 PDs: 0x1000-0x6fff */
#define LOADER_PT_END		0x7000
#define LOADER_STACK_TOP	0x80000	/* initial RSP below the 640K hole */

#define LOADER_SEL_CODE32	0x08
#define LOADER_SEL_DATA		0x10
#define LOADER_SEL_CODE64	0x18

struct guest_entry {
	uint64_t rip;			/* where the VCPU starts */
	int mode;			/* 16, 32 or 64 */
	uint64_t boot_params;		/* a Linux kernel's zero page (linux.h), or 0 */
};

/*
 * Load an image of any supported kind into guest memory mem[0..mem_size).
 * Returns 0, or -1 with a one-line reason in err.
 */
int load_image(uint8_t *mem, uint64_t mem_size, const uint8_t *img, size_t len,
	       struct guest_entry *entry, char *err, size_t errlen);

int load_flat(uint8_t *mem, uint64_t mem_size, const uint8_t *img, size_t len,
	      struct guest_entry *entry, char *err, size_t errlen);
int load_elf(uint8_t *mem, uint64_t mem_size, const uint8_t *img, size_t len,
	     struct guest_entry *entry, char *err, size_t errlen);

/* Identity-map the first 4 GiB at LOADER_PT_ADDR (2 MiB pages). */
void loader_page_tables(uint8_t *mem);

#endif
