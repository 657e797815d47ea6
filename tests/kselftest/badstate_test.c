// SPDX-License-Identifier: GPL-2.0
/*
 * Invalid guest states: each case takes a guest state that runs (real mode,
 * 32-bit protected mode or 64-bit mode, each checked to reach its HLT
 * first), breaks one rule of the VM-entry checks on the guest-state area
 * (SDM 26.3.1 / 27.3.1 in newer editions), and expects RUN to end in a
 * MINIVMM_EXIT_FAIL_ENTRY exit with VMX exit reason 33 ("invalid guest
 * state") and bit 31 set, never a host oops. Afterwards the same VCPU, and
 * a fresh one, still run the valid state. Runs in the test machine.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <unistd.h>

#include <linux/minivmm.h>

#include "kselftest_harness.h"
#include "../lib/mvtest.h"
#include "../lib/badstates.h"
#include "../../vmm/entrycheck.h"

#define MEM_SIZE	(2UL << 20)

/* VMX basic exit reason 33 with bit 31, "VM-entry failure" (SDM 26.8). */
#define INVALID_GUEST_STATE	0x80000021ULL

typedef void (*breaker)(struct minivmm_sregs *s, struct minivmm_regs *r);

FIXTURE(badstate) {
	struct mv_vm v;
};

FIXTURE_VARIANT(badstate) {
	enum base base;
	breaker bad;
	const char *rule;
	const char *check;	/* what entry_check_guest() must name */
};

/* The valid starting state of each base; guest code is one HLT. */
static int set_base(int vcpu, enum base base)
{
	struct minivmm_regs r;
	struct minivmm_sregs s;

	badstate_base(base, &s, &r);
	if (ioctl(vcpu, MINIVMM_SET_SREGS, &s) || ioctl(vcpu, MINIVMM_SET_REGS, &r))
		return -1;
	return 0;
}

FIXTURE_SETUP(badstate)
{
	uint64_t *pt;
	int r;

	ASSERT_EQ(0, mv_load());
	r = mv_vm_open(&self->v, MEM_SIZE);
	ASSERT_EQ(0, r) TH_LOG("a VM with one VCPU: %s", strerror(-r));
	self->v.mem[CODE_ADDR] = 0xf4;	/* hlt */
	/* 4-level paging: the first 2 MiB identity-mapped by one large page. */
	pt = (uint64_t *)(self->v.mem + PML4_ADDR);
	pt[0] = 0x2000 | 3;
	pt = (uint64_t *)(self->v.mem + 0x2000);
	pt[0] = 0x3000 | 3;
	pt = (uint64_t *)(self->v.mem + 0x3000);
	pt[0] = 0 | 0x83;
}

FIXTURE_TEARDOWN(badstate)
{
	mv_vm_close(&self->v);
	/* Everything the cases created is gone again. */
	EXPECT_EQ(0, mv_counter("vms"));
	EXPECT_EQ(0, mv_counter("vmcs"));
	EXPECT_EQ(0, mv_counter("mapped_pages"));
}

/* The regression tests below: one VM each, without the variants. */
FIXTURE(regress) {
	struct mv_vm v;
};

FIXTURE_SETUP(regress)
{
	int r;

	ASSERT_EQ(0, mv_load());
	r = mv_vm_open(&self->v, MEM_SIZE);
	ASSERT_EQ(0, r) TH_LOG("a VM with one VCPU: %s", strerror(-r));
}

FIXTURE_TEARDOWN(regress)
{
	mv_vm_close(&self->v);
}

/* Run the base state of a VCPU: it must reach its HLT. */
static int runs_to_hlt(int vcpu, struct minivmm_run *run, enum base base)
{
	struct minivmm_regs r;

	if (set_base(vcpu, base) || ioctl(vcpu, MINIVMM_RUN, 0))
		return -1;
	if (run->exit_reason != MINIVMM_EXIT_HLT)
		return run->exit_reason;
	if (ioctl(vcpu, MINIVMM_GET_REGS, &r) || r.rip != CODE_ADDR + 1)
		return -2;
	return MINIVMM_EXIT_HLT;
}

TEST_F(badstate, fails_entry)
{
	struct minivmm_sregs s;
	struct minivmm_regs r;
	struct minivmm_run *run2;
	struct entry_check why;
	uint64_t rip;
	int vcpu2;

	/* The base state is valid: without the change it runs. */
	ASSERT_EQ(MINIVMM_EXIT_HLT, runs_to_hlt(self->v.vcpu, self->v.run, variant->base))
		TH_LOG("base state (%s) does not run", base_name[variant->base]);

	ASSERT_EQ(0, set_base(self->v.vcpu, variant->base));
	ASSERT_EQ(0, ioctl(self->v.vcpu, MINIVMM_GET_SREGS, &s));
	ASSERT_EQ(0, ioctl(self->v.vcpu, MINIVMM_GET_REGS, &r));
	variant->bad(&s, &r);
	ASSERT_EQ(0, ioctl(self->v.vcpu, MINIVMM_SET_SREGS, &s));
	ASSERT_EQ(0, ioctl(self->v.vcpu, MINIVMM_SET_REGS, &r));
	rip = r.rip;
	memset(&self->v.run->fail_entry, 0xa5, sizeof(self->v.run->fail_entry));
	ASSERT_EQ(0, ioctl(self->v.vcpu, MINIVMM_RUN, 0)) TH_LOG("RUN: %m");
	printf("# %s (%s): exit %u, hardware reason %#llx, qualification %#llx, "
	       "instruction error %u\n", variant->rule, base_name[variant->base],
	       self->v.run->exit_reason,
	       (unsigned long long)self->v.run->fail_entry.hardware_entry_failure_reason,
	       (unsigned long long)self->v.run->fail_entry.exit_qualification,
	       self->v.run->fail_entry.vm_instruction_error);
	ASSERT_EQ(MINIVMM_EXIT_FAIL_ENTRY, self->v.run->exit_reason)
		TH_LOG("%s: exit %u, not FAIL_ENTRY", variant->rule, self->v.run->exit_reason);
	EXPECT_EQ(INVALID_GUEST_STATE, self->v.run->fail_entry.hardware_entry_failure_reason);
	/* The guest did not run: RIP is where it was. */
	ASSERT_EQ(0, ioctl(self->v.vcpu, MINIVMM_GET_REGS, &r));
	EXPECT_EQ(rip, r.rip);
	/* vmm's diagnosis names the rule this case breaks, from the state read back. */
	ASSERT_EQ(0, ioctl(self->v.vcpu, MINIVMM_GET_SREGS, &s));
	EXPECT_EQ(1, entry_check_guest(&r, &s, entry_check_maxphyaddr(), &why));
	printf("# diagnosis: %s [SDM %s, check %s]\n", why.what, why.sdm, why.id);
	EXPECT_STREQ(variant->check, why.id ? why.id : "(none)");

	/* The same VCPU runs the valid state again... */
	EXPECT_EQ(MINIVMM_EXIT_HLT, runs_to_hlt(self->v.vcpu, self->v.run, variant->base));
	/* ...and so does a fresh VCPU of the same VM. */
	vcpu2 = ioctl(self->v.vm, MINIVMM_CREATE_VCPU, 1);
	ASSERT_LE(0, vcpu2) TH_LOG("CREATE_VCPU: %m");
	run2 = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_SHARED, vcpu2, 0);
	ASSERT_NE(MAP_FAILED, run2);
	EXPECT_EQ(MINIVMM_EXIT_HLT, runs_to_hlt(vcpu2, run2, variant->base));
	munmap(run2, 4096);
	close(vcpu2);
}

/* One variant per case of tests/lib/badstate_cases.h. */
#define BADSTATE(name, b, id, text, ...)					\
	static void bad_##name(struct minivmm_sregs *s, struct minivmm_regs *r) \
	{ (void)s; (void)r; __VA_ARGS__; }					\
	FIXTURE_VARIANT_ADD(badstate, name) {					\
		.base = b, .bad = bad_##name, .rule = text, .check = id,	\
	};
#include "../lib/badstate_cases.h"
#undef BADSTATE

/*
 * CR4 is the one register SET_SREGS checks: a bit the CPU cannot run the
 * guest with (reserved, not allowed in VMX operation, or VMXE) is -EINVAL,
 * and a guest MOV to CR4 with it raises #GP, rather than the read shadow
 * showing a bit the guest does not have.
 */
TEST_F(regress, cr4_unsupported_bits)
{
	/* mov $0x80000000,%eax; mov %eax,%cr4; hlt */
	static const uint8_t bad[] = { 0x66, 0xb8, 0x00, 0x00, 0x00, 0x80,
				       0x0f, 0x22, 0xe0, 0xf4 };
	/* mov $0x20,%eax (PAE); mov %eax,%cr4; hlt */
	static const uint8_t good[] = { 0x66, 0xb8, 0x20, 0x00, 0x00, 0x00,
					0x0f, 0x22, 0xe0, 0xf4 };
	static const uint64_t bits[] = { 1ULL << 31, 1ULL << 36, 1ULL << 13 /* VMXE */ };
	struct minivmm_sregs s, s2;
	unsigned int i;

	ASSERT_EQ(0, set_base(self->v.vcpu, REAL));
	ASSERT_EQ(0, ioctl(self->v.vcpu, MINIVMM_GET_SREGS, &s));
	for (i = 0; i < sizeof(bits) / sizeof(bits[0]); i++) {
		s2 = s;
		s2.cr4 |= bits[i];
		errno = 0;
		EXPECT_EQ(-1, ioctl(self->v.vcpu, MINIVMM_SET_SREGS, &s2)) TH_LOG("CR4 bit %#llx",
			(unsigned long long)bits[i]);
		EXPECT_EQ(EINVAL, errno);
	}
	ASSERT_EQ(0, ioctl(self->v.vcpu, MINIVMM_GET_SREGS, &s2));
	EXPECT_EQ(0, memcmp(&s, &s2, sizeof(s)));

	/* The guest: #GP with an empty IDT is a triple fault. */
	s.idt.limit = 0;
	ASSERT_EQ(0, ioctl(self->v.vcpu, MINIVMM_SET_SREGS, &s));
	memcpy(self->v.mem + CODE_ADDR, bad, sizeof(bad));
	ASSERT_EQ(0, ioctl(self->v.vcpu, MINIVMM_RUN, 0));
	EXPECT_EQ(MINIVMM_EXIT_SHUTDOWN, self->v.run->exit_reason);
	ASSERT_EQ(0, ioctl(self->v.vcpu, MINIVMM_GET_SREGS, &s2));
	EXPECT_EQ(0, s2.cr4 & (1ULL << 31));

	/* A supported bit is taken. */
	ASSERT_EQ(0, set_base(self->v.vcpu, REAL));
	memcpy(self->v.mem + CODE_ADDR, good, sizeof(good));
	ASSERT_EQ(0, ioctl(self->v.vcpu, MINIVMM_RUN, 0));
	EXPECT_EQ(MINIVMM_EXIT_HLT, self->v.run->exit_reason);
	ASSERT_EQ(0, ioctl(self->v.vcpu, MINIVMM_GET_SREGS, &s2));
	EXPECT_EQ(0x20, s2.cr4);
}

/*
 * CR0.PE is the guest's own bit (no VM exit when it changes): a guest that
 * sets it, then exits on WRMSR to EFER (which recomputes EFER.LMA from
 * CR0), must still be in protected mode afterwards, and GET_SREGS must
 * report it.
 */
TEST_F(regress, guest_owned_cr0_bits_survive_exits)
{
	static const uint8_t code[] = {
		0x0f, 0x20, 0xc0,			/* mov %cr0,%eax */
		0x66, 0x83, 0xc8, 0x01,			/* or $1,%eax */
		0x0f, 0x22, 0xc0,			/* mov %eax,%cr0 */
		0x66, 0xb9, 0x80, 0x00, 0x00, 0xc0,	/* mov $0xc0000080,%ecx */
		0x66, 0x31, 0xc0,			/* xor %eax,%eax */
		0x66, 0x31, 0xd2,			/* xor %edx,%edx */
		0x0f, 0x30,				/* wrmsr (EFER = 0) */
		0xf4,					/* hlt */
	};
	struct minivmm_sregs s;
	struct minivmm_regs regs;

	ASSERT_EQ(0, set_base(self->v.vcpu, REAL));
	memcpy(self->v.mem + CODE_ADDR, code, sizeof(code));
	ASSERT_EQ(0, ioctl(self->v.vcpu, MINIVMM_RUN, 0));
	EXPECT_EQ(MINIVMM_EXIT_HLT, self->v.run->exit_reason)
		TH_LOG("exit %u", self->v.run->exit_reason);
	ASSERT_EQ(0, ioctl(self->v.vcpu, MINIVMM_GET_REGS, &regs));
	EXPECT_EQ(CODE_ADDR + sizeof(code), regs.rip);
	ASSERT_EQ(0, ioctl(self->v.vcpu, MINIVMM_GET_SREGS, &s));
	EXPECT_EQ(CR0_PE, s.cr0 & CR0_PE) TH_LOG("CR0 %#llx", (unsigned long long)s.cr0);
}

TEST_HARNESS_MAIN
