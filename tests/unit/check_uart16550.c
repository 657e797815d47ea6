// SPDX-License-Identifier: GPL-2.0
/*
 * Host unit tests for vmm's 16550A UART (vmm/devices/uart16550.c), driven
 * as a guest drives it: IN and OUT on its ports, through the bus, with IRQ
 * 4 watched through its bus_irq. The expected values come from the
 * National Semiconductor PC16550D data sheet (register bits, interrupt
 * priorities) and from what Linux's 8250 driver (8250_port.c) reads back.
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
#define FCR	(COM1 + 2)		/* write-only, where IIR reads */
#define EFR	(COM1 + 2)		/* a 16650's, under LCR 0xbf: not on a 16550A */
#define LCR	(COM1 + 3)
#define MCR	(COM1 + 4)
#define LSR	(COM1 + 5)
#define MSR	(COM1 + 6)
#define SCR	(COM1 + 7)

static char out[64];
static unsigned int nout;
static const char *input;		/* what the host has typed, not yet taken */
static int irq_level, irq_changes, irq_rises;

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
	ck_assert_int_ne(irq_level, level);	/* the model reports changes only */
	irq_rises += level;
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
	irq_level = irq_changes = irq_rises = 0;
	bus_init(&bus);
	ck_assert_int_eq(uart16550_attach(&bus, &u, COM1, &host, &irq), 0);
}

static uint8_t inb(uint16_t port)
{
	return unit_in(&bus, port, 1);
}

static void outb(uint16_t port, uint8_t v)
{
	unit_out(&bus, port, v, 1);
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
	outb(FCR, 0x01);				/* FIFOs on: room for both */
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

	ck_assert_uint_eq(UART16550_RX_SIZE, 16);	/* a 16550A's receive FIFO */
	outb(FCR, 0x01);
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
	outb(MCR, 0x08);			/* OUT2: the PC lets IRQ 4 through */
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
	/* Not looped: DCD, DSR, CTS (a cable); RI fell (OUT1 no longer drives it): TERI. */
	ck_assert_uint_eq(inb(MSR), 0xb4);
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
		uint8_t msr;

		outb(MCR, loop[i].mcr);
		msr = inb(MSR) & 0xf0;		/* the inputs; bits 0-3 are deltas */
		ck_assert_msg(msr == loop[i].msr, "MCR %#x: MSR %#x, want %#x",
			      loop[i].mcr, msr, loop[i].msr);
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

/*
 * Several causes at once, each removed in turn, IIR showing them in the
 * data sheet's order: line status, received data, THR empty, modem status.
 */
START_TEST(test_iir_priority)
{
	unsigned int i;

	outb(MCR, 0x18);		/* loopback, OUT2: DCD stays on, CTS and DSR fall */
	outb(FCR, 0x01);		/* FIFOs on, trigger level 1 */
	outb(IER, 0x0f);		/* every interrupt; THR is empty */
	for (i = 0; i < 17; i++)	/* looped back: 16 fill the FIFO, the 17th overruns */
		outb(RBR, i);
	ck_assert_int_eq(irq_level, 1);
	ck_assert_uint_eq(inb(IIR), 0xc6);	/* receiver line status (OE) */
	ck_assert_uint_eq(inb(IIR), 0xc6);	/* reading IIR does not clear it */
	ck_assert_uint_eq(inb(LSR), 0x63);	/* DR, OE, THRE, TEMT; bit 7 is PE/FE/BI only */
	ck_assert_uint_eq(inb(IIR), 0xc4);	/* received data available */
	for (i = 0; i < 16; i++)
		ck_assert_uint_eq(inb(RBR), i);	/* the FIFO kept its bytes: the 17th is lost */
	ck_assert_int_eq(irq_level, 1);
	ck_assert_uint_eq(inb(IIR), 0xc2);	/* THR empty: this read clears it */
	ck_assert_uint_eq(inb(IIR), 0xc0);	/* modem status */
	ck_assert_int_eq(irq_level, 1);
	ck_assert_uint_eq(inb(MSR), 0x83);	/* DCD; DDSR, DCTS */
	ck_assert_uint_eq(inb(IIR), 0xc1);
	ck_assert_int_eq(irq_level, 0);
}
END_TEST

/* FCR bits 6-7: received data available at 1, 4, 8, 14 bytes; below, the timeout. */
START_TEST(test_rda_trigger_levels)
{
	static const struct { uint8_t fcr; unsigned int level; } trig[] = {
		{ 0x01, 1 }, { 0x41, 4 }, { 0x81, 8 }, { 0xc1, 14 },
	};
	unsigned int i, n;
	uint8_t iir;

	outb(MCR, 0x08);
	outb(IER, 0x01);
	for (i = 0; i < 4; i++) {
		outb(FCR, trig[i].fcr | 0x02);		/* and clear the receive FIFO */
		ck_assert_uint_eq(inb(IIR), 0xc1);
		for (n = 1; n <= trig[i].level; n++) {
			uart16550_receive(&u, 'a' + n);
			iir = inb(IIR);
			ck_assert_msg(iir == (n < trig[i].level ? 0xcc : 0xc4),
				      "level %u, %u bytes: IIR %#x", trig[i].level, n, iir);
			ck_assert_int_eq(irq_level, 1);
		}
		uart16550_receive(&u, 'z');		/* above the level: still 0xc4 */
		ck_assert_uint_eq(inb(IIR), 0xc4);
		inb(RBR);
		ck_assert_uint_eq(inb(IIR), 0xc4);	/* at the level */
		inb(RBR);
		iir = inb(IIR);				/* below it */
		ck_assert_msg(iir == (trig[i].level > 1 ? 0xcc : 0xc1), "level %u: IIR %#x",
			      trig[i].level, iir);
	}
}
END_TEST

/* Data below the trigger level: the character timeout (at once: no clock). */
START_TEST(test_character_timeout)
{
	outb(MCR, 0x08);
	outb(FCR, 0xc1);			/* trigger level 14 */
	uart16550_receive(&u, 'a');
	uart16550_receive(&u, 'b');
	uart16550_receive(&u, 'c');
	ck_assert_uint_eq(inb(IIR), 0xc1);	/* IER bit 0 off: none */
	ck_assert_int_eq(irq_level, 0);
	outb(IER, 0x01);			/* bit 0 enables the timeout too */
	ck_assert_uint_eq(inb(IIR), 0xcc);
	ck_assert_int_eq(irq_level, 1);
	ck_assert_uint_eq(inb(RBR), 'a');
	ck_assert_uint_eq(inb(IIR), 0xcc);	/* 2 bytes left: again */
	ck_assert_uint_eq(inb(RBR), 'b');
	ck_assert_uint_eq(inb(RBR), 'c');
	ck_assert_uint_eq(inb(IIR), 0xc1);
	ck_assert_int_eq(irq_level, 0);
	/* No FIFOs, no timeout: a byte is data available. */
	outb(FCR, 0x00);
	uart16550_receive(&u, 'd');
	ck_assert_uint_eq(inb(IIR), 0x04);
}
END_TEST

START_TEST(test_overrun_fifo)
{
	unsigned int i;

	outb(FCR, 0x01);
	for (i = 0; i < 16; i++)
		ck_assert(uart16550_receive(&u, i));
	ck_assert(!uart16550_can_receive(&u));
	ck_assert(!uart16550_receive(&u, 0xaa));	/* overrun */
	ck_assert_uint_eq(inb(LSR), 0x63);		/* DR, OE, THRE, TEMT */
	ck_assert_uint_eq(inb(LSR), 0x61);		/* reading LSR cleared OE */
	for (i = 0; i < 16; i++)
		ck_assert_uint_eq(inb(RBR), i);		/* 0xaa never arrived */
	ck_assert_uint_eq(inb(LSR), 0x60);
}
END_TEST

START_TEST(test_line_status_interrupt)
{
	outb(MCR, 0x08);
	outb(IER, 0x04);			/* receiver line status only */
	ck_assert(uart16550_receive(&u, 'a'));
	ck_assert_uint_eq(inb(IIR), 0x01);	/* data, but its interrupt is off */
	ck_assert_int_eq(irq_level, 0);
	ck_assert(!uart16550_receive(&u, 'b'));	/* no FIFOs, DR set: overrun */
	ck_assert_uint_eq(inb(IIR), 0x06);
	ck_assert_int_eq(irq_level, 1);
	ck_assert_uint_eq(inb(LSR), 0x63);	/* reading LSR clears the interrupt */
	ck_assert_uint_eq(inb(IIR), 0x01);
	ck_assert_int_eq(irq_level, 0);
	/* An overrun latched while the interrupt is off shows when it is enabled. */
	outb(IER, 0x00);
	ck_assert(!uart16550_receive(&u, 'c'));	/* 'b' is still unread */
	ck_assert_uint_eq(inb(IIR), 0x01);
	outb(IER, 0x04);
	ck_assert_uint_eq(inb(IIR), 0x06);
	ck_assert_int_eq(irq_level, 1);
}
END_TEST

/* BI belongs to its byte; LSR bit 7 tells of an error anywhere in the FIFO. */
START_TEST(test_break_and_fifo_error)
{
	outb(MCR, 0x08);
	outb(FCR, 0x01);
	outb(IER, 0x05);
	ck_assert(uart16550_receive(&u, 'a'));
	ck_assert(uart16550_receive_break(&u));
	ck_assert(uart16550_receive(&u, 'b'));
	ck_assert_uint_eq(inb(IIR), 0xc4);	/* 'a' at the top has no error */
	ck_assert_uint_eq(inb(LSR), 0xe1);	/* bit 7: the break is in the FIFO; DR */
	ck_assert_uint_eq(inb(RBR), 'a');
	ck_assert_uint_eq(inb(IIR), 0xc6);	/* the break at the top: line status */
	ck_assert_int_eq(irq_level, 1);
	ck_assert_uint_eq(inb(LSR), 0xf1);	/* BI, bit 7, DR */
	ck_assert_uint_eq(inb(LSR), 0x61);	/* read: BI gone, no other error: bit 7 too */
	ck_assert_uint_eq(inb(IIR), 0xc4);
	ck_assert_uint_eq(inb(RBR), 0x00);	/* a break is a 0 byte */
	ck_assert_uint_eq(inb(RBR), 'b');
	ck_assert_uint_eq(inb(LSR), 0x60);
	/* In 16450 mode bit 7 is always 0. */
	outb(FCR, 0x00);
	ck_assert(uart16550_receive_break(&u));
	ck_assert_uint_eq(inb(IIR), 0x06);
	ck_assert_uint_eq(inb(LSR), 0x71);
}
END_TEST

START_TEST(test_thre_interrupt)
{
	int rises;

	outb(MCR, 0x08);
	ck_assert_uint_eq(inb(IIR), 0x01);	/* after reset: none, though THR is empty */
	outb(IER, 0x02);			/* 0 -> 1 with THR empty: raised */
	ck_assert_uint_eq(irq_rises, 1);
	ck_assert_uint_eq(inb(IIR), 0x02);	/* reading IIR when it shows THRE clears it */
	ck_assert_int_eq(irq_level, 0);
	ck_assert_uint_eq(inb(IIR), 0x01);
	outb(RBR, 'a');				/* THR empties again: raised */
	ck_assert_int_eq(irq_level, 1);
	ck_assert_uint_eq(irq_rises, 2);
	/* Writing THR clears THRE before the byte leaves: the line falls, then rises. */
	rises = irq_rises;
	outb(RBR, 'b');
	ck_assert_int_eq(irq_level, 1);
	ck_assert_int_eq(irq_rises, rises + 1);
	ck_assert_str_eq(out, "ab");
	outb(IER, 0x00);
	ck_assert_int_eq(irq_level, 0);
	outb(IER, 0x02);
	ck_assert_uint_eq(inb(IIR), 0x02);
	outb(IER, 0x00);
	outb(IER, 0x02);			/* raised again on each 0 -> 1 */
	ck_assert_uint_eq(inb(IIR), 0x02);
	ck_assert_uint_eq(inb(IIR), 0x01);
	/* An IIR read that shows something higher leaves THRE pending. */
	outb(RBR, 'c');
	outb(IER, 0x03);
	uart16550_receive(&u, 'x');
	ck_assert_uint_eq(inb(IIR), 0x04);
	ck_assert_uint_eq(inb(RBR), 'x');
	ck_assert_uint_eq(inb(IIR), 0x02);
	ck_assert_uint_eq(inb(IIR), 0x01);
}
END_TEST

/* MSR bits 0-3: DCTS, DDSR, TERI (RI went off), DDCD; reading MSR clears them. */
START_TEST(test_msr_deltas)
{
	static const struct { uint8_t mcr, msr; } step[] = {
		{ 0x10, 0x0b },		/* loopback: CTS, DSR, DCD fall (the cable's were on) */
		{ 0x11, 0x22 },		/* DTR -> DSR rises */
		{ 0x15, 0x60 },		/* OUT1 -> RI rises: no delta, only its fall counts */
		{ 0x11, 0x24 },		/* RI falls: TERI */
		{ 0x13, 0x31 },		/* RTS -> CTS */
		{ 0x1b, 0xb8 },		/* OUT2 -> DCD */
		{ 0x0b, 0xb0 },		/* back to the cable: CTS, DSR, DCD on, as they were */
		{ 0x00, 0xb0 },		/* outside loopback MCR moves no input */
	};
	unsigned int i;
	uint8_t msr;

	ck_assert_uint_eq(inb(MSR), 0xb0);	/* after reset: no delta */
	for (i = 0; i < sizeof(step) / sizeof(step[0]); i++) {
		outb(MCR, step[i].mcr);
		msr = inb(MSR);
		ck_assert_msg(msr == step[i].msr, "MCR %#x: MSR %#x, want %#x",
			      step[i].mcr, msr, step[i].msr);
		msr = inb(MSR);
		ck_assert_msg(msr == (step[i].msr & 0xf0), "MCR %#x: deltas not cleared: %#x",
			      step[i].mcr, msr);
	}
}
END_TEST

START_TEST(test_modem_status_interrupt)
{
	outb(IER, 0x08);
	outb(MCR, 0x08);			/* OUT2; the cable's inputs do not move */
	ck_assert_uint_eq(inb(IIR), 0x01);
	outb(MCR, 0x18);			/* loopback: CTS and DSR fall */
	ck_assert_uint_eq(inb(IIR), 0x00);
	ck_assert_int_eq(irq_level, 1);
	ck_assert_uint_eq(inb(MSR), 0x83);	/* reading MSR clears it */
	ck_assert_uint_eq(inb(IIR), 0x01);
	ck_assert_int_eq(irq_level, 0);
	outb(MCR, 0x1a);			/* RTS -> CTS */
	ck_assert_uint_eq(inb(IIR), 0x00);
	ck_assert_int_eq(irq_level, 1);
	outb(IER, 0x00);			/* pending, but masked */
	ck_assert_uint_eq(inb(IIR), 0x01);
	ck_assert_int_eq(irq_level, 0);
	ck_assert_uint_eq(inb(MSR), 0x91);
}
END_TEST

/* The PC's wiring: IRQ 4 is IIR's interrupt AND MCR.OUT2. */
START_TEST(test_out2_gates_line)
{
	outb(IER, 0x02);
	ck_assert_uint_eq(inb(IER), 0x02);
	ck_assert_int_eq(irq_changes, 0);	/* pending, but OUT2 is off */
	outb(MCR, 0x08);
	ck_assert_int_eq(irq_level, 1);
	outb(MCR, 0x03);			/* DTR, RTS without OUT2 */
	ck_assert_int_eq(irq_level, 0);
	outb(MCR, 0x0b);			/* what Linux sets: DTR, RTS, OUT2 */
	ck_assert_int_eq(irq_level, 1);
	outb(MCR, 0x10);			/* loopback without OUT2: still gated */
	ck_assert_int_eq(irq_level, 0);
	outb(MCR, 0x18);			/* loopback with OUT2: interrupts work */
	ck_assert_int_eq(irq_level, 1);
	ck_assert_uint_eq(inb(IIR), 0x02);	/* the pending THRE, cleared */
	ck_assert_int_eq(irq_level, 0);
	ck_assert_uint_eq(irq_rises, 3);
}
END_TEST

/* FCR bit 0 off (as after reset): a 1-byte receive holding register. */
START_TEST(test_fifo_disabled)
{
	ck_assert_uint_eq(inb(IIR), 0x01);		/* bits 6-7: no FIFOs */
	ck_assert(uart16550_can_receive(&u));
	ck_assert(uart16550_receive(&u, 'a'));
	ck_assert(!uart16550_can_receive(&u));
	ck_assert_uint_eq(inb(LSR), 0x61);
	ck_assert(!uart16550_receive(&u, 'b'));		/* DR set: overrun */
	ck_assert_uint_eq(inb(LSR), 0x63);
	ck_assert_uint_eq(inb(RBR), 'b');		/* it destroyed 'a' (16450 mode) */
	ck_assert_uint_eq(inb(LSR), 0x60);
	outb(IER, 0x01);
	/* The host's input comes a byte at a time, none lost. */
	input = "xyz";
	ck_assert_uint_eq(inb(IIR), 0x04);		/* one byte is data available */
	ck_assert_str_eq(input, "yz");
	ck_assert_uint_eq(inb(RBR), 'x');
	ck_assert_uint_eq(inb(RBR), 'y');
	ck_assert_uint_eq(inb(RBR), 'z');
	ck_assert_uint_eq(inb(LSR), 0x60);
}
END_TEST

START_TEST(test_fcr)
{
	outb(FCR, 0x01);
	uart16550_receive(&u, 'a');
	uart16550_receive(&u, 'b');
	outb(FCR, 0x01);			/* no change of mode: the FIFO keeps its bytes */
	ck_assert_uint_eq(inb(LSR), 0x61);
	outb(FCR, 0x05);			/* clearing the transmit FIFO leaves them too */
	ck_assert_uint_eq(inb(LSR), 0x61);
	outb(FCR, 0x03);			/* bit 1 clears the receive FIFO */
	ck_assert_uint_eq(inb(LSR), 0x60);
	uart16550_receive(&u, 'c');
	outb(FCR, 0x00);			/* FIFOs off: emptied */
	ck_assert_uint_eq(inb(LSR), 0x60);
	ck_assert_uint_eq(inb(IIR), 0x01);
	uart16550_receive(&u, 'd');
	outb(FCR, 0x01);			/* FIFOs on: emptied */
	ck_assert_uint_eq(inb(LSR), 0x60);
	ck_assert_uint_eq(inb(IIR), 0xc1);
	outb(FCR, 0xe7);			/* bit 5 (a 16750's 64 bytes) is not IIR's */
	ck_assert_uint_eq(inb(IIR), 0xc1);
}
END_TEST

/* The guest listens once its driver enables the receive interrupt. */
START_TEST(test_listening)
{
	ck_assert(!uart16550_listening(&u));	/* after reset: IER 0 */
	outb(IER, 0x02);			/* THR empty only */
	ck_assert(!uart16550_listening(&u));
	outb(IER, 0x05);			/* data and line status: Linux's open */
	ck_assert(uart16550_listening(&u));
	outb(IER, 0x00);
	ck_assert(!uart16550_listening(&u));
}
END_TEST

/* Back-pressure: the host keeps what does not fit, and everything in loopback. */
START_TEST(test_can_receive)
{
	unsigned int i;

	outb(FCR, 0x01);
	for (i = 0; i < 16; i++) {
		ck_assert(uart16550_can_receive(&u));
		ck_assert(uart16550_receive(&u, i));
	}
	ck_assert(!uart16550_can_receive(&u));
	inb(RBR);
	ck_assert(uart16550_can_receive(&u));
	outb(FCR, 0x03);
	outb(MCR, 0x10);			/* loopback: the receiver is cut off the line */
	ck_assert(!uart16550_can_receive(&u));
	ck_assert(!uart16550_receive(&u, 'q'));
	input = "k";
	ck_assert_uint_eq(inb(LSR), 0x60);	/* neither arrived */
	ck_assert_str_eq(input, "k");
	outb(MCR, 0x00);
	ck_assert(uart16550_can_receive(&u));
	ck_assert_uint_eq(inb(RBR), 'k');
	ck_assert_uint_eq(inb(LSR), 0x60);	/* 'q' was dropped, no overrun (OE) */
}
END_TEST

/* Linux's size_fifo(): loopback, 256 bytes out, count what came back. */
static unsigned int linux_size_fifo(void)
{
	uint8_t old_fcr, old_mcr, old_lcr, old_dll, old_dlm;
	unsigned int count;

	old_lcr = inb(LCR);
	outb(LCR, 0);
	old_fcr = inb(FCR);			/* (IIR, in fact) */
	old_mcr = inb(MCR);
	outb(FCR, 0x07);
	outb(MCR, 0x10);
	outb(LCR, 0x80);
	old_dll = inb(RBR);
	old_dlm = inb(IER);
	outb(RBR, 0x01);
	outb(IER, 0x00);
	outb(LCR, 0x03);
	for (count = 0; count < 256; count++)
		outb(RBR, count);
	for (count = 0; (inb(LSR) & 0x01) && count < 256; count++)
		inb(RBR);
	outb(FCR, old_fcr);
	outb(MCR, old_mcr);
	outb(LCR, 0x80);
	outb(RBR, old_dll);
	outb(IER, old_dlm);
	outb(LCR, old_lcr);
	return count;
}

/* autoconfig() and autoconfig_16550a() of drivers/tty/serial/8250/8250_port.c. */
START_TEST(test_linux_autoconfig)
{
	uint8_t scratch, scratch2, scratch3, save_mcr, save_lcr, status1, status2, iersave;

	/* Is there a UART: IER bits 0-3 hold 0 and 0x0f. */
	scratch = inb(IER);
	outb(IER, 0);
	scratch2 = inb(IER) & 0x0f;
	outb(IER, 0x0f);
	scratch3 = inb(IER) & 0x0f;
	outb(IER, scratch);
	ck_assert_uint_eq(scratch2, 0);
	ck_assert_uint_eq(scratch3, 0x0f);
	save_mcr = inb(MCR);
	save_lcr = inb(LCR);
	/* The loop test. */
	outb(MCR, 0x1a);
	status1 = inb(MSR) & 0xf0;
	outb(MCR, save_mcr);
	ck_assert_uint_eq(status1, 0x90);
	/* EFR cleared under LCR 0xbf (on a 16550A: FCR), then the FIFOs on. */
	outb(LCR, 0xbf);
	outb(EFR, 0);
	outb(LCR, 0);
	outb(FCR, 0x01);
	ck_assert_uint_eq(inb(IIR) >> 6, 3);		/* 3: autoconfig_16550a() */
	/* No EFR under DLAB (ST16C650V1): offset 2 reads IIR, not 0. */
	outb(LCR, 0x80);
	ck_assert_uint_ne(inb(EFR), 0);
	/* No EFR under LCR 0xbf either (ST16C650V2, TI16C752). */
	outb(LCR, 0xbf);
	ck_assert_uint_ne(inb(EFR), 0);
	/* No National SuperIO: bank 2's EXCR1 does not follow MCR's loop bit. */
	outb(LCR, 0);
	status1 = inb(MCR);
	outb(LCR, 0xe0);
	status2 = inb(IIR);
	ck_assert(!((status2 ^ status1) & 0x10));
	outb(LCR, 0);
	outb(MCR, status1 ^ 0x10);
	outb(LCR, 0xe0);
	status2 = inb(IIR);
	outb(LCR, 0);
	outb(MCR, status1);
	ck_assert(!((status2 ^ status1) & 0x10));
	/* No TI16750: IIR bit 5 stays 0 with FCR bit 5, DLAB or not. */
	outb(LCR, 0);
	outb(FCR, 0x21);
	status1 = inb(IIR) >> 5;
	outb(FCR, 0x01);
	outb(LCR, 0x80);
	outb(FCR, 0x21);
	status2 = inb(IIR) >> 5;
	outb(FCR, 0x01);
	outb(LCR, 0);
	ck_assert_uint_eq(status1, 6);
	ck_assert_uint_eq(status2, 6);
	/* No XScale: IER bit 6 (UUE) does not stick. */
	iersave = inb(IER);
	outb(IER, iersave & ~0x40);
	ck_assert(!(inb(IER) & 0x40));
	outb(IER, iersave | 0x40);
	ck_assert(!(inb(IER) & 0x40));
	outb(IER, iersave);
	/* 16 bytes of FIFO, not a U6's 64. */
	ck_assert_uint_eq(linux_size_fifo(), 16);
	ck_assert_uint_eq(nout, 0);			/* loopback: nothing went out */
	/* Then the reset. */
	outb(LCR, save_lcr);
	outb(MCR, save_mcr);
	outb(FCR, 0x01);
	outb(FCR, 0x07);
	outb(FCR, 0x00);
	inb(RBR);
	outb(IER, 0);
	ck_assert_uint_eq(inb(LSR), 0x60);
	ck_assert_uint_eq(inb(IIR), 0x01);
	ck_assert_uint_eq(inb(MSR) & 0xf0, 0xb0);
	/* The scratch test (autoconfig_8250) a 16450 or later passes. */
	scratch = inb(SCR);
	outb(SCR, 0xa5);
	ck_assert_uint_eq(inb(SCR), 0xa5);
	outb(SCR, 0x5a);
	ck_assert_uint_eq(inb(SCR), 0x5a);
	outb(SCR, scratch);
	/* A 16550A answers FCR 0xe7 with the FIFOs' 0xc0 in IIR. */
	outb(FCR, 0xe7);
	ck_assert_uint_eq(inb(IIR) & 0xc0, 0xc0);
	ck_assert_int_eq(irq_changes, 0);		/* OUT2 stayed off */
}
END_TEST

/* serial8250_do_startup(): the THRE test, then the TXEN test with OUT2 on. */
START_TEST(test_linux_startup)
{
	uint8_t iir1, iir, lsr;

	outb(FCR, 0x01);
	outb(FCR, 0x07);
	outb(FCR, 0x00);
	inb(LSR);
	inb(RBR);
	inb(IIR);
	inb(MSR);
	ck_assert_uint_ne(inb(LSR), 0xff);
	/* UARTs that do not reassert THRE get UART_BUG_THRE: not this one. */
	ck_assert(inb(LSR) & 0x20);
	outb(IER, 0x02);
	iir1 = inb(IIR);
	outb(IER, 0x00);
	outb(IER, 0x02);
	iir = inb(IIR);
	outb(IER, 0x00);
	ck_assert_uint_eq(iir1, 0x02);
	ck_assert_uint_eq(iir, 0x02);
	ck_assert_int_eq(irq_changes, 0);	/* OUT2 off: the PIC saw nothing */
	outb(LCR, 0x03);
	outb(MCR, 0x0b);			/* mctrl with TIOCM_OUT2 */
	/* No UART_BUG_TXEN: enabling THRI shows THRE at once. */
	outb(IER, 0x02);
	ck_assert_int_eq(irq_level, 1);
	lsr = inb(LSR);
	iir = inb(IIR);
	outb(IER, 0x00);
	ck_assert(!((lsr & 0x40) && (iir & 0x01)));
	ck_assert_uint_eq(iir, 0x02);
	ck_assert_int_eq(irq_level, 0);
}
END_TEST

/* What serial8250_handle_irq() does when IRQ 4 comes: until IIR says none. */
static void linux_isr(const char *send)
{
	uint8_t iir, lsr;
	unsigned int n;

	ck_assert_int_eq(irq_level, 1);
	while (!((iir = inb(IIR)) & 0x01)) {
		lsr = inb(LSR);
		while (lsr & 0x01) {
			inb(RBR);
			lsr = inb(LSR);
		}
		inb(MSR);
		if ((lsr & 0x20) && (inb(IER) & 0x02)) {
			for (n = 0; n < 16 && *send; n++)
				outb(RBR, *send++);
			if (!*send)
				outb(IER, inb(IER) & ~0x02);	/* __stop_tx() */
		}
	}
	ck_assert_int_eq(irq_level, 0);
}

/* Interrupt-driven I/O as Linux's 8250 does it after set_termios(). */
START_TEST(test_linux_interrupt_driven_io)
{
	const char *msg = "0123456789abcdefghij";
	int rises;

	outb(LCR, 0x83);
	outb(RBR, 0x01);			/* 115200 baud */
	outb(IER, 0x00);
	outb(LCR, 0x03);
	outb(FCR, 0x87);			/* FIFOs, cleared, trigger level 8 */
	outb(MCR, 0x0b);
	outb(IER, 0x05);			/* RLSI, RDI */
	ck_assert_int_eq(irq_level, 0);
	/* The host types 3 bytes: below the level, the timeout brings them. */
	ck_assert(uart16550_receive(&u, 'l'));
	ck_assert_int_eq(irq_level, 1);
	ck_assert_uint_eq(inb(IIR), 0xcc);
	ck_assert(uart16550_receive(&u, 's'));
	ck_assert(uart16550_receive(&u, '\r'));
	linux_isr("");
	ck_assert_uint_eq(inb(LSR), 0x60);
	/* start_tx(): THRI on raises THRE; 16 bytes per interrupt. */
	rises = irq_rises;
	outb(IER, 0x07);
	linux_isr(msg);
	ck_assert_str_eq(out, msg);
	ck_assert_int_gt(irq_rises, rises);
	ck_assert_uint_eq(inb(IER), 0x05);
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
	tcase_add_test(tc, test_iir_priority);
	tcase_add_test(tc, test_rda_trigger_levels);
	tcase_add_test(tc, test_character_timeout);
	tcase_add_test(tc, test_overrun_fifo);
	tcase_add_test(tc, test_line_status_interrupt);
	tcase_add_test(tc, test_break_and_fifo_error);
	tcase_add_test(tc, test_thre_interrupt);
	tcase_add_test(tc, test_msr_deltas);
	tcase_add_test(tc, test_modem_status_interrupt);
	tcase_add_test(tc, test_out2_gates_line);
	tcase_add_test(tc, test_fifo_disabled);
	tcase_add_test(tc, test_fcr);
	tcase_add_test(tc, test_can_receive);
	tcase_add_test(tc, test_listening);
	tcase_add_test(tc, test_linux_autoconfig);
	tcase_add_test(tc, test_linux_startup);
	tcase_add_test(tc, test_linux_interrupt_driven_io);
	suite_add_tcase(su, tc);
	return unit_run(su);
}
