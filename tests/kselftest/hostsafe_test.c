// SPDX-License-Identifier: GPL-2.0
/*
 * The host comes first: what a guest does must not reach the host's CPU
 * state or memory (docs/host-state.md). Each test makes a guest do what
 * would harm the host if minivmm let it through, and checks the host.
 * Runs in the test machine.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <pthread.h>
#include <signal.h>
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

#define MEM_SIZE	(2UL << 20)
#define CODE_ADDR	0x7c00
#define EXIT_REASON_EXTERNAL_INTERRUPT	1
#define EXIT_REASON_CR_ACCESS		28

static void sleep_ms(long ms)
{
	struct timespec t = { ms / 1000, (ms % 1000) * 1000000L };

	nanosleep(&t, NULL);
}

/* The local timer interrupts CPU cpu has taken (/proc/interrupts LOC), or -1. */
static long timer_interrupts(int cpu)
{
	char line[4096];
	long n = -1;
	FILE *f = fopen("/proc/interrupts", "r");

	if (!f)
		return -1;
	while (fgets(line, sizeof(line), f)) {
		char *p = line;
		int i;

		while (*p == ' ')
			p++;
		if (strncmp(p, "LOC:", 4))
			continue;
		p += 4;
		for (i = 0; i <= cpu; i++)
			n = strtol(p, &p, 10);
		break;
	}
	fclose(f);
	return n;
}

static void on_sigusr1(int sig)
{
	(void)sig;
}

/* Stops a RUN from another thread after ms: immediate_exit and a signal. */
struct stopper {
	pthread_t target, thread;
	struct minivmm_run *run;
	long ms;
	int cpu;
};

static void *stopper_main(void *arg)
{
	struct stopper *s = arg;

	if (s->cpu >= 0)
		mv_pin(s->cpu);
	sleep_ms(s->ms);
	__atomic_store_n(&s->run->immediate_exit, 1, __ATOMIC_SEQ_CST);
	pthread_kill(s->target, SIGUSR1);
	return NULL;
}

static int start_stopper(struct stopper *s, struct minivmm_run *run, long ms, int cpu)
{
	struct sigaction sa = { .sa_handler = on_sigusr1 };

	sigaction(SIGUSR1, &sa, NULL);
	s->target = pthread_self();
	s->run = run;
	s->ms = ms;
	s->cpu = cpu;
	return pthread_create(&s->thread, NULL, stopper_main, s);
}

FIXTURE(host) {
	struct mv_vm v;
	int cpu;		/* the CPU the VCPU runs on */
	int other;		/* another CPU, or -1 */
};

FIXTURE_SETUP(host)
{
	int r, n;

	ASSERT_EQ(0, mv_load());
	r = mv_vm_open(&self->v, MEM_SIZE);
	ASSERT_EQ(0, r) TH_LOG("a VM: %s", strerror(-r));
	n = mv_online_cpus();
	self->cpu = n - 1;
	self->other = n > 1 ? 0 : -1;
	ASSERT_EQ(0, mv_pin(self->cpu));
}

FIXTURE_TEARDOWN(host)
{
	cpu_set_t all;
	int i;

	mv_vm_close(&self->v);
	CPU_ZERO(&all);
	for (i = 0; i < mv_online_cpus(); i++)
		CPU_SET(i, &all);
	sched_setaffinity(0, sizeof(all), &all);
}

/*
 * MOV to CR8 sets the task priority. Were it the host CPU's, priority 15
 * would mask every interrupt there (timer, IPIs, TLB shootdowns). The
 * guest keeps its own: it reads back 15, and the host CPU goes on taking
 * its timer interrupts while the guest runs with it (SDM Vol. 3A 10.8.6).
 */
TEST_F(host, cr8_is_the_guests_own)
{
	/*
	 * mov $15,%eax; mov %rax,%cr8; mov %cr8,%rbx; sti; 1: jmp 1b
	 */
	static const uint8_t code[] = {
		0xb8, 0x0f, 0x00, 0x00, 0x00, 0x44, 0x0f, 0x22, 0xc0,
		0x44, 0x0f, 0x20, 0xc3, 0xfb, 0xeb, 0xfe,
	};
	struct minivmm_vcpu_stats st;
	struct minivmm_sregs sr;
	struct minivmm_regs regs;
	struct stopper stop;
	long before, after;

	ASSERT_EQ(0, mv_vm_load_long(&self->v, CODE_ADDR, code, sizeof(code)));
	before = timer_interrupts(self->cpu);
	ASSERT_LE(0, before) TH_LOG("no LOC line in /proc/interrupts");
	ASSERT_EQ(0, start_stopper(&stop, self->v.run, 300, self->other));
	EXPECT_EQ(-1, ioctl(self->v.vcpu, MINIVMM_RUN, 0));
	EXPECT_EQ(EINTR, errno);
	pthread_join(stop.thread, NULL);
	after = timer_interrupts(self->cpu);
	EXPECT_LT(before + 5, after) TH_LOG("CPU %d: %ld timer interrupts at guest CR8 15",
					    self->cpu, after - before);
	ASSERT_EQ(0, ioctl(self->v.vcpu, MINIVMM_GET_REGS, &regs));
	EXPECT_EQ(15, regs.rbx);
	ASSERT_EQ(0, ioctl(self->v.vcpu, MINIVMM_GET_SREGS, &sr));
	EXPECT_EQ(15, sr.cr8);
	ASSERT_EQ(0, ioctl(self->v.vcpu, MINIVMM_GET_STATS, &st));
	EXPECT_LE(2, st.exits_by_reason[EXIT_REASON_CR_ACCESS]);
	EXPECT_LT(0, st.exits_by_reason[EXIT_REASON_EXTERNAL_INTERRUPT]);
}

/* A reserved CR8 bit: #GP, and with no IDT a triple fault (SDM 10.8.6.1). */
TEST_F(host, cr8_reserved_bits_are_gp)
{
	/* mov $16,%eax; mov %rax,%cr8; hlt */
	static const uint8_t code[] = {
		0xb8, 0x10, 0x00, 0x00, 0x00, 0x44, 0x0f, 0x22, 0xc0, 0xf4,
	};
	struct minivmm_sregs sr;

	ASSERT_EQ(0, mv_vm_load_long(&self->v, CODE_ADDR, code, sizeof(code)));
	ASSERT_EQ(0, ioctl(self->v.vcpu, MINIVMM_RUN, 0));
	EXPECT_EQ(MINIVMM_EXIT_SHUTDOWN, self->v.run->exit_reason);
	ASSERT_EQ(0, ioctl(self->v.vcpu, MINIVMM_GET_SREGS, &sr));
	EXPECT_EQ(0, sr.cr8);
}

/* The GDT limit SGDT shows this thread (user mode, no UMIP). */
static uint16_t gdt_limit(void)
{
	struct __attribute__((packed)) {
		uint16_t limit;
		uint64_t base;
	} d;

	asm volatile("sgdt %0" : "=m" (d));
	return d.limit;
}

struct gdt_probe {
	int cpu;
	volatile int stop;
	long samples, bad;
	uint16_t limit, seen;
};

static void *gdt_probe_main(void *arg)
{
	struct gdt_probe *p = arg;

	mv_pin(p->cpu);
	while (!p->stop) {
		uint16_t l = gdt_limit();

		p->samples++;
		if (l != p->limit) {
			p->bad++;
			p->seen = l;
		}
		sched_yield();
	}
	return NULL;
}

/*
 * VM exit leaves the GDT limit at 0xffff (SDM 27.5.2). While RUN goes on
 * with in-kernel exits it is preempted, and another task runs on the CPU:
 * it must see the host's own limit, never 0xffff.
 */
TEST_F(host, no_task_sees_the_vm_exit_gdt_limit)
{
	/* 1: cpuid; jmp 1b: exits the kernel answers, RUN never returns */
	static const uint8_t code[] = { 0x0f, 0xa2, 0xeb, 0xfc };
	struct gdt_probe probe = { .cpu = self->cpu };
	struct stopper stop;
	pthread_t t;

	probe.limit = gdt_limit();
	ASSERT_NE(0, probe.limit) TH_LOG("SGDT is emulated (UMIP): this test cannot see the GDT");
	ASSERT_NE(0xffff, probe.limit);
	ASSERT_EQ(0, mv_vm_load_real(&self->v, CODE_ADDR, code, sizeof(code)));
	ASSERT_EQ(0, pthread_create(&t, NULL, gdt_probe_main, &probe));
	ASSERT_EQ(0, start_stopper(&stop, self->v.run, 500, self->other));
	EXPECT_EQ(-1, ioctl(self->v.vcpu, MINIVMM_RUN, 0));
	EXPECT_EQ(EINTR, errno);
	probe.stop = 1;
	pthread_join(stop.thread, NULL);
	pthread_join(t, NULL);
	EXPECT_LT(10, probe.samples) TH_LOG("the probe ran only %ld times", probe.samples);
	EXPECT_EQ(0, probe.bad) TH_LOG("%ld of %ld samples saw GDT limit %#x, not %#x",
				       probe.bad, probe.samples, probe.seen, probe.limit);
	EXPECT_EQ(probe.limit, gdt_limit());
}

struct deleter {
	int vm;
	volatile uint32_t *counter;	/* the guest's, in the slot's memory */
	uint32_t at_delete, after;
	int err;
};

static void *deleter_main(void *arg)
{
	struct deleter *d = arg;
	struct minivmm_memory_region r = { .slot = 1 };
	int i;

	for (i = 0; i < 2000 && *d->counter < 1000; i++)
		sleep_ms(1);
	if (ioctl(d->vm, MINIVMM_SET_MEMORY_REGION, &r))
		d->err = errno;
	d->at_delete = *d->counter;
	sleep_ms(100);
	d->after = *d->counter;
	return NULL;
}

/*
 * A slot deleted while the guest writes to it on another CPU: once
 * SET_MEMORY_REGION returns, no write of the guest reaches the pages the
 * slot had (they are unmapped, every CPU's cached translations flushed,
 * then unpinned), and the guest's next write is an MMIO exit.
 */
TEST_F(host, deleted_slot_is_gone_for_a_running_guest)
{
	/*
	 * mov $0x1000,%ax; mov %ax,%ds; xor %eax,%eax;
	 * 1: mov %eax,(0); inc %eax; jmp 1b
	 */
	static const uint8_t code[] = {
		0xb8, 0x00, 0x10, 0x8e, 0xd8, 0x66, 0x31, 0xc0,
		0x66, 0x89, 0x06, 0x00, 0x00, 0x66, 0x40, 0xeb, 0xf7,
	};
	struct minivmm_memory_region r;
	struct deleter d = { .vm = self->v.vm };
	uint8_t *page;
	pthread_t t;
	long pinned;

	page = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	ASSERT_NE(MAP_FAILED, page);
	/* Slot 0 shrinks to [0, 64 KiB); slot 1 is the page at 64 KiB. */
	r = (struct minivmm_memory_region){ .slot = 0 };
	ASSERT_EQ(0, ioctl(self->v.vm, MINIVMM_SET_MEMORY_REGION, &r));
	r = (struct minivmm_memory_region){ .slot = 0, .memory_size = 0x10000,
		.userspace_addr = (uintptr_t)self->v.mem };
	ASSERT_EQ(0, ioctl(self->v.vm, MINIVMM_SET_MEMORY_REGION, &r));
	r = (struct minivmm_memory_region){ .slot = 1, .guest_phys_addr = 0x10000,
		.memory_size = 4096, .userspace_addr = (uintptr_t)page };
	ASSERT_EQ(0, ioctl(self->v.vm, MINIVMM_SET_MEMORY_REGION, &r));
	ASSERT_EQ(0, mv_vm_load_real(&self->v, CODE_ADDR, code, sizeof(code)));

	d.counter = (volatile uint32_t *)page;
	if (self->other >= 0) {
		cpu_set_t set;

		CPU_ZERO(&set);
		CPU_SET(self->other, &set);
		ASSERT_EQ(0, pthread_create(&t, NULL, deleter_main, &d));
		pthread_setaffinity_np(t, sizeof(set), &set);
	} else {
		ASSERT_EQ(0, pthread_create(&t, NULL, deleter_main, &d));
	}
	/* The guest runs until its write after the deletion exits. */
	do {
		ASSERT_EQ(0, ioctl(self->v.vcpu, MINIVMM_RUN, 0)) TH_LOG("RUN: %m");
	} while (self->v.run->exit_reason != MINIVMM_EXIT_MMIO);
	pthread_join(t, NULL);
	EXPECT_EQ(0, d.err);
	EXPECT_LE(1000, d.at_delete) TH_LOG("the guest had counted to %u", d.at_delete);
	EXPECT_EQ(d.at_delete, d.after) TH_LOG("the guest wrote the page after its slot was deleted");
	EXPECT_EQ(0x10000, self->v.run->mmio.phys_addr);
	EXPECT_EQ(1, self->v.run->mmio.is_write);
	EXPECT_EQ(4, self->v.run->mmio.len);
	/* Only slot 0's pages stay pinned. */
	pinned = mv_counter("pinned_pages");
	EXPECT_LE(1, pinned);
	EXPECT_GE(16, pinned);
	munmap(page, 4096);
}

TEST_HARNESS_MAIN
