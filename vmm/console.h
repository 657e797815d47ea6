/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The guest's console on vmm's terminal: what is typed goes to COM1's
 * receiver, except the escape key, Ctrl-A, which QEMU's -nographic users
 * know: Ctrl-A x quits vmm, Ctrl-A Ctrl-A types one Ctrl-A. Pure logic
 * (console_key), unit-tested on the host (tests/unit/check_console.c); the
 * terminal's raw mode is console_raw()/console_restore(). User mode.
 */
#ifndef VMM_CONSOLE_H
#define VMM_CONSOLE_H

#include <stdbool.h>
#include <stdint.h>

#define CONSOLE_ESCAPE	0x01	/* Ctrl-A */

enum console_action {
	CONSOLE_NOTHING,	/* the escape key: wait for the next */
	CONSOLE_SEND,		/* give *out to the guest */
	CONSOLE_QUIT,		/* Ctrl-A x: end vmm */
};

struct console {
	bool escaped;		/* the last key was Ctrl-A */
	bool tty;		/* stdin is a terminal in raw mode */
};

/* One key typed; *out is the byte for the guest with CONSOLE_SEND. */
enum console_action console_key(struct console *c, uint8_t key, uint8_t *out);
/* stdin a terminal: raw mode (and a line on stderr saying how to quit). */
void console_raw(struct console *c);
void console_restore(struct console *c);

#endif
