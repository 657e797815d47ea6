// SPDX-License-Identifier: GPL-2.0
/* Host unit tests for vmm's 16550A UART model (vmm/serial.c). */
#include <check.h>

#include "unit.h"
#include <stdlib.h>
#include <string.h>

#include "../../vmm/serial.h"

static char out[64];
static unsigned int nout;

static void tx(void *opaque, uint8_t b)
{
	(void)opaque;
	if (nout < sizeof(out) - 1)
		out[nout++] = b;
}

static struct serial s;

static void setup(void)
{
	memset(out, 0, sizeof(out));
	nout = 0;
	serial_init(&s, tx, NULL);
}

START_TEST(test_transmit)
{
	const char *msg = "hi\n";

	for (; *msg; msg++) {
		/* A driver waits for THRE (LSR bit 5) before each byte. */
		ck_assert(serial_read(&s, 5) & 0x20);
		serial_write(&s, 0, *msg);
	}
	ck_assert_str_eq(out, "hi\n");
	ck_assert_uint_eq(serial_read(&s, 5) & 0x61, 0x60);	/* THRE, TEMT, no DR */
}
END_TEST

START_TEST(test_receive)
{
	ck_assert(serial_receive(&s, 'a'));
	ck_assert(serial_receive(&s, 'b'));
	ck_assert_uint_eq(serial_read(&s, 5) & 1, 1);		/* data ready */
	ck_assert_uint_eq(serial_read(&s, 0), 'a');
	ck_assert_uint_eq(serial_read(&s, 0), 'b');
	ck_assert_uint_eq(serial_read(&s, 5) & 1, 0);
	ck_assert_uint_eq(serial_read(&s, 0), 0);		/* empty FIFO */
}
END_TEST

START_TEST(test_rx_fifo_full)
{
	unsigned int i;

	for (i = 0; i < SERIAL_RX_SIZE; i++)
		ck_assert(serial_receive(&s, (uint8_t)i));
	ck_assert(!serial_receive(&s, 0xff));
	ck_assert_uint_eq(serial_read(&s, 0), 0);
	/* FCR bit 1 clears the receive FIFO. */
	serial_write(&s, 2, 0x03);
	ck_assert_uint_eq(serial_read(&s, 5) & 1, 0);
}
END_TEST

START_TEST(test_divisor_latch)
{
	serial_write(&s, 3, 0x80);		/* LCR.DLAB */
	serial_write(&s, 0, 0x01);		/* DLL: 115200 baud */
	serial_write(&s, 1, 0x00);		/* DLM */
	ck_assert_uint_eq(serial_read(&s, 0), 0x01);
	ck_assert_uint_eq(serial_read(&s, 1), 0x00);
	ck_assert_uint_eq(nout, 0);		/* nothing was transmitted */
	serial_write(&s, 3, 0x03);		/* 8N1, DLAB off */
	ck_assert_uint_eq(serial_read(&s, 3), 0x03);
	serial_write(&s, 1, 0x0f);
	ck_assert_uint_eq(serial_read(&s, 1), 0x0f);	/* IER, not DLM */
}
END_TEST

START_TEST(test_interrupt_identification)
{
	ck_assert_uint_eq(serial_read(&s, 2) & 0x0f, 0x01);	/* none pending */
	serial_write(&s, 1, 0x02);				/* enable THRE interrupt */
	ck_assert(serial_irq_pending(&s));
	ck_assert_uint_eq(serial_read(&s, 2) & 0x0f, 0x02);	/* THRE; reading clears it */
	ck_assert_uint_eq(serial_read(&s, 2) & 0x0f, 0x01);
	serial_write(&s, 1, 0x01);				/* receive interrupt only */
	serial_receive(&s, 'x');
	ck_assert_uint_eq(serial_read(&s, 2) & 0x0f, 0x04);
	serial_read(&s, 0);
	ck_assert(!serial_irq_pending(&s));
}
END_TEST

START_TEST(test_loopback_and_scratch)
{
	serial_write(&s, 4, 0x10);		/* MCR loopback */
	serial_write(&s, 0, 'z');
	ck_assert_uint_eq(nout, 0);
	ck_assert_uint_eq(serial_read(&s, 0), 'z');
	serial_write(&s, 7, 0x5a);
	ck_assert_uint_eq(serial_read(&s, 7), 0x5a);
}
END_TEST

int main(void)
{
	Suite *su = suite_create("serial");
	TCase *tc = tcase_create("16550a");

	tcase_add_checked_fixture(tc, setup, NULL);
	tcase_add_test(tc, test_transmit);
	tcase_add_test(tc, test_receive);
	tcase_add_test(tc, test_rx_fifo_full);
	tcase_add_test(tc, test_divisor_latch);
	tcase_add_test(tc, test_interrupt_identification);
	tcase_add_test(tc, test_loopback_and_scratch);
	suite_add_tcase(su, tc);
	return unit_run(su);
}
