// SPDX-License-Identifier: GPL-2.0
/*
 * CPU hotplug while VMs exist: a CPU that goes offline leaves VMX operation,
 * one that comes online enters it, and a VMCS left active on it is cleared
 * first. Runs in the test machine.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include <linux/minivmm.h>

#include "kselftest_harness.h"
#include "../lib/mvtest.h"

FIXTURE(hp) {
	int fd;
};

FIXTURE_SETUP(hp)
{
	ASSERT_EQ(0, mv_load());
	self->fd = mv_open();
	ASSERT_LE(0, self->fd) TH_LOG("open /dev/minivmm: %m");
}

FIXTURE_TEARDOWN(hp)
{
	close(self->fd);
}

static int set_cpu_online(int cpu, int online)
{
	char path[64];
	int fd, r;

	snprintf(path, sizeof(path), "/sys/devices/system/cpu/cpu%d/online", cpu);
	fd = open(path, O_WRONLY);
	if (fd < 0)
		return -errno;
	r = write(fd, online ? "1" : "0", 1) == 1 ? 0 : -errno;
	close(fd);
	return r;
}

/* SDM 24.7: a CPU that comes online while VMs exist must do VMXON too. */
TEST_F_TIMEOUT(hp, cpu_hotplug_while_vms_exist, 300)
{
	int vm, vm2, n = mv_online_cpus();

	if (n < 2)
		SKIP(return, "needs 2 CPUs, the test machine has %d", n);
	vm = ioctl(self->fd, MINIVMM_CREATE_VM, 0);
	ASSERT_LE(0, vm);
	EXPECT_EQ(n, mv_counter("vmxon_cpus"));

	ASSERT_EQ(0, set_cpu_online(1, 0));
	EXPECT_EQ(n - 1, mv_counter("vmxon_cpus"));
	/* A VM created while a CPU is offline. */
	vm2 = ioctl(self->fd, MINIVMM_CREATE_VM, 0);
	EXPECT_LE(0, vm2);
	ASSERT_EQ(0, set_cpu_online(1, 1));
	EXPECT_EQ(n, mv_counter("vmxon_cpus"));

	close(vm);
	EXPECT_EQ(n, mv_counter("vmxon_cpus"));
	close(vm2);
	EXPECT_EQ(0, mv_counter("vmxon_cpus"));

	/* Offline and online with no VM: nothing turns VMX on. */
	ASSERT_EQ(0, set_cpu_online(1, 0));
	ASSERT_EQ(0, set_cpu_online(1, 1));
	EXPECT_EQ(0, mv_counter("vmxon_cpus"));
}

/* RUN once; the data byte of the OUT it exits on, or -1. */
static int run_to_out(struct mv_vm *v)
{
	if (ioctl(v->vcpu, MINIVMM_RUN, 0) || v->run->exit_reason != MINIVMM_EXIT_IO ||
	    v->run->io.direction != MINIVMM_IO_OUT || v->run->io.port != 0x80)
		return -1;
	return *((uint8_t *)v->run + v->run->io.data_offset);
}

/*
 * A VMCS stays active on the CPU its VCPU last ran on (kmod/vcpu.c). It
 * must be cleared there before the VCPU runs elsewhere, before that CPU
 * leaves VMX operation, and before the VCPU is freed from another CPU;
 * the guest counts in AL across all of it.
 */
TEST_F_TIMEOUT(hp, active_vmcs_through_offline_migration_and_close, 300)
{
	/* 1: inc ax; out 0x80, al; jmp 1b */
	static const uint8_t code[] = { 0x40, 0xe6, 0x80, 0xeb, 0xfb };
	struct minivmm_regs regs;
	struct mv_vm v;
	int n = mv_online_cpus(), r;

	if (n < 2)
		SKIP(return, "needs 2 CPUs, the test machine has %d", n);
	r = mv_vm_open(&v, 1 << 20);
	ASSERT_EQ(0, r) TH_LOG("a VM: %s", strerror(-r));
	ASSERT_EQ(0, mv_vm_load_real(&v, 0x7c00, code, sizeof(code)));

	/* Active on CPU 1, then CPU 1 goes offline under it. */
	ASSERT_EQ(0, mv_pin(1));
	EXPECT_EQ(1, run_to_out(&v));
	EXPECT_EQ(2, run_to_out(&v));
	ASSERT_EQ(0, mv_pin(0));
	ASSERT_EQ(0, set_cpu_online(1, 0));
	EXPECT_EQ(n - 1, mv_counter("vmxon_cpus"));
	EXPECT_EQ(3, run_to_out(&v)) TH_LOG("after CPU 1 went offline");

	/* Back online: the VMCS moves from CPU 0 to CPU 1 and back. */
	ASSERT_EQ(0, set_cpu_online(1, 1));
	ASSERT_EQ(0, mv_pin(1));
	EXPECT_EQ(4, run_to_out(&v));
	ASSERT_EQ(0, mv_pin(0));
	EXPECT_EQ(5, run_to_out(&v));
	ASSERT_EQ(0, mv_pin(1));
	EXPECT_EQ(6, run_to_out(&v));
	/* Register ioctls load the VMCS too, on whatever CPU they run. */
	ASSERT_EQ(0, mv_pin(0));
	ASSERT_EQ(0, ioctl(v.vcpu, MINIVMM_GET_REGS, &regs));
	EXPECT_EQ(6, regs.rax & 0xffff);
	EXPECT_EQ(0x7c03, regs.rip);

	/* Freed from CPU 0 while active on CPU 1. */
	ASSERT_EQ(0, mv_pin(1));
	EXPECT_EQ(7, run_to_out(&v));
	ASSERT_EQ(0, mv_pin(0));
	mv_vm_close(&v);
	EXPECT_EQ(0, mv_counter("vmcs"));
	EXPECT_EQ(0, mv_counter("vms"));
	EXPECT_EQ(0, mv_counter("vmxon_cpus"));
}

TEST_HARNESS_MAIN
