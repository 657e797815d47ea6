// SPDX-License-Identifier: GPL-2.0
/*
 * Host unit tests for the gdb stub's address translation (vmm/gdbstub.c):
 * guest-virtual to guest-physical through page tables built here in a
 * buffer that stands for guest memory.
 */
#include <check.h>

#include "unit.h"
#include <stdint.h>
#include <string.h>

#include "../../vmm/gdbstub.h"

#define MEM	(4u << 20)
#define CR0_PG	(1ULL << 31)
#define CR4_PAE	(1ULL << 5)
#define EFER_LMA	(1ULL << 10)

static uint8_t mem[MEM];

static void put(uint64_t pa, uint64_t e)
{
	memcpy(mem + pa, &e, 8);
}

/* PML4 at 0x1000 -> PDPT 0x2000 -> PD 0x3000: 0-2 MiB one large page, 2-4 MiB in 4 KiB pages from PT 0x4000. */
static void tables(void)
{
	memset(mem, 0, 0x10000);
	put(0x1000, 0x2000 | 3);
	put(0x2000, 0x3000 | 3);
	put(0x3000, 0x0 | 0x83);		/* 2 MiB page at 0 */
	put(0x3000 + 8, 0x4000 | 3);		/* 2-4 MiB: a page table */
	put(0x4000 + 5 * 8, 0x123000 | 3);	/* va 0x205000 -> pa 0x123000 */
}

START_TEST(test_no_paging_is_identity)
{
	uint64_t pa;

	ck_assert_int_eq(gdb_translate(mem, MEM, 0x11, 0, 0, 0, 0x7c00, &pa), 0);
	ck_assert_uint_eq(pa, 0x7c00);
}
END_TEST

START_TEST(test_four_levels)
{
	uint64_t pa;

	tables();
	ck_assert_int_eq(gdb_translate(mem, MEM, CR0_PG | 1, 0x1000, CR4_PAE, EFER_LMA,
				       0x100abc, &pa), 0);
	ck_assert_uint_eq(pa, 0x100abc);		/* in the 2 MiB page */
	ck_assert_int_eq(gdb_translate(mem, MEM, CR0_PG | 1, 0x1000, CR4_PAE, EFER_LMA,
				       0x205678, &pa), 0);
	ck_assert_uint_eq(pa, 0x123678);		/* through the 4 KiB page */
	/* Not present: the next 4 KiB page, and the next GiB. */
	ck_assert_int_eq(gdb_translate(mem, MEM, CR0_PG | 1, 0x1000, CR4_PAE, EFER_LMA,
				       0x206000, &pa), -1);
	ck_assert_int_eq(gdb_translate(mem, MEM, CR0_PG | 1, 0x1000, CR4_PAE, EFER_LMA,
				       0x40000000, &pa), -1);
	/* Tables outside guest memory are refused, not read. */
	ck_assert_int_eq(gdb_translate(mem, MEM, CR0_PG | 1, 0x7ffff000, CR4_PAE, EFER_LMA,
				       0x1000, &pa), -1);
}
END_TEST

START_TEST(test_32bit_paging_is_refused)
{
	uint64_t pa;

	ck_assert_int_eq(gdb_translate(mem, MEM, CR0_PG | 1, 0x1000, 0, 0, 0x1000, &pa), -1);
}
END_TEST

int main(void)
{
	Suite *su = suite_create("gdbstub");
	TCase *tc = tcase_create("translate");

	tcase_add_test(tc, test_no_paging_is_identity);
	tcase_add_test(tc, test_four_levels);
	tcase_add_test(tc, test_32bit_paging_is_refused);
	suite_add_tcase(su, tc);
	return unit_run(su);
}
