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

void uart_put_dec(u64 v)
{
	char buf[24];
	int i = sizeof(buf);

	buf[--i] = '\0';
	do {
		buf[--i] = '0' + v % 10;
		v /= 10;
	} while (v);
	uart_puts(&buf[i]);
}

unsigned long strlen(const char *s)
{
	unsigned long n = 0;

	while (s[n])
		n++;
	return n;
}

/*
 * A paravirtual guest must know its hypervisor before calling it: CPUID
 * leaf 0x40000000 carries the hypervisor's signature ("minivmm", or
 * "KVMKVMKVM" under KVM, whose VMCALL does something else).
 */
int on_minivmm(void)
{
	u32 a, b, c, d;

	cpuid(0x40000000, &a, &b, &c, &d);
	return b == 0x696e696d && c == 0x006d6d76 && d == 0;	/* "minivmm\0" */
}

u64 console_write(const char *s, u64 len)
{
	u64 i;

	if (on_minivmm())
		return hypercall(HC_CONSOLE_WRITE, (u64)s, len, 0, 0);
	for (i = 0; i < len; i++)
		uart_putc(s[i]);
	return len;
}

/* The exit port works under any hypervisor vmm drives. */
void guest_exit(int value)
{
	outb(EXIT_PORT, value);
	for (;;)			/* not reached under vmm */
		__asm__ volatile("hlt");
}

/*
 * vmm enters here in 64-bit mode on each VCPU, with its own stack. IF is
 * set although no interrupt is ever injected: a VCPU that spins with IF=0
 * is never interrupted under KVM in the Bochs test machine (see
 * guests/loop.S).
 */
__attribute__((noreturn)) void _start(u64 cpu, u64 ncpus)
{
	int r;

	__asm__ volatile("sti");
	r = guest_main(cpu, ncpus);

	if (cpu == 0)
		guest_exit(r);
	for (;;)
		__asm__ volatile("hlt");
}
