// SPDX-License-Identifier: GPL-2.0
/*
 * Host unit tests for vmm's I/O bus (vmm/bus.c): registration, overlaps
 * refused, lookup at the edges of a range, dispatch to a device's
 * callbacks, and accesses no device claims.
 */
#include <check.h>

#include "unit.h"
#include <errno.h>
#include <string.h>

#include "../../vmm/bus.h"

/* A device that records its last access. */
struct probe {
	uint64_t offset, value;
	unsigned int size, reads, writes;
	int ret;			/* what its write returns */
};

static uint64_t probe_read(void *opaque, uint64_t offset, unsigned int size)
{
	struct probe *p = opaque;

	p->reads++;
	p->offset = offset;
	p->size = size;
	return 0x8877665544332211ULL;
}

static int probe_write(void *opaque, uint64_t offset, uint64_t value, unsigned int size)
{
	struct probe *p = opaque;

	p->writes++;
	p->offset = offset;
	p->value = value;
	p->size = size;
	return p->ret;
}

static const struct bus_ops probe_ops = {
	.name = "probe", .read = probe_read, .write = probe_write,
};
static const struct bus_ops write_only_ops = { .name = "wo", .write = probe_write };

static struct bus bus;
static struct probe a, b;

static void setup(void)
{
	bus_init(&bus);
	memset(&a, 0, sizeof(a));
	memset(&b, 0, sizeof(b));
	a.ret = b.ret = BUS_OK;
}

START_TEST(test_lookup_at_the_edges)
{
	ck_assert_int_eq(bus_register(&bus, BUS_PIO, 0x3f8, 8, &probe_ops, &a), 0);
	ck_assert_int_eq(bus_register(&bus, BUS_PIO, 0xf4, 1, &probe_ops, &b), 0);
	ck_assert_ptr_null(bus_find(&bus, BUS_PIO, 0x3f7));
	ck_assert_ptr_eq(bus_find(&bus, BUS_PIO, 0x3f8)->opaque, &a);
	ck_assert_ptr_eq(bus_find(&bus, BUS_PIO, 0x3ff)->opaque, &a);
	ck_assert_ptr_null(bus_find(&bus, BUS_PIO, 0x400));
	ck_assert_ptr_null(bus_find(&bus, BUS_PIO, 0xf3));
	ck_assert_ptr_eq(bus_find(&bus, BUS_PIO, 0xf4)->opaque, &b);
	ck_assert_ptr_null(bus_find(&bus, BUS_PIO, 0xf5));
	ck_assert_ptr_null(bus_find(&bus, BUS_PIO, 0));
	ck_assert_ptr_null(bus_find(&bus, BUS_PIO, 0xffff));
}
END_TEST

START_TEST(test_overlaps_refused)
{
	ck_assert_int_eq(bus_register(&bus, BUS_PIO, 0x3f8, 8, &probe_ops, &a), 0);
	ck_assert_int_eq(bus_register(&bus, BUS_PIO, 0x3f8, 8, &probe_ops, &b), -EBUSY);
	ck_assert_int_eq(bus_register(&bus, BUS_PIO, 0x3f0, 9, &probe_ops, &b), -EBUSY);
	ck_assert_int_eq(bus_register(&bus, BUS_PIO, 0x3ff, 4, &probe_ops, &b), -EBUSY);
	ck_assert_int_eq(bus_register(&bus, BUS_PIO, 0x3fa, 1, &probe_ops, &b), -EBUSY);
	ck_assert_int_eq(bus_register(&bus, BUS_PIO, 0x300, 0x200, &probe_ops, &b), -EBUSY);
	ck_assert_uint_eq(bus.nr[BUS_PIO], 1);
	/* Neighbours on either side are fine. */
	ck_assert_int_eq(bus_register(&bus, BUS_PIO, 0x3f0, 8, &probe_ops, &b), 0);
	ck_assert_int_eq(bus_register(&bus, BUS_PIO, 0x400, 8, &probe_ops, &b), 0);
	ck_assert_ptr_eq(bus_find(&bus, BUS_PIO, 0x3f7)->opaque, &b);
	ck_assert_ptr_eq(bus_find(&bus, BUS_PIO, 0x3f8)->opaque, &a);
	/* The same addresses in the other space are another matter. */
	ck_assert_int_eq(bus_register(&bus, BUS_MMIO, 0x3f8, 8, &probe_ops, &b), 0);
	ck_assert_ptr_eq(bus_find(&bus, BUS_MMIO, 0x3f8)->opaque, &b);
}
END_TEST

START_TEST(test_bad_ranges)
{
	unsigned int i;

	ck_assert_int_eq(bus_register(&bus, BUS_PIO, 0x80, 0, &probe_ops, &a), -EINVAL);
	ck_assert_int_eq(bus_register(&bus, BUS_PIO, 0xffff, 2, &probe_ops, &a), -EINVAL);
	ck_assert_int_eq(bus_register(&bus, BUS_PIO, 0x10000, 1, &probe_ops, &a), -EINVAL);
	ck_assert_int_eq(bus_register(&bus, BUS_MMIO, ~0ULL, 2, &probe_ops, &a), -EINVAL);
	ck_assert_int_eq(bus_register(&bus, BUS_PIO, 0xffff, 1, &probe_ops, &a), 0);
	ck_assert_ptr_eq(bus_find(&bus, BUS_PIO, 0xffff)->opaque, &a);
	for (i = 1; i < BUS_MAX_RANGES; i++)
		ck_assert_int_eq(bus_register(&bus, BUS_PIO, i * 16, 16, &probe_ops, &a), 0);
	ck_assert_int_eq(bus_register(&bus, BUS_PIO, 0x8000, 1, &probe_ops, &a), -ENOSPC);
}
END_TEST

START_TEST(test_kept_sorted)
{
	static const uint64_t bases[] = { 0x60, 0x3f8, 0x20, 0x70, 0xf4, 0x2f8, 0x40 };
	unsigned int i;

	for (i = 0; i < sizeof(bases) / sizeof(bases[0]); i++)
		ck_assert_int_eq(bus_register(&bus, BUS_PIO, bases[i], 2, &probe_ops, &a), 0);
	for (i = 1; i < bus.nr[BUS_PIO]; i++)
		ck_assert_uint_lt(bus.range[BUS_PIO][i - 1].base, bus.range[BUS_PIO][i].base);
	for (i = 0; i < sizeof(bases) / sizeof(bases[0]); i++) {
		ck_assert_uint_eq(bus_find(&bus, BUS_PIO, bases[i] + 1)->base, bases[i]);
		ck_assert_ptr_null(bus_find(&bus, BUS_PIO, bases[i] + 2));
	}
}
END_TEST

START_TEST(test_dispatch)
{
	const struct bus_range *r;
	uint8_t data[8] = { 0x34, 0x12 };

	ck_assert_int_eq(bus_register(&bus, BUS_PIO, 0x3f8, 8, &probe_ops, &a), 0);
	ck_assert_int_eq(bus_register(&bus, BUS_MMIO, 0xa0000, 0x1000, &probe_ops, &b), 0);

	ck_assert_int_eq(bus_access(&bus, BUS_PIO, 0x3f9, true, data, 2, &r), BUS_OK);
	ck_assert_ptr_eq(r->opaque, &a);
	ck_assert_uint_eq(a.writes, 1);
	ck_assert_uint_eq(a.offset, 1);
	ck_assert_uint_eq(a.value, 0x1234);	/* little-endian */
	ck_assert_uint_eq(a.size, 2);

	ck_assert_int_eq(bus_access(&bus, BUS_PIO, 0x3ff, false, data, 4, &r), BUS_OK);
	ck_assert_uint_eq(a.reads, 1);
	ck_assert_uint_eq(a.offset, 7);
	ck_assert_uint_eq(data[0], 0x11);
	ck_assert_uint_eq(data[3], 0x44);
	ck_assert_uint_eq(data[4], 0x00);	/* beyond size: untouched */

	ck_assert_int_eq(bus_access(&bus, BUS_MMIO, 0xa0ff8, false, data, 8, NULL), BUS_OK);
	ck_assert_uint_eq(b.offset, 0xff8);
	ck_assert_uint_eq(bus_value(data, 8), 0x8877665544332211ULL);
	ck_assert_uint_eq(a.reads, 1);

	/* A write that ends the guest passes its exit value on. */
	b.ret = 42;
	ck_assert_int_eq(bus_access(&bus, BUS_MMIO, 0xa0000, true, data, 1, NULL), 42);
	ck_assert_uint_eq(bus.unclaimed[BUS_PIO] + bus.unclaimed[BUS_MMIO], 0);
}
END_TEST

START_TEST(test_unclaimed_counted)
{
	const struct bus_range *r = (void *)1;
	uint8_t data[8] = { 0 };

	ck_assert_int_eq(bus_register(&bus, BUS_PIO, 0x3f8, 8, &probe_ops, &a), 0);
	ck_assert_int_eq(bus_access(&bus, BUS_PIO, 0x3f7, false, data, 2, &r), BUS_NO_DEVICE);
	ck_assert_ptr_null(r);
	ck_assert_uint_eq(data[0], 0xff);	/* a floating bus reads all ones */
	ck_assert_uint_eq(data[1], 0xff);
	ck_assert_uint_eq(data[2], 0);
	ck_assert_int_eq(bus_access(&bus, BUS_PIO, 0x400, true, data, 1, NULL), BUS_NO_DEVICE);
	ck_assert_uint_eq(bus.unclaimed[BUS_PIO], 2);
	/* The first byte decides: 0x3f7 is unclaimed even if 0x3f8 is not. */
	ck_assert_uint_eq(a.reads + a.writes, 0);
	ck_assert_int_eq(bus_access(&bus, BUS_MMIO, 0x3f8, false, data, 4, NULL), BUS_NO_DEVICE);
	ck_assert_uint_eq(bus.unclaimed[BUS_MMIO], 1);
	/* No device takes an access of no size, or wider than 8 bytes. */
	ck_assert_int_eq(bus_access(&bus, BUS_PIO, 0x3f8, true, data, 0, NULL), BUS_NO_DEVICE);
	ck_assert_int_eq(bus_access(&bus, BUS_PIO, 0x3f8, true, data, 9, NULL), BUS_NO_DEVICE);
	ck_assert_uint_eq(bus.unclaimed[BUS_PIO], 4);
	ck_assert_uint_eq(a.reads + a.writes, 0);
}
END_TEST

START_TEST(test_write_only_range)
{
	uint8_t data[1] = { 7 };

	ck_assert_int_eq(bus_register(&bus, BUS_PIO, 0xf4, 1, &write_only_ops, &a), 0);
	ck_assert_int_eq(bus_access(&bus, BUS_PIO, 0xf4, true, data, 1, NULL), BUS_OK);
	ck_assert_uint_eq(a.value, 7);
	ck_assert_int_eq(bus_access(&bus, BUS_PIO, 0xf4, false, data, 1, NULL), BUS_NO_DEVICE);
	ck_assert_uint_eq(data[0], 0xff);
	ck_assert_uint_eq(bus.unclaimed[BUS_PIO], 1);
}
END_TEST

int main(void)
{
	Suite *su = suite_create("bus");
	TCase *tc = tcase_create("bus");

	tcase_add_checked_fixture(tc, setup, NULL);
	tcase_add_test(tc, test_lookup_at_the_edges);
	tcase_add_test(tc, test_overlaps_refused);
	tcase_add_test(tc, test_bad_ranges);
	tcase_add_test(tc, test_kept_sorted);
	tcase_add_test(tc, test_dispatch);
	tcase_add_test(tc, test_unclaimed_counted);
	tcase_add_test(tc, test_write_only_range);
	suite_add_tcase(su, tc);
	return unit_run(su);
}
