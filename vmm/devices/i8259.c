// SPDX-License-Identifier: GPL-2.0
/*
 * The PC's 8259A pair and its ELCR; see i8259.h. Runs in the VCPU thread
 * whose IN or OUT reached it, or in whatever thread drives a line or
 * takes an interrupt, always with the devices' lock (vm->lock) held.
 * Section names are those of the Intel 8259A datasheet (order number
 * 231468). Each chip's even port takes ICW1, OCW2 and OCW3 and reads IRR
 * or ISR; its odd port takes ICW2-ICW4 during initialization, OCW1 (IMR)
 * after, and reads IMR.
 *
 * Not modelled: the MCS-80/85 mode's CALL sequence (ICW1 ADI, A7-A5;
 * the vector is always ICW2's T7-T3 plus the IR, as in 8086 mode),
 * buffered mode (ICW4 BUF, M/S), cascade buses other than the PC's (only
 * the master's IR2 has a slave; the slave's ID is not compared), and the
 * timing inside an INTA sequence: an acknowledge is instantaneous.
 */
#include <stdio.h>
#include <string.h>

#include "i8259.h"

/* What a write was, for describe(). */
enum {
	W_NONE, W_ICW1, W_ICW2, W_ICW3, W_ICW4, W_OCW1, W_OCW2, W_OCW3,
};

/* ELCR bits that read 0 and cannot be set: IRQ 0, 1, 2 and 8, 13 are edge on a PC. */
#define ELCR_MASTER_MASK	0xf8
#define ELCR_SLAVE_MASK		0xde

#define BIT(ir)			(1u << (ir))

/* The IRs that follow their line's level rather than its rising edge. */
static uint8_t level_mask(const struct i8259_chip *c)
{
	return c->ltim ? 0xff : c->elcr;
}

/* The master's inputs wired to a slave ("Cascading", ICW3); none on the slave. */
static uint8_t cascade_mask(const struct i8259_chip *c)
{
	return c->master && !c->single ? c->icw3 : 0;
}

/*
 * Of the IRs in bits, the one of highest priority ("Interrupt Priority"):
 * lowest + 1 comes first, lowest last. -1 if bits is 0.
 */
static int highest(const struct i8259_chip *c, uint8_t bits)
{
	unsigned int i, ir;

	for (i = 1; i <= 8; i++) {
		ir = (c->lowest + i) & 7;
		if (bits & BIT(ir))
			return ir;
	}
	return -1;
}

/* 0 for the IR of highest priority, 7 for the lowest. */
static unsigned int rank(const struct i8259_chip *c, unsigned int ir)
{
	return (ir - c->lowest - 1) & 7;
}

/*
 * The in-service levels the priority resolver sees. In special mask mode
 * a masked IS bit is hidden: it neither holds off lower requests nor
 * takes a non-specific EOI ("Special Mask Mode", "End of Interrupt").
 */
static uint8_t visible_isr(const struct i8259_chip *c)
{
	return c->smm ? c->isr & ~c->imr : c->isr;
}

/*
 * The request the chip's INT output stands for, or -1: the unmasked
 * request of highest priority, when no level of equal or higher priority
 * is in service (fully nested mode). In special fully nested mode the
 * master also takes a request from a slave whose level is in service.
 */
static int pending(const struct i8259_chip *c)
{
	int ir = highest(c, c->irr & ~c->imr), in;
	uint8_t isr = visible_isr(c);

	if (ir < 0)
		return -1;
	if (c->sfnm && (cascade_mask(c) & BIT(ir)))
		isr &= ~BIT(ir);
	in = highest(c, isr);
	if (in >= 0 && rank(c, in) <= rank(c, ir))
		return -1;
	return ir;
}

/*
 * IR input ir is at level ("Edge and Level Triggered Modes"): a rising
 * edge, or a high level in level mode, sets the IRR bit; a low level
 * clears it in level mode (the request went away before its INTA). The
 * datasheet wants an edge-triggered IR high until the INTA as well, but
 * vmm's devices may report an edge and the fall after it at once (the
 * 8254 polled in mode 3's low half): an edge stays latched.
 */
static void chip_set_line(struct i8259_chip *c, unsigned int ir, bool level)
{
	if (level) {
		if (!(c->lines & BIT(ir)) || (level_mask(c) & BIT(ir)))
			c->irr |= BIT(ir);
		c->lines |= BIT(ir);
	} else {
		c->lines &= ~BIT(ir);
		if (level_mask(c) & BIT(ir))
			c->irr &= ~BIT(ir);
	}
}

/*
 * After a change: the slave's INT drives the master's IR2, the master's
 * INT is INTR. The slave's INT is exact: when it falls, so does the
 * master's request on IR2, edge-triggered or not. A chip's int_latch
 * remembers an INT no INTA took yet; it survives a request withdrawn by
 * its line (line_fell: the CPU may be on its way to the INTA already),
 * not a register write.
 */
static void update(struct i8259 *pic, bool line_fell)
{
	struct i8259_chip *m = &pic->chip[0], *s = &pic->chip[1];
	bool sint = pending(s) >= 0, intr;

	chip_set_line(m, I8259_CASCADE_IR, sint);
	if (!sint)
		m->irr &= ~BIT(I8259_CASCADE_IR);
	s->int_latch = sint || (line_fell && s->int_latch);
	intr = pending(m) >= 0;
	m->int_latch = intr || (line_fell && m->int_latch);
	if (intr && !pic->intr && pic->intr_changed) {
		pic->intr = true;
		pic->intr_changed(pic->ctx);
	}
	pic->intr = intr;
}

/*
 * The first INTA, or a poll, takes request ir ("Interrupt Sequence"): its
 * IS bit is set and its IRR bit reset (a level-triggered line held high
 * sets it again). In automatic EOI mode the IS bit is reset at the end of
 * the sequence, and with rotation the level goes to the lowest priority.
 */
static void chip_ack(struct i8259_chip *c, unsigned int ir)
{
	if (!(level_mask(c) & BIT(ir)))
		c->irr &= ~BIT(ir);
	c->int_latch = false;
	if (!c->aeoi)
		c->isr |= BIT(ir);
	else if (c->rotate_aeoi)
		c->lowest = ir;
}

/* update() runs after every change of state: INTR as it left it (vmm asks after every exit). */
bool i8259_intr(const struct i8259 *pic)
{
	return pic->intr;
}

int i8259_ack(struct i8259 *pic)
{
	struct i8259_chip *m = &pic->chip[0], *s = &pic->chip[1];
	int ir = pending(m), sir, vector;
	bool cascade;

	if (ir < 0) {
		if (!m->int_latch)
			return -1;
		/*
		 * A level-triggered request went away after raising INTR
		 * ("Interrupt Sequence", the note on IR inputs): the default
		 * IR7, not set in ISR. If it was the slave's, the master
		 * still takes IR2 (the slave's INT was high) and the slave
		 * gives its IR7.
		 */
		if ((cascade_mask(m) & BIT(I8259_CASCADE_IR)) && s->int_latch &&
		    !(m->imr & BIT(I8259_CASCADE_IR))) {
			ir = I8259_CASCADE_IR;
		} else {
			m->int_latch = false;
			update(pic, false);
			return m->base | 7;
		}
	}
	chip_ack(m, ir);
	cascade = cascade_mask(m) & BIT(ir);
	if (!cascade) {
		vector = m->base + ir;
	} else {
		/* The second INTA: the slave gives the vector. */
		sir = pending(s);
		s->int_latch = false;
		if (sir < 0) {
			vector = s->base | 7;
		} else {
			chip_ack(s, sir);
			vector = s->base + sir;
		}
		/* The slave's INT fell with the INTA: a request still waiting is a new edge. */
		m->lines &= ~BIT(ir);
	}
	update(pic, false);
	return vector;
}

void i8259_set_irq(void *opaque, unsigned int line, bool level)
{
	struct i8259 *pic = opaque;

	if (line >= I8259_NR_LINES || line == I8259_CASCADE_IR)
		return;
	chip_set_line(&pic->chip[line / 8], line % 8, level);
	update(pic, !level);
}

/*
 * ICW1 ("Initialization Command Words"): the edge sense circuit is reset
 * (an edge-triggered IR must rise again), IMR cleared, IR7 the lowest
 * priority, special mask mode off, IRR selected for reading, and without
 * IC4 every ICW4 function zero. ISR, rotation in AEOI mode and a pending
 * poll are cleared too (the datasheet is silent; a re-initialized chip
 * starts afresh, as other PC emulators do).
 */
static void write_icw1(struct i8259_chip *c, uint8_t v)
{
	c->ltim = v & 0x08;
	c->single = v & 0x02;
	c->icw4 = v & 0x01;
	c->irr = c->lines & level_mask(c);
	c->isr = 0;
	c->imr = 0;
	c->lowest = 7;
	c->icw3 = c->master ? 0 : 7;	/* "the slave mode address is set to 7" */
	c->smm = false;
	c->read_isr = false;
	c->poll = false;
	c->rotate_aeoi = false;
	if (!c->icw4)
		c->upm = c->aeoi = c->sfnm = false;
	c->init_step = 2;
}

/* ICW2-ICW4, in turn after ICW1; ICW3 only in cascade mode, ICW4 only with IC4. */
static void write_icw(struct i8259_chip *c, uint8_t v)
{
	switch (c->init_step) {
	case 2:
		c->base = v & 0xf8;	/* T7-T3; A10-A8 (8080 mode) ignored */
		c->last_write = W_ICW2;
		c->init_step = !c->single ? 3 : c->icw4 ? 4 : 0;
		break;
	case 3:
		c->icw3 = c->master ? v : v & 7;
		c->last_write = W_ICW3;
		c->init_step = c->icw4 ? 4 : 0;
		break;
	default:
		c->upm = v & 0x01;
		c->aeoi = v & 0x02;
		c->sfnm = v & 0x10;	/* BUF (bit 3), M/S (bit 2): buffered mode only */
		c->last_write = W_ICW4;
		c->init_step = 0;
		break;
	}
}

/* OCW2: R, SL, EOI in bits 7-5, the level L2-L0 in bits 2-0. */
static void write_ocw2(struct i8259_chip *c, uint8_t v)
{
	unsigned int l = v & 7;
	int ir;

	switch (v >> 5) {
	case 1:			/* non-specific EOI: the highest IS level */
	case 5:			/* rotate on non-specific EOI */
		ir = highest(c, visible_isr(c));
		if (ir < 0)
			break;
		c->isr &= ~BIT(ir);
		if (v & 0x80)
			c->lowest = ir;
		break;
	case 3:			/* specific EOI */
	case 7:			/* rotate on specific EOI */
		c->isr &= ~BIT(l);
		if (v & 0x80)
			c->lowest = l;
		break;
	case 6:			/* set priority: L the lowest */
		c->lowest = l;
		break;
	case 4:			/* rotate in automatic EOI mode: set */
	case 0:			/* ... clear */
		c->rotate_aeoi = v & 0x80;
		break;
	default:		/* 2: no operation */
		break;
	}
}

/* OCW3: ESMM, SMM in bits 6-5, P bit 2, RR, RIS bits 1-0. */
static void write_ocw3(struct i8259_chip *c, uint8_t v)
{
	if (v & 0x40)
		c->smm = v & 0x20;
	if (v & 0x04)
		c->poll = true;
	if (v & 0x02)
		c->read_isr = v & 0x01;
}

static void pic_write(struct i8259 *pic, unsigned int which, unsigned int a0, uint8_t v)
{
	struct i8259_chip *c = &pic->chip[which];

	if (a0) {
		if (c->init_step) {
			write_icw(c, v);
		} else {
			c->imr = v;
			c->last_write = W_OCW1;
		}
	} else if (v & 0x10) {
		write_icw1(c, v);
		c->last_write = W_ICW1;
	} else if (v & 0x08) {
		write_ocw3(c, v);
		c->last_write = W_OCW3;
	} else {
		write_ocw2(c, v);
		c->last_write = W_OCW2;
	}
	update(pic, false);
}

/*
 * The poll command (OCW3 P): the read is an interrupt acknowledge of
 * this chip alone, and gives I (bit 7: a request was there) and W2-W0.
 */
static uint8_t poll_read(struct i8259 *pic, struct i8259_chip *c)
{
	int ir = pending(c);

	c->poll = false;
	if (ir < 0)
		return 0;
	chip_ack(c, ir);
	update(pic, false);
	return 0x80 | ir;
}

static uint8_t pic_read(struct i8259 *pic, unsigned int which, unsigned int a0)
{
	struct i8259_chip *c = &pic->chip[which];

	if (c->poll)
		return poll_read(pic, c);
	if (a0)
		return c->imr;
	return c->read_isr ? c->isr : c->irr;
}

/* Registers are 8 bits wide: a wider IN gives zeros above, a wider OUT writes its low byte. */
static uint64_t master_read(void *opaque, uint64_t offset, unsigned int size)
{
	(void)size;
	return pic_read(opaque, 0, offset);
}

static uint64_t slave_read(void *opaque, uint64_t offset, unsigned int size)
{
	(void)size;
	return pic_read(opaque, 1, offset);
}

static int master_write(void *opaque, uint64_t offset, uint64_t value, unsigned int size)
{
	(void)size;
	pic_write(opaque, 0, offset, value);
	return BUS_OK;
}

static int slave_write(void *opaque, uint64_t offset, uint64_t value, unsigned int size)
{
	(void)size;
	pic_write(opaque, 1, offset, value);
	return BUS_OK;
}

static void describe(const struct i8259_chip *c, uint8_t v, char *buf, size_t len)
{
	const char *who = c->master ? "PIC master" : "PIC slave";
	static const char *const ocw2[8] = {
		"AEOI rotation off", "EOI", "OCW2 no-op", "EOI", "AEOI rotation on",
		"rotate EOI", "lowest priority", "rotate EOI",
	};

	switch (c->last_write) {
	case W_ICW1:
		snprintf(buf, len, "%s: ICW1 %s %s%s", who, v & 0x02 ? "single" : "cascade",
			 v & 0x08 ? "level" : "edge", v & 0x01 ? " +ICW4" : "");
		break;
	case W_ICW2:
		snprintf(buf, len, "%s: ICW2 vectors 0x%02x-0x%02x", who, v & 0xf8, (v & 0xf8) + 7);
		break;
	case W_ICW3:
		snprintf(buf, len, c->master ? "%s: ICW3 slaves 0x%02x" : "%s: ICW3 ID %u",
			 who, c->master ? v : v & 7);
		break;
	case W_ICW4:
		snprintf(buf, len, "%s: ICW4 %s%s%s", who, v & 0x01 ? "8086" : "8080",
			 v & 0x02 ? " AEOI" : "", v & 0x10 ? " SFNM" : "");
		break;
	case W_OCW1:
		snprintf(buf, len, "%s: IMR 0x%02x", who, v);
		break;
	case W_OCW2:
		/* SL: a specific level L. */
		if (v & 0x40 && (v >> 5) != 2)
			snprintf(buf, len, "%s: %s %u", who, ocw2[v >> 5], v & 7);
		else
			snprintf(buf, len, "%s: %s", who, ocw2[v >> 5]);
		break;
	case W_OCW3:
		snprintf(buf, len, "%s: OCW3%s%s%s", who, v & 0x04 ? " poll" : "",
			 v & 0x40 ? (v & 0x20 ? " SMM on" : " SMM off") : "",
			 v & 0x02 ? (v & 0x01 ? " read ISR" : " read IRR") : "");
		break;
	}
}

static void master_describe(void *opaque, uint64_t offset, uint64_t value, char *buf, size_t len)
{
	(void)offset;
	describe(&((struct i8259 *)opaque)->chip[0], value, buf, len);
}

static void slave_describe(void *opaque, uint64_t offset, uint64_t value, char *buf, size_t len)
{
	(void)offset;
	describe(&((struct i8259 *)opaque)->chip[1], value, buf, len);
}

/*
 * ELCR (the PC chipsets' edge/level control, one bit per IRQ, 1: level):
 * a 16-bit access at 0x4d0 takes both.
 */
static uint64_t elcr_read(void *opaque, uint64_t offset, unsigned int size)
{
	struct i8259 *pic = opaque;
	uint64_t v = (pic->chip[0].elcr | pic->chip[1].elcr << 8) >> (8 * offset);

	return size > 1 ? v : v & 0xff;
}

static int elcr_write(void *opaque, uint64_t offset, uint64_t value, unsigned int size)
{
	static const uint8_t writable[2] = { ELCR_MASTER_MASK, ELCR_SLAVE_MASK };
	struct i8259 *pic = opaque;
	struct i8259_chip *c;
	unsigned int i;

	for (i = offset; i < 2 && i < offset + size; i++, value >>= 8) {
		c = &pic->chip[i];
		c->elcr = value & writable[i];
		/* A level-triggered request is its line. */
		c->irr = (c->irr & ~level_mask(c)) | (c->lines & level_mask(c));
	}
	update(pic, false);
	return BUS_OK;
}

static void elcr_describe(void *opaque, uint64_t offset, uint64_t value, char *buf, size_t len)
{
	struct i8259 *pic = opaque;

	(void)offset;
	(void)value;
	snprintf(buf, len, "PIC ELCR: master 0x%02x slave 0x%02x", pic->chip[0].elcr,
		 pic->chip[1].elcr);
}

static const struct bus_ops master_ops = {
	.name = "i8259 master",
	.read = master_read,
	.write = master_write,
	.describe = master_describe,
};

static const struct bus_ops slave_ops = {
	.name = "i8259 slave",
	.read = slave_read,
	.write = slave_write,
	.describe = slave_describe,
};

static const struct bus_ops elcr_ops = {
	.name = "i8259 elcr",
	.read = elcr_read,
	.write = elcr_write,
	.describe = elcr_describe,
};

/*
 * Power-on: the datasheet leaves the chips undefined until ICW1. vmm's:
 * as after ICW1 without ICW4, wired as a PC (the slave at the master's
 * IR2), ready for OCWs, and every IR masked so that a guest which never
 * programs them takes no interrupt. ELCR: all edge.
 */
static void chip_reset(struct i8259_chip *c, bool master)
{
	memset(c, 0, sizeof(*c));
	c->master = master;
	write_icw1(c, 0x11);
	c->icw3 = master ? BIT(I8259_CASCADE_IR) : I8259_CASCADE_IR;
	c->imr = 0xff;
	c->init_step = 0;
}

int i8259_attach(struct bus *bus, struct i8259 *pic)
{
	int err;

	memset(pic, 0, sizeof(*pic));
	chip_reset(&pic->chip[0], true);
	chip_reset(&pic->chip[1], false);
	err = bus_register(bus, BUS_PIO, I8259_MASTER, 2, &master_ops, pic);
	if (!err)
		err = bus_register(bus, BUS_PIO, I8259_SLAVE, 2, &slave_ops, pic);
	if (!err)
		err = bus_register(bus, BUS_PIO, I8259_ELCR, 2, &elcr_ops, pic);
	return err;
}
