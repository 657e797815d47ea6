// SPDX-License-Identifier: GPL-2.0
/* Host unit tests for the guest's console keys (vmm/console.c). */
#include <check.h>

#include "unit.h"

#include "../../vmm/console.h"

START_TEST(test_keys_pass_through)
{
	struct console c = { 0 };
	uint8_t out = 0;

	ck_assert_int_eq(CONSOLE_SEND, console_key(&c, 'a', &out));
	ck_assert_int_eq('a', out);
	ck_assert_int_eq(CONSOLE_SEND, console_key(&c, 0x03, &out));	/* Ctrl-C: the guest's */
	ck_assert_int_eq(0x03, out);
	ck_assert_int_eq(CONSOLE_SEND, console_key(&c, 'x', &out));	/* x alone is x */
	ck_assert_int_eq('x', out);
}
END_TEST

START_TEST(test_escape)
{
	struct console c = { 0 };
	uint8_t out = 0;

	ck_assert_int_eq(CONSOLE_NOTHING, console_key(&c, CONSOLE_ESCAPE, &out));
	ck_assert_int_eq(CONSOLE_QUIT, console_key(&c, 'x', &out));
	/* After the command, keys are plain again. */
	ck_assert_int_eq(CONSOLE_SEND, console_key(&c, 'x', &out));
	/* Ctrl-A Ctrl-A: one Ctrl-A for the guest. */
	ck_assert_int_eq(CONSOLE_NOTHING, console_key(&c, CONSOLE_ESCAPE, &out));
	ck_assert_int_eq(CONSOLE_SEND, console_key(&c, CONSOLE_ESCAPE, &out));
	ck_assert_int_eq(CONSOLE_ESCAPE, out);
	ck_assert_int_eq(CONSOLE_SEND, console_key(&c, 'q', &out));
	ck_assert_int_eq('q', out);
	/* Ctrl-A and another key: that key. */
	ck_assert_int_eq(CONSOLE_NOTHING, console_key(&c, CONSOLE_ESCAPE, &out));
	ck_assert_int_eq(CONSOLE_SEND, console_key(&c, 'h', &out));
	ck_assert_int_eq('h', out);
	ck_assert_int_eq(CONSOLE_NOTHING, console_key(&c, CONSOLE_ESCAPE, &out));
	ck_assert_int_eq(CONSOLE_QUIT, console_key(&c, 'X', &out));
}
END_TEST

int main(void)
{
	Suite *s = suite_create("console");
	TCase *tc = tcase_create("keys");

	tcase_add_test(tc, test_keys_pass_through);
	tcase_add_test(tc, test_escape);
	suite_add_tcase(s, tc);
	return unit_run(s);
}
