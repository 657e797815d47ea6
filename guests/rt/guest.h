/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The tiny runtime of minivmm's C guests (64-bit, freestanding): UART
 * output, hypercalls (docs/hypercalls.md) and exit. The guest runs in
 * 64-bit mode on vmm's identity-mapped page tables, on one or more VCPUs.
 */
#ifndef GUEST_H
#define GUEST_H

typedef unsigned char u8;
typedef unsigned short u16;
typedef unsigned int u32;
typedef unsigned long u64;

#define HC_CONSOLE_WRITE	1
#define HC_EXIT			2

#define EXIT_PORT		0xf4	/* vmm: a byte written here ends the guest */

static inline void outb(u16 port, u8 v)
{
	__asm__ volatile("outb %0, %1" : : "a" (v), "Nd" (port));
}

static inline u8 inb(u16 port)
{
	u8 v;

	__asm__ volatile("inb %1, %0" : "=a" (v) : "Nd" (port));
	return v;
}

/* VMCALL: number in RAX, arguments in RBX, RCX, RDX, RSI; result in RAX. */
static inline u64 hypercall(u64 nr, u64 a0, u64 a1, u64 a2, u64 a3)
{
	u64 ret;

	__asm__ volatile("vmcall"
			 : "=a" (ret)
			 : "a" (nr), "b" (a0), "c" (a1), "d" (a2), "S" (a3)
			 : "memory");
	return ret;
}

static inline void cpuid(u32 leaf, u32 *a, u32 *b, u32 *c, u32 *d)
{
	__asm__ volatile("cpuid" : "=a" (*a), "=b" (*b), "=c" (*c), "=d" (*d)
			 : "a" (leaf), "c" (0));
}

static inline void cpu_relax(void)
{
	__asm__ volatile("pause" ::: "memory");
}

void uart_putc(char c);
void uart_puts(const char *s);
void uart_put_hex(u64 v);
void uart_put_dec(u64 v);
unsigned long strlen(const char *s);
/* Whether CPUID's hypervisor leaf says minivmm: its hypercalls exist. */
int on_minivmm(void);
/* Write len bytes to the console: a hypercall on minivmm, else the UART. */
u64 console_write(const char *s, u64 len);
__attribute__((noreturn)) void guest_exit(int value);

/*
 * The guest's code, run by every VCPU: cpu is the VCPU's index (vmm puts
 * it in RDI), ncpus their number (RSI). VCPU 0's return value ends the
 * guest; the other VCPUs halt when they return.
 */
int guest_main(u64 cpu, u64 ncpus);

#endif
