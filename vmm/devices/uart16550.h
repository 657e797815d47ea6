/* SPDX-License-Identifier: GPL-2.0 */
/*
 * A 16550A UART, as guests see it at COM1 (I/O ports 0x3f8-0x3ff, IRQ 4):
 * the device model on the bus. Its host side is two callbacks, the bytes
 * the guest sends and the bytes typed for it, and the calls below that
 * push input. Pure device logic, unit-tested on the host through the bus
 * (tests/unit/check_uart16550.c). What is modelled: uart16550.c.
 */
#ifndef VMM_DEVICES_UART16550_H
#define VMM_DEVICES_UART16550_H

#include <stdbool.h>
#include <stdint.h>

#include "../bus.h"

#define UART16550_COM1		0x3f8
#define UART16550_NR_PORTS	8
#define UART16550_RX_SIZE	16	/* the receive FIFO, as on a 16550A */

/* The other end of the serial line. */
struct uart16550_host {
	void (*tx)(void *opaque, uint8_t byte);	/* the guest sent a byte */
	/*
	 * Before a register read: a byte for the guest, or -1 (NULL: no
	 * input). Only asked while uart16550_can_receive(): never lost.
	 */
	int (*rx)(void *opaque);
	void *opaque;
};

struct uart16550 {
	uint8_t ier, lcr, mcr, scr;
	uint8_t fcr;			/* bit 0 FIFOs on, bits 6-7 the trigger level */
	uint8_t dll, dlm;		/* divisor latch, visible while LCR.DLAB */
	uint8_t msr;			/* modem status: inputs (bits 4-7), deltas (0-3) */
	bool thr_int;			/* THR-empty interrupt pending */
	bool overrun;			/* LSR.OE until LSR is read */
	uint8_t rx[UART16550_RX_SIZE];	/* receive FIFO (1 byte deep with FIFOs off) */
	uint8_t rx_err[UART16550_RX_SIZE];	/* each byte's LSR.BI/FE/PE */
	unsigned int rx_head, rx_count;
	struct uart16550_host host;
	struct bus_irq irq;		/* IRQ 4: IIR has an interrupt and MCR.OUT2 */
	bool irq_level;
};

/*
 * Reset u and give it the UART16550_NR_PORTS ports from base: 0, or a
 * negative errno from bus_register(). irq may be NULL (no line).
 */
int uart16550_attach(struct bus *bus, struct uart16550 *u, uint16_t base,
		     const struct uart16550_host *host, const struct bus_irq *irq);

/*
 * Host input, pushed (vm->lock held, as for the bus accesses); each call
 * raises the interrupts the byte causes. host->rx, pulled at the guest's
 * register reads, only reaches the guest when it reads a register: a
 * guest idle in HLT with interrupts on needs the input pushed.
 *
 * uart16550_can_receive(): room for one more byte, i.e. the receive FIFO
 * (16 bytes, 1 with FIFOs off) is not full and the UART is not in
 * loopback (its input is cut off the line). Ask it first and keep the
 * byte while it says no: back-pressure, as flow control would give. A
 * byte pushed anyway is an overrun, as on the wire.
 */
bool uart16550_can_receive(const struct uart16550 *u);
/*
 * The guest listens: its receive-data interrupt is enabled (IER bit 0), as
 * a driver does once the port is open (Linux's serial8250_startup()). Its
 * start-up empties the FIFOs: bytes sent before that are lost on a real
 * line, and vmm keeps them until then.
 */
bool uart16550_listening(const struct uart16550 *u);
/*
 * A byte arrives: true when it was queued; false when a byte was lost to
 * an overrun (LSR.OE; with FIFOs on the new byte is lost, with FIFOs off
 * it replaces the unread one), or in loopback (the line is cut off).
 */
bool uart16550_receive(struct uart16550 *u, uint8_t byte);
/* A break arrives (e.g. the guest's SysRq): a 0 byte with LSR.BI. */
bool uart16550_receive_break(struct uart16550 *u);

#endif
