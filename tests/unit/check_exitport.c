// SPDX-License-Identifier: GPL-2.0
/* Host unit tests for vmm's exit port (vmm/devices/exitport.c), through the bus. */
#include <check.h>

#include "unit.h"
#include <errno.h>

#include "../../vmm/devices/exitport.h"

static struct bus bus;

static void setup(void)
{
	bus_init(&bus);
	ck_assert_int_eq(exitport_attach(&bus, EXITPORT_PORT), 0);
}

START_TEST(test_out_ends_the_guest)
{
	uint8_t b = 42, w[2] = { 0x07, 0x01 };

	ck_assert_int_eq(bus_access(&bus, BUS_PIO, 0xf4, true, &b, 1, NULL), 42);
	b = 0;
	ck_assert_int_eq(bus_access(&bus, BUS_PIO, 0xf4, true, &b, 1, NULL), 0);
	b = 255;
	ck_assert_int_eq(bus_access(&bus, BUS_PIO, 0xf4, true, &b, 1, NULL), 255);
	/* A wider OUT: its low byte. */
	ck_assert_int_eq(bus_access(&bus, BUS_PIO, 0xf4, true, w, 2, NULL), 7);
	ck_assert_uint_eq(bus.unclaimed[BUS_PIO], 0);
}
END_TEST

START_TEST(test_one_port_write_only)
{
	uint8_t b = 1;

	/* IN is not claimed: all ones, counted, as from any empty port. */
	ck_assert_int_eq(bus_access(&bus, BUS_PIO, 0xf4, false, &b, 1, NULL), BUS_NO_DEVICE);
	ck_assert_uint_eq(b, 0xff);
	ck_assert_int_eq(bus_access(&bus, BUS_PIO, 0xf3, true, &b, 1, NULL), BUS_NO_DEVICE);
	ck_assert_int_eq(bus_access(&bus, BUS_PIO, 0xf5, true, &b, 1, NULL), BUS_NO_DEVICE);
	ck_assert_int_eq(bus_access(&bus, BUS_MMIO, 0xf4, true, &b, 1, NULL), BUS_NO_DEVICE);
	ck_assert_uint_eq(bus.unclaimed[BUS_PIO], 3);
	ck_assert_int_eq(exitport_attach(&bus, EXITPORT_PORT), -EBUSY);
}
END_TEST

int main(void)
{
	Suite *su = suite_create("exitport");
	TCase *tc = tcase_create("exitport");

	tcase_add_checked_fixture(tc, setup, NULL);
	tcase_add_test(tc, test_out_ends_the_guest);
	tcase_add_test(tc, test_one_port_write_only);
	suite_add_tcase(su, tc);
	return unit_run(su);
}
