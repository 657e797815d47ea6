// SPDX-License-Identifier: GPL-2.0
/*
 * Lifetimes: VM create/close cycles leave nothing behind, the VM limit, module
 * load/unload cycles, and CPU hotplug while VMs exist. Runs in the test machine.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include <linux/minivmm.h>

#include "kselftest_harness.h"
#include "../lib/mvtest.h"

FIXTURE(life) {
	int fd;
};

FIXTURE_SETUP(life)
{
	ASSERT_EQ(0, mv_load());
	self->fd = mv_open();
	ASSERT_LE(0, self->fd) TH_LOG("open /dev/minivmm: %m");
}

FIXTURE_TEARDOWN(life)
{
	if (self->fd >= 0)
		close(self->fd);
}

TEST_F_TIMEOUT(life, create_close_1000_vms_leaks_nothing, 300)
{
	long slab_before, slab_after, avail_before, avail_after;
	int i, vm;

	/* Warm up caches so that the first allocations are not counted. */
	for (i = 0; i < 10; i++) {
		vm = ioctl(self->fd, MINIVMM_CREATE_VM, 0);
		ASSERT_LE(0, vm);
		close(vm);
	}
	slab_before = mv_meminfo("SUnreclaim");
	avail_before = mv_meminfo("MemAvailable");
	for (i = 0; i < 1000; i++) {
		vm = ioctl(self->fd, MINIVMM_CREATE_VM, 0);
		ASSERT_LE(0, vm) TH_LOG("cycle %d: %m", i);
		ASSERT_EQ(0, close(vm));
	}
	slab_after = mv_meminfo("SUnreclaim");
	avail_after = mv_meminfo("MemAvailable");
	TH_LOG("1000 cycles: SUnreclaim %ld -> %ld kB, MemAvailable %ld -> %ld kB",
	       slab_before, slab_after, avail_before, avail_after);

	EXPECT_EQ(0, mv_counter("vms"));
	EXPECT_EQ(0, mv_counter("vmxon_cpus"));
	/* A leak of even 256 bytes per VM would show as 250 kB here. */
	EXPECT_GT(256, slab_after - slab_before);
	EXPECT_GT(1024, avail_before - avail_after);
}

TEST_F_TIMEOUT(life, vm_limit_is_enforced, 300)
{
	long max = ioctl(self->fd, MINIVMM_CHECK_CAPABILITY, MINIVMM_CAP_MAX_VMS);
	int *vms, i, extra;

	ASSERT_LT(0, max);
	vms = calloc(max, sizeof(*vms));
	ASSERT_NE(NULL, vms);
	for (i = 0; i < max; i++) {
		vms[i] = ioctl(self->fd, MINIVMM_CREATE_VM, 0);
		ASSERT_LE(0, vms[i]) TH_LOG("VM %d of %ld: %m", i, max);
	}
	EXPECT_EQ(max, mv_counter("vms"));
	extra = ioctl(self->fd, MINIVMM_CREATE_VM, 0);
	EXPECT_EQ(-1, extra);
	EXPECT_EQ(ENOSPC, errno);
	for (i = 0; i < max; i++)
		close(vms[i]);
	free(vms);
	EXPECT_EQ(0, mv_counter("vms"));
	EXPECT_EQ(0, mv_counter("vmxon_cpus"));
}

TEST_F_TIMEOUT(life, load_unload_20_cycles, 600)
{
	int i, vm;

	close(self->fd);
	self->fd = -1;
	for (i = 0; i < 20; i++) {
		ASSERT_EQ(0, mv_rmmod("minivmm")) TH_LOG("cycle %d", i);
		ASSERT_FALSE(mv_module_loaded("minivmm"));
		ASSERT_NE(0, access("/dev/minivmm", F_OK));
		ASSERT_EQ(0, mv_load()) TH_LOG("cycle %d", i);
		/* Each load must give a working device, not just a loaded module. */
		self->fd = mv_open();
		ASSERT_LE(0, self->fd) TH_LOG("cycle %d: open: %m", i);
		vm = ioctl(self->fd, MINIVMM_CREATE_VM, 0);
		ASSERT_LE(0, vm) TH_LOG("cycle %d: CREATE_VM: %m", i);
		close(vm);
		close(self->fd);
		self->fd = -1;
	}
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
TEST_F_TIMEOUT(life, cpu_hotplug_while_vms_exist, 300)
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
