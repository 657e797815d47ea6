// SPDX-License-Identifier: GPL-2.0
/*
 * Host unit tests for vmm's 8259A pair and ELCR (vmm/devices/i8259.c),
 * driven as a guest drives them: IN and OUT on their ports, through the
 * bus; the devices' lines through i8259_set_irq(), the CPU's INTR and
 * INTA through i8259_intr() and i8259_ack(). The expected values follow
 * the Intel 8259A datasheet.
 */
#include <check.h>

#include "unit.h"
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "../../vmm/devices/i8259.h"

#define M_CMD	0x20	/* master: ICW1, OCW2, OCW3; IRR/ISR */
#define M_DATA	0x21	/* master: ICW2-4, OCW1 (IMR) */
#define S_CMD	0xa0
#define S_DATA	0xa1
#define ELCR_M	0x4d0
#define ELCR_S	0x4d1

#define OCW3_READ_IRR	0x0a
#define OCW3_READ_ISR	0x0b
#define OCW3_POLL	0x0c
#define OCW3_SMM_ON	0x68
#define OCW3_SMM_OFF	0x48
#define EOI		0x20	/* OCW2: non-specific EOI */

static struct bus bus;
static struct i8259 pic;
static int kicks;

static void setup(void)
{
	bus_init(&bus);
	ck_assert_int_eq(i8259_attach(&bus, &pic), 0);
	kicks = 0;
}

static uint8_t inb(uint16_t port)
{
	return unit_in(&bus, port, 1);
}

static void outb(uint16_t port, uint8_t v)
{
	unit_out(&bus, port, v, 1);
}

static void irq(unsigned int line, bool level)
{
	i8259_set_irq(&pic, line, level);
}

/* An edge: the line falls (if it was high) and rises. */
static void pulse_up(unsigned int line)
{
	irq(line, false);
	irq(line, true);
}

/* OCW3 RR/RIS, then the register it selects. */
static uint8_t read_reg(uint16_t cmd, uint8_t ocw3)
{
	outb(cmd, ocw3);
	return inb(cmd);
}

#define read_isr(cmd)		read_reg(cmd, OCW3_READ_ISR)
#define read_irr(cmd)		read_reg(cmd, OCW3_READ_IRR)

#define ACK(v)			ck_assert_int_eq(i8259_ack(&pic), v)
#define INTR(b)			ck_assert_int_eq(i8259_intr(&pic), b)
/* Line n rises and the CPU takes the interrupt: vector v. */
#define RAISE_ACK(n, v)		do { irq(n, true); ACK(v); } while (0)
#define ISR_EQ(m, s)		do { ck_assert_uint_eq(read_isr(M_CMD), m); \
				     ck_assert_uint_eq(read_isr(S_CMD), s); } while (0)

/* A slave interrupt's end, as Linux does it: the slave, then the master. */
static void eoi_both(void)
{
	outb(S_CMD, EOI);
	outb(M_CMD, EOI);
}

/* A chip's ICW1-ICW4 (ICW3 and ICW4 only if ICW1 asks for them). */
static void init_chip(uint16_t cmd, uint8_t icw1, uint8_t icw2, uint8_t icw3, uint8_t icw4)
{
	outb(cmd, icw1);
	outb(cmd + 1, icw2);
	if (!(icw1 & 0x02))
		outb(cmd + 1, icw3);
	if (icw1 & 0x01)
		outb(cmd + 1, icw4);
}

/* Linux's init_8259A(): vectors 0x30 and 0x38, the slave on IR2, 8086 mode. */
static void init_linux(void)
{
	init_chip(M_CMD, 0x11, 0x30, 0x04, 0x01);
	init_chip(S_CMD, 0x11, 0x38, 0x02, 0x01);
}

START_TEST(test_ports)
{
	static const uint64_t base[3] = { 0x20, 0xa0, 0x4d0 };
	uint8_t d[2] = { 0xfb, 0x12 };
	unsigned int i;

	ck_assert_uint_eq(bus.nr[BUS_PIO], 3);
	for (i = 0; i < 3; i++) {
		ck_assert_uint_eq(bus.range[BUS_PIO][i].base, base[i]);
		ck_assert_uint_eq(bus.range[BUS_PIO][i].len, 2);
	}
	ck_assert_int_eq(i8259_attach(&bus, &(struct i8259){ 0 }), -EBUSY);
	/* 8-bit registers: a wider OUT writes its low byte, a wider IN reads zeros above. */
	ck_assert_int_eq(bus_access(&bus, BUS_PIO, M_DATA, true, d, 2, NULL), BUS_OK);
	ck_assert_int_eq(bus_access(&bus, BUS_PIO, M_DATA, false, d, 2, NULL), BUS_OK);
	ck_assert_uint_eq(bus_value(d, 2), 0x00fb);
}
END_TEST

START_TEST(test_power_on)
{
	/* Before any ICW: every IR masked, all edge, no INTR. */
	ck_assert_uint_eq(inb(M_DATA), 0xff);
	ck_assert_uint_eq(inb(S_DATA), 0xff);
	ck_assert_uint_eq(inb(ELCR_M), 0);
	ck_assert_uint_eq(inb(ELCR_S), 0);
	irq(1, true);
	INTR(false);
	ck_assert_uint_eq(inb(M_CMD), 0x02);	/* IRR, not affected by IMR */
	ACK(-1);
	/* Line 2 is the cascade, not a device's; there is no line 16. */
	irq(2, true);
	irq(16, true);
	ck_assert_uint_eq(inb(M_CMD), 0x02);
	irq(15, true);
	ck_assert_uint_eq(inb(S_CMD), 0x80);
}
END_TEST

START_TEST(test_linux_init)
{
	init_linux();
	ck_assert_uint_eq(inb(M_DATA), 0x00);	/* ICW1 cleared IMR */
	ck_assert_uint_eq(inb(S_DATA), 0x00);
	INTR(false);
	irq(0, true);
	INTR(true);
	ACK(0x30);
	INTR(false);
	ISR_EQ(0x01, 0x00);
	ck_assert_uint_eq(read_irr(M_CMD), 0x00);	/* edge: reset by the INTA */
	outb(M_CMD, EOI);
	ISR_EQ(0x00, 0x00);
	INTR(false);
	ACK(-1);
}
END_TEST

START_TEST(test_mask)
{
	/* Linux's probe_8259A(): mask the slave, write 0xfb to the master's IMR, read it. */
	outb(S_DATA, 0xff);
	outb(M_DATA, 0xfb);
	ck_assert_uint_eq(inb(M_DATA), 0xfb);
	ck_assert_uint_eq(inb(S_DATA), 0xff);
	init_linux();
	outb(M_DATA, 0x08);
	irq(3, true);
	INTR(false);				/* masked */
	ACK(-1);
	ck_assert_uint_eq(read_irr(M_CMD), 0x08);
	outb(M_DATA, 0x00);
	INTR(true);				/* the request waited in IRR */
	ACK(0x33);
	/* The slave's mask holds off its own IRs, the master's IR2 all of the slave's. */
	outb(S_DATA, 0x10);
	irq(12, true);
	ck_assert_uint_eq(read_irr(S_CMD), 0x10);
	outb(M_CMD, EOI);
	INTR(false);
	outb(M_DATA, 0x04);
	outb(S_DATA, 0x00);
	INTR(false);
	outb(M_DATA, 0x00);
	ACK(0x3c);
}
END_TEST

START_TEST(test_fully_nested)
{
	init_linux();
	RAISE_ACK(0, 0x30);
	irq(1, true);
	INTR(false);				/* IR1 held off while IR0 is in service */
	outb(M_CMD, EOI);
	INTR(true);
	ACK(0x31);
	pulse_up(1);
	INTR(false);				/* an equal level too */
	pulse_up(0);
	INTR(true);				/* a higher one interrupts */
	ACK(0x30);
	ck_assert_uint_eq(read_isr(M_CMD), 0x03);
	outb(M_CMD, EOI);			/* resets the highest IS bit: IR0 */
	ck_assert_uint_eq(read_isr(M_CMD), 0x02);
	INTR(false);				/* IR1 still in service */
	outb(M_CMD, EOI);
	ACK(0x31);
}
END_TEST

START_TEST(test_cascade)
{
	init_linux();
	irq(12, true);
	INTR(true);
	ck_assert_uint_eq(read_irr(M_CMD), 0x04);	/* the slave's INT on IR2 */
	ck_assert_uint_eq(read_irr(S_CMD), 0x10);
	ACK(0x3c);
	ISR_EQ(0x04, 0x10);
	eoi_both();
	ISR_EQ(0x00, 0x00);
	INTR(false);
	/* IR2 ranks above IR3: a slave request interrupts IRQ 3's handler. */
	RAISE_ACK(3, 0x33);
	RAISE_ACK(14, 0x3e);
	ISR_EQ(0x0c, 0x40);
	eoi_both();
	outb(M_CMD, EOI);
	/* Two slave requests: IRQ 8 first; IRQ 15 after the EOI to both. */
	irq(15, true);
	RAISE_ACK(8, 0x38);
	outb(S_CMD, EOI);
	INTR(false);				/* the master's IR2 is still in service */
	outb(M_CMD, EOI);
	ACK(0x3f);
	eoi_both();
	/* The master's ICW1 with the slave's INT high: IR2 must rise again. */
	pulse_up(12);
	INTR(true);
	init_chip(M_CMD, 0x11, 0x30, 0x04, 0x01);
	INTR(false);
	irq(2, false);				/* not a device's line: no edge */
	INTR(false);
	outb(S_DATA, 0x10);
	outb(S_DATA, 0x00);
	ACK(0x3c);
}
END_TEST

START_TEST(test_edge_vs_level)
{
	init_linux();
	outb(ELCR_M, 0x20);			/* IRQ 5 level-triggered */
	RAISE_ACK(5, 0x35);
	ck_assert_uint_eq(read_irr(M_CMD), 0x20);	/* the line is still high */
	outb(M_CMD, EOI);
	ACK(0x35);				/* held: requests again */
	irq(5, false);
	ck_assert_uint_eq(read_irr(M_CMD), 0x00);
	outb(M_CMD, EOI);
	INTR(false);
	/* IRQ 4, edge: a line held high after the EOI is no new request. */
	RAISE_ACK(4, 0x34);
	ck_assert_uint_eq(read_irr(M_CMD), 0x00);
	outb(M_CMD, EOI);
	irq(4, true);				/* still high: no edge */
	INTR(false);
	pulse_up(4);
	ACK(0x34);
	outb(M_CMD, EOI);
	/* Held high after its edge was taken, it requests again once level-triggered. */
	outb(ELCR_M, 0x30);
	ck_assert_uint_eq(read_irr(M_CMD), 0x10);
	ACK(0x34);
	/* ICW1 LTIM: every IR of that chip is level-triggered, ELCR or not. */
	irq(4, false);
	irq(5, false);
	init_chip(M_CMD, 0x19, 0x30, 0x04, 0x01);
	init_chip(S_CMD, 0x11, 0x38, 0x02, 0x01);
	RAISE_ACK(0, 0x30);
	outb(M_CMD, EOI);
	ACK(0x30);
	irq(0, false);
	outb(M_CMD, EOI);
	INTR(false);
	RAISE_ACK(9, 0x39);			/* the slave's stay edge-triggered */
	eoi_both();
	INTR(false);
}
END_TEST

START_TEST(test_elcr)
{
	uint8_t d[2] = { 0x18, 0x8c };

	init_linux();
	outb(ELCR_M, 0xff);
	outb(ELCR_S, 0xff);
	ck_assert_uint_eq(inb(ELCR_M), 0xf8);	/* IRQ 0, 1, 2 always edge */
	ck_assert_uint_eq(inb(ELCR_S), 0xde);	/* IRQ 8 and 13 always edge */
	RAISE_ACK(13, 0x3d);
	eoi_both();
	INTR(false);				/* IRQ 13 held high: edge */
	RAISE_ACK(9, 0x39);
	eoi_both();
	ACK(0x39);				/* IRQ 9 held high: level */
	/* A 16-bit access at 0x4d0 takes both registers. */
	ck_assert_int_eq(bus_access(&bus, BUS_PIO, ELCR_M, true, d, 2, NULL), BUS_OK);
	ck_assert_uint_eq(inb(ELCR_M), 0x18);
	ck_assert_uint_eq(inb(ELCR_S), 0x8c);
	d[0] = d[1] = 0;
	ck_assert_int_eq(bus_access(&bus, BUS_PIO, ELCR_M, false, d, 2, NULL), BUS_OK);
	ck_assert_uint_eq(bus_value(d, 2), 0x8c18);
	init_linux();				/* ICW1 leaves ELCR alone */
	ck_assert_uint_eq(inb(ELCR_M), 0x18);
}
END_TEST

START_TEST(test_ocw2)
{
	init_linux();
	RAISE_ACK(3, 0x33);
	RAISE_ACK(1, 0x31);
	ck_assert_uint_eq(read_isr(M_CMD), 0x0a);
	outb(M_CMD, 0x63);			/* specific EOI, IR3: not the highest */
	ck_assert_uint_eq(read_isr(M_CMD), 0x02);
	outb(M_CMD, 0x65);			/* IR5 is not in service: no change */
	outb(M_CMD, 0x40);			/* OCW2 no operation */
	ck_assert_uint_eq(read_isr(M_CMD), 0x02);
	outb(M_CMD, 0x61);
	ck_assert_uint_eq(read_isr(M_CMD), 0x00);
	/* Rotate on non-specific EOI: IR0, just served, becomes the lowest. */
	RAISE_ACK(0, 0x30);
	outb(M_CMD, 0xa0);
	ck_assert_uint_eq(read_isr(M_CMD), 0x00);
	pulse_up(0);
	RAISE_ACK(5, 0x35);			/* 1..7 now rank above 0 */
	INTR(false);				/* IR0 is below IR5 in service */
	outb(M_CMD, EOI);
	ACK(0x30);
	outb(M_CMD, EOI);
	/* Set priority: IR4 the lowest, so 5, 6, 7, 0, 1, 2, 3, 4. */
	outb(M_CMD, 0xc4);
	pulse_up(3);
	ACK(0x33);
	irq(6, true);
	INTR(true);				/* IR6 ranks above IR3 now */
	ACK(0x36);
	outb(M_CMD, EOI);			/* the highest IS bit by rank: IR6 */
	ck_assert_uint_eq(read_isr(M_CMD), 0x08);
	/* Rotate on specific EOI: IR3 out of service and the lowest: 4, 5, ... 3. */
	outb(M_CMD, 0xe3);
	ck_assert_uint_eq(read_isr(M_CMD), 0x00);
	pulse_up(1);
	RAISE_ACK(4, 0x34);
	outb(M_CMD, EOI);
	ACK(0x31);
}
END_TEST

START_TEST(test_auto_eoi)
{
	init_chip(M_CMD, 0x11, 0x30, 0x04, 0x03);	/* ICW4: 8086, AEOI */
	init_chip(S_CMD, 0x11, 0x38, 0x02, 0x01);
	RAISE_ACK(1, 0x31);
	ck_assert_uint_eq(read_isr(M_CMD), 0x00);
	RAISE_ACK(3, 0x33);			/* nothing in service holds it off */
	/* Rotate in AEOI mode: each level acknowledged becomes the lowest. */
	outb(M_CMD, 0x80);
	irq(5, true);
	RAISE_ACK(0, 0x30);
	pulse_up(0);
	ACK(0x35);				/* 0 is the lowest now */
	ACK(0x30);				/* 5 is, then */
	ck_assert_uint_eq(read_isr(M_CMD), 0x00);
	/* Cleared: IR0 stays the lowest, IR3 does not become it. */
	outb(M_CMD, 0x00);
	pulse_up(3);
	ACK(0x33);
	irq(4, true);
	pulse_up(1);
	ACK(0x31);				/* rotated, IR4 would come first */
	/* The slave's INT falls with each INTA: a request still there is a new edge on IR2. */
	init_chip(M_CMD, 0x11, 0x30, 0x04, 0x01);
	init_chip(S_CMD, 0x11, 0x38, 0x02, 0x03);
	irq(12, true);
	RAISE_ACK(9, 0x39);
	ck_assert_uint_eq(read_isr(S_CMD), 0x00);
	INTR(false);
	outb(M_CMD, EOI);
	ACK(0x3c);
}
END_TEST

START_TEST(test_poll)
{
	init_linux();
	irq(3, true);
	irq(5, true);
	outb(M_CMD, OCW3_POLL);
	ck_assert_uint_eq(inb(M_CMD), 0x83);	/* I, and W2-W0 = 3 */
	ck_assert_uint_eq(inb(M_CMD), 0x20);	/* one read only: IRR again */
	ck_assert_uint_eq(read_isr(M_CMD), 0x08);	/* acknowledged as by INTA */
	outb(M_CMD, OCW3_POLL);
	ck_assert_uint_eq(inb(M_CMD), 0x00);	/* IR5 is held off: no request */
	outb(M_CMD, EOI);
	outb(M_CMD, OCW3_POLL);
	ck_assert_uint_eq(inb(M_DATA), 0x85);	/* either port */
	ck_assert_uint_eq(inb(M_DATA), 0x00);	/* IMR again */
	outb(M_CMD, EOI);
	/* The master's poll gives IR2; the slave must be polled for its IR. */
	irq(10, true);
	outb(M_CMD, OCW3_POLL);
	ck_assert_uint_eq(inb(M_CMD), 0x82);
	outb(S_CMD, OCW3_POLL);
	ck_assert_uint_eq(inb(S_CMD), 0x82);
	ISR_EQ(0x04, 0x04);
	INTR(false);
}
END_TEST

START_TEST(test_read_irr_isr_imr)
{
	init_linux();
	RAISE_ACK(1, 0x31);
	irq(4, true);
	ck_assert_uint_eq(inb(M_CMD), 0x10);	/* IRR selected by ICW1 */
	outb(M_CMD, OCW3_READ_ISR);
	ck_assert_uint_eq(inb(M_CMD), 0x02);
	ck_assert_uint_eq(inb(M_CMD), 0x02);	/* stays selected */
	outb(M_CMD, 0x08);			/* OCW3, RR = 0: no change */
	ck_assert_uint_eq(inb(M_CMD), 0x02);
	outb(M_DATA, 0x5a);
	ck_assert_uint_eq(inb(M_DATA), 0x5a);	/* the odd port: IMR */
	outb(M_CMD, OCW3_READ_IRR);
	ck_assert_uint_eq(inb(M_CMD), 0x10);
	irq(6, true);
	ck_assert_uint_eq(inb(M_CMD), 0x50);	/* masked requests too */
}
END_TEST

START_TEST(test_special_mask_mode)
{
	init_linux();
	RAISE_ACK(3, 0x33);
	irq(5, true);
	outb(M_DATA, 0x08);			/* mask IR3, in service */
	INTR(false);				/* without SMM it still holds off IR5 */
	outb(M_CMD, OCW3_SMM_ON);
	INTR(true);				/* a lower level gets through */
	ACK(0x35);
	ck_assert_uint_eq(read_isr(M_CMD), 0x28);
	outb(M_CMD, EOI);			/* skips the masked IR3 */
	ck_assert_uint_eq(read_isr(M_CMD), 0x08);
	outb(M_CMD, OCW3_SMM_OFF);
	irq(6, true);
	INTR(false);				/* IR3 holds it off again */
	outb(M_CMD, EOI);
	ck_assert_uint_eq(read_isr(M_CMD), 0x00);
	ACK(0x36);
}
END_TEST

START_TEST(test_spurious)
{
	init_linux();
	outb(ELCR_M, 0x20);			/* IRQ 5 level-triggered */
	irq(5, true);
	INTR(true);
	irq(5, false);				/* gone before the INTA */
	INTR(false);
	ck_assert_uint_eq(inb(M_CMD), 0x00);	/* IRR */
	ACK(0x37);				/* the default IR7 */
	ck_assert_uint_eq(read_isr(M_CMD), 0x00);	/* with no IS bit */
	ACK(-1);
	RAISE_ACK(7, 0x37);			/* a real IRQ 7 sets its IS bit */
	ck_assert_uint_eq(read_isr(M_CMD), 0x80);
	outb(M_CMD, EOI);
	/* The slave's: its IR7, with the master's IR2 in service. */
	outb(ELCR_S, 0x04);			/* IRQ 10 level-triggered */
	irq(10, true);
	irq(10, false);
	ACK(0x3f);
	ISR_EQ(0x04, 0x00);
	outb(M_CMD, EOI);
	ACK(-1);
	/* A register write between the fall and the INTA forgets the request. */
	irq(5, true);
	irq(5, false);
	outb(M_DATA, 0x00);
	ACK(-1);
}
END_TEST

START_TEST(test_edge_latched)
{
	/* An edge stays latched when its line falls before the INTA (the 8254's pulses). */
	init_linux();
	irq(0, true);
	irq(0, false);
	ck_assert_uint_eq(read_irr(M_CMD), 0x01);
	ACK(0x30);
	outb(M_CMD, EOI);
	irq(11, true);
	irq(11, false);
	ACK(0x3b);
	ck_assert_uint_eq(read_isr(S_CMD), 0x08);
	eoi_both();
	/* But the slave's INT on IR2 is exact: masking the slave's request withdraws it. */
	irq(11, true);
	INTR(true);
	outb(S_DATA, 0x08);
	INTR(false);
	ck_assert_uint_eq(read_irr(M_CMD), 0x00);
	ACK(-1);
}
END_TEST

START_TEST(test_reset_by_icw1)
{
	init_linux();
	outb(ELCR_M, 0x20);			/* IRQ 5 level */
	outb(M_CMD, 0xc2);			/* IR2 the lowest */
	outb(M_CMD, OCW3_SMM_ON);
	outb(M_CMD, OCW3_READ_ISR);
	RAISE_ACK(3, 0x33);
	irq(6, true);
	irq(5, true);
	outb(M_DATA, 0xff);
	ck_assert_uint_eq(inb(M_CMD), 0x08);	/* ISR, as selected */
	init_chip(M_CMD, 0x11, 0x30, 0x04, 0x01);
	ck_assert_uint_eq(inb(M_DATA), 0x00);	/* IMR cleared */
	ck_assert_uint_eq(inb(M_CMD), 0x20);	/* IRR selected: the level line only */
	ck_assert_uint_eq(read_isr(M_CMD), 0x00);
	ACK(0x35);
	irq(5, false);
	outb(M_CMD, EOI);
	INTR(false);				/* IR6 is high but must rise again */
	pulse_up(6);
	ACK(0x36);
	outb(M_CMD, EOI);
	irq(4, true);
	RAISE_ACK(1, 0x31);			/* IR7 the lowest again: IR1 before IR4 */
	/* Special mask mode off: masking IR1 in service does not let IR4 through. */
	outb(M_DATA, 0x02);
	INTR(false);
}
END_TEST

START_TEST(test_icw_sequences)
{
	/* ICW2's low 3 bits are ignored in 8086 mode. */
	init_chip(M_CMD, 0x11, 0x35, 0x04, 0x03);
	RAISE_ACK(1, 0x31);
	/* No IC4: ICW2, ICW3, then OCW1; AEOI is off. */
	init_chip(M_CMD, 0x10, 0x40, 0x04, 0);
	outb(M_DATA, 0xaa);
	ck_assert_uint_eq(inb(M_DATA), 0xaa);
	outb(M_DATA, 0x00);
	pulse_up(1);
	ACK(0x41);
	ck_assert_uint_eq(read_isr(M_CMD), 0x02);
	/* Single (SNGL): no ICW3, ICW4 next; IR2 is the master's own. */
	init_chip(M_CMD, 0x13, 0x50, 0, 0x03);
	outb(M_DATA, 0xa0);
	ck_assert_uint_eq(inb(M_DATA), 0xa0);
	init_chip(S_CMD, 0x11, 0x38, 0x02, 0x01);
	RAISE_ACK(10, 0x52);
	ck_assert_uint_eq(read_isr(S_CMD), 0x00);	/* the slave gave nothing */
	/* Single, no IC4: ICW2 then OCW1. */
	init_chip(M_CMD, 0x12, 0x60, 0, 0);
	outb(M_DATA, 0x77);
	ck_assert_uint_eq(inb(M_DATA), 0x77);
}
END_TEST

START_TEST(test_special_fully_nested)
{
	/* Fully nested: a higher slave request waits while IR2 is in service. */
	init_linux();
	RAISE_ACK(12, 0x3c);
	irq(9, true);
	INTR(false);
	/* ICW4 SFNM on the master: it is taken. */
	init_chip(M_CMD, 0x11, 0x30, 0x04, 0x11);
	init_chip(S_CMD, 0x11, 0x38, 0x02, 0x01);
	irq(9, false);
	irq(12, false);
	RAISE_ACK(12, 0x3c);
	irq(14, true);
	INTR(false);				/* lower than IR4 in the slave */
	RAISE_ACK(9, 0x39);
	ISR_EQ(0x04, 0x12);
}
END_TEST

static void kick(void *ctx)
{
	ck_assert_ptr_eq(ctx, &kicks);
	kicks++;
}

START_TEST(test_intr_hook)
{
	pic.intr_changed = kick;
	pic.ctx = &kicks;
	init_linux();
	ck_assert_int_eq(kicks, 0);
	irq(0, true);
	ck_assert_int_eq(kicks, 1);
	irq(1, true);				/* INTR was high already */
	ACK(0x30);
	ck_assert_int_eq(kicks, 1);
	outb(M_CMD, EOI);			/* IR1 now gets through */
	ck_assert_int_eq(kicks, 2);
	ACK(0x31);
	outb(M_CMD, EOI);
	ck_assert_int_eq(kicks, 2);
}
END_TEST

/* The OUT, then what vmm --trace says of it. */
static const char *traced(uint16_t port, uint8_t v)
{
	static char note[48];
	const struct bus_range *r = bus_find(&bus, BUS_PIO, port);

	outb(port, v);
	note[0] = '\0';
	r->ops->describe(r->opaque, port - r->base, v, note, sizeof(note));
	return note;
}

START_TEST(test_describe)
{
	ck_assert_str_eq(traced(M_CMD, 0x11), "PIC master: ICW1 cascade edge +ICW4");
	ck_assert_str_eq(traced(M_DATA, 0x30), "PIC master: ICW2 vectors 0x30-0x37");
	ck_assert_str_eq(traced(M_DATA, 0x04), "PIC master: ICW3 slaves 0x04");
	ck_assert_str_eq(traced(M_DATA, 0x01), "PIC master: ICW4 8086");
	ck_assert_str_eq(traced(M_DATA, 0xfb), "PIC master: IMR 0xfb");
	ck_assert_str_eq(traced(M_CMD, 0x20), "PIC master: EOI");
	ck_assert_str_eq(traced(M_CMD, 0x63), "PIC master: EOI 3");
	ck_assert_str_eq(traced(M_CMD, 0xa0), "PIC master: rotate EOI");
	ck_assert_str_eq(traced(M_CMD, 0xc7), "PIC master: lowest priority 7");
	ck_assert_str_eq(traced(M_CMD, 0x80), "PIC master: AEOI rotation on");
	ck_assert_str_eq(traced(M_CMD, 0x6c), "PIC master: OCW3 poll SMM on");
	ck_assert_str_eq(traced(M_CMD, 0x0b), "PIC master: OCW3 read ISR");
	ck_assert_str_eq(traced(S_CMD, 0x1b), "PIC slave: ICW1 single level +ICW4");
	ck_assert_str_eq(traced(S_DATA, 0x38), "PIC slave: ICW2 vectors 0x38-0x3f");
	ck_assert_str_eq(traced(S_DATA, 0x13), "PIC slave: ICW4 8086 AEOI SFNM");
	outb(S_CMD, 0x11);
	outb(S_DATA, 0x38);
	ck_assert_str_eq(traced(S_DATA, 0x02), "PIC slave: ICW3 ID 2");
	ck_assert_str_eq(traced(ELCR_M, 0xff), "PIC ELCR: master 0xf8 slave 0x00");
}
END_TEST

int main(void)
{
	const TTest *tests[] = {
		test_ports, test_power_on, test_linux_init, test_mask, test_fully_nested,
		test_cascade, test_edge_vs_level, test_elcr, test_ocw2, test_auto_eoi,
		test_poll, test_read_irr_isr_imr, test_special_mask_mode, test_spurious,
		test_edge_latched, test_reset_by_icw1, test_icw_sequences,
		test_special_fully_nested, test_intr_hook, test_describe,
	};
	Suite *su = suite_create("i8259");
	TCase *tc = tcase_create("8259a");
	unsigned int i;

	tcase_add_checked_fixture(tc, setup, NULL);
	for (i = 0; i < sizeof(tests) / sizeof(tests[0]); i++)
		tcase_add_test(tc, tests[i]);
	suite_add_tcase(su, tc);
	return unit_run(su);
}
