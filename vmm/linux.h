/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The Linux x86 boot protocol (Documentation/arch/x86/boot.rst in the
 * kernel tree), as a boot loader does it: vmm --kernel bzImage [--initrd]
 * [--append]. Pure logic over guest memory: unit-tested on the host.
 *
 * vmm plays the boot loader and the BIOS at once. It reads the kernel's
 * setup header, loads the protected-mode kernel at 1 MiB and the initrd at
 * the top of memory, writes the zero page (struct boot_params) with the
 * command line and the BIOS memory map (E820), and enters the kernel's
 * 64-bit entry point (1 MiB + 0x200) the way the 64-bit boot protocol asks:
 * long mode, identity-mapped page tables, a GDT with a flat code segment at
 * selector 0x10 and a flat data segment at 0x18, interrupts off, RSI the
 * zero page's address. There is no BIOS code: the guest's memory map, and
 * the absence of ACPI, MP and SMBIOS tables, tell the kernel it runs on a
 * PC with an 8259A and no APIC.
 */
#ifndef VMM_LINUX_H
#define VMM_LINUX_H

#include <stddef.h>
#include <stdint.h>

#include "loader.h"

/* Where vmm puts what it writes for the kernel (below 64 KiB). */
#define LINUX_ZERO_PAGE		0x7000	/* struct boot_params, 4 KiB */
#define LINUX_CMDLINE		0x8000	/* the command line, NUL-terminated */
#define LINUX_CMDLINE_MAX	0x8000	/* up to 0x10000 */
#define LINUX_KERNEL_ADDR	0x100000 /* the protected-mode kernel, at 1 MiB */
#define LINUX_ENTRY_64		0x200	/* startup_64, from the load address */

/* The 64-bit boot protocol's selectors (__BOOT_CS, __BOOT_DS). */
#define LINUX_SEL_CODE		0x10
#define LINUX_SEL_DATA		0x18

/* The oldest protocol vmm boots: 2.12, the first with xloadflags. */
#define LINUX_MIN_PROTOCOL	0x020c

/* What the PC's memory map says (the BIOS's INT 15h, AX=E820h). */
#define E820_RAM		1
#define E820_RESERVED		2
#define LINUX_EBDA		0x9fc00	/* the last KiB below 640 KiB */
#define LINUX_BIOS		0xf0000	/* the system BIOS, 64 KiB */

struct linux_image {
	const uint8_t *kernel;	/* the bzImage file */
	size_t kernel_len;
	const uint8_t *initrd;	/* NULL: none */
	size_t initrd_len;
	const char *cmdline;	/* NULL: empty */
	const uint8_t *vmlinux;	/* the kernel unpacked (vmlinux.h), or NULL */
	size_t vmlinux_len;
};

/* What the loader found and where it put things (for --trace and tests). */
struct linux_layout {
	uint16_t protocol;	/* the setup header's version, e.g. 0x020f */
	uint64_t kernel_end;	/* end of the protected-mode kernel at 1 MiB */
	uint64_t run_addr;	/* where the kernel decompresses itself */
	uint64_t init_size;	/* the memory it needs there */
	uint64_t initrd_addr;	/* 0 if no initrd */
	uint64_t entry;		/* where the guest starts */
	unsigned int e820_entries;
};

/*
 * With li->vmlinux, the kernel proper goes where its ELF program headers
 * say (16 MiB for x86-64) and the guest starts at its entry
 * (startup_64, with the same registers and zero page): the bzImage's
 * decompressor does not run. The setup header still comes from the
 * bzImage.
 *
 * Load the kernel, initrd and command line into mem[0..mem_size) and write
 * the zero page, GDT and page tables. On success entry is the 64-bit entry
 * with entry->boot_params set; returns 0. On failure returns -1 with a
 * one-line reason in err, and mem may be partly written.
 */
int load_linux(uint8_t *mem, uint64_t mem_size, const struct linux_image *li,
	       struct guest_entry *entry, struct linux_layout *layout,
	       char *err, size_t errlen);

#endif
