// SPDX-License-Identifier: GPL-2.0
/*
 * The virtual PC's CPUID table for a Linux guest; see cpuid.h. Bit names
 * are those of the SDM, Vol. 2A, CPUID (tables 3-10, 3-11 and leaf 07H).
 * Runs in user mode on the host, before the VCPU first runs.
 */
#include <cpuid.h>
#include <string.h>

#include "cpuid.h"

#define B(n)	(1U << (n))

/* Leaf 1 ECX: SSE3, PCLMULQDQ, SSSE3, CMPXCHG16B, SSE4.1, SSE4.2, MOVBE, POPCNT, AES, RDRAND. */
#define LEAF1_ECX	(B(0) | B(1) | B(9) | B(13) | B(19) | B(20) | B(22) | B(23) | \
			 B(25) | B(30))
#define LEAF1_ECX_HYPERVISOR	B(31)
/*
 * Leaf 1 EDX: FPU, VME, DE, PSE, TSC, MSR, PAE, CX8, SEP, PGE, CMOV, PAT,
 * PSE-36, CLFSH, MMX, FXSR, SSE, SSE2. Not: MCE (7), APIC (9), MTRR (12),
 * MCA (14), PSN, DS, ACPI, SS, HTT, TM, PBE.
 */
#define LEAF1_EDX	(B(0) | B(1) | B(2) | B(3) | B(4) | B(5) | B(6) | B(8) | B(11) | \
			 B(13) | B(15) | B(16) | B(17) | B(19) | B(23) | B(24) | B(25) | B(26))
/*
 * Leaf 7 EBX: FSGSBASE, BMI1, SMEP, BMI2, ERMS, RDSEED, ADX, SMAP,
 * CLFLUSHOPT, CLWB, SHA. Not: TSC_ADJUST (an MSR), HLE and RTM (TSX
 * control MSRs), AVX2 and AVX-512 (XSAVE), INVPCID, MPX, PQM/PQE.
 */
#define LEAF7_EBX	(B(0) | B(3) | B(7) | B(8) | B(9) | B(18) | B(19) | B(20) | \
			 B(23) | B(24) | B(29))
/* 0x80000001 ECX: LAHF/SAHF, LZCNT, PREFETCHW; EDX: SYSCALL, NX, 1 GiB pages, long mode. */
#define EXT1_ECX	(B(0) | B(5) | B(8))
#define EXT1_EDX	(B(11) | B(20) | B(26) | B(29))
/* 0x80000007 EDX: the invariant TSC (minivmm and KVM offset it, never stop it). */
#define EXT7_EDX	B(8)

#define MAX_BASIC	0x16
#define MAX_EXT		0x80000008U

const struct minivmm_cpuid_entry *cpuid_find(const struct minivmm_cpuid_entry *e,
					     unsigned int n, uint32_t function,
					     uint32_t index)
{
	unsigned int i;

	for (i = 0; i < n; i++)
		if (e[i].function == function &&
		    (!(e[i].flags & MINIVMM_CPUID_INDEXED) || e[i].index == index))
			return &e[i];
	return NULL;
}

static void add(struct minivmm_cpuid_entry *e, unsigned int *n, unsigned int max,
		uint32_t function, uint32_t index, bool indexed, uint32_t eax,
		uint32_t ebx, uint32_t ecx, uint32_t edx)
{
	if (*n >= max)
		return;
	e[(*n)++] = (struct minivmm_cpuid_entry){
		.function = function, .index = index,
		.flags = indexed ? MINIVMM_CPUID_INDEXED : 0,
		.eax = eax, .ebx = ebx, .ecx = ecx, .edx = edx,
	};
}

unsigned int cpuid_host(struct minivmm_cpuid_entry *e, unsigned int max)
{
	unsigned int a, b, c, d, top, f, i, n = 0;

	__cpuid(0, top, b, c, d);
	for (f = 0; f <= top && f <= MAX_BASIC; f++) {
		if (f == 4 || f == 7) {
			/* Leaf 4: caches until type 0; leaf 7: EAX subleaves. */
			for (i = 0; i < 8; i++) {
				__cpuid_count(f, i, a, b, c, d);
				if (f == 4 && !(a & 0x1f))
					break;
				add(e, &n, max, f, i, true, a, b, c, d);
				if (f == 7 && i >= a)
					break;
			}
			continue;
		}
		__cpuid_count(f, 0, a, b, c, d);
		add(e, &n, max, f, 0, false, a, b, c, d);
	}
	__cpuid(0x80000000U, top, b, c, d);
	for (f = 0x80000000U; f <= top && f <= MAX_EXT; f++) {
		__cpuid_count(f, 0, a, b, c, d);
		add(e, &n, max, f, 0, false, a, b, c, d);
	}
	return n;
}

unsigned int cpuid_pc(const struct minivmm_cpuid_entry *raw, unsigned int n,
		      uint32_t tsc_khz, bool minivmm_leaf,
		      struct minivmm_cpuid_entry *out, unsigned int max)
{
	const struct minivmm_cpuid_entry *r;
	unsigned int k = 0, i;
	uint32_t top, f;

	r = cpuid_find(raw, n, 0, 0);
	if (!r)
		return 0;
	top = r->eax < MAX_BASIC ? r->eax : MAX_BASIC;
	if (tsc_khz)
		top = MAX_BASIC;
	add(out, &k, max, 0, 0, false, top, r->ebx, r->ecx, r->edx);

	r = cpuid_find(raw, n, 1, 0);
	if (r)	/* EBX: brand index and CLFLUSH size; APIC ID 0, one processor */
		add(out, &k, max, 1, 0, false, r->eax, r->ebx & 0xffff,
		    (r->ecx & LEAF1_ECX) | LEAF1_ECX_HYPERVISOR, r->edx & LEAF1_EDX);
	r = cpuid_find(raw, n, 2, 0);
	if (r)
		add(out, &k, max, 2, 0, false, r->eax, r->ebx, r->ecx, r->edx);
	/* Leaf 4, the caches: each shared by one core of one thread. */
	for (i = 0; i < n; i++)
		if (raw[i].function == 4)
			add(out, &k, max, 4, raw[i].index, true, raw[i].eax & 0x3fff,
			    raw[i].ebx, raw[i].ecx, raw[i].edx);
	r = cpuid_find(raw, n, 7, 0);
	if (r && top >= 7)
		add(out, &k, max, 7, 0, true, 0, r->ebx & LEAF7_EBX, 0, 0);
	if (tsc_khz) {
		/* TSC = crystal * EBX / EAX, with the crystal's Hz within 32 bits. */
		uint64_t hz = (uint64_t)tsc_khz * 1000;
		uint32_t mul = (uint32_t)(hz >> 32) + 1;

		add(out, &k, max, 0x15, 0, false, 1, mul, (uint32_t)(hz / mul), 0);
	}
	if (tsc_khz >= 1000)
		/*
		 * Leaf 16H: base and maximum frequency in MHz, the TSC's (the
		 * invariant TSC ticks at the base frequency); bus unknown (0).
		 * Linux takes the processor's frequency from it instead of
		 * timing the TSC against the PIT (which depends on the pace of
		 * the host, and costs I/O exits).
		 */
		add(out, &k, max, 0x16, 0, false, tsc_khz / 1000, tsc_khz / 1000, 0, 0);
	if (minivmm_leaf)
		add(out, &k, max, MINIVMM_CPUID_SIGNATURE, 0, false, MINIVMM_CPUID_SIGNATURE,
		    0x696e696d /* "mini" */, 0x006d6d76 /* "vmm\0" */, 0);

	r = cpuid_find(raw, n, 0x80000000U, 0);
	if (!r || r->eax < 0x80000001U)
		return k;
	top = r->eax < MAX_EXT ? r->eax : MAX_EXT;
	add(out, &k, max, 0x80000000U, 0, false, top, r->ebx, r->ecx, r->edx);
	for (f = 0x80000001U; f <= top; f++) {
		r = cpuid_find(raw, n, f, 0);
		if (!r)
			continue;
		switch (f) {
		case 0x80000001U:
			add(out, &k, max, f, 0, false, r->eax, 0, r->ecx & EXT1_ECX,
			    r->edx & EXT1_EDX);
			break;
		case 0x80000002U:	/* the brand string */
		case 0x80000003U:
		case 0x80000004U:
		case 0x80000006U:	/* L2 cache */
			add(out, &k, max, f, 0, false, r->eax, r->ebx, r->ecx, r->edx);
			break;
		case 0x80000007U:
			add(out, &k, max, f, 0, false, 0, 0, 0, r->edx & EXT7_EDX);
			break;
		case 0x80000008U:	/* address sizes only */
			add(out, &k, max, f, 0, false, r->eax & 0xffff, 0, 0, 0);
			break;
		}
	}
	return k;
}
