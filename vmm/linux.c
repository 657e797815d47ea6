// SPDX-License-Identifier: GPL-2.0
/*
 * The Linux x86 boot protocol: vmm as the kernel's boot loader; see
 * linux.h. Offsets are those of Documentation/arch/x86/boot.rst ("the real
 * mode kernel header") and of struct boot_params (zero-page.rst): the
 * setup header sits at 0x1f1 both in the bzImage file and in the zero page.
 * Runs in user mode on the host, before the VCPU first enters the guest.
 */
#include <elf.h>
#include <stdio.h>
#include <string.h>

#include "linux.h"
#include "vmlinux.h"

/* The setup header: offsets in the bzImage and in the zero page alike. */
#define HDR_START		0x1f1
#define HDR_SETUP_SECTS		0x1f1	/* u8: 512-byte sectors of setup code (0: 4) */
#define HDR_BOOT_FLAG		0x1fe	/* u16: 0xaa55 */
#define HDR_JUMP_END		0x201	/* u8: the header ends at 0x202 + this */
#define HDR_MAGIC		0x202	/* u32: "HdrS" */
#define HDR_VERSION		0x206	/* u16: the protocol, e.g. 0x020f */
#define HDR_TYPE_OF_LOADER	0x210	/* u8: 0xff, a loader with no ID */
#define HDR_LOADFLAGS		0x211	/* u8 */
#define HDR_RAMDISK_IMAGE	0x218	/* u32 */
#define HDR_RAMDISK_SIZE	0x21c	/* u32 */
#define HDR_CMD_LINE_PTR	0x228	/* u32 */
#define HDR_INITRD_ADDR_MAX	0x22c	/* u32: the highest byte an initrd may use */
#define HDR_KERNEL_ALIGNMENT	0x230	/* u32 */
#define HDR_RELOCATABLE		0x234	/* u8 */
#define HDR_XLOADFLAGS		0x236	/* u16 */
#define HDR_CMDLINE_SIZE	0x238	/* u32: longest command line, NUL excluded */
#define HDR_PREF_ADDRESS	0x258	/* u64: where a relocatable kernel prefers to run */
#define HDR_INIT_SIZE		0x260	/* u32: memory the kernel needs from there */
#define HDR_END_MIN		0x264	/* a 2.12 header goes at least this far */

#define HDR_MAGIC_HDRS		0x53726448	/* "HdrS" */
#define LOADED_HIGH		0x01	/* loadflags: the kernel is at 1 MiB */
#define XLF_KERNEL_64		0x01	/* xloadflags: has the 64-bit entry */

/* struct boot_params, beyond the setup header. */
#define BP_EXT_RAMDISK_IMAGE	0x0c0	/* u32: bits 63:32 of ramdisk_image */
#define BP_EXT_RAMDISK_SIZE	0x0c4
#define BP_E820_ENTRIES		0x1e8	/* u8 */
#define BP_E820_TABLE		0x2d0	/* 128 entries of {u64 addr, size; u32 type} */
#define BP_E820_MAX		128
#define BP_SIZE			0x1000

#define PAGE			0x1000ULL

static uint32_t get16(const uint8_t *p, unsigned int off)
{
	return p[off] | p[off + 1] << 8;
}

static uint32_t get32(const uint8_t *p, unsigned int off)
{
	return get16(p, off) | (uint32_t)get16(p, off + 2) << 16;
}

static uint64_t get64(const uint8_t *p, unsigned int off)
{
	return get32(p, off) | (uint64_t)get32(p, off + 4) << 32;
}

static void put16(uint8_t *p, unsigned int off, uint16_t v)
{
	p[off] = v;
	p[off + 1] = v >> 8;
}

static void put32(uint8_t *p, unsigned int off, uint32_t v)
{
	put16(p, off, v);
	put16(p, off + 2, v >> 16);
}

static void put64(uint8_t *p, unsigned int off, uint64_t v)
{
	put32(p, off, v);
	put32(p, off + 4, v >> 32);
}

static uint64_t align_up(uint64_t x, uint64_t a)
{
	return (x + a - 1) & ~(a - 1);
}

static void e820_add(uint8_t *bp, uint64_t start, uint64_t end, uint32_t type)
{
	unsigned int n = bp[BP_E820_ENTRIES];
	unsigned int off = BP_E820_TABLE + n * 20;

	if (end <= start || n >= BP_E820_MAX)
		return;
	put64(bp, off, start);
	put64(bp, off + 8, end - start);
	put32(bp, off + 16, type);
	bp[BP_E820_ENTRIES] = n + 1;
}

/*
 * The PC's memory map as a BIOS reports it (and QEMU's isapc machine):
 * RAM to 639 KiB, the extended BIOS data area, the hole with VGA memory
 * and ROMs (not listed, except the system BIOS), RAM from 1 MiB on.
 */
static void e820_pc(uint8_t *bp, uint64_t mem_size)
{
	e820_add(bp, 0, LINUX_EBDA, E820_RAM);
	e820_add(bp, LINUX_EBDA, 0xa0000, E820_RESERVED);
	e820_add(bp, LINUX_BIOS, 0x100000, E820_RESERVED);
	e820_add(bp, 0x100000, mem_size, E820_RAM);
}

/* GDT: null, unused, 64-bit code at 0x10, data at 0x18 (SDM Vol. 3A, 3.4.5). */
static void linux_gdt(uint8_t *mem)
{
	static const uint64_t gdt[] = {
		0,
		0,
		0x00af9b000000ffffULL,	/* __BOOT_CS: code, 64-bit (L), base 0 */
		0x00cf93000000ffffULL,	/* __BOOT_DS: data, base 0, limit 4G */
	};

	memcpy(mem + LOADER_GDT_ADDR, gdt, sizeof(gdt));
}

/*
 * The unpacked kernel's segments: each must lie between 1 MiB and 4 GiB
 * (the entry's identity map). Its end in *end, its entry in *entry.
 */
static int vmlinux_extent(const struct linux_image *li, uint64_t *entry, uint64_t *end,
			  char *err, size_t errlen)
{
	const Elf64_Ehdr *eh = (const Elf64_Ehdr *)li->vmlinux;
	char why[160];
	unsigned int i;

	if (vmlinux_check(li->vmlinux, li->vmlinux_len, entry, why, sizeof(why))) {
		snprintf(err, errlen, "its unpacked kernel (vmlinux): %s", why);
		return -1;
	}
	*end = 0;
	for (i = 0; i < eh->e_phnum; i++) {
		Elf64_Phdr ph;

		memcpy(&ph, li->vmlinux + eh->e_phoff + i * sizeof(ph), sizeof(ph));
		if (ph.p_type != PT_LOAD)
			continue;
		if (ph.p_paddr < LINUX_KERNEL_ADDR || ph.p_paddr + ph.p_memsz > 1ULL << 32) {
			snprintf(err, errlen,
				 "its unpacked kernel (vmlinux) has a segment at %#llx, outside 1 MiB to 4 GiB",
				 (unsigned long long)ph.p_paddr);
			return -1;
		}
		if (ph.p_paddr + ph.p_memsz > *end)
			*end = ph.p_paddr + ph.p_memsz;
	}
	return 0;
}

/* Copy the (checked) segments to their physical addresses; zero the rest of each. */
static void vmlinux_load(uint8_t *mem, const uint8_t *e)
{
	const Elf64_Ehdr *eh = (const Elf64_Ehdr *)e;
	unsigned int i;

	for (i = 0; i < eh->e_phnum; i++) {
		Elf64_Phdr ph;

		memcpy(&ph, e + eh->e_phoff + i * sizeof(ph), sizeof(ph));
		if (ph.p_type != PT_LOAD)
			continue;
		memcpy(mem + ph.p_paddr, e + ph.p_offset, ph.p_filesz);
		memset(mem + ph.p_paddr + ph.p_filesz, 0, ph.p_memsz - ph.p_filesz);
	}
}

int load_linux(uint8_t *mem, uint64_t mem_size, const struct linux_image *li,
	       struct guest_entry *entry, struct linux_layout *layout,
	       char *err, size_t errlen)
{
	const uint8_t *k = li->kernel;
	uint64_t setup_size, pm_len, align, pref, init_size, run_addr, need;
	uint64_t initrd_top, initrd_addr = 0, vm_entry = 0, vm_end = 0;
	size_t cmd_len = li->cmdline ? strlen(li->cmdline) : 0;
	unsigned int hdr_end, sects;
	uint16_t version;
	uint8_t *bp;

	memset(layout, 0, sizeof(*layout));
	if (li->kernel_len < HDR_END_MIN || get16(k, HDR_BOOT_FLAG) != 0xaa55 ||
	    get32(k, HDR_MAGIC) != HDR_MAGIC_HDRS) {
		snprintf(err, errlen, "not a Linux kernel image (bzImage): no \"HdrS\" setup header at 0x202");
		return -1;
	}
	version = get16(k, HDR_VERSION);
	layout->protocol = version;
	if (version < LINUX_MIN_PROTOCOL) {
		snprintf(err, errlen,
			 "boot protocol %u.%02u is too old: vmm needs %u.%02u or later (Linux 3.8)",
			 version >> 8, version & 0xff, LINUX_MIN_PROTOCOL >> 8,
			 LINUX_MIN_PROTOCOL & 0xff);
		return -1;
	}
	if (!(get16(k, HDR_XLOADFLAGS) & XLF_KERNEL_64)) {
		snprintf(err, errlen, "the kernel has no 64-bit entry point (a 32-bit kernel?)");
		return -1;
	}
	if (!(k[HDR_LOADFLAGS] & LOADED_HIGH)) {
		snprintf(err, errlen, "a zImage (loaded low): vmm boots only bzImages");
		return -1;
	}
	sects = k[HDR_SETUP_SECTS] ? k[HDR_SETUP_SECTS] : 4;
	setup_size = (sects + 1) * 512ULL;
	hdr_end = 0x202 + k[HDR_JUMP_END];
	if (setup_size >= li->kernel_len || hdr_end > setup_size || hdr_end < HDR_END_MIN) {
		snprintf(err, errlen, "the setup header is inconsistent with the file's size (%zu bytes)",
			 li->kernel_len);
		return -1;
	}
	pm_len = li->kernel_len - setup_size;
	if (li->vmlinux && vmlinux_extent(li, &vm_entry, &vm_end, err, errlen))
		return -1;

	/*
	 * Where the kernel decompresses itself (arch/x86/boot/compressed/
	 * head_64.S): its load address rounded up to kernel_alignment, but
	 * not below pref_address; it needs init_size bytes from there.
	 */
	align = get32(k, HDR_KERNEL_ALIGNMENT);
	if (!align || (align & (align - 1)))
		align = 2 << 20;
	pref = get64(k, HDR_PREF_ADDRESS);
	init_size = get32(k, HDR_INIT_SIZE);
	run_addr = align_up(LINUX_KERNEL_ADDR, align);
	if (!k[HDR_RELOCATABLE] || run_addr < pref)
		run_addr = pref;
	need = run_addr + (init_size > pm_len ? init_size : pm_len);
	if (LINUX_KERNEL_ADDR + pm_len > need)
		need = LINUX_KERNEL_ADDR + pm_len;
	if (li->vmlinux && vm_end > need)
		need = vm_end;
	layout->kernel_end = LINUX_KERNEL_ADDR + pm_len;
	layout->run_addr = run_addr;
	layout->init_size = init_size;
	if (need > mem_size) {
		snprintf(err, errlen,
			 "the kernel needs %llu MiB of guest memory to decompress itself, more than %llu MiB (--mem)",
			 (unsigned long long)((need + (1 << 20) - 1) >> 20),
			 (unsigned long long)(mem_size >> 20));
		return -1;
	}

	/* The command line: at most cmdline_size bytes and a NUL. */
	if (cmd_len > get32(k, HDR_CMDLINE_SIZE) || cmd_len >= LINUX_CMDLINE_MAX) {
		snprintf(err, errlen, "the command line is %zu bytes, the kernel takes at most %u",
			 cmd_len, get32(k, HDR_CMDLINE_SIZE));
		return -1;
	}

	/* The initrd: page-aligned at the top of memory, below initrd_addr_max. */
	if (li->initrd) {
		initrd_top = (uint64_t)get32(k, HDR_INITRD_ADDR_MAX) + 1;
		if (initrd_top > mem_size)
			initrd_top = mem_size;
		if (!li->initrd_len) {
			snprintf(err, errlen, "the initrd is empty");
			return -1;
		}
		if (li->initrd_len > initrd_top ||
		    ((initrd_top - li->initrd_len) & ~(PAGE - 1)) < need) {
			snprintf(err, errlen,
				 "the initrd (%zu bytes) does not fit between the kernel (to %llu MiB) and %llu MiB (--mem, or the kernel's initrd_addr_max)",
				 li->initrd_len, (unsigned long long)((need + (1 << 20) - 1) >> 20),
				 (unsigned long long)(initrd_top >> 20));
			return -1;
		}
		initrd_addr = (initrd_top - li->initrd_len) & ~(PAGE - 1);
		layout->initrd_addr = initrd_addr;
	}

	/* Everything checked: write guest memory. */
	if (li->vmlinux)
		vmlinux_load(mem, li->vmlinux);
	else
		memcpy(mem + LINUX_KERNEL_ADDR, k + setup_size, pm_len);
	if (li->initrd)
		memcpy(mem + initrd_addr, li->initrd, li->initrd_len);
	memset(mem + LINUX_CMDLINE, 0, cmd_len + 1);
	if (cmd_len)
		memcpy(mem + LINUX_CMDLINE, li->cmdline, cmd_len);

	bp = mem + LINUX_ZERO_PAGE;
	memset(bp, 0, BP_SIZE);
	memcpy(bp + HDR_START, k + HDR_START, hdr_end - HDR_START);
	bp[HDR_TYPE_OF_LOADER] = 0xff;
	put32(bp, HDR_CMD_LINE_PTR, LINUX_CMDLINE);
	put32(bp, HDR_RAMDISK_IMAGE, (uint32_t)initrd_addr);
	put32(bp, BP_EXT_RAMDISK_IMAGE, (uint32_t)(initrd_addr >> 32));
	put32(bp, HDR_RAMDISK_SIZE, li->initrd ? (uint32_t)li->initrd_len : 0);
	put32(bp, BP_EXT_RAMDISK_SIZE, li->initrd ? (uint32_t)((uint64_t)li->initrd_len >> 32) : 0);
	e820_pc(bp, mem_size);
	layout->e820_entries = bp[BP_E820_ENTRIES];

	linux_gdt(mem);
	loader_page_tables(mem);
	entry->rip = li->vmlinux ? vm_entry : LINUX_KERNEL_ADDR + LINUX_ENTRY_64;
	layout->entry = entry->rip;
	entry->mode = 64;
	entry->boot_params = LINUX_ZERO_PAGE;
	return 0;
}
