// SPDX-License-Identifier: GPL-2.0
/*
 * The quiet ports of a PC; see legacy.h. Runs in the VCPU thread whose IN
 * or OUT reached it, with the devices' lock held.
 *
 * Why claim ports no device answers, when the bus already floats an
 * unclaimed read high? So that --trace names what the guest looked for,
 * each range counts its accesses, and the few that hold state (0x80, 0x92,
 * 0xcf8) do. The table is what Linux touches on a PC with no PCI, ACPI or
 * PnP BIOS: io_delay (0x80, or 0xed with io_delay=0xed), the A20 gate of
 * arch/x86/boot/a20.c (0x92), arch/x86/pci/direct.c's mechanism #1 and #2
 * probes (0xcf8-0xcff), 8250's COM1-4 (SERIAL_PORT_DFNS: COM1 is the UART),
 * parport_pc (0x3bc, 0x378, 0x278), the floppy and legacy IDE drivers,
 * joysticks (0x201), vgacon and the 8237 DMA controllers. Not here, for
 * they are other devices': 0x20-0x21, 0xa0-0xa1, 0x4d0-0x4d1 (the PICs),
 * 0x40-0x43 and 0x61 (the PIT), 0x60 and 0x64 (the i8042), 0x70-0x71 (the
 * RTC), 0x3f8-0x3ff (the UART), and 0xf0-0xff (the FPU's ports, which
 * hold the exit port 0xf4). Adjacent ranges share one bus range, so that
 * the 21 ranges take LEGACY_NR_BUS_RANGES of the bus's.
 *
 * A multi-byte access is taken byte by byte (each byte its port's); only
 * a 32-bit access to 0xcf8 reaches CONFIG_ADDRESS (PCI Local Bus
 * Specification 3.0, 3.2.2.3.2: anything else there is ordinary I/O).
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "legacy.h"

#define PCI_CONFIG_ADDRESS	0xcf8
#define PCI_ADDR_WRITABLE	0x80fffffc	/* enable, bus, device, function, register */
#define PORT_A_RESET		0x01		/* fast reset on 0 -> 1 */
#define PORT_A_A20		0x02

const struct legacy_range legacy_ranges[LEGACY_NR_RANGES] = {
	{ 0x000, 0x20, LEGACY_ABSENT, "DMA controller 1 (absent)" },
	{ 0x080, 0x01, LEGACY_POST, "POST code" },
	{ 0x081, 0x0f, LEGACY_ABSENT, "DMA page registers (absent)" },
	{ 0x092, 0x01, LEGACY_PORT_A, "system control port A" },
	{ 0x0c0, 0x20, LEGACY_ABSENT, "DMA controller 2 (absent)" },
	{ 0x0ed, 0x01, LEGACY_ABSENT, "I/O delay" },
	{ 0x170, 0x08, LEGACY_ABSENT, "IDE secondary (absent)" },
	{ 0x1f0, 0x08, LEGACY_ABSENT, "IDE primary (absent)" },
	{ 0x201, 0x01, LEGACY_ABSENT, "game port (absent)" },
	{ 0x278, 0x08, LEGACY_ABSENT, "LPT 0x278 (absent)" },
	{ 0x2e8, 0x08, LEGACY_ABSENT, "COM4 (absent)" },
	{ 0x2f8, 0x08, LEGACY_ABSENT, "COM2 (absent)" },
	{ 0x376, 0x02, LEGACY_ABSENT, "IDE secondary control (absent)" },
	{ 0x378, 0x08, LEGACY_ABSENT, "LPT 0x378 (absent)" },
	{ 0x3b0, 0x0c, LEGACY_ABSENT, "MDA/VGA (absent)" },
	{ 0x3bc, 0x04, LEGACY_ABSENT, "LPT 0x3bc (absent)" },
	{ 0x3c0, 0x20, LEGACY_ABSENT, "VGA (absent)" },
	{ 0x3e8, 0x08, LEGACY_ABSENT, "COM3 (absent)" },
	{ 0x3f0, 0x06, LEGACY_ABSENT, "floppy controller (absent)" },
	{ 0x3f6, 0x02, LEGACY_ABSENT, "IDE primary control (absent)" },
	{ PCI_CONFIG_ADDRESS, 0x08, LEGACY_PCI, "PCI configuration mechanism #1" },
};

/* The table range of port in span sp, or -1. */
static int range_of(const struct legacy_span *sp, uint32_t port)
{
	unsigned int i;

	for (i = sp->first; i < sp->first + sp->count; i++)
		if (port - legacy_ranges[i].base < legacy_ranges[i].len)
			return i;
	return -1;
}

static uint8_t read_byte(const struct legacy *lg, int i)
{
	if (i < 0)
		return 0xff;
	switch (legacy_ranges[i].kind) {
	case LEGACY_POST:
		return lg->post;
	case LEGACY_PORT_A:
		return lg->port_a;
	default:		/* absent; PCI: no device, or a byte of CONFIG_ADDRESS */
		return 0xff;
	}
}

static void write_byte(struct legacy *lg, int i, uint8_t v)
{
	uint8_t old;

	if (i < 0)
		return;
	switch (legacy_ranges[i].kind) {
	case LEGACY_POST:
		lg->post = v;
		break;
	case LEGACY_PORT_A:
		old = lg->port_a;
		lg->port_a = v;
		if ((v & PORT_A_RESET) && !(old & PORT_A_RESET) && lg->reset)
			lg->reset(lg->ctx);
		break;
	default:		/* absent, or PCI configuration data with no device */
		break;
	}
}

static uint64_t legacy_read(void *opaque, uint64_t offset, unsigned int size)
{
	const struct legacy_span *sp = opaque;
	struct legacy *lg = sp->lg;
	uint32_t port = legacy_ranges[sp->first].base + offset;
	int i = range_of(sp, port);
	uint64_t v = 0;
	unsigned int b;

	lg->count[i]++;
	if (port == PCI_CONFIG_ADDRESS && size == 4)
		return lg->pci_addr;
	for (b = 0; b < size; b++)
		v |= (uint64_t)read_byte(lg, range_of(sp, port + b)) << 8 * b;
	return v;
}

static int legacy_write(void *opaque, uint64_t offset, uint64_t value, unsigned int size)
{
	const struct legacy_span *sp = opaque;
	struct legacy *lg = sp->lg;
	uint32_t port = legacy_ranges[sp->first].base + offset;
	int i = range_of(sp, port);
	unsigned int b;

	lg->count[i]++;
	lg->last = i;
	lg->last_config_address = port == PCI_CONFIG_ADDRESS && size == 4;
	if (lg->last_config_address) {
		lg->pci_addr = value & PCI_ADDR_WRITABLE;
		return BUS_OK;
	}
	for (b = 0; b < size; b++)
		write_byte(lg, range_of(sp, port + b), value >> 8 * b);
	return BUS_OK;
}

static void legacy_describe(void *opaque, uint64_t offset, uint64_t value, char *buf, size_t len)
{
	const struct legacy *lg = ((const struct legacy_span *)opaque)->lg;
	uint32_t a = lg->pci_addr;

	(void)offset;
	(void)value;
	switch (legacy_ranges[lg->last].kind) {
	case LEGACY_POST:
		snprintf(buf, len, "POST code %#x", lg->post);
		break;
	case LEGACY_PORT_A:
		snprintf(buf, len, "port A %#x: A20 %s%s", lg->port_a,
			 lg->port_a & PORT_A_A20 ? "on" : "off",
			 lg->port_a & PORT_A_RESET ? ", fast reset" : "");
		break;
	case LEGACY_PCI:
		if (lg->last_config_address)
			snprintf(buf, len, "PCI address %02x:%02x.%x reg %#x%s", a >> 16 & 0xff,
				 a >> 11 & 0x1f, a >> 8 & 7, a & 0xfc, a >> 31 ? "" : " (off)");
		else
			snprintf(buf, len, "PCI config write: no device");
		break;
	default:
		snprintf(buf, len, "%s", legacy_ranges[lg->last].name);
		break;
	}
}

static const struct bus_ops legacy_ops = {
	.name = "legacy",
	.read = legacy_read,
	.write = legacy_write,
	.describe = legacy_describe,
};

bool legacy_a20(const struct legacy *lg)
{
	return lg->port_a & PORT_A_A20;
}

int legacy_attach(struct bus *bus, struct legacy *lg)
{
	const struct legacy_range *r = legacy_ranges;
	unsigned int i, n = 0, end;
	int err;

	memset(lg, 0, sizeof(*lg));
	lg->port_a = PORT_A_A20;	/* as a BIOS leaves it */
	for (i = 0; i < LEGACY_NR_RANGES; i = end) {
		for (end = i + 1; end < LEGACY_NR_RANGES && r[end].base == r[end - 1].base + r[end - 1].len;
		     end++)
			;
		if (n == LEGACY_NR_BUS_RANGES)
			return -ENOSPC;	/* the table and LEGACY_NR_BUS_RANGES disagree */
		lg->span[n] = (struct legacy_span){ .lg = lg, .first = i, .count = end - i };
		err = bus_register(bus, BUS_PIO, r[i].base, r[end - 1].base + r[end - 1].len - r[i].base,
				   &legacy_ops, &lg->span[n]);
		if (err)
			return err;
		n++;
	}
	return n == LEGACY_NR_BUS_RANGES ? 0 : -EINVAL;
}
