// SPDX-License-Identifier: GPL-2.0
/*
 * Host unit tests for vmm's 16550A UART (vmm/devices/uart16550.c), driven
 * as a guest drives it: IN and OUT on its ports, through the bus.
 */
#include <check.h>

#include "unit.h"
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "../../vmm/devices/uart16550.h"

#define COM1	UART16550_COM1
#define RBR	(COM1 + 0)
#define IER	(COM1 + 1)
#define IIR	(COM1 + 2)
#define LCR	(COM1 + 3)
#define MCR	(COM1 + 4)
#define LSR	(COM1 + 5)
#define MSR	(COM1 + 6)
#define SCR	(COM1 + 7)

static char out[64];
static unsigned int nout;
static const char *input;		/* what the host has typed, not yet taken */
static int irq_level, irq_changes;

static void tx(void *opaque, uint8_t b)
{
	(void)opaque;
	if (nout < sizeof(out) - 1)
		out[nout++] = b;
}

static int rx(void *opaque)
{
	(void)opaque;
	return input && *input ? (uint8_t)*input++ : -1;
}

static void set_irq(void *ctx, unsigned int line, bool level)
{
	ck_assert_ptr_eq(ctx, &irq_level);
	ck_assert_uint_eq(line, 4);
	irq_level = level;
	irq_changes++;
}

static struct bus bus;
static struct uart16550 u;

static void setup(void)
{
	static const struct uart16550_host host = { .tx = tx, .rx = rx };
	static const struct bus_irq irq = { .set = set_irq, .ctx = &irq_level, .line = 4 };

	memset(out, 0, sizeof(out));
	nout = 0;
	input = NULL;
	irq_level = irq_changes = 0;
	bus_init(&bus);
	ck_assert_int_eq(uart16550_attach(&bus, &u, COM1, &host, &irq), 0);
}

static uint8_t inb(uint16_t port)
{
	uint8_t v;

	ck_assert_int_eq(bus_access(&bus, BUS_PIO, port, false, &v, 1, NULL), BUS_OK);
	return v;
}

static void outb(uint16_t port, uint8_t v)
{
	ck_assert_int_eq(bus_access(&bus, BUS_PIO, port, true, &v, 1, NULL), BUS_OK);
}

START_TEST(test_ports)
{
	uint8_t v = 0;

	ck_assert_uint_eq(bus.nr[BUS_PIO], 1);
	ck_assert_uint_eq(bus.range[BUS_PIO][0].base, 0x3f8);
	ck_assert_uint_eq(bus.range[BUS_PIO][0].len, 8);
	ck_assert_int_eq(bus_access(&bus, BUS_PIO, 0x3f7, false, &v, 1, NULL), BUS_NO_DEVICE);
	ck_assert_int_eq(bus_access(&bus, BUS_PIO, 0x400, false, &v, 1, NULL), BUS_NO_DEVICE);
	/* A second UART on the same ports is refused; on COM2's it is not. */
	ck_assert_int_eq(uart16550_attach(&bus, &(struct uart16550){ 0 }, 0x3fc, NULL, NULL),
			 -EBUSY);
	ck_assert_int_eq(uart16550_attach(&bus, &(struct uart16550){ 0 }, 0x2f8, NULL, NULL), 0);
}
END_TEST

START_TEST(test_transmit)
{
	const char *msg = "hi\n";

	for (; *msg; msg++) {
		/* A driver waits for THRE (LSR bit 5) before each byte. */
		ck_assert(inb(LSR) & 0x20);
		outb(RBR, *msg);
	}
	ck_assert_str_eq(out, "hi\n");
	ck_assert_uint_eq(inb(LSR), 0x60);	/* THRE, TEMT, no DR */
}
END_TEST

START_TEST(test_receive)
{
	ck_assert(uart16550_receive(&u, 'a'));
	ck_assert(uart16550_receive(&u, 'b'));
	ck_assert_uint_eq(inb(LSR) & 1, 1);		/* data ready */
	ck_assert_uint_eq(inb(RBR), 'a');
	ck_assert_uint_eq(inb(RBR), 'b');
	ck_assert_uint_eq(inb(LSR) & 1, 0);
	ck_assert_uint_eq(inb(RBR), 0);			/* empty FIFO */
}
END_TEST

START_TEST(test_host_input)
{
	/* What the host typed reaches the FIFO at the guest's next read. */
	input = "ok";
	ck_assert_uint_eq(inb(LSR), 0x61);
	ck_assert_uint_eq(inb(RBR), 'o');
	ck_assert_uint_eq(inb(RBR), 'k');
	ck_assert_uint_eq(inb(LSR), 0x60);
}
END_TEST

START_TEST(test_rx_fifo_full)
{
	unsigned int i;

	for (i = 0; i < UART16550_RX_SIZE; i++)
		ck_assert(uart16550_receive(&u, (uint8_t)i));
	ck_assert(!uart16550_receive(&u, 0xff));
	input = "x";				/* no room: stays with the host */
	ck_assert_uint_eq(inb(RBR), 0);
	ck_assert_str_eq(input, "x");
	/* FCR bit 1 clears the receive FIFO. */
	outb(IIR, 0x03);
	input = NULL;
	ck_assert_uint_eq(inb(LSR) & 1, 0);
}
END_TEST

START_TEST(test_divisor_latch)
{
	ck_assert_uint_eq(inb(LCR), 0);
	outb(LCR, 0x80);			/* LCR.DLAB */
	ck_assert_uint_eq(inb(RBR), 12);	/* 9600 baud after reset */
	ck_assert_uint_eq(inb(IER), 0);
	outb(RBR, 0x01);			/* DLL: 115200 baud */
	outb(IER, 0x02);			/* DLM */
	ck_assert_uint_eq(inb(RBR), 0x01);
	ck_assert_uint_eq(inb(IER), 0x02);
	ck_assert_uint_eq(nout, 0);		/* nothing was transmitted */
	outb(LCR, 0x03);			/* 8N1, DLAB off */
	ck_assert_uint_eq(inb(LCR), 0x03);
	ck_assert_uint_eq(inb(IER), 0x00);	/* IER, not DLM */
	outb(IER, 0xff);
	ck_assert_uint_eq(inb(IER), 0x0f);	/* bits 4-7 are always 0 */
}
END_TEST

START_TEST(test_interrupt_identification)
{
	ck_assert_uint_eq(inb(IIR), 0x01);		/* none pending */
	outb(IER, 0x02);				/* enable THRE interrupt */
	ck_assert_uint_eq(inb(IIR), 0x02);		/* THRE; reading clears it */
	ck_assert_uint_eq(inb(IIR), 0x01);
	outb(RBR, 'x');					/* THR empties again at once */
	ck_assert_uint_eq(inb(IIR), 0x02);
	outb(IER, 0x03);
	uart16550_receive(&u, 'y');
	outb(RBR, 'x');
	ck_assert_uint_eq(inb(IIR), 0x04);		/* received data comes first */
	inb(RBR);
	ck_assert_uint_eq(inb(IIR), 0x02);
	outb(IIR, 0x01);				/* FCR: FIFOs on */
	ck_assert_uint_eq(inb(IIR), 0xc1);
}
END_TEST

START_TEST(test_interrupt_line)
{
	outb(IER, 0x02);
	ck_assert_int_eq(irq_level, 1);		/* THR is empty: at once */
	inb(IIR);
	ck_assert_int_eq(irq_level, 0);
	outb(IER, 0x01);
	ck_assert_int_eq(irq_level, 0);
	uart16550_receive(&u, 'z');
	ck_assert_int_eq(irq_level, 1);
	inb(RBR);
	ck_assert_int_eq(irq_level, 0);
	ck_assert_int_eq(irq_changes, 4);
}
END_TEST

START_TEST(test_modem_control_and_status)
{
	outb(MCR, 0xff);
	ck_assert_uint_eq(inb(MCR), 0x1f);	/* bits 5-7 are always 0 */
	outb(MCR, 0x0b);
	ck_assert_uint_eq(inb(MSR), 0xb0);	/* not looped: DCD, DSR, CTS (a cable) */
	outb(MSR, 0x00);			/* read-only */
	outb(LSR, 0x00);
	ck_assert_uint_eq(inb(MSR), 0xb0);
	ck_assert_uint_eq(inb(LSR), 0x60);
}
END_TEST

/* In loopback: CTS = RTS, DSR = DTR, RI = OUT1, DCD = OUT2 (PC16550D data sheet). */
START_TEST(test_loopback_modem_status)
{
	static const struct { uint8_t mcr, msr; } loop[] = {
		{ 0x10, 0x00 },
		{ 0x11, 0x20 },		/* DTR -> DSR */
		{ 0x12, 0x10 },		/* RTS -> CTS */
		{ 0x14, 0x40 },		/* OUT1 -> RI */
		{ 0x18, 0x80 },		/* OUT2 -> DCD */
		{ 0x1a, 0x90 },		/* RTS and OUT2, as Linux's 8250 probe sets them */
		{ 0x13, 0x30 },
		{ 0x1f, 0xf0 },
	};
	unsigned int i;

	for (i = 0; i < sizeof(loop) / sizeof(loop[0]); i++) {
		outb(MCR, loop[i].mcr);
		ck_assert_msg(inb(MSR) == loop[i].msr, "MCR %#x: MSR %#x, want %#x",
			      loop[i].mcr, inb(MSR), loop[i].msr);
	}
}
END_TEST

START_TEST(test_loopback_data_and_scratch)
{
	outb(MCR, 0x10);			/* MCR loopback */
	outb(RBR, 'z');
	ck_assert_uint_eq(nout, 0);
	ck_assert_uint_eq(inb(LSR), 0x61);
	ck_assert_uint_eq(inb(RBR), 'z');
	outb(MCR, 0x00);
	outb(RBR, 'w');
	ck_assert_str_eq(out, "w");
	outb(SCR, 0x5a);
	ck_assert_uint_eq(inb(SCR), 0x5a);
}
END_TEST

START_TEST(test_wide_access)
{
	uint8_t d[4] = { 'A', 'B', 'C', 'D' };

	/* 8-bit registers: a wider OUT writes its low byte, a wider IN reads zeros above. */
	ck_assert_int_eq(bus_access(&bus, BUS_PIO, RBR, true, d, 2, NULL), BUS_OK);
	ck_assert_str_eq(out, "A");
	ck_assert_int_eq(bus_access(&bus, BUS_PIO, LSR, false, d, 4, NULL), BUS_OK);
	ck_assert_uint_eq(bus_value(d, 4), 0x60);
}
END_TEST

START_TEST(test_trace_describes_output)
{
	const struct bus_range *r = bus_find(&bus, BUS_PIO, RBR);
	char note[48] = "";

	r->ops->describe(r->opaque, 0, 'H', note, sizeof(note));
	ck_assert_str_eq(note, "the UART prints 'H'");
	note[0] = '\0';
	r->ops->describe(r->opaque, 0, '\n', note, sizeof(note));
	r->ops->describe(r->opaque, 3, 'H', note, sizeof(note));
	ck_assert_str_eq(note, "");
}
END_TEST

int main(void)
{
	Suite *su = suite_create("uart16550");
	TCase *tc = tcase_create("16550a");

	tcase_add_checked_fixture(tc, setup, NULL);
	tcase_add_test(tc, test_ports);
	tcase_add_test(tc, test_transmit);
	tcase_add_test(tc, test_receive);
	tcase_add_test(tc, test_host_input);
	tcase_add_test(tc, test_rx_fifo_full);
	tcase_add_test(tc, test_divisor_latch);
	tcase_add_test(tc, test_interrupt_identification);
	tcase_add_test(tc, test_interrupt_line);
	tcase_add_test(tc, test_modem_control_and_status);
	tcase_add_test(tc, test_loopback_modem_status);
	tcase_add_test(tc, test_loopback_data_and_scratch);
	tcase_add_test(tc, test_wide_access);
	tcase_add_test(tc, test_trace_describes_output);
	suite_add_tcase(su, tc);
	return unit_run(su);
}
