/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The PC's 8042 keyboard controller, as guests see it at I/O ports 0x60
 * (data) and 0x64 (status / command), interrupting on IRQ 1 (keyboard)
 * and IRQ 12 (auxiliary device): the device model on the bus. Behind it
 * a keyboard that answers its commands but has no keys, and no mouse;
 * the controller's output port drives the CPU's reset line and the A20
 * gate. Pure device logic, unit-tested on the host through the bus
 * (tests/unit/check_i8042.c). Runs with the devices' lock (vm->lock) held.
 */
#ifndef VMM_DEVICES_I8042_H
#define VMM_DEVICES_I8042_H

#include <stdbool.h>
#include <stdint.h>

#include "../bus.h"

#define I8042_DATA		0x60
#define I8042_STATUS		0x64	/* read: status; write: command */
#define I8042_KBD_IRQ		1
#define I8042_AUX_IRQ		12
#define I8042_KBD_QUEUE		8

struct i8042 {
	uint8_t ram[32];	/* the controller's RAM: byte 0 is the command byte */
	uint8_t outport;	/* the output port: bit 0 the reset line (low: reset), bit 1 A20 */
	uint8_t status;		/* the status register: the output buffer's bits and the rest */
	uint8_t obuf;		/* the output buffer (port 0x60) */
	uint8_t cmd;		/* the command whose data byte port 0x60 awaits, or 0 */
	bool ctl_pending;	/* a controller byte waits for the output buffer: */
	uint8_t ctl_byte, ctl_status;	/* it, and its status bits (AUX, timeout) */
	/* The keyboard: the bytes it sent not yet in the output buffer. */
	uint8_t kbd_queue[I8042_KBD_QUEUE];
	unsigned int kbd_head, kbd_count;
	uint8_t kbd_cmd;	/* the keyboard command whose parameter it awaits, or 0 */
	bool kbd_scanning;	/* 0xf4 enable / 0xf5 disable: no keys, all the same */
	uint8_t last_data;	/* where the last port 0x60 write went, for describe() */
	struct bus_irq irq1, irq12;
	bool irq1_level, irq12_level;
	/*
	 * Optional, set after i8042_attach(): called when the guest pulses the
	 * CPU's reset line (command 0xfe, or 0xd1 with bit 0 clear).
	 */
	void (*reset)(void *ctx);
	void *ctx;
};

/*
 * Reset kbc to the state a BIOS leaves it in (keyboard enabled and
 * interrupting, translated; auxiliary port disabled; A20 on) and give it
 * ports 0x60 and 0x64: 0, or a negative errno from bus_register(). irq1
 * and irq12 may be NULL (no line).
 */
int i8042_attach(struct bus *bus, struct i8042 *kbc, const struct bus_irq *irq1,
		 const struct bus_irq *irq12);
/* The A20 gate as the output port drives it: true when address line 20 is enabled. */
bool i8042_a20(const struct i8042 *kbc);

#endif
