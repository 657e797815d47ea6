// SPDX-License-Identifier: GPL-2.0
/*
 * Isolation: a guest (guests/probe.S, flat 32-bit, paging off) probes the
 * whole 4 GiB guest-physical space and sees memory exactly where slots
 * are, an MMIO exit everywhere else, never the secret pattern this process
 * keeps right before and after every slot's backing memory and elsewhere,
 * and never the memory of a second VM that is alive at the same time.
 *
 * The probes (one dword read each): every 4 KiB page inside every slot and
 * within 2 MiB of either edge of a slot, and every 32 KiB elsewhere up to
 * 4 GiB (131072 coarse probes). Measured in Bochs (1 CPU, the host shared):
 * 68k MMIO exits took 6 s of wall time, 264k took 40 s, so a 4 KiB stride
 * everywhere (1M exits per layout) would take minutes per layout; 32 KiB
 * takes about 20 s. The fine band around each slot edge is where an
 * off-by-one in the slot lookup or the EPT would show. The number of
 * probes and exits of each layout are printed, with the time on the test
 * machine's clock (slow in Bochs).
 * Runs in the test machine.
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
#include <time.h>
#include <unistd.h>

#include <linux/minivmm.h>

#include "kselftest_harness.h"
#include "../lib/mvtest.h"

#define PROBE_IMG	"/tests/probe.img"
#define CODE_ADDR	0x7c00
#define PLAN_ADDR	0x1000		/* as in guests/probe.S */
#define RESULTS_ADDR	0x10000
#define SLOT0_SIZE	(2UL << 20)	/* the prober's own memory, at 0 */
#define MAX_RANGES	((CODE_ADDR - PLAN_ADDR - 12) / 12)
#define MAX_PROBES	((SLOT0_SIZE - RESULTS_ADDR) / 4)
#define PAGE		4096ULL
#define NR_PAGES	(1ULL << 20)	/* 4 GiB of 4 KiB pages */
#define COARSE		(32 * 1024ULL)
#define BAND		(2ULL << 20)
#define FOUND_PORT	0xe1

#define TOKEN		0x4d4d494fU	/* what this process answers MMIO reads with */
#define SECRET		0x5ec12e75U	/* host memory outside the slots */
#define OTHER		0x07e2b77aU	/* the second VM's memory */
#define FILL(gpa)	(0x50000000U | (uint32_t)((gpa) >> 12))	/* slot pages */

struct slot {
	uint64_t gpa, size;
	bool ro;
};

struct layout {
	const char *name;
	unsigned int n;
	struct slot s[6];	/* s[0] is the prober's memory at 0 */
};

static const struct layout layouts[] = {
	{ "2 MiB slot then a gap, readonly 64 KiB at 256 MiB", 3, {
		{ 0, SLOT0_SIZE, false },
		{ 0x200000, 0x200000, false },
		{ 0x10000000, 0x10000, true } } },
	{ "2 MiB ending at 4 GiB, one page at 2 GiB, readonly slot next to slot 0", 4, {
		{ 0, SLOT0_SIZE, false },
		{ 0xffe00000, 0x200000, false },
		{ 0x80000000, 0x1000, false },
		{ 0x200000, 0x100000, true } } },
	{ "two adjacent slots, readonly 1 MiB at 3 GiB, the last page, 16 KiB at 0xfec00000", 6, {
		{ 0, SLOT0_SIZE, false },
		{ 0x400000, 0x100000, false },
		{ 0x500000, 0x100000, false },
		{ 0xc0000000, 0x100000, true },
		{ 0xfffff000, 0x1000, false },
		{ 0xfec00000, 0x4000, false } } },
};

static void fill32(void *p, uint32_t v, size_t bytes)
{
	uint32_t *d = p;
	size_t i;

	for (i = 0; i < bytes / 4; i++)
		d[i] = v;
}

/*
 * Backing memory for a slot with a page of the secret right before and
 * right after it, in the same mapping: an off-by-one page in the kernel's
 * translation would land there.
 */
static uint8_t *backing(uint64_t size)
{
	uint8_t *m = mmap(NULL, size + 2 * PAGE, PROT_READ | PROT_WRITE,
			  MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

	if (m == MAP_FAILED)
		return NULL;
	fill32(m, SECRET, PAGE);
	fill32(m + PAGE + size, SECRET, PAGE);
	return m + PAGE;
}

static void free_backing(uint8_t *m, uint64_t size)
{
	munmap(m - PAGE, size + 2 * PAGE);
}

struct guest {
	int vm, vcpu;
	struct minivmm_run *run;
	uint8_t *mem[6];
};

static int load_prober(uint8_t *slot0)
{
	int fd = open(PROBE_IMG, O_RDONLY);
	ssize_t n;

	if (fd < 0)
		return -1;
	n = read(fd, slot0 + CODE_ADDR, PLAN_ADDR * 4);
	close(fd);
	return n > 0 ? 0 : -1;
}

static void flat(struct minivmm_segment *s, uint16_t sel, uint8_t type)
{
	*s = (struct minivmm_segment){ .limit = 0xffffffff, .selector = sel,
		.type = type, .present = 1, .s = 1, .db = 1, .g = 1 };
}

/* A VM with the given slots (filled), the prober in slot 0, one VCPU. */
static int make_guest(int sys, const struct slot *s, unsigned int n, uint32_t fill_override,
		      struct guest *g)
{
	struct minivmm_regs regs = { .rip = CODE_ADDR, .rflags = 2 };
	struct minivmm_memory_region r;
	struct minivmm_sregs sr;
	unsigned int i;
	uint64_t off;

	g->vm = ioctl(sys, MINIVMM_CREATE_VM, 0);
	if (g->vm < 0)
		return -1;
	for (i = 0; i < n; i++) {
		g->mem[i] = backing(s[i].size);
		if (!g->mem[i])
			return -1;
		for (off = 0; off < s[i].size; off += PAGE)
			fill32(g->mem[i] + off, fill_override && i ? fill_override :
			       FILL(s[i].gpa + off), PAGE);
		r = (struct minivmm_memory_region){ .slot = i,
			.flags = s[i].ro ? MINIVMM_MEM_READONLY : 0,
			.guest_phys_addr = s[i].gpa, .memory_size = s[i].size,
			.userspace_addr = (uintptr_t)g->mem[i] };
		if (ioctl(g->vm, MINIVMM_SET_MEMORY_REGION, &r))
			return -1;
	}
	if (load_prober(g->mem[0]))
		return -1;
	g->vcpu = ioctl(g->vm, MINIVMM_CREATE_VCPU, 0);
	if (g->vcpu < 0)
		return -1;
	g->run = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_SHARED, g->vcpu, 0);
	if (g->run == MAP_FAILED || ioctl(g->vcpu, MINIVMM_GET_SREGS, &sr))
		return -1;
	flat(&sr.cs, 8, 0xb);
	flat(&sr.ds, 0x10, 0x3);
	sr.es = sr.fs = sr.gs = sr.ss = sr.ds;
	sr.cr0 = 0x11;		/* PE, ET; paging off: linear = guest-physical */
	if (ioctl(g->vcpu, MINIVMM_SET_SREGS, &sr))
		return -1;
	return ioctl(g->vcpu, MINIVMM_SET_REGS, &regs);
}

static void free_guest(struct guest *g, const struct slot *s, unsigned int n)
{
	unsigned int i;

	munmap(g->run, 4096);
	close(g->vcpu);
	close(g->vm);
	for (i = 0; i < n; i++)
		free_backing(g->mem[i], s[i].size);
}

/*
 * Write the plan (ranges of equally spaced probes) for the marked pages
 * into slot 0. Returns the number of probes and fills addr[] with them,
 * or -1 if the plan does not fit.
 */
static long write_plan(uint8_t *slot0, const uint8_t *mark, uint32_t p0, uint32_t p1,
		       uint32_t *addr)
{
	uint32_t *plan = (uint32_t *)(slot0 + PLAN_ADDR);
	uint32_t *rg = plan + 3, nr = 0;
	uint64_t pg, n = 0;

	plan[1] = p0;
	plan[2] = p1;
	for (pg = 0; pg < NR_PAGES; pg++) {
		if (!mark[pg])
			continue;
		if (n == MAX_PROBES)
			return -1;
		addr[n] = pg * PAGE;
		/* Extend the last range if the step is the same. */
		if (nr && rg[-2] == 1) {
			rg[-1] = addr[n] - rg[-3];
			rg[-2] = 2;
		} else if (nr && addr[n] - rg[-3] == (uint64_t)rg[-1] * (rg[-2] - 1) + rg[-1]) {
			rg[-2]++;
		} else {
			if (nr == MAX_RANGES)
				return -1;
			rg[0] = addr[n];
			rg[1] = 1;
			rg[2] = PAGE;
			rg += 3;
			nr++;
		}
		n++;
	}
	plan[0] = nr;
	return n;
}

static int in_slot(const struct slot *s, unsigned int n, uint64_t a)
{
	unsigned int i;

	for (i = 0; i < n; i++)
		if (a >= s[i].gpa && a < s[i].gpa + s[i].size)
			return i;
	return -1;
}

struct outcome {
	unsigned long mmio, io_found, other_exits;
	uint32_t *mmio_addr;	/* in order */
	uint32_t found[16];
	int err;
};

/* Run the prober to its HLT, answering MMIO reads with TOKEN. */
static void run_prober(struct guest *g, long nprobes, struct outcome *o)
{
	struct minivmm_run *run = g->run;

	memset(o, 0, sizeof(*o));
	o->mmio_addr = calloc(nprobes + 1, sizeof(uint32_t));
	for (;;) {
		if (ioctl(g->vcpu, MINIVMM_RUN, 0)) {
			o->err = errno;
			return;
		}
		switch (run->exit_reason) {
		case MINIVMM_EXIT_HLT:
			return;
		case MINIVMM_EXIT_MMIO:
			if (run->mmio.is_write || run->mmio.len != 4 ||
			    o->mmio >= (unsigned long)nprobes) {
				o->other_exits++;
				return;
			}
			o->mmio_addr[o->mmio++] = run->mmio.phys_addr;
			memcpy(run->mmio.data, &(uint32_t){ TOKEN }, 4);
			break;
		case MINIVMM_EXIT_IO:
			if (run->io.port != FOUND_PORT || run->io.size != 4) {
				o->other_exits++;
				return;
			}
			if (o->io_found < 16)
				memcpy(&o->found[o->io_found],
				       (uint8_t *)run + run->io.data_offset, 4);
			o->io_found++;
			break;
		default:
			o->other_exits++;
			return;
		}
	}
}

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

FIXTURE(iso) {
	int sys;
	uint8_t *mark;
	uint32_t *addr;
	uint8_t *secret;		/* more host memory holding the secret */
	struct guest other;		/* the second VM, alive throughout */
	struct slot other_slots[2];
};

FIXTURE_SETUP(iso)
{
	struct outcome o;
	long n, i;

	ASSERT_EQ(0, mv_load());
	self->sys = mv_open();
	ASSERT_LE(0, self->sys);
	self->mark = calloc(NR_PAGES, 1);
	self->addr = calloc(MAX_PROBES, sizeof(uint32_t));
	self->secret = malloc(4 << 20);
	ASSERT_TRUE(self->mark && self->addr && self->secret);
	fill32(self->secret, SECRET, 4 << 20);

	/*
	 * The other VM: 3 MiB of OTHER at 2 MiB, where the layouts below
	 * have a gap, slots and a readonly slot. Its prober reads all of it, so
	 * every page is mapped in its EPT while the layouts run.
	 */
	self->other_slots[0] = (struct slot){ 0, SLOT0_SIZE, false };
	self->other_slots[1] = (struct slot){ 0x200000, 0x300000, false };
	ASSERT_EQ(0, make_guest(self->sys, self->other_slots, 2, OTHER, &self->other))
		TH_LOG("second VM: %m");
	for (i = 0x200000 / PAGE; i < 0x500000 / PAGE; i++)
		self->mark[i] = 1;
	n = write_plan(self->other.mem[0], self->mark, SECRET, TOKEN, self->addr);
	ASSERT_EQ(0x300, n);
	run_prober(&self->other, n, &o);
	ASSERT_EQ(0, o.err);
	EXPECT_EQ(0, o.mmio);
	EXPECT_EQ(0, o.other_exits);
	EXPECT_EQ(0, o.io_found);
	for (i = 0; i < n; i++)
		ASSERT_EQ(OTHER, ((uint32_t *)(self->other.mem[0] + RESULTS_ADDR))[i]);
	free(o.mmio_addr);
	EXPECT_LE(0x300, mv_counter("mapped_pages"));
}

FIXTURE_TEARDOWN(iso)
{
	free_guest(&self->other, self->other_slots, 2);
	free(self->mark);
	free(self->addr);
	free(self->secret);
	close(self->sys);
}

static void probe_layout(struct __test_metadata *_metadata, FIXTURE_DATA(iso) *self,
			 const struct layout *l)
{
	unsigned long in_slots = 0, bad_mem = 0, bad_mmio = 0, j = 0;
	const uint32_t *res;
	struct outcome o;
	struct guest g;
	uint64_t a, lo, hi;
	unsigned int i;
	double t0;
	long n, k;
	int s;

	memset(self->mark, 0, NR_PAGES);
	for (a = 0; a < (1ULL << 32); a += COARSE)
		self->mark[a / PAGE] = 1;
	for (i = 0; i < l->n; i++) {
		lo = l->s[i].gpa > BAND ? l->s[i].gpa - BAND : 0;
		hi = l->s[i].gpa + l->s[i].size + BAND;
		if (hi > (1ULL << 32))
			hi = 1ULL << 32;
		for (a = lo; a < hi; a += PAGE)
			self->mark[a / PAGE] = 1;
	}
	ASSERT_EQ(0, make_guest(self->sys, l->s, l->n, 0, &g)) TH_LOG("%s: %m", l->name);
	n = write_plan(g.mem[0], self->mark, SECRET, OTHER, self->addr);
	ASSERT_LT(0, n) TH_LOG("the plan does not fit");

	t0 = now();
	run_prober(&g, n, &o);
	ASSERT_EQ(0, o.err) TH_LOG("RUN: %s", strerror(o.err));
	ASSERT_EQ(0, o.other_exits) TH_LOG("unexpected exit %u at probe %lu",
					   g.run->exit_reason, o.mmio);

	/* Every probe: memory exactly in the slots, an MMIO exit elsewhere. */
	res = (const uint32_t *)(g.mem[0] + RESULTS_ADDR);
	for (k = 0; k < n; k++) {
		a = self->addr[k];
		s = in_slot(l->s, l->n, a);
		if (s >= 0) {
			in_slots++;
			/* Slot 0 holds the prober's code, plan and results. */
			if (s == 0 ? res[k] == TOKEN : res[k] != FILL(a)) {
				if (bad_mem++ < 5)
					TH_LOG("%#lx (slot %d) read %#x", (unsigned long)a, s, res[k]);
			}
		} else if (res[k] != TOKEN || j >= o.mmio || o.mmio_addr[j++] != a) {
			if (bad_mmio++ < 5)
				TH_LOG("%#lx (no slot) read %#x, MMIO exit %lu at %#x",
				       (unsigned long)a, res[k], j, j ? o.mmio_addr[j - 1] : 0);
		}
	}
	EXPECT_EQ(0, bad_mem);
	EXPECT_EQ(0, bad_mmio);
	EXPECT_EQ(n - in_slots, o.mmio) TH_LOG("MMIO exits for probes outside the slots");
	EXPECT_EQ(0, o.io_found)
		TH_LOG("the secret or the other VM's memory seen at %#x", o.found[0]);
	printf("# %s: %ld probes, %lu in slots, %lu MMIO exits, %.2f s (test machine clock)\n",
	       l->name, n, in_slots, o.mmio, now() - t0);
	free(o.mmio_addr);
	free_guest(&g, l->s, l->n);
}

TEST_F(iso, layout_gap_and_readonly)
{
	probe_layout(_metadata, self, &layouts[0]);
}

TEST_F(iso, layout_slot_ending_at_4g)
{
	probe_layout(_metadata, self, &layouts[1]);
}

TEST_F(iso, layout_adjacent_slots_and_last_page)
{
	probe_layout(_metadata, self, &layouts[2]);
}

/* The prober finds a planted secret: the test can fail. */
TEST_F(iso, prober_reports_a_planted_secret)
{
	static const struct slot s[] = { { 0, SLOT0_SIZE, false }, { 0x200000, 0x10000, false } };
	struct outcome o;
	struct guest g;
	long n;

	ASSERT_EQ(0, make_guest(self->sys, s, 2, 0, &g));
	fill32(g.mem[1] + 0x3000, SECRET, PAGE);
	fill32(g.mem[1] + 0x5000, OTHER, PAGE);
	memset(self->mark, 0, NR_PAGES);
	memset(self->mark + 0x200, 1, 0x10);
	n = write_plan(g.mem[0], self->mark, SECRET, OTHER, self->addr);
	ASSERT_EQ(0x10, n);
	run_prober(&g, n, &o);
	ASSERT_EQ(0, o.err);
	EXPECT_EQ(0, o.mmio);
	ASSERT_EQ(2, o.io_found);
	EXPECT_EQ(0x203000, o.found[0]);
	EXPECT_EQ(0x205000, o.found[1]);
	free(o.mmio_addr);
	free_guest(&g, s, 2);
}

TEST_HARNESS_MAIN
