/* SPDX-License-Identifier: GPL-2.0 */
/*
 * vmm's I/O bus: which device model owns which I/O port, and which
 * guest-physical address with no RAM behind it (MMIO). Each device
 * registers the ranges it owns with its callbacks and an opaque pointer
 * (its state); the run loop looks every IN/OUT and MMIO exit up here.
 * Pure logic with no allocation: unit-tested on the host. Ranges are
 * registered before the VCPU threads start; accesses run in a VCPU thread
 * with vm->lock held.
 */
#ifndef VMM_BUS_H
#define VMM_BUS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

enum bus_space {
	BUS_PIO,		/* I/O ports 0-0xffff: IN, OUT, INS, OUTS */
	BUS_MMIO,		/* guest-physical addresses: MMIO exits */
	BUS_NR_SPACES,
};

#define BUS_MAX_RANGES	64	/* per space: a PC's devices and its absent ones */

/*
 * What a write callback and bus_access() return; any other value, 0 to
 * 255, is the guest's exit value: the VM ends with it (the exit port).
 */
#define BUS_OK		(-1)	/* done: the guest goes on */
#define BUS_NO_DEVICE	(-2)	/* bus_access() only: no device took the access */

/*
 * A device model's callbacks. offset is from the start of the range;
 * value holds size bytes (1 to 8), little-endian as the guest sees them.
 * A NULL read or write leaves that kind of access unclaimed.
 */
struct bus_ops {
	const char *name;
	uint64_t (*read)(void *opaque, uint64_t offset, unsigned int size);
	int (*write)(void *opaque, uint64_t offset, uint64_t value, unsigned int size);
	/* --trace (optional): what a write did, in a few words, e.g. "the UART prints 'H'". */
	void (*describe)(void *opaque, uint64_t offset, uint64_t value, char *buf, size_t len);
};

/*
 * An interrupt line a device drives, given to it when it is attached.
 * Room for an interrupt controller to come: with no set(), nothing listens.
 */
struct bus_irq {
	void (*set)(void *ctx, unsigned int line, bool level);
	void *ctx;
	unsigned int line;
};

static inline void bus_irq_set(const struct bus_irq *irq, bool level)
{
	if (irq->set)
		irq->set(irq->ctx, irq->line, level);
}

struct bus_range {
	uint64_t base, len;		/* [base, base + len) */
	const struct bus_ops *ops;
	void *opaque;
};

struct bus {
	struct bus_range range[BUS_NR_SPACES][BUS_MAX_RANGES];	/* sorted by base */
	unsigned int nr[BUS_NR_SPACES];
	unsigned long unclaimed[BUS_NR_SPACES];	/* accesses no device took */
};

void bus_init(struct bus *bus);
/*
 * Give [base, base + len) of space to a device: 0, or -EBUSY when it
 * overlaps a registered range, -ENOSPC when the space is full, -EINVAL
 * for an empty range or one past the end of the space.
 */
int bus_register(struct bus *bus, enum bus_space space, uint64_t base, uint64_t len,
		 const struct bus_ops *ops, void *opaque);
/*
 * The lookups below are inline: every I/O and MMIO exit that reaches vmm
 * goes through them.
 */

/* The range that holds addr, or NULL: a binary search of the sorted ranges. */
static inline const struct bus_range *bus_find(const struct bus *bus, enum bus_space space,
					       uint64_t addr)
{
	const struct bus_range *r = bus->range[space];
	unsigned int lo = 0, hi = bus->nr[space], mid;

	/* Find the last range with base <= addr: lo ends one past it. */
	while (lo < hi) {
		mid = (lo + hi) / 2;
		if (r[mid].base <= addr)
			lo = mid + 1;
		else
			hi = mid;
	}
	if (lo && addr - r[lo - 1].base < r[lo - 1].len)
		return &r[lo - 1];
	return NULL;
}

/* size bytes of data, little-endian, as a number. */
static inline uint64_t bus_value(const uint8_t *data, unsigned int size)
{
	uint64_t v = 0;

	while (size--)
		v = v << 8 | data[size];
	return v;
}

/*
 * An access of size bytes (1 to 8) at addr, data little-endian (filled on
 * a read), dispatched by its first byte to the range that holds it:
 * BUS_OK, an exit value (0-255), or BUS_NO_DEVICE, counted in unclaimed,
 * when no device takes it (reads then float high: all ones). *owner (if
 * owner is not NULL) is the range, or NULL.
 */
static inline __attribute__((always_inline))
int bus_access(struct bus *bus, enum bus_space space, uint64_t addr, bool write,
	       uint8_t *data, unsigned int size, const struct bus_range **owner)
{
	const struct bus_range *r = NULL;
	uint64_t v;
	unsigned int i;

	if (size - 1 < 8)
		r = bus_find(bus, space, addr);
	if (r && (write ? !r->ops->write : !r->ops->read))
		r = NULL;
	if (owner)
		*owner = r;
	if (!r) {
		/* Nothing here: reads float high, writes vanish. */
		bus->unclaimed[space]++;
		if (!write)
			for (i = 0; i < size && i < 8; i++)
				data[i] = 0xff;
		return BUS_NO_DEVICE;
	}
	if (write)
		return r->ops->write(r->opaque, addr - r->base, bus_value(data, size), size);
	v = r->ops->read(r->opaque, addr - r->base, size);
	for (i = 0; i < size; i++, v >>= 8)
		data[i] = v;
	return BUS_OK;
}

#endif
