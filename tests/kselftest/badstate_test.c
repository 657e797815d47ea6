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

#define MEM_SIZE	(2UL << 20)
#define CODE_ADDR	0x7c00
#define PML4_ADDR	0x1000

/* CR0, CR4 and EFER bits (SDM Vol. 3, 2.5 and 2.2.1). */
#define CR0_PE		(1ULL << 0)
#define CR0_ET		(1ULL << 4)
#define CR0_NE		(1ULL << 5)
#define CR0_PG		(1ULL << 31)
#define CR4_PAE		(1ULL << 5)
#define CR4_PCIDE	(1ULL << 17)
#define EFER_LME	(1ULL << 8)
#define RFLAGS_VM	(1ULL << 17)

/* VMX basic exit reason 33 with bit 31, "VM-entry failure" (SDM 26.8). */
#define INVALID_GUEST_STATE	0x80000021ULL

enum base { REAL, PM32, LONG64 };

static const char *const base_name[] = { "real mode", "32-bit protected mode", "64-bit mode" };

typedef void (*breaker)(struct minivmm_sregs *s, struct minivmm_regs *r);

FIXTURE(badstate) {
	int sys, vm, vcpu;
	uint8_t *mem;
	struct minivmm_run *run;
};

FIXTURE_VARIANT(badstate) {
	enum base base;
	breaker bad;
	const char *rule;
};

static void flat(struct minivmm_segment *s, uint16_t sel, uint8_t type)
{
	*s = (struct minivmm_segment){ .base = 0, .limit = 0xffffffff,
		.selector = sel, .type = type, .present = 1, .s = 1, .db = 1,
		.g = 1 };
}

/* The valid starting state of each base; guest code is one HLT. */
static int set_base(int vcpu, enum base base)
{
	struct minivmm_regs r = { .rip = CODE_ADDR, .rsp = CODE_ADDR, .rflags = 2 };
	struct minivmm_sregs s;

	if (ioctl(vcpu, MINIVMM_GET_SREGS, &s))
		return -1;
	if (base == REAL) {
		/* The INIT state (SDM 10.1.1) with CS:IP = 0:0x7c00. */
		struct minivmm_segment *segs[] = { &s.cs, &s.ds, &s.es, &s.fs, &s.gs, &s.ss };
		unsigned int i;

		for (i = 0; i < 6; i++)
			*segs[i] = (struct minivmm_segment){ .limit = 0xffff,
				.type = i ? 3 : 0xb, .present = 1, .s = 1 };
		s.tr = (struct minivmm_segment){ .limit = 0xffff, .type = 0xb, .present = 1 };
		s.ldt = (struct minivmm_segment){ .limit = 0xffff, .type = 2, .present = 1 };
		s.gdt.base = s.idt.base = 0;
		s.gdt.limit = s.idt.limit = 0xffff;
		s.cr0 = CR0_ET;
		s.cr3 = s.cr4 = s.efer = 0;
	} else {
		flat(&s.cs, 0x08, 0xb);
		flat(&s.ss, 0x10, 0x3);
		flat(&s.ds, 0x10, 0x3);
		flat(&s.es, 0x10, 0x3);
		flat(&s.fs, 0x10, 0x3);
		flat(&s.gs, 0x10, 0x3);
		/* A busy TSS (SDM 26.3.1.2); LDTR unusable. */
		s.tr = (struct minivmm_segment){ .limit = 0x67, .selector = 0x18,
			.type = 0xb, .present = 1 };
		s.ldt = (struct minivmm_segment){ .unusable = 1 };
		s.gdt.base = 0x4000;
		s.gdt.limit = 0x1f;
		s.idt.base = 0;
		s.idt.limit = 0;
		s.cr0 = CR0_PE | CR0_ET | CR0_NE;
		s.cr3 = 0;
		s.cr4 = 0;
		s.efer = 0;
		if (base == LONG64) {
			s.cs.l = 1;
			s.cs.db = 0;
			s.cr0 |= CR0_PG;
			s.cr3 = PML4_ADDR;
			s.cr4 = CR4_PAE;
			s.efer = EFER_LME;	/* the module sets LMA */
		}
	}
	if (ioctl(vcpu, MINIVMM_SET_SREGS, &s) || ioctl(vcpu, MINIVMM_SET_REGS, &r))
		return -1;
	return 0;
}

/* A VM with MEM_SIZE of memory in slot 0 and one VCPU: 0, or -1 (errno). */
static int open_vm(int *sys, int *vm, int *vcpu, uint8_t **mem, struct minivmm_run **run)
{
	struct minivmm_memory_region r;

	*sys = mv_open();
	*vm = *sys < 0 ? -1 : ioctl(*sys, MINIVMM_CREATE_VM, 0);
	if (*vm < 0)
		return -1;
	*mem = mmap(NULL, MEM_SIZE, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (*mem == MAP_FAILED)
		return -1;
	r = (struct minivmm_memory_region){ .slot = 0, .memory_size = MEM_SIZE,
		.userspace_addr = (uintptr_t)*mem };
	if (ioctl(*vm, MINIVMM_SET_MEMORY_REGION, &r))
		return -1;
	*vcpu = ioctl(*vm, MINIVMM_CREATE_VCPU, 0);
	if (*vcpu < 0)
		return -1;
	*run = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_SHARED, *vcpu, 0);
	return *run == MAP_FAILED ? -1 : 0;
}

static void close_vm(int sys, int vm, int vcpu, uint8_t *mem, struct minivmm_run *run)
{
	munmap(run, 4096);
	close(vcpu);
	close(vm);
	munmap(mem, MEM_SIZE);
	close(sys);
}

FIXTURE_SETUP(badstate)
{
	uint64_t *pt;

	ASSERT_EQ(0, mv_load());
	ASSERT_EQ(0, open_vm(&self->sys, &self->vm, &self->vcpu, &self->mem, &self->run))
		TH_LOG("a VM with one VCPU: %m");
	self->mem[CODE_ADDR] = 0xf4;	/* hlt */
	/* 4-level paging: the first 2 MiB identity-mapped by one large page. */
	pt = (uint64_t *)(self->mem + PML4_ADDR);
	pt[0] = 0x2000 | 3;
	pt = (uint64_t *)(self->mem + 0x2000);
	pt[0] = 0x3000 | 3;
	pt = (uint64_t *)(self->mem + 0x3000);
	pt[0] = 0 | 0x83;
}

FIXTURE_TEARDOWN(badstate)
{
	close_vm(self->sys, self->vm, self->vcpu, self->mem, self->run);
	/* Everything the cases created is gone again. */
	EXPECT_EQ(0, mv_counter("vms"));
	EXPECT_EQ(0, mv_counter("vmcs"));
	EXPECT_EQ(0, mv_counter("pinned_pages"));
}

/* The regression tests below: one VM each, without the variants. */
FIXTURE(regress) {
	int sys, vm, vcpu;
	uint8_t *mem;
	struct minivmm_run *run;
};

FIXTURE_SETUP(regress)
{
	ASSERT_EQ(0, mv_load());
	ASSERT_EQ(0, open_vm(&self->sys, &self->vm, &self->vcpu, &self->mem, &self->run))
		TH_LOG("a VM with one VCPU: %m");
}

FIXTURE_TEARDOWN(regress)
{
	close_vm(self->sys, self->vm, self->vcpu, self->mem, self->run);
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
	uint64_t rip;
	int vcpu2;

	/* The base state is valid: without the change it runs. */
	ASSERT_EQ(MINIVMM_EXIT_HLT, runs_to_hlt(self->vcpu, self->run, variant->base))
		TH_LOG("base state (%s) does not run", base_name[variant->base]);

	ASSERT_EQ(0, set_base(self->vcpu, variant->base));
	ASSERT_EQ(0, ioctl(self->vcpu, MINIVMM_GET_SREGS, &s));
	ASSERT_EQ(0, ioctl(self->vcpu, MINIVMM_GET_REGS, &r));
	variant->bad(&s, &r);
	ASSERT_EQ(0, ioctl(self->vcpu, MINIVMM_SET_SREGS, &s));
	ASSERT_EQ(0, ioctl(self->vcpu, MINIVMM_SET_REGS, &r));
	rip = r.rip;
	memset(&self->run->fail_entry, 0xa5, sizeof(self->run->fail_entry));
	ASSERT_EQ(0, ioctl(self->vcpu, MINIVMM_RUN, 0)) TH_LOG("RUN: %m");
	printf("# %s (%s): exit %u, hardware reason %#llx, qualification %#llx, "
	       "instruction error %u\n", variant->rule, base_name[variant->base],
	       self->run->exit_reason,
	       (unsigned long long)self->run->fail_entry.hardware_entry_failure_reason,
	       (unsigned long long)self->run->fail_entry.exit_qualification,
	       self->run->fail_entry.vm_instruction_error);
	ASSERT_EQ(MINIVMM_EXIT_FAIL_ENTRY, self->run->exit_reason)
		TH_LOG("%s: exit %u, not FAIL_ENTRY", variant->rule, self->run->exit_reason);
	EXPECT_EQ(INVALID_GUEST_STATE, self->run->fail_entry.hardware_entry_failure_reason);
	/* The guest did not run: RIP is where it was. */
	ASSERT_EQ(0, ioctl(self->vcpu, MINIVMM_GET_REGS, &r));
	EXPECT_EQ(rip, r.rip);

	/* The same VCPU runs the valid state again... */
	EXPECT_EQ(MINIVMM_EXIT_HLT, runs_to_hlt(self->vcpu, self->run, variant->base));
	/* ...and so does a fresh VCPU of the same VM. */
	vcpu2 = ioctl(self->vm, MINIVMM_CREATE_VCPU, 1);
	ASSERT_LE(0, vcpu2) TH_LOG("CREATE_VCPU: %m");
	run2 = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_SHARED, vcpu2, 0);
	ASSERT_NE(MAP_FAILED, run2);
	EXPECT_EQ(MINIVMM_EXIT_HLT, runs_to_hlt(vcpu2, run2, variant->base));
	munmap(run2, 4096);
	close(vcpu2);
}

/* One case per rule: CASE(name, base, rule text, body changing s and r). */
#define CASE(name, b, text, ...)						\
	static void bad_##name(struct minivmm_sregs *s, struct minivmm_regs *r) \
	{ (void)s; (void)r; __VA_ARGS__; }					\
	FIXTURE_VARIANT_ADD(badstate, name) {					\
		.base = b, .bad = bad_##name, .rule = text,			\
	}

/* Segment registers (SDM 26.3.1.2). */
CASE(cs_type_data_readonly, PM32, "CS type 1 (read-only data) is not a code type",
     s->cs.type = 1);
CASE(cs_code_not_accessed, PM32, "CS type 0xa: code segments must be accessed",
     s->cs.type = 0xa);
CASE(cs_system_descriptor, PM32, "CS.S = 0 (system descriptor)", s->cs.s = 0);
CASE(cs_not_present, PM32, "CS.P = 0", s->cs.present = 0);
/*
 * Not here because Bochs 2.7 enters the guest anyway: a non-conforming CS
 * with CS.DPL != SS.DPL, and a non-canonical RIP in 64-bit mode (the guest
 * then takes #GP on the fetch and shuts down).
 */
CASE(cs_data_type_dpl3, REAL, "CS type 3 (unrestricted guest) with DPL 3",
     s->cs.type = 3; s->cs.dpl = 3);
CASE(ss_dpl_with_data_cs, PM32, "CS type 3 (unrestricted guest) with SS.DPL 3",
     s->cs.type = 3; s->ss.dpl = 3);
CASE(conforming_cs_dpl_gt_ss_dpl, PM32, "conforming CS: CS.DPL 3 > SS.DPL 0",
     s->cs.type = 0xf; s->cs.dpl = 3);
CASE(cs_limit_g_mismatch, PM32, "CS.G = 1 with limit bits 11:0 not all 1",
     s->cs.limit = 0xfffff000);
CASE(ds_limit_needs_g, PM32, "DS.G = 0 with limit bits 31:20 set",
     s->ds.g = 0);
CASE(cs_l_and_db_in_long_mode, LONG64, "64-bit CS with both L and D/B set",
     s->cs.db = 1);
CASE(ss_type_code, PM32, "SS type 0xb (code) is not writable data",
     s->ss.type = 0xb);
CASE(ds_type_not_accessed, PM32, "DS type 2: usable data segments must be accessed",
     s->ds.type = 2);
CASE(ds_execute_only_code, PM32, "DS type 9: code in a data register must be readable",
     s->ds.type = 9);
CASE(ss_dpl_in_real_mode, REAL, "SS.DPL = 3 with CR0.PE = 0", s->ss.dpl = 3);
CASE(ds_base_above_4g, PM32, "DS base bits 63:32 not 0", s->ds.base = 1ULL << 32);
CASE(fs_base_noncanonical, LONG64, "FS base not canonical",
     s->fs.base = 0x0000800000000000ULL);
CASE(cs_unusable, PM32, "CS marked unusable", s->cs.unusable = 1);
CASE(gs_base_noncanonical, LONG64, "GS base not canonical",
     s->gs.base = 0xff00000000000000ULL);
CASE(tr_unusable, PM32, "TR unusable", s->tr.unusable = 1);
CASE(tr_type_available_tss, LONG64, "TR type 9 (available, not busy, TSS)",
     s->tr.type = 9);
CASE(tr_type_16bit_in_long_mode, LONG64, "TR type 3 (16-bit busy TSS) in IA-32e mode",
     s->tr.type = 3);
CASE(tr_not_system, PM32, "TR.S = 1", s->tr.s = 1);
CASE(tr_not_present, PM32, "TR.P = 0", s->tr.present = 0);
CASE(tr_selector_ti, PM32, "TR selector with TI = 1 (in the LDT)",
     s->tr.selector = 0x1c);
CASE(tr_limit_g_mismatch, PM32, "TR.G = 0 with limit bit 20 set",
     s->tr.limit = 0x100000);
CASE(tr_base_noncanonical, LONG64, "TR base not canonical",
     s->tr.base = 0xfff0000000000000ULL);
CASE(ldtr_type_not_ldt, PM32, "usable LDTR with type 3, not an LDT",
     s->ldt = (struct minivmm_segment){ .limit = 0xffff, .type = 3, .present = 1 });
CASE(ldtr_base_noncanonical, LONG64, "usable LDTR with a non-canonical base",
     s->ldt = (struct minivmm_segment){ .base = 0x0000900000000000ULL,
	     .limit = 0xffff, .type = 2, .present = 1 });
CASE(ldtr_not_present, PM32, "usable LDTR with P = 0",
     s->ldt = (struct minivmm_segment){ .limit = 0xffff, .type = 2 });

/* Descriptor-table registers (SDM 26.3.1.3). */
CASE(gdtr_base_noncanonical, LONG64, "GDTR base not canonical",
     s->gdt.base = 0x0001000000000000ULL);
CASE(idtr_base_noncanonical, LONG64, "IDTR base not canonical",
     s->idt.base = 0x8000000000000000ULL);

/* Control registers and EFER (SDM 26.3.1.1). */
CASE(cr0_pg_without_pe, REAL, "CR0.PG = 1 with CR0.PE = 0", s->cr0 |= CR0_PG);
CASE(cr0_high_bits, PM32, "CR0 bits 63:32 not 0", s->cr0 |= 1ULL << 40);
CASE(cr4_pae_clear_long_mode, LONG64, "IA-32e mode guest with CR4.PAE = 0",
     s->cr4 &= ~CR4_PAE);
CASE(cr4_pcide_outside_long_mode, PM32, "CR4.PCIDE = 1 outside IA-32e mode",
     s->cr4 |= CR4_PCIDE);
CASE(cr3_reserved_bits, PM32, "CR3 bits 63:52 not 0", s->cr3 = 1ULL << 60);
CASE(efer_reserved_bit, PM32, "EFER reserved bit 1 set", s->efer |= 1ULL << 1);

/* RIP and RFLAGS (SDM 26.3.1.4). */
CASE(v8086_with_flat_segments, PM32,
     "RFLAGS.VM = 1 with segments not virtual-8086 ones (base, limit, AR 0xf3)",
     r->rflags |= RFLAGS_VM);
CASE(rip_above_4g_32bit, PM32, "RIP bits 63:32 not 0 outside 64-bit mode",
     r->rip = 0x100007c00ULL);
CASE(rflags_reserved_bit3, PM32, "RFLAGS reserved bit 3 set", r->rflags |= 1 << 3);
CASE(rflags_high_bits, REAL, "RFLAGS bits 63:22 not 0", r->rflags |= 1ULL << 40);
CASE(rflags_vm_long_mode, LONG64, "RFLAGS.VM = 1 in IA-32e mode",
     r->rflags |= RFLAGS_VM);

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

	ASSERT_EQ(0, set_base(self->vcpu, REAL));
	ASSERT_EQ(0, ioctl(self->vcpu, MINIVMM_GET_SREGS, &s));
	for (i = 0; i < sizeof(bits) / sizeof(bits[0]); i++) {
		s2 = s;
		s2.cr4 |= bits[i];
		errno = 0;
		EXPECT_EQ(-1, ioctl(self->vcpu, MINIVMM_SET_SREGS, &s2)) TH_LOG("CR4 bit %#llx",
			(unsigned long long)bits[i]);
		EXPECT_EQ(EINVAL, errno);
	}
	ASSERT_EQ(0, ioctl(self->vcpu, MINIVMM_GET_SREGS, &s2));
	EXPECT_EQ(0, memcmp(&s, &s2, sizeof(s)));

	/* The guest: #GP with an empty IDT is a triple fault. */
	s.idt.limit = 0;
	ASSERT_EQ(0, ioctl(self->vcpu, MINIVMM_SET_SREGS, &s));
	memcpy(self->mem + CODE_ADDR, bad, sizeof(bad));
	ASSERT_EQ(0, ioctl(self->vcpu, MINIVMM_RUN, 0));
	EXPECT_EQ(MINIVMM_EXIT_SHUTDOWN, self->run->exit_reason);
	ASSERT_EQ(0, ioctl(self->vcpu, MINIVMM_GET_SREGS, &s2));
	EXPECT_EQ(0, s2.cr4 & (1ULL << 31));

	/* A supported bit is taken. */
	ASSERT_EQ(0, set_base(self->vcpu, REAL));
	memcpy(self->mem + CODE_ADDR, good, sizeof(good));
	ASSERT_EQ(0, ioctl(self->vcpu, MINIVMM_RUN, 0));
	EXPECT_EQ(MINIVMM_EXIT_HLT, self->run->exit_reason);
	ASSERT_EQ(0, ioctl(self->vcpu, MINIVMM_GET_SREGS, &s2));
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

	ASSERT_EQ(0, set_base(self->vcpu, REAL));
	memcpy(self->mem + CODE_ADDR, code, sizeof(code));
	ASSERT_EQ(0, ioctl(self->vcpu, MINIVMM_RUN, 0));
	EXPECT_EQ(MINIVMM_EXIT_HLT, self->run->exit_reason) TH_LOG("exit %u", self->run->exit_reason);
	ASSERT_EQ(0, ioctl(self->vcpu, MINIVMM_GET_REGS, &regs));
	EXPECT_EQ(CODE_ADDR + sizeof(code), regs.rip);
	ASSERT_EQ(0, ioctl(self->vcpu, MINIVMM_GET_SREGS, &s));
	EXPECT_EQ(CR0_PE, s.cr0 & CR0_PE) TH_LOG("CR0 %#llx", (unsigned long long)s.cr0);
}

TEST_HARNESS_MAIN
