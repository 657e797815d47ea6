// SPDX-License-Identifier: GPL-2.0
/*
 * Lifetimes: VM create/close cycles leave nothing behind, the VM limit, module
 * load/unload cycles. Runs in the test machine.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/ioctl.h>
#include <sys/syscall.h>
#include <linux/membarrier.h>
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

/*
 * Wait for RCU grace periods (MEMBARRIER_CMD_GLOBAL is synchronize_rcu())
 * rather than sleeping: timed sleeps are slow in the test machine.
 */
static void rcu_barrier_from_user(void)
{
	int i;

	for (i = 0; i < 3; i++)
		syscall(SYS_membarrier, MEMBARRIER_CMD_GLOBAL, 0, 0);
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
	rcu_barrier_from_user();
	slab_before = mv_meminfo("SUnreclaim");
	avail_before = mv_meminfo("MemAvailable");
	for (i = 0; i < 1000; i++) {
		vm = ioctl(self->fd, MINIVMM_CREATE_VM, 0);
		ASSERT_LE(0, vm) TH_LOG("cycle %d: %m", i);
		ASSERT_EQ(0, close(vm));
	}
	/* Closed files are freed after an RCU grace period: let them go. */
	rcu_barrier_from_user();
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

TEST_HARNESS_MAIN
