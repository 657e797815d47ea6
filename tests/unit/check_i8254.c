// SPDX-License-Identifier: GPL-2.0
/*
 * Host unit tests for vmm's 8254 PIT and port 0x61 (vmm/devices/i8254.c),
 * driven as a guest drives them: IN and OUT on ports 0x40-0x43 and 0x61,
 * through the bus, on a clock the tests move by hand. Expected values come
 * from the Intel 8254 data sheet (231164) and the 1.193182 MHz CLK: a count
 * written loads on the next CLK pulse, so pulse k after a write at t falls
 * at t + ceil(k * 10^9 / 1193182) ns.
 */
#include <check.h>

#include "unit.h"
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "../../vmm/devices/i8254.h"

#define CTRL	0x43
#define PORTB	0x61
#define T0	1000000007ULL	/* the clock at setup, ns */

static uint64_t now_ns;
static int irq_level, irq_rises, irq_calls;
static struct bus bus;
static struct i8254 pit;

static uint64_t fake_now(void *ctx)
{
	ck_assert_ptr_eq(ctx, &now_ns);
	return now_ns;
}

/* The PIC's side of IRQ 0: it counts rising edges. */
static void set_irq(void *ctx, unsigned int line, bool level)
{
	ck_assert_ptr_eq(ctx, &irq_level);
	ck_assert_uint_eq(line, 0);
	if (level && !irq_level)
		irq_rises++;
	irq_level = level;
	irq_calls++;
}

static void setup(void)
{
	static const struct vclock clock = { .now_ns = fake_now, .ctx = &now_ns };
	static const struct bus_irq irq = { .set = set_irq, .ctx = &irq_level, .line = 0 };

	now_ns = T0;
	irq_level = irq_rises = irq_calls = 0;
	bus_init(&bus);
	ck_assert_int_eq(i8254_attach(&bus, &pit, &clock, &irq), 0);
}

/* When CLK pulse k after t falls. */
static uint64_t pulse(uint64_t t, uint64_t k)
{
	return t + (k * 1000000000ULL + PIT_HZ - 1) / PIT_HZ;
}

/* Move the clock to t (it only goes forward). */
static void at(uint64_t t)
{
	ck_assert_uint_ge(t, now_ns);
	now_ns = t;
}

static uint8_t inb(uint16_t port)
{
	return unit_in(&bus, port, 1);
}

static void outb(uint16_t port, uint8_t v)
{
	unit_out(&bus, port, v, 1);
}

/* A two-byte count (LSB, MSB); with its control word first. */
static void count(unsigned int ch, uint16_t n)
{
	outb(0x40 + ch, n & 0xff);
	outb(0x40 + ch, n >> 8);
}

static void program(unsigned int ch, uint8_t ctrl, uint16_t n)
{
	outb(CTRL, ctrl);
	count(ch, n);
}

/* A rising edge of channel 2's GATE, now. */
static uint64_t trigger(void)
{
	outb(PORTB, 0);
	outb(PORTB, 1);
	return now_ns;
}

/* The status byte, by a read-back command (bit 4 clear: latch status). */
static uint8_t status(unsigned int ch)
{
	outb(CTRL, 0xe0 | 2 << ch);
	return inb(0x40 + ch);
}

static int out(unsigned int ch)
{
	return status(ch) >> 7;
}

/* The counter latch command, then LSB and MSB. */
static unsigned int latch(unsigned int ch)
{
	unsigned int lo;

	outb(CTRL, ch << 6);
	lo = inb(0x40 + ch);
	return lo | inb(0x40 + ch) << 8;
}

/* OUT (and the CE, unless ce is NULL) at pulses 0 to n - 1 after t. */
static void check_wave(unsigned int ch, uint64_t t, const int *want, const unsigned int *ce,
		       unsigned int n)
{
	unsigned int k, v;

	for (k = 0; k < n; k++) {
		at(pulse(t, k));
		ck_assert_msg(out(ch) == want[k], "pulse %u: OUT %d, want %d", k, !want[k],
			      want[k]);
		v = ce && k ? latch(ch) : 0;
		ck_assert_msg(!ce || !k || v == ce[k], "pulse %u: CE %#x, want %#x", k, v, ce[k]);
	}
}

/* OUT of ch becomes level at pulse k after t, not a nanosecond before. */
static void edge(unsigned int ch, uint64_t t, unsigned int k, int level)
{
	at(pulse(t, k) - 1);
	ck_assert_msg(out(ch) == !level, "1 ns before pulse %u: OUT %d", k, level);
	at(pulse(t, k));
	ck_assert_msg(out(ch) == level, "at pulse %u: OUT %d", k, !level);
}

/* The CE (latched) at pulse k after t. */
static void ce_at(unsigned int ch, uint64_t t, unsigned int k, unsigned int want)
{
	unsigned int v;

	at(pulse(t, k));
	v = latch(ch);
	ck_assert_msg(v == want, "pulse %u: CE %#x, want %#x", k, v, want);
}

START_TEST(test_ports)
{
	uint8_t v = 0;

	ck_assert_uint_eq(bus.nr[BUS_PIO], 2);
	ck_assert_uint_eq(bus.range[BUS_PIO][0].base, 0x40);
	ck_assert_uint_eq(bus.range[BUS_PIO][0].len, 4);
	ck_assert_uint_eq(bus.range[BUS_PIO][1].base, 0x61);
	ck_assert_uint_eq(bus.range[BUS_PIO][1].len, 1);
	ck_assert_int_eq(bus_access(&bus, BUS_PIO, 0x44, false, &v, 1, NULL), BUS_NO_DEVICE);
	ck_assert_uint_eq(inb(CTRL), 0xff);	/* write-only */
	/* A second PIT is refused, and registers nothing. */
	ck_assert_int_eq(i8254_attach(&bus, &(struct i8254){ 0 }, &pit.clock, NULL), -EBUSY);
	ck_assert_uint_eq(bus.nr[BUS_PIO], 2);
	/* After reset: mode 3, LSB then MSB, no count (NULL COUNT), OUT high. */
	ck_assert_uint_eq(status(0), 0xf6);
	ck_assert_uint_eq(i8254_poll(&pit), VCLOCK_NEVER);
	ck_assert_int_eq(irq_calls, 0);
}
END_TEST

/* Mode 0: OUT low at the control word, high N + 1 pulses after the count, and stays. */
START_TEST(test_mode0)
{
	program(0, 0x30, 100);
	ck_assert_uint_eq(status(0), 0x70);		/* OUT low, NULL COUNT */
	at(pulse(T0, 1) - 1);
	ck_assert_uint_eq(status(0), 0x70);		/* not loaded yet */
	at(pulse(T0, 1));
	ck_assert_uint_eq(status(0), 0x30);
	ce_at(0, T0, 1, 100);				/* the load pulse does not count */
	ce_at(0, T0, 50, 51);
	ce_at(0, T0, 100, 1);
	edge(0, T0, 101, 1);
	ce_at(0, T0, 101, 0);
	ce_at(0, T0, 105, 0xfffc);			/* it counts on; OUT stays high */
	ck_assert_int_eq(out(0), 1);
	outb(0x40, 5);					/* a new count: low at once */
	ck_assert_int_eq(out(0), 0);
}
END_TEST

/* Mode 1 on channel 2: a GATE rising edge starts N pulses of OUT low; it retriggers. */
START_TEST(test_mode1)
{
	static const int want[] = { 1, 0, 0, 0, 1, 1 };
	uint64_t t1, t2;

	outb(CTRL, 0x92);				/* ch2, LSB only, mode 1 */
	outb(0x42, 3);
	at(pulse(T0, 10));
	ck_assert_uint_eq(status(2), 0xd2);		/* OUT high, NULL COUNT: no trigger yet */
	check_wave(2, trigger(), want, NULL, 6);
	ck_assert_uint_eq(status(2) & 0x40, 0);		/* loaded by the trigger */
	/* Retriggered in the pulse: low until N pulses after the new trigger. */
	t1 = trigger();
	at(pulse(t1, 2));
	t2 = trigger();
	at(pulse(t1, 4));
	ck_assert_int_eq(inb(PORTB) & 0x20, 0);		/* the first one-shot would be over */
	edge(2, t2, 4, 1);
	ck_assert_int_eq(inb(PORTB) & 0x20, 0x20);
	/* GATE low does not stop mode 1. */
	outb(PORTB, 0);
	at(pulse(t2, 14));
	ck_assert_uint_eq(inb(0x42), (uint8_t)(3 - 13));
}
END_TEST

/* Mode 2: OUT low for one pulse when the CE reaches 1, every N pulses. */
START_TEST(test_mode2)
{
	static const int want[] = { 1, 1, 1, 1, 0, 1, 1, 1, 0, 1, 1, 1, 0 };
	static const unsigned int ce[] = { 0, 4, 3, 2, 1, 4, 3, 2, 1, 4, 3, 2, 1 };

	program(0, 0x34, 4);
	check_wave(0, T0, want, ce, 13);
	/* Modes 6 and 7 are 2 and 3; the status shows the mode as written. */
	program(1, 0x7c, 3);				/* ch1, "mode 6" */
	ck_assert_uint_eq(status(1) & 0x3f, 0x3c);
	edge(1, now_ns, 3, 0);
}
END_TEST

/* Mode 3: an odd N is high (N + 1) / 2 pulses and low (N - 1) / 2, counting by two from N - 1. */
START_TEST(test_mode3)
{
	static const int odd[] = { 1, 1, 1, 1, 0, 0, 1, 1, 1, 0, 0, 1 };
	static const unsigned int odd_ce[] = { 0, 4, 2, 0, 4, 2, 4, 2, 0, 4, 2, 4 };
	static const int even[] = { 1, 1, 1, 0, 0, 1, 1, 0, 0, 1 };
	static const unsigned int even_ce[] = { 0, 4, 2, 4, 2, 4, 2, 4, 2, 4 };

	program(0, 0x36, 5);
	check_wave(0, T0, odd, odd_ce, 12);
	program(0, 0x36, 4);
	check_wave(0, now_ns, even, even_ce, 10);
}
END_TEST

/* Mode 4: OUT strobes low for one pulse N + 1 pulses after the count, once. */
START_TEST(test_mode4)
{
	static const int want[] = { 1, 1, 1, 1, 0, 1, 1 };
	static const unsigned int ce[] = { 0, 3, 2, 1, 0, 0xffff, 0xfffe };

	program(0, 0x38, 3);
	check_wave(0, T0, want, ce, 7);
	ce_at(0, T0, 4 + 65536, 0);			/* 0 again, but no second strobe */
	ck_assert_int_eq(out(0), 1);
	outb(0x40, 2);					/* a new count retriggers it */
	outb(0x40, 0);
	edge(0, now_ns, 3, 0);
}
END_TEST

/* Mode 5 on channel 2: the strobe comes N + 1 pulses after a GATE rising edge. */
START_TEST(test_mode5)
{
	static const int want[] = { 1, 1, 1, 1, 0, 1, 1 };

	program(2, 0xba, 3);				/* ch2, LSB then MSB, mode 5 */
	at(pulse(T0, 4));
	ck_assert_int_eq(out(2), 1);			/* nothing without a trigger */
	at(pulse(T0, 50));
	check_wave(2, trigger(), want, NULL, 7);
}
END_TEST

/* The counter latch command holds the count until it is read; a second one is ignored. */
START_TEST(test_counter_latch)
{
	program(0, 0x34, 1000);
	at(pulse(T0, 11));
	outb(CTRL, 0x00);
	at(pulse(T0, 100));
	ck_assert_uint_eq(inb(0x40), 990 & 0xff);
	at(pulse(T0, 300));
	outb(CTRL, 0x00);				/* ignored: half read */
	ck_assert_uint_eq(inb(0x40), 990 >> 8);
	/* Read, the latch follows the CE again; without a latch a read is live. */
	at(pulse(T0, 400));
	ck_assert_uint_eq(inb(0x40), 601 & 0xff);
	ck_assert_uint_eq(inb(0x40), 601 >> 8);
	ce_at(0, T0, 400, 601);
}
END_TEST

/* Read-back: status (OUT, NULL COUNT, RW, mode, BCD) first, then the count. */
START_TEST(test_read_back)
{
	outb(CTRL, 0x74);				/* ch1, LSB then MSB, mode 2 */
	ck_assert_uint_eq(status(1), 0xf4);		/* OUT high, NULL COUNT */
	outb(0x41, 300 & 0xff);
	ck_assert_uint_eq(status(1), 0xf4);
	outb(0x41, 300 >> 8);
	ck_assert_uint_eq(status(1), 0xf4);		/* written, not yet loaded */
	at(pulse(T0, 1));
	ck_assert_uint_eq(status(1), 0xb4);
	/* Count and status of channels 1 and 2 at once; 2 is as after reset. */
	at(pulse(T0, 21));
	outb(CTRL, 0xcc);
	at(pulse(T0, 300));				/* OUT low now, high when latched */
	ck_assert_uint_eq(inb(0x41), 0xb4);
	ck_assert_uint_eq(inb(0x41), 280 & 0xff);
	ck_assert_uint_eq(inb(0x41), 280 >> 8);
	ck_assert_uint_eq(inb(0x42), 0xf6);		/* OUT high, NULL COUNT, mode 3 */
	ck_assert_uint_eq(inb(0x42), 0);
	ck_assert_uint_eq(inb(0x42), 0);
	/* A second status latch before the read is ignored. */
	outb(CTRL, 0xe4);				/* OUT low */
	at(pulse(T0, 301));				/* OUT high again */
	ck_assert_uint_eq(status(1), 0x34);
	ck_assert_uint_eq(status(1), 0xb4);
}
END_TEST

/* LSB only, MSB only, and word access with separate read and write flip-flops. */
START_TEST(test_byte_access)
{
	uint64_t t;

	outb(CTRL, 0x10);				/* ch0, LSB only, mode 0 */
	outb(0x40, 0x20);
	at(pulse(T0, 3));
	ck_assert_uint_eq(inb(0x40), 0x1e);
	ck_assert_uint_eq(inb(0x40), 0x1e);		/* LSB again: no flip-flop */
	outb(CTRL, 0x20);				/* MSB only: count 0x200 */
	outb(0x40, 0x02);
	at(pulse(now_ns, 2));
	ck_assert_uint_eq(inb(0x40), 0x01);		/* 0x1ff */
	/* Read LSB, write LSB, read MSB, write MSB (data sheet). */
	program(0, 0x30, 0x1000);
	t = now_ns;
	at(pulse(t, 17));
	ck_assert_uint_eq(inb(0x40), 0xf0);		/* 0x0ff0 */
	outb(0x40, 0x34);				/* mode 0: stops counting, OUT low */
	at(pulse(t, 500));
	ck_assert_uint_eq(inb(0x40), 0x0f);		/* still 0x0ff0 */
	outb(0x40, 0x12);
	t = now_ns;
	at(pulse(t, 1));
	ck_assert_uint_eq(inb(0x40), 0x34);
	ck_assert_uint_eq(inb(0x40), 0x12);
	edge(0, t, 0x1235, 1);
}
END_TEST

/* BCD: four decades, and 0 is 10000. */
START_TEST(test_bcd)
{
	uint64_t t;

	program(0, 0x31, 0x1234);			/* mode 0, BCD */
	ce_at(0, T0, 1, 0x1234);
	ce_at(0, T0, 36, 0x1199);
	edge(0, T0, 1235, 1);
	ck_assert_uint_eq(status(0) & 0x3f, 0x31);
	program(0, 0x31, 0);
	t = now_ns;
	ce_at(0, t, 1, 0);
	ce_at(0, t, 2, 0x9999);
	edge(0, t, 10001, 1);
}
END_TEST

/* Binary 0 is 65536. */
START_TEST(test_count_zero)
{
	program(0, 0x30, 0);
	ce_at(0, T0, 1, 0);
	ce_at(0, T0, 2, 0xffff);
	edge(0, T0, 65537, 1);
	program(0, 0x34, 0);
	ck_assert_uint_eq(i8254_poll(&pit), pulse(now_ns, 65537));
}
END_TEST

/* GATE low stops channel 2 in modes 0 and 2; in mode 2 it sets OUT high, and its rise reloads. */
START_TEST(test_gate)
{
	uint64_t t;

	outb(PORTB, 1);
	program(2, 0xb0, 100);
	at(pulse(T0, 30));
	outb(PORTB, 0);
	ce_at(2, T0, 30, 71);
	at(now_ns + 5000000);
	ck_assert_uint_eq(latch(2), 71);
	ck_assert_int_eq(inb(PORTB) & 0x20, 0);
	t = now_ns;
	outb(PORTB, 1);
	ce_at(2, t, 1, 70);
	edge(2, t, 71, 1);

	/* Mode 0, count written with GATE low: loaded anyway, high N pulses after GATE. */
	outb(PORTB, 0);
	program(2, 0xb0, 50);
	t = now_ns;
	at(pulse(t, 1));
	ck_assert_uint_eq(status(2), 0x30);		/* loaded: no NULL COUNT */
	ce_at(2, t, 1000, 50);
	t = now_ns;
	outb(PORTB, 1);
	edge(2, t, 50, 1);

	/* Mode 2: GATE low in the low pulse sets OUT high; a rising edge reloads. */
	program(2, 0xb4, 10);
	t = now_ns;
	at(pulse(t, 10));
	ck_assert_int_eq(out(2), 0);
	outb(PORTB, 0);
	ck_assert_int_eq(out(2), 1);
	ce_at(2, t, 100, 1);
	ck_assert_int_eq(out(2), 1);
	t = now_ns;
	outb(PORTB, 1);
	ce_at(2, t, 1, 10);
	edge(2, t, 10, 0);
	/* A count written just before GATE goes low still loads on the next pulse. */
	program(2, 0xb4, 7);
	outb(PORTB, 0);
	ck_assert_uint_eq(status(2), 0xf4);		/* OUT high, NULL COUNT */
	at(pulse(now_ns, 1));
	ck_assert_uint_eq(status(2), 0xb4);
	ck_assert_uint_eq(latch(2), 7);
}
END_TEST

/* Linux's pit_calibrate_tsc(): mode 0 on channel 2, polling port 0x61 bit 5. */
START_TEST(test_linux_calibration)
{
	const unsigned int latch_10ms = PIT_HZ / 100;	/* 11931 */
	uint64_t t, expiry;
	unsigned int reads = 0;

	outb(PORTB, (inb(PORTB) & ~0x02) | 0x01);
	outb(CTRL, 0xb0);
	count(2, latch_10ms);
	t = now_ns;
	expiry = pulse(t, latch_10ms + 1);
	/* (11931 + 1) / 1.193182 MHz = 10000.15 us */
	ck_assert_uint_eq((expiry - t) / 1000, 10000);
	/* A read every microsecond: low until the count expires, then high. */
	while (!(inb(PORTB) & 0x20)) {
		ck_assert_uint_lt(now_ns, expiry);
		reads++;
		at(now_ns + 1000);
	}
	ck_assert_uint_ge(now_ns, expiry);
	ck_assert_uint_lt(now_ns, expiry + 1000);
	ck_assert_uint_ge(reads, 10000);
	at(pulse(expiry, 65536) + 1);
	ck_assert_int_eq(inb(PORTB) & 0x20, 0x20);	/* mode 0 stays high */
	ck_assert_int_eq(inb(PORTB) & 0x03, 0x01);

	/* quick_pit_calibrate(): count 0xffff, MSB read live, LSB then MSB. */
	outb(CTRL, 0xb0);
	count(2, 0xffff);
	t = now_ns;
	at(pulse(t, 3 * 256));
	inb(0x42);
	ck_assert_uint_eq(inb(0x42), 0xfd);		/* 0xffff - 767 */
	at(pulse(t, 3 * 256 + 1));
	inb(0x42);
	ck_assert_uint_eq(inb(0x42), 0xfc);
}
END_TEST

/* Port 0x61: bits 0-1 as written, bit 4 flips on each read, bit 5 is OUT 2. */
START_TEST(test_port_b)
{
	uint8_t a, b;

	outb(PORTB, 0xff);
	a = inb(PORTB);
	b = inb(PORTB);
	ck_assert_uint_eq(a & 0xcf, 0x03);
	ck_assert_uint_eq((a ^ b), 0x10);
	ck_assert_uint_eq(inb(PORTB) & 0x10, a & 0x10);
	outb(PORTB, 0x02);
	ck_assert_uint_eq(inb(PORTB) & 0x0f, 0x02);
	outb(CTRL, 0xb0);				/* mode 0: OUT 2 low */
	ck_assert_uint_eq(inb(PORTB) & 0x20, 0);
	outb(CTRL, 0xb6);				/* mode 3: high */
	ck_assert_uint_eq(inb(PORTB) & 0x20, 0x20);
}
END_TEST

/* Linux's periodic tick at HZ=100: mode 2, count 11932, an IRQ 0 edge every period. */
START_TEST(test_irq_100hz)
{
	uint64_t next;
	int k;

	program(0, 0x34, 11932);
	next = i8254_poll(&pit);
	ck_assert_uint_eq(next, pulse(T0, 11932 + 1));
	ck_assert_int_eq(irq_rises, 0);
	for (k = 1; k <= 100; k++) {
		at(next);
		next = i8254_poll(&pit);
		ck_assert_int_eq(irq_rises, k);
		ck_assert_int_eq(irq_level, 1);
		ck_assert_uint_eq(next, pulse(T0, (k + 1) * 11932ULL + 1));
		/* 11932 / 1.193182 MHz = 10000.1508 us */
		ck_assert_uint_ge(next - now_ns, 10000150);
		ck_assert_uint_le(next - now_ns, 10000151);
	}
	/* No drift: 100 periods after the first edge, 100 * 10000.1508 us. */
	ck_assert_uint_eq((next - pulse(T0, 11933)) / 1000, 1000015);
	ck_assert_uint_eq(pit.missed, 0);
	/* Polled early: nothing. */
	at(next - 1);
	ck_assert_uint_eq(i8254_poll(&pit), next);
	ck_assert_int_eq(irq_rises, 100);
}
END_TEST

/* Polled 5.5 periods late: one edge, four periods missed. */
START_TEST(test_poll_late)
{
	uint64_t next;

	program(0, 0x34, 11932);
	ck_assert_uint_eq(i8254_poll(&pit), pulse(T0, 11933));
	at(pulse(T0, 5 * 11932 + 1) + 5000000);
	next = i8254_poll(&pit);
	ck_assert_int_eq(irq_rises, 1);
	ck_assert_uint_eq(pit.missed, 4);
	ck_assert_uint_eq(next, pulse(T0, 6 * 11932 + 1));
	at(next);
	ck_assert_uint_eq(i8254_poll(&pit), pulse(T0, 7 * 11932 + 1));
	ck_assert_int_eq(irq_rises, 2);
	ck_assert_uint_eq(pit.missed, 4);
	/* Mode 3 (low half when polled): still one edge, and the line follows OUT. */
	program(0, 0x36, 100);
	next = now_ns;
	at(pulse(next, 3 * 100 + 60));
	i8254_poll(&pit);
	ck_assert_int_eq(irq_rises, 3);
	ck_assert_uint_eq(pit.missed, 6);
	ck_assert_int_eq(irq_level, 0);
}
END_TEST

/* Linux's one-shot clockevent: mode 4 (0x38) or mode 0 (0x30), a count per event. */
START_TEST(test_irq_oneshot)
{
	uint64_t t;

	program(0, 0x38, 1193);
	ck_assert_uint_eq(i8254_poll(&pit), pulse(T0, 1195));	/* the strobe ends */
	at(pulse(T0, 1194));
	ck_assert_uint_eq(i8254_poll(&pit), pulse(T0, 1195));
	ck_assert_int_eq(irq_rises, 0);
	at(pulse(T0, 1195));
	ck_assert_uint_eq(i8254_poll(&pit), VCLOCK_NEVER);
	ck_assert_int_eq(irq_rises, 1);
	outb(0x40, 100);				/* the next event: only a count */
	outb(0x40, 0);
	t = now_ns;
	ck_assert_uint_eq(i8254_poll(&pit), pulse(t, 102));

	program(0, 0x30, 1193);
	t = now_ns;
	ck_assert_uint_eq(i8254_poll(&pit), pulse(t, 1194));
	ck_assert_int_eq(irq_level, 0);			/* OUT low */
	at(pulse(t, 1194));
	ck_assert_uint_eq(i8254_poll(&pit), VCLOCK_NEVER);
	ck_assert_int_eq(irq_rises, 2);
	ck_assert_int_eq(irq_level, 1);
	/* A control word sets OUT with no pulse: low in mode 0, high in mode 2. */
	outb(CTRL, 0x30);
	outb(CTRL, 0x34);
	i8254_poll(&pit);
	ck_assert_int_eq(irq_rises, 3);
}
END_TEST

/* A new count while counting: mode 2 at the end of the period, mode 3 of the half-cycle. */
START_TEST(test_new_count)
{
	uint64_t t;

	program(0, 0x34, 10);
	at(pulse(T0, 3));
	count(0, 4);
	ck_assert_uint_eq(status(0) & 0x40, 0x40);	/* NULL COUNT until it loads */
	ck_assert_uint_eq(i8254_poll(&pit), pulse(T0, 11));
	edge(0, T0, 10, 0);				/* this period is unaffected */
	at(pulse(T0, 11));
	ck_assert_uint_eq(status(0), 0xb4);		/* OUT high, loaded */
	ck_assert_uint_eq(latch(0), 4);
	ck_assert_uint_eq(i8254_poll(&pit), pulse(T0, 15));
	ck_assert_int_eq(irq_rises, 1);
	edge(0, T0, 14, 0);

	/* Mode 3 count 10 (high pulses 1-5), 4 written at pulse 2: from pulse 6, low 2, high 2. */
	program(0, 0x36, 10);
	t = now_ns;
	at(pulse(t, 2));
	count(0, 4);
	ck_assert_uint_eq(i8254_poll(&pit), pulse(t, 8));
	edge(0, t, 6, 0);
	ck_assert_uint_eq(latch(0), 4);
	edge(0, t, 8, 1);
	edge(0, t, 10, 0);
	edge(0, t, 12, 1);
}
END_TEST

/* What --trace says after a write of v to port. */
static const char *note(uint16_t port, uint8_t v)
{
	const struct bus_range *r = bus_find(&bus, BUS_PIO, port);
	static char buf[48];

	buf[0] = '\0';
	r->ops->describe(r->opaque, port - r->base, v, buf, sizeof(buf));
	return buf;
}

START_TEST(test_trace_describe)
{
	outb(CTRL, 0x34);
	ck_assert_str_eq(note(CTRL, 0x34), "PIT ch0 mode 2, LSB then MSB");
	outb(0x40, 0x9c);
	ck_assert_str_eq(note(0x40, 0x9c), "PIT ch0 count LSB 0x9c");
	outb(0x40, 0x2e);
	ck_assert_str_eq(note(0x40, 0x2e), "PIT ch0 mode 2 count 11932");
	ck_assert_str_eq(note(CTRL, 0x80), "PIT ch2 counter latch");
	ck_assert_str_eq(note(CTRL, 0xb1), "PIT ch2 mode 0, LSB then MSB, BCD");
	ck_assert_str_eq(note(CTRL, 0xe2), "PIT read-back status of ch 0");
	ck_assert_str_eq(note(PORTB, 0x01), "PIT ch2 gate on, speaker off");
}
END_TEST

int main(void)
{
	Suite *s = suite_create("i8254");
	TCase *tc = tcase_create("pit");

	tcase_add_checked_fixture(tc, setup, NULL);
	tcase_add_test(tc, test_ports);
	tcase_add_test(tc, test_mode0);
	tcase_add_test(tc, test_mode1);
	tcase_add_test(tc, test_mode2);
	tcase_add_test(tc, test_mode3);
	tcase_add_test(tc, test_mode4);
	tcase_add_test(tc, test_mode5);
	tcase_add_test(tc, test_counter_latch);
	tcase_add_test(tc, test_read_back);
	tcase_add_test(tc, test_byte_access);
	tcase_add_test(tc, test_bcd);
	tcase_add_test(tc, test_count_zero);
	tcase_add_test(tc, test_gate);
	tcase_add_test(tc, test_linux_calibration);
	tcase_add_test(tc, test_port_b);
	tcase_add_test(tc, test_irq_100hz);
	tcase_add_test(tc, test_poll_late);
	tcase_add_test(tc, test_irq_oneshot);
	tcase_add_test(tc, test_new_count);
	tcase_add_test(tc, test_trace_describe);
	suite_add_tcase(s, tc);
	return unit_run(s);
}
