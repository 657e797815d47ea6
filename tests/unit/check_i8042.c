// SPDX-License-Identifier: GPL-2.0
/*
 * Host unit tests for vmm's 8042 keyboard controller
 * (vmm/devices/i8042.c), driven as a guest drives it: IN and OUT on ports
 * 0x60 and 0x64, through the bus, in the order Linux's i8042, atkbd and
 * psmouse drivers use them.
 */
#include <check.h>

#include "unit.h"
#include <stdio.h>
#include <string.h>

#include "../../vmm/devices/i8042.h"

#define DATA	0x60
#define CMD	0x64
#define OBF	0x01
#define AUX	0x20
#define TIMEOUT	0x40

static struct bus bus;
static struct i8042 kbc;
static int level[16], rises[16];
static int resets;

static void set_irq(void *ctx, unsigned int line, bool l)
{
	ck_assert_ptr_eq(ctx, level);
	ck_assert(line == 1 || line == 12);
	rises[line] += l && !level[line];
	level[line] = l;
}

static void reset_hook(void *ctx)
{
	ck_assert_ptr_eq(ctx, &resets);
	resets++;
}

static void setup(void)
{
	static const struct bus_irq irq1 = { .set = set_irq, .ctx = level, .line = 1 };
	static const struct bus_irq irq12 = { .set = set_irq, .ctx = level, .line = 12 };

	memset(level, 0, sizeof(level));
	memset(rises, 0, sizeof(rises));
	resets = 0;
	bus_init(&bus);
	ck_assert_int_eq(i8042_attach(&bus, &kbc, &irq1, &irq12), 0);
	kbc.reset = reset_hook;
	kbc.ctx = &resets;
}

static uint8_t inb(uint16_t port)
{
	return unit_in(&bus, port, 1);
}

static void outb(uint16_t port, uint8_t v)
{
	unit_out(&bus, port, v, 1);
}

/* As Linux's i8042_wait_read(): the output buffer must be full; then its byte. */
static uint8_t read_data(void)
{
	ck_assert_msg(inb(CMD) & OBF, "output buffer empty");
	return inb(DATA);
}

static void assert_empty(void)
{
	ck_assert_uint_eq(inb(CMD) & OBF, 0);
}

/* i8042_command(): a command, its parameter if any, its answer if any. */
static uint8_t command(uint8_t c)
{
	outb(CMD, c);
	return read_data();
}

static void command_param(uint8_t c, uint8_t param)
{
	outb(CMD, c);
	outb(DATA, param);
}

START_TEST(test_ports)
{
	uint8_t v;
	uint16_t port;

	ck_assert_uint_eq(bus.nr[BUS_PIO], 2);
	ck_assert_uint_eq(bus.range[BUS_PIO][0].base, 0x60);
	ck_assert_uint_eq(bus.range[BUS_PIO][1].base, 0x64);
	for (port = 0x61; port < 0x64; port++)		/* the PIT's and NMI's */
		ck_assert_int_eq(bus_access(&bus, BUS_PIO, port, false, &v, 1, NULL),
				 BUS_NO_DEVICE);
	ck_assert_int_eq(bus_access(&bus, BUS_PIO, 0x65, false, &v, 1, NULL), BUS_NO_DEVICE);
}
END_TEST

START_TEST(test_power_up)
{
	ck_assert_uint_eq(inb(CMD), 0x14);		/* SYS, not inhibited, empty */
	ck_assert_uint_eq(command(0x20), 0x65);		/* kbd interrupt, SYS, aux off, translated */
	ck_assert_uint_eq(command(0xd0), 0xcf);		/* not reset, A20 on */
	ck_assert(i8042_a20(&kbc));
	ck_assert_int_eq(rises[1], 2);			/* each answer raised IRQ 1 */
	ck_assert_int_eq(level[1], 0);
	ck_assert_int_eq(rises[12], 0);
}
END_TEST

/* i8042_controller_check(), _selftest() and _init(), as Linux runs them. */
START_TEST(test_linux_controller_probe)
{
	uint8_t ctr;
	int n;

	for (n = 0; n < 16 && (inb(CMD) & OBF); n++)	/* i8042_flush() */
		inb(DATA);
	ck_assert_int_eq(n, 0);
	ck_assert_uint_eq(command(0xaa), 0x55);
	ctr = command(0x20);
	ck_assert_uint_eq(command(0x20), ctr);		/* a stable CTR */
	ck_assert(inb(CMD) & 0x10);			/* no keylock */
	ctr = (ctr | 0x10) & ~0x01;			/* keyboard port off, no interrupt */
	command_param(0x60, ctr);
	assert_empty();
	ck_assert_uint_eq(command(0x20), 0x74);
	ck_assert_uint_eq(inb(CMD) & 0x04, 0x04);	/* SYS follows CTR bit 2 */
	ck_assert_int_eq(rises[1], 3);			/* until the CTR went: 0x55 and two CTRs */
	ck_assert_int_eq(level[1], 0);
}
END_TEST

/* i8042_check_aux() and i8042_check_mux(): an aux port, no multiplexer. */
START_TEST(test_linux_aux_probe)
{
	command_param(0x60, 0x74);			/* as i8042_controller_init() left it */
	command_param(0xd3, 0x5a);			/* the loopback */
	ck_assert_uint_eq(inb(CMD) & (OBF | AUX), OBF | AUX);
	ck_assert_uint_eq(inb(DATA), 0x5a);
	ck_assert_int_eq(rises[12], 0);			/* AUXINT is off */
	outb(CMD, 0xa7);				/* i8042_toggle_aux(false) */
	ck_assert_uint_eq(command(0x20) & 0x20, 0x20);
	outb(CMD, 0xa8);				/* i8042_toggle_aux(true) */
	ck_assert_uint_eq(command(0x20) & 0x20, 0x00);
	outb(CMD, 0xa7);				/* and off again, from on */
	ck_assert_uint_eq(command(0x20) & 0x20, 0x20);
	outb(CMD, 0xa8);
	/* The IRQ 12 test: the port enabled with its interrupt, then a looped 0xa5. */
	command_param(0x60, 0x56);
	command_param(0xd3, 0xa5);
	ck_assert_int_eq(level[12], 1);
	ck_assert_int_eq(level[1], 0);
	ck_assert_uint_eq(inb(CMD) & (OBF | AUX), OBF | AUX);
	ck_assert_uint_eq(inb(DATA), 0xa5);
	ck_assert_int_eq(level[12], 0);
	command_param(0x60, 0x74);
	/* i8042_set_mux_mode(): a plain loop gives back the third byte too: no MUX. */
	command_param(0xd3, 0xf0);
	ck_assert_uint_eq(read_data(), 0xf0);
	command_param(0xd3, 0x56);
	ck_assert_uint_eq(read_data(), 0x56);
	command_param(0xd3, 0xa4);
	ck_assert_uint_eq(read_data(), 0xa4);
	/* The aux interface test, were the loop to fail: no error. */
	ck_assert_uint_eq(command(0xa9), 0x00);
	ck_assert_uint_eq(command(0xab), 0x00);
}
END_TEST

/* psmouse's first command to the missing mouse fails at once: 0xfe, timeout, IRQ 12. */
START_TEST(test_aux_device_absent)
{
	command_param(0x60, 0x47);			/* i8042_enable_aux_port() */
	command_param(0xd4, 0xf2);			/* PSMOUSE_CMD_GETID */
	ck_assert_int_eq(level[12], 1);
	ck_assert_uint_eq(inb(CMD) & (OBF | AUX | TIMEOUT), OBF | AUX | TIMEOUT);
	ck_assert_uint_eq(inb(DATA), 0xfe);
	ck_assert_int_eq(level[12], 0);
	ck_assert_uint_eq(inb(CMD) & (OBF | AUX | TIMEOUT), 0);
	ck_assert_int_eq(rises[1], 0);
}
END_TEST

/* atkbd_probe() and atkbd_activate() on the keyboard port, IRQ 1 enabled. */
START_TEST(test_keyboard_probe)
{
	static const uint8_t id[] = { 0xfa, 0xab, 0x41 };	/* 0x83, translated */
	unsigned int i;

	command_param(0x60, 0x45);			/* i8042_enable_kbd_port() */
	outb(DATA, 0xf2);				/* ATKBD_CMD_GETID */
	for (i = 0; i < sizeof(id); i++) {
		ck_assert_int_eq(level[1], 1);		/* a new edge for each byte */
		ck_assert_int_eq(rises[1], (int)i + 1);
		ck_assert_uint_eq(read_data(), id[i]);
	}
	ck_assert_int_eq(level[1], 0);
	assert_empty();
	outb(DATA, 0xf5);				/* atkbd_deactivate() */
	ck_assert_uint_eq(read_data(), 0xfa);
	outb(DATA, 0xed);				/* ATKBD_CMD_SETLEDS */
	ck_assert_uint_eq(read_data(), 0xfa);
	outb(DATA, 0x00);
	ck_assert_uint_eq(read_data(), 0xfa);
	outb(DATA, 0xf3);				/* ATKBD_CMD_SETREP */
	ck_assert_uint_eq(read_data(), 0xfa);
	outb(DATA, 0x2b);
	ck_assert_uint_eq(read_data(), 0xfa);
	outb(DATA, 0xf4);				/* ATKBD_CMD_ENABLE */
	ck_assert_uint_eq(read_data(), 0xfa);
	ck_assert(kbc.kbd_scanning);
	assert_empty();
	ck_assert_int_eq(rises[12], 0);
}
END_TEST

START_TEST(test_keyboard_reset_and_others)
{
	outb(DATA, 0xff);				/* ATKBD_CMD_RESET_BAT */
	ck_assert_uint_eq(read_data(), 0xfa);
	ck_assert_uint_eq(read_data(), 0xaa);
	outb(DATA, 0xee);				/* echo */
	ck_assert_uint_eq(read_data(), 0xee);
	outb(DATA, 0xf0);				/* get the scan code set: 2 */
	ck_assert_uint_eq(read_data(), 0xfa);
	outb(DATA, 0x00);
	ck_assert_uint_eq(read_data(), 0xfa);
	ck_assert_uint_eq(read_data(), 0x02);
	outb(DATA, 0xed);				/* a command instead of the parameter */
	outb(DATA, 0xf2);
	ck_assert_uint_eq(read_data(), 0xfa);
	ck_assert_uint_eq(read_data(), 0xfa);
	ck_assert_uint_eq(read_data(), 0xab);
	ck_assert_uint_eq(read_data(), 0x41);
	command_param(0x60, 0x25);			/* untranslated: the ID as the keyboard says it */
	outb(DATA, 0xf2);
	read_data();
	read_data();
	ck_assert_uint_eq(read_data(), 0x83);
	outb(DATA, 0x12);				/* not a command */
	ck_assert_uint_eq(read_data(), 0xfe);
	assert_empty();
}
END_TEST

START_TEST(test_irq1_only_when_enabled)
{
	command_param(0x60, 0x64);			/* KBDINT off */
	outb(DATA, 0xee);
	ck_assert(inb(CMD) & OBF);
	ck_assert_int_eq(level[1], 0);
	command_param(0x60, 0x65);			/* on, with the byte waiting: at once */
	ck_assert_int_eq(level[1], 1);
	ck_assert_uint_eq(inb(DATA), 0xee);
	ck_assert_int_eq(level[1], 0);
	ck_assert_int_eq(rises[1], 1);
	ck_assert_int_eq(rises[12], 0);
}
END_TEST

START_TEST(test_keyboard_port_disabled)
{
	outb(CMD, 0xad);
	ck_assert_uint_eq(command(0x20) & 0x10, 0x10);
	kbc.kbd_count = 0;
	/* What the keyboard sends waits while its port is off... */
	kbc.kbd_queue[0] = 0xaa;
	kbc.kbd_head = 0;
	kbc.kbd_count = 1;
	command_param(0x60, 0x75);
	assert_empty();
	/* ... and comes when it is on again. */
	outb(CMD, 0xae);
	ck_assert_uint_eq(read_data(), 0xaa);
	/* Writing to the keyboard enables its port, as on the real thing. */
	outb(CMD, 0xad);
	outb(DATA, 0xf4);
	ck_assert_uint_eq(read_data(), 0xfa);
	ck_assert_uint_eq(command(0x20) & 0x10, 0x00);
}
END_TEST

START_TEST(test_reset_pulse)
{
	outb(CMD, 0xfe);				/* pulse bit 0: reset */
	ck_assert_int_eq(resets, 1);
	outb(CMD, 0xff);				/* pulse nothing (Linux's a20 "null command") */
	ck_assert_int_eq(resets, 1);
	outb(CMD, 0xf0);				/* pulse all four: reset too */
	ck_assert_int_eq(resets, 2);
	command_param(0xd1, 0xdd);			/* A20 off, not reset */
	ck_assert(!i8042_a20(&kbc));
	ck_assert_int_eq(resets, 2);
	command_param(0xd1, 0xdf);			/* as Linux's boot a20.c: A20 on */
	ck_assert(i8042_a20(&kbc));
	ck_assert_uint_eq(command(0xd0), 0xcf);
	command_param(0xd1, 0xfe);			/* bit 0 clear: reset */
	ck_assert_int_eq(resets, 3);
	ck_assert_uint_eq(command(0xd0) & 0x01, 0x01);	/* a pulse: the line came back */
	kbc.reset = NULL;
	outb(CMD, 0xfe);				/* no hook: nothing happens */
	ck_assert_int_eq(resets, 3);
}
END_TEST

START_TEST(test_status_and_ram)
{
	outb(CMD, 0xa8);
	ck_assert_uint_eq(inb(CMD) & 0x08, 0x08);	/* A2: a command came last */
	outb(DATA, 0xf6);
	ck_assert_uint_eq(inb(CMD) & 0x08, 0x00);
	read_data();
	ck_assert_uint_eq(inb(CMD) & 0x02, 0);		/* IBF: never full */
	command_param(0x7f, 0x5a);			/* controller RAM byte 31 */
	ck_assert_uint_eq(command(0x3f), 0x5a);
	ck_assert_uint_eq(command(0x20), 0x45);		/* the command byte untouched but aux on */
	command_param(0xd2, 0x1c);			/* as if the keyboard sent it */
	ck_assert_uint_eq(inb(CMD) & (OBF | AUX), OBF);
	ck_assert_uint_eq(inb(DATA), 0x1c);
	ck_assert_uint_eq(inb(DATA), 0x1c);		/* an empty buffer reads its last byte */
	outb(CMD, 0xc0);				/* not modelled: no answer */
	assert_empty();
}
END_TEST

START_TEST(test_trace_describe)
{
	const struct bus_range *c = bus_find(&bus, BUS_PIO, CMD);
	const struct bus_range *d = bus_find(&bus, BUS_PIO, DATA);
	char note[48] = "";

	c->ops->describe(c->opaque, 0, 0xfe, note, sizeof(note));
	ck_assert_str_eq(note, "i8042 command 0xfe: pulse reset line");
	command_param(0xd1, 0xdf);
	d->ops->describe(d->opaque, 0, 0xdf, note, sizeof(note));
	ck_assert_str_eq(note, "i8042 output port 0xdf: A20 on");
	command_param(0x60, 0x47);
	d->ops->describe(d->opaque, 0, 0x47, note, sizeof(note));
	ck_assert_str_eq(note, "i8042 write command byte: 0x47");
	outb(DATA, 0xf2);
	d->ops->describe(d->opaque, 0, 0xf2, note, sizeof(note));
	ck_assert_str_eq(note, "to the keyboard: 0xf2");
}
END_TEST

int main(void)
{
	Suite *su = suite_create("i8042");
	TCase *tc = tcase_create("kbc");

	tcase_add_checked_fixture(tc, setup, NULL);
	tcase_add_test(tc, test_ports);
	tcase_add_test(tc, test_power_up);
	tcase_add_test(tc, test_linux_controller_probe);
	tcase_add_test(tc, test_linux_aux_probe);
	tcase_add_test(tc, test_aux_device_absent);
	tcase_add_test(tc, test_keyboard_probe);
	tcase_add_test(tc, test_keyboard_reset_and_others);
	tcase_add_test(tc, test_irq1_only_when_enabled);
	tcase_add_test(tc, test_keyboard_port_disabled);
	tcase_add_test(tc, test_reset_pulse);
	tcase_add_test(tc, test_status_and_ram);
	tcase_add_test(tc, test_trace_describe);
	suite_add_tcase(su, tc);
	return unit_run(su);
}
