/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Time for vmm's timer devices (the 8254 PIT, the MC146818 RTC): a clock
 * in nanoseconds that only goes forward. vmm gives them the host's
 * CLOCK_MONOTONIC, so the guest's seconds are the host's; unit tests give
 * them a clock they move by hand. Pure logic, no state of its own.
 *
 * A timer device never runs by itself. Its poll function, called by vmm
 * with the devices' lock held (after an exit, or when the timer thread
 * wakes), brings it up to now: it raises and lowers its interrupt lines for
 * what fell due, and returns the absolute time of its next event, which is
 * when vmm must poll it again (VCLOCK_NEVER: not until the guest programs
 * it again).
 */
#ifndef VMM_DEVICES_CLOCK_H
#define VMM_DEVICES_CLOCK_H

#include <stdint.h>

#define VCLOCK_NEVER	UINT64_MAX
#define NSEC_PER_SEC	1000000000ULL

struct vclock {
	uint64_t (*now_ns)(void *ctx);
	void *ctx;
};

static inline uint64_t vclock_now(const struct vclock *c)
{
	return c->now_ns(c->ctx);
}

#endif
