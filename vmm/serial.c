// SPDX-License-Identifier: GPL-2.0
/*
 * 16550A UART model; see serial.h. Register layout from the National
 * Semiconductor PC16550D data sheet: offsets 0 RBR/THR (DLL with DLAB),
 * 1 IER (DLM with DLAB), 2 IIR/FCR, 3 LCR, 4 MCR, 5 LSR, 6 MSR, 7 SCR.
 */
#include <string.h>

#include "serial.h"

#define LCR_DLAB	0x80
#define LSR_DR		0x01	/* data ready */
#define LSR_THRE	0x20	/* transmit holding register empty */
#define LSR_TEMT	0x40	/* transmitter empty */
#define IER_RDA		0x01	/* received data available interrupt */
#define IER_THRE	0x02	/* THR empty interrupt */
#define IIR_NONE	0x01
#define IIR_THRE	0x02
#define IIR_RDA		0x04
#define IIR_FIFO	0xc0	/* FIFOs enabled */
#define MCR_LOOP	0x10
#define MSR_LOOP_BITS	0xf0	/* CTS, DSR, RI, DCD follow MCR in loopback */

void serial_init(struct serial *s, void (*tx)(void *, uint8_t), void *opaque)
{
	memset(s, 0, sizeof(*s));
	s->dll = 12;		/* 9600 baud after reset, as on a PC */
	s->tx = tx;
	s->opaque = opaque;
}

bool serial_receive(struct serial *s, uint8_t byte)
{
	if (s->rx_count == SERIAL_RX_SIZE)
		return false;
	s->rx[(s->rx_head + s->rx_count++) % SERIAL_RX_SIZE] = byte;
	return true;
}

static uint8_t serial_iir(struct serial *s)
{
	uint8_t fifo = (s->fcr & 1) ? IIR_FIFO : 0;

	if ((s->ier & IER_RDA) && s->rx_count)
		return IIR_RDA | fifo;
	if ((s->ier & IER_THRE) && s->thr_int)
		return IIR_THRE | fifo;
	return IIR_NONE | fifo;
}

bool serial_irq_pending(struct serial *s)
{
	return !(serial_iir(s) & IIR_NONE);
}

uint8_t serial_read(struct serial *s, unsigned int offset)
{
	uint8_t v;

	switch (offset) {
	case 0:
		if (s->lcr & LCR_DLAB)
			return s->dll;
		if (!s->rx_count)
			return 0;
		v = s->rx[s->rx_head];
		s->rx_head = (s->rx_head + 1) % SERIAL_RX_SIZE;
		s->rx_count--;
		return v;
	case 1:
		return (s->lcr & LCR_DLAB) ? s->dlm : s->ier;
	case 2:
		v = serial_iir(s);
		/* Reading IIR while it reports THRE clears that interrupt. */
		if ((v & 0x0f) == IIR_THRE)
			s->thr_int = false;
		return v;
	case 3:
		return s->lcr;
	case 4:
		return s->mcr;
	case 5:
		/* Transmission is instantaneous: THR is always empty. */
		return LSR_THRE | LSR_TEMT | (s->rx_count ? LSR_DR : 0);
	case 6:
		if (s->mcr & MCR_LOOP)
			return (uint8_t)((s->mcr & 0x0f) << 4) & MSR_LOOP_BITS;
		return 0xb0;	/* DCD, DSR, CTS: a cable is plugged in */
	default:
		return s->scr;
	}
}

void serial_write(struct serial *s, unsigned int offset, uint8_t value)
{
	switch (offset) {
	case 0:
		if (s->lcr & LCR_DLAB) {
			s->dll = value;
		} else if (s->mcr & MCR_LOOP) {
			serial_receive(s, value);
			s->thr_int = true;
		} else {
			if (s->tx)
				s->tx(s->opaque, value);
			s->thr_int = true;
		}
		break;
	case 1:
		if (s->lcr & LCR_DLAB) {
			s->dlm = value;
		} else {
			/* Enabling the THRE interrupt raises it at once (THR is empty). */
			if ((value & IER_THRE) && !(s->ier & IER_THRE))
				s->thr_int = true;
			s->ier = value & 0x0f;
		}
		break;
	case 2:
		s->fcr = value;
		if (value & 0x02) {	/* clear the receive FIFO */
			s->rx_head = 0;
			s->rx_count = 0;
		}
		break;
	case 3:
		s->lcr = value;
		break;
	case 4:
		s->mcr = value & 0x1f;
		break;
	case 7:
		s->scr = value;
		break;
	default:		/* LSR and MSR are read-only */
		break;
	}
}
