// SPDX-License-Identifier: GPL-2.0
/*
 * tests/bench/bench64.c: a 64-bit guest that repeats one exiting
 * instruction n times per benchmark and reads the TSC around each loop,
 * then prints "bench NAME N CYCLES" lines on the UART. It runs unchanged
 * under minivmm and KVM (vmm --accel kvm); tests/vm/bench.sh compares.
 * In the test machine the TSC counts emulated instructions: the figures
 * are path lengths, to be compared as ratios within one boot.
 */
#include "../../guests/rt/guest.h"
#include "compute.h"

#define USER_N		2000	/* exits to userspace (vmm) */
#define KERNEL_N	20000	/* exits the kernel handles */
#define NO_DEVICE_PORT	0x80	/* vmm: no device, handled in userspace */
#define NO_RAM_ADDR	0xa0000	/* the PC hole: MMIO, handled in userspace */

static void report(const char *name, u64 n, u64 cycles)
{
	uart_puts("bench ");
	uart_puts(name);
	uart_putc(' ');
	uart_put_dec(n);
	uart_putc(' ');
	uart_put_dec(cycles);
	uart_putc('\n');
}

#define TIME(name, n, body) do {				\
	u64 i_, t0_ = bench_rdtsc();				\
	for (i_ = 0; i_ < (n); i_++) {				\
		body;						\
	}							\
	report(name, n, bench_rdtsc() - t0_);			\
} while (0)

int guest_main(u64 cpu, u64 ncpus)
{
	volatile u32 *mmio = (volatile u32 *)NO_RAM_ADDR;
	/* A hypercall the kernel answers: minivmm's nop, KVM's VAPIC_POLL_IRQ. */
	u64 hc = on_minivmm() ? 0 : 1;
	u32 a, b, c, d;
	u64 x = 0;

	(void)ncpus;
	if (cpu != 0)
		return 0;
	TIME("pio_out", USER_N, outb(NO_DEVICE_PORT, 0));
	TIME("pio_in", USER_N, x += inb(NO_DEVICE_PORT));
	TIME("mmio_write", USER_N, *mmio = 0);
	TIME("mmio_read", USER_N, x += *mmio);
	TIME("cpuid", KERNEL_N, cpuid(0, &a, &b, &c, &d));
	TIME("vmcall", KERNEL_N, x += hypercall(hc, 0, 0, 0, 0));
	TIME("compute", 1, x += bench_compute(BENCH_COMPUTE_ROUNDS));
	return x == 0xdeadbeef;		/* use x: 0 unless very unlucky */
}
