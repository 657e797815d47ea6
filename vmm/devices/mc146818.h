/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The PC's real-time clock and CMOS RAM, a Motorola MC146818A, as guests
 * see it at I/O ports 0x70 (index; bit 7 masks NMI) and 0x71 (data),
 * interrupting on IRQ 8: the device model on the bus. Its time is the
 * wall-clock time given at attach plus the vclock's time since, until the
 * guest sets it. Pure device logic, unit-tested on the host through the
 * bus with a clock moved by hand (tests/unit/check_mc146818.c). Runs with
 * the devices' lock (vm->lock) held.
 */
#ifndef VMM_DEVICES_MC146818_H
#define VMM_DEVICES_MC146818_H

#include <stdbool.h>
#include <stdint.h>

#include "../bus.h"
#include "clock.h"

#define MC146818_PORT		0x70	/* 0x70 index, 0x71 data */
#define MC146818_NR_PORTS	2
#define MC146818_IRQ		8
#define MC146818_NR_REGS	128	/* 14 clock registers, then NVRAM to 0x7f */

struct mc146818 {
	uint8_t index;		/* the register port 0x71 reaches (0-127) */
	bool nmi_masked;	/* bit 7 of the last index write: NMI off (the PC's, not the RTC's) */
	/*
	 * Registers as last written: alarms, A, B, NVRAM. The time and date
	 * (0, 2, 4, 6-9, century 0x32) live here only while the clock stands
	 * (B.SET, or the divider not at 010); else they follow sec.
	 */
	uint8_t reg[MC146818_NR_REGS];
	uint8_t c;		/* register C: IRQF and the interrupt flags */
	int64_t sec;		/* the time at last_ns, seconds since 1970 UTC */
	int64_t last_ns;	/* vclock: the divider chain's last second (an update unless SET) */
	int64_t pf_ns;		/* vclock: periodic ticks are in C up to here */
	uint8_t wday_adj;	/* register 6 as the guest set it, less the true weekday, mod 7 */
	struct vclock clock;
	struct bus_irq irq;	/* IRQ 8: high while C.IRQF */
	bool irq_level;
};

/*
 * Reset rtc to the state Linux expects at power-up (A 0x26: divider on,
 * 1024 Hz; B 0x02: 24-hour BCD; C 0; D 0x80: battery good), its time
 * epoch_s (seconds since 1970 UTC) now by clock, its NVRAM a PC's
 * defaults, and give it ports 0x70-0x71: 0, or a negative errno from
 * bus_register(). irq8 may be NULL (no line).
 */
int mc146818_attach(struct bus *bus, struct mc146818 *rtc, const struct vclock *clock,
		    int64_t epoch_s, const struct bus_irq *irq8);
/* Fill the NVRAM's memory-size bytes (0x15-0x18, 0x30-0x31, 0x34-0x35) for ram bytes of RAM. */
void mc146818_set_memory(struct mc146818 *rtc, uint64_t ram);
/*
 * Bring rtc up to now (clock.h): set the flags of the periodic, alarm and
 * update events that fell due and raise IRQ 8 for the enabled ones. The
 * vclock time of the next enabled event, or VCLOCK_NEVER.
 */
uint64_t mc146818_poll(struct mc146818 *rtc);

#endif
