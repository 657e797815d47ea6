// SPDX-License-Identifier: GPL-2.0
/*
 * Host unit tests for the PC's CPUID table (vmm/cpuid.c): from a processor
 * that offers everything, only what vmm's PC and the hypervisor emulate.
 */
#include <check.h>

#include "unit.h"
#include <string.h>

#include "../../vmm/cpuid.h"

#define ALL	0xffffffffU

static struct minivmm_cpuid_entry raw[CPUID_MAX_ENTRIES], out[CPUID_MAX_ENTRIES];
static unsigned int nraw;

static void leaf(uint32_t f, uint32_t i, bool indexed, uint32_t a, uint32_t b, uint32_t c,
		 uint32_t d)
{
	raw[nraw++] = (struct minivmm_cpuid_entry){ .function = f, .index = i,
		.flags = indexed ? MINIVMM_CPUID_INDEXED : 0,
		.eax = a, .ebx = b, .ecx = c, .edx = d };
}

/* An Intel processor with every feature bit set and leaves up to 0x1f. */
static void everything(void)
{
	nraw = 0;
	leaf(0, 0, false, 0x1f, 0x756e6547, 0x6c65746e, 0x49656e69);	/* GenuineIntel */
	leaf(1, 0, false, 0x50654, ALL, ALL & ~(1U << 31), ALL);
	leaf(2, 0, false, 0x76036301, 0xf0b5ff, 0, 0xc30000);
	leaf(4, 0, true, 0x7c004121, 0x1c0003f, 0x3f, 0);
	leaf(4, 1, true, 0x7c004122, 0x1c0003f, 0x3f, 0);
	leaf(6, 0, false, ALL, ALL, ALL, ALL);
	leaf(7, 0, true, 0, ALL, ALL, ALL);
	leaf(0xa, 0, false, ALL, ALL, ALL, ALL);
	leaf(0xb, 0, true, 1, 2, 0x100, 3);
	leaf(0xd, 0, true, ALL, ALL, ALL, ALL);
	leaf(0x80000000U, 0, false, 0x80000008U, 0, 0, 0);
	leaf(0x80000001U, 0, false, 0, ALL, ALL, ALL);
	leaf(0x80000002U, 0, false, 0x65746e49, 0x2952286c, 0x6f655820, 0x2952286e);
	leaf(0x80000007U, 0, false, ALL, ALL, ALL, ALL);
	leaf(0x80000008U, 0, false, 0x302e, ALL, ALL, ALL);
}

static const struct minivmm_cpuid_entry *get(unsigned int n, uint32_t f, uint32_t i)
{
	return cpuid_find(out, n, f, i);
}

START_TEST(test_no_apic_and_the_hypervisor_bit)
{
	const struct minivmm_cpuid_entry *e;
	unsigned int n;

	everything();
	n = cpuid_pc(raw, nraw, 0, false, out, CPUID_MAX_ENTRIES);
	e = get(n, 1, 0);
	ck_assert_ptr_nonnull(e);
	ck_assert_uint_eq(e->eax, 0x50654);		/* family, model, stepping */
	ck_assert_uint_eq(e->edx & (1U << 9), 0);	/* APIC */
	ck_assert_uint_eq(e->edx & (1U << 12), 0);	/* MTRR */
	ck_assert_uint_eq(e->edx & (1U << 7), 0);	/* MCE */
	ck_assert_uint_eq(e->edx & (1U << 14), 0);	/* MCA */
	ck_assert_uint_eq(e->edx & (1U << 28), 0);	/* HTT */
	ck_assert_uint_eq(e->ecx & (1U << 21), 0);	/* x2APIC */
	ck_assert_uint_eq(e->ecx & (1U << 24), 0);	/* TSC deadline */
	ck_assert_uint_eq(e->ecx & (1U << 5), 0);	/* VMX */
	ck_assert_uint_eq(e->ecx & (1U << 26), 0);	/* XSAVE */
	ck_assert_uint_eq(e->ecx & (1U << 28), 0);	/* AVX */
	ck_assert_uint_eq(e->ecx & (1U << 15), 0);	/* PDCM */
	ck_assert_uint_ne(e->ecx & (1U << 31), 0);	/* the hypervisor bit */
	/* What a 64-bit kernel needs is there. */
	ck_assert_uint_eq(e->edx & 0x07808171, 0x07808171);
	ck_assert_uint_eq(e->ebx >> 16, 0);		/* APIC ID 0, no siblings */
	e = get(n, 0x80000001U, 0);
	ck_assert_ptr_nonnull(e);
	ck_assert_uint_eq(e->edx, (1U << 11) | (1U << 20) | (1U << 26) | (1U << 29));
}
END_TEST

START_TEST(test_leaves_with_msrs_or_devices_are_absent)
{
	const struct minivmm_cpuid_entry *e;
	unsigned int n;

	everything();
	n = cpuid_pc(raw, nraw, 0, false, out, CPUID_MAX_ENTRIES);
	/* Thermal and power, performance counters, topology, XSAVE: zeros. */
	ck_assert_ptr_null(get(n, 6, 0));
	ck_assert_ptr_null(get(n, 0xa, 0));
	ck_assert_ptr_null(get(n, 0xb, 0));
	ck_assert_ptr_null(get(n, 0xd, 0));
	ck_assert_ptr_null(get(n, 0x40000000U, 0));
	/* Leaf 7: no subleaves, no TSC_ADJUST, TSX, AVX2, no EDX (speculation controls). */
	e = get(n, 7, 0);
	ck_assert_ptr_nonnull(e);
	ck_assert_uint_eq(e->eax, 0);
	ck_assert_uint_eq(e->ebx & ((1U << 1) | (1U << 4) | (1U << 5) | (1U << 11)), 0);
	ck_assert_uint_ne(e->ebx & (1U << 7), 0);	/* SMEP stays */
	ck_assert_uint_eq(e->ecx, 0);
	ck_assert_uint_eq(e->edx, 0);
	/* Caches: one thread, one core each. */
	e = get(n, 4, 1);
	ck_assert_ptr_nonnull(e);
	ck_assert_uint_eq(e->eax, 0x7c004122 & 0x3fff);
	ck_assert_uint_eq(get(n, 0x80000007U, 0)->edx, 1U << 8);
	ck_assert_uint_eq(get(n, 0x80000008U, 0)->eax, 0x302e);
	ck_assert_uint_eq(get(n, 0x80000008U, 0)->ebx, 0);
	/* The brand string as is. */
	ck_assert_uint_eq(get(n, 0x80000002U, 0)->eax, 0x65746e49);
	/* Leaf 0: the vendor, and as far as the table goes. */
	ck_assert_uint_eq(get(n, 0, 0)->ebx, 0x756e6547);
	ck_assert_uint_eq(get(n, 0, 0)->eax, 0x16);
}
END_TEST

START_TEST(test_tsc_frequency_in_leaf_0x15)
{
	const struct minivmm_cpuid_entry *e;
	unsigned int n;

	everything();
	n = cpuid_pc(raw, nraw, 2893000, false, out, CPUID_MAX_ENTRIES);
	e = get(n, 0x15, 0);
	ck_assert_ptr_nonnull(e);
	/* TSC Hz = ECX * EBX / EAX */
	ck_assert_uint_eq((uint64_t)e->ecx * e->ebx / e->eax, 2893000000ULL);
	/* The processor's base and maximum MHz (leaf 0x16): the TSC's. */
	e = get(n, 0x16, 0);
	ck_assert_ptr_nonnull(e);
	ck_assert_uint_eq(e->eax, 2893);
	ck_assert_uint_eq(e->ebx, 2893);
	ck_assert_uint_eq(e->ecx, 0);
	/* 5 GHz does not fit 32 bits of crystal Hz: a ratio. */
	n = cpuid_pc(raw, nraw, 5000000, false, out, CPUID_MAX_ENTRIES);
	e = get(n, 0x15, 0);
	ck_assert_uint_eq((uint64_t)e->ecx * e->ebx / e->eax, 5000000000ULL);
	/* Unknown frequency: no leaf 0x15, and leaf 0 stops below it on an old CPU. */
	raw[0].eax = 0xd;
	n = cpuid_pc(raw, nraw, 0, false, out, CPUID_MAX_ENTRIES);
	ck_assert_ptr_null(get(n, 0x15, 0));
	ck_assert_ptr_null(get(n, 0x16, 0));
	ck_assert_uint_eq(get(n, 0, 0)->eax, 0xd);
	n = cpuid_pc(raw, nraw, 1000000, false, out, CPUID_MAX_ENTRIES);
	ck_assert_uint_eq(get(n, 0, 0)->eax, 0x16);
	/* Below 1 MHz: a TSC ratio in 0x15, no whole MHz for 0x16. */
	n = cpuid_pc(raw, nraw, 999, false, out, CPUID_MAX_ENTRIES);
	ck_assert_ptr_nonnull(get(n, 0x15, 0));
	ck_assert_ptr_null(get(n, 0x16, 0));
}
END_TEST

START_TEST(test_minivmm_leaf_only_when_asked)
{
	const struct minivmm_cpuid_entry *e;
	unsigned int n;

	everything();
	n = cpuid_pc(raw, nraw, 0, true, out, CPUID_MAX_ENTRIES);
	e = get(n, MINIVMM_CPUID_SIGNATURE, 0);
	ck_assert_ptr_nonnull(e);
	ck_assert_int_eq(memcmp(&e->ebx, "minivmm\0", 8), 0);
	/* A table that does not fit stops at max entries. */
	ck_assert_uint_eq(cpuid_pc(raw, nraw, 0, true, out, 3), 3);
	/* No leaf 0: nothing. */
	ck_assert_uint_eq(cpuid_pc(raw + 1, nraw - 1, 0, true, out, CPUID_MAX_ENTRIES), 0);
}
END_TEST

START_TEST(test_host_enumeration)
{
	unsigned int n = cpuid_host(raw, CPUID_MAX_ENTRIES);

	/* Any x86-64 host has leaves 0, 1 and 0x80000001. */
	ck_assert_uint_ge(n, 3);
	ck_assert_ptr_nonnull(cpuid_find(raw, n, 0, 0));
	ck_assert_ptr_nonnull(cpuid_find(raw, n, 1, 0));
	ck_assert_ptr_nonnull(cpuid_find(raw, n, 0x80000001U, 0));
	ck_assert_uint_ne(cpuid_find(raw, n, 1, 0)->edx & (1U << 4), 0);	/* TSC */
}
END_TEST

int main(void)
{
	Suite *su = suite_create("cpuid");
	TCase *tc = tcase_create("pc");

	tcase_add_test(tc, test_no_apic_and_the_hypervisor_bit);
	tcase_add_test(tc, test_leaves_with_msrs_or_devices_are_absent);
	tcase_add_test(tc, test_tsc_frequency_in_leaf_0x15);
	tcase_add_test(tc, test_minivmm_leaf_only_when_asked);
	tcase_add_test(tc, test_host_enumeration);
	suite_add_tcase(su, tc);
	return unit_run(su);
}
