// SPDX-License-Identifier: GPL-2.0
/*
 * The 16550A UART at COM1; see uart16550.h. Owns 8 I/O ports from its base
 * (0x3f8-0x3ff for COM1). Runs in the VCPU thread whose IN or OUT reached
 * it, or in the thread that pushes host input, with vm->lock held.
 * Registers from the National Semiconductor PC16550D data sheet: offsets
 * 0 RBR/THR (DLL with DLAB), 1 IER (DLM with DLAB), 2 IIR/FCR, 3 LCR,
 * 4 MCR, 5 LSR, 6 MSR, 7 SCR. What Linux asks of it: drivers/tty/serial/
 * 8250/8250_port.c (autoconfig(), size_fifo(), the THRE and TXEN tests of
 * serial8250_do_startup(), serial8250_handle_irq()).
 *
 * Modelled:
 * - IIR and its priorities: receiver line status (0x06: LSR OE, PE, FE,
 *   BI; IER bit 2) > received data available (0x04: the FIFO at its
 *   trigger level, FCR bits 6-7: 1, 4, 8 or 14 bytes; 1 byte with FIFOs
 *   off) > character timeout (0x0c) > THR empty (0x02) > modem status
 *   (0x00: an MSR delta, IER bit 3). Bits 6-7 read 0xc0 while FCR bit 0
 *   has the FIFOs on; bits 4-5 are always 0 (no 16750 64-byte mode).
 * - Character timeout: the model has no clock, so "4 character times
 *   without a read" cannot pass; it is raised as soon as the FIFO holds
 *   data below the trigger level. A guest sees the same registers as on
 *   a UART it waited for, minus the wait; reading RBR clears it, and it
 *   comes back at once if data is still below the level.
 * - Transmission is instantaneous: THR and the transmitter are always
 *   empty (LSR THRE and TEMT), each byte goes to the host (or, in
 *   loopback, to the receiver). The THRE interrupt is raised after every
 *   byte written and when IER's THRE enable goes from 0 to 1; reading
 *   IIR while it shows THRE clears it, and so does a THR write, which
 *   thus drops the line for a moment: each byte gives a fresh edge.
 * - Receive FIFO of 16 bytes, or a 1-byte holding register with FIFOs
 *   off (16450 mode). A byte that finds it full is an overrun (LSR.OE):
 *   with FIFOs on it is lost, with FIFOs off it replaces the unread
 *   byte. BI/FE/PE belong to their byte and show in LSR when it is at
 *   the top; reading LSR clears them and OE. LSR bit 7: some byte in the
 *   FIFO has an error (FIFO mode only). The host side takes no more
 *   than there is room for (uart16550_can_receive()). FCR: FIFO enable
 *   (a change empties the FIFOs), clear RX/TX, trigger level; the other
 *   bits are only written while bit 0 is set, as the data sheet says.
 * - MCR, and MSR with its deltas (DCTS, DDSR, TERI, DDCD) set when an
 *   input changes and cleared by reading MSR. The inputs: a cable with
 *   CTS, DSR and DCD on, or in loopback CTS = RTS, DSR = DTR, RI = OUT1,
 *   DCD = OUT2. Loopback also cuts the receiver off the host.
 * - The PC's wiring: IRQ 4 is raised while IIR shows an interrupt and
 *   MCR.OUT2 is set. In loopback the data sheet keeps every interrupt
 *   working with the outputs looped inside; an IBM card, whose OUT2 pin
 *   (then forced inactive) gated a buffer, would cut IRQ 4, while a
 *   chip that gates with the MCR bit inside keeps it. The model keeps it,
 *   still gated by the bit: interrupt-driven I/O in loopback (Linux's
 *   TIOCM_LOOP keeps OUT2 set) works, and Linux's probes pass either
 *   way: autoconfig's loop test (MCR 0x1a) and size_fifo() (MCR 0x10,
 *   no OUT2: nothing reaches the PIC) run with IER 0, and
 *   autoconfig_irq() uses MCR 0x0b, not loopback.
 * - The scratch register and the divisor latch (kept, not used).
 *
 * Not modelled: time (baud rate, word length, parity and stop bits of
 * LCR are kept but bytes pass whole and at once), LCR's set-break, the
 * transmit FIFO (always empty), parity and framing errors (the host's
 * bytes arrive intact; a break can be pushed), the DMA mode pins
 * (RXRDY, TXRDY) and a real modem's inputs (the cable's are fixed).
 */
#include <stdio.h>
#include <string.h>

#include "uart16550.h"

#define LCR_DLAB	0x80
#define LSR_DR		0x01	/* data ready */
#define LSR_OE		0x02	/* overrun error */
#define LSR_BI		0x10	/* break interrupt (PE 0x04, FE 0x08) */
#define LSR_THRE	0x20	/* transmit holding register empty */
#define LSR_TEMT	0x40	/* transmitter empty */
#define LSR_FIFO_ERR	0x80	/* an error in the FIFO */
#define IER_RDA		0x01	/* received data available (and timeout) */
#define IER_THRE	0x02	/* THR empty */
#define IER_RLS		0x04	/* receiver line status */
#define IER_MSI		0x08	/* modem status */
#define IIR_MSI		0x00
#define IIR_NONE	0x01
#define IIR_THRE	0x02
#define IIR_RDA		0x04
#define IIR_RLS		0x06
#define IIR_TIMEOUT	0x0c
#define IIR_FIFO	0xc0	/* FIFOs enabled */
#define FCR_ENABLE	0x01
#define FCR_CLEAR_RX	0x02
#define FCR_KEPT	0xc9	/* trigger level, DMA mode, enable (4-5 reserved) */
#define MCR_DTR		0x01
#define MCR_RTS		0x02
#define MCR_OUT1	0x04
#define MCR_OUT2	0x08
#define MCR_LOOP	0x10
#define MSR_DCTS	0x01
#define MSR_DDSR	0x02
#define MSR_TERI	0x04
#define MSR_DDCD	0x08
#define MSR_DELTAS	0x0f
#define MSR_CTS		0x10
#define MSR_DSR		0x20
#define MSR_RI		0x40
#define MSR_DCD		0x80
#define MSR_CABLE	(MSR_DCD | MSR_DSR | MSR_CTS)	/* a cable is plugged in */

static bool fifo_on(const struct uart16550 *u)
{
	return u->fcr & FCR_ENABLE;
}

static unsigned int rx_room(const struct uart16550 *u)
{
	return fifo_on(u) ? UART16550_RX_SIZE : 1;
}

/* FCR bits 6-7: the receive FIFO's trigger level. */
static unsigned int rx_trigger(const struct uart16550 *u)
{
	static const unsigned char level[4] = { 1, 4, 8, 14 };

	return fifo_on(u) ? level[u->fcr >> 6] : 1;
}

/* LSR bits 1-4: the overrun, and the errors of the byte at the top. */
static uint8_t lsr_errors(const struct uart16550 *u)
{
	return (u->overrun ? LSR_OE : 0) | (u->rx_count ? u->rx_err[u->rx_head] : 0);
}

static uint8_t uart_lsr(const struct uart16550 *u)
{
	uint8_t v = LSR_THRE | LSR_TEMT | lsr_errors(u);
	unsigned int i;

	if (u->rx_count)
		v |= LSR_DR;
	for (i = 0; fifo_on(u) && i < u->rx_count; i++)
		if (u->rx_err[(u->rx_head + i) % UART16550_RX_SIZE])
			v |= LSR_FIFO_ERR;
	return v;
}

static uint8_t uart_iir(const struct uart16550 *u)
{
	uint8_t fifo = fifo_on(u) ? IIR_FIFO : 0;

	if ((u->ier & IER_RLS) && lsr_errors(u))
		return IIR_RLS | fifo;
	if ((u->ier & IER_RDA) && u->rx_count)
		return (u->rx_count >= rx_trigger(u) ? IIR_RDA : IIR_TIMEOUT) | fifo;
	if ((u->ier & IER_THRE) && u->thr_int)
		return IIR_THRE | fifo;
	if ((u->ier & IER_MSI) && (u->msr & MSR_DELTAS))
		return IIR_MSI | fifo;
	return IIR_NONE | fifo;
}

/* The line to the PIC: an interrupt in IIR, let through by MCR.OUT2. */
static void uart_update_irq(struct uart16550 *u)
{
	bool level = !(uart_iir(u) & IIR_NONE) && (u->mcr & MCR_OUT2);

	if (level != u->irq_level) {
		u->irq_level = level;
		bus_irq_set(&u->irq, level);
	}
}

/* A byte (with its LSR error bits) reaches the receiver: false on an overrun. */
static bool uart_rx_byte(struct uart16550 *u, uint8_t byte, uint8_t err)
{
	bool queued = u->rx_count < rx_room(u);
	unsigned int slot = u->rx_head;	/* 16450 mode overrun: it destroys the unread byte */

	if (queued) {
		slot = (u->rx_head + u->rx_count++) % UART16550_RX_SIZE;
	} else {
		u->overrun = true;
		if (fifo_on(u))
			return false;	/* the FIFO keeps its bytes: this one is lost */
	}
	u->rx[slot] = byte;
	u->rx_err[slot] = err;
	return queued;
}

static void uart_rx_clear(struct uart16550 *u)
{
	u->rx_head = 0;
	u->rx_count = 0;
}

bool uart16550_can_receive(const struct uart16550 *u)
{
	return !(u->mcr & MCR_LOOP) && u->rx_count < rx_room(u);
}

bool uart16550_listening(const struct uart16550 *u)
{
	return u->ier & IER_RDA;
}

static bool uart_receive(struct uart16550 *u, uint8_t byte, uint8_t err)
{
	bool queued = false;

	if (!(u->mcr & MCR_LOOP))	/* loopback: the input is cut off */
		queued = uart_rx_byte(u, byte, err);
	uart_update_irq(u);
	return queued;
}

bool uart16550_receive(struct uart16550 *u, uint8_t byte)
{
	return uart_receive(u, byte, 0);
}

bool uart16550_receive_break(struct uart16550 *u)
{
	return uart_receive(u, 0, LSR_BI);
}

/*
 * The modem status inputs: in loopback (data sheet, MCR bit 4) the modem
 * control outputs drive them: CTS = RTS, DSR = DTR, RI = OUT1, DCD = OUT2.
 */
static uint8_t uart_msr_inputs(uint8_t mcr)
{
	if (!(mcr & MCR_LOOP))
		return MSR_CABLE;
	return (mcr & MCR_RTS ? MSR_CTS : 0) | (mcr & MCR_DTR ? MSR_DSR : 0) |
	       (mcr & MCR_OUT1 ? MSR_RI : 0) | (mcr & MCR_OUT2 ? MSR_DCD : 0);
}

/* MCR changed: latch the deltas of the inputs it moved. */
static void uart_set_mcr(struct uart16550 *u, uint8_t mcr)
{
	uint8_t old = u->msr, now = uart_msr_inputs(mcr), changed = old ^ now;

	u->mcr = mcr;
	u->msr = now | (old & MSR_DELTAS);
	if (changed & MSR_CTS)
		u->msr |= MSR_DCTS;
	if (changed & MSR_DSR)
		u->msr |= MSR_DDSR;
	if ((old & MSR_RI) && !(now & MSR_RI))
		u->msr |= MSR_TERI;	/* trailing edge only: RI went off */
	if (changed & MSR_DCD)
		u->msr |= MSR_DDCD;
}

static uint8_t uart_read_reg(struct uart16550 *u, unsigned int offset)
{
	uint8_t v;
	int c;

	/* Input typed since the last read reaches the FIFO now, as room allows. */
	while (u->host.rx && uart16550_can_receive(u) && (c = u->host.rx(u->host.opaque)) >= 0)
		uart_rx_byte(u, c, 0);
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
		v = uart_lsr(u);
		/* Reading LSR clears OE, and BI/FE/PE of the byte at the top. */
		u->overrun = false;
		if (u->rx_count)
			u->rx_err[u->rx_head] = 0;
		return v;
	case 6:
		v = u->msr;
		u->msr &= ~MSR_DELTAS;
		return v;
	default:
		return u->scr;
	}
}

static void uart_write_fcr(struct uart16550 *u, uint8_t value)
{
	/* Turning the FIFOs on or off empties them. */
	if ((value ^ u->fcr) & FCR_ENABLE)
		uart_rx_clear(u);
	if (!(value & FCR_ENABLE)) {
		u->fcr &= ~FCR_ENABLE;	/* the other bits need bit 0 to be written */
		return;
	}
	u->fcr = value & FCR_KEPT;
	if (value & FCR_CLEAR_RX)
		uart_rx_clear(u);
	/* Bit 2 clears the transmit FIFO: always empty here. */
}

static void uart_write_reg(struct uart16550 *u, unsigned int offset, uint8_t value)
{
	switch (offset) {
	case 0:
		if (u->lcr & LCR_DLAB) {
			u->dll = value;
			break;
		}
		/* Writing THR clears THRE; the byte leaves at once and THR is empty again. */
		u->thr_int = false;
		uart_update_irq(u);
		if (u->mcr & MCR_LOOP)
			uart_rx_byte(u, value, 0);
		else if (u->host.tx)
			u->host.tx(u->host.opaque, value);
		u->thr_int = true;
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
		uart_write_fcr(u, value);
		break;
	case 3:
		u->lcr = value;
		break;
	case 4:
		uart_set_mcr(u, value & 0x1f);
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
	u->msr = MSR_CABLE;
	if (host)
		u->host = *host;
	if (irq)
		u->irq = *irq;
	return bus_register(bus, BUS_PIO, base, UART16550_NR_PORTS, &uart16550_ops, u);
}
