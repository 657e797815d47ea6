// SPDX-License-Identifier: GPL-2.0
/*
 * guests/hello64.c: a 64-bit ELF guest in C. It prints on the UART (I/O
 * exits, trap and emulate), once through the console (the console
 * hypercall under minivmm: paravirtual), checks that it runs in long mode,
 * and exits with 86 (x86-64; outside vmm's own statuses, 64-79).
 */
#include "rt/guest.h"

static u64 fib(u64 n)
{
	return n < 2 ? n : fib(n - 1) + fib(n - 2);
}

int guest_main(u64 cpu, u64 ncpus)
{
	static const char pv[] = "Hello from a 64-bit C guest, through the console!\n";
	u64 efer_lma, cr0;

	if (cpu != 0)		/* one VCPU says hello */
		return 0;
	(void)ncpus;
	uart_puts("Hello from a 64-bit C guest, through the UART!\n");
	if (console_write(pv, strlen(pv)) != strlen(pv))
		return 1;
	uart_puts("fib(20) = ");
	uart_put_hex(fib(20));
	uart_putc('\n');
	__asm__ volatile("mov %%cr0, %0" : "=r" (cr0));
	/* A 64-bit code segment runs only with EFER.LMA: being here proves it. */
	efer_lma = sizeof(void *) == 8 && (cr0 & 0x80000001) == 0x80000001;
	return efer_lma ? 86 : 2;
}
