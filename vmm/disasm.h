/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The instruction behind an exit, as text for vmm --trace (AT&T syntax):
 * IN, OUT, INS, OUTS (with REP), HLT, VMCALL, and the MOV forms of MMIO
 * (kmod/decode.c); and, for messages, the other instructions a guest may
 * aim at a device register. Pure logic: unit-tested on the host.
 */
#ifndef VMM_DISASM_H
#define VMM_DISASM_H

#include <stddef.h>
#include <stdint.h>

#include <linux/minivmm.h>

/*
 * code: up to 15 bytes at the exit's RIP; mode: 2, 4 or 8 (the code
 * segment's default operand size). Writes the text (or "?" and the bytes)
 * to out; returns the instruction's length, or 0 if not recognised.
 */
unsigned int disasm_exit(const uint8_t *code, size_t n, unsigned int mode,
			 char *out, size_t outlen);

/*
 * As disasm_exit(), and any other instruction of the ALU, shift, group 3,
 * INC/DEC, TEST, XCHG, MOVZX/MOVSX, BT and string families is named too
 * (mnemonic, AT&T size suffix, operands). Unknown: "unknown instruction"
 * and 0.
 */
unsigned int disasm_name(const uint8_t *code, size_t n, unsigned int mode,
			 char *out, size_t outlen);

/* The mode above for a guest's state: 8 with EFER.LMA and CS.L, else by CS.D/B. */
unsigned int disasm_mode(const struct minivmm_sregs *sr);

#endif
