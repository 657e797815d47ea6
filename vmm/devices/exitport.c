// SPDX-License-Identifier: GPL-2.0
/*
 * The exit port; see exitport.h. Owns one I/O port, 0xf4; write-only.
 * Runs in the VCPU thread whose OUT reached it, with vm->lock held, and
 * keeps no state: its write ends the VM with the byte written (the low
 * byte of a wider OUT).
 */
#include "exitport.h"

static int exitport_write(void *opaque, uint64_t offset, uint64_t value, unsigned int size)
{
	(void)opaque;
	(void)offset;
	(void)size;
	return value & 0xff;
}

static const struct bus_ops exitport_ops = {
	.name = "exitport",
	.write = exitport_write,
};

int exitport_attach(struct bus *bus, uint16_t port)
{
	return bus_register(bus, BUS_PIO, port, 1, &exitport_ops, NULL);
}
