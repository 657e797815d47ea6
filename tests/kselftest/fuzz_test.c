// SPDX-License-Identifier: GPL-2.0
/*
 * An ioctl fuzzer for minivmm: random ioctl numbers, sizes and arguments on
 * the system, VM and VCPU fds; random register states followed by bounded
 * RUNs of random guest code; random memory layouts (overlaps, deletions,
 * read-only slots, backing memory unmapped while a slot still points at
 * it); closes and re-opens; odd mmaps of the run area. Then: the debugfs
 * counters are back to 0, the module unloads, the kernel log has no splat.
 *
 * Bounded in count and time, seeded and reproducible (for a given seed the
 * sequence of calls is the same; RUN results may differ with timing):
 *   MINIVMM_FUZZ_SEED     seed (default: from the clock; always printed)
 *   MINIVMM_FUZZ_CALLS    number of fuzzed calls (default 100000)
 *   MINIVMM_FUZZ_SECONDS  bound on the fuzzing time in the machine's
 *                         clock (default 10; reaching it fails the test).
 *                         In Bochs the guest clock is slow: 100,000 calls
 *                         took 0.4 s of it (about 75 s of real time, with
 *                         one CPU).
 * Runs in the test machine.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <setjmp.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/time.h>
#include <time.h>
#include <unistd.h>

#include <linux/minivmm.h>

#include "kselftest_harness.h"
#include "../lib/mvtest.h"
#include "../lib/splat.h"

#define NSYS		2
#define NVM		2
#define NVCPU		4
#define NBUF		6
#define PAGE		4096UL
#define MAX_ERRNO	160

/* ---- Reproducible randomness: splitmix64 ---- */

static uint64_t rng_state;

static uint64_t rnd(void)
{
	uint64_t z = (rng_state += 0x9e3779b97f4a7c15ULL);

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	return z ^ (z >> 31);
}

static unsigned int below(unsigned int n)
{
	return n ? rnd() % n : 0;
}

static bool chance(unsigned int percent)
{
	return below(100) < percent;
}

static const uint64_t edge64[] = {
	0, 1, 2, 3, 0xf, 0xff, 0xfff, 0x1000, 0xffff, 0x10000, 0x7fffffff,
	0x80000000, 0xffffffff, 0x100000000ULL, 0x00007fffffffffffULL,
	0x0000800000000000ULL, 0xffff800000000000ULL, 0x7fffffffffffffffULL,
	0x8000000000000000ULL, 0xfffffffffffff000ULL, ~0ULL,
};

static uint64_t edge_or_random(void)
{
	if (chance(60))
		return edge64[below(sizeof(edge64) / sizeof(edge64[0]))];
	if (chance(50))
		return rnd() & ((1ULL << below(64)) - 1);
	return rnd();
}

static void fill_random(void *p, size_t len)
{
	uint8_t *b = p;
	uint64_t v;

	for (; len >= 8; len -= 8, b += 8) {
		v = rnd();
		memcpy(b, &v, 8);
	}
	while (len--)
		*b++ = rnd();
}

/* ---- What the fuzzer holds ---- */

struct vcpu_slot {
	int fd;
	int vm;			/* index into vms[] */
	struct minivmm_run *run;
};

struct buf {
	uint8_t *p;
	size_t len;
};

static struct state {
	int sys[NSYS];
	int vm[NVM];
	struct vcpu_slot vcpu[NVCPU];
	struct buf buf[NBUF];
	uint8_t *scratch;	/* two pages, the second one unmapped */
	uint8_t *ro;		/* one read-only page of random bytes */
	int devnull;
	long max_vcpus, nr_slots;
} st;

/* ---- Totals ---- */

enum op { OP_RAW, OP_SYS, OP_CREATE_VM, OP_SET_MEM, OP_CREATE_VCPU, OP_GET_REGS,
	OP_SET_REGS, OP_GET_SREGS, OP_SET_SREGS, OP_RUN, OP_CPUID, OP_GET_MSRS,
	OP_SET_MSRS, OP_MMAP, OP_CLOSE, OP_OPEN, OP_MUNMAP_BACKING, OP_DEBUG, OP_STATS, OP_EVENTS, NOPS };

static const char *const op_name[NOPS] = {
	"raw ioctl (random number/size/arg)", "system fd ioctls", "CREATE_VM",
	"SET_MEMORY_REGION", "CREATE_VCPU", "GET_REGS", "SET_REGS", "GET_SREGS",
	"SET_SREGS", "RUN", "SET_CPUID", "GET_MSRS", "SET_MSRS",
	"mmap of the run area", "close", "open /dev/minivmm",
	"munmap of slot backing memory",
	"SET_GUEST_DEBUG", "GET_STATS",
	"INTERRUPT, NMI, GET/SET_VCPU_EVENTS",
};

static unsigned long calls, op_count[NOPS], errno_count[MAX_ERRNO + 1], ok_count;
static unsigned long exit_count[16], runs_bounded;

static long count_call(long r)
{
	calls++;
	if (r >= 0)
		ok_count++;
	else
		errno_count[errno > 0 && errno < MAX_ERRNO ? errno : MAX_ERRNO]++;
	return r;
}

/* Fds a random call was handed (a raw CREATE_VM or CREATE_VCPU). */
static int extra_fd[64];
static unsigned int nr_extra;

static long xioctl(int fd, unsigned long nr, unsigned long arg)
{
	return count_call(ioctl(fd, nr, arg));
}

static void raw_call(int fd, unsigned long nr, unsigned long arg)
{
	long r = xioctl(fd, nr, arg);

	if (r > 2 && (nr == MINIVMM_CREATE_VM || nr == MINIVMM_CREATE_VCPU)) {
		if (nr_extra < sizeof(extra_fd) / sizeof(extra_fd[0]))
			extra_fd[nr_extra++] = r;
		else
			close(r);
	}
}

/* ---- Arguments ---- */

/* A pointer: valid, misaligned, at the edge of an unmapped page, or bad. */
static unsigned long random_pointer(size_t want)
{
	uint8_t *guard = st.scratch + PAGE;
	struct buf *b;

	switch (below(12)) {
	case 0:
		return 0;
	case 1:
		return edge_or_random();
	case 2:		/* the last bytes before an unmapped page */
		return (unsigned long)(guard - 1 - below(want + 8));
	case 3:		/* unmapped */
		return (unsigned long)guard + below(PAGE);
	case 4:		/* kernel addresses */
		return chance(50) ? 0xffff888000000000ULL + (below(1 << 20) << 12) :
				    0xffffffff81000000ULL + below(1 << 24);
	case 5:		/* read-only */
		return (unsigned long)st.ro + below(PAGE);
	case 6:		/* backing memory, maybe already unmapped */
		b = &st.buf[below(NBUF)];
		if (b->p)
			return (unsigned long)b->p + below(b->len);
		return (unsigned long)guard;
	default:	/* random bytes in a valid buffer, often misaligned */
		fill_random(st.scratch, 384);
		return (unsigned long)st.scratch + (chance(30) ? below(64) : 0);
	}
}

static unsigned long random_arg(void)
{
	switch (below(4)) {
	case 0:
		return edge_or_random();
	case 1:
		return below(40);
	default:
		return random_pointer(below(300));
	}
}

/* Any fd the fuzzer holds, or a closed or foreign one. */
static int random_fd(void)
{
	int i;

	switch (below(10)) {
	case 0:
		return st.sys[below(NSYS)];
	case 1:
	case 2:
	case 3:
		return st.vm[below(NVM)];
	case 9:
		return chance(50) ? st.devnull : 1000 + below(10);
	default:
		i = below(NVCPU);
		return st.vcpu[i].fd;
	}
}

static unsigned long random_ioctl_nr(void)
{
	static const unsigned int dirs[] = { _IOC_NONE, _IOC_READ, _IOC_WRITE,
					     _IOC_READ | _IOC_WRITE };
	unsigned int type = MINIVMM_IO, nr, size;

	if (chance(10)) {
		type = below(256);
		if (type == 'X')	/* FIFREEZE and friends act on the filesystem */
			type = MINIVMM_IO;
	}
	nr = chance(85) ? below(0xc8) : below(256);
	size = chance(90) ? below(301) : below(1 << _IOC_SIZEBITS);
	return _IOC(dirs[below(4)], type, nr, size);
}

/* ---- Guest states and code ---- */

static void flat(struct minivmm_segment *s, uint16_t sel, uint8_t type)
{
	*s = (struct minivmm_segment){ .limit = 0xffffffff, .selector = sel,
		.type = type, .present = 1, .s = 1, .db = 1, .g = 1 };
}

/* Start from a valid real, protected or long mode state, then break it. */
static void random_sregs(struct minivmm_sregs *s)
{
	uint64_t *w = (uint64_t *)s;
	unsigned int i, n;

	if (chance(10)) {
		fill_random(s, sizeof(*s));
		return;
	}
	if (chance(60)) {
		unsigned int mode = below(3);

		flat(&s->cs, 8, 0xb);
		flat(&s->ds, 16, 3);
		s->es = s->fs = s->gs = s->ss = s->ds;
		s->tr = (struct minivmm_segment){ .limit = 0x67, .selector = 0x18,
			.type = 0xb, .present = 1 };
		s->ldt = (struct minivmm_segment){ .unusable = 1 };
		s->gdt.limit = 0xffff;
		s->idt.limit = chance(50) ? 0 : 0xfff;
		s->cr0 = mode ? 0x31 : 0x10;
		s->cr3 = 0x1000;
		s->cr4 = 0;
		s->efer = 0;
		if (mode == 0) {
			s->cs.limit = s->ds.limit = 0xffff;
			s->cs.g = s->ds.g = s->cs.db = s->ds.db = 0;
			s->es = s->fs = s->gs = s->ss = s->ds;
		} else if (mode == 2) {
			s->cs.l = 1;
			s->cs.db = 0;
			s->cr0 |= 0x80000000;
			s->cr4 = 0x20;
			s->efer = 0x500;
		}
	}
	/* The task priority: valid 0-15, sometimes not. */
	if (chance(20))
		s->cr8 = below(20);
	/* A few fields to edge or random values. */
	n = below(4);
	for (i = 0; i < n; i++) {
		unsigned int k = below(sizeof(*s) / 8);

		w[k] = chance(50) ? edge_or_random() : w[k] ^ (1ULL << below(64));
	}
}

static void random_regs(struct minivmm_regs *r)
{
	uint64_t *w = (uint64_t *)r;
	unsigned int i;

	for (i = 0; i < sizeof(*r) / 8; i++)
		w[i] = chance(70) ? below(0x10000) : edge_or_random();
	if (chance(70))
		r->rip = 0x7c00 + below(64);
	if (chance(70))
		r->rflags = 2 | (chance(30) ? 0x200 : 0);
}

/* Short guest programs: ends, loops, exits of every kind, faults. */
static const struct {
	uint8_t len, code[15];
} snippets[] = {
	{ 1, { 0xf4 } },				/* hlt */
	{ 2, { 0xeb, 0xfe } },				/* jmp . */
	{ 3, { 0xe6, 0x80, 0xf4 } },			/* out %al,$0x80; hlt */
	{ 3, { 0xe4, 0x60, 0xf4 } },			/* in $0x60,%al; hlt */
	{ 2, { 0x0f, 0xa2 } },				/* cpuid */
	{ 2, { 0x0f, 0x32 } },				/* rdmsr */
	{ 2, { 0x0f, 0x30 } },				/* wrmsr */
	{ 3, { 0x0f, 0x01, 0xc1 } },			/* vmcall */
	{ 2, { 0x0f, 0x0b } },				/* ud2 */
	{ 1, { 0xcc } },				/* int3 */
	{ 2, { 0xf3, 0x6c } },				/* rep insb */
	{ 2, { 0xf3, 0x6e } },				/* rep outsb */
	{ 2, { 0xf3, 0xa4 } },				/* rep movsb */
	{ 3, { 0x0f, 0x22, 0xc0 } },			/* mov %eax,%cr0 */
	{ 3, { 0x0f, 0x22, 0xe0 } },			/* mov %eax,%cr4 */
	{ 3, { 0x0f, 0x22, 0xd8 } },			/* mov %eax,%cr3 */
	{ 4, { 0x44, 0x0f, 0x22, 0xc0 } },		/* mov %rax,%cr8 (64-bit) */
	{ 3, { 0x0f, 0x23, 0xf8 } },			/* mov %eax,%dr7 */
	{ 3, { 0x0f, 0x21, 0xf0 } },			/* mov %dr6,%eax */
	{ 2, { 0x0f, 0x05 } },				/* syscall */
	{ 2, { 0x0f, 0x33 } },				/* rdpmc */
	{ 2, { 0x0f, 0x09 } },				/* wbinvd */
	{ 1, { 0xf1 } },				/* int1 (icebp) */
	{ 3, { 0x0f, 0x01, 0xd1 } },			/* xsetbv */
	{ 4, { 0x89, 0x07, 0xeb, 0xfc } },		/* 1: mov %eax,(%bx); jmp 1b */
	{ 3, { 0x8b, 0x07, 0xf4 } },			/* mov (%bx),%eax; hlt */
	{ 2, { 0xcd, 0x10 } },				/* int $0x10 */
	{ 1, { 0xfa } },				/* cli */
	{ 2, { 0x0f, 0x09 } },				/* wbinvd */
	{ 3, { 0x0f, 0x01, 0xf8 } },			/* swapgs */
	{ 2, { 0x0f, 0x31 } },				/* rdtsc */
};

static void random_code(uint8_t *p, size_t len)
{
	size_t i = 0;

	if (chance(30)) {
		fill_random(p, len);
		return;
	}
	while (i + 15 < len) {
		unsigned int k = below(sizeof(snippets) / sizeof(snippets[0]));

		memcpy(p + i, snippets[k].code, snippets[k].len);
		i += snippets[k].len;
		if (chance(25))
			break;
	}
	p[i] = 0xf4;
}

/* ---- Setup and teardown of what the fuzzer holds ---- */

static void on_alarm(int sig)
{
	(void)sig;
}

static volatile enum op cur_op;
static volatile sig_atomic_t bus_ok;
static sigjmp_buf bus_jmp;
static unsigned long bus_count, odd_offset_count;

/* A fault in the fuzzer itself: say where, for the replay. */
static void on_fault(int sig, siginfo_t *si, void *uc)
{
	char msg[160];
	int n;

	(void)uc;
	/* An access to a run-area mapping the kernel does not back: SIGBUS. */
	if (sig == SIGBUS && bus_ok)
		siglongjmp(bus_jmp, 1);
	n = snprintf(msg, sizeof(msg), "# fuzz: signal %d at address %p in op '%s' after %lu calls\n",
		     sig, si->si_addr, op_name[cur_op], calls);
	if (write(1, msg, n) < 0)
		_exit(2);
	signal(sig, SIG_DFL);
	raise(sig);
}

static int new_buf(int i)
{
	size_t pages = chance(50) ? 1 + below(16) : 1 + below(256);

	st.buf[i].p = mmap(NULL, pages * PAGE, PROT_READ | PROT_WRITE,
			   MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (st.buf[i].p == MAP_FAILED) {
		st.buf[i].p = NULL;
		return -1;
	}
	st.buf[i].len = pages * PAGE;
	/* Real-mode code at 0x7c00 if the buffer is mapped at 0. */
	if (st.buf[i].len > 0x8000)
		random_code(st.buf[i].p + 0x7c00, 64);
	return 0;
}

static void close_vcpu(int i)
{
	if (st.vcpu[i].run)
		munmap(st.vcpu[i].run, PAGE);
	st.vcpu[i].run = NULL;
	if (st.vcpu[i].fd >= 0)
		close(st.vcpu[i].fd);
	st.vcpu[i].fd = -1;
}

static void close_vm(int v)
{
	int i;

	if (chance(50))		/* the VCPUs keep the VM alive, or go first */
		for (i = 0; i < NVCPU; i++)
			if (st.vcpu[i].vm == v)
				close_vcpu(i);
	if (st.vm[v] >= 0)
		close(st.vm[v]);
	st.vm[v] = -1;
}

static void open_vm(int v)
{
	struct minivmm_memory_region r = { 0 };
	int s = st.sys[below(NSYS)];

	st.vm[v] = count_call(ioctl(s, MINIVMM_CREATE_VM, 0));
	op_count[OP_CREATE_VM]++;
	if (st.vm[v] < 0 || !st.buf[0].p)
		return;
	r.memory_size = st.buf[0].len;
	r.userspace_addr = (unsigned long)st.buf[0].p;
	xioctl(st.vm[v], MINIVMM_SET_MEMORY_REGION, (unsigned long)&r);
	op_count[OP_SET_MEM]++;
}

static void open_vcpu(int i)
{
	int v = below(NVM);

	if (st.vm[v] < 0)
		return;
	st.vcpu[i].vm = v;
	st.vcpu[i].fd = xioctl(st.vm[v], MINIVMM_CREATE_VCPU,
			       chance(90) ? below(st.max_vcpus) : edge_or_random());
	op_count[OP_CREATE_VCPU]++;
	if (st.vcpu[i].fd < 0)
		return;
	st.vcpu[i].run = mmap(NULL, PAGE, PROT_READ | PROT_WRITE, MAP_SHARED,
			      st.vcpu[i].fd, 0);
	if (st.vcpu[i].run == MAP_FAILED)
		st.vcpu[i].run = NULL;
}

static void close_all(void)
{
	int i;

	for (i = 0; i < NVCPU; i++)
		close_vcpu(i);
	for (i = 0; i < NVM; i++)
		close_vm(i);
	for (i = 0; i < NSYS; i++) {
		if (st.sys[i] >= 0)
			close(st.sys[i]);
		st.sys[i] = -1;
	}
	while (nr_extra)
		close(extra_fd[--nr_extra]);
	for (i = 0; i < NBUF; i++) {
		if (st.buf[i].p)
			munmap(st.buf[i].p, st.buf[i].len);
		st.buf[i].p = NULL;
	}
}

/* ---- The operations ---- */

static void op_set_mem(void)
{
	struct minivmm_memory_region r;
	struct buf *b = &st.buf[below(NBUF)];
	int vm = st.vm[below(NVM)];

	r.slot = chance(90) ? below(st.nr_slots) : edge_or_random();
	r.flags = chance(70) ? 0 : chance(70) ? MINIVMM_MEM_READONLY : edge_or_random();
	r.guest_phys_addr = chance(80) ? (uint64_t)below(64) << (chance(50) ? 12 : 20) :
					 edge_or_random();
	if (chance(15)) {
		r.memory_size = 0;	/* delete */
	} else if (b->p && chance(85)) {
		size_t pages = b->len / PAGE;

		r.memory_size = (1 + below(pages)) * PAGE;
		r.userspace_addr = (unsigned long)b->p;
		if (chance(30)) {	/* a part of the buffer */
			size_t off = below(pages) * PAGE;

			r.userspace_addr += off;
			r.memory_size = (1 + below((b->len - off) / PAGE)) * PAGE;
		}
		if (chance(5))
			r.memory_size += below(PAGE);
	} else if (chance(50)) {
		/*
		 * Page-aligned sizes at a page-aligned user address: up to
		 * 256 MiB, or 1 TiB and more, which the module must refuse
		 * quietly (in between, the module's page array would take a
		 * good part of the test machine's 512 MiB).
		 */
		r.memory_size = chance(50) ? 1ULL << (40 + below(7)) : 1ULL << (20 + below(9));
		r.memory_size -= chance(50) ? 0 : PAGE;
		r.userspace_addr = chance(50) ? PAGE : (unsigned long)st.scratch;
	} else {
		r.memory_size = edge_or_random();
		r.userspace_addr = random_pointer(PAGE);
	}
	xioctl(chance(95) ? vm : random_fd(), MINIVMM_SET_MEMORY_REGION,
	       chance(95) ? (unsigned long)&r : random_pointer(sizeof(r)));
}

static void op_run(void)
{
	struct vcpu_slot *c = &st.vcpu[below(NVCPU)];
	struct itimerval it = { { 0, 0 }, { 0, 50 + below(250) } };
	struct itimerval off = { { 0, 0 }, { 0, 0 } };
	unsigned int i, n = 1 + below(4);
	struct buf *b = &st.buf[0];
	long r;

	if (b->p && b->len > 0x7c00 + 64 && chance(50))
		random_code(b->p + 0x7c00, 64);
	for (i = 0; i < n; i++) {
		if (c->run && chance(3))
			c->run->immediate_exit = 1;
		if (c->run)
			c->run->request_interrupt_window = chance(10);
		setitimer(ITIMER_REAL, &it, NULL);
		r = xioctl(c->fd, MINIVMM_RUN, chance(97) ? 0 : edge_or_random());
		setitimer(ITIMER_REAL, &off, NULL);
		if (!c->run || (r && errno != EINTR))
			break;
		if (c->run->exit_reason == MINIVMM_EXIT_INTR)
			runs_bounded++;
		exit_count[c->run->exit_reason < 15 ? c->run->exit_reason : 15]++;
		c->run->immediate_exit = 0;
		if (c->run->exit_reason == MINIVMM_EXIT_MMIO)
			memcpy(c->run->mmio.data, "\x11\x22\x33\x44\x55\x66\x77\x88", 8);
		if (c->run->exit_reason != MINIVMM_EXIT_IO &&
		    c->run->exit_reason != MINIVMM_EXIT_MMIO &&
		    c->run->exit_reason != MINIVMM_EXIT_HYPERCALL)
			break;
	}
}

/*
 * Events: an interrupt (mostly a valid vector), an NMI, or the VCPU events
 * read back and written with a field or two changed, or random bytes.
 */
static void op_events(void)
{
	struct minivmm_vcpu_events e;
	struct minivmm_interrupt irq = {
		.irq = chance(90) ? below(256) : (uint32_t)edge_or_random(),
		.padding = chance(95) ? 0 : 1,
	};
	int fd = st.vcpu[below(NVCPU)].fd;
	uint8_t *p = (uint8_t *)&e;

	switch (below(4)) {
	case 0:
		xioctl(fd, MINIVMM_INTERRUPT, chance(95) ? (unsigned long)&irq : random_arg());
		break;
	case 1:
		xioctl(fd, MINIVMM_NMI, chance(90) ? 0 : edge_or_random());
		break;
	case 2:
		xioctl(fd, MINIVMM_GET_VCPU_EVENTS, chance(95) ? (unsigned long)&e : random_arg());
		break;
	default:
		memset(&e, 0, sizeof(e));
		if (chance(80))
			ioctl(fd, MINIVMM_GET_VCPU_EVENTS, &e);
		if (chance(50))
			p[below(sizeof(e))] = below(256);
		if (chance(30))
			p[below(sizeof(e))] = below(4);
		xioctl(fd, MINIVMM_SET_VCPU_EVENTS, chance(95) ? (unsigned long)&e : random_arg());
	}
}

static void op_msrs(bool set)
{
	static const uint32_t idx[] = { 0x10, 0x8b, 0x174, 0x175, 0x176, 0x1a0, 0x277,
		0xc0000080, 0xc0000100, 0xc0000101, 0xc0000102, 0x1d9, 0x48,
		0xc0000081, 0xc0000082, 0xc0000083, 0xc0000084, 0xc0000103, 0x3a, 0x480, 0 };
	struct minivmm_msr_entry e[8];
	struct minivmm_msrs m;
	unsigned int i;

	for (i = 0; i < 8; i++) {
		e[i].index = chance(80) ? idx[below(sizeof(idx) / 4)] : rnd();
		e[i].padding = chance(95) ? 0 : rnd();
		e[i].data = edge_or_random();
	}
	m.nmsrs = chance(90) ? below(9) : edge_or_random();
	m.padding = chance(95) ? 0 : rnd();
	m.entries = chance(90) ? (unsigned long)e : random_pointer(m.nmsrs * 16);
	xioctl(st.vcpu[below(NVCPU)].fd, set ? MINIVMM_SET_MSRS : MINIVMM_GET_MSRS,
	       chance(95) ? (unsigned long)&m : random_pointer(sizeof(m)));
}

static void op_cpuid(void)
{
	static struct minivmm_cpuid_entry e[MINIVMM_MAX_CPUID_ENTRIES + 2];
	struct minivmm_cpuid c;

	fill_random(e, sizeof(e));
	if (chance(70)) {
		unsigned int i;

		for (i = 0; i < sizeof(e) / sizeof(e[0]); i++) {
			e[i].flags &= 1;
			e[i].padding = 0;
			e[i].function = chance(50) ? below(0x20) : 0x80000000 + below(9);
		}
	}
	c.nent = chance(80) ? below(MINIVMM_MAX_CPUID_ENTRIES + 2) : edge_or_random();
	c.padding = 0;
	c.entries = chance(90) ? (unsigned long)e : random_pointer(64);
	xioctl(st.vcpu[below(NVCPU)].fd, MINIVMM_SET_CPUID, (unsigned long)&c);
}

static void op_mmap(void)
{
	static const size_t lens[] = { 0, 1, 4095, 4096, 4097, 8192, 3 * 4096 };
	struct vcpu_slot *c = &st.vcpu[below(NVCPU)];
	size_t len = chance(90) ? lens[below(7)] : below(1 << 20);
	off_t offset = chance(60) ? 0 : chance(50) ? (off_t)below(4) * 4096 : below(8192);
	int prot = (int[]){ PROT_READ, PROT_READ | PROT_WRITE, PROT_NONE,
			    PROT_READ | PROT_EXEC }[below(4)];
	int flags = chance(80) ? MAP_SHARED : MAP_PRIVATE;
	volatile uint8_t *p;

	calls++;
	p = mmap(NULL, len, prot, flags, c->fd, offset);
	if (p == MAP_FAILED) {
		errno_count[errno > 0 && errno < MAX_ERRNO ? errno : MAX_ERRNO]++;
		return;
	}
	ok_count++;
	/*
	 * Offset 0, one page is the run area; the driver refuses anything
	 * else. Should a mapping at another offset get through (Linux merges
	 * a mapping of offset 4096 into an adjacent mapping of the same fd
	 * without asking the driver, unless the driver prevents it), it must
	 * fault with SIGBUS, and the test fails on the count.
	 */
	if (offset)
		odd_offset_count++;
	bus_ok = offset != 0;
	if (sigsetjmp(bus_jmp, 1)) {
		bus_count++;
	} else {
		if (prot & PROT_READ)
			(void)p[below(len < PAGE ? len : PAGE)];
		if ((prot & PROT_WRITE) && chance(50))
			p[below(64)] = rnd();	/* immediate_exit and padding, say */
	}
	bus_ok = 0;
	if (chance(30)) {
		void *q = mremap((void *)p, PAGE, 2 * PAGE, MREMAP_MAYMOVE);

		if (q != MAP_FAILED) {
			p = q;
			len = 2 * PAGE;
		}
	}
	munmap((void *)p, len ? len : PAGE);
}

/* A random number can be MINIVMM_RUN itself: bound it like op_run(). */
static void raw_ioctl(void)
{
	struct itimerval it = { { 0, 0 }, { 0, 500 } };
	struct itimerval off = { { 0, 0 }, { 0, 0 } };
	unsigned long nr = random_ioctl_nr();

	if (nr == MINIVMM_RUN)
		setitimer(ITIMER_REAL, &it, NULL);
	raw_call(random_fd(), nr, random_arg());
	if (nr == MINIVMM_RUN)
		setitimer(ITIMER_REAL, &off, NULL);
}

static void one_op(void)
{
	struct minivmm_sregs sr;
	struct minivmm_regs r;
	unsigned int pick = below(100);
	enum op op;
	int i;

	if (pick < 29)
		op = OP_RAW;
	else if (pick < 32)
		op = OP_EVENTS;
	else if (pick < 34)
		op = OP_DEBUG;
	else if (pick < 35)
		op = OP_STATS;
	else if (pick < 38)
		op = OP_SYS;
	else if (pick < 39)
		op = OP_CREATE_VM;
	else if (pick < 47)
		op = OP_SET_MEM;
	else if (pick < 49)
		op = OP_CREATE_VCPU;
	else if (pick < 52)
		op = OP_GET_REGS;
	else if (pick < 58)
		op = OP_SET_REGS;
	else if (pick < 61)
		op = OP_GET_SREGS;
	else if (pick < 69)
		op = OP_SET_SREGS;
	else if (pick < 78)
		op = OP_RUN;
	else if (pick < 80)
		op = OP_CPUID;
	else if (pick < 83)
		op = OP_GET_MSRS;
	else if (pick < 87)
		op = OP_SET_MSRS;
	else if (pick < 91)
		op = OP_MMAP;
	else if (pick < 95)
		op = OP_CLOSE;
	else if (pick < 98)
		op = OP_OPEN;
	else
		op = OP_MUNMAP_BACKING;
	op_count[op]++;
	cur_op = op;

	switch (op) {
	case OP_RAW:
		raw_ioctl();
		break;
	case OP_SYS:
		raw_call(st.sys[below(NSYS)], _IO(MINIVMM_IO, below(6)),
			 chance(70) ? below(10) : edge_or_random());
		break;
	case OP_CREATE_VM:
		i = below(NVM);
		if (st.vm[i] >= 0)
			close_vm(i);
		if (chance(10)) {
			raw_call(st.sys[0], MINIVMM_CREATE_VM, edge_or_random());
		} else {
			open_vm(i);
			op_count[OP_CREATE_VM]--;	/* open_vm counted it */
		}
		break;
	case OP_SET_MEM:
		op_set_mem();
		break;
	case OP_CREATE_VCPU:
		i = below(NVCPU);
		close_vcpu(i);
		open_vcpu(i);
		op_count[OP_CREATE_VCPU]--;
		break;
	case OP_GET_REGS:
		xioctl(st.vcpu[below(NVCPU)].fd, MINIVMM_GET_REGS,
		       chance(80) ? (unsigned long)&r : random_pointer(sizeof(r)));
		break;
	case OP_SET_REGS:
		random_regs(&r);
		xioctl(st.vcpu[below(NVCPU)].fd, MINIVMM_SET_REGS,
		       chance(90) ? (unsigned long)&r : random_pointer(sizeof(r)));
		break;
	case OP_GET_SREGS:
		xioctl(st.vcpu[below(NVCPU)].fd, MINIVMM_GET_SREGS,
		       chance(80) ? (unsigned long)&sr : random_pointer(sizeof(sr)));
		break;
	case OP_SET_SREGS:
		i = below(NVCPU);
		if (ioctl(st.vcpu[i].fd, MINIVMM_GET_SREGS, &sr))
			memset(&sr, 0, sizeof(sr));
		random_sregs(&sr);
		xioctl(st.vcpu[i].fd, MINIVMM_SET_SREGS,
		       chance(90) ? (unsigned long)&sr : random_pointer(sizeof(sr)));
		break;
	case OP_RUN:
		op_run();
		break;
	case OP_CPUID:
		op_cpuid();
		break;
	case OP_GET_MSRS:
	case OP_SET_MSRS:
		op_msrs(op == OP_SET_MSRS);
		break;
	case OP_MMAP:
		op_mmap();
		break;
	case OP_CLOSE:
		switch (below(8)) {
		case 0:
			i = below(NSYS);
			if (st.sys[i] >= 0 && st.sys[!i] >= 0) {	/* keep one */
				close(st.sys[i]);
				st.sys[i] = -1;
			}
			break;
		case 1:
		case 2:
			close_vm(below(NVM));
			break;
		default:
			close_vcpu(below(NVCPU));
		}
		break;
	case OP_OPEN:
		for (i = 0; i < NSYS; i++)
			if (st.sys[i] < 0)
				st.sys[i] = count_call(mv_open());
		for (i = 0; i < NVM; i++)
			if (st.vm[i] < 0)
				open_vm(i);
		for (i = 0; i < NVCPU; i++)
			if (st.vcpu[i].fd < 0)
				open_vcpu(i);
		break;
	case OP_DEBUG: {
		/* Mostly valid flags (single-step, INT3 intercept), some not. */
		struct minivmm_guest_debug d = {
			.flags = chance(80) ? below(8) : (uint32_t)edge_or_random(),
			.padding = chance(95) ? 0 : 1,
		};

		xioctl(st.vcpu[below(NVCPU)].fd, MINIVMM_SET_GUEST_DEBUG,
		       chance(95) ? (unsigned long)&d : random_arg());
		break;
	}
	case OP_STATS: {
		struct minivmm_vcpu_stats stats;

		xioctl(st.vcpu[below(NVCPU)].fd, MINIVMM_GET_STATS,
		       chance(95) ? (unsigned long)&stats : random_arg());
		break;
	}
	case OP_EVENTS:
		op_events();
		break;
	case OP_MUNMAP_BACKING:
		/* Slots may still point at it: RUN must cope. */
		i = below(NBUF);
		if (st.buf[i].p)
			munmap(st.buf[i].p, st.buf[i].len);
		new_buf(i);
		break;
	case NOPS:
		break;
	}
}

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

static unsigned long env_ul(const char *name, unsigned long def)
{
	const char *s = getenv(name);

	return s && *s ? strtoull(s, NULL, 0) : def;
}

static void print_totals(double secs)
{
	unsigned int i;

	printf("# fuzz: %lu calls in %.1f s (machine clock), %lu succeeded\n",
	       calls, secs, ok_count);
	for (i = 0; i < NOPS; i++)
		printf("# fuzz: op %-36s %lu\n", op_name[i], op_count[i]);
	for (i = 1; i <= MAX_ERRNO; i++)
		if (errno_count[i])
			printf("# fuzz: errno %-4u %-16s %lu\n", i,
			       i < MAX_ERRNO ? strerrorname_np(i) : "other", errno_count[i]);
	for (i = 0; i < 16; i++)
		if (exit_count[i])
			printf("# fuzz: RUN exit_reason %u: %lu\n", i, exit_count[i]);
	printf("# fuzz: RUNs stopped by the timer or immediate_exit: %lu\n", runs_bounded);
	printf("# fuzz: mmaps of a VCPU fd at a nonzero offset that succeeded: %lu, "
	       "SIGBUS on touching them: %lu\n", odd_offset_count, bus_count);
}

FIXTURE(fuzz) {
	int unused;
};

FIXTURE_SETUP(fuzz)
{
	ASSERT_EQ(0, mv_load());
}

FIXTURE_TEARDOWN(fuzz)
{
}

static unsigned int forbidden_splats(void)
{
	struct splat_report rep;
	char *log = mv_klog();
	unsigned int n;

	if (!log)
		return ~0U;
	n = splat_scan(log, &rep);
	free(log);
	return n;
}

/*
 * A slot far larger than the host's memory is accepted and costs nothing
 * until the guest touches it: the module records mapped pages as they
 * fault in. (An earlier module kept one pointer per page, allocated up
 * front: the fuzzer found kvmalloc's "crazy size" WARN here.)
 */
TEST_F(fuzz, huge_slot_costs_nothing_up_front)
{
	static const uint64_t sizes[] = { 1ULL << 46, 1ULL << 40, 1ULL << 38, 1ULL << 37 };
	unsigned int before = forbidden_splats(), i;
	int sys = mv_open(), vm;

	ASSERT_LE(0, sys);
	vm = ioctl(sys, MINIVMM_CREATE_VM, 0);
	ASSERT_LE(0, vm);
	for (i = 0; i < sizeof(sizes) / sizeof(sizes[0]); i++) {
		/* Address space only: the slot must be mapped, nothing more. */
		void *hva = mmap(NULL, sizes[i], PROT_NONE,
				 MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
		struct minivmm_memory_region r = { .slot = 1, .memory_size = sizes[i],
			.userspace_addr = (uintptr_t)hva };
		long free0 = mv_meminfo("MemFree"), ret;

		ASSERT_NE(MAP_FAILED, hva) TH_LOG("reserving %llu GiB: %m",
						  (unsigned long long)(sizes[i] >> 30));
		ret = ioctl(vm, MINIVMM_SET_MEMORY_REGION, &r);
		printf("# slot of %llu GiB: %ld (%s), MemFree %+ld kB\n",
		       (unsigned long long)(sizes[i] >> 30), ret, ret ? strerror(errno) : "ok",
		       mv_meminfo("MemFree") - free0);
		EXPECT_EQ(0, ret) TH_LOG("%m");
		EXPECT_GT(1024, free0 - mv_meminfo("MemFree"));
		r.memory_size = 0;
		EXPECT_EQ(0, ioctl(vm, MINIVMM_SET_MEMORY_REGION, &r));
		munmap(hva, sizes[i]);
	}
	close(vm);
	close(sys);
	EXPECT_EQ(before, forbidden_splats());
}

/* Bounded by MINIVMM_FUZZ_SECONDS below; the harness's own bound is larger. */
TEST_F_TIMEOUT(fuzz, random_calls, 60)
{
	struct sigaction sa = { .sa_handler = on_alarm };	/* no SA_RESTART */
	unsigned long seed, target, limit;
	double t0, secs;
	int i;

	seed = env_ul("MINIVMM_FUZZ_SEED", (unsigned long)time(NULL) ^ ((unsigned long)getpid() << 16));
	target = env_ul("MINIVMM_FUZZ_CALLS", 100000);
	limit = env_ul("MINIVMM_FUZZ_SECONDS", 10);
	printf("# fuzz: seed %lu, calls %lu, time bound %lu s; replay with "
	       "MINIVMM_FUZZ_SEED=%lu MINIVMM_FUZZ_CALLS=%lu ./fuzz_test\n",
	       seed, target, limit, seed, target);
	fflush(stdout);
	rng_state = seed;
	ASSERT_EQ(0, sigaction(SIGALRM, &sa, NULL));
	sa.sa_handler = NULL;
	sa.sa_sigaction = on_fault;
	sa.sa_flags = SA_SIGINFO;
	ASSERT_EQ(0, sigaction(SIGBUS, &sa, NULL));
	ASSERT_EQ(0, sigaction(SIGSEGV, &sa, NULL));

	memset(&st, 0xff, sizeof(st));
	for (i = 0; i < NVCPU; i++)
		st.vcpu[i].run = NULL;
	for (i = 0; i < NBUF; i++)
		st.buf[i].p = NULL;
	st.scratch = mmap(NULL, 2 * PAGE, PROT_READ | PROT_WRITE,
			  MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	ASSERT_NE(MAP_FAILED, st.scratch);
	ASSERT_EQ(0, munmap(st.scratch + PAGE, PAGE));	/* the guard page */
	st.ro = mmap(NULL, PAGE, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	ASSERT_NE(MAP_FAILED, st.ro);
	fill_random(st.ro, PAGE);
	ASSERT_EQ(0, mprotect(st.ro, PAGE, PROT_READ));
	st.devnull = open("/dev/null", O_RDWR);
	ASSERT_LE(0, st.devnull);
	/* Buffer 0 is big enough to hold real-mode code at 0x7c00. */
	st.buf[0].len = 0;
	ASSERT_EQ(0, new_buf(0));
	while (st.buf[0].len <= 0x8000) {
		munmap(st.buf[0].p, st.buf[0].len);
		ASSERT_EQ(0, new_buf(0));
	}
	for (i = 1; i < NBUF; i++)
		ASSERT_EQ(0, new_buf(i));
	for (i = 0; i < NSYS; i++)
		st.sys[i] = mv_open();
	ASSERT_LE(0, st.sys[0]);
	st.max_vcpus = ioctl(st.sys[0], MINIVMM_CHECK_CAPABILITY, MINIVMM_CAP_MAX_VCPUS);
	st.nr_slots = ioctl(st.sys[0], MINIVMM_CHECK_CAPABILITY, MINIVMM_CAP_NR_MEMSLOTS);
	ASSERT_LT(0, st.max_vcpus);
	ASSERT_LT(0, st.nr_slots);
	for (i = 0; i < NVM; i++)
		open_vm(i);
	for (i = 0; i < NVCPU; i++)
		open_vcpu(i);

	t0 = now();
	while (calls < target) {
		unsigned long before = calls;

		one_op();
		if (before / 10000 != calls / 10000) {
			printf("# fuzz: %lu calls, %.1f s\n", calls, now() - t0);
			fflush(stdout);
		}
		if (now() - t0 > limit)
			break;
	}
	secs = now() - t0;
	close_all();
	print_totals(secs);
	EXPECT_LE(target, calls) TH_LOG("time bound reached after %lu calls", calls);
	/* Only offset 0, one page, maps a VCPU fd; nothing merges into it. */
	EXPECT_EQ(0, odd_offset_count);

	/* Everything is closed: nothing is left behind. */
	EXPECT_EQ(0, mv_counter("vms"));
	EXPECT_EQ(0, mv_counter("vmcs"));
	EXPECT_EQ(0, mv_counter("mapped_pages"));
}

/* After the fuzzing: no splat, nothing held, and the module unloads. */
TEST_F(fuzz, afterwards_clean)
{
	struct splat_report rep;
	char *log;

	EXPECT_EQ(0, mv_counter("vms"));
	EXPECT_EQ(0, mv_counter("vmcs"));
	EXPECT_EQ(0, mv_counter("mapped_pages"));
	log = mv_klog();
	ASSERT_NE(NULL, log);
	EXPECT_EQ(0, splat_scan(log, &rep)) TH_LOG("first forbidden splat: %s", rep.first_bad);
	printf("# fuzz: kernel log: %u splat(s), %u of them the known boot-time xstate warning\n",
	       rep.splats, rep.allowed);
	free(log);
	/* The fuzzing process has exited: nothing holds the module. */
	EXPECT_EQ(0, mv_rmmod("minivmm"));
	EXPECT_FALSE(mv_module_loaded("minivmm"));
	EXPECT_EQ(0, mv_load());
}

TEST_HARNESS_MAIN
