// SPDX-License-Identifier: GPL-2.0
/* Naming the instruction behind an exit; see disasm.h. */
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include "../kmod/decode.h"
#include "disasm.h"

static const char *const reg64[] = { "rax", "rcx", "rdx", "rbx", "rsp", "rbp", "rsi", "rdi",
				     "r8", "r9", "r10", "r11", "r12", "r13", "r14", "r15" };
static const char *const reg8[] = { "al", "cl", "dl", "bl", "spl", "bpl", "sil", "dil" };
static const char *const reg8h[] = { "ah", "ch", "dh", "bh" };

/* %reg for register number r with size bytes. */
static void reg_name(char *out, size_t len, unsigned int r, unsigned int size, bool high)
{
	if (size == 8)
		snprintf(out, len, "%%%s", reg64[r]);
	else if (size == 4)
		snprintf(out, len, r < 8 ? "%%e%s" : "%%%sd", r < 8 ? reg64[r] + 1 : reg64[r]);
	else if (size == 2)
		snprintf(out, len, r < 8 ? "%%%s" : "%%%sw", r < 8 ? reg64[r] + 1 : reg64[r]);
	else if (high)
		snprintf(out, len, "%%%s", reg8h[r & 3]);
	else
		snprintf(out, len, r < 8 ? "%%%s" : "%%%sb", r < 8 ? reg8[r] : reg64[r]);
}

static const char *acc(unsigned int size)
{
	return size == 1 ? "%al" : size == 2 ? "%ax" : "%eax";
}

unsigned int disasm_exit(const uint8_t *code, size_t n, unsigned int mode,
			 char *out, size_t outlen)
{
	unsigned int i = 0, opsize = mode == 8 ? 4 : mode;
	const char *rep = "";
	struct mmio_insn m;
	char r[8];

	/* Prefixes of the port instructions: operand size, REP, address size. */
	while (i < n && i < 4 && (code[i] == 0x66 || code[i] == 0xf3 || code[i] == 0x67)) {
		if (code[i] == 0x66)
			opsize = opsize == 2 ? 4 : 2;
		else if (code[i] == 0xf3)
			rep = "rep ";
		i++;
	}
	if (i < n) {
		unsigned int op = code[i], size = (op & 1) ? opsize : 1;

		switch (op) {
		case 0xe4: case 0xe5:
			if (i + 1 < n) {
				snprintf(out, outlen, "in $%#x,%s", code[i + 1], acc(size));
				return i + 2;
			}
			break;
		case 0xe6: case 0xe7:
			if (i + 1 < n) {
				snprintf(out, outlen, "out %s,$%#x", acc(size), code[i + 1]);
				return i + 2;
			}
			break;
		case 0xec: case 0xed:
			snprintf(out, outlen, "in (%%dx),%s", acc(size));
			return i + 1;
		case 0xee: case 0xef:
			snprintf(out, outlen, "out %s,(%%dx)", acc(size));
			return i + 1;
		case 0x6c: case 0x6d:
			snprintf(out, outlen, "%sins%c (%%dx),%%es:(%%di)", rep,
				 size == 1 ? 'b' : size == 2 ? 'w' : 'l');
			return i + 1;
		case 0x6e: case 0x6f:
			snprintf(out, outlen, "%souts%c (%%si),(%%dx)", rep,
				 size == 1 ? 'b' : size == 2 ? 'w' : 'l');
			return i + 1;
		case 0xf4:
			if (i == 0) {
				snprintf(out, outlen, "hlt");
				return 1;
			}
			break;
		case 0x0f:
			if (i == 0 && n >= 3 && code[1] == 0x01 && code[2] == 0xc1) {
				snprintf(out, outlen, "vmcall");
				return 3;
			}
			break;
		}
	}
	/* The MOV forms an MMIO exit decodes in the kernel. */
	if (!decode_mmio(code, n, (enum decode_mode)mode, &m)) {
		char sfx = m.size == 1 ? 'b' : m.size == 2 ? 'w' : m.size == 4 ? 'l' : 'q';

		reg_name(r, sizeof(r), m.reg, m.write ? m.size : m.dest_size, m.high_byte);
		if (m.write && m.has_imm)
			snprintf(out, outlen, "mov%c $%#llx,(mem)", sfx, (unsigned long long)m.imm);
		else if (m.write)
			snprintf(out, outlen, "mov %s,(mem)", r);
		else if (m.dest_size != m.size)
			snprintf(out, outlen, "movz%c%c (mem),%s", sfx,
				 m.dest_size == 2 ? 'w' : m.dest_size == 4 ? 'l' : 'q', r);
		else
			snprintf(out, outlen, "mov (mem),%s", r);
		return m.len;
	}
	snprintf(out, outlen, "? %02x %02x %02x", n > 0 ? code[0] : 0, n > 1 ? code[1] : 0,
		 n > 2 ? code[2] : 0);
	return 0;
}
