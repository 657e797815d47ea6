// SPDX-License-Identifier: GPL-2.0
/*
 * guests/smp64.c: every VCPU works on shared memory and they agree on the
 * result (vmm --cpus N guests/smp64.img). Each VCPU adds its share of a
 * sum of squares and increments a shared counter many times with LOCK'd
 * instructions, then checks in; VCPU 0 waits for all of them, compares
 * both totals with what a single CPU computes, prints them, and exits with
 * 100 when they agree (1 when they do not).
 */
#include "rt/guest.h"

#define MAX_CPUS	8
#define LIMIT		20000UL	/* sum of i * i for i < LIMIT */
#define INCREMENTS	5000UL	/* per VCPU */

static volatile u64 sum, counter, arrived;
static volatile u64 checked_in[MAX_CPUS];

int guest_main(u64 cpu, u64 ncpus)
{
	u64 i, part = 0, expect = 0, ok;

	for (i = cpu; i < LIMIT; i += ncpus)
		part += i * i;
	__atomic_fetch_add(&sum, part, __ATOMIC_SEQ_CST);
	for (i = 0; i < INCREMENTS; i++)
		__atomic_fetch_add(&counter, 1, __ATOMIC_SEQ_CST);
	checked_in[cpu] = cpu + 1;
	__atomic_fetch_add(&arrived, 1, __ATOMIC_SEQ_CST);
	if (cpu != 0)
		return 0;

	while (__atomic_load_n(&arrived, __ATOMIC_SEQ_CST) != ncpus)
		cpu_relax();
	for (i = 0; i < LIMIT; i++)
		expect += i * i;
	ok = sum == expect && counter == ncpus * INCREMENTS;
	for (i = 0; i < ncpus; i++)
		ok &= checked_in[i] == i + 1;
	uart_puts("smp: ");
	uart_put_dec(ncpus);
	uart_puts(" VCPUs, sum of squares ");
	uart_put_dec(sum);
	uart_puts(" (one CPU: ");
	uart_put_dec(expect);
	uart_puts("), counter ");
	uart_put_dec(counter);
	uart_puts(" (expected ");
	uart_put_dec(ncpus * INCREMENTS);
	uart_puts(ok ? "): agree\n" : "): DISAGREE\n");
	return ok ? 100 : 1;
}
