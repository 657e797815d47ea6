// SPDX-License-Identifier: GPL-2.0
/*
 * Running guest code: memory slots, VCPUs, the run area, and one test per
 * exit kind, each with a few bytes of real-mode guest code at 0x7c00.
 * Runs in the test machine.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <linux/minivmm.h>

#include "kselftest_harness.h"
#include "../lib/mvtest.h"

#define MEM_SIZE	(2UL << 20)
#define CODE_ADDR	0x7c00

FIXTURE(run) {
	struct mv_vm v;
};

static void load_code(FIXTURE_DATA(run) *self, const uint8_t *code, size_t len)
{
	if (mv_vm_load_real(&self->v, CODE_ADDR, code, len))
		abort();
}

FIXTURE_SETUP(run)
{
	int r;

	ASSERT_EQ(0, mv_load());
	r = mv_vm_open(&self->v, MEM_SIZE);
	ASSERT_EQ(0, r) TH_LOG("a VM: %s", strerror(-r));
	ASSERT_EQ(4096, ioctl(self->v.sys, MINIVMM_GET_VCPU_MMAP_SIZE, 0));
}

FIXTURE_TEARDOWN(run)
{
	mv_vm_close(&self->v);
}

static int run_vcpu(FIXTURE_DATA(run) *self)
{
	return ioctl(self->v.vcpu, MINIVMM_RUN, 0);
}

static uint8_t *io_data(FIXTURE_DATA(run) *self)
{
	return (uint8_t *)self->v.run + self->v.run->io.data_offset;
}

/*
 * Run code with an IDT limit of 0, so that any exception ends in a triple
 * fault. Returns the exit reason, or -1 if an ioctl failed.
 */
static int run_with_empty_idt(FIXTURE_DATA(run) *self, const uint8_t *code, size_t len)
{
	struct minivmm_sregs sr;

	load_code(self, code, len);
	if (ioctl(self->v.vcpu, MINIVMM_GET_SREGS, &sr))
		return -1;
	sr.idt.limit = 0;
	if (ioctl(self->v.vcpu, MINIVMM_SET_SREGS, &sr) || run_vcpu(self))
		return -1;
	return self->v.run->exit_reason;
}

TEST_F(run, memory_region_errors)
{
	static const struct {
		uint32_t slot, flags;
		uint64_t gpa, size, hva_off;
		int err;
		const char *what;
	} bad[] = {
		{ 32, 0, 0x400000, 4096, 0, EINVAL, "slot out of range" },
		{ 1, 2, 0x400000, 4096, 0, EINVAL, "unknown flag" },
		{ 1, 0, 0x400001, 4096, 0, EINVAL, "unaligned address" },
		{ 1, 0, 0x400000, 100, 0, EINVAL, "unaligned size" },
		{ 1, 0, 0x400000, 4096, 8, EINVAL, "unaligned userspace address" },
		{ 1, 0, ~0xfffULL, 8192, 0, EINVAL, "wrapping range" },
		{ 1, 0, 1ULL << 48, 4096, 0, EINVAL, "beyond 48-bit guest-physical" },
		{ 1, 0, 0x100000, 4096, 0, EEXIST, "overlaps slot 0" },
		{ 0, 0, 0x400000, 4096, 0, EINVAL, "slot 0 is live" },
	};
	struct minivmm_memory_region r;
	unsigned int i;

	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		r = (struct minivmm_memory_region){ .slot = bad[i].slot,
			.flags = bad[i].flags, .guest_phys_addr = bad[i].gpa,
			.memory_size = bad[i].size,
			.userspace_addr = (uintptr_t)self->v.mem + bad[i].hva_off };
		errno = 0;
		EXPECT_EQ(-1, ioctl(self->v.vm, MINIVMM_SET_MEMORY_REGION, &r)) TH_LOG("%s", bad[i].what);
		EXPECT_EQ(bad[i].err, errno) TH_LOG("%s", bad[i].what);
	}
	/* Kernel addresses are not the caller's memory. */
	r = (struct minivmm_memory_region){ .slot = 1, .guest_phys_addr = 0x400000,
		.memory_size = 4096, .userspace_addr = 0xffff888000000000ULL };
	EXPECT_EQ(-1, ioctl(self->v.vm, MINIVMM_SET_MEMORY_REGION, &r));
	EXPECT_EQ(EFAULT, errno);
	/* A bad pointer to the argument itself. */
	EXPECT_EQ(-1, ioctl(self->v.vm, MINIVMM_SET_MEMORY_REGION, (void *)8));
	EXPECT_EQ(EFAULT, errno);
	/* Delete, then add again: fine. */
	r = (struct minivmm_memory_region){ .slot = 0 };
	EXPECT_EQ(0, ioctl(self->v.vm, MINIVMM_SET_MEMORY_REGION, &r));
	r = (struct minivmm_memory_region){ .slot = 0, .memory_size = MEM_SIZE,
		.userspace_addr = (uintptr_t)self->v.mem };
	EXPECT_EQ(0, ioctl(self->v.vm, MINIVMM_SET_MEMORY_REGION, &r));
}

/* SET_MEMORY_REGION checks that the whole range is mapped memory. */
TEST_F(run, memory_region_must_be_mapped)
{
	struct minivmm_memory_region r = { .slot = 1, .guest_phys_addr = 0x400000,
		.memory_size = 4096 };
	uint8_t *p = mmap(NULL, 3 * 4096, PROT_READ | PROT_WRITE,
			  MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

	ASSERT_NE(MAP_FAILED, p);
	ASSERT_EQ(0, munmap(p + 4096, 4096));	/* a hole in the middle */
	r.userspace_addr = (uintptr_t)p + 4096;
	EXPECT_EQ(-1, ioctl(self->v.vm, MINIVMM_SET_MEMORY_REGION, &r));
	EXPECT_EQ(EFAULT, errno) TH_LOG("an unmapped page");
	r.userspace_addr = (uintptr_t)p;
	r.memory_size = 3 * 4096;
	EXPECT_EQ(-1, ioctl(self->v.vm, MINIVMM_SET_MEMORY_REGION, &r));
	EXPECT_EQ(EFAULT, errno) TH_LOG("a range with a hole");
	r.memory_size = 4096;
	EXPECT_EQ(0, ioctl(self->v.vm, MINIVMM_SET_MEMORY_REGION, &r)) TH_LOG("%m");
	r.memory_size = 0;
	EXPECT_EQ(0, ioctl(self->v.vm, MINIVMM_SET_MEMORY_REGION, &r));
	munmap(p, 3 * 4096);
}

TEST_F(run, vcpu_errors)
{
	long max = ioctl(self->v.sys, MINIVMM_CHECK_CAPABILITY, MINIVMM_CAP_MAX_VCPUS);
	int fds[16], i;

	ASSERT_LE(8, max);
	EXPECT_EQ(-1, ioctl(self->v.vm, MINIVMM_CREATE_VCPU, max));
	EXPECT_EQ(EINVAL, errno);
	EXPECT_EQ(-1, ioctl(self->v.vm, MINIVMM_CREATE_VCPU, 0));
	EXPECT_EQ(EEXIST, errno);
	for (i = 1; i < max && i < 16; i++) {
		fds[i] = ioctl(self->v.vm, MINIVMM_CREATE_VCPU, i);
		EXPECT_LE(0, fds[i]) TH_LOG("VCPU %d: %m", i);
	}
	EXPECT_EQ(max, mv_counter("vmcs"));
	for (i = 1; i < max && i < 16; i++)
		close(fds[i]);
	EXPECT_EQ(1, mv_counter("vmcs"));
	EXPECT_EQ(-1, ioctl(self->v.sys, MINIVMM_GET_VCPU_MMAP_SIZE, 1));
	EXPECT_EQ(EINVAL, errno);
	EXPECT_EQ(MAP_FAILED, mmap(NULL, 4096, PROT_READ, MAP_SHARED, self->v.vcpu, 4096));
	EXPECT_EQ(-1, ioctl(self->v.vcpu, MINIVMM_RUN, 1));
	EXPECT_EQ(EINVAL, errno);
	EXPECT_EQ(-1, ioctl(self->v.vcpu, _IO(MINIVMM_IO, 0xbf), 0));
	EXPECT_EQ(ENOTTY, errno);
}

TEST_F(run, regs_round_trip)
{
	struct minivmm_regs in, out;
	struct minivmm_sregs sr;

	memset(&in, 0, sizeof(in));
	in.rax = 0x1122334455667788ULL;
	in.r15 = 0xfedcba9876543210ULL;
	in.rsp = 0x8000;
	in.rip = 0x7c00;
	in.rflags = 0x2;
	ASSERT_EQ(0, ioctl(self->v.vcpu, MINIVMM_SET_REGS, &in));
	ASSERT_EQ(0, ioctl(self->v.vcpu, MINIVMM_GET_REGS, &out));
	EXPECT_EQ(0, memcmp(&in, &out, sizeof(in)));

	ASSERT_EQ(0, ioctl(self->v.vcpu, MINIVMM_GET_SREGS, &sr));
	/* The reset state of a real-mode CPU (SDM 10.1.1). */
	EXPECT_EQ(0xffff, sr.cs.limit);
	EXPECT_EQ(0xb, sr.cs.type);
	EXPECT_EQ(0, sr.cr0 & 1);
	EXPECT_EQ(0, sr.efer);
	EXPECT_EQ(0, sr.cr8);
	/* The task priority is 4 bits (SDM Vol. 3A 10.8.6.1). */
	sr.cr8 = 16;
	EXPECT_EQ(-1, ioctl(self->v.vcpu, MINIVMM_SET_SREGS, &sr));
	EXPECT_EQ(EINVAL, errno);
	sr.cr8 = 9;
	sr.ds.base = 0x12340;
	sr.ds.selector = 0x1234;
	ASSERT_EQ(0, ioctl(self->v.vcpu, MINIVMM_SET_SREGS, &sr));
	memset(&sr, 0, sizeof(sr));
	ASSERT_EQ(0, ioctl(self->v.vcpu, MINIVMM_GET_SREGS, &sr));
	EXPECT_EQ(0x12340, sr.ds.base);
	EXPECT_EQ(0x1234, sr.ds.selector);
	EXPECT_EQ(9, sr.cr8);
	EXPECT_EQ(-1, ioctl(self->v.vcpu, MINIVMM_SET_REGS, NULL));
	EXPECT_EQ(EFAULT, errno);
}

TEST_F(run, out_then_hlt)
{
	/* mov $0x41,%al; mov $0x3f8,%dx; out %al,%dx;
	 * mov $0x1234,%ax; out %ax,%dx; mov $0x89abcdef,%eax; out %eax,%dx; hlt */
	static const uint8_t code[] = { 0xb0, 0x41, 0xba, 0xf8, 0x03, 0xee,
		0xb8, 0x34, 0x12, 0xef, 0x66, 0xb8, 0xef, 0xcd, 0xab, 0x89,
		0x66, 0xef, 0xf4 };
	static const struct { unsigned int size; uint32_t data; } want[] = {
		{ 1, 0x41 }, { 2, 0x1234 }, { 4, 0x89abcdef },
	};
	struct minivmm_regs regs;
	unsigned int i;

	load_code(self, code, sizeof(code));
	for (i = 0; i < 3; i++) {
		uint32_t data = 0;

		ASSERT_EQ(0, run_vcpu(self)) TH_LOG("RUN: %m");
		ASSERT_EQ(MINIVMM_EXIT_IO, self->v.run->exit_reason)
			TH_LOG("exit %u", self->v.run->exit_reason);
		EXPECT_EQ(MINIVMM_IO_OUT, self->v.run->io.direction);
		EXPECT_EQ(0x3f8, self->v.run->io.port);
		EXPECT_EQ(want[i].size, self->v.run->io.size);
		EXPECT_EQ(1, self->v.run->io.count);
		memcpy(&data, io_data(self), want[i].size);
		EXPECT_EQ(want[i].data, data);
	}
	ASSERT_EQ(0, run_vcpu(self));
	EXPECT_EQ(MINIVMM_EXIT_HLT, self->v.run->exit_reason);
	ASSERT_EQ(0, ioctl(self->v.vcpu, MINIVMM_GET_REGS, &regs));
	EXPECT_EQ(CODE_ADDR + sizeof(code), regs.rip);
}

TEST_F(run, string_io_with_rep)
{
	static const uint8_t code[] = {
		0x31, 0xc0, 0x8e, 0xd8, 0x8e, 0xc0,	/* xor %ax,%ax; mov %ax,%ds; mov %ax,%es */
		0xbe, 0x00, 0x7d, 0xb9, 0x05, 0x00,	/* mov $0x7d00,%si; mov $5,%cx */
		0xba, 0xf8, 0x03, 0xfc, 0xf3, 0x6e,	/* mov $0x3f8,%dx; cld; rep outsb */
		0xbf, 0x00, 0x7e, 0xb9, 0x03, 0x00,	/* mov $0x7e00,%di; mov $3,%cx */
		0xba, 0x60, 0x00, 0xf3, 0x6d,		/* mov $0x60,%dx; rep insw */
		0xbe, 0x00, 0x80, 0xb9, 0xb8, 0x0b,	/* mov $0x8000,%si; mov $3000,%cx */
		0xba, 0x80, 0x00, 0xf3, 0x6e,		/* mov $0x80,%dx; rep outsb */
		0xf4,					/* hlt */
	};
	static const uint16_t words[3] = { 0x1111, 0x2222, 0x3333 };
	struct minivmm_regs regs;
	unsigned int i;

	load_code(self, code, sizeof(code));
	memcpy(self->v.mem + 0x7d00, "hello", 5);
	for (i = 0; i < 3000; i++)
		self->v.mem[0x8000 + i] = i * 7;

	ASSERT_EQ(0, run_vcpu(self));
	ASSERT_EQ(MINIVMM_EXIT_IO, self->v.run->exit_reason)
		TH_LOG("exit %u", self->v.run->exit_reason);
	EXPECT_EQ(MINIVMM_IO_OUT, self->v.run->io.direction);
	EXPECT_EQ(0x3f8, self->v.run->io.port);
	EXPECT_EQ(1, self->v.run->io.size);
	EXPECT_EQ(5, self->v.run->io.count);
	EXPECT_EQ(0, memcmp(io_data(self), "hello", 5));

	ASSERT_EQ(0, run_vcpu(self));
	ASSERT_EQ(MINIVMM_EXIT_IO, self->v.run->exit_reason);
	EXPECT_EQ(MINIVMM_IO_IN, self->v.run->io.direction);
	EXPECT_EQ(2, self->v.run->io.size);
	EXPECT_EQ(3, self->v.run->io.count);
	memcpy(io_data(self), words, sizeof(words));

	/* 3000 bytes: more than the run area holds, so two exits. */
	ASSERT_EQ(0, run_vcpu(self));
	ASSERT_EQ(MINIVMM_EXIT_IO, self->v.run->exit_reason);
	EXPECT_EQ(0x80, self->v.run->io.port);
	EXPECT_EQ(MINIVMM_RUN_IO_DATA_SIZE, self->v.run->io.count);
	EXPECT_EQ(0, memcmp(io_data(self), self->v.mem + 0x8000, MINIVMM_RUN_IO_DATA_SIZE));
	ASSERT_EQ(0, run_vcpu(self));
	ASSERT_EQ(MINIVMM_EXIT_IO, self->v.run->exit_reason);
	EXPECT_EQ(3000 - MINIVMM_RUN_IO_DATA_SIZE, self->v.run->io.count);
	EXPECT_EQ(0, memcmp(io_data(self), self->v.mem + 0x8000 + MINIVMM_RUN_IO_DATA_SIZE,
			    3000 - MINIVMM_RUN_IO_DATA_SIZE));

	ASSERT_EQ(0, run_vcpu(self));
	ASSERT_EQ(MINIVMM_EXIT_HLT, self->v.run->exit_reason);
	EXPECT_EQ(0, memcmp(self->v.mem + 0x7e00, words, sizeof(words)));
	ASSERT_EQ(0, ioctl(self->v.vcpu, MINIVMM_GET_REGS, &regs));
	EXPECT_EQ(0, regs.rcx & 0xffff);
	EXPECT_EQ(0x8000 + 3000, regs.rsi & 0xffff);
	EXPECT_EQ(0x7e06, regs.rdi & 0xffff);
	EXPECT_EQ(CODE_ADDR + sizeof(code), regs.rip);
}

TEST_F(run, in_completes_on_next_run)
{
	/* mov $0x60,%dx; in %dx,%al; in %dx,%ax; hlt */
	static const uint8_t code[] = { 0xba, 0x60, 0x00, 0xec, 0xed, 0xf4 };
	struct minivmm_regs regs;

	load_code(self, code, sizeof(code));
	ASSERT_EQ(0, ioctl(self->v.vcpu, MINIVMM_GET_REGS, &regs));
	regs.rax = 0x1122334455667788ULL;
	ASSERT_EQ(0, ioctl(self->v.vcpu, MINIVMM_SET_REGS, &regs));

	ASSERT_EQ(0, run_vcpu(self));
	ASSERT_EQ(MINIVMM_EXIT_IO, self->v.run->exit_reason);
	EXPECT_EQ(MINIVMM_IO_IN, self->v.run->io.direction);
	EXPECT_EQ(0x60, self->v.run->io.port);
	EXPECT_EQ(1, self->v.run->io.size);
	io_data(self)[0] = 0x5a;
	ASSERT_EQ(0, run_vcpu(self));
	ASSERT_EQ(MINIVMM_EXIT_IO, self->v.run->exit_reason);
	EXPECT_EQ(2, self->v.run->io.size);
	io_data(self)[0] = 0xcd;
	io_data(self)[1] = 0xab;
	ASSERT_EQ(0, run_vcpu(self));
	ASSERT_EQ(MINIVMM_EXIT_HLT, self->v.run->exit_reason);
	ASSERT_EQ(0, ioctl(self->v.vcpu, MINIVMM_GET_REGS, &regs));
	/* IN AL then IN AX: only the low byte, then the low word, change. */
	EXPECT_EQ(0x112233445566abcdULL, regs.rax);
}

TEST_F(run, hypercall)
{
	/* mov $7,%ax; mov $1,%bx; mov $2,%cx; mov $3,%dx; mov $4,%si; vmcall; hlt */
	static const uint8_t code[] = { 0xb8, 0x07, 0x00, 0xbb, 0x01, 0x00,
		0xb9, 0x02, 0x00, 0xba, 0x03, 0x00, 0xbe, 0x04, 0x00,
		0x0f, 0x01, 0xc1, 0xf4 };
	struct minivmm_regs regs;

	load_code(self, code, sizeof(code));
	ASSERT_EQ(0, run_vcpu(self));
	ASSERT_EQ(MINIVMM_EXIT_HYPERCALL, self->v.run->exit_reason);
	EXPECT_EQ(7, self->v.run->hypercall.nr);
	EXPECT_EQ(1, self->v.run->hypercall.args[0]);
	EXPECT_EQ(2, self->v.run->hypercall.args[1]);
	EXPECT_EQ(3, self->v.run->hypercall.args[2]);
	EXPECT_EQ(4, self->v.run->hypercall.args[3]);
	self->v.run->hypercall.ret = 0x99;
	ASSERT_EQ(0, run_vcpu(self));
	EXPECT_EQ(MINIVMM_EXIT_HLT, self->v.run->exit_reason);
	ASSERT_EQ(0, ioctl(self->v.vcpu, MINIVMM_GET_REGS, &regs));
	EXPECT_EQ(0x99, regs.rax);
}

TEST_F(run, hypercall_nop_is_answered_in_the_kernel)
{
	/* mov $0,%ax; mov $5,%bx; vmcall; vmcall; hlt */
	static const uint8_t code[] = { 0xb8, 0x00, 0x00, 0xbb, 0x05, 0x00,
		0x0f, 0x01, 0xc1, 0x0f, 0x01, 0xc1, 0xf4 };
	struct minivmm_regs regs;

	load_code(self, code, sizeof(code));
	ASSERT_EQ(0, run_vcpu(self));
	EXPECT_EQ(MINIVMM_EXIT_HLT, self->v.run->exit_reason);
	ASSERT_EQ(0, ioctl(self->v.vcpu, MINIVMM_GET_REGS, &regs));
	EXPECT_EQ(0, regs.rax);
	EXPECT_EQ(5, regs.rbx);
}

TEST_F(run, cpuid_in_kernel)
{
	/* xor %eax,%eax; cpuid; hlt */
	static const uint8_t code[] = { 0x66, 0x31, 0xc0, 0x0f, 0xa2, 0xf4 };
	struct minivmm_regs regs;
	char vendor[13] = { 0 };

	load_code(self, code, sizeof(code));
	ASSERT_EQ(0, run_vcpu(self));
	ASSERT_EQ(MINIVMM_EXIT_HLT, self->v.run->exit_reason)
		TH_LOG("exit %u", self->v.run->exit_reason);
	ASSERT_EQ(0, ioctl(self->v.vcpu, MINIVMM_GET_REGS, &regs));
	memcpy(vendor, &regs.rbx, 4);
	memcpy(vendor + 4, &regs.rdx, 4);
	memcpy(vendor + 8, &regs.rcx, 4);
	EXPECT_STREQ("GenuineIntel", vendor);
}

TEST_F(run, cpuid_table_from_userspace)
{
	/* xor %eax,%eax; cpuid; mov %ebx,%esi; mov $7,%eax; mov $1,%ecx; cpuid; hlt */
	static const uint8_t code[] = { 0x66, 0x31, 0xc0, 0x0f, 0xa2,
		0x66, 0x89, 0xde, 0x66, 0xb8, 0x07, 0x00, 0x00, 0x00,
		0x66, 0xb9, 0x01, 0x00, 0x00, 0x00, 0x0f, 0xa2, 0xf4 };
	struct minivmm_cpuid_entry e[3] = {
		{ .function = 0, .eax = 7, .ebx = 0x696e694d, .ecx = 0x4d4d566d, .edx = 0x74736575 },
		{ .function = 7, .index = 0, .flags = MINIVMM_CPUID_INDEXED, .ebx = 0x111 },
		{ .function = 7, .index = 1, .flags = MINIVMM_CPUID_INDEXED, .ebx = 0x222, .edx = 0x333 },
	};
	struct minivmm_cpuid c = { .nent = 3, .entries = (uintptr_t)e };
	struct minivmm_regs regs;

	ASSERT_EQ(0, ioctl(self->v.vcpu, MINIVMM_SET_CPUID, &c)) TH_LOG("%m");
	load_code(self, code, sizeof(code));
	ASSERT_EQ(0, run_vcpu(self));
	ASSERT_EQ(MINIVMM_EXIT_HLT, self->v.run->exit_reason);
	ASSERT_EQ(0, ioctl(self->v.vcpu, MINIVMM_GET_REGS, &regs));
	EXPECT_EQ(0x696e694d, regs.rsi);	/* leaf 0 EBX, kept in ESI */
	EXPECT_EQ(0x222, regs.rbx);		/* leaf 7, subleaf 1 */
	EXPECT_EQ(0x333, regs.rdx);

	/* Errors, and the table left as it was by a failed call. */
	c.nent = MINIVMM_MAX_CPUID_ENTRIES + 1;
	EXPECT_EQ(-1, ioctl(self->v.vcpu, MINIVMM_SET_CPUID, &c));
	EXPECT_EQ(E2BIG, errno);
	c.nent = 3;
	e[1].flags = 2;
	EXPECT_EQ(-1, ioctl(self->v.vcpu, MINIVMM_SET_CPUID, &c));
	EXPECT_EQ(EINVAL, errno);
	e[1].flags = MINIVMM_CPUID_INDEXED;
	c.padding = 1;
	EXPECT_EQ(-1, ioctl(self->v.vcpu, MINIVMM_SET_CPUID, &c));
	EXPECT_EQ(EINVAL, errno);
	c.padding = 0;
	c.entries = 16;
	EXPECT_EQ(-1, ioctl(self->v.vcpu, MINIVMM_SET_CPUID, &c));
	EXPECT_EQ(EFAULT, errno);
}

TEST_F(run, cpuid_leaf_missing_from_table_is_zero)
{
	/* mov $0x40000000,%eax; cpuid; hlt */
	static const uint8_t code[] = { 0x66, 0xb8, 0x00, 0x00, 0x00, 0x40, 0x0f, 0xa2, 0xf4 };
	struct minivmm_cpuid_entry e = { .function = 0, .eax = 1 };
	struct minivmm_cpuid c = { .nent = 1, .entries = (uintptr_t)&e };
	struct minivmm_regs regs;

	ASSERT_EQ(0, ioctl(self->v.vcpu, MINIVMM_SET_CPUID, &c));
	load_code(self, code, sizeof(code));
	ASSERT_EQ(0, ioctl(self->v.vcpu, MINIVMM_GET_REGS, &regs));
	regs.rbx = regs.rcx = regs.rdx = 0x55;
	ASSERT_EQ(0, ioctl(self->v.vcpu, MINIVMM_SET_REGS, &regs));
	ASSERT_EQ(0, run_vcpu(self));
	ASSERT_EQ(MINIVMM_EXIT_HLT, self->v.run->exit_reason);
	ASSERT_EQ(0, ioctl(self->v.vcpu, MINIVMM_GET_REGS, &regs));
	EXPECT_EQ(0, regs.rax);
	EXPECT_EQ(0, regs.rbx);
	EXPECT_EQ(0, regs.rcx);
	EXPECT_EQ(0, regs.rdx);
}

TEST_F(run, msrs_get_and_set)
{
	struct minivmm_msr_entry e[4] = {
		{ .index = 0x174, .data = 0x10 },		/* IA32_SYSENTER_CS */
		{ .index = 0x277, .data = 0x0007040600070406ULL },	/* IA32_PAT */
		{ .index = 0xc0000100, .data = 0x123000 },	/* FS_BASE */
		{ .index = 0x1234, .data = 1 },			/* not supported */
	};
	struct minivmm_msrs m = { .nmsrs = 4, .entries = (uintptr_t)e };
	struct minivmm_sregs sr;

	/* Three of four: SET stops at the MSR minivmm does not support. */
	EXPECT_EQ(3, ioctl(self->v.vcpu, MINIVMM_SET_MSRS, &m));
	e[0].data = e[1].data = e[2].data = 0;
	EXPECT_EQ(3, ioctl(self->v.vcpu, MINIVMM_GET_MSRS, &m));
	EXPECT_EQ(0x10, e[0].data);
	EXPECT_EQ(0x0007040600070406ULL, e[1].data);
	EXPECT_EQ(0x123000, e[2].data);
	/* FS_BASE is the FS segment's base. */
	ASSERT_EQ(0, ioctl(self->v.vcpu, MINIVMM_GET_SREGS, &sr));
	EXPECT_EQ(0x123000, sr.fs.base);

	/* A PAT entry of type 2 is reserved: not taken. */
	e[0] = (struct minivmm_msr_entry){ .index = 0x277, .data = 2 };
	m.nmsrs = 1;
	EXPECT_EQ(0, ioctl(self->v.vcpu, MINIVMM_SET_MSRS, &m));
	m.nmsrs = MINIVMM_MAX_MSR_ENTRIES + 1;
	EXPECT_EQ(-1, ioctl(self->v.vcpu, MINIVMM_SET_MSRS, &m));
	EXPECT_EQ(E2BIG, errno);
	m.nmsrs = 1;
	m.padding = 1;
	EXPECT_EQ(-1, ioctl(self->v.vcpu, MINIVMM_GET_MSRS, &m));
	EXPECT_EQ(EINVAL, errno);
	m.padding = 0;
	m.entries = 8;
	EXPECT_EQ(-1, ioctl(self->v.vcpu, MINIVMM_GET_MSRS, &m));
	EXPECT_EQ(EFAULT, errno);
}

TEST_F(run, guest_rdmsr_wrmsr)
{
	/* mov $0x175,%ecx; rdmsr; mov %eax,%esi; mov $0x176,%ecx;
	 * mov $0x7777,%eax; xor %edx,%edx; wrmsr; hlt */
	static const uint8_t code[] = { 0x66, 0xb9, 0x75, 0x01, 0x00, 0x00, 0x0f, 0x32,
		0x66, 0x89, 0xc6, 0x66, 0xb9, 0x76, 0x01, 0x00, 0x00,
		0x66, 0xb8, 0x77, 0x77, 0x00, 0x00, 0x66, 0x31, 0xd2, 0x0f, 0x30, 0xf4 };
	struct minivmm_msr_entry e = { .index = 0x175, .data = 0xabcd };
	struct minivmm_msrs m = { .nmsrs = 1, .entries = (uintptr_t)&e };
	struct minivmm_regs regs;

	ASSERT_EQ(1, ioctl(self->v.vcpu, MINIVMM_SET_MSRS, &m));
	load_code(self, code, sizeof(code));
	ASSERT_EQ(0, run_vcpu(self));
	ASSERT_EQ(MINIVMM_EXIT_HLT, self->v.run->exit_reason)
		TH_LOG("exit %u", self->v.run->exit_reason);
	ASSERT_EQ(0, ioctl(self->v.vcpu, MINIVMM_GET_REGS, &regs));
	EXPECT_EQ(0xabcd, regs.rsi);		/* RDMSR of SYSENTER_ESP */
	e.index = 0x176;
	ASSERT_EQ(1, ioctl(self->v.vcpu, MINIVMM_GET_MSRS, &m));
	EXPECT_EQ(0x7777, e.data);		/* WRMSR of SYSENTER_EIP */
}

/*
 * The microcode revision, as Linux reads it at boot without a safety net
 * (intel_get_microcode_revision(): WRMSR 0, CPUID 1, RDMSR): revision 1,
 * the write ignored.
 */
TEST_F(run, guest_reads_the_microcode_revision)
{
	/* mov $0x8b,%ecx; xor %eax,%eax; xor %edx,%edx; wrmsr; mov $1,%eax; cpuid;
	 * mov $0x8b,%ecx; rdmsr; mov %edx,%esi; mov %eax,%edi; hlt */
	static const uint8_t code[] = { 0x66, 0xb9, 0x8b, 0x00, 0x00, 0x00,
		0x66, 0x31, 0xc0, 0x66, 0x31, 0xd2, 0x0f, 0x30,
		0x66, 0xb8, 0x01, 0x00, 0x00, 0x00, 0x0f, 0xa2,
		0x66, 0xb9, 0x8b, 0x00, 0x00, 0x00, 0x0f, 0x32,
		0x66, 0x89, 0xd6, 0x66, 0x89, 0xc7, 0xf4 };
	struct minivmm_regs regs;

	load_code(self, code, sizeof(code));
	ASSERT_EQ(0, run_vcpu(self));
	ASSERT_EQ(MINIVMM_EXIT_HLT, self->v.run->exit_reason)
		TH_LOG("exit %u", self->v.run->exit_reason);
	ASSERT_EQ(0, ioctl(self->v.vcpu, MINIVMM_GET_REGS, &regs));
	EXPECT_EQ(MINIVMM_UCODE_REV >> 32, regs.rsi);
	EXPECT_EQ((uint32_t)MINIVMM_UCODE_REV, regs.rdi);
}

TEST_F(run, kernel_gs_base_is_the_guests_own)
{
	/* mov $0xc0000102,%ecx; rdmsr; mov %eax,%esi; mov $0x5000,%eax; wrmsr; hlt */
	static const uint8_t code[] = { 0x66, 0xb9, 0x02, 0x01, 0x00, 0xc0, 0x0f, 0x32,
		0x66, 0x89, 0xc6, 0x66, 0xb8, 0x00, 0x50, 0x00, 0x00, 0x0f, 0x30, 0xf4 };
	struct minivmm_msr_entry e = { .index = 0xc0000102, .data = 0x1234000 };
	struct minivmm_msrs m = { .nmsrs = 1, .entries = (uintptr_t)&e };
	struct minivmm_regs regs;
	unsigned long gs_before = 0, gs_after = 1;

	ASSERT_EQ(0, syscall(SYS_arch_prctl, 0x1004 /* ARCH_GET_GS */, &gs_before));
	ASSERT_EQ(1, ioctl(self->v.vcpu, MINIVMM_SET_MSRS, &m));
	load_code(self, code, sizeof(code));
	ASSERT_EQ(0, run_vcpu(self));
	ASSERT_EQ(MINIVMM_EXIT_HLT, self->v.run->exit_reason);
	ASSERT_EQ(0, ioctl(self->v.vcpu, MINIVMM_GET_REGS, &regs));
	EXPECT_EQ(0x1234000, regs.rsi);
	ASSERT_EQ(1, ioctl(self->v.vcpu, MINIVMM_GET_MSRS, &m));
	EXPECT_EQ(0x5000, e.data);
	/* This thread's own GS base is back after RUN. */
	ASSERT_EQ(0, syscall(SYS_arch_prctl, 0x1004, &gs_after));
	EXPECT_EQ(gs_before, gs_after);
	/* A non-canonical value is refused. */
	e.data = 0x8000000000000000ULL;
	EXPECT_EQ(0, ioctl(self->v.vcpu, MINIVMM_SET_MSRS, &m));
}

TEST_F(run, guest_rdmsr_of_unknown_msr_is_gp)
{
	/* With an empty IDT the #GP becomes a triple fault: shutdown. */
	static const uint8_t code[] = { 0x66, 0xb9, 0x34, 0x12, 0x00, 0x00, 0x0f, 0x32, 0xf4 };

	EXPECT_EQ(MINIVMM_EXIT_SHUTDOWN, run_with_empty_idt(self, code, sizeof(code)));
}

TEST_F(run, triple_fault_is_shutdown)
{
	/* With an empty IDT, INT3 faults, then double faults: shutdown. */
	static const uint8_t code[] = { 0xcc, 0xf4 };

	EXPECT_EQ(MINIVMM_EXIT_SHUTDOWN, run_with_empty_idt(self, code, sizeof(code)));
}

/*
 * Writes the CPU refuses with #GP must be #GP in the guest too (here a
 * shutdown, the IDT being empty), not a VM entry that fails later.
 */
TEST_F(run, guest_writes_the_cpu_refuses_are_gp)
{
	static const uint8_t wrmsr_fs_base[] = {
		0x66, 0xb9, 0x00, 0x01, 0x00, 0xc0,	/* mov $0xc0000100,%ecx */
		0x66, 0xba, 0x00, 0x00, 0x00, 0x80,	/* mov $0x80000000,%edx */
		0x66, 0x31, 0xc0,			/* xor %eax,%eax */
		0x0f, 0x30, 0xf4,			/* wrmsr; hlt */
	};
	static const uint8_t cr0_pg_without_pe[] = {
		0x66, 0xb8, 0x10, 0x00, 0x00, 0x80,	/* mov $0x80000010,%eax */
		0x0f, 0x22, 0xc0, 0xf4,			/* mov %eax,%cr0; hlt */
	};
	static const uint8_t cr0_nw_without_cd[] = {
		0x66, 0xb8, 0x10, 0x00, 0x00, 0x20,	/* mov $0x20000010,%eax */
		0x0f, 0x22, 0xc0, 0xf4,			/* mov %eax,%cr0; hlt */
	};

	EXPECT_EQ(MINIVMM_EXIT_SHUTDOWN,
		  run_with_empty_idt(self, wrmsr_fs_base, sizeof(wrmsr_fs_base)));
	EXPECT_EQ(MINIVMM_EXIT_SHUTDOWN,
		  run_with_empty_idt(self, cr0_pg_without_pe, sizeof(cr0_pg_without_pe)));
	EXPECT_EQ(MINIVMM_EXIT_SHUTDOWN,
		  run_with_empty_idt(self, cr0_nw_without_cd, sizeof(cr0_nw_without_cd)));
}

TEST_F(run, invalid_guest_state_is_fail_entry)
{
	static const uint8_t code[] = { 0xf4 };
	struct minivmm_sregs sr;

	load_code(self, code, sizeof(code));
	ASSERT_EQ(0, ioctl(self->v.vcpu, MINIVMM_GET_SREGS, &sr));
	sr.tr.unusable = 1;	/* TR must be usable (SDM 26.3.1.2) */
	ASSERT_EQ(0, ioctl(self->v.vcpu, MINIVMM_SET_SREGS, &sr));
	ASSERT_EQ(0, run_vcpu(self));
	ASSERT_EQ(MINIVMM_EXIT_FAIL_ENTRY, self->v.run->exit_reason)
		TH_LOG("exit %u", self->v.run->exit_reason);
	/* Exit reason 33, "VM-entry failure due to invalid guest state". */
	EXPECT_EQ(0x80000021ULL, self->v.run->fail_entry.hardware_entry_failure_reason);
}

static void *kick(void *arg)
{
	struct timespec ts = { 0, 20 * 1000 * 1000 };

	nanosleep(&ts, NULL);
	pthread_kill(*(pthread_t *)arg, SIGUSR1);
	return NULL;
}

static void on_usr1(int sig)
{
	(void)sig;
}

TEST_F(run, signal_stops_a_looping_guest)
{
	static const uint8_t code[] = { 0xeb, 0xfe };	/* jmp . */
	struct sigaction sa = { .sa_handler = on_usr1 };
	pthread_t self_thread = pthread_self(), t;

	load_code(self, code, sizeof(code));
	ASSERT_EQ(0, sigaction(SIGUSR1, &sa, NULL));
	ASSERT_EQ(0, pthread_create(&t, NULL, kick, &self_thread));
	EXPECT_EQ(-1, run_vcpu(self));
	EXPECT_EQ(EINTR, errno);
	EXPECT_EQ(MINIVMM_EXIT_INTR, self->v.run->exit_reason);
	pthread_join(t, NULL);

	/* immediate_exit: RUN returns at once, before entering. */
	self->v.run->immediate_exit = 1;
	EXPECT_EQ(-1, run_vcpu(self));
	EXPECT_EQ(EINTR, errno);
	self->v.run->immediate_exit = 0;
}

TEST_F(run, guest_memory_is_mapped_lazily)
{
	/* mov $0x1234,%ax; mov %ax,(0x5000); hlt */
	static const uint8_t code[] = { 0xb8, 0x34, 0x12, 0xa3, 0x00, 0x50, 0xf4 };

	load_code(self, code, sizeof(code));
	EXPECT_EQ(0, mv_counter("mapped_pages"));
	ASSERT_EQ(0, run_vcpu(self));
	ASSERT_EQ(MINIVMM_EXIT_HLT, self->v.run->exit_reason);
	/* The write reached the host's memory for the slot. */
	EXPECT_EQ(0x34, self->v.mem[0x5000]);
	EXPECT_EQ(0x12, self->v.mem[0x5001]);
	/* Only the pages touched are mapped: code and data, not 2 MiB. */
	EXPECT_GE(4, mv_counter("mapped_pages"));
	EXPECT_LE(2, mv_counter("mapped_pages"));
}

TEST_F(run, vcpu_fd_from_another_process_is_eio)
{
	pid_t pid = fork();
	int status;

	ASSERT_LE(0, pid);
	if (pid == 0)
		_exit(ioctl(self->v.vcpu, MINIVMM_RUN, 0) == -1 && errno == EIO ? 0 : 1);
	ASSERT_EQ(pid, waitpid(pid, &status, 0));
	EXPECT_EQ(0, WEXITSTATUS(status));
}

/* Replace slot 0 by RAM below 512 KiB only: 0xa0000 becomes MMIO. */
static int ram_below_512k(FIXTURE_DATA(run) *self)
{
	struct minivmm_memory_region r = { .slot = 0 };

	if (ioctl(self->v.vm, MINIVMM_SET_MEMORY_REGION, &r))
		return -1;
	r.memory_size = 0x80000;
	r.userspace_addr = (uintptr_t)self->v.mem;
	return ioctl(self->v.vm, MINIVMM_SET_MEMORY_REGION, &r);
}

TEST_F(run, mmio_exits)
{
	/*
	 * Memory is 0-512 KiB only; 0xa0000 (the VGA hole) is MMIO.
	 * mov $0xa000,%ax; mov %ax,%ds; movw $0x1234,(0x10); mov (0x20),%ax;
	 * movzbl (0x30),%ecx; mov %ah,(0x40); hlt
	 */
	static const uint8_t code[] = { 0xb8, 0x00, 0xa0, 0x8e, 0xd8,
		0xc7, 0x06, 0x10, 0x00, 0x34, 0x12, 0xa1, 0x20, 0x00,
		0x66, 0x0f, 0xb6, 0x0e, 0x30, 0x00, 0x88, 0x26, 0x40, 0x00, 0xf4 };
	struct minivmm_regs regs;

	ASSERT_EQ(0, ram_below_512k(self));
	load_code(self, code, sizeof(code));
	ASSERT_EQ(0, ioctl(self->v.vcpu, MINIVMM_GET_REGS, &regs));
	regs.rcx = 0xffffffffffffffffULL;
	ASSERT_EQ(0, ioctl(self->v.vcpu, MINIVMM_SET_REGS, &regs));

	/* An immediate written to a device register. */
	ASSERT_EQ(0, run_vcpu(self));
	ASSERT_EQ(MINIVMM_EXIT_MMIO, self->v.run->exit_reason)
		TH_LOG("exit %u", self->v.run->exit_reason);
	EXPECT_EQ(0xa0010, self->v.run->mmio.phys_addr);
	EXPECT_EQ(2, self->v.run->mmio.len);
	EXPECT_EQ(1, self->v.run->mmio.is_write);
	EXPECT_EQ(0x34, self->v.run->mmio.data[0]);
	EXPECT_EQ(0x12, self->v.run->mmio.data[1]);

	/* A 16-bit read, completed by the next RUN. */
	ASSERT_EQ(0, run_vcpu(self));
	ASSERT_EQ(MINIVMM_EXIT_MMIO, self->v.run->exit_reason);
	EXPECT_EQ(0xa0020, self->v.run->mmio.phys_addr);
	EXPECT_EQ(2, self->v.run->mmio.len);
	EXPECT_EQ(0, self->v.run->mmio.is_write);
	self->v.run->mmio.data[0] = 0xef;
	self->v.run->mmio.data[1] = 0xbe;

	/* MOVZX: a byte read widened to ECX. */
	ASSERT_EQ(0, run_vcpu(self));
	ASSERT_EQ(MINIVMM_EXIT_MMIO, self->v.run->exit_reason);
	EXPECT_EQ(0xa0030, self->v.run->mmio.phys_addr);
	EXPECT_EQ(1, self->v.run->mmio.len);
	self->v.run->mmio.data[0] = 0x9a;

	/* AH written: the byte read into AX above. */
	ASSERT_EQ(0, run_vcpu(self));
	ASSERT_EQ(MINIVMM_EXIT_MMIO, self->v.run->exit_reason);
	EXPECT_EQ(0xa0040, self->v.run->mmio.phys_addr);
	EXPECT_EQ(1, self->v.run->mmio.len);
	EXPECT_EQ(1, self->v.run->mmio.is_write);
	EXPECT_EQ(0xbe, self->v.run->mmio.data[0]);

	ASSERT_EQ(0, run_vcpu(self));
	ASSERT_EQ(MINIVMM_EXIT_HLT, self->v.run->exit_reason);
	ASSERT_EQ(0, ioctl(self->v.vcpu, MINIVMM_GET_REGS, &regs));
	EXPECT_EQ(0xbeef, regs.rax & 0xffff);
	EXPECT_EQ(0x9a, regs.rcx);
	EXPECT_EQ(CODE_ADDR + sizeof(code), regs.rip);
}

TEST_F(run, undecodable_mmio_is_internal_error)
{
	/* mov $0xa000,%ax; mov %ax,%ds; add %al,(0x50) */
	static const uint8_t code[] = { 0xb8, 0x00, 0xa0, 0x8e, 0xd8, 0x00, 0x06, 0x50, 0x00 };

	ASSERT_EQ(0, ram_below_512k(self));
	load_code(self, code, sizeof(code));
	ASSERT_EQ(0, run_vcpu(self));
	ASSERT_EQ(MINIVMM_EXIT_INTERNAL_ERROR, self->v.run->exit_reason);
	EXPECT_EQ(MINIVMM_INTERNAL_EMULATION, self->v.run->internal.suberror);
	EXPECT_EQ(0xa0050, self->v.run->internal.data[0]);
	/* The instruction bytes follow, for a diagnosis. */
	EXPECT_EQ(0x00, ((uint8_t *)&self->v.run->internal.data[1])[0]);
	EXPECT_EQ(0x06, ((uint8_t *)&self->v.run->internal.data[1])[1]);
}

TEST_F(run, readonly_slot_write_is_mmio)
{
	/* mov $0x55,%al; mov %al,(0x1000)  with 0x1000 in a read-only slot */
	static const uint8_t code[] = { 0xb0, 0x55, 0xa2, 0x00, 0x10, 0xf4 };
	struct minivmm_memory_region r = { .slot = 0 };
	uint8_t *rom = mmap(NULL, 4096, PROT_READ | PROT_WRITE,
			    MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

	ASSERT_NE(MAP_FAILED, rom);
	rom[0] = 0x77;
	ASSERT_EQ(0, ioctl(self->v.vm, MINIVMM_SET_MEMORY_REGION, &r));
	r = (struct minivmm_memory_region){ .slot = 0, .guest_phys_addr = 0x7000,
		.memory_size = 0x9000, .userspace_addr = (uintptr_t)self->v.mem + 0x7000 };
	ASSERT_EQ(0, ioctl(self->v.vm, MINIVMM_SET_MEMORY_REGION, &r));
	r = (struct minivmm_memory_region){ .slot = 1, .flags = MINIVMM_MEM_READONLY,
		.guest_phys_addr = 0x1000, .memory_size = 4096, .userspace_addr = (uintptr_t)rom };
	ASSERT_EQ(0, ioctl(self->v.vm, MINIVMM_SET_MEMORY_REGION, &r));
	load_code(self, code, sizeof(code));
	ASSERT_EQ(0, run_vcpu(self));
	ASSERT_EQ(MINIVMM_EXIT_MMIO, self->v.run->exit_reason);
	EXPECT_EQ(0x1000, self->v.run->mmio.phys_addr);
	EXPECT_EQ(1, self->v.run->mmio.is_write);
	EXPECT_EQ(0x55, self->v.run->mmio.data[0]);
	EXPECT_EQ(0x77, rom[0]);	/* the read-only memory is untouched */
	ASSERT_EQ(0, run_vcpu(self));
	EXPECT_EQ(MINIVMM_EXIT_HLT, self->v.run->exit_reason);
	close(self->v.vcpu);
	self->v.vcpu = -1;
	munmap(rom, 4096);
}

/* MINIVMM_GET_STATS counts what the guest made the VCPU do. */
TEST_F(run, stats_count_exits_runs_and_faults)
{
	/*
	 * xor %eax,%eax; cpuid; cpuid; cpuid; out %al,$0x80;
	 * mov $0xa000,%ax; mov %ax,%ds; movb $1,(0x10) (MMIO); hlt
	 */
	static const uint8_t code[] = { 0x66, 0x31, 0xc0, 0x0f, 0xa2, 0x0f, 0xa2,
		0x0f, 0xa2, 0xe6, 0x80, 0xb8, 0x00, 0xa0, 0x8e, 0xd8,
		0xc6, 0x06, 0x10, 0x00, 0x01, 0xf4 };
	struct minivmm_vcpu_stats st;

	ASSERT_EQ(0, ram_below_512k(self));

	ASSERT_EQ(0, ioctl(self->v.vcpu, MINIVMM_GET_STATS, &st));
	EXPECT_EQ(0, st.runs);
	EXPECT_EQ(0, st.exits);
	EXPECT_EQ(0, st.vm_mapped_pages);
	load_code(self, code, sizeof(code));
	ASSERT_EQ(0, run_vcpu(self));
	ASSERT_EQ(MINIVMM_EXIT_IO, self->v.run->exit_reason);
	ASSERT_EQ(0, run_vcpu(self));
	ASSERT_EQ(MINIVMM_EXIT_MMIO, self->v.run->exit_reason);
	ASSERT_EQ(0, run_vcpu(self));
	ASSERT_EQ(MINIVMM_EXIT_HLT, self->v.run->exit_reason);
	self->v.run->immediate_exit = 1;
	EXPECT_EQ(-1, run_vcpu(self));
	EXPECT_EQ(EINTR, errno);

	ASSERT_EQ(0, ioctl(self->v.vcpu, MINIVMM_GET_STATS, &st));
	EXPECT_EQ(4, st.runs);
	EXPECT_EQ(3, st.userspace_exits);
	EXPECT_EQ(1, st.signal_exits);
	EXPECT_EQ(3, st.exits_by_reason[10]);	/* CPUID */
	EXPECT_EQ(1, st.exits_by_reason[30]);	/* I/O */
	EXPECT_EQ(1, st.exits_by_reason[12]);	/* HLT */
	EXPECT_EQ(1, st.mmio_exits);
	/* The code page (and the stack's, the same page) was mapped on a fault. */
	EXPECT_LE(1, st.ept_faults_in);
	EXPECT_EQ(st.ept_faults_in + st.mmio_exits, st.exits_by_reason[48]);
	EXPECT_EQ(st.ept_faults_in, st.vm_mapped_pages);
	EXPECT_EQ(0, st.failed_entries);
	/* Host interrupts and the preemption timer may add exits, never remove. */
	EXPECT_LE(5 + st.exits_by_reason[48], st.exits);

	errno = 0;
	EXPECT_EQ(-1, ioctl(self->v.vcpu, MINIVMM_GET_STATS, (void *)8));
	EXPECT_EQ(EFAULT, errno);
}


static int set_debug(FIXTURE_DATA(run) *self, uint32_t flags)
{
	struct minivmm_guest_debug d = { .flags = flags };

	return ioctl(self->v.vcpu, MINIVMM_SET_GUEST_DEBUG, &d);
}

TEST_F(run, guest_debug_errors)
{
	struct minivmm_guest_debug d = { .flags = MINIVMM_GUESTDBG_ENABLE, .padding = 1 };

	errno = 0;
	EXPECT_EQ(-1, set_debug(self, 1U << 3));
	EXPECT_EQ(EINVAL, errno);
	EXPECT_EQ(-1, set_debug(self, MINIVMM_GUESTDBG_SW_BP));	/* without ENABLE */
	EXPECT_EQ(EINVAL, errno);
	EXPECT_EQ(-1, ioctl(self->v.vcpu, MINIVMM_SET_GUEST_DEBUG, &d));
	EXPECT_EQ(EINVAL, errno);
	EXPECT_EQ(-1, ioctl(self->v.vcpu, MINIVMM_SET_GUEST_DEBUG, (void *)8));
	EXPECT_EQ(EFAULT, errno);
	EXPECT_EQ(0, set_debug(self, 0));
}

/*
 * Single-step: each RUN runs one instruction and stops after it, whether the
 * CPU ran it (the monitor trap flag, or RFLAGS.TF where there is none) or
 * minivmm emulated it (CPUID in the kernel, OUT in userspace). The guest's
 * RFLAGS.TF is its own again afterwards.
 */
TEST_F(run, single_step_stops_after_each_instruction)
{
	/* 0: inc %ax; 1: cpuid; 3: inc %ax; 4: out %al,$0x80; 6: inc %ax; 7: hlt */
	static const uint8_t code[] = { 0x40, 0x0f, 0xa2, 0x40, 0xe6, 0x80, 0x40, 0xf4 };
	static const uint64_t after[] = { 1, 3, 4, 6, 7 };
	struct minivmm_regs regs;
	unsigned int i;

	load_code(self, code, sizeof(code));
	ASSERT_EQ(0, ioctl(self->v.vcpu, MINIVMM_GET_REGS, &regs));
	regs.rax = 0;
	ASSERT_EQ(0, ioctl(self->v.vcpu, MINIVMM_SET_REGS, &regs));
	ASSERT_EQ(0, set_debug(self, MINIVMM_GUESTDBG_ENABLE | MINIVMM_GUESTDBG_SINGLESTEP));
	for (i = 0; i < sizeof(after) / sizeof(after[0]); i++) {
		ASSERT_EQ(0, run_vcpu(self));
		if (after[i] == 6) {
			/* The OUT goes to userspace first, then the step ends. */
			ASSERT_EQ(MINIVMM_EXIT_IO, self->v.run->exit_reason);
			ASSERT_EQ(0, run_vcpu(self));
		}
		ASSERT_EQ(MINIVMM_EXIT_DEBUG, self->v.run->exit_reason)
			TH_LOG("step %u: exit %u", i, self->v.run->exit_reason);
		EXPECT_EQ(1, self->v.run->debug.exception);
		EXPECT_EQ(CODE_ADDR + after[i], self->v.run->debug.rip) TH_LOG("step %u", i);
		ASSERT_EQ(0, ioctl(self->v.vcpu, MINIVMM_GET_REGS, &regs));
		EXPECT_EQ(CODE_ADDR + after[i], regs.rip);
	}
	EXPECT_EQ(0, regs.rflags & (1 << 8));	/* TF */
	/* Off again: the guest runs to its HLT. */
	ASSERT_EQ(0, set_debug(self, 0));
	ASSERT_EQ(0, run_vcpu(self));
	EXPECT_EQ(MINIVMM_EXIT_HLT, self->v.run->exit_reason);
	ASSERT_EQ(0, ioctl(self->v.vcpu, MINIVMM_GET_REGS, &regs));
	EXPECT_EQ(CODE_ADDR + 8, regs.rip);	/* past the HLT (CPUID set RAX) */
}

/* With SW_BP, INT3 stops the guest at the INT3 instead of raising #BP. */
TEST_F(run, int3_stops_for_the_debugger)
{
	/* 0: inc %ax; 1: int3; 2: inc %ax; 3: hlt */
	static const uint8_t code[] = { 0x40, 0xcc, 0x40, 0xf4 };
	struct minivmm_regs regs;

	load_code(self, code, sizeof(code));
	ASSERT_EQ(0, ioctl(self->v.vcpu, MINIVMM_GET_REGS, &regs));
	regs.rax = 0;
	ASSERT_EQ(0, ioctl(self->v.vcpu, MINIVMM_SET_REGS, &regs));
	ASSERT_EQ(0, set_debug(self, MINIVMM_GUESTDBG_ENABLE | MINIVMM_GUESTDBG_SW_BP));
	ASSERT_EQ(0, run_vcpu(self));
	ASSERT_EQ(MINIVMM_EXIT_DEBUG, self->v.run->exit_reason)
		TH_LOG("exit %u", self->v.run->exit_reason);
	EXPECT_EQ(3, self->v.run->debug.exception);
	EXPECT_EQ(CODE_ADDR + 1, self->v.run->debug.rip);
	/* A debugger puts the byte back and resumes at the INT3's address. */
	self->v.mem[CODE_ADDR + 1] = 0x40;
	ASSERT_EQ(0, run_vcpu(self));
	EXPECT_EQ(MINIVMM_EXIT_HLT, self->v.run->exit_reason);
	ASSERT_EQ(0, ioctl(self->v.vcpu, MINIVMM_GET_REGS, &regs));
	EXPECT_EQ(3, regs.rax & 0xff);
}

TEST_HARNESS_MAIN
