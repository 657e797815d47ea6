/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Valid guest states to break (tests/lib/badstate_cases.h): real mode,
 * 32-bit protected mode and 64-bit mode, each running one HLT at CODE_ADDR
 * (64-bit mode with the first 2 MiB identity-mapped from PML4_ADDR).
 */
#ifndef MINIVMM_BADSTATES_H
#define MINIVMM_BADSTATES_H

#include <stdint.h>
#include <string.h>

#include <linux/minivmm.h>

#define CODE_ADDR	0x7c00
#define PML4_ADDR	0x1000

/* CR0, CR4 and EFER bits (SDM Vol. 3, 2.5 and 2.2.1). */
#define CR0_PE		(1ULL << 0)
#define CR0_ET		(1ULL << 4)
#define CR0_NE		(1ULL << 5)
#define CR0_PG		(1ULL << 31)
#define CR4_PAE		(1ULL << 5)
#define CR4_PCIDE	(1ULL << 17)
#define EFER_LME	(1ULL << 8)
#define RFLAGS_VM	(1ULL << 17)

enum base { REAL, PM32, LONG64 };

static const char *const base_name[] = { "real mode", "32-bit protected mode", "64-bit mode" };

static inline void flat(struct minivmm_segment *s, uint16_t sel, uint8_t type)
{
	*s = (struct minivmm_segment){ .base = 0, .limit = 0xffffffff,
		.selector = sel, .type = type, .present = 1, .s = 1, .db = 1,
		.g = 1 };
}

/* The valid starting state of each base (CODE_ADDR holds one HLT). */
static inline void badstate_base(enum base base, struct minivmm_sregs *sp,
				 struct minivmm_regs *rp)
{
	struct minivmm_regs r = { .rip = CODE_ADDR, .rsp = CODE_ADDR, .rflags = 2 };
	struct minivmm_sregs s;

	memset(&s, 0, sizeof(s));
	if (base == REAL) {
		/* The INIT state (SDM 10.1.1) with CS:IP = 0:0x7c00. */
		struct minivmm_segment *segs[] = { &s.cs, &s.ds, &s.es, &s.fs, &s.gs, &s.ss };
		unsigned int i;

		for (i = 0; i < 6; i++)
			*segs[i] = (struct minivmm_segment){ .limit = 0xffff,
				.type = i ? 3 : 0xb, .present = 1, .s = 1 };
		s.tr = (struct minivmm_segment){ .limit = 0xffff, .type = 0xb, .present = 1 };
		s.ldt = (struct minivmm_segment){ .limit = 0xffff, .type = 2, .present = 1 };
		s.gdt.base = s.idt.base = 0;
		s.gdt.limit = s.idt.limit = 0xffff;
		s.cr0 = CR0_ET;
		s.cr3 = s.cr4 = s.efer = 0;
	} else {
		flat(&s.cs, 0x08, 0xb);
		flat(&s.ss, 0x10, 0x3);
		flat(&s.ds, 0x10, 0x3);
		flat(&s.es, 0x10, 0x3);
		flat(&s.fs, 0x10, 0x3);
		flat(&s.gs, 0x10, 0x3);
		/* A busy TSS (SDM 26.3.1.2); LDTR unusable. */
		s.tr = (struct minivmm_segment){ .limit = 0x67, .selector = 0x18,
			.type = 0xb, .present = 1 };
		s.ldt = (struct minivmm_segment){ .unusable = 1 };
		s.gdt.base = 0x4000;
		s.gdt.limit = 0x1f;
		s.idt.base = 0;
		s.idt.limit = 0;
		s.cr0 = CR0_PE | CR0_ET | CR0_NE;
		s.cr3 = 0;
		s.cr4 = 0;
		s.efer = 0;
		if (base == LONG64) {
			s.cs.l = 1;
			s.cs.db = 0;
			s.cr0 |= CR0_PG;
			s.cr3 = PML4_ADDR;
			s.cr4 = CR4_PAE;
			s.efer = EFER_LME;	/* the module sets LMA */
		}
	}
	*sp = s;
	*rp = r;
}

#endif
