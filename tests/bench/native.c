// SPDX-License-Identifier: GPL-2.0
/*
 * The benchmarks' compute loop run natively in the test machine, to set
 * the guest's loop against: prints "bench compute 1 CYCLES" like the guest.
 */
#include <stdio.h>

#include "compute.h"

int main(void)
{
	unsigned long t0 = bench_rdtsc();
	unsigned long x = bench_compute(BENCH_COMPUTE_ROUNDS);

	printf("bench compute 1 %lu\n", bench_rdtsc() - t0);
	return x == 0xdeadbeef;
}
