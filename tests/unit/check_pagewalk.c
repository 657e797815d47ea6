// SPDX-License-Identifier: GPL-2.0
/*
 * Host unit tests for the guest page walk (kmod/pagewalk.c), which vmm's
 * gdb stub and --trace use: page tables built here in a buffer that stands
 * for guest-physical memory, read through a callback that can refuse.
 */
#include <check.h>

#include "unit.h"
#include <string.h>

#include "../../kmod/pagewalk.h"

#define MEM		(1u << 20)
#define CR0_PE		1ULL
#define CR0_PG		(1ULL << 31)
#define CR4_PSE		(1ULL << 4)
#define CR4_PAE		(1ULL << 5)
#define CR4_LA57	(1ULL << 12)
#define EFER_LME	(1ULL << 8)
#define EFER_LMA	(1ULL << 10)
#define P		0x1ULL		/* present */
#define RW		0x2ULL
#define PS		0x80ULL		/* a page, not a table */

static uint8_t mem[MEM];
static uint64_t refused;		/* the one address the reader refuses */
static unsigned int reads;

static int read_mem(void *ctx, u64 gpa, void *buf, unsigned int len)
{
	ck_assert_ptr_eq(ctx, mem);
	ck_assert(len == 4 || len == 8);
	reads++;
	if (gpa == refused || gpa > MEM || len > MEM - gpa)
		return -1;
	memcpy(buf, mem + gpa, len);
	return 0;
}

static void put32(uint64_t pa, uint32_t e)
{
	memcpy(mem + pa, &e, 4);
}

static void put64(uint64_t pa, uint64_t e)
{
	memcpy(mem + pa, &e, 8);
}

/*
 * 32-bit paging: page directory at 0x1000, page table at 0x2000.
 * PAE: PDPT at 0x3020 (CR3 bits 5-11 matter), a decoy PDPT at 0x3000, page
 * directory at 0x4000, page table at 0x5000.
 * 4-level: PML4 at 0x10000, PDPT 0x11000, page directory 0x12000, page
 * table 0x13000.
 */
static void setup(void)
{
	memset(mem, 0, sizeof(mem));
	refused = ~0ULL;
	reads = 0;

	put32(0x1000 + 1 * 4, 0x2000 | RW | P);		/* 4-8 MiB: a page table */
	put32(0x2000 + 5 * 4, 0x123000 | RW | P);	/* 0x405000 -> 0x123000 */
	put32(0x1000 + 2 * 4, 0xc00000 | PS | RW | P);	/* 8-12 MiB: one 4 MiB page */
	/* 12-16 MiB: a 4 MiB page above 4 GiB (PSE-36: PDE bits 20:13 are address bits 39:32). */
	put32(0x1000 + 3 * 4, 0x400000 | (1 << 13) | PS | RW | P);

	put64(0x3000, 0x7000 | P);			/* decoy: where CR3 & ~0xfff points */
	put64(0x7000, 0x0 | PS | RW | P);
	put64(0x3020 + 1 * 8, 0x4000 | P);		/* 1-2 GiB */
	put64(0x4000 + 0 * 8, 0x5000 | RW | P);
	put64(0x5000 + 3 * 8, 0x234000 | RW | P);	/* 0x40003000 -> 0x234000 */
	put64(0x5000 + 5 * 8, 0x1234567000ULL | RW | P);	/* above 4 GiB */
	put64(0x4000 + 1 * 8, 0x600000 | PS | RW | P);	/* a 2 MiB page */

	put64(0x10000 + 0 * 8, 0x11000 | RW | P);
	put64(0x10000 + 511 * 8, 0x11000 | RW | P);	/* the top 512 GiB too */
	put64(0x11000 + 0 * 8, 0x12000 | RW | P);
	put64(0x12000 + 0 * 8, 0x13000 | RW | P);
	put64(0x13000 + 7 * 8, 0x345000 | RW | P);	/* 0x7000 -> 0x345000 */
	put64(0x12000 + 1 * 8, 0x400000 | PS | RW | P);	/* 2-4 MiB: a 2 MiB page */
	put64(0x11000 + 1 * 8, 0x80000000ULL | PS | RW | P);	/* 1-2 GiB: a 1 GiB page */
}

#define NO_PAGE	(~0ULL)

/* la through the tables of r: its guest-physical address, or NO_PAGE. */
static uint64_t xlate(const struct pagewalk_regs *r, uint64_t la)
{
	u64 pa = NO_PAGE - 1;
	int ret = pagewalk(r, la, &pa, read_mem, mem);

	ck_assert(ret == 0 || ret == -1);
	ck_assert(ret == 0 || pa == NO_PAGE - 1);	/* untouched on failure */
	return ret ? NO_PAGE : pa;
}

#define PG	(CR0_PG | CR0_PE)
static const struct pagewalk_regs m32 = { .cr0 = PG, .cr3 = 0x1000, .cr4 = CR4_PSE };
static const struct pagewalk_regs pae = { .cr0 = PG, .cr3 = 0x3020, .cr4 = CR4_PAE };
static const struct pagewalk_regs lm = {
	.cr0 = PG, .cr3 = 0x10000, .cr4 = CR4_PAE, .efer = EFER_LME | EFER_LMA,
};

START_TEST(test_no_paging)
{
	ck_assert_uint_eq(xlate(&(struct pagewalk_regs){ .cr0 = 0x11, .cr4 = CR4_PAE }, 0x7c00),
			  0x7c00);
	ck_assert_uint_eq(xlate(&(struct pagewalk_regs){ .cr0 = CR0_PE }, 0xfffff000), 0xfffff000);
	ck_assert_uint_eq(reads, 0);
}
END_TEST

START_TEST(test_32bit_4k)
{
	ck_assert_uint_eq(xlate(&m32, 0x405678), 0x123678);
	ck_assert_uint_eq(reads, 2);
	/* Only the low 32 bits of the address count. */
	ck_assert_uint_eq(xlate(&m32, 0x100405678ULL), 0x123678);
	/* CR3's low bits (PWT, PCD) are not address bits. */
	ck_assert_uint_eq(xlate(&(struct pagewalk_regs){ .cr0 = PG, .cr3 = 0x1018 }, 0x405fff),
			  0x123fff);
}
END_TEST

START_TEST(test_32bit_4m)
{
	ck_assert_uint_eq(xlate(&m32, 0x812345), 0xc12345);
	ck_assert_uint_eq(reads, 1);
	ck_assert_uint_eq(xlate(&m32, 0xc01234), 0x100401234ULL);
	/* Without CR4.PSE, PS is ignored: a page table at 0xc00000, outside memory. */
	ck_assert_uint_eq(xlate(&(struct pagewalk_regs){ .cr0 = PG, .cr3 = 0x1000 }, 0x812345),
			  NO_PAGE);
}
END_TEST

START_TEST(test_32bit_not_present)
{
	ck_assert_uint_eq(xlate(&m32, 0x1000), NO_PAGE);	/* PDE */
	ck_assert_uint_eq(xlate(&m32, 0x406000), NO_PAGE);	/* PTE */
}
END_TEST

START_TEST(test_pae)
{
	ck_assert_uint_eq(xlate(&pae, 0x40003abc), 0x234abc);
	ck_assert_uint_eq(reads, 3);
	ck_assert_uint_eq(xlate(&pae, 0x40005abc), 0x1234567abcULL);
	ck_assert_uint_eq(xlate(&pae, 0x40212345), 0x612345);		/* 2 MiB page */
	ck_assert_uint_eq(xlate(&pae, 0x140003abcULL), 0x234abc);	/* 32-bit addresses */
}
END_TEST

START_TEST(test_pae_cr3_bits_5_to_11)
{
	/* PDPT entry 0 at 0x3020 is not present; the decoy at 0x3000 is. */
	ck_assert_uint_eq(xlate(&pae, 0x1000), NO_PAGE);
	ck_assert_uint_eq(xlate(&(struct pagewalk_regs){ .cr0 = PG, .cr3 = 0x3000,
							 .cr4 = CR4_PAE }, 0x1000), 0x1000);
}
END_TEST

START_TEST(test_pae_not_present)
{
	ck_assert_uint_eq(xlate(&pae, 0x80000000), NO_PAGE);	/* PDPTE */
	ck_assert_uint_eq(xlate(&pae, 0x40400000), NO_PAGE);	/* PDE */
	ck_assert_uint_eq(xlate(&pae, 0x40004000), NO_PAGE);	/* PTE */
}
END_TEST

START_TEST(test_4level)
{
	ck_assert_uint_eq(xlate(&lm, 0x7123), 0x345123);
	ck_assert_uint_eq(reads, 4);
	ck_assert_uint_eq(xlate(&lm, 0xffffff8000007123ULL), 0x345123);	/* PML4 entry 511 */
	ck_assert_uint_eq(xlate(&lm, 0x212345), 0x412345);		/* 2 MiB page */
	ck_assert_uint_eq(xlate(&lm, 0x40123456), 0x80123456ULL);	/* 1 GiB page */
}
END_TEST

START_TEST(test_4level_not_present)
{
	struct pagewalk_regs la57 = lm;

	ck_assert_uint_eq(xlate(&lm, 0x8000000000ULL), NO_PAGE);	/* PML4E */
	ck_assert_uint_eq(xlate(&lm, 0x80000000), NO_PAGE);		/* PDPTE */
	ck_assert_uint_eq(xlate(&lm, 0x400000), NO_PAGE);		/* PDE */
	ck_assert_uint_eq(xlate(&lm, 0x8000), NO_PAGE);			/* PTE */
	/* 5-level paging is not walked. */
	la57.cr4 |= CR4_LA57;
	ck_assert_uint_eq(xlate(&la57, 0x7123), NO_PAGE);
}
END_TEST

START_TEST(test_refused_read)
{
	struct pagewalk_regs far = lm;

	refused = 0x12000;				/* the page directory entry */
	ck_assert_uint_eq(xlate(&lm, 0x7123), NO_PAGE);
	ck_assert_uint_eq(reads, 3);			/* the walk stopped there */
	refused = 0x1000 + 1 * 4;
	ck_assert_uint_eq(xlate(&m32, 0x405678), NO_PAGE);
	refused = 0x3020 + 1 * 8;
	ck_assert_uint_eq(xlate(&pae, 0x40003abc), NO_PAGE);
	/* Tables outside guest memory are refused, not read. */
	refused = ~0ULL;
	far.cr3 = 0x7ffff000;
	ck_assert_uint_eq(xlate(&far, 0x1000), NO_PAGE);
	far = m32;
	far.cr3 = 0x7ffff000;
	ck_assert_uint_eq(xlate(&far, 0x1000), NO_PAGE);
}
END_TEST

int main(void)
{
	Suite *su = suite_create("pagewalk");
	TCase *tc = tcase_create("pagewalk");

	tcase_add_checked_fixture(tc, setup, NULL);
	tcase_add_test(tc, test_no_paging);
	tcase_add_test(tc, test_32bit_4k);
	tcase_add_test(tc, test_32bit_4m);
	tcase_add_test(tc, test_32bit_not_present);
	tcase_add_test(tc, test_pae);
	tcase_add_test(tc, test_pae_cr3_bits_5_to_11);
	tcase_add_test(tc, test_pae_not_present);
	tcase_add_test(tc, test_4level);
	tcase_add_test(tc, test_4level_not_present);
	tcase_add_test(tc, test_refused_read);
	suite_add_tcase(su, tc);
	return unit_run(su);
}
