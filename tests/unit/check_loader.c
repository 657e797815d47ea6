// SPDX-License-Identifier: GPL-2.0
/* Host unit tests for vmm's image loaders (vmm/loader.c). */
#include <check.h>

#include "unit.h"
#include <stdlib.h>
#include <string.h>

#include "../../vmm/loader.h"

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
	suite_add_tcase(su, tc);
	return unit_run(su);
}
