// SPDX-License-Identifier: GPL-2.0
/* Host unit tests for the MMIO instruction decoder (kmod/decode.c). */
#include <check.h>

#include "unit.h"
#include <stdlib.h>
#include <string.h>

#include "../../kmod/decode.h"

/* The table below leaves trailing fields (false, 0) implicit. */
#pragma GCC diagnostic ignored "-Wmissing-field-initializers"

struct want {
	const char *what;
	u8 code[16];
	unsigned int n;
	enum decode_mode mode;
	u8 len, size, reg, dest_size;
	bool write, has_imm, high_byte;
	u64 imm;
};

static const struct want cases[] = {
	{ "mov %eax,(%rdi)", { 0x89, 0x07 }, 2, DECODE_64, 2, 4, 0, 4, true },
	{ "mov %rax,(%rdi)", { 0x48, 0x89, 0x07 }, 3, DECODE_64, 3, 8, 0, 8, true },
	{ "mov %r9d,0x10(%rsi)", { 0x44, 0x89, 0x4e, 0x10 }, 4, DECODE_64, 4, 4, 9, 4, true },
	{ "mov (%rsi),%ax", { 0x66, 0x8b, 0x06 }, 3, DECODE_64, 3, 2, 0, 2, false },
	{ "mov 0x12345678(%rip),%edx", { 0x8b, 0x15, 0x78, 0x56, 0x34, 0x12 }, 6, DECODE_64, 6, 4, 2, 4, false },
	{ "mov (%rax,%rbx,4),%cl", { 0x8a, 0x0c, 0x98 }, 3, DECODE_64, 3, 1, 1, 1, false },
	{ "mov 0x1000(,%rbx,1),%ecx (SIB, no base)", { 0x8b, 0x0c, 0x1d, 0x00, 0x10, 0, 0 }, 7, DECODE_64, 7, 4, 1, 4, false },
	{ "mov %ah,(%rbx) (no REX: AH)", { 0x88, 0x23 }, 2, DECODE_64, 2, 1, 0, 1, true, false, true },
	{ "mov %spl,(%rbx) (REX: SPL)", { 0x40, 0x88, 0x23 }, 3, DECODE_64, 3, 1, 4, 1, true },
	{ "movb $0x5a,(%rdi)", { 0xc6, 0x07, 0x5a }, 3, DECODE_64, 3, 1, 0, 1, true, true, false, 0x5a },
	{ "movl $0x12345678,0x8(%rdi)", { 0xc7, 0x47, 0x08, 0x78, 0x56, 0x34, 0x12 }, 7, DECODE_64, 7, 4, 0, 4, true, true, false, 0x12345678 },
	{ "movq $-1,(%rdi) (imm32 sign-extended)", { 0x48, 0xc7, 0x07, 0xff, 0xff, 0xff, 0xff }, 7, DECODE_64, 7, 8, 0, 8, true, true, false, ~0ULL },
	{ "movw $0x1234,(%rdi)", { 0x66, 0xc7, 0x07, 0x34, 0x12 }, 5, DECODE_64, 5, 2, 0, 2, true, true, false, 0x1234 },
	{ "movzbl (%rsi),%eax", { 0x0f, 0xb6, 0x06 }, 3, DECODE_64, 3, 1, 0, 4, false },
	{ "movzwl 0x4(%rsi),%r10d", { 0x44, 0x0f, 0xb7, 0x56, 0x04 }, 5, DECODE_64, 5, 2, 10, 4, false },
	{ "movabs 0x1122334455667788,%eax (moffs64)", { 0xa1, 0x88, 0x77, 0x66, 0x55, 0x44, 0x33, 0x22, 0x11 }, 9, DECODE_64, 9, 4, 0, 4, false },
	{ "mov %al,0xfee00000 (32-bit moffs)", { 0xa2, 0x00, 0x00, 0xe0, 0xfe }, 5, DECODE_32, 5, 1, 0, 1, true },
	{ "mov %ebx,0x10(%ebp) (32-bit)", { 0x89, 0x5d, 0x10 }, 3, DECODE_32, 3, 4, 3, 4, true },
	{ "mov %es:(%edi),%ax (prefixes)", { 0x26, 0x66, 0x8b, 0x07 }, 4, DECODE_32, 4, 2, 0, 2, false },
	{ "mov %ax,(0x5000) (real mode moffs16)", { 0xa3, 0x00, 0x50 }, 3, DECODE_16, 3, 2, 0, 2, true },
	{ "movw $0x1234,(0x10) (16-bit disp16)", { 0xc7, 0x06, 0x10, 0x00, 0x34, 0x12 }, 6, DECODE_16, 6, 2, 0, 2, true, true, false, 0x1234 },
	{ "mov 0x4(%bx,%si),%dx (16-bit disp8)", { 0x8b, 0x50, 0x04 }, 3, DECODE_16, 3, 2, 2, 2, false },
	{ "movzbl (0x30),%ecx (16-bit code, 66)", { 0x66, 0x0f, 0xb6, 0x0e, 0x30, 0x00 }, 6, DECODE_16, 6, 1, 1, 4, false },
	{ "mov (%si),%eax (16-bit code, 66)", { 0x66, 0x8b, 0x04 }, 3, DECODE_16, 3, 4, 0, 4, false },
};

START_TEST(test_decodes)
{
	const struct want *w = &cases[_i];
	struct mmio_insn d;

	ck_assert_msg(decode_mmio(w->code, w->n, w->mode, &d) == 0, "%s: not decoded", w->what);
	ck_assert_msg(d.len == w->len, "%s: len %u", w->what, d.len);
	ck_assert_msg(d.size == w->size, "%s: size %u", w->what, d.size);
	ck_assert_msg(d.write == w->write, "%s: write %d", w->what, d.write);
	ck_assert_msg(d.has_imm == w->has_imm, "%s: has_imm", w->what);
	if (w->has_imm)
		ck_assert_msg(d.imm == w->imm, "%s: imm %#llx", w->what, (unsigned long long)d.imm);
	else
		ck_assert_msg(d.reg == w->reg, "%s: reg %u", w->what, d.reg);
	ck_assert_msg(d.high_byte == w->high_byte, "%s: high_byte", w->what);
	ck_assert_msg(d.dest_size == w->dest_size, "%s: dest_size %u", w->what, d.dest_size);
}
END_TEST

START_TEST(test_rejects)
{
	static const struct { u8 code[8]; unsigned int n; const char *what; } bad[] = {
		{ { 0x00, 0x06 }, 2, "add %al,(%rsi)" },
		{ { 0x89, 0xc0 }, 2, "mov %eax,%eax (register, no memory)" },
		{ { 0xc7, 0x0f, 1, 2, 3, 4 }, 6, "C7 /1 is not MOV" },
		{ { 0x0f, 0xb8 }, 2, "0F B8 is not MOVZX" },
		{ { 0x89 }, 1, "truncated: no ModR/M" },
		{ { 0x89, 0x80, 1, 2 }, 4, "truncated: disp32 cut" },
		{ { 0xc7, 0x07, 1, 2 }, 4, "truncated: imm32 cut" },
		{ { 0x66, 0x66, 0x66 }, 3, "prefixes only" },
		{ { 0 }, 0, "empty" },
	};
	struct mmio_insn d;
	unsigned int i;

	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		ck_assert_msg(decode_mmio(bad[i].code, bad[i].n, DECODE_64, &d) == -1,
			      "accepted: %s", bad[i].what);
}
END_TEST

int main(void)
{
	Suite *su = suite_create("decode");
	TCase *tc = tcase_create("mov");

	tcase_add_loop_test(tc, test_decodes, 0, sizeof(cases) / sizeof(cases[0]));
	tcase_add_test(tc, test_rejects);
	suite_add_tcase(su, tc);
	return unit_run(su);
}
