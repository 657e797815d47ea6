/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The PC's pair of Intel 8259A programmable interrupt controllers, as
 * guests see them: the master at I/O ports 0x20-0x21 (IRQ 0-7), the slave
 * at 0xa0-0xa1 (IRQ 8-15) cascaded on the master's IR2, and the ELCR
 * edge/level control registers at 0x4d0 (master) and 0x4d1 (slave). Pure
 * device logic on the bus, unit-tested on the host through the bus
 * (tests/unit/check_i8259.c). Devices drive its lines through a bus_irq
 * whose set is i8259_set_irq and ctx the pair; vmm asks i8259_intr() when
 * the guest can take an interrupt and i8259_ack() for its vector. All of
 * it runs with the devices' lock (vm->lock) held.
 */
#ifndef VMM_DEVICES_I8259_H
#define VMM_DEVICES_I8259_H

#include <stdbool.h>
#include <stdint.h>

#include "../bus.h"

#define I8259_MASTER		0x20	/* ports 0x20-0x21 */
#define I8259_SLAVE		0xa0	/* ports 0xa0-0xa1 */
#define I8259_ELCR		0x4d0	/* ports 0x4d0 (master), 0x4d1 (slave) */
#define I8259_NR_LINES		16
#define I8259_CASCADE_IR	2	/* the master input the slave's INT drives */

/* One 8259A; the names are the datasheet's. */
struct i8259_chip {
	uint8_t irr;		/* interrupt request register */
	uint8_t isr;		/* in-service register */
	uint8_t imr;		/* interrupt mask register (OCW1) */
	uint8_t lines;		/* the IR inputs' levels */
	uint8_t elcr;		/* edge/level control: a set bit makes that IR level-triggered */
	uint8_t base;		/* ICW2 T7-T3: the vector of IR0 */
	uint8_t icw3;		/* master: the IRs with a slave; slave: its ID */
	uint8_t lowest;		/* the IR of lowest priority (7 after ICW1) */
	uint8_t init_step;	/* the ICW the next odd-port write is (2-4), or 0: OCW1 */
	uint8_t last_write;	/* what the last write was, for describe() */
	bool master;
	bool ltim;		/* ICW1 LTIM: every IR level-triggered */
	bool single;		/* ICW1 SNGL: no cascade, no ICW3 */
	bool icw4;		/* ICW1 IC4: an ICW4 follows */
	bool upm;		/* ICW4 uPM: 8086 mode */
	bool aeoi;		/* ICW4 AEOI: automatic end of interrupt */
	bool sfnm;		/* ICW4 SFNM: special fully nested mode */
	bool rotate_aeoi;	/* OCW2: rotate in automatic EOI mode */
	bool smm;		/* OCW3: special mask mode */
	bool read_isr;		/* OCW3 RR/RIS: an even-port read gives ISR, not IRR */
	bool poll;		/* OCW3 P: the next read is a poll */
	bool int_latch;		/* INT went high and was not acknowledged since */
};

struct i8259 {
	struct i8259_chip chip[2];	/* [0] the master, [1] the slave */
	bool intr;			/* the master's INT output, as last seen */
	/*
	 * Optional, set after i8259_attach(): called (lock held) when INTR
	 * may have gone from low to high, e.g. to kick a halted VCPU.
	 */
	void (*intr_changed)(void *ctx);
	void *ctx;
};

/*
 * Reset pic (every IR masked, edge-triggered, the hook cleared) and give
 * it ports 0x20-0x21, 0xa0-0xa1 and 0x4d0-0x4d1: 0, or a negative errno
 * from bus_register().
 */
int i8259_attach(struct bus *bus, struct i8259 *pic);
/*
 * Interrupt line 0-15 (pic: the struct i8259) is now at level: a
 * struct bus_irq set(). An edge-triggered request is latched on a rising
 * edge and stays until acknowledged, even if the line falls first; a
 * level-triggered one follows the line, and is withdrawn when it falls.
 * Line 2 is the cascade: ignored, as are lines past 15.
 */
void i8259_set_irq(void *pic, unsigned int line, bool level);
/* The master's INT output: the CPU's INTR pin. */
bool i8259_intr(const struct i8259 *pic);
/*
 * The CPU's interrupt acknowledge (INTA): the vector the guest takes, or
 * -1 when INTR is low and was not left high by a request since gone. A
 * level-triggered request whose line fell after it raised INTR gives the
 * default IR7, with no IS bit: the master's (vector base + 7), or the
 * slave's (slave base + 7, the master's IR2 in service) when it was the
 * slave's. A register write in between forgets it: -1.
 */
int i8259_ack(struct i8259 *pic);

#endif
