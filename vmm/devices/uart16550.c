// SPDX-License-Identifier: GPL-2.0
/*
 * The 16550A UART at COM1; see uart16550.h. Owns 8 I/O ports from its base
 * (0x3f8-0x3ff for COM1). Runs in the VCPU thread whose IN or OUT reached
 * it, with vm->lock held. Register layout from the National Semiconductor
 * PC16550D data sheet: offsets 0 RBR/THR (DLL with DLAB), 1 IER (DLM with
 * DLAB), 2 IIR/FCR, 3 LCR, 4 MCR, 5 LSR, 6 MSR, 7 SCR. Transmission is
 * instantaneous; the modem status deltas (MSR bits 0-3) are not modelled.
 */
#include <stdio.h>
#include <string.h>

#include "uart16550.h"

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
#define MCR_DTR		0x01
#define MCR_RTS		0x02
#define MCR_OUT1	0x04
#define MCR_OUT2	0x08
#define MCR_LOOP	0x10
#define MSR_CTS		0x10
#define MSR_DSR		0x20
#define MSR_RI		0x40
#define MSR_DCD		0x80

static uint8_t uart_iir(struct uart16550 *u)
{
	uint8_t fifo = (u->fcr & 1) ? IIR_FIFO : 0;

	if ((u->ier & IER_RDA) && u->rx_count)
		return IIR_RDA | fifo;
	if ((u->ier & IER_THRE) && u->thr_int)
		return IIR_THRE | fifo;
	return IIR_NONE | fifo;
}

/* The interrupt output follows IIR: raise or lower the line on a change. */
static void uart_update_irq(struct uart16550 *u)
{
	bool level = !(uart_iir(u) & IIR_NONE);

	if (level != u->irq_level) {
		u->irq_level = level;
		bus_irq_set(&u->irq, level);
	}
}

static bool uart_queue(struct uart16550 *u, uint8_t byte)
{
	if (u->rx_count == UART16550_RX_SIZE)
		return false;
	u->rx[(u->rx_head + u->rx_count++) % UART16550_RX_SIZE] = byte;
	return true;
}

bool uart16550_receive(struct uart16550 *u, uint8_t byte)
{
	bool queued = uart_queue(u, byte);

	uart_update_irq(u);
	return queued;
}

/*
 * In loopback (data sheet, MCR bit 4) the modem control outputs drive the
 * modem status inputs: CTS = RTS, DSR = DTR, RI = OUT1, DCD = OUT2.
 */
static uint8_t uart_loop_msr(uint8_t mcr)
{
	return (mcr & MCR_RTS ? MSR_CTS : 0) | (mcr & MCR_DTR ? MSR_DSR : 0) |
	       (mcr & MCR_OUT1 ? MSR_RI : 0) | (mcr & MCR_OUT2 ? MSR_DCD : 0);
}

static uint8_t uart_read_reg(struct uart16550 *u, unsigned int offset)
{
	uint8_t v;
	int c;

	/* Input typed since the last read reaches the FIFO now. */
	while (u->host.rx && u->rx_count < UART16550_RX_SIZE &&
	       (c = u->host.rx(u->host.opaque)) >= 0)
		uart_queue(u, c);
	switch (offset) {
	case 0:
		if (u->lcr & LCR_DLAB)
			return u->dll;
		if (!u->rx_count)
			return 0;
		v = u->rx[u->rx_head];
		u->rx_head = (u->rx_head + 1) % UART16550_RX_SIZE;
		u->rx_count--;
		return v;
	case 1:
		return (u->lcr & LCR_DLAB) ? u->dlm : u->ier;
	case 2:
		v = uart_iir(u);
		/* Reading IIR while it reports THRE clears that interrupt. */
		if ((v & 0x0f) == IIR_THRE)
			u->thr_int = false;
		return v;
	case 3:
		return u->lcr;
	case 4:
		return u->mcr;
	case 5:
		/* Transmission is instantaneous: THR is always empty. */
		return LSR_THRE | LSR_TEMT | (u->rx_count ? LSR_DR : 0);
	case 6:
		if (u->mcr & MCR_LOOP)
			return uart_loop_msr(u->mcr);
		return MSR_DCD | MSR_DSR | MSR_CTS;	/* a cable is plugged in */
	default:
		return u->scr;
	}
}

static void uart_write_reg(struct uart16550 *u, unsigned int offset, uint8_t value)
{
	switch (offset) {
	case 0:
		if (u->lcr & LCR_DLAB) {
			u->dll = value;
		} else if (u->mcr & MCR_LOOP) {
			uart_queue(u, value);
			u->thr_int = true;
		} else {
			if (u->host.tx)
				u->host.tx(u->host.opaque, value);
			u->thr_int = true;
		}
		break;
	case 1:
		if (u->lcr & LCR_DLAB) {
			u->dlm = value;
		} else {
			/* Enabling the THRE interrupt raises it at once (THR is empty). */
			if ((value & IER_THRE) && !(u->ier & IER_THRE))
				u->thr_int = true;
			u->ier = value & 0x0f;
		}
		break;
	case 2:
		u->fcr = value;
		if (value & 0x02) {	/* clear the receive FIFO */
			u->rx_head = 0;
			u->rx_count = 0;
		}
		break;
	case 3:
		u->lcr = value;
		break;
	case 4:
		u->mcr = value & 0x1f;
		break;
	case 7:
		u->scr = value;
		break;
	default:		/* LSR and MSR are read-only */
		break;
	}
}

/* Registers are 8 bits wide: a wider IN gives zeros above, a wider OUT writes its low byte. */
static uint64_t uart_read(void *opaque, uint64_t offset, unsigned int size)
{
	struct uart16550 *u = opaque;
	uint8_t v = uart_read_reg(u, offset);

	(void)size;
	uart_update_irq(u);
	return v;
}

static int uart_write(void *opaque, uint64_t offset, uint64_t value, unsigned int size)
{
	struct uart16550 *u = opaque;

	(void)size;
	uart_write_reg(u, offset, value);
	uart_update_irq(u);
	return BUS_OK;
}

static void uart_describe(void *opaque, uint64_t offset, uint64_t value, char *buf, size_t len)
{
	uint8_t c = value;

	(void)opaque;
	if (offset == 0 && c >= 0x20 && c < 0x7f)
		snprintf(buf, len, "the UART prints '%c'", c);
}

static const struct bus_ops uart16550_ops = {
	.name = "uart16550",
	.read = uart_read,
	.write = uart_write,
	.describe = uart_describe,
};

int uart16550_attach(struct bus *bus, struct uart16550 *u, uint16_t base,
		     const struct uart16550_host *host, const struct bus_irq *irq)
{
	memset(u, 0, sizeof(*u));
	u->dll = 12;		/* 9600 baud after reset, as on a PC */
	if (host)
		u->host = *host;
	if (irq)
		u->irq = *irq;
	return bus_register(bus, BUS_PIO, base, UART16550_NR_PORTS, &uart16550_ops, u);
}
