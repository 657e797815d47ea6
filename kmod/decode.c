// SPDX-License-Identifier: GPL-2.0
/*
 * MMIO instruction decoder; see decode.h. Encodings from SDM Vol. 2A,
 * chapter 2 (prefixes, REX, ModR/M, SIB, displacements) and the MOV
 * (88, 89, 8A, 8B, A0-A3, C6, C7) and MOVZX (0F B6, 0F B7) pages.
 */
#include "decode.h"

/* Bytes of displacement and SIB after a ModR/M byte that names memory. */
static int modrm_extra(const u8 *p, unsigned int avail, unsigned int addr_size)
{
	u8 modrm = p[0], mod = modrm >> 6, rm = modrm & 7;
	int n = 0;

	if (mod == 3)
		return -1;		/* a register operand: no memory access */
	if (addr_size == 2) {		/* 16-bit addressing, SDM Table 2-1 */
		if (mod == 1)
			return 1;
		if (mod == 2 || (mod == 0 && rm == 6))
			return 2;
		return 0;
	}
	if (rm == 4) {			/* SIB follows, SDM Table 2-3 */
		if (avail < 2)
			return -1;
		n = 1;
		if (mod == 0 && (p[1] & 7) == 5)
			return n + 4;
	}
	if (mod == 0 && rm == 5)
		return 4;		/* disp32, RIP-relative in 64-bit mode */
	if (mod == 1)
		return n + 1;
	if (mod == 2)
		return n + 4;
	return n;
}

static u64 read_imm(const u8 *p, unsigned int bytes)
{
	u64 v = 0;
	unsigned int i;

	for (i = 0; i < bytes; i++)
		v |= (u64)p[i] << (8 * i);
	/* Sign-extend: a 32-bit immediate of a 64-bit MOV is sign-extended. */
	if (bytes < 8 && (v >> (8 * bytes - 1)) & 1)
		v |= ~0ULL << (8 * bytes);
	return v;
}

int decode_mmio(const u8 *code, unsigned int avail, enum decode_mode mode,
		struct mmio_insn *insn)
{
	unsigned int opsize = mode == DECODE_16 ? 2 : 4;
	unsigned int addr_size = mode;
	unsigned int i = 0, rex = 0, extra, imm_bytes = 0;
	bool byte_op, moffs = false;
	u8 op;
	int e;

	if (avail > DECODE_MAX_LEN)
		avail = DECODE_MAX_LEN;
	*insn = (struct mmio_insn){ 0 };

	/* Legacy prefixes, then REX in 64-bit mode (SDM 2.1.1, 2.2.1). */
	for (; i < avail; i++) {
		u8 b = code[i];

		if (b == 0x66)
			opsize = mode == DECODE_16 ? 4 : 2;
		else if (b == 0x67)
			addr_size = mode == DECODE_64 ? 4 : (mode == DECODE_16 ? 4 : 2);
		else if (b == 0x26 || b == 0x2e || b == 0x36 || b == 0x3e ||
			 b == 0x64 || b == 0x65 || b == 0xf0)
			continue;	/* segment overrides, LOCK: no effect here */
		else
			break;
	}
	if (mode == DECODE_64 && i < avail && (code[i] & 0xf0) == 0x40)
		rex = code[i++];
	if (rex & 8)
		opsize = 8;
	if (i >= avail)
		return -1;
	op = code[i++];

	switch (op) {
	case 0x88: case 0x89: case 0x8a: case 0x8b:	/* MOV r/m, r and r, r/m */
		byte_op = !(op & 1);
		insn->write = op < 0x8a;
		break;
	case 0xc6: case 0xc7:				/* MOV r/m, imm */
		byte_op = op == 0xc6;
		insn->write = true;
		insn->has_imm = true;
		break;
	case 0xa0: case 0xa1: case 0xa2: case 0xa3:	/* MOV with a moffs */
		byte_op = !(op & 1);
		insn->write = op >= 0xa2;
		moffs = true;
		break;
	case 0x0f:					/* MOVZX r, r/m8 or r/m16 */
		if (i >= avail || (code[i] != 0xb6 && code[i] != 0xb7))
			return -1;
		byte_op = false;
		insn->size = code[i] == 0xb6 ? 1 : 2;
		insn->dest_size = opsize;
		i++;
		break;
	default:
		return -1;
	}
	if (!insn->size)
		insn->size = byte_op ? 1 : opsize;
	if (!insn->dest_size)
		insn->dest_size = insn->size;

	if (moffs) {
		/* AL/AX/EAX/RAX and an offset of the address size. */
		insn->reg = 0;
		if (i + addr_size > avail)
			return -1;
		insn->len = i + addr_size;
		return 0;
	}

	if (i >= avail)
		return -1;
	if (insn->has_imm && ((code[i] >> 3) & 7) != 0)
		return -1;			/* C6/C7 /0 only */
	insn->reg = ((code[i] >> 3) & 7) | ((rex & 4) ? 8 : 0);
	/* Without REX, byte registers 4-7 are AH, CH, DH, BH. */
	if (insn->size == 1 && !insn->has_imm && op != 0x0f && !rex && insn->reg >= 4) {
		insn->high_byte = true;
		insn->reg -= 4;
	}
	e = modrm_extra(code + i, avail - i, addr_size);
	if (e < 0)
		return -1;
	extra = e;
	i += 1 + extra;
	if (insn->has_imm) {
		imm_bytes = insn->size > 4 ? 4 : insn->size;
		if (i + imm_bytes > avail)
			return -1;
		insn->imm = read_imm(code + i, imm_bytes);
		if (insn->size < 8)
			insn->imm &= (1ULL << (8 * insn->size)) - 1;
		i += imm_bytes;
	}
	if (i > avail)
		return -1;
	insn->len = i;
	return 0;
}
