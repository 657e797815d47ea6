// SPDX-License-Identifier: GPL-2.0
/*
 * minivmm and Linux KVM in the same kernel: one VM owner at a time. On
 * Linux 6.1 kvm_intel turns VMX on only while a KVM VM exists, so both
 * modules stay loaded and each fails cleanly with -EBUSY while the other
 * holds VMX. Runs in the test machine.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include <linux/kvm.h>
#include <linux/minivmm.h>

#include "kselftest_harness.h"
#include "../lib/mvtest.h"

FIXTURE(kvm) {
	int mv, kvm;
};

FIXTURE_SETUP(kvm)
{
	ASSERT_EQ(0, mv_load());
	ASSERT_EQ(0, mv_insmod(MV_EXTRA_DIR "/irqbypass.ko", ""));
	ASSERT_EQ(0, mv_insmod(MV_EXTRA_DIR "/kvm.ko", ""));
	ASSERT_EQ(0, mv_insmod(MV_EXTRA_DIR "/kvm-intel.ko", ""));
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
	mv_rmmod("kvm_intel");
	mv_rmmod("kvm");
	mv_rmmod("irqbypass");
}

TEST_F(kvm, both_hypervisors_one_after_the_other)
{
	int i, vm;

	for (i = 0; i < 3; i++) {
		vm = ioctl(self->mv, MINIVMM_CREATE_VM, 0);
		ASSERT_LE(0, vm) TH_LOG("minivmm VM, round %d: %m", i);
		close(vm);
		vm = ioctl(self->kvm, KVM_CREATE_VM, 0);
		ASSERT_LE(0, vm) TH_LOG("KVM VM, round %d: %m", i);
		close(vm);
	}
	EXPECT_EQ(0, mv_counter("vmxon_cpus"));
}

TEST_F(kvm, minivmm_is_ebusy_while_kvm_owns_vmx)
{
	int kvm_vm, vm;
	size_t before;
	char *log;

	kvm_vm = ioctl(self->kvm, KVM_CREATE_VM, 0);
	ASSERT_LE(0, kvm_vm);
	before = mv_klog_len();
	vm = ioctl(self->mv, MINIVMM_CREATE_VM, 0);
	EXPECT_EQ(-1, vm);
	EXPECT_EQ(EBUSY, errno);
	EXPECT_EQ(0, mv_counter("vms"));
	EXPECT_EQ(0, mv_counter("vmxon_cpus"));

	/* One dmesg line names the likely owner and the fix. */
	log = mv_klog();
	ASSERT_NE(NULL, log);
	EXPECT_NE(NULL, strstr(log + (before < strlen(log) ? before : 0),
			       "another hypervisor owns VMX"));
	EXPECT_NE(NULL, strstr(log, "unload kvm_intel"));
	free(log);

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
	EXPECT_EQ(EBUSY, errno);
	if (kvm_vm >= 0)
		close(kvm_vm);
	close(vm);

	kvm_vm = ioctl(self->kvm, KVM_CREATE_VM, 0);
	ASSERT_LE(0, kvm_vm) TH_LOG("after the minivmm VM is gone: %m");
	close(kvm_vm);
}

TEST_HARNESS_MAIN
