// SPDX-License-Identifier: GPL-2.0
/*
 * Host unit tests for the Linux boot protocol loader (vmm/linux.c), on a
 * made-up bzImage whose setup header says what Debian's kernels say.
 * The real kernels boot in the test machine (tests/vm).
 */
#include <check.h>

#include "unit.h"
#include <elf.h>
#include <string.h>

#include "../../vmm/linux.h"

#define MEM (32u << 20)
static uint8_t mem[MEM];
static uint8_t kernel[1024 + 4096];	/* 1 sector of setup + the boot sector */
static char err[256];

static void put(uint8_t *p, unsigned int off, uint64_t v, unsigned int bytes)
{
	unsigned int i;

	for (i = 0; i < bytes; i++)
		p[off + i] = v >> (8 * i);
}

static uint64_t get(const uint8_t *p, unsigned int off, unsigned int bytes)
{
	uint64_t v = 0;
	unsigned int i;

	for (i = 0; i < bytes; i++)
		v |= (uint64_t)p[off + i] << (8 * i);
	return v;
}

/* A protocol 2.15 bzImage: 1 setup sector, 4 KiB of "kernel". */
static void make_kernel(void)
{
	memset(kernel, 0, sizeof(kernel));
	kernel[0x1f1] = 1;				/* setup_sects */
	put(kernel, 0x1fe, 0xaa55, 2);			/* boot_flag */
	kernel[0x200] = 0xeb;				/* jump over the header */
	kernel[0x201] = 0x66;				/* ... to 0x268 */
	put(kernel, 0x202, 0x53726448, 4);		/* "HdrS" */
	put(kernel, 0x206, 0x020f, 2);			/* version */
	kernel[0x211] = 0x01;				/* loadflags: LOADED_HIGH */
	put(kernel, 0x22c, 0x7fffffff, 4);		/* initrd_addr_max */
	put(kernel, 0x230, 0x200000, 4);		/* kernel_alignment */
	kernel[0x234] = 1;				/* relocatable_kernel */
	put(kernel, 0x236, 0x7f, 2);			/* xloadflags: 64-bit and more */
	put(kernel, 0x238, 2047, 4);			/* cmdline_size */
	put(kernel, 0x258, 0x1000000, 8);		/* pref_address: 16 MiB */
	put(kernel, 0x260, 0x400000, 4);		/* init_size: 4 MiB */
	memset(kernel + 1024, 0xcc, 4096);		/* the protected-mode kernel */
}

static int load(uint64_t mem_size, const uint8_t *initrd, size_t initrd_len,
		const char *cmdline, struct guest_entry *e, struct linux_layout *l)
{
	struct linux_image li = { kernel, sizeof(kernel), initrd, initrd_len, cmdline, NULL, 0 };

	memset(mem, 0, sizeof(mem));
	err[0] = '\0';
	return load_linux(mem, mem_size, &li, e, l, err, sizeof(err));
}

START_TEST(test_loads_kernel_zero_page_and_entry)
{
	const uint8_t *bp = mem + LINUX_ZERO_PAGE;
	struct guest_entry e;
	struct linux_layout l;
	const uint64_t *gdt = (const uint64_t *)(mem + LOADER_GDT_ADDR);

	make_kernel();
	ck_assert_msg(load(MEM, NULL, 0, "console=ttyS0 panic=-1", &e, &l) == 0, "%s", err);
	/* The 64-bit entry: 1 MiB + 0x200, RSI the zero page. */
	ck_assert_uint_eq(e.rip, 0x100200);
	ck_assert_int_eq(e.mode, 64);
	ck_assert_uint_eq(e.boot_params, LINUX_ZERO_PAGE);
	ck_assert_uint_eq(l.protocol, 0x020f);
	/* The protected-mode kernel at 1 MiB, the setup code nowhere. */
	ck_assert_uint_eq(mem[0x100000], 0xcc);
	ck_assert_uint_eq(mem[0x100000 + 4095], 0xcc);
	ck_assert_uint_eq(mem[0x100000 + 4096], 0);
	ck_assert_uint_eq(l.kernel_end, 0x101000);
	/* It decompresses at pref_address (16 MiB), above 1 MiB rounded to 2 MiB. */
	ck_assert_uint_eq(l.run_addr, 0x1000000);
	/* The setup header, copied, with what the loader fills in. */
	ck_assert_uint_eq(get(bp, 0x202, 4), 0x53726448);
	ck_assert_uint_eq(get(bp, 0x206, 2), 0x020f);
	ck_assert_uint_eq(get(bp, 0x260, 4), 0x400000);
	ck_assert_uint_eq(bp[0x210], 0xff);			/* type_of_loader */
	ck_assert_uint_eq(get(bp, 0x228, 4), LINUX_CMDLINE);	/* cmd_line_ptr */
	ck_assert_str_eq((const char *)mem + LINUX_CMDLINE, "console=ttyS0 panic=-1");
	ck_assert_uint_eq(get(bp, 0x218, 4), 0);		/* no initrd */
	ck_assert_uint_eq(get(bp, 0x21c, 4), 0);
	ck_assert_uint_eq(bp[0x1ef], 0);			/* the sentinel */
	/* The GDT: __BOOT_CS a 64-bit code segment, __BOOT_DS flat data. */
	ck_assert_uint_eq(gdt[LINUX_SEL_CODE / 8], 0x00af9b000000ffffULL);
	ck_assert_uint_eq(gdt[LINUX_SEL_DATA / 8], 0x00cf93000000ffffULL);
	/* Page tables: PML4[0] -> PDPT, the first 2 MiB page identity-mapped. */
	ck_assert_uint_eq(get(mem, LOADER_PT_ADDR, 8), (LOADER_PT_ADDR + 0x1000) | 3);
	ck_assert_uint_eq(get(mem, LOADER_PT_ADDR + 0x2000, 8), 0x83);
}
END_TEST

/* A vmlinux as x86-64 links it: text at 16 MiB, its entry physical. */
static uint8_t vml[4096 + 2 * 4096];

static void make_vmlinux(uint64_t paddr)
{
	Elf64_Ehdr *eh = (Elf64_Ehdr *)vml;
	Elf64_Phdr *ph = (Elf64_Phdr *)(vml + sizeof(*eh));

	memset(vml, 0, sizeof(vml));
	memcpy(eh->e_ident, ELFMAG, SELFMAG);
	eh->e_ident[EI_CLASS] = ELFCLASS64;
	eh->e_ident[EI_DATA] = ELFDATA2LSB;
	eh->e_type = ET_EXEC;
	eh->e_machine = EM_X86_64;
	eh->e_entry = paddr;
	eh->e_phoff = sizeof(*eh);
	eh->e_phentsize = sizeof(*ph);
	eh->e_phnum = 2;
	ph[0] = (Elf64_Phdr){ .p_type = PT_LOAD, .p_offset = 4096, .p_vaddr = 0xffffffff81000000ULL,
			      .p_paddr = paddr, .p_filesz = 4096, .p_memsz = 3 * 4096 };
	ph[1] = (Elf64_Phdr){ .p_type = PT_LOAD, .p_offset = 8192, .p_vaddr = 0,
			      .p_paddr = paddr + 0x10000, .p_filesz = 4096, .p_memsz = 4096 };
	memset(vml + 4096, 0x90, 4096);
	memset(vml + 8192, 0x11, 4096);
}

START_TEST(test_unpacked_kernel_goes_where_its_elf_says)
{
	struct linux_image li = { kernel, sizeof(kernel), NULL, 0, "console=ttyS0", vml,
				  sizeof(vml) };
	struct guest_entry e;
	struct linux_layout l;

	make_kernel();
	make_vmlinux(0x1000000);
	memset(mem, 0xee, sizeof(mem));
	ck_assert_msg(load_linux(mem, MEM, &li, &e, &l, err, sizeof(err)) == 0, "%s", err);
	/* The entry is the ELF's (startup_64), with the zero page in RSI. */
	ck_assert_uint_eq(e.rip, 0x1000000);
	ck_assert_uint_eq(l.entry, 0x1000000);
	ck_assert_uint_eq(e.boot_params, LINUX_ZERO_PAGE);
	/* Each segment at its physical address, the rest of it zeroed. */
	ck_assert_uint_eq(mem[0x1000000], 0x90);
	ck_assert_uint_eq(mem[0x1000fff], 0x90);
	ck_assert_uint_eq(mem[0x1001000], 0);
	ck_assert_uint_eq(mem[0x1002fff], 0);
	ck_assert_uint_eq(mem[0x1003000], 0xee);
	ck_assert_uint_eq(mem[0x1010000], 0x11);
	/* The bzImage's own code is not loaded at 1 MiB. */
	ck_assert_uint_eq(mem[0x100000], 0xee);
	/* The zero page still comes from the bzImage's header. */
	ck_assert_uint_eq(get(mem + LINUX_ZERO_PAGE, 0x202, 4), 0x53726448);

	/* A segment below 1 MiB, or one that is not an ELF: refused. */
	make_vmlinux(0x80000);
	ck_assert_int_eq(load_linux(mem, MEM, &li, &e, &l, err, sizeof(err)), -1);
	ck_assert_msg(strstr(err, "outside 1 MiB to 4 GiB"), "%s", err);
	make_vmlinux(0x1000000);
	vml[1] = 'X';
	ck_assert_int_eq(load_linux(mem, MEM, &li, &e, &l, err, sizeof(err)), -1);
	ck_assert_msg(strstr(err, "not a 64-bit x86-64 executable ELF"), "%s", err);
	/* A segment that ends past --mem. */
	make_vmlinux(MEM - 4096);
	ck_assert_int_eq(load_linux(mem, MEM, &li, &e, &l, err, sizeof(err)), -1);
	ck_assert_msg(strstr(err, "guest memory"), "%s", err);
}
END_TEST

START_TEST(test_e820_is_a_pc)
{
	const uint8_t *bp = mem + LINUX_ZERO_PAGE;
	static const uint64_t want[][3] = {
		{ 0, 0x9fc00, 1 },
		{ 0x9fc00, 0x400, 2 },
		{ 0xf0000, 0x10000, 2 },
		{ 0x100000, MEM - 0x100000, 1 },
	};
	struct guest_entry e;
	struct linux_layout l;
	unsigned int i;

	make_kernel();
	ck_assert_msg(load(MEM, NULL, 0, NULL, &e, &l) == 0, "%s", err);
	ck_assert_uint_eq(bp[0x1e8], 4);
	ck_assert_uint_eq(l.e820_entries, 4);
	for (i = 0; i < 4; i++) {
		ck_assert_uint_eq(get(bp, 0x2d0 + i * 20, 8), want[i][0]);
		ck_assert_uint_eq(get(bp, 0x2d0 + i * 20 + 8, 8), want[i][1]);
		ck_assert_uint_eq(get(bp, 0x2d0 + i * 20 + 16, 4), want[i][2]);
	}
	/* No command line: an empty string, still pointed to. */
	ck_assert_uint_eq(mem[LINUX_CMDLINE], 0);
}
END_TEST

START_TEST(test_initrd_at_the_top_below_initrd_addr_max)
{
	static uint8_t initrd[5000];
	const uint8_t *bp = mem + LINUX_ZERO_PAGE;
	struct guest_entry e;
	struct linux_layout l;
	uint64_t at;

	make_kernel();
	memset(initrd, 0x5a, sizeof(initrd));
	ck_assert_msg(load(MEM, initrd, sizeof(initrd), NULL, &e, &l) == 0, "%s", err);
	at = (MEM - sizeof(initrd)) & ~0xfffULL;
	ck_assert_uint_eq(l.initrd_addr, at);
	ck_assert_uint_eq(get(bp, 0x218, 4), at);
	ck_assert_uint_eq(get(bp, 0x21c, 4), sizeof(initrd));
	ck_assert_uint_eq(get(bp, 0x0c0, 4), 0);		/* ext_ramdisk_image */
	ck_assert_int_eq(memcmp(mem + at, initrd, sizeof(initrd)), 0);

	/* initrd_addr_max is the highest byte it may use. */
	put(kernel, 0x22c, (24u << 20) - 1, 4);
	ck_assert_msg(load(MEM, initrd, sizeof(initrd), NULL, &e, &l) == 0, "%s", err);
	ck_assert_uint_eq(l.initrd_addr, ((24u << 20) - sizeof(initrd)) & ~0xfffULL);
}
END_TEST

START_TEST(test_not_a_bzimage)
{
	struct guest_entry e;
	struct linux_layout l;

	make_kernel();
	put(kernel, 0x202, 0x53726449, 4);
	ck_assert_int_eq(load(MEM, NULL, 0, NULL, &e, &l), -1);
	ck_assert_str_eq(err, "not a Linux kernel image (bzImage): no \"HdrS\" setup header at 0x202");
	make_kernel();
	put(kernel, 0x1fe, 0, 2);
	ck_assert_int_eq(load(MEM, NULL, 0, NULL, &e, &l), -1);
	ck_assert_ptr_nonnull(strstr(err, "not a Linux kernel image"));
	/* Setup sectors beyond the end of the file. */
	make_kernel();
	kernel[0x1f1] = 9;
	ck_assert_int_eq(load(MEM, NULL, 0, NULL, &e, &l), -1);
	ck_assert_str_eq(err, "the setup header is inconsistent with the file's size (5120 bytes)");
}
END_TEST

START_TEST(test_old_or_32_bit_kernels)
{
	struct guest_entry e;
	struct linux_layout l;

	make_kernel();
	put(kernel, 0x206, 0x020b, 2);
	ck_assert_int_eq(load(MEM, NULL, 0, NULL, &e, &l), -1);
	ck_assert_str_eq(err, "boot protocol 2.11 is too old: vmm needs 2.12 or later (Linux 3.8)");
	make_kernel();
	put(kernel, 0x206, 0x020c, 2);
	ck_assert_msg(load(MEM, NULL, 0, NULL, &e, &l) == 0, "%s", err);
	make_kernel();
	put(kernel, 0x236, 0x7e, 2);
	ck_assert_int_eq(load(MEM, NULL, 0, NULL, &e, &l), -1);
	ck_assert_str_eq(err, "the kernel has no 64-bit entry point (a 32-bit kernel?)");
	make_kernel();
	kernel[0x211] = 0;
	ck_assert_int_eq(load(MEM, NULL, 0, NULL, &e, &l), -1);
	ck_assert_str_eq(err, "a zImage (loaded low): vmm boots only bzImages");
}
END_TEST

START_TEST(test_command_line_limit)
{
	static char line[2049];
	struct guest_entry e;
	struct linux_layout l;

	make_kernel();
	memset(line, 'a', 2047);
	ck_assert_msg(load(MEM, NULL, 0, line, &e, &l) == 0, "%s", err);
	ck_assert_uint_eq(strlen((const char *)mem + LINUX_CMDLINE), 2047);
	line[2047] = 'b';
	ck_assert_int_eq(load(MEM, NULL, 0, line, &e, &l), -1);
	ck_assert_str_eq(err, "the command line is 2048 bytes, the kernel takes at most 2047");
}
END_TEST

START_TEST(test_memory_too_small)
{
	static uint8_t initrd[3u << 20];
	struct guest_entry e;
	struct linux_layout l;

	make_kernel();
	/* 16 MiB + 4 MiB to decompress: 20 MiB fits, 19 MiB does not. */
	ck_assert_msg(load(20u << 20, NULL, 0, NULL, &e, &l) == 0, "%s", err);
	ck_assert_int_eq(load(19u << 20, NULL, 0, NULL, &e, &l), -1);
	ck_assert_str_eq(err, "the kernel needs 20 MiB of guest memory to decompress itself, more than 19 MiB (--mem)");
	/* A 3 MiB initrd needs room above the kernel's 20 MiB. */
	ck_assert_msg(load(24u << 20, initrd, sizeof(initrd), NULL, &e, &l) == 0, "%s", err);
	ck_assert_int_eq(load(22u << 20, initrd, sizeof(initrd), NULL, &e, &l), -1);
	ck_assert_str_eq(err, "the initrd (3145728 bytes) does not fit between the kernel (to 20 MiB) and 22 MiB (--mem, or the kernel's initrd_addr_max)");
	/* ... and below initrd_addr_max. */
	put(kernel, 0x22c, (22u << 20) - 1, 4);
	ck_assert_int_eq(load(MEM, initrd, sizeof(initrd), NULL, &e, &l), -1);
	ck_assert_ptr_nonnull(strstr(err, "does not fit"));
	/* An empty file is no initramfs. */
	ck_assert_int_eq(load(MEM, initrd, 0, NULL, &e, &l), -1);
	ck_assert_str_eq(err, "the initrd is empty");
}
END_TEST

int main(void)
{
	Suite *su = suite_create("linux");
	TCase *tc = tcase_create("boot protocol");

	tcase_add_test(tc, test_loads_kernel_zero_page_and_entry);
	tcase_add_test(tc, test_e820_is_a_pc);
	tcase_add_test(tc, test_unpacked_kernel_goes_where_its_elf_says);
	tcase_add_test(tc, test_initrd_at_the_top_below_initrd_addr_max);
	tcase_add_test(tc, test_not_a_bzimage);
	tcase_add_test(tc, test_old_or_32_bit_kernels);
	tcase_add_test(tc, test_command_line_limit);
	tcase_add_test(tc, test_memory_too_small);
	suite_add_tcase(su, tc);
	return unit_run(su);
}
