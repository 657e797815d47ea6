/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Shared by the host unit tests: run one Check suite, exit 0 if it passed;
 * a guest's IN and OUT through a bus, for the device models' tests.
 */
#ifndef MINIVMM_UNIT_H
#define MINIVMM_UNIT_H

#include <check.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>

#include "../../vmm/bus.h"

static inline int unit_run(Suite *s)
{
	SRunner *sr = srunner_create(s);
	int failed;

	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}

/* An IN of size bytes (1, 2 or 4) from port, which a device on bus must take. */
static inline uint32_t unit_in(struct bus *bus, uint16_t port, unsigned int size)
{
	uint8_t d[4];

	ck_assert_int_eq(bus_access(bus, BUS_PIO, port, false, d, size, NULL), BUS_OK);
	return bus_value(d, size);
}

/* An OUT of v's low size bytes (1, 2 or 4) to port, which a device on bus must take. */
static inline void unit_out(struct bus *bus, uint16_t port, uint32_t v, unsigned int size)
{
	uint8_t d[4] = { v, v >> 8, v >> 16, v >> 24 };

	ck_assert_int_eq(bus_access(bus, BUS_PIO, port, true, d, size, NULL), BUS_OK);
}

#endif
