// SPDX-License-Identifier: GPL-2.0
/*
 * Host unit tests for the gdb stub (vmm/gdbstub.c): gdb's packets over a
 * socket pair, a fake backend for the VCPU's registers, and guest memory
 * in a buffer, reached through the guest's page tables (vmm/guestmem.c,
 * kmod/pagewalk.c; the walk itself is tested in check_pagewalk.c).
 */
#include <check.h>

#include "unit.h"
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "../../vmm/gdbstub.h"
#include "../../vmm/vm.h"

#define MEM		(4u << 20)
#define CR0_PG		(1ULL << 31)
#define CR4_PAE		(1ULL << 5)
#define EFER_LMA	(1ULL << 10)

static uint8_t mem[MEM];
static struct minivmm_sregs sregs;
static struct vm vm;
static struct vcpu *v = &vm.vcpus[0];
static int gdb;				/* gdb's end of the socket pair */

static int fake_get_sregs(struct vcpu *vcpu, struct minivmm_sregs *sr)
{
	(void)vcpu;
	*sr = sregs;
	return 0;
}

static const struct accel fake_accel = { .name = "fake", .get_sregs = fake_get_sregs };

static void put(uint64_t pa, uint64_t e)
{
	memcpy(mem + pa, &e, 8);
}

/* 4-level paging: virtual 0x400000-0x401fff on physical 0x5000-0x5fff and 0x8000-0x8fff. */
static void setup(void)
{
	int sv[2];

	memset(mem, 0, 0x10000);
	put(0x1000, 0x2000 | 3);
	put(0x2000, 0x3000 | 3);
	put(0x3000 + 2 * 8, 0x4000 | 3);
	put(0x4000, 0x5000 | 3);
	put(0x4000 + 8, 0x8000 | 3);
	memcpy(mem + 0x5000, "abcd", 4);
	memcpy(mem + 0x8000, "efgh", 4);
	sregs = (struct minivmm_sregs){ .cr0 = CR0_PG | 1, .cr3 = 0x1000, .cr4 = CR4_PAE,
					.efer = EFER_LMA };
	memset(&vm, 0, sizeof(vm));
	vm.accel = &fake_accel;
	vm.mem = mem;
	vm.mem_size = MEM;
	v->vm = &vm;
	ck_assert_int_eq(socketpair(AF_UNIX, SOCK_STREAM, 0, sv), 0);
	vm.gdb_fd = sv[0];
	gdb = sv[1];
}

static void teardown(void)
{
	if (vm.gdb_fd >= 0)
		close(vm.gdb_fd);
	close(gdb);
}

/* gdb sends a packet, and acknowledges the stub's reply in advance. */
static void send_packet(const char *data)
{
	char buf[256];
	unsigned int sum = 0;
	const char *p;
	int n;

	for (p = data; *p; p++)
		sum += (unsigned char)*p;
	n = snprintf(buf, sizeof(buf), "$%s#%02x+", data, sum & 0xff);
	ck_assert_int_eq(write(gdb, buf, n), n);
}

/* What the stub says for these replies, each after its "+" for gdb's packet. */
static const char *expect(const char *const *data)
{
	static char buf[4096];
	unsigned int sum;
	const char *p;
	size_t n = 0;

	for (; *data; data++) {
		for (sum = 0, p = *data; *p; p++)
			sum += (unsigned char)*p;
		n += snprintf(buf + n, sizeof(buf) - n, "+$%s#%02x", *data, sum & 0xff);
	}
	snprintf(buf + n, sizeof(buf) - n, "+");	/* for the last packet, c or s */
	return buf;
}

/* Everything the stub said, with its acknowledgements. */
static const char *replies(void)
{
	static char buf[4096];
	ssize_t n = recv(gdb, buf, sizeof(buf) - 1, MSG_DONTWAIT);

	buf[n > 0 ? n : 0] = '\0';
	return buf;
}

START_TEST(test_memory_through_page_tables)
{
	send_packet("m400000,4");
	send_packet("m400ffe,4");		/* across a page boundary */
	send_packet("m402000,4");		/* not mapped */
	send_packet("c");
	ck_assert_int_eq(gdb_stopped(&vm, v, GDB_STOP_START), GDB_CONTINUE);
	ck_assert_str_eq(replies(),
			 expect((const char *[]){ "61626364", "00006566", "E14", NULL }));
}
END_TEST

START_TEST(test_memory_write_and_breakpoint)
{
	send_packet("M400001,2:5859");
	send_packet("Z0,401002,1");
	send_packet("M402000,1:00");
	send_packet("s");
	ck_assert_int_eq(gdb_stopped(&vm, v, GDB_STOP_START), GDB_STEP);
	ck_assert_str_eq(replies(), expect((const char *[]){ "OK", "OK", "E14", NULL }));
	ck_assert_mem_eq(mem + 0x5000, "aXYd", 4);
	ck_assert_mem_eq(mem + 0x8000, "ef\xcch", 4);	/* INT3 */
	send_packet("z0,401002,1");
	send_packet("c");
	ck_assert_int_eq(gdb_stopped(&vm, v, GDB_STOP_START), GDB_CONTINUE);
	ck_assert_mem_eq(mem + 0x8000, "efgh", 4);
}
END_TEST

START_TEST(test_32bit_paging)
{
	/* The stub now walks 32-bit paging too: 4 MiB-8 MiB through a page table at 0x6000. */
	put(0x1000 + 4, 0x6000 | 3);
	put(0x6000, 0x5000 | 3);
	sregs = (struct minivmm_sregs){ .cr0 = CR0_PG | 1, .cr3 = 0x1000 };
	send_packet("m400000,4");
	send_packet("c");
	ck_assert_int_eq(gdb_stopped(&vm, v, GDB_STOP_START), GDB_CONTINUE);
	ck_assert_str_eq(replies(), expect((const char *[]){ "61626364", NULL }));
}
END_TEST

START_TEST(test_detach_removes_breakpoints)
{
	send_packet("Z0,400000,1");
	send_packet("D");
	ck_assert_int_eq(gdb_stopped(&vm, v, GDB_STOP_START), GDB_DETACH);
	ck_assert_int_eq(vm.gdb_fd, -1);
	ck_assert_mem_eq(mem + 0x5000, "abcd", 4);
}
END_TEST

int main(void)
{
	Suite *su = suite_create("gdbstub");
	TCase *tc = tcase_create("packets");

	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, test_memory_through_page_tables);
	tcase_add_test(tc, test_memory_write_and_breakpoint);
	tcase_add_test(tc, test_32bit_paging);
	tcase_add_test(tc, test_detach_removes_breakpoints);
	suite_add_tcase(su, tc);
	return unit_run(su);
}
