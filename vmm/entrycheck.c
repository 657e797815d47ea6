// SPDX-License-Identifier: GPL-2.0
/* The VM-entry checks on the guest-state area; see entrycheck.h. */
#include <cpuid.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include "entrycheck.h"

#define CR0_PE		(1ULL << 0)
#define CR0_PG		(1ULL << 31)
#define CR4_PAE		(1ULL << 5)
#define CR4_PCIDE	(1ULL << 17)
#define EFER_LME	(1ULL << 8)
#define EFER_LMA	(1ULL << 10)
#define EFER_ALLOWED	((1ULL << 0) | EFER_LME | EFER_LMA | (1ULL << 11))
#define RFLAGS_FIXED1	(1ULL << 1)
#define RFLAGS_RESERVED	(~((1ULL << 22) - 1) | (1ULL << 15) | (1ULL << 5) | (1ULL << 3))
#define RFLAGS_VM	(1ULL << 17)

struct ctx {
	const struct minivmm_regs *r;
	const struct minivmm_sregs *s;
	bool ia32e;		/* the VM-entry control "IA-32e mode guest" */
	bool v8086;		/* RFLAGS.VM */
	struct entry_check *out;
};

static int fail(struct ctx *c, const char *id, const char *sdm, const char *fmt, ...)
{
	va_list ap;

	c->out->id = id;
	c->out->sdm = sdm;
	va_start(ap, fmt);
	vsnprintf(c->out->what, sizeof(c->out->what), fmt, ap);
	va_end(ap);
	return 1;
}

static bool canonical(uint64_t a)
{
	return (uint64_t)((int64_t)(a << 16) >> 16) == a;
}

/* 26.3.1.1: control registers and EFER. */
static int check_crs(struct ctx *c, unsigned int maxphyaddr)
{
	const struct minivmm_sregs *s = c->s;
	const char *sec = "26.3.1.1";

	if (s->cr0 >> 32)
		return fail(c, "cr0_reserved", sec, "CR0 bits 63:32 must be 0 (CR0 %#llx)",
			    (unsigned long long)s->cr0);
	if ((s->cr0 & CR0_PG) && !(s->cr0 & CR0_PE))
		return fail(c, "cr0_pg_without_pe", sec,
			    "CR0.PG = 1 needs CR0.PE = 1, even for an unrestricted guest (CR0 %#llx)",
			    (unsigned long long)s->cr0);
	if (maxphyaddr < 64 && s->cr3 >> maxphyaddr)
		return fail(c, "cr3_reserved", sec,
			    "CR3 bits 63:%u (beyond the physical-address width) must be 0 (CR3 %#llx)",
			    maxphyaddr, (unsigned long long)s->cr3);
	if (c->ia32e && (!(s->cr0 & CR0_PG) || !(s->cr4 & CR4_PAE)))
		return fail(c, "ia32e_needs_pg_pae", sec,
			    "an IA-32e mode guest (EFER.LME/LMA %#llx) needs CR0.PG = 1 and CR4.PAE = 1 (CR0 %#llx, CR4 %#llx)",
			    (unsigned long long)s->efer, (unsigned long long)s->cr0,
			    (unsigned long long)s->cr4);
	if (!c->ia32e && (s->cr4 & CR4_PCIDE))
		return fail(c, "pcide_outside_ia32e", sec,
			    "CR4.PCIDE = 1 is allowed only in IA-32e mode (CR4 %#llx, EFER %#llx)",
			    (unsigned long long)s->cr4, (unsigned long long)s->efer);
	if (s->efer & ~EFER_ALLOWED)
		return fail(c, "efer_reserved", sec,
			    "EFER reserved bits must be 0: only SCE, LME, LMA and NXE may be set (EFER %#llx, reserved %#llx)",
			    (unsigned long long)s->efer,
			    (unsigned long long)(s->efer & ~EFER_ALLOWED));
	return 0;
}

static const char *const seg_names[] = { "CS", "DS", "ES", "FS", "GS", "SS", "TR", "LDTR" };

/* The segments of struct minivmm_sregs in the order of seg_names. */
static const struct minivmm_segment *seg(const struct minivmm_sregs *s, int i)
{
	const struct minivmm_segment *t[] = { &s->cs, &s->ds, &s->es, &s->fs,
					      &s->gs, &s->ss, &s->tr, &s->ldt };
	return t[i];
}

enum { CS, DS, ES, FS, GS, SS, TR, LDTR, NSEG };

static int check_limit_g(struct ctx *c, int i, const struct minivmm_segment *g)
{
	if ((g->limit & 0xfff) != 0xfff && g->g)
		return fail(c, "limit_granularity", "26.3.1.2",
			    "%s.G = 1 needs limit bits 11:0 all 1 (limit %#x)",
			    seg_names[i], g->limit);
	if ((g->limit & 0xfff00000) && !g->g)
		return fail(c, "limit_granularity", "26.3.1.2",
			    "%s limit bits 31:20 set (limit %#x) need %s.G = 1",
			    seg_names[i], g->limit, seg_names[i]);
	return 0;
}

/* 26.3.1.2 in virtual-8086 mode: each segment as real mode would load it. */
static int check_v8086(struct ctx *c)
{
	int i;

	for (i = CS; i <= SS; i++) {
		const struct minivmm_segment *g = seg(c->s, i);

		if (g->base != (uint64_t)g->selector << 4 || g->limit != 0xffff ||
		    g->type != 3 || !g->s || g->dpl != 3 || !g->present ||
		    g->db || g->l || g->g || g->avl || g->unusable)
			return fail(c, "v8086_segments", "26.3.1.2",
				    "with RFLAGS.VM = 1, %s must be base = selector << 4, limit 0xffff, access rights 0xf3 (selector %#x, base %#llx, limit %#x, type %u, DPL %u)",
				    seg_names[i], g->selector, (unsigned long long)g->base,
				    g->limit, g->type, g->dpl);
	}
	return 0;
}

static int check_segments(struct ctx *c)
{
	const struct minivmm_sregs *s = c->s;
	const struct minivmm_segment *cs = &s->cs, *ss = &s->ss;
	const char *sec = "26.3.1.2";
	int i, r;

	/* Selectors. */
	if (s->tr.selector & 4)
		return fail(c, "tr_ti", sec, "TR's selector must have TI = 0 (selector %#x)",
			    s->tr.selector);
	if (!s->ldt.unusable && (s->ldt.selector & 4))
		return fail(c, "ldtr_ti", sec, "a usable LDTR's selector must have TI = 0 (selector %#x)",
			    s->ldt.selector);
	/* Bases. */
	if (!canonical(s->tr.base))
		return fail(c, "tr_base", sec, "TR base must be canonical (%#llx)",
			    (unsigned long long)s->tr.base);
	if (!canonical(s->fs.base))
		return fail(c, "fs_base", sec, "FS base must be canonical (%#llx)",
			    (unsigned long long)s->fs.base);
	if (!canonical(s->gs.base))
		return fail(c, "gs_base", sec, "GS base must be canonical (%#llx)",
			    (unsigned long long)s->gs.base);
	if (!s->ldt.unusable && !canonical(s->ldt.base))
		return fail(c, "ldtr_base", sec, "a usable LDTR's base must be canonical (%#llx)",
			    (unsigned long long)s->ldt.base);
	for (i = CS; i <= SS; i++) {
		const struct minivmm_segment *g = seg(s, i);

		if (i == FS || i == GS || (i != CS && g->unusable))
			continue;
		if (g->base >> 32)
			return fail(c, "base_high", sec, "%s base bits 63:32 must be 0 (base %#llx)",
				    seg_names[i], (unsigned long long)g->base);
	}
	if (c->v8086)
		return check_v8086(c);

	/* Access rights of CS, SS, DS, ES, FS, GS. */
	if (cs->unusable)
		return fail(c, "cs_unusable", sec, "CS must be usable");
	if (!(cs->type == 9 || cs->type == 11 || cs->type == 13 || cs->type == 15 ||
	      cs->type == 3))
		return fail(c, "cs_type", sec,
			    "CS type must be accessed code (9, 11, 13, 15) or, for an unrestricted guest, read/write accessed data (3) (type %u)",
			    cs->type);
	if (!ss->unusable && ss->type != 3 && ss->type != 7)
		return fail(c, "ss_type", sec,
			    "a usable SS must be read/write accessed data, type 3 or 7 (type %u)",
			    ss->type);
	for (i = DS; i <= GS; i++) {
		const struct minivmm_segment *g = seg(s, i);

		if (g->unusable)
			continue;
		if (!(g->type & 1))
			return fail(c, "data_accessed", sec,
				    "a usable %s must be accessed, type bit 0 (type %u)",
				    seg_names[i], g->type);
		if ((g->type & 8) && !(g->type & 2))
			return fail(c, "code_readable", sec,
				    "code in %s must be readable, type bit 1 (type %u)",
				    seg_names[i], g->type);
	}
	for (i = CS; i <= SS; i++) {
		const struct minivmm_segment *g = seg(s, i);

		if (i != CS && g->unusable)
			continue;
		if (!g->s)
			return fail(c, "s_flag", sec, "%s must be a code or data segment (S = 1)",
				    seg_names[i]);
		if (!g->present)
			return fail(c, "present", sec, "%s must be present (P = 1)", seg_names[i]);
	}
	/* SS's DPL first: in real mode it is the root of a CS.DPL mismatch. */
	if ((cs->type == 3 || !(s->cr0 & CR0_PE)) && ss->dpl != 0)
		return fail(c, "ss_dpl", sec,
			    "SS.DPL must be 0 when CS is type 3 or CR0.PE = 0 (SS.DPL %u, CS type %u, CR0 %#llx)",
			    ss->dpl, cs->type, (unsigned long long)s->cr0);
	if (cs->type == 3 && cs->dpl != 0)
		return fail(c, "cs_dpl", sec, "CS of type 3 (unrestricted guest) needs DPL 0 (DPL %u)",
			    cs->dpl);
	if ((cs->type == 9 || cs->type == 11) && cs->dpl != ss->dpl)
		return fail(c, "cs_dpl", sec,
			    "a non-conforming CS needs CS.DPL = SS.DPL (CS.DPL %u, SS.DPL %u)",
			    cs->dpl, ss->dpl);
	if ((cs->type == 13 || cs->type == 15) && cs->dpl > ss->dpl)
		return fail(c, "cs_dpl", sec,
			    "a conforming CS needs CS.DPL <= SS.DPL (CS.DPL %u, SS.DPL %u)",
			    cs->dpl, ss->dpl);
	if (c->ia32e && cs->l && cs->db)
		return fail(c, "cs_l_db", sec,
			    "in IA-32e mode a 64-bit CS (L = 1) needs D/B = 0");
	for (i = CS; i <= SS; i++) {
		const struct minivmm_segment *g = seg(s, i);

		if (i != CS && g->unusable)
			continue;
		r = check_limit_g(c, i, g);
		if (r)
			return r;
	}

	/* TR. */
	if (s->tr.unusable)
		return fail(c, "tr_unusable", sec, "TR must be usable");
	if (c->ia32e ? s->tr.type != 11 : s->tr.type != 3 && s->tr.type != 11)
		return fail(c, "tr_type", sec,
			    "TR must be a busy TSS: type 11%s (type %u)",
			    c->ia32e ? " in IA-32e mode" : " or 3 (16-bit)", s->tr.type);
	if (s->tr.s)
		return fail(c, "tr_s", sec, "TR must be a system descriptor (S = 0)");
	if (!s->tr.present)
		return fail(c, "tr_present", sec, "TR must be present (P = 1)");
	r = check_limit_g(c, TR, &s->tr);
	if (r)
		return r;

	/* LDTR, if usable. */
	if (s->ldt.unusable)
		return 0;
	if (s->ldt.type != 2)
		return fail(c, "ldtr_type", sec, "a usable LDTR must be type 2, an LDT (type %u)",
			    s->ldt.type);
	if (s->ldt.s)
		return fail(c, "ldtr_s", sec, "a usable LDTR must be a system descriptor (S = 0)");
	if (!s->ldt.present)
		return fail(c, "ldtr_present", sec, "a usable LDTR must be present (P = 1)");
	return check_limit_g(c, LDTR, &s->ldt);
}

unsigned int entry_check_maxphyaddr(void)
{
	unsigned int a, b, c, d;

	if (!__get_cpuid(0x80000008, &a, &b, &c, &d))
		return 0;
	return a & 0xff;
}

int entry_check_guest(const struct minivmm_regs *r, const struct minivmm_sregs *s,
		      unsigned int maxphyaddr, struct entry_check *out)
{
	struct ctx c = { .r = r, .s = s, .out = out };
	bool code64;
	int ret;

	c.ia32e = (s->efer & EFER_LMA) || ((s->efer & EFER_LME) && (s->cr0 & CR0_PG));
	c.v8086 = r->rflags & RFLAGS_VM;
	out->id = NULL;
	out->sdm = NULL;
	out->what[0] = '\0';

	ret = check_crs(&c, maxphyaddr ? maxphyaddr : 52);
	if (ret)
		return ret;
	/* 26.3.1.4, first: with RFLAGS.VM wrong, the segment checks mislead. */
	if (c.v8086 && (c.ia32e || !(s->cr0 & CR0_PE)))
		return fail(&c, "rflags_vm", "26.3.1.4",
			    "RFLAGS.VM = 1 needs protected mode outside IA-32e mode (CR0 %#llx, EFER %#llx)",
			    (unsigned long long)s->cr0, (unsigned long long)s->efer);
	ret = check_segments(&c);
	if (ret)
		return ret;

	/* 26.3.1.3: descriptor-table registers. */
	if (!canonical(s->gdt.base))
		return fail(&c, "gdtr_base", "26.3.1.3", "GDTR base must be canonical (%#llx)",
			    (unsigned long long)s->gdt.base);
	if (!canonical(s->idt.base))
		return fail(&c, "idtr_base", "26.3.1.3", "IDTR base must be canonical (%#llx)",
			    (unsigned long long)s->idt.base);

	/* 26.3.1.4: RIP and RFLAGS. */
	code64 = c.ia32e && s->cs.l;
	if (!code64 && r->rip >> 32)
		return fail(&c, "rip_high", "26.3.1.4",
			    "RIP bits 63:32 must be 0 outside 64-bit code (RIP %#llx)",
			    (unsigned long long)r->rip);
	if (code64 && !canonical(r->rip))
		return fail(&c, "rip_canonical", "26.3.1.4",
			    "RIP must be canonical in 64-bit code (RIP %#llx)",
			    (unsigned long long)r->rip);
	if ((r->rflags & RFLAGS_RESERVED) || !(r->rflags & RFLAGS_FIXED1))
		return fail(&c, "rflags_reserved", "26.3.1.4",
			    "RFLAGS bits 63:22, 15, 5 and 3 must be 0 and bit 1 must be 1 (RFLAGS %#llx)",
			    (unsigned long long)r->rflags);
	return 0;
}
