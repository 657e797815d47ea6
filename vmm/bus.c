// SPDX-License-Identifier: GPL-2.0
/*
 * vmm's I/O bus; see bus.h. A small array of ranges per space, kept
 * sorted: an exit's lookup is a scan over a handful of entries, with no
 * allocation. Runs in a VCPU thread with vm->lock held (registration:
 * before the threads start).
 */
#include <errno.h>
#include <string.h>

#include "bus.h"

/* The end of each space (exclusive). */
static const uint64_t space_end[BUS_NR_SPACES] = {
	[BUS_PIO] = 0x10000,
	[BUS_MMIO] = 1ULL << 52,	/* the architectural MAXPHYADDR limit */
};

void bus_init(struct bus *bus)
{
	memset(bus, 0, sizeof(*bus));
}

int bus_register(struct bus *bus, enum bus_space space, uint64_t base, uint64_t len,
		 const struct bus_ops *ops, void *opaque)
{
	struct bus_range *r = bus->range[space];
	unsigned int n = bus->nr[space], i;

	if (!len || base >= space_end[space] || len > space_end[space] - base)
		return -EINVAL;
	if (n == BUS_MAX_RANGES)
		return -ENOSPC;
	/* i: the first range above base; only it and the one before may overlap. */
	for (i = 0; i < n && r[i].base <= base; i++)
		;
	if (i > 0 && r[i - 1].base + r[i - 1].len > base)
		return -EBUSY;
	if (i < n && base + len > r[i].base)
		return -EBUSY;
	memmove(&r[i + 1], &r[i], (n - i) * sizeof(*r));
	r[i] = (struct bus_range){ .base = base, .len = len, .ops = ops, .opaque = opaque };
	bus->nr[space] = n + 1;
	return 0;
}

