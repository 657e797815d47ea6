// SPDX-License-Identifier: GPL-2.0
/* Host unit tests for the exit instruction names of vmm --trace (vmm/disasm.c). */
#include <check.h>

#include "unit.h"
#include <string.h>

#include "../../vmm/disasm.h"

static const struct {
	uint8_t code[15];
	unsigned int n, mode, len;
	const char *text;
} cases[] = {
	{ { 0xee }, 1, 2, 1, "out %al,(%dx)" },
	{ { 0xec }, 1, 2, 1, "in (%dx),%al" },
	{ { 0xef }, 1, 2, 1, "out %ax,(%dx)" },
	{ { 0x66, 0xef }, 2, 2, 2, "out %eax,(%dx)" },
	{ { 0x66, 0xef }, 2, 4, 2, "out %ax,(%dx)" },
	{ { 0xe6, 0x80 }, 2, 8, 2, "out %al,$0x80" },
	{ { 0xe5, 0x71 }, 2, 8, 2, "in $0x71,%eax" },
	{ { 0xf3, 0x6e }, 2, 2, 2, "rep outsb (%si),(%dx)" },
	{ { 0x6d }, 1, 4, 1, "insl (%dx),%es:(%di)" },
	{ { 0xf4 }, 1, 8, 1, "hlt" },
	{ { 0x0f, 0x01, 0xc1 }, 3, 8, 3, "vmcall" },
	{ { 0x89, 0x07 }, 2, 8, 2, "mov %eax,(mem)" },
	{ { 0x48, 0x89, 0x07 }, 3, 8, 3, "mov %rax,(mem)" },
	{ { 0x44, 0x89, 0x4e, 0x10 }, 4, 8, 4, "mov %r9d,(mem)" },
	{ { 0xc6, 0x07, 0x5a }, 3, 8, 3, "movb $0x5a,(mem)" },
	{ { 0x0f, 0xb6, 0x06 }, 3, 8, 3, "movzbl (mem),%eax" },
	{ { 0x88, 0x23 }, 2, 8, 2, "mov %ah,(mem)" },
	{ { 0x8b, 0x06, 0x10, 0x00 }, 4, 2, 4, "mov (mem),%ax" },
};

START_TEST(test_names)
{
	char out[64];

	ck_assert_uint_eq(disasm_exit(cases[_i].code, cases[_i].n, cases[_i].mode, out,
				      sizeof(out)), cases[_i].len);
	ck_assert_str_eq(out, cases[_i].text);
}
END_TEST

START_TEST(test_unknown)
{
	static const uint8_t nop = 0x90;
	char out[64];

	ck_assert_uint_eq(disasm_exit(&nop, 1, 8, out, sizeof(out)), 0);
	ck_assert_str_eq(out, "? 90 00 00");
	ck_assert_uint_eq(disasm_exit(&nop, 0, 8, out, sizeof(out)), 0);
}
END_TEST

int main(void)
{
	Suite *su = suite_create("disasm");
	TCase *tc = tcase_create("exits");

	tcase_add_loop_test(tc, test_names, 0, sizeof(cases) / sizeof(cases[0]));
	tcase_add_test(tc, test_unknown);
	suite_add_tcase(su, tc);
	return unit_run(su);
}
