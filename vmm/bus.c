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

const struct bus_range *bus_find(const struct bus *bus, enum bus_space space, uint64_t addr)
{
	const struct bus_range *r = bus->range[space];
	unsigned int i;

	for (i = 0; i < bus->nr[space] && r[i].base <= addr; i++)
		if (addr - r[i].base < r[i].len)
			return &r[i];
	return NULL;
}

uint64_t bus_value(const uint8_t *data, unsigned int size)
{
	uint64_t v = 0;

	while (size--)
		v = v << 8 | data[size];
	return v;
}

int bus_access(struct bus *bus, enum bus_space space, uint64_t addr, bool write,
	       uint8_t *data, unsigned int size, const struct bus_range **owner)
{
	const struct bus_range *r = NULL;
	uint64_t v;
	unsigned int i;

	if (size >= 1 && size <= 8)
		r = bus_find(bus, space, addr);
	if (r && (write ? !r->ops->write : !r->ops->read))
		r = NULL;
	if (owner)
		*owner = r;
	if (!r) {
		/* Nothing here: reads float high, writes vanish. */
		bus->unclaimed[space]++;
		if (!write && size <= 8)
			memset(data, 0xff, size);
		return BUS_NO_DEVICE;
	}
	if (write)
		return r->ops->write(r->opaque, addr - r->base, bus_value(data, size), size);
	v = r->ops->read(r->opaque, addr - r->base, size);
	for (i = 0; i < size; i++, v >>= 8)
		data[i] = v;
	return BUS_OK;
}
