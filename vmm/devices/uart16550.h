/* SPDX-License-Identifier: GPL-2.0 */
/*
 * A 16550A UART, as guests see it at COM1 (I/O ports 0x3f8-0x3ff): the
 * device model on the bus. Its host side is two callbacks: the bytes the
 * guest sends, and the bytes typed for it. Pure device logic, unit-tested
 * on the host through the bus (tests/unit/check_uart16550.c).
 */
#ifndef VMM_DEVICES_UART16550_H
#define VMM_DEVICES_UART16550_H

#include <stdbool.h>
#include <stdint.h>

#include "../bus.h"

#define UART16550_COM1		0x3f8
#define UART16550_NR_PORTS	8
#define UART16550_RX_SIZE	256

/* The other end of the serial line. */
struct uart16550_host {
	void (*tx)(void *opaque, uint8_t byte);	/* the guest sent a byte */
	/* Before a register read: a byte for the guest, or -1 (NULL: no input). */
	int (*rx)(void *opaque);
	void *opaque;
};

struct uart16550 {
	uint8_t ier, lcr, mcr, scr, fcr;
	uint8_t dll, dlm;		/* divisor latch, visible while LCR.DLAB */
	bool thr_int;			/* THR-empty interrupt pending */
	uint8_t rx[UART16550_RX_SIZE];	/* receive FIFO */
	unsigned int rx_head, rx_count;
	struct uart16550_host host;
	struct bus_irq irq;		/* raised while IIR shows an interrupt */
	bool irq_level;
};

/*
 * Reset u and give it the UART16550_NR_PORTS ports from base: 0, or a
 * negative errno from bus_register(). irq may be NULL (no line).
 */
int uart16550_attach(struct bus *bus, struct uart16550 *u, uint16_t base,
		     const struct uart16550_host *host, const struct bus_irq *irq);
/* Queue a received byte; false when the FIFO is full. */
bool uart16550_receive(struct uart16550 *u, uint8_t byte);

#endif
