/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The Intel 8254 programmable interval timer at I/O ports 0x40-0x43 and the
 * PC's system control port B at 0x61 (channel 2's gate and output, the
 * speaker enable, the refresh toggle): the device model on the bus.
 * Channel 0's output drives IRQ 0. The counters run on a vclock (clock.h)
 * and only move when looked at: a port access or i8254_poll(). Pure device
 * logic, unit-tested on the host through the bus (tests/unit/check_i8254.c).
 */
#ifndef VMM_DEVICES_I8254_H
#define VMM_DEVICES_I8254_H

#include <stdbool.h>
#include <stdint.h>

#include "../bus.h"
#include "clock.h"

#define I8254_PORT		0x40	/* counters 0-2, then the control word register */
#define I8254_NR_PORTS		4
#define I8254_PORT_B		0x61	/* system control port B */
#define PIT_HZ			1193182	/* the counters' CLK input, Hz */

/* Port 0x61 */
#define I8254_PORTB_GATE2	0x01	/* channel 2's GATE input */
#define I8254_PORTB_SPEAKER	0x02	/* speaker data enable (no sound is made) */
#define I8254_PORTB_REFRESH	0x10	/* flips on every read */
#define I8254_PORTB_OUT2	0x20	/* channel 2's OUT */

enum i8254_state {
	I8254_IDLE,		/* not counting: the CE holds e, OUT is out0 */
	I8254_ONESHOT,		/* modes 0, 1, 4, 5: CE = e - p, wrapping */
	I8254_PERIODIC,		/* modes 2 and 3: a cycle of n pulses, reloading */
};

/*
 * One counter. Its counting element (CE) is not stepped pulse by pulse: it
 * follows a program started at anchor_ns, whose CLK pulse p (p >= 1) falls
 * when PIT tick base + p does, counted from anchor_ns; CE and OUT are
 * closed-form functions of p. Pulse 1 of a new program is the one that
 * loads the count register (CR) into the CE.
 */
struct i8254_channel {
	/* As programmed */
	uint8_t ctrl;		/* control word bits 5-0 as written: RW, M2-M0, BCD */
	uint8_t mode;		/* 0-5: modes 6 and 7 are 2 and 3 */
	uint8_t rw;		/* 1 LSB only, 2 MSB only, 3 LSB then MSB */
	bool bcd;
	uint16_t cr;		/* count register, as written */
	bool cr_written;	/* a count was written since the control word */
	bool null_count;	/* status bit 6: the last count written is not in the CE */
	bool gate;
	/* Byte sequencing: separate read and write flip-flops */
	bool wr_msb, rd_msb;	/* RW 3: the next byte is the MSB */
	uint8_t wr_lsb;		/* the LSB written, waiting for its MSB */
	bool count_latched, status_latched;
	uint16_t ol;		/* output latch */
	uint8_t status;		/* status latch */
	/* The counting element */
	enum i8254_state state;
	uint64_t anchor_ns, base;
	uint64_t synced;	/* p at the last look */
	bool running;		/* ONESHOT: counting (GATE, in modes 0 and 4) */
	bool loading;		/* pulse 1 is still to load the CR */
	bool out0;		/* OUT at p = 0 */
	int64_t e;		/* ONESHOT: CE = e - p; IDLE: CE = e */
	uint32_t n, h, phase;	/* PERIODIC: pulses per cycle, OUT high for h, start */
	uint32_t ce_prev;	/* the CE before pulse 1 */
	bool next_pending;	/* PERIODIC: a new count, loaded at pulse next_at */
	uint32_t next_n;
	uint64_t next_at;
	uint64_t rises;		/* rising edges of OUT not yet delivered */
};

struct i8254 {
	struct i8254_channel ch[3];
	uint8_t port_b;		/* port 0x61 bits 0-1 as written */
	bool refresh;		/* port 0x61 bit 4 */
	struct vclock clock;
	struct bus_irq irq0;	/* channel 0's OUT */
	bool irq_level;		/* IRQ 0 as last driven (OUT 0 after reset) */
	uint64_t missed;	/* channel 0 rising edges merged by late polls */
};

/*
 * Reset pit and give it ports 0x40-0x43 and 0x61: 0, or a negative errno
 * (-EBUSY, -ENOSPC) with nothing registered. irq0 may be NULL (no line).
 * After reset each counter is as if given control word 0x36 (mode 3, LSB
 * then MSB, binary) and no count: OUT high, nothing counting; GATE is high
 * on channels 0 and 1, and low on channel 2 (port 0x61 bit 0).
 */
int i8254_attach(struct bus *bus, struct i8254 *pit, const struct vclock *clock,
		 const struct bus_irq *irq0);
/*
 * Bring the timer up to now (clock.h): IRQ 0 follows OUT 0, and gets one
 * rising edge (low then high) when OUT 0 rose since the last poll, however
 * many times; the extra ones are counted in missed. Returns when OUT 0
 * next rises (ns), or VCLOCK_NEVER.
 */
uint64_t i8254_poll(struct i8254 *pit);

#endif
