// SPDX-License-Identifier: GPL-2.0
/*
 * kill -9 of a process that uses minivmm, 100 times, with its guests in
 * different states and at varied delays (0.5 to 25 ms). After every kill
 * the module's own counters (vms, vmcs, mapped_pages, vmxon_cpus) are back
 * to zero; at the end the module unloads and the kernel log has no splat.
 * The kills done per state are printed as TAP comments.
 * Runs in the test machine, before counters_test and dmesg_test.
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
#include <sys/prctl.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <linux/minivmm.h>

#include "kselftest_harness.h"
#include "../lib/mvtest.h"
#include "../lib/splat.h"

#define CODE_ADDR	0x7c00
#define KILLS		100
#define VMM_PATH	"/usr/bin/vmm"
#define LOOP_IMG	"/guests/loop.img"

enum state { ST_LOOP, ST_MANY_PAGES, ST_EXIT_PENDING, ST_MULTI, ST_FORK_SHARED,
	ST_SETUP_LOOP, ST_VMM, NR_STATES };

static const char *const state_name[NR_STATES] = {
	"real-mode loop with IF=0, in RUN",
	"32-bit guest touching 16 MiB (many pages mapped), in RUN",
	"IN or MMIO read exit never completed, between RUNs",
	"2 VMs x 2 VCPUs, one thread each in RUN",
	"VCPU fd shared with a forked child, both killed",
	"creating VMs, slots and VCPUs in a loop",
	"vmm " LOOP_IMG,
};

/* cli; jmp . */
static const uint8_t loop16[] = { 0xfa, 0xeb, 0xfe };
/* mov $0x60,%dx; in %dx,%al; jmp . */
static const uint8_t in16[] = { 0xba, 0x60, 0x00, 0xec, 0xeb, 0xfe };
/* mov $0xa000,%ax; mov %ax,%ds; mov (0x20),%ax; jmp . */
static const uint8_t mmio16[] = { 0xb8, 0x00, 0xa0, 0x8e, 0xd8, 0xa1, 0x20, 0x00, 0xeb, 0xfe };
/*
 * 32-bit: mov $0x100000,%eax; 1: movb $1,(%eax); add $0x1000,%eax;
 * cmp $0x1000000,%eax; jb 1b; jmp .
 */
static const uint8_t touch32[] = { 0xb8, 0x00, 0x00, 0x10, 0x00, 0xc6, 0x00, 0x01,
	0x05, 0x00, 0x10, 0x00, 0x00, 0x3d, 0x00, 0x00, 0x00, 0x01, 0x72, 0xf1,
	0xeb, 0xfe };

struct guest {
	int vm, vcpu;
	struct minivmm_run *run;
};

static void flat(struct minivmm_segment *s, uint16_t sel, uint8_t type)
{
	*s = (struct minivmm_segment){ .limit = 0xffffffff, .selector = sel,
		.type = type, .present = 1, .s = 1, .db = 1, .g = 1 };
}

/* A VM with mem_size bytes at 0 and VCPUs 0..nvcpus-1 at the code. */
static int make_guest(int sys, size_t mem_size, const uint8_t *code, size_t len,
		      bool pm32, int nvcpus, struct guest *g)
{
	struct minivmm_regs regs = { .rip = CODE_ADDR, .rflags = 2, .rsp = CODE_ADDR };
	struct minivmm_memory_region r;
	struct minivmm_sregs sr;
	uint8_t *mem;
	int i;

	g->vm = ioctl(sys, MINIVMM_CREATE_VM, 0);
	mem = mmap(NULL, mem_size, PROT_READ | PROT_WRITE,
		   MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
	if (g->vm < 0 || mem == MAP_FAILED)
		return -1;
	memcpy(mem + CODE_ADDR, code, len);
	r = (struct minivmm_memory_region){ .memory_size = mem_size,
		.userspace_addr = (uintptr_t)mem };
	if (ioctl(g->vm, MINIVMM_SET_MEMORY_REGION, &r))
		return -1;
	for (i = 0; i < nvcpus; i++) {
		g[i].vm = g->vm;
		g[i].vcpu = ioctl(g->vm, MINIVMM_CREATE_VCPU, i);
		if (g[i].vcpu < 0)
			return -1;
		g[i].run = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_SHARED, g[i].vcpu, 0);
		if (g[i].run == MAP_FAILED)
			return -1;
		if (pm32) {
			if (ioctl(g[i].vcpu, MINIVMM_GET_SREGS, &sr))
				return -1;
			flat(&sr.cs, 8, 0xb);
			flat(&sr.ds, 0x10, 0x3);
			sr.es = sr.ss = sr.ds;
			sr.cr0 = 0x11;		/* PE, ET */
			if (ioctl(g[i].vcpu, MINIVMM_SET_SREGS, &sr))
				return -1;
		}
		if (ioctl(g[i].vcpu, MINIVMM_SET_REGS, &regs))
			return -1;
	}
	return 0;
}

static int ready_fd;

static void ready(void)
{
	char c = 'r';

	if (write(ready_fd, &c, 1) != 1)
		_exit(3);
}

static void *run_thread(void *arg)
{
	struct guest *g = arg;

	ready();
	ioctl(g->vcpu, MINIVMM_RUN, 0);
	_exit(4);	/* the loop never exits */
}

/* The process to be killed: set the state up, say ready, never return. */
static void worker(int sys, enum state st, unsigned int iter)
{
	struct guest g[4];
	pthread_t t[4];
	pid_t child;
	int i, j;

	switch (st) {
	case ST_LOOP:
		if (make_guest(sys, 1 << 20, loop16, sizeof(loop16), false, 1, g))
			_exit(2);
		ready();
		ioctl(g->vcpu, MINIVMM_RUN, 0);
		_exit(4);
	case ST_MANY_PAGES:
		if (make_guest(sys, 16 << 20, touch32, sizeof(touch32), true, 1, g))
			_exit(2);
		ready();
		ioctl(g->vcpu, MINIVMM_RUN, 0);
		_exit(4);
	case ST_EXIT_PENDING:
		/* Memory ends at 512 KiB: 0xa0000 is MMIO. */
		if (iter & 1) {
			if (make_guest(sys, 512 << 10, mmio16, sizeof(mmio16), false, 1, g) ||
			    ioctl(g->vcpu, MINIVMM_RUN, 0) ||
			    g->run->exit_reason != MINIVMM_EXIT_MMIO)
				_exit(2);
		} else {
			if (make_guest(sys, 512 << 10, in16, sizeof(in16), false, 1, g) ||
			    ioctl(g->vcpu, MINIVMM_RUN, 0) ||
			    g->run->exit_reason != MINIVMM_EXIT_IO)
				_exit(2);
		}
		ready();
		for (;;)
			pause();
	case ST_MULTI:
		if (make_guest(sys, 1 << 20, loop16, sizeof(loop16), false, 2, g) ||
		    make_guest(sys, 1 << 20, loop16, sizeof(loop16), false, 2, g + 2))
			_exit(2);
		for (i = 0; i < 4; i++)
			if (pthread_create(&t[i], NULL, run_thread, &g[i]))
				_exit(2);
		for (;;)
			pause();
	case ST_FORK_SHARED:
		if (make_guest(sys, 1 << 20, loop16, sizeof(loop16), false, 1, g))
			_exit(2);
		child = fork();
		if (child < 0)
			_exit(2);
		if (child == 0) {
			/* Holds the fds (and the run area mapping): not the owner. */
			if (ioctl(g->vcpu, MINIVMM_RUN, 0) != -1 || errno != EIO)
				_exit(5);
			child = getpid();
			if (write(ready_fd, &child, sizeof(child)) != sizeof(child))
				_exit(3);
			for (;;)
				pause();
		}
		ioctl(g->vcpu, MINIVMM_RUN, 0);
		_exit(4);
	case ST_SETUP_LOOP:
		ready();
		for (;;) {
			struct minivmm_memory_region r;
			int vm = ioctl(sys, MINIVMM_CREATE_VM, 0);
			int vcpus[8];
			uint8_t *mem = mmap(NULL, 8 << 16, PROT_READ | PROT_WRITE,
					    MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

			if (vm < 0 || mem == MAP_FAILED)
				_exit(2);
			for (i = 0; i < 8; i++) {
				r = (struct minivmm_memory_region){ .slot = i,
					.guest_phys_addr = (uint64_t)i << 20,
					.memory_size = 1 << 16,
					.userspace_addr = (uintptr_t)mem + (i << 16) };
				if (ioctl(vm, MINIVMM_SET_MEMORY_REGION, &r))
					_exit(2);
				vcpus[i] = ioctl(vm, MINIVMM_CREATE_VCPU, i);
				if (vcpus[i] < 0)
					_exit(2);
			}
			for (j = 0; j < 8; j++)
				close(vcpus[j]);
			close(vm);
			munmap(mem, 8 << 16);
		}
	default:
		_exit(6);
	}
}

/* 500 * 50^(k / 99) microseconds: 0.5 ms for k = 0, 25 ms for k = 99. */
static useconds_t delay_us(unsigned int k)
{
	double d = 500;

	while (k--)
		d *= 1.0403073;		/* 50^(1/99) */
	return d;
}

static bool counters_zero(char *why, size_t len)
{
	static const char *const names[] = { "vms", "vmcs", "mapped_pages", "vmxon_cpus" };
	long v = 0;
	unsigned int i, tries;

	/* The exit's last fput is done before wait returns; allow some slack. */
	for (tries = 0; tries < 200; tries++) {
		for (i = 0; i < 4; i++) {
			v = mv_counter(names[i]);
			if (v != 0)
				break;
		}
		if (i == 4)
			return true;
		usleep(10000);
	}
	snprintf(why, len, "%s = %ld", names[i], v);
	return false;
}

TEST(kill_9_in_every_state)
{
	unsigned int kills[NR_STATES] = { 0 }, procs = 0, bad = 0, i;
	long mapped, most_mapped = 0;
	struct splat_report rep;
	char why[64], *log;
	int sys, status, p[2];

	ASSERT_EQ(0, prctl(PR_SET_CHILD_SUBREAPER, 1));
	ASSERT_EQ(0, mv_load());
	ASSERT_EQ(0, access(VMM_PATH, X_OK));
	ASSERT_EQ(0, access(LOOP_IMG, R_OK));
	sys = mv_open();
	ASSERT_LE(0, sys);

	for (i = 0; i < KILLS; i++) {
		enum state st = i % NR_STATES;
		/*
		 * 0.5 to 25 ms, geometrically spread (mean about 6 ms) and
		 * shuffled over the states. The test machine's clock counts
		 * emulated instructions (1 ms is 3.5M, enough for the 16 MiB
		 * guest to map a few hundred pages), and each of its seconds
		 * took 90 s (1 CPU) to 250 s (2 CPUs) of real time: delays up
		 * to 100 ms made this test 8 to 10 minutes long.
		 */
		useconds_t delay = delay_us(i * 37 % 100);
		pid_t pid, child = 0;
		unsigned int want = st == ST_MULTI ? 4 : 1;
		char c;

		ASSERT_EQ(0, pipe2(p, O_CLOEXEC));
		pid = fork();
		ASSERT_LE(0, pid);
		if (pid == 0) {
			prctl(PR_SET_PDEATHSIG, SIGKILL);
			close(p[0]);
			ready_fd = p[1];
			if (st == ST_VMM) {
				int null = open("/dev/null", O_WRONLY);

				dup2(null, 1);
				dup2(null, 2);
				execl(VMM_PATH, "vmm", LOOP_IMG, (char *)NULL);
				_exit(7);
			}
			worker(sys, st, i / NR_STATES);
		}
		close(p[1]);
		if (st == ST_FORK_SHARED) {
			ASSERT_EQ(sizeof(child), read(p[0], &child, sizeof(child)))
				TH_LOG("iteration %u: the worker failed", i);
			/* Never kill(0): that is the whole process group. */
			ASSERT_LT(1, child);
		} else if (st != ST_VMM) {
			while (want--)
				ASSERT_EQ(1, read(p[0], &c, 1))
					TH_LOG("iteration %u (%s): the worker failed", i, state_name[st]);
		}
		close(p[0]);
		usleep(delay);
		mapped = mv_counter("mapped_pages");
		if (mapped > most_mapped)
			most_mapped = mapped;
		if (st == ST_FORK_SHARED && (i / NR_STATES) & 1) {
			/* The owner dies first: the child holds the last fds. */
			ASSERT_EQ(0, kill(pid, SIGKILL));
			ASSERT_EQ(pid, waitpid(pid, &status, 0));
			usleep(delay / 4);
			ASSERT_EQ(0, kill(child, SIGKILL));
			procs += 2;
		} else if (st == ST_FORK_SHARED) {
			ASSERT_EQ(0, kill(child, SIGKILL));
			usleep(delay / 4);
			ASSERT_EQ(0, kill(pid, SIGKILL));
			ASSERT_EQ(pid, waitpid(pid, &status, 0));
			procs += 2;
		} else {
			ASSERT_EQ(0, kill(pid, SIGKILL));
			ASSERT_EQ(pid, waitpid(pid, &status, 0));
			procs++;
		}
		EXPECT_TRUE(WIFSIGNALED(status) && WTERMSIG(status) == SIGKILL)
			TH_LOG("iteration %u (%s): status %#x", i, state_name[st], status);
		/* The worker's orphaned child comes to us (a subreaper). */
		if (child)
			EXPECT_EQ(child, waitpid(child, &status, 0));
		if (!counters_zero(why, sizeof(why))) {
			bad++;
			EXPECT_TRUE(false)
				TH_LOG("after kill %u (%s, %u ms): %s", i, state_name[st],
				       delay / 1000, why);
		}
		kills[st]++;
	}
	close(sys);
	for (i = 0; i < NR_STATES; i++)
		printf("# kills: %u x %s\n", kills[i], state_name[i]);
	printf("# %u kills (%u processes), %u left a counter nonzero; at most %ld pages mapped at a kill\n",
	       KILLS, procs, bad, most_mapped);
	EXPECT_EQ(0, bad);
	EXPECT_EQ(0, mv_rmmod("minivmm"));
	EXPECT_FALSE(mv_module_loaded("minivmm"));
	ASSERT_EQ(0, mv_load());
	log = mv_klog();
	ASSERT_NE(NULL, log);
	EXPECT_EQ(0, splat_scan(log, &rep)) TH_LOG("first forbidden splat: %s", rep.first_bad);
	free(log);
}

TEST_HARNESS_MAIN
