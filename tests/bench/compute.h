/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The benchmarks' compute loop and clock, shared by the guest (bench64.c)
 * and the native run in the test machine (native.c): the same code, so
 * that the ratio shows what running under a hypervisor costs.
 */
#ifndef BENCH_COMPUTE_H
#define BENCH_COMPUTE_H

static inline unsigned long bench_rdtsc(void)
{
	unsigned int lo, hi;

	__asm__ volatile("lfence; rdtsc" : "=a" (lo), "=d" (hi) :: "memory");
	return ((unsigned long)hi << 32) | lo;
}

/* n rounds of a 64-bit LCG: registers only, no exit, no memory access. */
static inline unsigned long bench_compute(unsigned long n)
{
	unsigned long x = 1, i;

	for (i = 0; i < n; i++) {
		x = x * 6364136223846793005UL + 1442695040888963407UL;
		__asm__ volatile("" : "+r" (x));
	}
	return x;
}

#define BENCH_COMPUTE_ROUNDS	5000000UL

#endif
