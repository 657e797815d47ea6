// SPDX-License-Identifier: GPL-2.0
/*
 * Host unit tests for vmm's MC146818A RTC and CMOS RAM
 * (vmm/devices/mc146818.c), driven as a guest drives it: OUT the index to
 * port 0x70, IN or OUT the register at 0x71, through the bus; its time
 * comes from a clock the tests move by hand, and vmm's poll is called as
 * vmm calls it.
 */
#include <check.h>

#include "unit.h"
#include <stdio.h>
#include <string.h>

#include "../../vmm/devices/mc146818.h"

#define T0		(1000 * NSEC_PER_SEC)	/* the fake clock at attach */
#define MS		1000000ULL
#define US		1000ULL

/* 2024-07-04 13:05:09 UTC, a Thursday (register 6: 5) */
#define JULY4		1720098309

static struct bus bus;
static struct mc146818 rtc;
static uint64_t now_ns;
static int irq_level, irq_changes;

static uint64_t fake_now(void *ctx)
{
	(void)ctx;
	return now_ns;
}

static void set_irq(void *ctx, unsigned int line, bool level)
{
	ck_assert_ptr_eq(ctx, &irq_level);
	ck_assert_uint_eq(line, 8);
	irq_level = level;
	irq_changes++;
}

/* A machine whose RTC says epoch_s at T0. */
static void boot_at(int64_t epoch_s)
{
	static const struct vclock clock = { .now_ns = fake_now };
	static const struct bus_irq irq = { .set = set_irq, .ctx = &irq_level, .line = 8 };

	now_ns = T0;
	irq_level = irq_changes = 0;
	bus_init(&bus);
	ck_assert_int_eq(mc146818_attach(&bus, &rtc, &clock, epoch_s, &irq), 0);
}

static void setup(void)
{
	boot_at(JULY4);
}

static uint8_t inb(uint16_t port)
{
	return unit_in(&bus, port, 1);
}

static void outb(uint16_t port, uint8_t v)
{
	unit_out(&bus, port, v, 1);
}

static uint8_t cmos(uint8_t i)
{
	outb(0x70, i);
	return inb(0x71);
}

static void set_cmos(uint8_t i, uint8_t v)
{
	outb(0x70, i);
	outb(0x71, v);
}

/* The time and date registers, as a string, to compare whole. */
static const char *now_str(void)
{
	static char s[64];

	snprintf(s, sizeof(s), "%02x%02x-%02x-%02x %02x:%02x:%02x wday %x", cmos(0x32), cmos(9),
		 cmos(8), cmos(7), cmos(4), cmos(2), cmos(0), cmos(6));
	return s;
}

START_TEST(test_ports)
{
	uint8_t v;

	ck_assert_uint_eq(bus.nr[BUS_PIO], 1);
	ck_assert_uint_eq(bus.range[BUS_PIO][0].base, 0x70);
	ck_assert_uint_eq(bus.range[BUS_PIO][0].len, 2);
	ck_assert_int_eq(bus_access(&bus, BUS_PIO, 0x72, false, &v, 1, NULL), BUS_NO_DEVICE);
	ck_assert_uint_eq(inb(0x70), 0xff);		/* the index is write-only */
	/* Bit 7 of the index masks NMI; it is not part of the index. */
	outb(0x70, 0x8d);
	ck_assert(rtc.nmi_masked);
	ck_assert_uint_eq(rtc.index, 0x0d);
	ck_assert_uint_eq(inb(0x71), 0x80);
	outb(0x70, 0x0d);
	ck_assert(!rtc.nmi_masked);
}
END_TEST

START_TEST(test_power_up)
{
	ck_assert_uint_eq(cmos(0x0a), 0x26);
	ck_assert_uint_eq(cmos(0x0b), 0x02);
	ck_assert_uint_eq(cmos(0x0c), 0x00);
	ck_assert_uint_eq(cmos(0x0d), 0x80);
	/* C and D are read-only; A's UIP too. */
	set_cmos(0x0c, 0xff);
	set_cmos(0x0d, 0x00);
	set_cmos(0x0a, 0xa6);
	ck_assert_uint_eq(cmos(0x0c), 0x00);
	ck_assert_uint_eq(cmos(0x0d), 0x80);
	ck_assert_uint_eq(cmos(0x0a), 0x26);
	ck_assert_uint_eq(mc146818_poll(&rtc), VCLOCK_NEVER);	/* no interrupt enabled */
}
END_TEST

START_TEST(test_time_bcd)
{
	ck_assert_str_eq(now_str(), "2024-07-04 13:05:09 wday 5");
	now_ns += 999 * MS;
	ck_assert_uint_eq(cmos(0), 0x09);
	now_ns += 1 * MS;
	ck_assert_uint_eq(cmos(0), 0x10);
	now_ns += 3600 * NSEC_PER_SEC;
	ck_assert_str_eq(now_str(), "2024-07-04 14:05:10 wday 5");
}
END_TEST

START_TEST(test_time_binary)
{
	set_cmos(0x0b, 0x06);				/* DM: binary, 24-hour */
	ck_assert_uint_eq(cmos(0x32), 20);
	ck_assert_uint_eq(cmos(9), 24);
	ck_assert_uint_eq(cmos(8), 7);
	ck_assert_uint_eq(cmos(7), 4);
	ck_assert_uint_eq(cmos(4), 13);
	ck_assert_uint_eq(cmos(2), 5);
	ck_assert_uint_eq(cmos(0), 9);
	ck_assert_uint_eq(cmos(6), 5);
}
END_TEST

START_TEST(test_12_hour)
{
	set_cmos(0x0b, 0x00);				/* 12-hour BCD: PM is bit 7 */
	ck_assert_uint_eq(cmos(4), 0x81);		/* 1 PM */
	set_cmos(0x0b, 0x04);				/* 12-hour binary */
	ck_assert_uint_eq(cmos(4), 0x81);
	boot_at(JULY4 - 13 * 3600 - 5 * 60);		/* 00:00:09 */
	set_cmos(0x0b, 0x00);
	ck_assert_uint_eq(cmos(4), 0x12);		/* 12 AM */
	now_ns += 12 * 3600 * NSEC_PER_SEC;
	ck_assert_uint_eq(cmos(4), 0x92);		/* 12 PM */
	now_ns += 11 * 3600 * NSEC_PER_SEC;
	ck_assert_uint_eq(cmos(4), 0x91);		/* 11 PM */
	set_cmos(0x0b, 0x04);
	ck_assert_uint_eq(cmos(4), 0x8b);
	set_cmos(0x0b, 0x02);
	ck_assert_uint_eq(cmos(4), 0x23);
}
END_TEST

START_TEST(test_date_rollover)
{
	static const struct { int64_t epoch; const char *before, *after; } roll[] = {
		{ 1709164799, "2024-02-28 23:59:59 wday 4", "2024-02-29 00:00:00 wday 5" },
		{ 1677628799, "2023-02-28 23:59:59 wday 3", "2023-03-01 00:00:00 wday 4" },
		{ 951782399, "2000-02-28 23:59:59 wday 2", "2000-02-29 00:00:00 wday 3" },
		{ 4107542399, "2100-02-28 23:59:59 wday 1", "2100-03-01 00:00:00 wday 2" },
		{ 1714521599, "2024-04-30 23:59:59 wday 3", "2024-05-01 00:00:00 wday 4" },
		{ 1735689599, "2024-12-31 23:59:59 wday 3", "2025-01-01 00:00:00 wday 4" },
		{ 4102444799, "2099-12-31 23:59:59 wday 5", "2100-01-01 00:00:00 wday 6" },
	};
	unsigned int i;

	for (i = 0; i < sizeof(roll) / sizeof(roll[0]); i++) {
		boot_at(roll[i].epoch);
		ck_assert_str_eq(now_str(), roll[i].before);
		now_ns += NSEC_PER_SEC;
		ck_assert_str_eq(now_str(), roll[i].after);
	}
	/* A leap day's next: 2024-02-29 -> 03-01. */
	boot_at(1709164799);
	now_ns += 86401 * NSEC_PER_SEC;
	ck_assert_str_eq(now_str(), "2024-03-01 00:00:00 wday 6");
}
END_TEST

/* As Linux's mc146818_set_time() does it: SET, the divider held, the fields, then both back. */
START_TEST(test_set_time)
{
	set_cmos(0x0b, 0x12);				/* UIE on */
	ck_assert_uint_eq(cmos(0x0b), 0x12);
	set_cmos(0x0b, 0x92);				/* SET clears UIE */
	ck_assert_uint_eq(cmos(0x0b), 0x82);
	set_cmos(0x0a, 0x76);
	set_cmos(0x32, 0x20);
	set_cmos(9, 0x25);
	set_cmos(7, 0x31);				/* a 31st, then February: */
	set_cmos(8, 0x02);				/* no carry while the fields are written */
	set_cmos(7, 0x15);
	set_cmos(4, 0x08);
	set_cmos(2, 0x30);
	set_cmos(0, 0x00);
	set_cmos(6, 0x07);				/* 2025-02-15 was a Saturday */
	now_ns += 5 * NSEC_PER_SEC;			/* the clock stands */
	ck_assert_str_eq(now_str(), "2025-02-15 08:30:00 wday 7");
	set_cmos(0x0b, 0x02);
	ck_assert_str_eq(now_str(), "2025-02-15 08:30:00 wday 7");
	set_cmos(0x0a, 0x26);				/* the first update half a second later */
	now_ns += 499 * MS;
	ck_assert_uint_eq(cmos(0), 0x00);
	now_ns += 1 * MS;
	ck_assert_uint_eq(cmos(0), 0x01);
	now_ns += 16 * 3600 * NSEC_PER_SEC;
	ck_assert_str_eq(now_str(), "2025-02-16 00:30:01 wday 1");
}
END_TEST

START_TEST(test_set_time_keeps_phase)
{
	/* SET alone: the divider runs on, updates resume on its seconds. */
	now_ns += 300 * MS;
	set_cmos(0x0b, 0x82);
	set_cmos(0, 0x45);
	ck_assert_uint_eq(cmos(0x0c), 0x40);		/* the 1024 Hz ticks so far */
	now_ns += 2 * NSEC_PER_SEC;
	ck_assert_uint_eq(cmos(0), 0x45);
	ck_assert_uint_eq(cmos(0x0c), 0x40);		/* no update: no UF */
	set_cmos(0x0b, 0x02);				/* at T0 + 2.3 s */
	now_ns += 699 * MS;
	ck_assert_uint_eq(cmos(0), 0x45);
	now_ns += 1 * MS;				/* T0 + 3 s: an update */
	ck_assert_uint_eq(cmos(0), 0x46);
	/* A field written while the clock runs is a new time, on the same seconds. */
	set_cmos(2, 0x59);
	ck_assert_str_eq(now_str(), "2024-07-04 13:59:46 wday 5");
	now_ns += 14 * NSEC_PER_SEC;
	ck_assert_str_eq(now_str(), "2024-07-04 14:00:00 wday 5");
	/* A new date past 2100, the first century year that is not leap. */
	set_cmos(0x32, 0x21);
	set_cmos(9, 0x00);
	set_cmos(8, 0x03);
	set_cmos(7, 0x01);
	ck_assert_str_eq(now_str(), "2100-03-01 14:00:00 wday 5");
	set_cmos(8, 0x02);
	set_cmos(7, 0x28);
	now_ns += 10 * 3600 * NSEC_PER_SEC;
	ck_assert_str_eq(now_str(), "2100-03-01 00:00:00 wday 6");
	/* The day of the week is the guest's to set. */
	set_cmos(6, 0x02);
	now_ns += 86400 * NSEC_PER_SEC;
	ck_assert_uint_eq(cmos(6), 0x03);
}
END_TEST

START_TEST(test_uip_window)
{
	now_ns = T0 + NSEC_PER_SEC - 245 * US;
	ck_assert_uint_eq(cmos(0x0a), 0x26);
	now_ns = T0 + NSEC_PER_SEC - 244 * US;
	ck_assert_uint_eq(cmos(0x0a), 0xa6);
	ck_assert_uint_eq(cmos(0), 0x09);		/* not updated yet */
	now_ns = T0 + NSEC_PER_SEC - 1;
	ck_assert_uint_eq(cmos(0x0a), 0xa6);
	now_ns = T0 + NSEC_PER_SEC;
	ck_assert_uint_eq(cmos(0x0a), 0x26);
	ck_assert_uint_eq(cmos(0), 0x10);
	/* No update coming, no UIP: under SET, or with the divider held. */
	now_ns = T0 + 2 * NSEC_PER_SEC - 100 * US;
	set_cmos(0x0b, 0x82);
	ck_assert_uint_eq(cmos(0x0a), 0x26);
	set_cmos(0x0b, 0x02);
	ck_assert_uint_eq(cmos(0x0a), 0xa6);
	set_cmos(0x0a, 0x66);
	ck_assert_uint_eq(cmos(0x0a), 0x66);
}
END_TEST

START_TEST(test_periodic_1024hz)
{
	uint64_t next;
	unsigned int i;

	ck_assert_uint_eq(cmos(0x0a) & 0x0f, 6);	/* rate 6: 32768 >> 5 = 1024 Hz */
	set_cmos(0x0b, 0x42);				/* PIE */
	next = mc146818_poll(&rtc);
	ck_assert_uint_eq(next, T0 + 976563);		/* 976562.5 ns, rounded up */
	ck_assert_int_eq(irq_level, 0);
	now_ns = next - 1;
	ck_assert_uint_eq(mc146818_poll(&rtc), next);
	ck_assert_int_eq(irq_level, 0);
	now_ns = next;
	ck_assert_uint_eq(mc146818_poll(&rtc), T0 + 1953125);
	ck_assert_int_eq(irq_level, 1);
	ck_assert_uint_eq(cmos(0x0c), 0xc0);		/* IRQF, PF; reading C clears it */
	ck_assert_int_eq(irq_level, 0);
	ck_assert_uint_eq(cmos(0x0c), 0x00);
	/* 1024 interrupts in a second, the last at the update. */
	for (i = 0; i < 1023; i++) {
		now_ns = mc146818_poll(&rtc);
		mc146818_poll(&rtc);
		ck_assert_int_eq(irq_level, 1);
		ck_assert_uint_eq(cmos(0x0c) & 0xc0, 0xc0);
	}
	ck_assert_uint_eq(now_ns, T0 + NSEC_PER_SEC);
	ck_assert_uint_eq(irq_changes, 2 * 1024);
}
END_TEST

START_TEST(test_periodic_rates)
{
	static const struct { uint8_t rs; uint64_t period; } rate[] = {
		{ 1, 3906250 },		/* 256 Hz */
		{ 2, 7812500 },		/* 128 Hz */
		{ 3, 122071 },		/* 8192 Hz: 122070.3 ns, rounded up */
		{ 15, 500000000 },	/* 2 Hz */
	};
	unsigned int i;

	for (i = 0; i < sizeof(rate) / sizeof(rate[0]); i++) {
		boot_at(JULY4);
		set_cmos(0x0b, 0x42);
		set_cmos(0x0a, 0x20 | rate[i].rs);
		ck_assert_uint_eq(mc146818_poll(&rtc), T0 + rate[i].period);
	}
	set_cmos(0x0a, 0x20);				/* rate 0: none */
	ck_assert_uint_eq(mc146818_poll(&rtc), VCLOCK_NEVER);
	set_cmos(0x0a, 0x66);				/* the divider held: none */
	ck_assert_uint_eq(mc146818_poll(&rtc), VCLOCK_NEVER);
}
END_TEST

START_TEST(test_flags_without_interrupts)
{
	/* The flags are set whether or not enabled; only IRQF needs the enable. */
	now_ns += 2 * MS;
	ck_assert_uint_eq(cmos(0x0c), 0x40);
	now_ns += NSEC_PER_SEC;
	ck_assert_uint_eq(cmos(0x0c), 0x50);		/* PF, UF */
	ck_assert_int_eq(irq_changes, 0);
	/* Enabling an interrupt whose flag is set raises IRQ 8 at once; disabling lowers it. */
	now_ns += 2 * MS;
	mc146818_poll(&rtc);
	set_cmos(0x0b, 0x42);
	ck_assert_int_eq(irq_level, 1);
	set_cmos(0x0b, 0x02);
	ck_assert_int_eq(irq_level, 0);
	ck_assert_uint_eq(cmos(0x0c), 0x40);
}
END_TEST

START_TEST(test_update_interrupt)
{
	set_cmos(0x0b, 0x12);				/* UIE */
	now_ns += 400 * MS;
	ck_assert_uint_eq(mc146818_poll(&rtc), T0 + NSEC_PER_SEC);
	ck_assert_int_eq(irq_level, 0);
	now_ns = T0 + NSEC_PER_SEC;
	ck_assert_uint_eq(mc146818_poll(&rtc), T0 + 2 * NSEC_PER_SEC);
	ck_assert_int_eq(irq_level, 1);
	ck_assert_uint_eq(cmos(0x0c), 0xd0);		/* IRQF, PF (not enabled), UF */
	ck_assert_int_eq(irq_level, 0);
	ck_assert_uint_eq(cmos(0), 0x10);
}
END_TEST

START_TEST(test_alarm)
{
	/* 13:05:12, three seconds on. */
	set_cmos(1, 0x12);
	set_cmos(3, 0x05);
	set_cmos(5, 0x13);
	set_cmos(0x0b, 0x22);				/* AIE */
	ck_assert_uint_eq(mc146818_poll(&rtc), T0 + 3 * NSEC_PER_SEC);
	now_ns = T0 + 2 * NSEC_PER_SEC;
	mc146818_poll(&rtc);
	ck_assert_int_eq(irq_level, 0);
	ck_assert_uint_eq(cmos(0x0c) & 0x20, 0);
	now_ns = T0 + 3 * NSEC_PER_SEC;
	ck_assert_uint_eq(mc146818_poll(&rtc), T0 + (3 + 86400) * NSEC_PER_SEC);
	ck_assert_int_eq(irq_level, 1);
	ck_assert_uint_eq(cmos(0x0c) & 0xb0, 0xb0);	/* IRQF, AF, UF */
	ck_assert_int_eq(irq_level, 0);
	/* "Don't care" hours and minutes: every minute at :30. */
	set_cmos(3, 0xc0);
	set_cmos(5, 0xff);
	set_cmos(1, 0x30);
	ck_assert_uint_eq(mc146818_poll(&rtc), T0 + 21 * NSEC_PER_SEC);
	now_ns = T0 + 60 * NSEC_PER_SEC;		/* passed while not polled: AF still set */
	ck_assert_uint_eq(cmos(0x0c) & 0xa0, 0xa0);
	ck_assert_int_eq(irq_changes, 2);		/* and no pulse on IRQ 8 for it */
	ck_assert_uint_eq(mc146818_poll(&rtc), T0 + 81 * NSEC_PER_SEC);
	/* All three "don't care": every second. */
	set_cmos(1, 0xc0);
	ck_assert_uint_eq(mc146818_poll(&rtc), T0 + 61 * NSEC_PER_SEC);
	/* An alarm hour no time has (BCD 0x25): never. */
	set_cmos(5, 0x25);
	ck_assert_uint_eq(mc146818_poll(&rtc), VCLOCK_NEVER);
}
END_TEST

START_TEST(test_alarm_12_hour)
{
	set_cmos(0x0b, 0x20);				/* AIE, 12-hour BCD */
	set_cmos(5, 0x81);				/* 1 PM */
	set_cmos(3, 0x06);
	set_cmos(1, 0x00);
	ck_assert_uint_eq(mc146818_poll(&rtc), T0 + 51 * NSEC_PER_SEC);
	set_cmos(5, 0x01);				/* 1 AM */
	ck_assert_uint_eq(mc146818_poll(&rtc), T0 + (51 + 12 * 3600) * NSEC_PER_SEC);
}
END_TEST

START_TEST(test_nvram)
{
	unsigned int i;

	ck_assert_uint_eq(cmos(0x10), 0x00);		/* no floppy */
	ck_assert_uint_eq(cmos(0x14), 0x02);		/* equipment */
	ck_assert_uint_eq(cmos(0x15), 0x80);		/* 640 KiB base memory */
	ck_assert_uint_eq(cmos(0x16), 0x02);
	for (i = 0x0e; i < 0x80; i++)
		if (i != 0x32)
			set_cmos(i, i ^ 0x5a);
	for (i = 0x0e; i < 0x80; i++)
		if (i != 0x32)
			ck_assert_uint_eq(cmos(i), i ^ 0x5a);
	ck_assert_uint_eq(cmos(0), 0x09);		/* the clock is untouched */
}
END_TEST

START_TEST(test_memory_size)
{
	mc146818_set_memory(&rtc, 8 << 20);
	ck_assert_uint_eq(cmos(0x17) | cmos(0x18) << 8, 7168);	/* KiB above 1 MiB */
	ck_assert_uint_eq(cmos(0x30) | cmos(0x31) << 8, 7168);
	ck_assert_uint_eq(cmos(0x34) | cmos(0x35) << 8, 0);
	ck_assert_uint_eq(cmos(0x15) | cmos(0x16) << 8, 640);
	ck_assert_uint_eq(cmos(0x2e) << 8 | cmos(0x2f), 0x02 + 0x80 + 0x02 + 0x00 + 0x1c);
	mc146818_set_memory(&rtc, 256 << 20);
	ck_assert_uint_eq(cmos(0x17) | cmos(0x18) << 8, 0xffff);	/* as much as fits */
	ck_assert_uint_eq(cmos(0x30) | cmos(0x31) << 8, 0xffff);
	ck_assert_uint_eq(cmos(0x34) | cmos(0x35) << 8, (256 - 16) * 16);	/* 64 KiB above 16 MiB */
	mc146818_set_memory(&rtc, 8ULL << 30);
	ck_assert_uint_eq(cmos(0x34) | cmos(0x35) << 8, 0xff00);	/* up to 4 GiB */
	mc146818_set_memory(&rtc, 512 << 10);
	ck_assert_uint_eq(cmos(0x15) | cmos(0x16) << 8, 512);
	ck_assert_uint_eq(cmos(0x17) | cmos(0x18) << 8, 0);
}
END_TEST

START_TEST(test_trace_describe)
{
	const struct bus_range *r = bus_find(&bus, BUS_PIO, 0x70);
	char note[48] = "";

	r->ops->describe(r->opaque, 0, 0x8b, note, sizeof(note));
	ck_assert_str_eq(note, "RTC index 0xb (register B), NMI masked");
	set_cmos(0x40, 0x12);
	r->ops->describe(r->opaque, 1, 0x12, note, sizeof(note));
	ck_assert_str_eq(note, "RTC NVRAM 0x40 = 0x12");
}
END_TEST

int main(void)
{
	Suite *su = suite_create("mc146818");
	TCase *tc = tcase_create("rtc");

	tcase_add_checked_fixture(tc, setup, NULL);
	tcase_add_test(tc, test_ports);
	tcase_add_test(tc, test_power_up);
	tcase_add_test(tc, test_time_bcd);
	tcase_add_test(tc, test_time_binary);
	tcase_add_test(tc, test_12_hour);
	tcase_add_test(tc, test_date_rollover);
	tcase_add_test(tc, test_set_time);
	tcase_add_test(tc, test_set_time_keeps_phase);
	tcase_add_test(tc, test_uip_window);
	tcase_add_test(tc, test_periodic_1024hz);
	tcase_add_test(tc, test_periodic_rates);
	tcase_add_test(tc, test_flags_without_interrupts);
	tcase_add_test(tc, test_update_interrupt);
	tcase_add_test(tc, test_alarm);
	tcase_add_test(tc, test_alarm_12_hour);
	tcase_add_test(tc, test_nvram);
	tcase_add_test(tc, test_memory_size);
	tcase_add_test(tc, test_trace_describe);
	suite_add_tcase(su, tc);
	return unit_run(su);
}
