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
#define IRQ_N		500	/* interrupts, each several exits */
#define COM1		0x3f8
#define KERNEL_N	20000	/* exits the kernel handles */
#define NO_DEVICE_PORT	0x80	/* vmm: the POST code, handled in userspace */
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

/*
 * Interrupts through vmm's PC devices: an IDT with two gates, the 8259A at
 * vectors 0x20-0x2f. IRQ 4 comes from the UART in loopback (a byte written
 * is received at once: the received-data interrupt), IRQ 0 from the PIT.
 * Each handler takes its cause away and ends the interrupt at the PIC.
 */
struct idt_gate {
	u16 off0, sel;
	u8 ist, type;
	u16 off1;
	u32 off2, zero;
} __attribute__((packed));

static struct idt_gate idt[256] __attribute__((aligned(16)));
volatile u64 irqs, irq_tsc;
void irq0_stub(void);
void irq4_stub(void);

__asm__(".text\n"
	"irq0_stub:\n"
	"	push %rax\n	push %rdx\n"
	"	lfence\n	rdtsc\n	shl $32, %rdx\n	or %rdx, %rax\n"
	"	mov %rax, irq_tsc(%rip)\n"
	"	jmp 1f\n"
	"irq4_stub:\n"
	"	push %rax\n	push %rdx\n"
	"	mov $0x3f8, %dx\n	in %dx, %al\n"	/* RBR: the byte, and RDA off */
	"1:	mov $0x20, %al\n	out %al, $0x20\n"	/* non-specific EOI */
	"	lock incq irqs(%rip)\n"
	"	pop %rdx\n	pop %rax\n	iretq\n");

static void set_gate(unsigned int vec, void (*fn)(void))
{
	u64 a = (u64)fn;
	u16 cs;

	__asm__ volatile("mov %%cs, %0" : "=r" (cs));
	idt[vec] = (struct idt_gate){ .off0 = a, .sel = cs, .type = 0x8e,
		.off1 = a >> 16, .off2 = a >> 32 };
}

static void irq_setup(void)
{
	struct { u16 limit; u64 base; } __attribute__((packed)) idtr = {
		sizeof(idt) - 1, (u64)idt,
	};
	static const u8 icw[] = { 0x11, 0x20, 0x04, 0x01 };	/* master */
	static const u8 icw_s[] = { 0x11, 0x28, 0x02, 0x01 };	/* slave */
	int i;

	set_gate(0x20, irq0_stub);
	set_gate(0x24, irq4_stub);
	__asm__ volatile("lidt %0" : : "m" (idtr));
	outb(0x20, icw[0]);
	outb(0xa0, icw_s[0]);
	for (i = 1; i < 4; i++) {
		outb(0x21, icw[i]);
		outb(0xa1, icw_s[i]);
	}
	outb(0x21, 0xee);		/* IRQ 0 and 4 */
	outb(0xa1, 0xff);
	outb(COM1 + 4, 0x18);		/* MCR: loopback, OUT2 */
	outb(COM1 + 1, 0x01);		/* IER: received data */
}

/*
 * Halt until the interrupt handler has run since irqs was n. The test and
 * the HLT must be one step: with IF set, an interrupt between them would
 * leave HLT waiting for one that never comes (the PIT's one-shot, the
 * UART's one byte), and the guest halted for good. So IF is clear while
 * testing, and STI; HLT opens it only on the HLT (STI's one-instruction
 * interrupt shadow, SDM Vol. 2B, STI): Linux's safe_halt.
 */
static void wait_irq(u64 n)
{
	__asm__ volatile("cli" ::: "memory");
	while (irqs == n)
		__asm__ volatile("sti; hlt; cli" ::: "memory");
	__asm__ volatile("sti" ::: "memory");
}

/* One interrupt from the UART: OUT, then the handler's IN and EOI. */
static void irq_uart(void)
{
	u64 n = irqs;

	outb(COM1, 0);
	wait_irq(n);
}

/*
 * From HLT to the handler: the PIT's channel 0 in mode 0 with a count of
 * 1 (0.84 us), then HLT; vmm's event thread must wake the halted VCPU.
 * Returns the TSC cycles from programming the PIT to the handler.
 */
static u64 hlt_wakeup(void)
{
	u64 n = irqs, t0 = bench_rdtsc();

	outb(0x43, 0x30);		/* channel 0, LSB then MSB, mode 0 */
	outb(0x40, 1);
	outb(0x40, 0);
	wait_irq(n);
	return irq_tsc - t0;
}

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
	{
		u64 i, t, uart, wake = 0;

		irq_setup();
		__asm__ volatile("sti");
		t = bench_rdtsc();
		for (i = 0; i < IRQ_N; i++)
			irq_uart();
		uart = bench_rdtsc() - t;
		for (i = 0; i < IRQ_N; i++)
			wake += hlt_wakeup();
		__asm__ volatile("cli");
		/* The UART out of loopback again, or the reports would loop back. */
		outb(COM1 + 1, 0);
		outb(COM1 + 4, 0);
		report("irq_uart", IRQ_N, uart);
		report("hlt_wakeup", IRQ_N, wake);
	}
	return x == 0xdeadbeef;		/* use x: 0 unless very unlucky */
}
