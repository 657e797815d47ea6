// SPDX-License-Identifier: GPL-2.0
/*
 * guests/debug64.c: the target of the gdb session in the test machine
 * (tests/vm/gdb_test.sh, vmm --gdb). It prints a banner and exits with
 * magic + 1: 7 when left alone, 42 when a debugger sets magic to 41.
 * A test fixture: installed in /tests, not /guests.
 */
#include "rt/guest.h"

const char banner[] = "minivmm gdb target";
volatile u64 magic = 6;

int guest_main(u64 cpu, u64 ncpus)
{
	(void)ncpus;
	if (cpu != 0)
		return 0;
	uart_puts(banner);
	uart_putc('\n');
	return (int)(magic + 1);
}
