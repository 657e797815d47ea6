/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Decoding the instruction behind an MMIO exit: the MOV forms a guest uses
 * to reach a device register (SDM Vol. 2, MOV and MOVZX). Pure logic over
 * instruction bytes, built into the module and into host unit tests.
 */
#ifndef MINIVMM_DECODE_H
#define MINIVMM_DECODE_H

#ifdef __KERNEL__
#include <linux/types.h>
#else
#include "../tests/lib/ktypes.h"	/* host unit tests */
#endif

#define DECODE_MAX_LEN	15	/* the longest x86 instruction */

/* The code segment's default operand and address size, in bytes. */
enum decode_mode { DECODE_16 = 2, DECODE_32 = 4, DECODE_64 = 8 };

struct mmio_insn {
	u8 len;		/* instruction length in bytes */
	u8 size;	/* bytes of memory accessed: 1, 2, 4 or 8 */
	bool write;	/* the guest writes memory (else it reads) */
	bool has_imm;	/* a write of imm rather than of register reg */
	u64 imm;	/* the immediate, sign-extended to size */
	u8 reg;		/* register operand, x86 number 0-15 */
	bool high_byte;	/* reg 4-7 of an 8-bit form without REX: AH, CH, DH, BH */
	u8 dest_size;	/* reads: bytes written to reg (MOVZX widens size) */
};

/* Returns 0, or -1 for an instruction that is not a decodable MOV. */
int decode_mmio(const u8 *code, unsigned int avail, enum decode_mode mode,
		struct mmio_insn *insn);

#endif /* MINIVMM_DECODE_H */
