// SPDX-License-Identifier: GPL-2.0
/*
 * CPU hotplug while VMs exist: a CPU that goes offline leaves VMX operation,
 * one that comes online enters it. Runs in the test machine.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
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

TEST_HARNESS_MAIN
