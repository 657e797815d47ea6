/* SPDX-License-Identifier: GPL-2.0 */
/*
 * A 16550A UART as guests see it at COM1 (I/O ports 0x3f8-0x3ff). Pure
 * device logic: the monitor feeds it port accesses and input bytes, and it
 * hands transmitted bytes to a callback. Unit-tested on the host.
 */
#ifndef VMM_SERIAL_H
#define VMM_SERIAL_H

#include <stdbool.h>
#include <stdint.h>

#define SERIAL_COM1_BASE	0x3f8
#define SERIAL_NR_PORTS		8
#define SERIAL_RX_SIZE		256

struct serial {
	uint8_t ier, lcr, mcr, scr, fcr;
	uint8_t dll, dlm;		/* divisor latch, visible while LCR.DLAB */
	bool thr_int;			/* THR-empty interrupt pending */
	uint8_t rx[SERIAL_RX_SIZE];	/* receive FIFO */
	unsigned int rx_head, rx_count;
	void (*tx)(void *opaque, uint8_t byte);
	void *opaque;
};

void serial_init(struct serial *s, void (*tx)(void *, uint8_t), void *opaque);
/* offset is port - base, 0..7. */
uint8_t serial_read(struct serial *s, unsigned int offset);
void serial_write(struct serial *s, unsigned int offset, uint8_t value);
/* Queue a received byte; false when the FIFO is full. */
bool serial_receive(struct serial *s, uint8_t byte);
/* The interrupt line as the 16550's IIR says it (for a future PIC). */
bool serial_irq_pending(struct serial *s);

#endif
