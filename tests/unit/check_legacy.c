// SPDX-License-Identifier: GPL-2.0
/*
 * Host unit tests for vmm's quiet PC ports (vmm/devices/legacy.c), driven
 * as a guest drives them: IN and OUT of 1, 2 and 4 bytes through the bus,
 * in the sequences Linux uses (io_delay, the A20 gate, the PCI probes).
 */
#include <check.h>

#include "unit.h"
#include <errno.h>
#include <string.h>

#include "../../vmm/devices/legacy.h"

static struct bus bus;
static struct legacy lg;
static int resets;

static void reset_hook(void *ctx)
{
	ck_assert_ptr_eq(ctx, &resets);
	resets++;
}

static void setup(void)
{
	resets = 0;
	bus_init(&bus);
	ck_assert_int_eq(legacy_attach(&bus, &lg), 0);
	lg.reset = reset_hook;
	lg.ctx = &resets;
}

static uint32_t in(uint16_t port, unsigned int size)
{
	return unit_in(&bus, port, size);
}

static void out(uint16_t port, uint32_t v, unsigned int size)
{
	unit_out(&bus, port, v, size);
}

static int range_named(const char *name)
{
	int i;

	for (i = 0; i < LEGACY_NR_RANGES; i++)
		if (!strcmp(legacy_ranges[i].name, name))
			return i;
	ck_abort_msg("no range %s", name);
	return -1;
}

START_TEST(test_ranges)
{
	/* Ports of the PICs, PIT, i8042, RTC, UART and exit port: not claimed. */
	static const uint16_t others[] = { 0x20, 0x21, 0xa0, 0xa1, 0x4d0, 0x4d1, 0x40, 0x43,
					   0x61, 0x60, 0x64, 0x70, 0x71, 0x3f8, 0x3ff, 0xf4 };
	unsigned int i;
	uint8_t v;

	ck_assert_uint_eq(bus.nr[BUS_PIO], LEGACY_NR_BUS_RANGES);
	for (i = 0; i < LEGACY_NR_RANGES; i++) {
		const struct legacy_range *r = &legacy_ranges[i];

		if (i)
			ck_assert_uint_ge(r->base, legacy_ranges[i - 1].base + legacy_ranges[i - 1].len);
		ck_assert_ptr_nonnull(bus_find(&bus, BUS_PIO, r->base));
		ck_assert_ptr_nonnull(bus_find(&bus, BUS_PIO, r->base + r->len - 1));
	}
	for (i = 0; i < sizeof(others) / sizeof(others[0]); i++)
		ck_assert_msg(bus_access(&bus, BUS_PIO, others[i], false, &v, 1, NULL) == BUS_NO_DEVICE,
			      "port %#x claimed", others[i]);
	/* Between ranges: nothing. */
	ck_assert_int_eq(bus_access(&bus, BUS_PIO, 0x2f0, false, &v, 1, NULL), BUS_NO_DEVICE);
	ck_assert_int_eq(bus_access(&bus, BUS_PIO, 0x3e7, false, &v, 1, NULL), BUS_NO_DEVICE);
	ck_assert_int_eq(bus_access(&bus, BUS_PIO, 0xd00, false, &v, 1, NULL), BUS_NO_DEVICE);
	/* A second one does not fit on the same ports. */
	ck_assert_int_eq(legacy_attach(&bus, &(struct legacy){ 0 }), -EBUSY);
}
END_TEST

START_TEST(test_absent_devices)
{
	unsigned int i, p;

	for (i = 0; i < LEGACY_NR_RANGES; i++) {
		const struct legacy_range *r = &legacy_ranges[i];

		if (r->kind != LEGACY_ABSENT)
			continue;
		for (p = r->base; p < r->base + r->len; p++) {
			out(p, 0x00, 1);
			ck_assert_msg(in(p, 1) == 0xff, "port %#x", p);
		}
		ck_assert_uint_eq(in(r->base, 2), 0xffff);
		ck_assert_uint_eq(in(r->base, 4), 0xffffffff);
		ck_assert_uint_eq(lg.count[i], 2 * r->len + 2);
	}
	/* Linux's 8250 probe of COM2: the scratch register does not keep a byte. */
	out(0x2ff, 0xa5, 1);
	ck_assert_uint_eq(in(0x2ff, 1), 0xff);
	/* An access that runs off the end of the range: the rest floats high. */
	ck_assert_uint_eq(in(0x201, 2), 0xffff);
}
END_TEST

START_TEST(test_post_code_and_delay)
{
	ck_assert_uint_eq(in(0x80, 1), 0x00);
	out(0x80, 0x42, 1);
	ck_assert_uint_eq(in(0x80, 1), 0x42);
	out(0x80, 0x1234, 2);				/* 0x80 takes the low byte, 0x81 the rest */
	ck_assert_uint_eq(in(0x80, 1), 0x34);
	ck_assert_uint_eq(in(0x80, 2), 0xff34);
	out(0x81, 0x99, 1);				/* a DMA page register: gone */
	ck_assert_uint_eq(in(0x80, 1), 0x34);
	out(0xed, 0x00, 1);				/* io_delay=0xed */
	ck_assert_uint_eq(in(0xed, 1), 0xff);
	ck_assert_uint_eq(lg.count[range_named("POST code")], 7);
	ck_assert_uint_eq(lg.count[range_named("I/O delay")], 2);
}
END_TEST

START_TEST(test_pci_mechanism_1)
{
	uint32_t tmp;
	unsigned int devfn;

	ck_assert_uint_eq(in(0xcf8, 4), 0);
	/* arch/x86/pci/direct.c, pci_check_type1() */
	out(0xcfb, 0x01, 1);
	tmp = in(0xcf8, 4);
	out(0xcf8, 0x80000000, 4);
	ck_assert_uint_eq(in(0xcf8, 4), 0x80000000);
	/* pci_sanity_check(): no host bridge, no device, no vendor */
	for (devfn = 0; devfn < 0x100; devfn++) {
		out(0xcf8, 0x80000000 | devfn << 8 | 0x08, 4);
		ck_assert_uint_eq(in(0xcfe, 2), 0xffff);	/* class */
		out(0xcf8, 0x80000000 | devfn << 8, 4);
		ck_assert_uint_eq(in(0xcfc, 2), 0xffff);	/* vendor */
	}
	out(0xcf8, tmp, 4);
	ck_assert_uint_eq(in(0xcf8, 4), 0);
	/* Reserved bits 30-24 and 1-0 read as 0. */
	out(0xcf8, 0xffffffff, 4);
	ck_assert_uint_eq(in(0xcf8, 4), 0x80fffffc);
	/* Only a 32-bit access reaches CONFIG_ADDRESS. */
	out(0xcf8, 0x00, 1);
	out(0xcfa, 0x00, 2);
	ck_assert_uint_eq(in(0xcf8, 4), 0x80fffffc);
	/* pci_check_type2(): the byte reads float high, so no mechanism #2 either. */
	ck_assert_uint_eq(in(0xcf8, 1), 0xff);
	ck_assert_uint_eq(in(0xcfa, 1), 0xff);
	/* CONFIG_DATA: no device, enabled or not. */
	out(0xcfc, 0x12345678, 4);
	ck_assert_uint_eq(in(0xcfc, 4), 0xffffffff);
	ck_assert_uint_eq(in(0xcff, 1), 0xff);
	out(0xcf8, 0, 4);
	ck_assert_uint_eq(in(0xcfc, 4), 0xffffffff);
}
END_TEST

START_TEST(test_port_a)
{
	uint8_t a;

	ck_assert_uint_eq(in(0x92, 1), 0x02);
	ck_assert(legacy_a20(&lg));
	out(0x92, 0x00, 1);
	ck_assert(!legacy_a20(&lg));
	/* arch/x86/boot/a20.c, enable_a20_fast() */
	a = in(0x92, 1);
	a |= 0x02;
	a &= ~0x01;
	out(0x92, a, 1);
	ck_assert(legacy_a20(&lg));
	ck_assert_int_eq(resets, 0);
	/* Bit 0 going from 0 to 1: a fast reset. */
	out(0x92, 0x03, 1);
	ck_assert_int_eq(resets, 1);
	ck_assert_uint_eq(in(0x92, 1), 0x03);
	out(0x92, 0x03, 1);
	ck_assert_int_eq(resets, 1);
	out(0x92, 0x00, 1);
	out(0x92, 0x01, 1);
	ck_assert_int_eq(resets, 2);
	ck_assert(!legacy_a20(&lg));
	lg.reset = NULL;				/* no hook: nothing happens */
	out(0x92, 0x00, 1);
	out(0x92, 0x01, 1);
	ck_assert_int_eq(resets, 2);
}
END_TEST

START_TEST(test_counts_share_a_bus_range)
{
	/* The floppy, IDE control and COM3 ranges are adjacent: one bus range, three counts. */
	const struct bus_range *r = bus_find(&bus, BUS_PIO, 0x3f0);

	ck_assert_uint_eq(r->base, 0x3e8);
	ck_assert_uint_eq(r->len, 0x10);
	in(0x3f4, 1);
	in(0x3f5, 1);
	out(0x3f2, 0x0c, 1);
	in(0x3f6, 1);
	in(0x3ef, 1);
	ck_assert_uint_eq(lg.count[range_named("floppy controller (absent)")], 3);
	ck_assert_uint_eq(lg.count[range_named("IDE primary control (absent)")], 1);
	ck_assert_uint_eq(lg.count[range_named("COM3 (absent)")], 1);
	ck_assert_uint_eq(lg.count[range_named("VGA (absent)")], 0);
}
END_TEST

static const char *note_for(uint16_t port, uint32_t v, unsigned int size)
{
	static char note[48];
	const struct bus_range *r = bus_find(&bus, BUS_PIO, port);

	out(port, v, size);
	note[0] = '\0';
	r->ops->describe(r->opaque, port - r->base, v, note, sizeof(note));
	return note;
}

START_TEST(test_trace_describe)
{
	ck_assert_str_eq(note_for(0x80, 0x42, 1), "POST code 0x42");
	ck_assert_str_eq(note_for(0x92, 0x03, 1), "port A 0x3: A20 on, fast reset");
	ck_assert_str_eq(note_for(0x92, 0x00, 1), "port A 0: A20 off");
	ck_assert_str_eq(note_for(0xcf8, 0x80001808, 4), "PCI address 00:03.0 reg 0x8");
	ck_assert_str_eq(note_for(0xcf8, 0x00fff8fc, 4), "PCI address ff:1f.0 reg 0xfc (off)");
	ck_assert_str_eq(note_for(0xcfc, 0, 4), "PCI config write: no device");
	ck_assert_str_eq(note_for(0x0a, 0x05, 1), "DMA controller 1 (absent)");
	ck_assert_str_eq(note_for(0x3f7, 0x00, 1), "IDE primary control (absent)");
	ck_assert_str_eq(note_for(0x8f, 0x00, 1), "DMA page registers (absent)");
}
END_TEST

int main(void)
{
	Suite *su = suite_create("legacy");
	TCase *tc = tcase_create("ports");

	tcase_add_checked_fixture(tc, setup, NULL);
	tcase_add_test(tc, test_ranges);
	tcase_add_test(tc, test_absent_devices);
	tcase_add_test(tc, test_post_code_and_delay);
	tcase_add_test(tc, test_pci_mechanism_1);
	tcase_add_test(tc, test_port_a);
	tcase_add_test(tc, test_counts_share_a_bus_range);
	tcase_add_test(tc, test_trace_describe);
	suite_add_tcase(su, tc);
	return unit_run(su);
}
