// SPDX-License-Identifier: GPL-2.0
#define _GNU_SOURCE
/*
 * A GDB remote stub for one VCPU; see gdbstub.h. Runs in that VCPU's
 * thread while the guest is stopped.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "gdbstub.h"
#include "guestmem.h"
#include "vm.h"

#define PACKET_MAX	4096

static const char hexdigits[] = "0123456789abcdef";

static int hexval(int c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

/* ---- Packets: $data#checksum, acknowledged with + (GDB manual E.1) ---- */

static int get_char(struct vm *vm)
{
	unsigned char c;

	return read(vm->gdb_fd, &c, 1) == 1 ? c : -1;
}

static int send_packet(struct vm *vm, const char *data)
{
	char buf[PACKET_MAX + 8];
	unsigned int sum = 0;
	size_t i, n = strlen(data);
	int c;

	if (n > PACKET_MAX)
		return -1;
	for (i = 0; i < n; i++)
		sum += (unsigned char)data[i];
	snprintf(buf, sizeof(buf), "$%s#%02x", data, sum & 0xff);
	do {
		if (write(vm->gdb_fd, buf, n + 4) != (ssize_t)(n + 4))
			return -1;
		c = get_char(vm);
	} while (c == '-');
	return c == '+' ? 0 : -1;
}

/* The next packet's data, NUL-terminated: its length, or -1 (gdb left). */
static int get_packet(struct vm *vm, char *buf)
{
	unsigned int sum;
	int c, n;

	for (;;) {
		do {
			c = get_char(vm);
			if (c < 0)
				return -1;
		} while (c != '$');
		sum = 0;
		n = 0;
		while ((c = get_char(vm)) >= 0 && c != '#' && n < PACKET_MAX) {
			buf[n++] = c;
			sum += c;
		}
		buf[n] = '\0';
		if (c != '#')
			return -1;
		c = hexval(get_char(vm)) << 4;
		c |= hexval(get_char(vm));
		if (c == (int)(sum & 0xff)) {
			if (write(vm->gdb_fd, "+", 1) != 1)
				return -1;
			return n;
		}
		if (write(vm->gdb_fd, "-", 1) != 1)
			return -1;
	}
}

static void put_hex_le(char *out, uint64_t v, unsigned int bytes)
{
	unsigned int i;

	for (i = 0; i < bytes; i++, v >>= 8) {
		*out++ = hexdigits[(v >> 4) & 0xf];
		*out++ = hexdigits[v & 0xf];
	}
	*out = '\0';
}

static uint64_t parse_hex(const char **p)
{
	uint64_t v = 0;
	int d;

	while ((d = hexval(**p)) >= 0) {
		v = (v << 4) | d;
		(*p)++;
	}
	return v;
}

/* ---- Guest memory through the guest's page tables ---- */

/* len bytes at guest-virtual va: 0 or -1. */
static int guest_mem(struct vm *vm, struct vcpu *v, uint64_t va, uint8_t *buf,
		     size_t len, bool write)
{
	struct minivmm_sregs sr;

	if (vm->accel->get_sregs(v, &sr))
		return -1;
	return guest_copy(vm, &sr, va, buf, len, write) == len ? 0 : -1;
}

/* ---- Software breakpoints: INT3 in guest memory ---- */

static int bp_insert(struct vm *vm, struct vcpu *v, uint64_t addr)
{
	uint8_t int3 = 0xcc;
	unsigned int i, free_slot = VMM_GDB_BPS;

	for (i = 0; i < VMM_GDB_BPS; i++) {
		if (vm->gdb_bp[i].used && vm->gdb_bp[i].addr == addr)
			return 0;
		if (!vm->gdb_bp[i].used && free_slot == VMM_GDB_BPS)
			free_slot = i;
	}
	if (free_slot == VMM_GDB_BPS ||
	    guest_mem(vm, v, addr, &vm->gdb_bp[free_slot].orig, 1, false) ||
	    guest_mem(vm, v, addr, &int3, 1, true))
		return -1;
	vm->gdb_bp[free_slot].addr = addr;
	vm->gdb_bp[free_slot].used = true;
	return 0;
}

static int bp_remove(struct vm *vm, struct vcpu *v, uint64_t addr)
{
	unsigned int i;

	for (i = 0; i < VMM_GDB_BPS; i++) {
		if (!vm->gdb_bp[i].used || vm->gdb_bp[i].addr != addr)
			continue;
		vm->gdb_bp[i].used = false;
		return guest_mem(vm, v, addr, &vm->gdb_bp[i].orig, 1, true);
	}
	return -1;
}

/* ---- Registers: gdb's amd64 order (rbp before rsp), then eflags, segments ---- */

static int read_registers(struct vm *vm, struct vcpu *v, char *out)
{
	struct minivmm_regs r;
	struct minivmm_sregs s;
	const uint64_t *gpr;
	uint64_t order[17];
	unsigned int i;

	if (vm->accel->get_regs(v, &r) || vm->accel->get_sregs(v, &s))
		return -1;
	gpr = (const uint64_t *)&r;	/* rax rbx rcx rdx rsi rdi rsp rbp r8..r15 rip */
	for (i = 0; i < 6; i++)
		order[i] = gpr[i];
	order[6] = r.rbp;
	order[7] = r.rsp;
	for (i = 8; i < 16; i++)
		order[i] = gpr[i];
	order[16] = r.rip;
	for (i = 0; i < 17; i++)
		put_hex_le(out + i * 16, order[i], 8);
	out += 17 * 16;
	put_hex_le(out, r.rflags, 4);
	put_hex_le(out + 8, s.cs.selector, 4);
	put_hex_le(out + 16, s.ss.selector, 4);
	put_hex_le(out + 24, s.ds.selector, 4);
	put_hex_le(out + 32, s.es.selector, 4);
	put_hex_le(out + 40, s.fs.selector, 4);
	put_hex_le(out + 48, s.gs.selector, 4);
	return 0;
}

/* ---- The session ---- */

int gdb_wait(struct vm *vm, unsigned int port)
{
	struct sockaddr_in a = { .sin_family = AF_INET, .sin_port = htons(port),
				 .sin_addr.s_addr = htonl(INADDR_LOOPBACK) };
	int one = 1, s, c;

	s = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (s < 0 || setsockopt(s, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one)) ||
	    bind(s, (struct sockaddr *)&a, sizeof(a)) || listen(s, 1)) {
		fprintf(stderr, "vmm: --gdb: cannot listen on 127.0.0.1:%u: %s\n", port,
			strerror(errno));
		if (s >= 0)
			close(s);
		return -1;
	}
	fprintf(stderr, "vmm: waiting for gdb on 127.0.0.1:%u (target remote :%u)\n",
		port, port);
	c = accept4(s, NULL, NULL, SOCK_CLOEXEC);
	close(s);
	if (c < 0) {
		fprintf(stderr, "vmm: --gdb: accept: %s\n", strerror(errno));
		return -1;
	}
	setsockopt(c, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one));
	vm->gdb_fd = c;
	return 0;
}

static void hang_up(struct vm *vm)
{
	close(vm->gdb_fd);
	vm->gdb_fd = -1;
}

enum gdb_action gdb_stopped(struct vm *vm, struct vcpu *v, enum gdb_stop why)
{
	static char in[PACKET_MAX + 1], out[PACKET_MAX + 1];
	const char *stop = why == GDB_STOP_BREAKPOINT ? "T05swbreak:;" : "S05";
	const char *p;
	uint64_t addr, len;
	size_t i;

	if (why != GDB_STOP_START && send_packet(vm, stop))
		goto gone;
	for (;;) {
		if (get_packet(vm, in) < 0)
			goto gone;
		p = in + 1;
		out[0] = '\0';
		switch (in[0]) {
		case '?':
			strcpy(out, "S05");
			break;
		case 'g':
			if (read_registers(vm, v, out))
				strcpy(out, "E01");
			break;
		case 'm':	/* m addr,len */
			addr = parse_hex(&p);
			len = *p == ',' ? (p++, parse_hex(&p)) : 0;
			if (len > (PACKET_MAX - 1) / 2)
				len = (PACKET_MAX - 1) / 2;
			{
				uint8_t buf[PACKET_MAX / 2];

				if (guest_mem(vm, v, addr, buf, len, false)) {
					strcpy(out, "E14");
					break;
				}
				for (i = 0; i < len; i++)
					put_hex_le(out + 2 * i, buf[i], 1);
			}
			break;
		case 'M':	/* M addr,len:hex */
			addr = parse_hex(&p);
			len = *p == ',' ? (p++, parse_hex(&p)) : 0;
			if (*p++ != ':' || len > strlen(p) / 2) {
				strcpy(out, "E01");
				break;
			}
			{
				uint8_t buf[PACKET_MAX / 2];

				for (i = 0; i < len; i++)
					buf[i] = hexval(p[2 * i]) << 4 | hexval(p[2 * i + 1]);
				strcpy(out, guest_mem(vm, v, addr, buf, len, true) ? "E14" : "OK");
			}
			break;
		case 'Z':	/* Z0,addr,kind: a software breakpoint */
		case 'z':
			if (in[1] != '0' || in[2] != ',')
				break;		/* other kinds: not supported */
			p = in + 3;
			addr = parse_hex(&p);
			if (in[0] == 'Z')
				strcpy(out, bp_insert(vm, v, addr) ? "E01" : "OK");
			else
				strcpy(out, bp_remove(vm, v, addr) ? "E01" : "OK");
			break;
		case 'c':
		case 's':
			if (*p) {	/* resume at addr */
				struct minivmm_regs r;

				addr = parse_hex(&p);
				if (!vm->accel->get_regs(v, &r)) {
					r.rip = addr;
					vm->accel->set_regs(v, &r);
				}
			}
			return in[0] == 'c' ? GDB_CONTINUE : GDB_STEP;
		case 'D':
			send_packet(vm, "OK");
			goto gone;
		case 'k':
			hang_up(vm);
			return GDB_KILL;
		case 'H':
			strcpy(out, "OK");
			break;
		case 'q':
			if (!strncmp(in, "qSupported", 10))
				snprintf(out, sizeof(out), "PacketSize=%x;swbreak+", PACKET_MAX);
			else if (!strcmp(in, "qAttached"))
				strcpy(out, "1");
			else if (!strcmp(in, "qC"))
				strcpy(out, "QC1");
			else if (!strcmp(in, "qfThreadInfo"))
				strcpy(out, "m1");
			else if (!strcmp(in, "qsThreadInfo"))
				strcpy(out, "l");
			break;
		default:
			break;		/* "": not supported */
		}
		if (send_packet(vm, out))
			goto gone;
	}
gone:
	/* gdb detached or went away: take its breakpoints out, run on. */
	for (i = 0; i < VMM_GDB_BPS; i++)
		if (vm->gdb_bp[i].used)
			bp_remove(vm, v, vm->gdb_bp[i].addr);
	hang_up(vm);
	return GDB_DETACH;
}

int gdb_resume(struct vm *vm, struct vcpu *v, enum gdb_action a)
{
	uint32_t flags = 0;

	if (a == GDB_CONTINUE || a == GDB_STEP)
		flags = MINIVMM_GUESTDBG_ENABLE | MINIVMM_GUESTDBG_SW_BP;
	if (a == GDB_STEP)
		flags |= MINIVMM_GUESTDBG_SINGLESTEP;
	return vm->accel->set_guest_debug(v, flags);
}

void gdb_exited(struct vm *vm, int status)
{
	char w[8];

	if (vm->gdb_fd < 0)
		return;
	snprintf(w, sizeof(w), "W%02x", status & 0xff);
	send_packet(vm, w);
	hang_up(vm);
}
