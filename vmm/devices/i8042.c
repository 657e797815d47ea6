// SPDX-License-Identifier: GPL-2.0
/*
 * The 8042 keyboard controller at 0x60 and 0x64; see i8042.h. Runs in the
 * VCPU thread whose IN or OUT reached it, with the devices' lock held.
 * Registers and commands from the IBM PS/2 Hardware Interface Technical
 * Reference, "Keyboard/Auxiliary Device Controller"; what Linux asks of
 * it from drivers/input/serio/i8042.c (the probe) and libps2/atkbd/psmouse.
 *
 * The controller acts at once: the input buffer is never full (IBF 0). Its
 * output buffer takes a byte the controller made (a command's answer, a
 * 0xd2/0xd3 echo) first, then the keyboard's while its interface is
 * enabled; IRQ 1 or 12 follows a full buffer as the command byte enables
 * them, so each byte read lets the next one raise a fresh edge.
 *
 * The keyboard: present, an MF2 keyboard (ID 0xab 0x83) that answers every
 * command Linux's atkbd sends but never has a key to send (vmm's console
 * is the UART). The other honest choice, no keyboard, would answer every
 * byte with the controller's 0xfe and the timeout bit, which atkbd takes
 * as a NAK and gives up as fast; but a keyboard that answers gives the
 * guest an input device that behaves, and the same probe a PC gives it.
 *
 * No auxiliary device (mouse): the port's own loopback (0xd3) works, so
 * Linux's i8042_check_aux() and its IRQ 12 test pass at once and it
 * registers the port; each byte sent to the device (0xd4) then comes back
 * at once as 0xfe with the timeout bit, which libps2 takes as a failed
 * command without waiting: psmouse's probe fails in microseconds.
 *
 * Not modelled: the input port (0xc0) and test inputs (0xe0), the
 * password and multiplexing commands (no answer: Linux's MUX probe sees a
 * plain controller), scan codes and typematic repeat (no keys), and the
 * keyboard's resend (0xfe is answered with 0xfe, like any unknown command).
 */
#include <stdio.h>
#include <string.h>

#include "i8042.h"

#define STR_OBF		0x01	/* output buffer full */
#define STR_SYS		0x04	/* system flag: self-test passed */
#define STR_CMD		0x08	/* A2: the last write was a command (port 0x64) */
#define STR_KEYLOCK	0x10	/* 1: the keyboard is not inhibited */
#define STR_AUXDATA	0x20	/* the output buffer holds the aux device's byte */
#define STR_TIMEOUT	0x40
#define CTR_KBDINT	0x01
#define CTR_AUXINT	0x02
#define CTR_SYS		0x04
#define CTR_KBDDIS	0x10
#define CTR_AUXDIS	0x20
#define CTR_XLATE	0x40
#define OUT_RESET	0x01	/* the CPU's reset line, active low */
#define OUT_A20		0x02
#define OUT_OBF		0x10	/* IRQ 1 */
#define OUT_AUX_OBF	0x20	/* IRQ 12 */

#define KBD_ACK		0xfa
#define KBD_RESEND	0xfe
#define KBD_BAT_OK	0xaa	/* basic assurance test passed */

static void kbc_update_irq(struct i8042 *kbc)
{
	bool full = kbc->status & STR_OBF, aux = kbc->status & STR_AUXDATA;
	bool l1 = full && !aux && (kbc->ram[0] & CTR_KBDINT);
	bool l12 = full && aux && (kbc->ram[0] & CTR_AUXINT);

	if (l1 != kbc->irq1_level) {
		kbc->irq1_level = l1;
		bus_irq_set(&kbc->irq1, l1);
	}
	if (l12 != kbc->irq12_level) {
		kbc->irq12_level = l12;
		bus_irq_set(&kbc->irq12, l12);
	}
}

/* An empty output buffer takes the controller's byte, else the keyboard's if its port is enabled. */
static void kbc_fill(struct i8042 *kbc)
{
	uint8_t b;

	if (kbc->status & STR_OBF)
		return;
	if (kbc->ctl_pending) {
		kbc->obuf = kbc->ctl_byte;
		kbc->status |= STR_OBF | kbc->ctl_status;
		kbc->ctl_pending = false;
	} else if (kbc->kbd_count && !(kbc->ram[0] & CTR_KBDDIS)) {
		b = kbc->kbd_queue[kbc->kbd_head];
		kbc->kbd_head = (kbc->kbd_head + 1) % I8042_KBD_QUEUE;
		kbc->kbd_count--;
		/* Translation to scan code set 1: of this keyboard's bytes only the ID's 0x83 changes. */
		if ((kbc->ram[0] & CTR_XLATE) && b == 0x83)
			b = 0x41;
		kbc->obuf = b;
		kbc->status |= STR_OBF;
	}
}

/* A byte from the controller itself, with its status bits (STR_AUXDATA, STR_TIMEOUT). */
static void kbc_reply(struct i8042 *kbc, uint8_t b, uint8_t status)
{
	kbc->ctl_byte = b;
	kbc->ctl_status = status;
	kbc->ctl_pending = true;
}

static void kbc_pulse_reset(struct i8042 *kbc)
{
	if (kbc->reset)
		kbc->reset(kbc->ctx);
}

static void kbd_send(struct i8042 *kbc, uint8_t b)
{
	if (kbc->kbd_count < I8042_KBD_QUEUE)
		kbc->kbd_queue[(kbc->kbd_head + kbc->kbd_count++) % I8042_KBD_QUEUE] = b;
}

/* A byte for the keyboard: a command, or the parameter of 0xed, 0xf0 or 0xf3. */
static void kbd_write(struct i8042 *kbc, uint8_t v)
{
	uint8_t cmd = kbc->kbd_cmd;

	kbc->kbd_cmd = 0;
	if (cmd && v < 0xed) {		/* a command byte instead aborts it */
		kbd_send(kbc, KBD_ACK);
		if (cmd == 0xf0 && v == 0)	/* get scan code set: 2 */
			kbd_send(kbc, 0x02);
		return;
	}
	switch (v) {
	case 0xed:			/* set LEDs */
	case 0xf0:			/* get/set scan code set */
	case 0xf3:			/* set typematic rate */
		kbd_send(kbc, KBD_ACK);
		kbc->kbd_cmd = v;
		break;
	case 0xee:			/* echo */
		kbd_send(kbc, 0xee);
		break;
	case 0xf2:			/* identify: an MF2 keyboard */
		kbd_send(kbc, KBD_ACK);
		kbd_send(kbc, 0xab);
		kbd_send(kbc, 0x83);
		break;
	case 0xf4:			/* enable scanning */
	case 0xf5:			/* disable scanning, defaults */
		kbc->kbd_scanning = v == 0xf4;
		kbd_send(kbc, KBD_ACK);
		break;
	case 0xf6:			/* defaults */
		kbd_send(kbc, KBD_ACK);
		break;
	case 0xff:			/* reset: what it had to send is lost */
		kbc->kbd_count = 0;
		kbc->kbd_scanning = true;
		kbd_send(kbc, KBD_ACK);
		kbd_send(kbc, KBD_BAT_OK);
		break;
	default:
		kbd_send(kbc, KBD_RESEND);
		break;
	}
}

static void kbc_command(struct i8042 *kbc, uint8_t c)
{
	bool full = kbc->status & STR_OBF, aux = kbc->status & STR_AUXDATA;

	kbc->cmd = 0;
	if (c >= 0x20 && c <= 0x3f) {		/* read RAM; 0x20: the command byte */
		kbc_reply(kbc, kbc->ram[c & 0x1f], 0);
		return;
	}
	if ((c >= 0x60 && c <= 0x7f) || (c >= 0xd1 && c <= 0xd4)) {
		kbc->cmd = c;			/* its data byte comes to port 0x60 */
		return;
	}
	if (c >= 0xf0) {			/* pulse the output lines whose bit is 0 */
		if (!(c & OUT_RESET))
			kbc_pulse_reset(kbc);
		return;
	}
	switch (c) {
	case 0xa7:				/* disable the aux port */
		kbc->ram[0] |= CTR_AUXDIS;
		break;
	case 0xa8:				/* enable the aux port */
		kbc->ram[0] &= ~CTR_AUXDIS;
		break;
	case 0xa9:				/* aux interface test: no error */
	case 0xab:				/* keyboard interface test: no error */
		kbc_reply(kbc, 0x00, 0);
		break;
	case 0xaa:				/* self-test: passed */
		kbc->status |= STR_SYS;
		kbc_reply(kbc, 0x55, 0);
		break;
	case 0xad:				/* disable the keyboard port */
		kbc->ram[0] |= CTR_KBDDIS;
		break;
	case 0xae:				/* enable the keyboard port */
		kbc->ram[0] &= ~CTR_KBDDIS;
		break;
	case 0xd0:				/* read the output port */
		kbc_reply(kbc, (kbc->outport & ~(OUT_OBF | OUT_AUX_OBF)) |
			  (full && !aux ? OUT_OBF : 0) | (full && aux ? OUT_AUX_OBF : 0), 0);
		break;
	default:				/* not modelled: ignored */
		break;
	}
}

static void kbc_data(struct i8042 *kbc, uint8_t v)
{
	uint8_t c = kbc->cmd;

	kbc->cmd = 0;
	kbc->last_data = c;
	if (c >= 0x60 && c <= 0x7f) {		/* write RAM; 0x60: the command byte */
		kbc->ram[c & 0x1f] = v;
		if (c == 0x60)
			kbc->status = (kbc->status & ~STR_SYS) | (v & CTR_SYS);
		return;
	}
	switch (c) {
	case 0xd1:				/* write the output port */
		kbc->outport = v | OUT_RESET;	/* a reset is a pulse: the line comes back */
		if (!(v & OUT_RESET))
			kbc_pulse_reset(kbc);
		break;
	case 0xd2:				/* as if the keyboard sent it */
		kbc_reply(kbc, v, 0);
		break;
	case 0xd3:				/* as if the aux device sent it: the loopback */
		kbc_reply(kbc, v, STR_AUXDATA);
		break;
	case 0xd4:				/* to the aux device: none, it times out */
		kbc_reply(kbc, 0xfe, STR_AUXDATA | STR_TIMEOUT);
		break;
	default:				/* to the keyboard, which enables its port */
		kbc->ram[0] &= ~CTR_KBDDIS;
		kbd_write(kbc, v);
		break;
	}
}

/*
 * Each port is a range of its own (0x61-0x63 are not the 8042's), so each
 * has its ops. Registers are 8 bits wide: a wider IN gives zeros above, a
 * wider OUT writes its low byte.
 */
static uint64_t kbc_data_read(void *opaque, uint64_t offset, unsigned int size)
{
	struct i8042 *kbc = opaque;
	uint8_t v = kbc->obuf;			/* empty or not, the last byte */

	(void)offset;
	(void)size;
	kbc->status &= ~(STR_OBF | STR_AUXDATA | STR_TIMEOUT);
	kbc_update_irq(kbc);			/* the line falls: the next byte makes a new edge */
	kbc_fill(kbc);
	kbc_update_irq(kbc);
	return v;
}

static uint64_t kbc_status_read(void *opaque, uint64_t offset, unsigned int size)
{
	const struct i8042 *kbc = opaque;

	(void)offset;
	(void)size;
	return kbc->status;
}

static int kbc_data_write(void *opaque, uint64_t offset, uint64_t value, unsigned int size)
{
	struct i8042 *kbc = opaque;

	(void)offset;
	(void)size;
	kbc->status &= ~STR_CMD;
	kbc_data(kbc, value);
	kbc_fill(kbc);
	kbc_update_irq(kbc);
	return BUS_OK;
}

static int kbc_command_write(void *opaque, uint64_t offset, uint64_t value, unsigned int size)
{
	struct i8042 *kbc = opaque;

	(void)offset;
	(void)size;
	kbc->status |= STR_CMD;
	kbc_command(kbc, value);
	kbc_fill(kbc);
	kbc_update_irq(kbc);
	return BUS_OK;
}

static const char *kbc_command_name(uint8_t c)
{
	switch (c) {
	case 0x20: return "read command byte";
	case 0x60: return "write command byte";
	case 0xa7: return "disable aux port";
	case 0xa8: return "enable aux port";
	case 0xa9: return "test aux port";
	case 0xaa: return "self-test";
	case 0xab: return "test keyboard port";
	case 0xad: return "disable keyboard port";
	case 0xae: return "enable keyboard port";
	case 0xd0: return "read output port";
	case 0xd1: return "write output port";
	case 0xd2: return "write keyboard buffer";
	case 0xd3: return "write aux buffer";
	case 0xd4: return "write to aux device";
	}
	if (c > 0x20 && c <= 0x3f)
		return "read RAM";
	if (c > 0x60 && c <= 0x7f)
		return "write RAM";
	if (c >= 0xf0)
		return (c & OUT_RESET) ? "pulse lines (no reset)" : "pulse reset line";
	return "not modelled";
}

static void kbc_command_describe(void *opaque, uint64_t offset, uint64_t value, char *buf,
				 size_t len)
{
	(void)opaque;
	(void)offset;
	snprintf(buf, len, "i8042 command %#x: %s", (uint8_t)value, kbc_command_name(value));
}

static void kbc_data_describe(void *opaque, uint64_t offset, uint64_t value, char *buf, size_t len)
{
	const struct i8042 *kbc = opaque;
	uint8_t v = value;

	(void)offset;
	switch (kbc->last_data) {
	case 0:
		snprintf(buf, len, "to the keyboard: %#x", v);
		break;
	case 0xd1:
		snprintf(buf, len, "i8042 output port %#x: A20 %s%s", v, v & OUT_A20 ? "on" : "off",
			 v & OUT_RESET ? "" : ", reset");
		break;
	case 0xd4:
		snprintf(buf, len, "to the aux device: %#x (none)", v);
		break;
	default:
		snprintf(buf, len, "i8042 %s: %#x", kbc_command_name(kbc->last_data), v);
		break;
	}
}

static const struct bus_ops i8042_data_ops = {
	.name = "i8042 data",
	.read = kbc_data_read,
	.write = kbc_data_write,
	.describe = kbc_data_describe,
};

static const struct bus_ops i8042_command_ops = {
	.name = "i8042 status/command",
	.read = kbc_status_read,
	.write = kbc_command_write,
	.describe = kbc_command_describe,
};

bool i8042_a20(const struct i8042 *kbc)
{
	return kbc->outport & OUT_A20;
}

int i8042_attach(struct bus *bus, struct i8042 *kbc, const struct bus_irq *irq1,
		 const struct bus_irq *irq12)
{
	int err;

	memset(kbc, 0, sizeof(*kbc));
	if (irq1)
		kbc->irq1 = *irq1;
	if (irq12)
		kbc->irq12 = *irq12;
	kbc->ram[0] = CTR_KBDINT | CTR_SYS | CTR_AUXDIS | CTR_XLATE;
	kbc->status = STR_SYS | STR_KEYLOCK;
	/* Keyboard clock and data idle high, bits 2-3 unused (1), A20 on, not reset. */
	kbc->outport = 0xcc | OUT_A20 | OUT_RESET;
	kbc->kbd_scanning = true;
	err = bus_register(bus, BUS_PIO, I8042_DATA, 1, &i8042_data_ops, kbc);
	if (!err)
		err = bus_register(bus, BUS_PIO, I8042_STATUS, 1, &i8042_command_ops, kbc);
	return err;
}
