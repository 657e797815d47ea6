// SPDX-License-Identifier: GPL-2.0
/*
 * The guest's console on vmm's terminal; see console.h. With stdin a
 * terminal, vmm puts it in raw mode, as QEMU's -nographic does: every key
 * reaches the guest's UART as typed (Ctrl-C too: it is the guest's), the
 * terminal does not echo (the guest does), and the escape key Ctrl-A
 * gives vmm a command. User mode.
 */
#include <stdio.h>
#include <stdlib.h>
#include <termios.h>
#include <unistd.h>

#include "console.h"

static struct termios saved;
static struct console *raw_console;	/* restored at exit, however vmm ends */
static bool at_exit_set;

static void restore_at_exit(void)
{
	if (raw_console)
		console_restore(raw_console);
}

enum console_action console_key(struct console *c, uint8_t key, uint8_t *out)
{
	if (!c->escaped) {
		if (key == CONSOLE_ESCAPE) {
			c->escaped = true;
			return CONSOLE_NOTHING;
		}
		*out = key;
		return CONSOLE_SEND;
	}
	c->escaped = false;
	if (key == 'x' || key == 'X')
		return CONSOLE_QUIT;
	*out = key;		/* Ctrl-A Ctrl-A: one Ctrl-A; anything else: itself */
	return CONSOLE_SEND;
}

void console_raw(struct console *c)
{
	struct termios t;

	if (!isatty(0) || tcgetattr(0, &saved))
		return;
	t = saved;
	t.c_iflag &= ~(IGNBRK | BRKINT | PARMRK | ISTRIP | INLCR | IGNCR | ICRNL | IXON);
	t.c_lflag &= ~(ECHO | ECHONL | ICANON | ISIG | IEXTEN);
	t.c_cc[VMIN] = 1;
	t.c_cc[VTIME] = 0;
	if (tcsetattr(0, TCSANOW, &t))
		return;
	c->tty = true;
	raw_console = c;
	/* Once per vmm, not per boot (--reboot). */
	if (!at_exit_set) {
		atexit(restore_at_exit);
		at_exit_set = true;
		fprintf(stderr, "vmm: the guest's console is this terminal: Ctrl-A x quits\n");
	}
}

void console_restore(struct console *c)
{
	if (c->tty) {
		tcsetattr(0, TCSANOW, &saved);
		c->tty = false;
	}
	if (raw_console == c)
		raw_console = NULL;
}
