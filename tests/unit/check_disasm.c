// SPDX-License-Identifier: GPL-2.0
/*
 * Host unit tests for the exit instruction names of vmm --trace and the
 * other instructions disasm_name() names for messages (vmm/disasm.c).
 */
#include <check.h>

#include "unit.h"
#include <string.h>

#include "../../vmm/disasm.h"

struct disasm_case {
	uint8_t code[15];
	unsigned int n, mode, len;
	const char *text;
};

typedef unsigned int disasm_fn(const uint8_t *code, size_t n, unsigned int mode,
			       char *out, size_t outlen);

static void check_case(disasm_fn *fn, const struct disasm_case *c)
{
	char out[64];

	ck_assert_uint_eq(fn(c->code, c->n, c->mode, out, sizeof(out)), c->len);
	ck_assert_str_eq(out, c->text);
}

static const struct disasm_case cases[] = {
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
	check_case(disasm_exit, &cases[_i]);
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

/* disasm_name(): what disasm_exit() does not know, checked against objdump. */
static const struct disasm_case names[] = {
	/* The real-mode INC of an MMIO byte, and its ES: form. */
	{ { 0xfe, 0x00 }, 2, 2, 2, "incb (%bx,%si)" },
	{ { 0x26, 0xfe, 0x06, 0x10, 0x00, 0x01 }, 6, 2, 5, "incb %es:0x10" },
	{ { 0x83, 0x47, 0x02, 0x05 }, 4, 2, 4, "addw $0x5,0x2(%bx)" },
	{ { 0x83, 0x00, 0x05 }, 3, 4, 3, "addl $0x5,(%eax)" },
	{ { 0x83, 0x40, 0x10, 0xff }, 4, 4, 4, "addl $0xffffffff,0x10(%eax)" },
	{ { 0x81, 0x48, 0x04, 0x00, 0x00, 0x01, 0x00 }, 7, 4, 7, "orl $0x10000,0x4(%eax)" },
	{ { 0xf0, 0x48, 0x83, 0x08, 0x01 }, 5, 8, 5, "lock orq $0x1,(%rax)" },
	{ { 0xf0, 0x48, 0x09, 0x07 }, 4, 8, 4, "lock orq %rax,(%rdi)" },
	{ { 0xf0, 0x48, 0x81, 0x0d, 0x00, 0x10, 0x00, 0x00, 0x00, 0x00, 0x01, 0x00 }, 12, 8, 12,
	  "lock orq $0x10000,0x1000(%rip)" },
	{ { 0xf6, 0x06, 0x34, 0x12, 0x80 }, 5, 2, 5, "testb $0x80,0x1234" },
	{ { 0xf6, 0x05, 0x00, 0x10, 0x00, 0xfe, 0x01 }, 7, 4, 7, "testb $0x1,0xfe001000" },
	{ { 0xf6, 0xc4, 0x01 }, 3, 8, 3, "testb $0x1,%ah" },
	{ { 0x0f, 0xbe, 0x07 }, 3, 2, 3, "movsbw (%bx),%ax" },
	{ { 0x0f, 0xbf, 0x44, 0x24, 0x08 }, 5, 4, 5, "movswl 0x8(%esp),%eax" },
	{ { 0x48, 0x0f, 0xbe, 0x07 }, 4, 8, 4, "movsbq (%rdi),%rax" },
	{ { 0xf3, 0xa4 }, 2, 2, 2, "rep movsb %ds:(%si),%es:(%di)" },
	{ { 0xf3, 0xa6 }, 2, 2, 2, "repz cmpsb %es:(%di),%ds:(%si)" },
	{ { 0xf2, 0xae }, 2, 2, 2, "repnz scasb %es:(%di),%al" },
	{ { 0x66, 0xf3, 0xab }, 3, 2, 3, "rep stosl %eax,%es:(%di)" },
	{ { 0xf3, 0x48, 0xa5 }, 3, 8, 3, "rep movsq %ds:(%rsi),%es:(%rdi)" },
	{ { 0x67, 0xf3, 0xa4 }, 3, 8, 3, "rep movsb %ds:(%esi),%es:(%edi)" },
	{ { 0x2e, 0xac }, 2, 2, 2, "lodsb %cs:(%si),%al" },
	{ { 0x0f, 0xba, 0x2f, 0x05 }, 4, 2, 4, "btsw $0x5,(%bx)" },
	{ { 0x0f, 0xa3, 0x1e }, 3, 4, 3, "btl %ebx,(%esi)" },
	{ { 0xd1, 0x27 }, 2, 2, 2, "shlw $1,(%bx)" },
	{ { 0x41, 0xd3, 0xff }, 3, 8, 3, "sarl %cl,%r15d" },
	{ { 0x48, 0xc1, 0xe0, 0x04 }, 4, 8, 4, "shlq $0x4,%rax" },
	{ { 0xf7, 0x1c }, 2, 2, 2, "negw (%si)" },
	{ { 0x49, 0xf7, 0x14, 0x24 }, 4, 8, 4, "notq (%r12)" },
	{ { 0x87, 0x1e, 0x00, 0x20 }, 4, 2, 4, "xchgw %bx,0x2000" },
	{ { 0x30, 0xc4 }, 2, 2, 2, "xorb %al,%ah" },
	{ { 0x40, 0xfe, 0xc6 }, 3, 8, 3, "incb %sil" },
	{ { 0x44, 0x00, 0x40, 0x10 }, 4, 8, 4, "addb %r8b,0x10(%rax)" },
	{ { 0x3d, 0x34, 0x12 }, 3, 2, 3, "cmpw $0x1234,%ax" },
	{ { 0x48, 0xa9, 0x00, 0x00, 0x00, 0x80 }, 6, 8, 6, "testq $0xffffffff80000000,%rax" },
	{ { 0x80, 0x24, 0x85, 0x00, 0x10, 0x00, 0x00, 0x7f }, 8, 4, 8,
	  "andb $0x7f,0x1000(,%eax,4)" },
	{ { 0x67, 0xfe, 0x44, 0x98, 0x10 }, 5, 2, 5, "incb 0x10(%eax,%ebx,4)" },
	{ { 0x64, 0x48, 0xff, 0x04, 0x25, 0x28, 0x00, 0x00, 0x00 }, 9, 8, 9, "incq %fs:0x28" },
	{ { 0x41, 0xff, 0x24, 0xc4 }, 4, 8, 4, "jmpq *(%r12,%rax,8)" },
	{ { 0xff, 0x17 }, 2, 2, 2, "callw *(%bx)" },
	{ { 0x66, 0xff, 0x30 }, 3, 8, 3, "pushw (%rax)" },
	{ { 0xf0, 0x0f, 0xc1, 0x07 }, 4, 2, 4, "lock xaddw %ax,(%bx)" },
	{ { 0x88, 0xc4 }, 2, 2, 2, "movb %al,%ah" },
	/* A REX before a legacy prefix does not count (SDM Vol. 2A, 2.2.1). */
	{ { 0x40, 0x66, 0xfe, 0x00 }, 4, 8, 4, "incb (%rax)" },
	/* Exit instructions keep disasm_exit()'s names. */
	{ { 0xee }, 1, 2, 1, "out %al,(%dx)" },
	{ { 0x89, 0x07 }, 2, 8, 2, "mov %eax,(mem)" },
	/* Unknown opcodes, blank group entries, bytes cut short. */
	{ { 0x0f, 0x0b }, 2, 8, 0, "unknown instruction" },	/* ud2 */
	{ { 0x90 }, 1, 2, 0, "unknown instruction" },		/* nop */
	{ { 0xd6 }, 1, 4, 0, "unknown instruction" },		/* no opcode at all */
	{ { 0xfe, 0x38 }, 2, 8, 0, "unknown instruction" },	/* group 4 /7 */
	{ { 0xff, 0x38 }, 2, 8, 0, "unknown instruction" },	/* group 5 /7 */
	{ { 0x0f }, 1, 4, 0, "unknown instruction" },
	{ { 0x83, 0x00 }, 2, 4, 0, "unknown instruction" },	/* no immediate */
	{ { 0xfe, 0x80, 0x00 }, 3, 4, 0, "unknown instruction" },	/* half a disp32 */
	{ { 0xf0, 0x66, 0x2e }, 3, 2, 0, "unknown instruction" },	/* prefixes only */
};

START_TEST(test_fallback_names)
{
	check_case(disasm_name, &names[_i]);
}
END_TEST

/* --trace's text is disasm_exit()'s alone: no fallback names there. */
START_TEST(test_exit_unchanged)
{
	static const uint8_t inc[] = { 0xfe, 0x00 };
	char out[64];

	ck_assert_uint_eq(disasm_exit(inc, sizeof(inc), 2, out, sizeof(out)), 0);
	ck_assert_str_eq(out, "? fe 00 00");
}
END_TEST

START_TEST(test_mode)
{
	struct minivmm_sregs sr = { 0 };

	ck_assert_uint_eq(disasm_mode(&sr), 2);
	sr.cs.db = 1;
	ck_assert_uint_eq(disasm_mode(&sr), 4);
	sr.cs.l = 1;				/* L without EFER.LMA: not 64-bit */
	ck_assert_uint_eq(disasm_mode(&sr), 4);
	sr.efer = 1 << 10;
	ck_assert_uint_eq(disasm_mode(&sr), 8);
}
END_TEST

int main(void)
{
	Suite *su = suite_create("disasm");
	TCase *tc = tcase_create("exits");
	TCase *fb = tcase_create("fallback");

	tcase_add_loop_test(tc, test_names, 0, sizeof(cases) / sizeof(cases[0]));
	tcase_add_test(tc, test_unknown);
	tcase_add_test(tc, test_exit_unchanged);
	suite_add_tcase(su, tc);
	tcase_add_loop_test(fb, test_fallback_names, 0, sizeof(names) / sizeof(names[0]));
	tcase_add_test(fb, test_mode);
	suite_add_tcase(su, fb);
	return unit_run(su);
}
