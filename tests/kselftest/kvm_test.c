// SPDX-License-Identifier: GPL-2.0
/*
 * minivmm and Linux KVM in the same kernel: one VMX owner at a time. Runs in
 * the test machine, on either of its kernels:
 *
 * - Linux 6.1: kvm_intel turns VMX on only while a KVM VM exists, so both
 *   modules stay loaded, each runs guests in turn, and each fails cleanly
 *   with -EBUSY while the other holds VMX.
 * - Linux 6.12+: kvm has the parameter enable_virt_at_load (default 1) and
 *   kvm_intel then turns VMX on when it loads: minivmm's CREATE_VM fails with
 *   -EBUSY and one kernel-log line naming the fix, until kvm_intel is
 *   unloaded. With kvm loaded as enable_virt_at_load=0, KVM behaves as on
 *   6.1 and the coexistence tests above hold again.
 *
 * Which behaviour applies is decided from the running kernel's version and
 * checked against /sys/module/kvm/parameters/enable_virt_at_load.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/utsname.h>
#include <unistd.h>

#include <linux/kvm.h>
#include <linux/minivmm.h>

#include "kselftest_harness.h"
#include "../lib/mvtest.h"

#define VIRT_AT_LOAD	"/sys/module/kvm/parameters/enable_virt_at_load"
#define MEM_SIZE	(2UL << 20)
#define CODE_ADDR	0x7c00
#define GUEST_PORT	0x10
#define GUEST_BYTE	0x42

/* mov $0x42,%al; out %al,$0x10; hlt: real mode, for either hypervisor. */
static const uint8_t guest_code[] = { 0xb0, GUEST_BYTE, 0xe6, GUEST_PORT, 0xf4 };

/* Linux 6.12 added kvm.enable_virt_at_load (VMX on from kvm_intel's load). */
static bool kernel_has_virt_at_load(void)
{
	struct utsname u;
	unsigned int major = 0, minor = 0;

	if (uname(&u) || sscanf(u.release, "%u.%u", &major, &minor) != 2)
		return false;
	return major > 6 || (major == 6 && minor >= 12);
}

/* kvm's parameter as read back from sysfs: 'Y', 'N', or 0 if it is absent. */
static char virt_at_load_param(void)
{
	char c = 0;
	int fd = open(VIRT_AT_LOAD, O_RDONLY | O_CLOEXEC);

	if (fd < 0)
		return 0;
	if (read(fd, &c, 1) != 1)
		c = '?';
	close(fd);
	return c;
}

/*
 * minivmm's own kernel-log lines ("minivmm: ...") from now on: /dev/kmsg
 * opened at its end. Offsets into the whole log would not do: the ring
 * buffer drops old lines once it is full.
 */
static int klog_from_now(void)
{
	int fd = open("/dev/kmsg", O_RDONLY | O_NONBLOCK | O_CLOEXEC);

	if (fd >= 0)
		lseek(fd, 0, SEEK_END);
	return fd;
}

/* Whether a minivmm line logged since klog_from_now() has all the words. */
static bool klog_has_line(int fd, const char *const words[])
{
	char rec[2048];
	const char *msg;
	ssize_t n;
	int i;

	for (;;) {
		n = read(fd, rec, sizeof(rec) - 1);
		if (n < 0 && errno == EPIPE)	/* records lost to the ring: go on */
			continue;
		if (n <= 0)
			return false;
		rec[n] = '\0';
		/* "PRIORITY,SEQUENCE,TIME,FLAGS;MESSAGE" */
		msg = strchr(rec, ';');
		if (!msg || strncmp(msg + 1, "minivmm: ", 9))
			continue;
		for (i = 0; words[i] && strstr(msg, words[i]); i++)
			;
		if (!words[i])
			return true;
	}
}

/*
 * Load irqbypass, kvm (with kvm_params) and kvm_intel, each unless already
 * loaded (finit_module reads and checks the whole file before it finds a
 * duplicate). 0 or -errno.
 */
static int kvm_load(const char *kvm_params)
{
	static const char *const mods[][2] = {
		{ "irqbypass", MV_EXTRA_DIR "/irqbypass.ko" },
		{ "kvm", MV_EXTRA_DIR "/kvm.ko" },
		{ "kvm_intel", MV_EXTRA_DIR "/kvm-intel.ko" },
	};
	int i, r;

	for (i = 0; i < 3; i++) {
		if (mv_module_loaded(mods[i][0]))
			continue;
		r = mv_insmod(mods[i][1], i == 1 ? kvm_params : "");
		if (r)
			return r;
	}
	return 0;
}

/* Unload kvm_intel, kvm and irqbypass if loaded. 0 or the first -errno. */
static int kvm_unload(void)
{
	static const char *const mods[] = { "kvm_intel", "kvm", "irqbypass" };
	int i, r, err = 0;

	for (i = 0; i < 3; i++) {
		r = mv_rmmod(mods[i]);
		if (r && r != -ENOENT && !err)
			err = r;
	}
	return err;
}

/* Run guest_code in a new minivmm VM: one OUT exit, then HLT. */
static void run_minivmm_guest(struct __test_metadata *_metadata)
{
	struct minivmm_run *run;
	struct mv_vm v;
	int r;

	r = mv_vm_open(&v, MEM_SIZE);
	ASSERT_EQ(0, r) TH_LOG("minivmm VM: %s", strerror(-r));
	ASSERT_EQ(0, mv_vm_load_real(&v, CODE_ADDR, guest_code, sizeof(guest_code)));
	run = v.run;

	ASSERT_EQ(0, ioctl(v.vcpu, MINIVMM_RUN, 0)) TH_LOG("minivmm RUN: %m");
	ASSERT_EQ(MINIVMM_EXIT_IO, run->exit_reason);
	EXPECT_EQ(MINIVMM_IO_OUT, run->io.direction);
	EXPECT_EQ(GUEST_PORT, run->io.port);
	EXPECT_EQ(1, run->io.size);
	EXPECT_EQ(GUEST_BYTE, *((uint8_t *)run + run->io.data_offset));
	ASSERT_EQ(0, ioctl(v.vcpu, MINIVMM_RUN, 0));
	EXPECT_EQ(MINIVMM_EXIT_HLT, run->exit_reason);

	mv_vm_close(&v);
}

/* The same guest in a new KVM VM: KVM_EXIT_IO, then KVM_EXIT_HLT (no irqchip). */
static void run_kvm_guest(struct __test_metadata *_metadata, int kvm)
{
	struct kvm_userspace_memory_region r = { .slot = 0, .memory_size = MEM_SIZE };
	struct kvm_regs regs = { .rip = CODE_ADDR, .rflags = 2, .rsp = CODE_ADDR };
	struct kvm_sregs sregs;
	struct kvm_run *run;
	int vm, vcpu, size;
	uint8_t *mem;

	vm = ioctl(kvm, KVM_CREATE_VM, 0);
	ASSERT_LE(0, vm) TH_LOG("KVM_CREATE_VM: %m");
	mem = mmap(NULL, MEM_SIZE, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	ASSERT_NE(MAP_FAILED, mem);
	memcpy(mem + CODE_ADDR, guest_code, sizeof(guest_code));
	r.userspace_addr = (uintptr_t)mem;
	ASSERT_EQ(0, ioctl(vm, KVM_SET_USER_MEMORY_REGION, &r)) TH_LOG("%m");
	vcpu = ioctl(vm, KVM_CREATE_VCPU, 0);
	ASSERT_LE(0, vcpu) TH_LOG("KVM_CREATE_VCPU: %m");
	size = ioctl(kvm, KVM_GET_VCPU_MMAP_SIZE, 0);
	ASSERT_LT(0, size);
	run = mmap(NULL, size, PROT_READ | PROT_WRITE, MAP_SHARED, vcpu, 0);
	ASSERT_NE(MAP_FAILED, run);
	/* Reset state is real mode at F000:FFF0: start at 0000:7C00 instead. */
	ASSERT_EQ(0, ioctl(vcpu, KVM_GET_SREGS, &sregs));
	sregs.cs.base = 0;
	sregs.cs.selector = 0;
	ASSERT_EQ(0, ioctl(vcpu, KVM_SET_SREGS, &sregs));
	ASSERT_EQ(0, ioctl(vcpu, KVM_SET_REGS, &regs));

	ASSERT_EQ(0, ioctl(vcpu, KVM_RUN, 0)) TH_LOG("KVM_RUN: %m");
	ASSERT_EQ(KVM_EXIT_IO, run->exit_reason) TH_LOG("exit %u", run->exit_reason);
	EXPECT_EQ(KVM_EXIT_IO_OUT, run->io.direction);
	EXPECT_EQ(GUEST_PORT, run->io.port);
	EXPECT_EQ(1, run->io.size);
	EXPECT_EQ(GUEST_BYTE, *((uint8_t *)run + run->io.data_offset));
	ASSERT_EQ(0, ioctl(vcpu, KVM_RUN, 0));
	EXPECT_EQ(KVM_EXIT_HLT, run->exit_reason) TH_LOG("exit %u", run->exit_reason);

	munmap(run, size);
	close(vcpu);
	close(vm);
	munmap(mem, MEM_SIZE);
}

/*
 * kvm_intel loaded with its defaults. On 6.1 it leaves VMX alone until a KVM
 * VM exists, so minivmm runs a guest; on 6.12 it owns VMX from its load, so
 * minivmm refuses with -EBUSY and names the fix in the kernel log, and works
 * again once kvm_intel is gone.
 */
TEST(kvm_intel_loaded_with_defaults)
{
	bool at_load = kernel_has_virt_at_load();
	int sys, vm, klog;

	kvm_unload();	/* whatever an earlier failure left loaded */
	ASSERT_EQ(0, mv_load());
	ASSERT_EQ(0, kvm_load(""));
	ASSERT_EQ(at_load ? 'Y' : 0, virt_at_load_param())
		TH_LOG("kernel version and %s disagree", VIRT_AT_LOAD);
	sys = mv_open();
	ASSERT_LE(0, sys);

	if (!at_load) {
		TH_LOG("tested: Linux < 6.12, kvm_intel leaves VMX off while it has no VM");
		run_minivmm_guest(_metadata);
		EXPECT_EQ(0, mv_counter("vmxon_cpus"));
	} else {
		TH_LOG("tested: Linux 6.12+, kvm_intel owns VMX from its load (enable_virt_at_load=Y)");
		klog = klog_from_now();
		ASSERT_LE(0, klog);
		vm = ioctl(sys, MINIVMM_CREATE_VM, 0);
		EXPECT_EQ(-1, vm);
		EXPECT_EQ(EBUSY, errno);
		if (vm >= 0)
			close(vm);
		EXPECT_EQ(0, mv_counter("vms"));
		EXPECT_EQ(0, mv_counter("vmxon_cpus"));

		/* One new line, naming the owner and both fixes. */
		EXPECT_TRUE(klog_has_line(klog, (const char *const[]){
			"another hypervisor", "kvm_intel", "enable_virt_at_load=0", NULL }));
		close(klog);

		/* VMX is KVM's: its guests run. */
		vm = open("/dev/kvm", O_RDWR | O_CLOEXEC);
		ASSERT_LE(0, vm) TH_LOG("open /dev/kvm: %m");
		run_kvm_guest(_metadata, vm);
		close(vm);

		/* Without kvm_intel, VMX is free again. */
		ASSERT_EQ(0, mv_rmmod("kvm_intel"));
		run_minivmm_guest(_metadata);
	}
	close(sys);
	/* KVM stays for the tests below (reloaded on 6.12 by their setup). */
}

/*
 * The rest: kvm loaded so that it turns VMX on only while it has a VM (the
 * only way on 6.1, enable_virt_at_load=0 on 6.12). Loading and unloading
 * KVM takes the test machine 20 to 50 s each time, so the tests share one
 * load and the last test unloads it.
 */
FIXTURE(kvm) {
	int mv, kvm;
};

FIXTURE_SETUP(kvm)
{
	bool at_load = kernel_has_virt_at_load();
	char want = at_load ? 'N' : 0;

	self->mv = -1;
	self->kvm = -1;
	if (!mv_module_loaded("kvm_intel") || virt_at_load_param() != want)
		kvm_unload();
	ASSERT_EQ(0, mv_load());
	ASSERT_EQ(0, kvm_load(at_load ? "enable_virt_at_load=0" : ""));
	ASSERT_EQ(want, virt_at_load_param());
	TH_LOG("kvm loaded with %s", at_load ? "enable_virt_at_load=0" : "its defaults");
	self->mv = mv_open();
	ASSERT_LE(0, self->mv);
	self->kvm = open("/dev/kvm", O_RDWR | O_CLOEXEC);
	ASSERT_LE(0, self->kvm) TH_LOG("open /dev/kvm: %m");
	ASSERT_EQ(KVM_API_VERSION, ioctl(self->kvm, KVM_GET_API_VERSION, 0));
}

FIXTURE_TEARDOWN(kvm)
{
	close(self->kvm);
	close(self->mv);
}

TEST_F(kvm, both_hypervisors_one_after_the_other)
{
	int i;

	for (i = 0; i < 3; i++) {
		TH_LOG("round %d", i);
		run_minivmm_guest(_metadata);
		EXPECT_EQ(0, mv_counter("vmxon_cpus"));
		run_kvm_guest(_metadata, self->kvm);
	}
}

TEST_F(kvm, minivmm_is_ebusy_while_kvm_owns_vmx)
{
	int kvm_vm, vm, klog;

	kvm_vm = ioctl(self->kvm, KVM_CREATE_VM, 0);
	ASSERT_LE(0, kvm_vm);
	klog = klog_from_now();
	ASSERT_LE(0, klog);
	vm = ioctl(self->mv, MINIVMM_CREATE_VM, 0);
	EXPECT_EQ(-1, vm);
	EXPECT_EQ(EBUSY, errno);
	EXPECT_EQ(0, mv_counter("vms"));
	EXPECT_EQ(0, mv_counter("vmxon_cpus"));

	/* One dmesg line names the likely owner and the fix. */
	EXPECT_TRUE(klog_has_line(klog, (const char *const[]){
		"another hypervisor", "kvm_intel", NULL }));
	close(klog);

	close(kvm_vm);
	vm = ioctl(self->mv, MINIVMM_CREATE_VM, 0);
	ASSERT_LE(0, vm) TH_LOG("after the KVM VM is gone: %m");
	close(vm);
}

TEST_F(kvm, kvm_is_ebusy_while_minivmm_owns_vmx)
{
	int vm, kvm_vm;

	vm = ioctl(self->mv, MINIVMM_CREATE_VM, 0);
	ASSERT_LE(0, vm);
	kvm_vm = ioctl(self->kvm, KVM_CREATE_VM, 0);
	EXPECT_EQ(-1, kvm_vm);
	/*
	 * KVM's own errno: EBUSY on 6.1; on 6.12 VMX is turned on through a
	 * CPU-hotplug callback (the enable_virt_at_load rework) whose -EIO
	 * KVM_CREATE_VM passes on.
	 */
	EXPECT_EQ(kernel_has_virt_at_load() ? EIO : EBUSY, errno);
	if (kvm_vm >= 0)
		close(kvm_vm);
	close(vm);

	kvm_vm = ioctl(self->kvm, KVM_CREATE_VM, 0);
	ASSERT_LE(0, kvm_vm) TH_LOG("after the minivmm VM is gone: %m");
	close(kvm_vm);
}

/*
 * Last (the harness runs global TESTs first, then each fixture's in the
 * order they are defined): KVM unloads, and VMX is minivmm's again.
 */
FIXTURE(kvm_done) {
	int unused;
};

FIXTURE_SETUP(kvm_done)
{
}

FIXTURE_TEARDOWN(kvm_done)
{
}

TEST_F(kvm_done, kvm_unloads_and_leaves_vmx_free)
{
	ASSERT_EQ(0, kvm_unload());
	ASSERT_EQ(0, mv_load());
	EXPECT_FALSE(mv_module_loaded("kvm_intel"));
	EXPECT_FALSE(mv_module_loaded("kvm"));
	run_minivmm_guest(_metadata);
	EXPECT_EQ(0, mv_counter("vmxon_cpus"));
}

TEST_HARNESS_MAIN
