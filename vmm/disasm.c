// SPDX-License-Identifier: GPL-2.0
/* Naming the instruction behind an exit; see disasm.h. */
#include <stdarg.h>
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

/* The AT&T suffix of an operand size. */
static char suffix(unsigned int size)
{
	return size == 1 ? 'b' : size == 2 ? 'w' : size == 4 ? 'l' : 'q';
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
			snprintf(out, outlen, "%sins%c (%%dx),%%es:(%%di)", rep, suffix(size));
			return i + 1;
		case 0x6e: case 0x6f:
			snprintf(out, outlen, "%souts%c (%%si),(%%dx)", rep, suffix(size));
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
		char sfx = suffix(m.size);

		reg_name(r, sizeof(r), m.reg, m.write ? m.size : m.dest_size, m.high_byte);
		if (m.write && m.has_imm)
			snprintf(out, outlen, "mov%c $%#llx,(mem)", sfx, (unsigned long long)m.imm);
		else if (m.write)
			snprintf(out, outlen, "mov %s,(mem)", r);
		else if (m.dest_size != m.size)
			snprintf(out, outlen, "movz%c%c (mem),%s", sfx, suffix(m.dest_size), r);
		else
			snprintf(out, outlen, "mov (mem),%s", r);
		return m.len;
	}
	snprintf(out, outlen, "? %02x %02x %02x", n > 0 ? code[0] : 0, n > 1 ? code[1] : 0,
		 n > 2 ? code[2] : 0);
	return 0;
}

/*
 * disasm_name()'s fallback: the mnemonic, its AT&T size suffix and its
 * operands, for the instructions a guest may aim at a device register.
 * The tables follow SDM Vol. 2D, Appendix A: the one-byte opcode map
 * (Table A-2), the two-byte map (Table A-3, 0F xx) and the opcode
 * extensions by ModR/M.reg (Table A-6); operands as in Vol. 2A, Tables
 * 2-1 to 2-3. Anything else is not named.
 */
#define O_B	0x01	/* byte operands */
#define O_IZ	0x02	/* imm16 or imm32 (imm8 with O_B) */
#define O_IB	0x04	/* imm8, sign-extended to the operand size */
#define O_IU	0x08	/* imm8 as is: a count or a bit number */
#define O_F64	0x10	/* 64-bit operands by default in 64-bit mode */
#define O_REP	0x20	/* string instruction: F3 is REP, F2 REPNZ */
#define O_CMP	0x40	/* ... and F3 is REPZ */
#define O_X8	0x80	/* MOVZX/MOVSX from 8 bits */
#define O_X16	0x100	/* ... from 16 bits */

/*
 * ops, in AT&T order: E the ModR/M r/m operand, G its reg operand, I the
 * immediate, A the accumulator, S and D the string source and
 * destination, 1 and C a shift's count; anything else is copied.
 */
struct op {
	const char *name;	/* NULL: by ModR/M.reg from grp */
	const char *ops;	/* NULL: grp's */
	uint16_t flags;
	const struct op *grp;
};

/* A group entry with a name alone (or none): the opcode gives the operands. */
#define N(name)	{ name, NULL, 0, NULL }

static const struct op grp1[8] = {
	N("add"), N("or"), N("adc"), N("sbb"), N("and"), N("sub"), N("xor"), N("cmp")
};
/* Group 2 /6 and group 3 /1 are blank in Table A-6: aliases CPUs run. */
static const struct op grp2[8] = {
	N("rol"), N("ror"), N("rcl"), N("rcr"), N("shl"), N("shr"), N("shl"), N("sar")
};
static const struct op grp3[8] = {
	{ "test", "I,E", O_IZ, NULL }, { "test", "I,E", O_IZ, NULL }, { "not", "E", 0, NULL },
	{ "neg", "E", 0, NULL }, { "mul", "E", 0, NULL }, { "imul", "E", 0, NULL },
	{ "div", "E", 0, NULL }, { "idiv", "E", 0, NULL }
};
static const struct op grp4[8] = { { "inc", "E", 0, NULL }, { "dec", "E", 0, NULL } };
static const struct op grp5[8] = {
	{ "inc", "E", 0, NULL }, { "dec", "E", 0, NULL }, { "call", "*E", O_F64, NULL },
	{ "lcall", "*E", 0, NULL }, { "jmp", "*E", O_F64, NULL }, { "ljmp", "*E", 0, NULL },
	{ "push", "E", O_F64, NULL }
};
static const struct op grp8[8] = { [4] = N("bt"), N("bts"), N("btr"), N("btc") };
static const struct op grp11[8] = { N("mov") };

/* An opcode pair: the even one on bytes, the odd one on words and up. */
#define PAIR(op, name, ops, fl, grp) \
	[op] = { name, ops, (fl) | O_B, grp }, [(op) + 1] = { name, ops, fl, grp }
/* The ALU rows 00-3F: r/m,reg; reg,r/m; accumulator,imm. */
#define ALU(op, name) \
	PAIR(op, name, "G,E", 0, NULL), PAIR((op) + 2, name, "E,G", 0, NULL), \
	PAIR((op) + 4, name, "I,A", O_IZ, NULL)

static const struct op map1[256] = {
	ALU(0x00, "add"), ALU(0x08, "or"), ALU(0x10, "adc"), ALU(0x18, "sbb"),
	ALU(0x20, "and"), ALU(0x28, "sub"), ALU(0x30, "xor"), ALU(0x38, "cmp"),
	PAIR(0x80, NULL, "I,E", O_IZ, grp1),
	[0x83] = { NULL, "I,E", O_IB, grp1 },
	PAIR(0x84, "test", "G,E", 0, NULL),
	PAIR(0x86, "xchg", "G,E", 0, NULL),
	PAIR(0x88, "mov", "G,E", 0, NULL),
	PAIR(0x8a, "mov", "E,G", 0, NULL),
	PAIR(0xa4, "movs", "S,D", O_REP, NULL),
	PAIR(0xa6, "cmps", "D,S", O_REP | O_CMP, NULL),
	PAIR(0xa8, "test", "I,A", O_IZ, NULL),
	PAIR(0xaa, "stos", "A,D", O_REP, NULL),
	PAIR(0xac, "lods", "S,A", O_REP, NULL),
	PAIR(0xae, "scas", "D,A", O_REP | O_CMP, NULL),
	PAIR(0xc0, NULL, "I,E", O_IU, grp2),
	PAIR(0xc6, NULL, "I,E", O_IZ, grp11),
	PAIR(0xd0, NULL, "1,E", 0, grp2),
	PAIR(0xd2, NULL, "C,E", 0, grp2),
	PAIR(0xf6, NULL, NULL, 0, grp3),
	[0xfe] = { NULL, NULL, O_B, grp4 },
	[0xff] = { NULL, NULL, 0, grp5 },
};

static const struct op map2[256] = {
	[0xa3] = { "bt", "G,E", 0, NULL }, [0xab] = { "bts", "G,E", 0, NULL },
	[0xb3] = { "btr", "G,E", 0, NULL }, [0xbb] = { "btc", "G,E", 0, NULL },
	[0xba] = { NULL, "I,E", O_IU, grp8 },
	PAIR(0xb0, "cmpxchg", "G,E", 0, NULL),
	PAIR(0xc0, "xadd", "G,E", 0, NULL),
	[0xb6] = { "movz", "E,G", O_X8, NULL }, [0xb7] = { "movz", "E,G", O_X16, NULL },
	[0xbe] = { "movs", "E,G", O_X8, NULL }, [0xbf] = { "movs", "E,G", O_X16, NULL },
};

/* Text appended piece by piece, cut at the buffer's end. */
struct text {
	char *s;
	size_t len, pos;
};

static void __attribute__((format(printf, 2, 3))) put(struct text *t, const char *fmt, ...)
{
	va_list ap;
	int r;

	if (t->pos >= t->len)
		return;
	va_start(ap, fmt);
	r = vsnprintf(t->s + t->pos, t->len - t->pos, fmt, ap);
	va_end(ap);
	if (r > 0)
		t->pos += r;
}

/* Byte registers 4-7 are AH-BH without REX, SPL-DIL with one. */
static void put_reg(struct text *t, unsigned int r, unsigned int size, unsigned int rex)
{
	char name[8];

	reg_name(name, sizeof(name), r, size, size == 1 && !rex && r >= 4 && r < 8);
	put(t, "%s", name);
}

static void put_disp(struct text *t, int64_t disp)
{
	put(t, disp < 0 ? "-0x%llx" : "0x%llx",
	    (unsigned long long)(disp < 0 ? -(uint64_t)disp : (uint64_t)disp));
}

static int64_t read_signed(const uint8_t *p, unsigned int bytes)
{
	return bytes == 1 ? (int8_t)p[0] : bytes == 2 ? (int16_t)(p[0] | p[1] << 8) :
	       bytes == 4 ? (int32_t)(p[0] | p[1] << 8 | p[2] << 16 | (uint32_t)p[3] << 24) : 0;
}

/* What the prefixes say. */
struct prefixes {
	unsigned int mode, asize, rex;
	const char *seg;	/* segment override, or NULL */
};

/* The r/m operand at p (ModR/M, SIB, displacement); its length, or 0 if cut short. */
static unsigned int put_rm(struct text *t, const uint8_t *p, size_t n, const struct prefixes *px,
			   unsigned int size)
{
	static const char *const ea16[8] = {
		"%bx,%si", "%bx,%di", "%bp,%si", "%bp,%di", "%si", "%di", "%bp", "%bx"
	};
	unsigned int mod = p[0] >> 6, rm = p[0] & 7, len = 1, dlen = 0, scale = 0;
	int base = -1, index = -1;
	bool rip = false;
	int64_t disp;

	if (mod == 3) {
		put_reg(t, rm | (px->rex & 1 ? 8 : 0), size, px->rex);
		return 1;
	}
	if (px->asize == 2) {		/* Table 2-1 */
		dlen = mod == 1 ? 1 : mod == 2 || (mod == 0 && rm == 6) ? 2 : 0;
		base = mod == 0 && rm == 6 ? -1 : (int)rm;
	} else if (rm == 4) {		/* Table 2-3 */
		if (n < 2)
			return 0;
		len = 2;
		index = ((p[1] >> 3) & 7) | (px->rex & 2 ? 8 : 0);
		if (index == 4)
			index = -1;
		scale = 1 << (p[1] >> 6);
		base = (p[1] & 7) | (px->rex & 1 ? 8 : 0);
		if (mod == 0 && (p[1] & 7) == 5) {
			base = -1;
			dlen = 4;
		}
	} else if (mod == 0 && rm == 5) {	/* Table 2-2: disp32, or RIP-relative */
		dlen = 4;
		rip = px->mode == 8;
	} else {
		base = rm | (px->rex & 1 ? 8 : 0);
	}
	if (mod == 1)
		dlen = 1;
	else if (mod == 2)
		dlen = px->asize == 2 ? 2 : 4;
	if (n < len + dlen)
		return 0;
	disp = read_signed(p + len, dlen);
	if (px->seg)
		put(t, "%%%s:", px->seg);
	if (base < 0 && index < 0 && !rip) {
		put(t, "0x%llx", (unsigned long long)disp &
		    (px->asize == 2 ? 0xffff : px->asize == 4 ? 0xffffffff : ~0ULL));
		return len + dlen;
	}
	if (dlen)
		put_disp(t, disp);
	put(t, "(");
	if (rip)
		put(t, px->asize == 8 ? "%%rip" : "%%eip");
	else if (px->asize == 2)
		put(t, "%s", ea16[rm]);
	else if (base >= 0)
		put_reg(t, base, px->asize, 1);
	if (index >= 0) {
		put(t, ",");
		put_reg(t, index, px->asize, 1);
		put(t, ",%u", scale);
	}
	put(t, ")");
	return len + dlen;
}

static unsigned int disasm_fallback(const uint8_t *code, size_t n, unsigned int mode,
				    char *out, size_t outlen)
{
	static const uint8_t segs[] = { 0x26, 0x2e, 0x36, 0x3e, 0x64, 0x65 };
	static const char *const seg_names[] = { "es", "cs", "ss", "ds", "fs", "gs" };
	struct prefixes px = { .mode = mode, .asize = mode };
	unsigned int i, opsize, size, esize, rmlen = 0, imm_bytes = 0, rep = 0;
	struct text t = { out, outlen, 0 }, rmt;
	const struct op *map = map1;
	bool lock = false;
	const uint8_t *s;
	const char *c;
	uint64_t imm = 0;
	char rm[48];
	struct op op;

	if (n > DECODE_MAX_LEN)
		n = DECODE_MAX_LEN;
	opsize = mode == 2 ? 2 : 4;
	/* Legacy prefixes, then REX in 64-bit mode (Vol. 2A, 2.1 and 2.2.1). */
	for (i = 0; i < n; i++) {
		uint8_t b = code[i];

		if (mode == 8 && (b & 0xf0) == 0x40) {
			px.rex = b;
			continue;
		}
		if (b == 0x66)
			opsize = mode == 2 ? 4 : 2;
		else if (b == 0x67)
			px.asize = mode == 4 ? 2 : 4;
		else if (b == 0xf0)
			lock = true;
		else if (b == 0xf2 || b == 0xf3)
			rep = b;
		else if ((s = memchr(segs, b, sizeof(segs))))
			px.seg = seg_names[s - segs];
		else
			break;
		px.rex = 0;		/* a REX counts only just before the opcode */
	}
	if (i >= n)
		return 0;
	if (code[i] == 0x0f) {
		map = map2;
		if (++i >= n)
			return 0;
	}
	op = map[code[i++]];
	if (op.grp) {
		const struct op *g;

		if (i >= n)
			return 0;
		g = &op.grp[(code[i] >> 3) & 7];
		op.name = g->name;
		op.ops = g->ops ? g->ops : op.ops;
		op.flags |= g->flags;
	}
	if (!op.name)
		return 0;

	if (px.rex & 8)
		opsize = 8;
	else if ((op.flags & O_F64) && mode == 8 && opsize == 4)
		opsize = 8;
	size = op.flags & O_B ? 1 : opsize;
	esize = op.flags & O_X8 ? 1 : op.flags & O_X16 ? 2 : size;

	/* The r/m operand first: the immediate follows its bytes. */
	if (strchr(op.ops, 'E')) {
		rmt = (struct text){ rm, sizeof(rm), 0 };
		if (i >= n)
			return 0;
		rmlen = put_rm(&rmt, code + i, n - i, &px, esize);
		if (!rmlen)
			return 0;
	}
	if (op.flags & (O_IB | O_IU))
		imm_bytes = 1;
	else if (op.flags & O_IZ)
		imm_bytes = size < 4 ? size : 4;
	if (i + rmlen + imm_bytes > n)
		return 0;
	if (imm_bytes) {
		imm = read_signed(code + i + rmlen, imm_bytes);
		if (op.flags & O_IU)
			imm &= 0xff;
		else if (size < 8)
			imm &= (1ULL << (8 * size)) - 1;
	}

	if (lock)
		put(&t, "lock ");
	if ((op.flags & O_REP) && rep)
		put(&t, "%s ", rep == 0xf2 ? "repnz" : op.flags & O_CMP ? "repz" : "rep");
	put(&t, "%s", op.name);
	if (op.flags & (O_X8 | O_X16))
		put(&t, "%c", suffix(esize));
	put(&t, "%c ", suffix(size));
	for (c = op.ops; *c; c++) {
		switch (*c) {
		case 'E':
			put(&t, "%s", rm);
			break;
		case 'G':
			put_reg(&t, ((code[i] >> 3) & 7) | (px.rex & 4 ? 8 : 0), size, px.rex);
			break;
		case 'I':
			put(&t, "$0x%llx", (unsigned long long)imm);
			break;
		case 'A':
			put_reg(&t, 0, size, px.rex);
			break;
		case 'S':
			put(&t, "%%%s:(", px.seg ? px.seg : "ds");
			put_reg(&t, 6, px.asize, 1);
			put(&t, ")");
			break;
		case 'D':
			put(&t, "%%es:(");
			put_reg(&t, 7, px.asize, 1);
			put(&t, ")");
			break;
		case '1':
			put(&t, "$1");
			break;
		case 'C':
			put(&t, "%%cl");
			break;
		default:
			put(&t, "%c", *c);
		}
	}
	return i + rmlen + imm_bytes;
}

unsigned int disasm_name(const uint8_t *code, size_t n, unsigned int mode,
			 char *out, size_t outlen)
{
	unsigned int len = disasm_exit(code, n, mode, out, outlen);

	if (!len)
		len = disasm_fallback(code, n, mode, out, outlen);
	if (!len)
		snprintf(out, outlen, "unknown instruction");
	return len;
}

unsigned int disasm_mode(const struct minivmm_sregs *sr)
{
	return (sr->efer & (1 << 10)) && sr->cs.l ? 8 : sr->cs.db ? 4 : 2;
}
