// SPDX-License-Identifier: GPL-2.0
/*
 * The system fd: /dev/minivmm, its ioctls and their errors, the VM fd's
 * lifetime rules. Runs in the test machine.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
#include <x86intrin.h>

#include <linux/minivmm.h>

#include "kselftest_harness.h"
#include "../lib/mvtest.h"

/* IA32_VMX_PROCBASED_CTLS2 and IA32_VMX_EPT_VPID_CAP, SDM Vol. 3D, A.3.3/A.10 */
#define MSR_VMX_PROCBASED_CTLS2	0x48b
#define MSR_VMX_EPT_VPID_CAP	0x48c

FIXTURE(dev) {
	int fd;
};

FIXTURE_SETUP(dev)
{
	ASSERT_EQ(0, mv_load());
	self->fd = mv_open();
	ASSERT_LE(0, self->fd) TH_LOG("open /dev/minivmm: %m");
}

FIXTURE_TEARDOWN(dev)
{
	close(self->fd);
}

TEST_F(dev, device_node_is_root_only)
{
	struct stat st;

	ASSERT_EQ(0, stat("/dev/minivmm", &st));
	EXPECT_TRUE(S_ISCHR(st.st_mode));
	EXPECT_EQ(0600, st.st_mode & 07777);
	EXPECT_EQ(0, st.st_uid);
}

TEST_F(dev, open_as_unprivileged_user_fails)
{
	pid_t pid = fork();
	int status;

	ASSERT_LE(0, pid);
	if (pid == 0) {
		if (setgid(65534) || setuid(65534))
			_exit(2);
		_exit(mv_open() < 0 && errno == EACCES ? 0 : 1);
	}
	ASSERT_EQ(pid, waitpid(pid, &status, 0));
	EXPECT_TRUE(WIFEXITED(status));
	EXPECT_EQ(0, WEXITSTATUS(status));
}

TEST_F(dev, api_version)
{
	EXPECT_EQ(MINIVMM_API_VERSION, ioctl(self->fd, MINIVMM_GET_API_VERSION, 0));
	EXPECT_EQ(1, MINIVMM_API_VERSION);
	/* The argument is reserved and must be zero. */
	EXPECT_EQ(-1, ioctl(self->fd, MINIVMM_GET_API_VERSION, 1));
	EXPECT_EQ(EINVAL, errno);
}

TEST_F(dev, unknown_ioctls_are_enotty)
{
	static const unsigned long bad[] = {
		_IO(MINIVMM_IO, 0x3f),			/* unused system number */
		_IO(MINIVMM_IO, 0x40),			/* a VM-fd number */
		_IO(0xAE, 0x00),			/* KVM_GET_API_VERSION */
		_IOWR(MINIVMM_IO, 0x01, uint64_t),	/* CREATE_VM, wrong direction/size */
		_IOR(MINIVMM_IO, 0x00, uint32_t),	/* GET_API_VERSION, wrong size */
		0,
		0xffffffff,
	};
	unsigned int i;

	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		errno = 0;
		EXPECT_EQ(-1, ioctl(self->fd, bad[i], 0)) TH_LOG("ioctl %#lx", bad[i]);
		EXPECT_EQ(ENOTTY, errno) TH_LOG("ioctl %#lx", bad[i]);
	}
}

TEST_F(dev, capabilities_match_the_cpu)
{
	uint64_t ctls2, ept_vpid;
	long max_vms = -1;
	FILE *f;

	ASSERT_EQ(0, mv_rdmsr(0, MSR_VMX_PROCBASED_CTLS2, &ctls2));
	ASSERT_EQ(0, mv_rdmsr(0, MSR_VMX_EPT_VPID_CAP, &ept_vpid));

	EXPECT_EQ(1, ioctl(self->fd, MINIVMM_CHECK_CAPABILITY, MINIVMM_CAP_UNRESTRICTED_GUEST));
	EXPECT_EQ(1, ioctl(self->fd, MINIVMM_CHECK_CAPABILITY, MINIVMM_CAP_EPT));
	/*
	 * VPID: allowed-1 bit 5 of the secondary controls, with INVVPID (bit
	 * 32) of its single-context type (bit 41).
	 */
	EXPECT_EQ(!!((ctls2 >> 32) & (1 << 5)) && !!(ept_vpid & (1ULL << 32)) &&
		  !!(ept_vpid & (1ULL << 41)),
		  ioctl(self->fd, MINIVMM_CHECK_CAPABILITY, MINIVMM_CAP_VPID));
	/* EPT accessed/dirty flags: IA32_VMX_EPT_VPID_CAP bit 21. */
	EXPECT_EQ(!!(ept_vpid & (1ULL << 21)),
		  ioctl(self->fd, MINIVMM_CHECK_CAPABILITY, MINIVMM_CAP_EPT_AD));

	f = fopen("/sys/module/minivmm/parameters/max_vms", "r");
	ASSERT_NE(NULL, f);
	ASSERT_EQ(1, fscanf(f, "%ld", &max_vms));
	fclose(f);
	EXPECT_EQ(max_vms, ioctl(self->fd, MINIVMM_CHECK_CAPABILITY, MINIVMM_CAP_MAX_VMS));
	EXPECT_LE(8, ioctl(self->fd, MINIVMM_CHECK_CAPABILITY, MINIVMM_CAP_MAX_VCPUS));
	EXPECT_LE(8, ioctl(self->fd, MINIVMM_CHECK_CAPABILITY, MINIVMM_CAP_NR_MEMSLOTS));
	/* Event injection needs nothing beyond the required controls. */
	EXPECT_EQ(1, ioctl(self->fd, MINIVMM_CHECK_CAPABILITY, MINIVMM_CAP_INTERRUPTS));
}

/*
 * The TSC frequency the module reports (what vmm tells a Linux guest in
 * CPUID leaf 0x15) is the rate the TSC runs at against CLOCK_MONOTONIC_RAW,
 * within 5% (the two reads of a pair are not one instant).
 */
TEST_F(dev, tsc_khz_is_the_rate_the_tsc_runs_at)
{
	long khz = ioctl(self->fd, MINIVMM_CHECK_CAPABILITY, MINIVMM_CAP_TSC_KHZ);
	struct timespec a, b;
	unsigned long long t0, t1;
	double ns, measured;

	ASSERT_LT(0, khz);
	clock_gettime(CLOCK_MONOTONIC_RAW, &a);
	t0 = __rdtsc();
	usleep(20000);
	t1 = __rdtsc();
	clock_gettime(CLOCK_MONOTONIC_RAW, &b);
	ns = (b.tv_sec - a.tv_sec) * 1e9 + (b.tv_nsec - a.tv_nsec);
	measured = (t1 - t0) / ns * 1e6;
	TH_LOG("module: %ld kHz, measured: %.0f kHz", khz, measured);
	EXPECT_LT(measured * 0.95, khz);
	EXPECT_GT(measured * 1.05, khz);
}

TEST_F(dev, unknown_capabilities_are_zero)
{
	static const unsigned long unknown[] = { 0, MINIVMM_CAP_TSC_KHZ + 1, 99, 0x7fffffff, ~0UL };
	unsigned int i;

	for (i = 0; i < sizeof(unknown) / sizeof(unknown[0]); i++)
		EXPECT_EQ(0, ioctl(self->fd, MINIVMM_CHECK_CAPABILITY, unknown[i]))
			TH_LOG("capability %#lx", unknown[i]);
}

TEST_F(dev, create_vm_rejects_unknown_flags)
{
	static const unsigned long bad[] = { 1, 2, 0x80000000UL, ~0UL };
	unsigned int i;

	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		errno = 0;
		EXPECT_EQ(-1, ioctl(self->fd, MINIVMM_CREATE_VM, bad[i]));
		EXPECT_EQ(EINVAL, errno);
	}
	EXPECT_EQ(0, mv_counter("vms"));
}

TEST_F(dev, vm_fd_holds_vmx_on_every_cpu)
{
	int vm = ioctl(self->fd, MINIVMM_CREATE_VM, 0);

	ASSERT_LE(0, vm) TH_LOG("CREATE_VM: %m");
	EXPECT_EQ(FD_CLOEXEC, fcntl(vm, F_GETFD) & FD_CLOEXEC);
	EXPECT_EQ(1, mv_counter("vms"));
	EXPECT_EQ(mv_online_cpus(), mv_counter("vmxon_cpus"));

	/* No VM ioctl is defined yet: all are unknown. */
	EXPECT_EQ(-1, ioctl(vm, _IO(MINIVMM_IO, 0x40), 0));
	EXPECT_EQ(ENOTTY, errno);
	EXPECT_EQ(-1, ioctl(vm, MINIVMM_CREATE_VM, 0));
	EXPECT_EQ(ENOTTY, errno);

	close(vm);
	EXPECT_EQ(0, mv_counter("vms"));
	EXPECT_EQ(0, mv_counter("vmxon_cpus"));
}

TEST_F(dev, vm_fd_from_another_process_is_eio)
{
	int vm = ioctl(self->fd, MINIVMM_CREATE_VM, 0);
	pid_t pid;
	int status;

	ASSERT_LE(0, vm);
	pid = fork();
	ASSERT_LE(0, pid);
	if (pid == 0)
		_exit(ioctl(vm, _IO(MINIVMM_IO, 0x40), 0) == -1 && errno == EIO ? 0 : 1);
	ASSERT_EQ(pid, waitpid(pid, &status, 0));
	EXPECT_TRUE(WIFEXITED(status));
	EXPECT_EQ(0, WEXITSTATUS(status));
	/* The child's exit did not destroy the VM: the parent still owns it. */
	EXPECT_EQ(1, mv_counter("vms"));
	close(vm);
	EXPECT_EQ(0, mv_counter("vms"));
}

TEST_F(dev, unload_refused_while_a_vm_is_open)
{
	int vm = ioctl(self->fd, MINIVMM_CREATE_VM, 0);

	ASSERT_LE(0, vm);
	close(self->fd);	/* only the VM fd holds the module now */
	self->fd = -1;
	EXPECT_EQ(-EWOULDBLOCK, mv_rmmod("minivmm"));
	EXPECT_TRUE(mv_module_loaded("minivmm"));
	close(vm);
	EXPECT_EQ(0, mv_rmmod("minivmm"));
	EXPECT_FALSE(mv_module_loaded("minivmm"));
	EXPECT_NE(0, access("/dev/minivmm", F_OK));
	ASSERT_EQ(0, mv_load());
}

TEST_HARNESS_MAIN
