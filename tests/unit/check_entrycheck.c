// SPDX-License-Identifier: GPL-2.0
/*
 * Host unit tests for vmm's VM-entry diagnosis (vmm/entrycheck.c): every
 * invalid state of tests/lib/badstate_cases.h (the same table the test
 * machine runs on the real module) is named by the check it breaks, and
 * the valid states it starts from pass every check.
 */
#include <check.h>

#include "unit.h"
#include <stdio.h>

#include "../../vmm/entrycheck.h"
#include "../lib/badstates.h"

struct bad {
	const char *name, *check, *rule;
	enum base base;
	void (*apply)(struct minivmm_sregs *s, struct minivmm_regs *r);
};

#define BADSTATE(n, b, id, text, ...)					\
	static void bad_##n(struct minivmm_sregs *s, struct minivmm_regs *r) \
	{ (void)s; (void)r; __VA_ARGS__; }
#include "../lib/badstate_cases.h"
#undef BADSTATE

static const struct bad cases[] = {
#define BADSTATE(n, b, id, text, ...) { #n, id, text, b, bad_##n },
#include "../lib/badstate_cases.h"
#undef BADSTATE
};

/* The module sets EFER.LMA for a 64-bit guest: so does the state read back. */
static void as_read_back(enum base base, struct minivmm_sregs *s)
{
	if (base == LONG64 && (s->efer & EFER_LME) && (s->cr0 & CR0_PG))
		s->efer |= 1ULL << 10;
}

START_TEST(test_valid_bases_pass)
{
	struct minivmm_sregs s;
	struct minivmm_regs r;
	struct entry_check why;
	enum base b = (enum base)_i;

	badstate_base(b, &s, &r);
	as_read_back(b, &s);
	ck_assert_msg(entry_check_guest(&r, &s, 40, &why) == 0,
		      "%s: %s (%s)", base_name[b], why.what, why.id);
}
END_TEST

START_TEST(test_each_case_is_named)
{
	const struct bad *c = &cases[_i];
	struct minivmm_sregs s;
	struct minivmm_regs r;
	struct entry_check why;

	badstate_base(c->base, &s, &r);
	c->apply(&s, &r);
	as_read_back(c->base, &s);
	ck_assert_msg(entry_check_guest(&r, &s, 40, &why) == 1,
		      "%s (%s): no check fails", c->name, c->rule);
	ck_assert_msg(!strcmp(why.id, c->check), "%s (%s): named %s, not %s: %s",
		      c->name, c->rule, why.id, c->check, why.what);
	ck_assert(why.sdm && !strncmp(why.sdm, "26.3.1.", 7));
	ck_assert(why.what[0]);
}
END_TEST

/* CR3's reserved bits follow the CPU's physical-address width. */
START_TEST(test_cr3_width)
{
	struct minivmm_sregs s;
	struct minivmm_regs r;
	struct entry_check why;

	badstate_base(PM32, &s, &r);
	s.cr3 = 1ULL << 40;
	ck_assert_int_eq(entry_check_guest(&r, &s, 40, &why), 1);
	ck_assert_str_eq(why.id, "cr3_reserved");
	ck_assert_int_eq(entry_check_guest(&r, &s, 46, &why), 0);
	ck_assert_int_eq(entry_check_guest(&r, &s, 0, &why), 0);	/* 0: 52 bits */
}
END_TEST

/* The message carries the offending values. */
START_TEST(test_message_has_values)
{
	struct minivmm_sregs s;
	struct minivmm_regs r;
	struct entry_check why;

	badstate_base(PM32, &s, &r);
	s.cs.type = 1;
	ck_assert_int_eq(entry_check_guest(&r, &s, 40, &why), 1);
	ck_assert_msg(strstr(why.what, "(type 1)"), "%s", why.what);
	badstate_base(LONG64, &s, &r);
	s.fs.base = 0x0000800000000000ULL;
	ck_assert_int_eq(entry_check_guest(&r, &s, 40, &why), 1);
	ck_assert_msg(strstr(why.what, "0x800000000000"), "%s", why.what);
}
END_TEST

int main(void)
{
	Suite *su = suite_create("entrycheck");
	TCase *tc = tcase_create("guest state");

	tcase_add_loop_test(tc, test_valid_bases_pass, REAL, LONG64 + 1);
	tcase_add_loop_test(tc, test_each_case_is_named, 0, sizeof(cases) / sizeof(cases[0]));
	tcase_add_test(tc, test_cr3_width);
	tcase_add_test(tc, test_message_has_values);
	suite_add_tcase(su, tc);
	return unit_run(su);
}
