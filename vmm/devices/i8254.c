// SPDX-License-Identifier: GPL-2.0
/*
 * The 8254 PIT and port 0x61; see i8254.h. Owns I/O ports 0x40-0x43 and
 * 0x61. Port accesses run in the VCPU thread whose IN or OUT reached them,
 * i8254_poll() in whichever thread vmm polls from, with the devices' lock
 * held. Behaviour from the Intel 8254 data sheet (231164): the control
 * word (SC, RW, M, BCD), the counter latch and read-back commands, the
 * status byte, NULL COUNT, and modes 0-5 with their GATE rules.
 *
 * Time: CLK pulse k of a counter's program falls at anchor_ns +
 * ceil(k * 10^9 / PIT_HZ) ns, so the count after any time is exact, with
 * no drift however long it runs. A count written loads into the CE on the
 * next CLK pulse (pulse 1), which does not decrement it: OUT changes N + 1
 * pulses after a count N is written, as the data sheet says for modes 0
 * and 4. Word-wide accesses use their low byte, like the UART's.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "i8254.h"

#define NS		NSEC_PER_SEC
#define NEVER		UINT64_MAX	/* no such pulse */

/* CLK pulses in d ns: floor(d * PIT_HZ / 10^9), split not to overflow. */
static uint64_t ns_to_ticks(uint64_t d)
{
	return d / NS * PIT_HZ + d % NS * PIT_HZ / NS;
}

/* When pulse k falls, ns after the anchor: the first ns with k pulses. */
static uint64_t ticks_to_ns(uint64_t k)
{
	return k / PIT_HZ * NS + (k % PIT_HZ * NS + PIT_HZ - 1) / PIT_HZ;
}

/* The CE counts modulo 2^16 in binary, 10^4 in BCD. */
static uint32_t ch_mod(const struct i8254_channel *c)
{
	return c->bcd ? 10000 : 65536;
}

/* The count in the CR: 0 is the largest, 65536 (10000 in BCD). */
static uint32_t cr_value(const struct i8254_channel *c)
{
	uint32_t v = c->cr;

	if (c->bcd)
		v = (v >> 12 & 15) * 1000 + (v >> 8 & 15) * 100 + (v >> 4 & 15) * 10 + (v & 15);
	return v ? v : ch_mod(c);
}

static uint16_t ch_encode(const struct i8254_channel *c, uint32_t v)
{
	if (!c->bcd)
		return v;
	return (v / 1000 % 10) << 12 | (v / 100 % 10) << 8 | (v / 10 % 10) << 4 | v % 10;
}

/* The program's pulse at now. */
static uint64_t ch_pulse(const struct i8254_channel *c, uint64_t now)
{
	uint64_t t = now > c->anchor_ns ? ns_to_ticks(now - c->anchor_ns) : 0;

	return t > c->base ? t - c->base : 0;
}

/* When the program's pulse p falls, in ns (VCLOCK_NEVER past the clock's end). */
static uint64_t ch_pulse_ns(const struct i8254_channel *c, uint64_t p)
{
	uint64_t k = c->base + p, d;

	if (p == NEVER || k < p || k >= ns_to_ticks(VCLOCK_NEVER))
		return VCLOCK_NEVER;
	d = ticks_to_ns(k);
	return d < VCLOCK_NEVER - c->anchor_ns ? c->anchor_ns + d : VCLOCK_NEVER;
}

/* OUT at pulse p. */
static bool ch_out(const struct i8254_channel *c, uint64_t p)
{
	switch (c->state) {
	case I8254_ONESHOT:
		if (!c->running)
			p = 0;
		if (c->mode == 0)	/* low until the count reaches 0 */
			return (int64_t)p >= c->e;
		if (!p)			/* OUT changes on CLK pulses */
			return c->out0;
		if (c->mode == 1)	/* low from the pulse after the trigger until 0 */
			return (int64_t)p >= c->e;
		return (int64_t)p != c->e;	/* modes 4, 5: low for the pulse at 0 */
	case I8254_PERIODIC:
		return p ? (p - 1 + c->phase) % c->n < c->h : c->out0;
	default:
		return c->out0;
	}
}

/* The CE at pulse p, 0 to the modulus - 1. */
static uint32_t ch_ce(const struct i8254_channel *c, uint64_t p)
{
	uint32_t m = ch_mod(c), q, top;
	int64_t v;

	switch (c->state) {
	case I8254_ONESHOT:
		if (!c->running)
			p = 0;
		if (c->loading && !p)
			return c->ce_prev;
		v = (c->e - (int64_t)p) % m;
		return v < 0 ? v + m : v;
	case I8254_PERIODIC:
		if (!p)
			return c->ce_prev;
		q = (p - 1 + c->phase) % c->n;
		if (c->mode == 2)	/* N, N - 1, ..., 1 (OUT low), reload */
			return (c->n - q) % m;
		/* Mode 3: by two from N (odd N: N - 1) with OUT high, then low. */
		top = c->n & ~1u;
		return (top - 2 * (q < c->h ? q : q - c->h)) % m;
	default:
		return (uint64_t)c->e % m;
	}
}

/* Pulses 1..x at which a PERIODIC cycle begins (a reload with OUT rising). */
static uint64_t ch_cycles(const struct i8254_channel *c, uint64_t x)
{
	return x ? (x - 1 + c->phase) / c->n + !c->phase : 0;
}

/*
 * Where a ONESHOT's OUT rises after pulse p: at 0 (modes 0, 1), or after
 * the strobe (4, 5), which also ends at pulse 1 when it began before.
 */
static uint64_t ch_rise_after(const struct i8254_channel *c, uint64_t p)
{
	if (c->mode >= 4 && !p && !c->out0 && c->e != 1)
		return 1;
	if (c->mode < 2)
		return c->e >= 1 && (uint64_t)c->e > p ? (uint64_t)c->e : NEVER;
	return c->e >= 1 && (uint64_t)c->e + 1 > p ? (uint64_t)c->e + 1 : NEVER;
}

/* Rising edges of OUT at pulses a + 1 to b. */
static uint64_t ch_rises(const struct i8254_channel *c, uint64_t a, uint64_t b)
{
	uint64_t at;

	if (b <= a)
		return 0;
	if (c->state == I8254_ONESHOT && c->running) {
		at = ch_rise_after(c, a);
		return (at <= b) + (at == 1 && ch_rise_after(c, 1) <= b);
	}
	if (c->state == I8254_PERIODIC)
		return ch_cycles(c, b) - ch_cycles(c, a) - (!a && !c->phase && c->out0);
	return 0;
}

/* The first pulse after p at which OUT rises, or NEVER. */
static uint64_t ch_next_rise(const struct i8254_channel *c, uint64_t p)
{
	uint64_t j;

	if (c->state == I8254_ONESHOT && c->running)
		return ch_rise_after(c, p);
	if (c->state != I8254_PERIODIC)
		return NEVER;
	if (!p && !c->phase && !c->out0)
		return 1;
	/* The first pulse x >= 2, x > p, that begins a cycle: (x - 1 + phase) % n == 0. */
	j = (p > 1 ? p : 1) + c->phase;
	j = (j + c->n - 1) / c->n * c->n;
	return j + 1 - c->phase;
}

/* Modes 2 and 3: a count of 1 is illegal (data sheet); it counts as 2. */
static void ch_set_period(struct i8254_channel *c, uint32_t n)
{
	c->n = n < 2 ? 2 : n;
	/* Mode 2: OUT low for the last pulse; mode 3: high (N + 1) / 2, low N / 2. */
	c->h = c->mode == 3 ? (c->n + 1) / 2 : c->n - 1;
}

/* PERIODIC: the new count loads at pulse next_at, a reload; it becomes pulse 1. */
static void ch_switch(struct i8254_channel *c)
{
	uint64_t s = c->next_at;
	bool high = (s - 1 + c->phase) % c->n == 0;	/* a cycle begins, or the low half */

	c->out0 = ch_out(c, s - 1);
	c->ce_prev = ch_ce(c, s - 1);
	c->base += s - 1;
	ch_set_period(c, c->next_n);
	c->phase = high ? 0 : c->h;
	c->next_pending = false;
	c->loading = true;
	c->synced = 0;
}

/* Catch up: count OUT's rising edges, do the loads that fell due. */
static void ch_sync(struct i8254_channel *c, uint64_t now)
{
	uint64_t p;

	if (c->state == I8254_IDLE && !c->loading)
		return;
	p = ch_pulse(c, now);
	if (c->state == I8254_PERIODIC && c->next_pending && p >= c->next_at) {
		c->rises += ch_rises(c, c->synced, c->next_at - 1);
		ch_switch(c);
		p = ch_pulse(c, now);
	}
	if (c->loading && p >= 1) {
		/* The CR reached the CE, even with counting stopped (mode 0, 2, 3, 4). */
		c->loading = false;
		c->null_count = false;
		if (c->state == I8254_IDLE)	/* mode 3 loads an odd N as N - 1 */
			c->e = c->mode == 3 ? c->n & ~1u : c->n;
		else if (c->state == I8254_ONESHOT && !c->running)
			c->e--;
	}
	c->rises += ch_rises(c, c->synced, p);
	c->synced = p;
}

/* Stop: the CE holds its value, OUT is out. */
static void ch_idle(struct i8254_channel *c, uint64_t p, bool out)
{
	c->e = ch_ce(c, p);
	c->out0 = out;
	c->state = I8254_IDLE;
	c->loading = false;
	c->next_pending = false;
}

/* A new program from now, with the CR's count: pulse 1 loads it. */
static void ch_start(struct i8254_channel *c, enum i8254_state state, uint64_t now, uint64_t p)
{
	uint32_t n = cr_value(c);

	c->ce_prev = ch_ce(c, p);
	c->out0 = ch_out(c, p);
	c->state = state;
	c->anchor_ns = now;
	c->base = 0;
	c->synced = 0;
	c->loading = true;
	c->running = true;
	c->next_pending = false;
	c->e = (int64_t)n + 1;		/* ONESHOT: at 0 n pulses after pulse 1 */
	ch_set_period(c, n);		/* PERIODIC */
	c->phase = 0;
}

/* The count in the CR was written (its last byte). */
static void ch_count_written(struct i8254_channel *c, uint64_t now, uint64_t p)
{
	uint64_t j, to0, toh;

	c->cr_written = true;
	c->null_count = true;
	switch (c->mode) {
	case 0:
	case 4:
		/* Loaded on the next pulse, counting while GATE is high. */
		ch_start(c, I8254_ONESHOT, now, p);
		c->running = c->gate;
		break;
	case 1:
	case 5:
		/* Waits for a trigger; a trigger's pulse 1 still to come takes it. */
		if (c->state == I8254_ONESHOT && c->loading)
			c->e = (int64_t)cr_value(c) + 1;
		break;
	default:
		if (!c->gate) {
			/* Loaded on the next pulse; counting waits for GATE. */
			ch_idle(c, p, true);
			c->anchor_ns = now;
			c->base = 0;
			c->loading = true;
			c->n = cr_value(c);
		} else if (c->state == I8254_PERIODIC && p >= 1) {
			/*
			 * The current cycle goes on: the count loads at its end
			 * (mode 2), or at the end of the half-cycle (mode 3).
			 */
			j = (p + c->phase) % c->n;	/* where pulse p + 1 falls in the cycle */
			to0 = (c->n - j) % c->n;
			toh = (c->h + c->n - j) % c->n;
			c->next_at = p + 1 + (c->mode == 3 && toh < to0 ? toh : to0);
			c->next_n = cr_value(c);
			c->next_pending = true;
		} else {
			ch_start(c, I8254_PERIODIC, now, p);
		}
		break;
	}
}

/* GATE changed (channel 2: port 0x61 bit 0). */
static void ch_gate(struct i8254_channel *c, bool gate, uint64_t now, uint64_t p)
{
	bool loading = c->loading;

	c->gate = gate;
	switch (c->mode) {
	case 0:
	case 4:
		/* GATE enables counting; it does not touch OUT. */
		if (c->state != I8254_ONESHOT)
			break;
		if (!gate) {
			c->out0 = ch_out(c, p);
			c->e -= c->running ? (int64_t)p : 0;
			if (c->e < 0)	/* past 0: keep it small, below 0 */
				c->e = -(int64_t)((uint64_t)(-c->e - 1) % ch_mod(c)) - 1;
			c->running = false;
		} else {
			c->anchor_ns = now;
			c->base = 0;
			c->synced = 0;
			c->running = true;
		}
		break;
	case 1:
	case 5:
		/* A rising edge triggers: the CR loads on the next pulse. */
		if (gate && c->cr_written)
			ch_start(c, I8254_ONESHOT, now, p);
		break;
	default:
		/* Low stops counting and sets OUT high at once; a rising edge reloads. */
		if (!gate) {
			ch_idle(c, p, true);
			c->loading = loading;
		} else if (c->cr_written) {
			ch_start(c, I8254_PERIODIC, now, p);
		}
		break;
	}
}

/* Latch the count and/or the status; a second latch before the read is ignored. */
static void ch_latch(struct i8254_channel *c, uint64_t now, bool count, bool status)
{
	uint64_t p;

	ch_sync(c, now);
	p = ch_pulse(c, now);
	if (count && !c->count_latched) {
		c->ol = ch_encode(c, ch_ce(c, p));
		c->count_latched = true;
	}
	if (status && !c->status_latched) {
		c->status = ch_out(c, p) << 7 | c->null_count << 6 | c->ctrl;
		c->status_latched = true;
	}
}

static uint8_t ch_read(struct i8254_channel *c, uint64_t now)
{
	bool msb = c->rw == 2 || (c->rw == 3 && c->rd_msb);
	uint16_t v;

	/* A latched status comes first, then a latched count, else the CE. */
	if (c->status_latched) {
		c->status_latched = false;
		return c->status;
	}
	if (c->count_latched) {
		v = c->ol;
	} else {
		ch_sync(c, now);
		v = ch_encode(c, ch_ce(c, ch_pulse(c, now)));
	}
	if (c->rw == 3)
		c->rd_msb = !c->rd_msb;
	if (c->rw != 3 || msb)		/* the count's last byte frees the latch */
		c->count_latched = false;
	return msb ? v >> 8 : v;
}

/*
 * Run one change to c at now, and count a rising edge of OUT made at once
 * (a control word or GATE can set OUT high with no CLK pulse).
 */
enum ch_op { OP_CONTROL, OP_DATA, OP_GATE };

static void ch_change(struct i8254_channel *c, uint64_t now, enum ch_op op, uint8_t v)
{
	uint64_t p;
	bool before;

	ch_sync(c, now);
	p = ch_pulse(c, now);
	before = ch_out(c, p);
	switch (op) {
	case OP_CONTROL:
		/* All control logic resets; OUT: low in mode 0, else high. */
		ch_idle(c, p, (v >> 1 & 7) != 0);
		c->ctrl = v & 0x3f;
		c->rw = v >> 4 & 3;
		c->mode = (v >> 1 & 7) > 5 ? (v >> 1 & 7) - 4 : v >> 1 & 7;
		c->bcd = v & 1;
		c->wr_msb = false;
		c->rd_msb = false;
		c->cr_written = false;
		c->null_count = true;
		break;
	case OP_DATA:
		if (c->rw == 3 && !c->wr_msb) {
			c->wr_lsb = v;
			c->wr_msb = true;
			/* Mode 0: the first byte stops counting and sets OUT low. */
			if (c->mode == 0)
				ch_idle(c, p, false);
			break;
		}
		c->cr = c->rw == 1 ? v : c->rw == 2 ? v << 8 : c->wr_lsb | v << 8;
		c->wr_msb = false;
		ch_count_written(c, now, p);
		break;
	case OP_GATE:
		if (c->gate != !!v)
			ch_gate(c, v, now, p);
		break;
	}
	if (!before && ch_out(c, ch_pulse(c, now)))
		c->rises++;
}

static void pit_control(struct i8254 *pit, uint64_t now, uint8_t v)
{
	struct i8254_channel *c;
	unsigned int i;

	if ((v >> 6) == 3) {
		/* Read-back: bit 5 clear latches the count, bit 4 the status. */
		for (i = 0; i < 3; i++)
			if (v & 2 << i)
				ch_latch(&pit->ch[i], now, !(v & 0x20), !(v & 0x10));
		return;
	}
	c = &pit->ch[v >> 6];
	if (!(v & 0x30))
		ch_latch(c, now, true, false);		/* the counter latch command */
	else
		ch_change(c, now, OP_CONTROL, v);
}

uint64_t i8254_poll(struct i8254 *pit)
{
	const struct i8254_channel *c = &pit->ch[0];
	struct i8254_channel next;
	uint64_t now = vclock_now(&pit->clock), p, at;
	bool out;

	ch_sync(&pit->ch[0], now);
	p = ch_pulse(c, now);
	out = ch_out(c, p);
	if (c->rises) {
		/* One rising edge, however many there were: the PIC latches one. */
		if (pit->irq_level)
			bus_irq_set(&pit->irq0, false);
		bus_irq_set(&pit->irq0, true);
		pit->irq_level = true;
		pit->missed += c->rises - 1;
		pit->ch[0].rises = 0;
	}
	if (out != pit->irq_level) {
		bus_irq_set(&pit->irq0, out);
		pit->irq_level = out;
	}
	at = ch_next_rise(c, p);
	if (c->state == I8254_PERIODIC && c->next_pending && at >= c->next_at) {
		/* The new count loads first: look at the cycle it starts. */
		next = *c;
		ch_switch(&next);
		c = &next;
		at = ch_next_rise(c, 0);
	}
	return ch_pulse_ns(c, at);
}

static uint64_t pit_read(void *opaque, uint64_t offset, unsigned int size)
{
	struct i8254 *pit = opaque;

	(void)size;
	if (offset == 3)
		return 0xff;	/* the control word register is write-only: the bus floats */
	return ch_read(&pit->ch[offset], vclock_now(&pit->clock));
}

static int pit_write(void *opaque, uint64_t offset, uint64_t value, unsigned int size)
{
	struct i8254 *pit = opaque;
	uint64_t now = vclock_now(&pit->clock);

	(void)size;
	if (offset == 3)
		pit_control(pit, now, value);
	else
		ch_change(&pit->ch[offset], now, OP_DATA, value);
	return BUS_OK;
}

static uint64_t portb_read(void *opaque, uint64_t offset, unsigned int size)
{
	struct i8254 *pit = opaque;
	struct i8254_channel *c = &pit->ch[2];
	uint64_t now = vclock_now(&pit->clock);

	(void)offset;
	(void)size;
	ch_sync(c, now);
	pit->refresh = !pit->refresh;
	return pit->port_b | (pit->refresh ? I8254_PORTB_REFRESH : 0) |
	       (ch_out(c, ch_pulse(c, now)) ? I8254_PORTB_OUT2 : 0);
}

static int portb_write(void *opaque, uint64_t offset, uint64_t value, unsigned int size)
{
	struct i8254 *pit = opaque;

	(void)offset;
	(void)size;
	pit->port_b = value & (I8254_PORTB_GATE2 | I8254_PORTB_SPEAKER);
	ch_change(&pit->ch[2], vclock_now(&pit->clock), OP_GATE, value & I8254_PORTB_GATE2);
	return BUS_OK;
}

/* --trace, after the write: e.g. "PIT ch0 mode 2 count 11932". */
static void pit_describe(void *opaque, uint64_t offset, uint64_t value, char *buf, size_t len)
{
	static const char *const rw[] = { "", "LSB", "MSB", "LSB then MSB" };
	struct i8254 *pit = opaque;
	const struct i8254_channel *c;
	uint8_t v = value, m = v >> 1 & 7;

	if (offset < 3) {
		c = &pit->ch[offset];
		if (c->rw == 3 && c->wr_msb)
			snprintf(buf, len, "PIT ch%u count LSB %#x", (unsigned int)offset, v);
		else
			snprintf(buf, len, "PIT ch%u mode %u count %u", (unsigned int)offset,
				 c->mode, cr_value(c));
	} else if ((v >> 6) == 3) {
		snprintf(buf, len, "PIT read-back%s%s of ch%s%s%s", v & 0x20 ? "" : " count",
			 v & 0x10 ? "" : " status", v & 2 ? " 0" : "", v & 4 ? " 1" : "",
			 v & 8 ? " 2" : "");
	} else if (!(v & 0x30)) {
		snprintf(buf, len, "PIT ch%u counter latch", v >> 6);
	} else {
		snprintf(buf, len, "PIT ch%u mode %u, %s%s", v >> 6, m > 5 ? m - 4 : m,
			 rw[v >> 4 & 3], v & 1 ? ", BCD" : "");
	}
}

static void portb_describe(void *opaque, uint64_t offset, uint64_t value, char *buf, size_t len)
{
	(void)opaque;
	(void)offset;
	snprintf(buf, len, "PIT ch2 gate %s, speaker %s", value & I8254_PORTB_GATE2 ? "on" : "off",
		 value & I8254_PORTB_SPEAKER ? "on" : "off");
}

static const struct bus_ops pit_ops = {
	.name = "i8254",
	.read = pit_read,
	.write = pit_write,
	.describe = pit_describe,
};

static const struct bus_ops portb_ops = {
	.name = "port61",
	.read = portb_read,
	.write = portb_write,
	.describe = portb_describe,
};

int i8254_attach(struct bus *bus, struct i8254 *pit, const struct vclock *clock,
		 const struct bus_irq *irq0)
{
	unsigned int i;
	int err;

	memset(pit, 0, sizeof(*pit));
	pit->clock = *clock;
	if (irq0)
		pit->irq0 = *irq0;
	for (i = 0; i < 3; i++) {
		/* Undefined at power-up (data sheet): as after control word 0x36. */
		pit->ch[i].ctrl = 0x36;
		pit->ch[i].mode = 3;
		pit->ch[i].rw = 3;
		pit->ch[i].out0 = true;
		pit->ch[i].null_count = true;
		pit->ch[i].gate = i != 2;
	}
	pit->irq_level = true;	/* OUT 0 is high; the PIC sees an edge at its first rise */
	/* Both ranges or neither. */
	if (bus->nr[BUS_PIO] + 2 > BUS_MAX_RANGES)
		return -ENOSPC;
	if (bus_find(bus, BUS_PIO, I8254_PORT_B))
		return -EBUSY;
	err = bus_register(bus, BUS_PIO, I8254_PORT, I8254_NR_PORTS, &pit_ops, pit);
	if (err)
		return err;
	return bus_register(bus, BUS_PIO, I8254_PORT_B, 1, &portb_ops, pit);
}
