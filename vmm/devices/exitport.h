/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The exit port: a byte written to I/O port 0xf4 ends the guest, and vmm
 * exits with that byte as its status (docs/vmm.md). Reads are not claimed.
 */
#ifndef VMM_DEVICES_EXITPORT_H
#define VMM_DEVICES_EXITPORT_H

#include <stdint.h>

#include "../bus.h"

#define EXITPORT_PORT	0xf4

/* Give the one port at port to the exit port: 0, or a negative errno. */
int exitport_attach(struct bus *bus, uint16_t port);

#endif
