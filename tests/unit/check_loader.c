// SPDX-License-Identifier: GPL-2.0
/* Host unit tests for vmm's image loaders (vmm/loader.c). */
#include <check.h>

#include "unit.h"
#include <stdlib.h>
#include <string.h>

#include "../../vmm/loader.h"

#include <elf.h>

#define MEM (4u << 20)
static uint8_t mem[MEM];
static uint8_t img[8192];

/* An ELF64 (or ELF32) image with one or two PT_LOAD segments. */
static size_t make_elf(int is64, uint64_t entry, uint64_t paddr0, uint64_t paddr1)
{
	unsigned int nph = paddr1 ? 2 : 1;

	memset(img, 0, sizeof(img));
	if (is64) {
		Elf64_Ehdr *eh = (Elf64_Ehdr *)img;
		Elf64_Phdr *ph = (Elf64_Phdr *)(img + sizeof(*eh));

		memcpy(eh->e_ident, ELFMAG, SELFMAG);
		eh->e_ident[EI_CLASS] = ELFCLASS64;
		eh->e_ident[EI_DATA] = ELFDATA2LSB;
		eh->e_machine = EM_X86_64;
		eh->e_entry = entry;
		eh->e_phoff = sizeof(*eh);
		eh->e_phentsize = sizeof(*ph);
		eh->e_phnum = nph;
		ph[0] = (Elf64_Phdr){ .p_type = PT_LOAD, .p_offset = 4096, .p_paddr = paddr0,
				      .p_filesz = 16, .p_memsz = 64 };
		ph[1] = (Elf64_Phdr){ .p_type = PT_LOAD, .p_offset = 4096 + 16, .p_paddr = paddr1,
				      .p_filesz = 16, .p_memsz = 16 };
	} else {
		Elf32_Ehdr *eh = (Elf32_Ehdr *)img;
		Elf32_Phdr *ph = (Elf32_Phdr *)(img + sizeof(*eh));

		memcpy(eh->e_ident, ELFMAG, SELFMAG);
		eh->e_ident[EI_CLASS] = ELFCLASS32;
		eh->e_ident[EI_DATA] = ELFDATA2LSB;
		eh->e_machine = EM_386;
		eh->e_entry = entry;
		eh->e_phoff = sizeof(*eh);
		eh->e_phentsize = sizeof(*ph);
		eh->e_phnum = nph;
		ph[0] = (Elf32_Phdr){ .p_type = PT_LOAD, .p_offset = 4096, .p_paddr = paddr0,
				      .p_filesz = 16, .p_memsz = 64 };
		ph[1] = (Elf32_Phdr){ .p_type = PT_LOAD, .p_offset = 4096 + 16, .p_paddr = paddr1,
				      .p_filesz = 16, .p_memsz = 16 };
	}
	memset(img + 4096, 0xcc, 32);
	return 4096 + 32;
}

START_TEST(test_elf64_loads_with_page_tables)
{
	struct guest_entry e;
	char err[160];
	size_t len = make_elf(1, 0x100000, 0x100000, 0x200000);
	uint64_t *pml4 = (uint64_t *)(mem + LOADER_PT_ADDR);

	memset(mem, 0xaa, sizeof(mem));
	ck_assert_msg(load_image(mem, MEM, img, len, &e, err, sizeof(err)) == 0, "%s", err);
	ck_assert_int_eq(e.mode, 64);
	ck_assert_uint_eq(e.rip, 0x100000);
	ck_assert_uint_eq(mem[0x100000], 0xcc);
	ck_assert_uint_eq(mem[0x100010], 0);		/* bss zeroed up to memsz */
	ck_assert_uint_eq(mem[0x10003f], 0);
	ck_assert_uint_eq(mem[0x100040], 0xaa);		/* and no further */
	ck_assert_uint_eq(mem[0x200000], 0xcc);
	/* PML4[0] -> PDPT, PDPT[0..3] -> PDs, PD entries map 2 MiB pages 1:1. */
	ck_assert_uint_eq(pml4[0], LOADER_PT_ADDR + 0x1000 + 3);
	ck_assert_uint_eq(pml4[512], LOADER_PT_ADDR + 0x2000 + 3);
	ck_assert_uint_eq(pml4[1024 + 1], (1ULL << 21) | 0x83);
	ck_assert_uint_eq(pml4[1024 + 2047], (2047ULL << 21) | 0x83);
}
END_TEST

START_TEST(test_elf32_loads)
{
	struct guest_entry e;
	char err[160];
	size_t len = make_elf(0, 0x100004, 0x100000, 0);

	ck_assert_msg(load_image(mem, MEM, img, len, &e, err, sizeof(err)) == 0, "%s", err);
	ck_assert_int_eq(e.mode, 32);
	ck_assert_uint_eq(e.rip, 0x100004);
}
END_TEST

START_TEST(test_elf_errors)
{
	struct guest_entry e;
	char err[160];
	size_t len;

	len = make_elf(1, 0x100000, 0x100000, 0x100020);
	ck_assert_int_eq(load_image(mem, MEM, img, len, &e, err, sizeof(err)), -1);
	ck_assert_str_eq(err, "segments 0 and 1 overlap");

	len = make_elf(1, 0x900000, 0x100000, 0);
	ck_assert_int_eq(load_image(mem, MEM, img, len, &e, err, sizeof(err)), -1);
	ck_assert_str_eq(err, "entry 0x900000 is outside 4194304 bytes of guest memory");

	len = make_elf(1, 0x100000, 0x3ffff0, 0);
	ck_assert_int_eq(load_image(mem, MEM, img, len, &e, err, sizeof(err)), -1);
	ck_assert_str_eq(err, "segment 0 at 0x3ffff0+0x40 is outside 4194304 bytes of guest memory");

	len = make_elf(1, 0x100000, 0x2000, 0);
	ck_assert_int_eq(load_image(mem, MEM, img, len, &e, err, sizeof(err)), -1);
	ck_assert_str_eq(err, "segment 0 at 0x2000 overlaps vmm's tables below 0x7000");

	len = make_elf(1, 0x100000, 0x100000, 0);
	ck_assert_int_eq(load_image(mem, MEM, img, 4096 + 8, &e, err, sizeof(err)), -1);
	ck_assert_str_eq(err, "segment 0: file data outside the image");
	ck_assert_int_eq(load_image(mem, MEM, img, 40, &e, err, sizeof(err)), -1);
	ck_assert_str_eq(err, "truncated ELF header (40 bytes)");
	ck_assert_int_eq(load_image(mem, MEM, img, sizeof(Elf64_Ehdr) + 10, &e, err, sizeof(err)), -1);
	ck_assert_str_eq(err, "program headers outside the file");

	len = make_elf(1, 0x100000, 0x100000, 0);
	((Elf64_Ehdr *)img)->e_machine = EM_AARCH64;
	ck_assert_int_eq(load_image(mem, MEM, img, len, &e, err, sizeof(err)), -1);
	ck_assert_str_eq(err, "ELF for machine 183, not x86-64");

	len = make_elf(1, 0x100000, 0x100000, 0);
	((Elf64_Phdr *)(img + sizeof(Elf64_Ehdr)))->p_type = PT_NOTE;
	ck_assert_int_eq(load_image(mem, MEM, img, len, &e, err, sizeof(err)), -1);
	ck_assert_str_eq(err, "no loadable segment");
}
END_TEST

START_TEST(test_flat_loads_at_7c00)
{
	static uint8_t mem[64 * 1024];
	static const uint8_t img[] = { 0xfa, 0xf4 };
	struct guest_entry e;
	char err[128];

	memset(mem, 0xaa, sizeof(mem));
	ck_assert_int_eq(load_flat(mem, sizeof(mem), img, sizeof(img), &e, err, sizeof(err)), 0);
	ck_assert_uint_eq(e.rip, 0x7c00);
	ck_assert_int_eq(e.mode, 16);
	ck_assert_uint_eq(mem[0x7c00], 0xfa);
	ck_assert_uint_eq(mem[0x7c01], 0xf4);
	ck_assert_uint_eq(mem[0x7bff], 0xaa);	/* nothing written around it */
	ck_assert_uint_eq(mem[0x7c02], 0xaa);
}
END_TEST

START_TEST(test_flat_errors)
{
	static uint8_t mem[0x8000];
	static uint8_t img[0x401];
	struct guest_entry e;
	char err[128];

	ck_assert_int_eq(load_flat(mem, sizeof(mem), img, 0, &e, err, sizeof(err)), -1);
	ck_assert_str_eq(err, "the image is empty");
	/* 0x8000 - 0x7c00 = 1 KiB of room: 0x400 bytes fit, 0x401 do not. */
	ck_assert_int_eq(load_flat(mem, sizeof(mem), img, 0x400, &e, err, sizeof(err)), 0);
	ck_assert_int_eq(load_flat(mem, sizeof(mem), img, 0x401, &e, err, sizeof(err)), -1);
	ck_assert_str_eq(err, "a 1025-byte image at 0x7c00 does not fit in 32768 bytes of guest memory");
	/* Memory smaller than the load address. */
	ck_assert_int_eq(load_flat(mem, 0x1000, img, 1, &e, err, sizeof(err)), -1);
}
END_TEST

int main(void)
{
	Suite *su = suite_create("loader");
	TCase *tc = tcase_create("flat");

	tcase_add_test(tc, test_flat_loads_at_7c00);
	tcase_add_test(tc, test_flat_errors);
	tcase_add_test(tc, test_elf64_loads_with_page_tables);
	tcase_add_test(tc, test_elf32_loads);
	tcase_add_test(tc, test_elf_errors);
	suite_add_tcase(su, tc);
	return unit_run(su);
}
