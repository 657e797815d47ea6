// SPDX-License-Identifier: GPL-2.0
/* The runtime of minivmm's C guests; see guest.h. */
#include "guest.h"

#define COM1	0x3f8

void uart_putc(char c)
{
	while (!(inb(COM1 + 5) & 0x20))	/* LSR: transmitter empty */
		;
	outb(COM1, c);
}

void uart_puts(const char *s)
{
	while (*s)
		uart_putc(*s++);
}

void uart_put_hex(u64 v)
{
	int i;

	uart_puts("0x");
	for (i = 60; i >= 0; i -= 4)
		uart_putc("0123456789abcdef"[(v >> i) & 15]);
}

unsigned long strlen(const char *s)
{
	unsigned long n = 0;

	while (s[n])
		n++;
	return n;
}

void guest_exit(int value)
{
	hypercall(HC_EXIT, value, 0, 0, 0);
	for (;;)			/* not reached under vmm */
		__asm__ volatile("hlt");
}

/* vmm enters here in 64-bit mode, with RSP below 640 KiB. */
__attribute__((noreturn)) void _start(void)
{
	guest_exit(main());
}
