/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The quiet I/O ports of a PC without those devices, as one device model
 * on the bus: the POST code port 0x80 and the I/O delay port 0xed, system
 * control port A at 0x92 (A20 gate, fast reset), PCI configuration
 * mechanism #1 at 0xcf8-0xcff with no PCI device behind it, and the ports
 * of absent ISA devices Linux probes (DMA controllers, COM2-4, LPT1-3,
 * IDE, floppy, game port, MDA/CGA/VGA), which read as all ones with their
 * writes ignored. Each range has a name and an access count for --trace
 * and statistics. Pure device logic, unit-tested on the host through the
 * bus (tests/unit/check_legacy.c). Runs with the devices' lock held.
 */
#ifndef VMM_DEVICES_LEGACY_H
#define VMM_DEVICES_LEGACY_H

#include <stdbool.h>
#include <stdint.h>

#include "../bus.h"

enum legacy_kind {
	LEGACY_ABSENT,		/* reads all ones, writes vanish */
	LEGACY_POST,		/* port 0x80: the last byte written */
	LEGACY_PORT_A,		/* port 0x92: system control port A */
	LEGACY_PCI,		/* 0xcf8-0xcff: CONFIG_ADDRESS, CONFIG_DATA */
};

struct legacy_range {
	uint16_t base, len;
	enum legacy_kind kind;
	const char *name;	/* for --trace, e.g. "DMA controller 1 (absent)" */
};

#define LEGACY_NR_RANGES	21
/* The ranges, sorted by base; adjacent ones share a bus range (LEGACY_NR_BUS_RANGES). */
extern const struct legacy_range legacy_ranges[LEGACY_NR_RANGES];
#define LEGACY_NR_BUS_RANGES	15

struct legacy;

/* A run of adjacent table ranges: one bus range, its opaque. */
struct legacy_span {
	struct legacy *lg;
	unsigned int first, count;	/* legacy_ranges[first .. first + count) */
};

struct legacy {
	uint8_t post;		/* the last POST code */
	uint8_t port_a;		/* bit 1: A20 gate; bit 0: fast reset */
	uint32_t pci_addr;	/* CONFIG_ADDRESS */
	unsigned long count[LEGACY_NR_RANGES];	/* accesses per range */
	int last;		/* for describe(): the range of the last write, */
	bool last_config_address;	/* and whether it was to CONFIG_ADDRESS */
	struct legacy_span span[LEGACY_NR_BUS_RANGES];
	/*
	 * Optional, set after legacy_attach(): called when the guest asks for
	 * a fast reset (port 0x92 bit 0 going from 0 to 1).
	 */
	void (*reset)(void *ctx);
	void *ctx;
};

/*
 * Reset lg (POST code 0, port A 0x02: A20 on, CONFIG_ADDRESS 0) and give
 * it its LEGACY_NR_BUS_RANGES ranges: 0, or a negative errno from
 * bus_register().
 */
int legacy_attach(struct bus *bus, struct legacy *lg);
/* The A20 gate as port A drives it: true when address line 20 is enabled. */
bool legacy_a20(const struct legacy *lg);

#endif
