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
#include <fcntl.h>
#include <linux/hw_breakpoint.h>
#include <linux/perf_event.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

#include <linux/minivmm.h>

#include "kselftest_harness.h"
#include "../lib/mvtest.h"
#include "../lib/splat.h"

#define MEM_SIZE	(2UL << 20)
#define CODE_ADDR	0x7c00
#define EXIT_REASON_EXCEPTION_NMI	0
#define EXIT_REASON_EXTERNAL_INTERRUPT	1
#define EXIT_REASON_CR_ACCESS		28
#define EXIT_REASON_DR_ACCESS		29
#define MSR_LSTAR			0xc0000082
#define MSR_SYSCALL_MASK		0xc0000084

static void sleep_ms(long ms)
{
	struct timespec t = { ms / 1000, (ms % 1000) * 1000000L };

	nanosleep(&t, NULL);
}

/* A row of /proc/interrupts ("LOC:", "NMI:") for CPU cpu, or -1. */
static long interrupts(const char *row, int cpu)
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
		if (strncmp(p, row, strlen(row)))
			continue;
		p += strlen(row);
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
	before = interrupts("LOC:", self->cpu);
	ASSERT_LE(0, before) TH_LOG("no LOC line in /proc/interrupts");
	ASSERT_EQ(0, start_stopper(&stop, self->v.run, 300, self->other));
	EXPECT_EQ(-1, ioctl(self->v.vcpu, MINIVMM_RUN, 0));
	EXPECT_EQ(EINTR, errno);
	pthread_join(stop.thread, NULL);
	after = interrupts("LOC:", self->cpu);
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
	ASSERT_EQ(0, start_stopper(&stop, self->v.run, 200, self->other));
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
 * and the host may reuse them), and the guest's next write is an MMIO exit.
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
	long mapped;

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
	/* Only slot 0's pages stay mapped. */
	mapped = mv_counter("mapped_pages");
	EXPECT_LE(1, mapped);
	EXPECT_GE(16, mapped);
	munmap(page, 4096);
}

/* Slot 0 shrinks to [0, 64 KiB) of the VM's memory; slot 1 is page at 64 KiB. */
static int slot_at_64k(struct mv_vm *v, void *page)
{
	struct minivmm_memory_region r = { .slot = 0 };

	if (ioctl(v->vm, MINIVMM_SET_MEMORY_REGION, &r))
		return -errno;
	r = (struct minivmm_memory_region){ .slot = 0, .memory_size = 0x10000,
		.userspace_addr = (uintptr_t)v->mem };
	if (ioctl(v->vm, MINIVMM_SET_MEMORY_REGION, &r))
		return -errno;
	r = (struct minivmm_memory_region){ .slot = 1, .guest_phys_addr = 0x10000,
		.memory_size = 4096, .userspace_addr = (uintptr_t)page };
	if (ioctl(v->vm, MINIVMM_SET_MEMORY_REGION, &r))
		return -errno;
	return 0;
}

/* RUN to the next OUT: its port, and EAX when it wrote 4 bytes. 0 or -errno. */
static int run_to_out(struct mv_vm *v, uint16_t *port, uint32_t *val)
{
	if (ioctl(v->vcpu, MINIVMM_RUN, 0))
		return -errno;
	if (v->run->exit_reason != MINIVMM_EXIT_IO)
		return -EPROTO;
	*port = v->run->io.port;
	*val = 0;
	memcpy(val, (uint8_t *)v->run + v->run->io.data_offset, v->run->io.size);
	return 0;
}

/* A fresh anonymous page at addr (MAP_FIXED), holding val. */
static bool remap_with(void *addr, uint32_t val)
{
	void *p = mmap(addr, 4096, PROT_READ | PROT_WRITE,
		       MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, -1, 0);

	if (p != addr)
		return false;
	*(volatile uint32_t *)p = val;
	return true;
}

/*
 * Guest memory is the process's memory, not a pinned copy of what it was
 * (docs/host-state.md): after madvise(MADV_DONTNEED), mmap(MAP_FIXED) or
 * munmap of a slot's page, the guest reads and writes the page the process
 * has now, and its writes reach the process. A guest left with the old
 * pages would read 0x11111111 again and write where vmm cannot see.
 */
TEST_F(host, guest_memory_follows_the_process)
{
	/*
	 * mov $0x1000,%ax; mov %ax,%ds;
	 * 1: mov (0),%eax; out %eax,$0x10; movl $0x22222222,(0); out %al,$0x11;
	 *    jmp 1b
	 */
	static const uint8_t code[] = {
		0xb8, 0x00, 0x10, 0x8e, 0xd8,
		0x66, 0xa1, 0x00, 0x00, 0x66, 0xe7, 0x10,
		0x66, 0xc7, 0x06, 0x00, 0x00, 0x22, 0x22, 0x22, 0x22,
		0xe6, 0x11, 0xeb, 0xec,
	};
	struct minivmm_vcpu_stats st;
	volatile uint32_t *page;
	uint32_t val;
	uint16_t port;
	uint64_t mapped;

	page = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	ASSERT_NE(MAP_FAILED, page);
	ASSERT_EQ(0, slot_at_64k(&self->v, (void *)page));
	ASSERT_EQ(0, mv_vm_load_real(&self->v, CODE_ADDR, code, sizeof(code)));

	*page = 0x11111111;
	ASSERT_EQ(0, run_to_out(&self->v, &port, &val));
	EXPECT_EQ(0x10, port);
	EXPECT_EQ(0x11111111, val);
	ASSERT_EQ(0, run_to_out(&self->v, &port, &val));
	EXPECT_EQ(0x11, port);
	EXPECT_EQ(0x22222222, *page) TH_LOG("the guest's write did not reach the process");
	ASSERT_EQ(0, ioctl(self->v.vcpu, MINIVMM_GET_STATS, &st));
	mapped = st.vm_mapped_pages;

	/* Zero-fill on next touch: the guest reads zero, not its old page. */
	ASSERT_EQ(0, madvise((void *)page, 4096, MADV_DONTNEED));
	ASSERT_EQ(0, ioctl(self->v.vcpu, MINIVMM_GET_STATS, &st));
	EXPECT_EQ(mapped - 1, st.vm_mapped_pages) TH_LOG("the page is still in the EPT");
	ASSERT_EQ(0, run_to_out(&self->v, &port, &val));
	EXPECT_EQ(0x10, port);
	EXPECT_EQ(0, val) TH_LOG("after MADV_DONTNEED the guest read its old page");
	ASSERT_EQ(0, run_to_out(&self->v, &port, &val));
	EXPECT_EQ(0x22222222, *page) TH_LOG("the guest wrote its old page");

	/* Another page mapped over it. */
	ASSERT_TRUE(remap_with((void *)page, 0x33333333));
	ASSERT_EQ(0, run_to_out(&self->v, &port, &val));
	EXPECT_EQ(0x33333333, val) TH_LOG("after mmap(MAP_FIXED) the guest read its old page");
	ASSERT_EQ(0, run_to_out(&self->v, &port, &val));
	EXPECT_EQ(0x22222222, *page);

	/* Nothing mapped: RUN fails with -EFAULT at the read, and runs it again later. */
	ASSERT_EQ(0, munmap((void *)page, 4096));
	EXPECT_EQ(-1, ioctl(self->v.vcpu, MINIVMM_RUN, 0));
	EXPECT_EQ(EFAULT, errno);
	ASSERT_TRUE(remap_with((void *)page, 0x44444444));
	ASSERT_EQ(0, run_to_out(&self->v, &port, &val));
	EXPECT_EQ(0x10, port);
	EXPECT_EQ(0x44444444, val);
	munmap((void *)page, 4096);
}

struct churner {
	volatile uint32_t *page;
	int cpu;
	unsigned int rounds;
	uint32_t before, after;	/* the process's view once the churn stopped */
};

static void *churner_main(void *arg)
{
	struct churner *c = arg;
	struct timespec t0, t;

	if (c->cpu >= 0)
		mv_pin(c->cpu);
	clock_gettime(CLOCK_MONOTONIC, &t0);
	do {
		madvise((void *)c->page, 4096, MADV_DONTNEED);
		c->rounds++;
		clock_gettime(CLOCK_MONOTONIC, &t);
	} while ((t.tv_sec - t0.tv_sec) * 1000 + (t.tv_nsec - t0.tv_nsec) / 1000000 < 300);
	sleep_ms(20);
	c->before = *c->page;
	sleep_ms(50);
	c->after = *c->page;
	return NULL;
}

/*
 * The race the notifier's sequence count closes: the page is zapped while
 * the guest, on another CPU, faults it back in as fast as it can. If a
 * fault ever mapped a page the process had already dropped, the guest
 * would go on writing to it, unseen: the count vmm reads would stop.
 */
TEST_F(host, guest_memory_follows_the_process_under_churn)
{
	/*
	 * mov $0x1000,%ax; mov %ax,%ds; xor %eax,%eax;
	 * 1: mov %eax,(0); inc %eax; jmp 1b
	 */
	static const uint8_t code[] = {
		0xb8, 0x00, 0x10, 0x8e, 0xd8, 0x66, 0x31, 0xc0,
		0x66, 0x89, 0x06, 0x00, 0x00, 0x66, 0x40, 0xeb, 0xf7,
	};
	struct churner c = { .cpu = self->other };
	struct stopper stop;
	struct minivmm_vcpu_stats st;
	pthread_t t;

	c.page = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	ASSERT_NE(MAP_FAILED, c.page);
	ASSERT_EQ(0, slot_at_64k(&self->v, (void *)c.page));
	ASSERT_EQ(0, mv_vm_load_real(&self->v, CODE_ADDR, code, sizeof(code)));
	ASSERT_EQ(0, pthread_create(&t, NULL, churner_main, &c));
	ASSERT_EQ(0, start_stopper(&stop, self->v.run, 500, self->other));
	while (!ioctl(self->v.vcpu, MINIVMM_RUN, 0))
		ASSERT_EQ(MINIVMM_EXIT_IO, self->v.run->exit_reason) TH_LOG("exit %u",
			  self->v.run->exit_reason);
	EXPECT_EQ(EINTR, errno);
	pthread_join(stop.thread, NULL);
	pthread_join(t, NULL);
	ASSERT_EQ(0, ioctl(self->v.vcpu, MINIVMM_GET_STATS, &st));
	TH_LOG("%u zaps, %llu pages faulted in", c.rounds, (unsigned long long)st.ept_faults_in);
	EXPECT_LE(100, c.rounds);
	/* Dozens at least (26 on Linux 6.12 in Bochs, whose madvise always notifies). */
	EXPECT_LE(10, st.ept_faults_in) TH_LOG("the guest did not fault the page back in");
	EXPECT_NE(0, c.after);
	EXPECT_NE(c.before, c.after) TH_LOG("the guest's writes no longer reach the process");
	munmap((void *)c.page, 4096);
}

/* This thread's guest time (field 43 of /proc/thread-self/stat), in ticks. */
static long guest_ticks(void)
{
	char buf[1024], *p;
	long v = -1;
	int i, n;
	FILE *f = fopen("/proc/thread-self/stat", "r");

	if (!f)
		return -1;
	n = fread(buf, 1, sizeof(buf) - 1, f);
	fclose(f);
	buf[n > 0 ? n : 0] = '\0';
	p = strrchr(buf, ')');
	if (!p)
		return -1;
	for (i = 3; p && i <= 43; i++) {	/* field 3 follows the name */
		p = strchr(p, ' ');
		if (p)
			v = strtol(++p, NULL, 10);
	}
	return p ? v : -1;
}

/*
 * Time in the guest is the thread's guest time (PF_VCPU, as KVM counts
 * it): ticks that interrupt the guest are taken before the flag is
 * cleared. A guest spinning for 0.3 s of RUN is mostly guest time (0.3 s:
 * a second of the test machine's clock with a guest running is about two
 * minutes of Bochs).
 */
TEST_F(host, guest_time_is_counted_as_guest_time)
{
	static const uint8_t code[] = { 0xeb, 0xfe };	/* 1: jmp 1b */
	struct stopper stop;
	long before, after;

	ASSERT_EQ(0, mv_vm_load_real(&self->v, CODE_ADDR, code, sizeof(code)));
	before = guest_ticks();
	ASSERT_LE(0, before);
	ASSERT_EQ(0, start_stopper(&stop, self->v.run, 300, self->other));
	EXPECT_EQ(-1, ioctl(self->v.vcpu, MINIVMM_RUN, 0));
	EXPECT_EQ(EINTR, errno);
	pthread_join(stop.thread, NULL);
	after = guest_ticks();
	TH_LOG("guest time: %ld ticks in 0.3 s, at %ld per second", after - before,
	       sysconf(_SC_CLK_TCK));
	EXPECT_LE(sysconf(_SC_CLK_TCK) * 3 / 20, after - before);
}

static volatile uint32_t watched;

/*
 * A hardware breakpoint of the host (perf, here on a variable of this
 * process) is the host CPU's DR0-DR3 and DR7. VM exit sets DR7 to 0x400
 * (SDM 27.5.1), and a guest's MOV DR must not reach them: after a guest
 * that arms its own breakpoint, the host's still fires.
 */
TEST_F(host, host_breakpoints_survive_the_guest)
{
	/*
	 * mov $0x1234,%eax; mov %rax,%dr0; mov $0x401,%eax; mov %rax,%dr7;
	 * mov %dr7,%rbx; mov %dr0,%rcx; hlt
	 */
	static const uint8_t code[] = {
		0xb8, 0x34, 0x12, 0x00, 0x00, 0x0f, 0x23, 0xc0,
		0xb8, 0x01, 0x04, 0x00, 0x00, 0x0f, 0x23, 0xf8,
		0x0f, 0x21, 0xfb, 0x0f, 0x21, 0xc1, 0xf4,
	};
	struct perf_event_attr attr = {
		.type = PERF_TYPE_BREAKPOINT, .size = sizeof(attr),
		.bp_type = HW_BREAKPOINT_W, .bp_addr = (uintptr_t)&watched,
		.bp_len = HW_BREAKPOINT_LEN_4, .exclude_kernel = 1,
	};
	struct minivmm_vcpu_stats st;
	struct minivmm_regs regs;
	uint64_t n = 0;
	int fd;

	fd = syscall(SYS_perf_event_open, &attr, 0, -1, -1, 0);
	ASSERT_LE(0, fd) TH_LOG("perf_event_open of a hardware breakpoint: %m");
	watched = 1;
	ASSERT_EQ(sizeof(n), read(fd, &n, sizeof(n)));
	ASSERT_EQ(1, n) TH_LOG("the breakpoint does not fire even without a guest");
	ASSERT_EQ(0, mv_vm_load_long(&self->v, CODE_ADDR, code, sizeof(code)));
	ASSERT_EQ(0, ioctl(self->v.vcpu, MINIVMM_RUN, 0));
	EXPECT_EQ(MINIVMM_EXIT_HLT, self->v.run->exit_reason);
	watched = 2;
	ASSERT_EQ(sizeof(n), read(fd, &n, sizeof(n)));
	EXPECT_EQ(2, n) TH_LOG("the host's breakpoint stopped firing after the guest ran");
	close(fd);
	/* The guest's own debug registers are kept for it. */
	ASSERT_EQ(0, ioctl(self->v.vcpu, MINIVMM_GET_REGS, &regs));
	EXPECT_EQ(0x401, regs.rbx);
	EXPECT_EQ(0x1234, regs.rcx);
	ASSERT_EQ(0, ioctl(self->v.vcpu, MINIVMM_GET_STATS, &st));
	EXPECT_EQ(4, st.exits_by_reason[EXIT_REASON_DR_ACCESS]);
}

/*
 * A #DB of the guest's own (TF single step) always exits, so that the
 * host's DR6 is never touched, and reaches the guest's handler with the
 * cause in the guest's DR6 (BS, SDM Vol. 3A 18.2.3).
 */
TEST_F(host, guest_single_step_reaches_its_own_handler)
{
	/*
	 * Real mode: IVT[1] = 0:handler; pushf; pop %ax; or $0x100,%ax;
	 * push %ax; popf; nop; nop; hlt.
	 * handler (0x7c16): inc %bx; mov %dr6,%ecx; push %bp; mov %sp,%bp;
	 * andw $0xfeff,6(%bp) (TF off in the saved flags); pop %bp; iret
	 */
	static const uint8_t code[] = {
		0xc7, 0x06, 0x04, 0x00, 0x16, 0x7c, 0xc7, 0x06, 0x06, 0x00, 0x00, 0x00,
		0x9c, 0x58, 0x0d, 0x00, 0x01, 0x50, 0x9d, 0x90, 0x90, 0xf4,
		0x43, 0x0f, 0x21, 0xf1, 0x55, 0x89, 0xe5, 0x81, 0x66, 0x06, 0xff, 0xfe,
		0x5d, 0xcf,
	};
	struct minivmm_vcpu_stats st;
	struct minivmm_regs regs;

	ASSERT_EQ(0, mv_vm_load_real(&self->v, CODE_ADDR, code, sizeof(code)));
	ASSERT_EQ(0, ioctl(self->v.vcpu, MINIVMM_RUN, 0));
	EXPECT_EQ(MINIVMM_EXIT_HLT, self->v.run->exit_reason);
	ASSERT_EQ(0, ioctl(self->v.vcpu, MINIVMM_GET_REGS, &regs));
	EXPECT_EQ(0x7c16, regs.rip);	/* past the HLT at 0x7c15 */
	EXPECT_EQ(1, regs.rbx) TH_LOG("the guest's #DB handler ran %llu times",
				     (unsigned long long)regs.rbx);
	EXPECT_EQ(0x4000, regs.rcx & 0x4000) TH_LOG("guest DR6 %#llx without BS",
						    (unsigned long long)regs.rcx);
	ASSERT_EQ(0, ioctl(self->v.vcpu, MINIVMM_GET_STATS, &st));
	EXPECT_LE(1, st.exits_by_reason[EXIT_REASON_EXCEPTION_NMI]);
}

/* Has this CPU protection keys for user pages, enabled by Linux? */
static bool host_has_pku(void)
{
	char line[4096];
	bool pku = false;
	FILE *f = fopen("/proc/cpuinfo", "r");

	while (f && fgets(line, sizeof(line), f))
		if (!strncmp(line, "flags", 5)) {
			pku = strstr(line, " ospke") != NULL;
			break;
		}
	if (f)
		fclose(f);
	return pku;
}

static uint32_t rdpkru(void)
{
	uint32_t eax, edx;

	asm volatile(".byte 0x0f, 0x01, 0xee" : "=a" (eax), "=d" (edx) : "c" (0));
	return eax;
}

/*
 * CR4.PKE would let the guest's WRPKRU write the PKRU of vmm's thread. It
 * is not offered (CPUID.7:ECX PKU and OSPKE clear) and setting it is #GP
 * (a triple fault here, with no IDT) or, from userspace, -EINVAL.
 */
TEST_F(host, cr4_pke_is_refused)
{
	/*
	 * mov $7,%eax; xor %ecx,%ecx; cpuid; mov %rcx,%rsi;
	 * mov %cr4,%rax; bts $22,%rax; mov %rax,%cr4; hlt
	 */
	static const uint8_t code[] = {
		0xb8, 0x07, 0x00, 0x00, 0x00, 0x31, 0xc9, 0x0f, 0xa2, 0x48, 0x89, 0xce,
		0x0f, 0x20, 0xe0, 0x48, 0x0f, 0xba, 0xe8, 0x16, 0x0f, 0x22, 0xe0, 0xf4,
	};
	bool pku = host_has_pku();
	uint32_t pkru = pku ? rdpkru() : 0;
	struct minivmm_sregs sr;
	struct minivmm_regs regs;

	ASSERT_EQ(0, mv_vm_load_long(&self->v, CODE_ADDR, code, sizeof(code)));
	ASSERT_EQ(0, ioctl(self->v.vcpu, MINIVMM_GET_SREGS, &sr));
	sr.cr4 |= 1ULL << 22;
	EXPECT_EQ(-1, ioctl(self->v.vcpu, MINIVMM_SET_SREGS, &sr));
	EXPECT_EQ(EINVAL, errno);
	ASSERT_EQ(0, ioctl(self->v.vcpu, MINIVMM_RUN, 0));
	EXPECT_EQ(MINIVMM_EXIT_SHUTDOWN, self->v.run->exit_reason);
	ASSERT_EQ(0, ioctl(self->v.vcpu, MINIVMM_GET_REGS, &regs));
	EXPECT_EQ(0, regs.rsi & 0x18) TH_LOG("CPUID.7:ECX %#llx offers PKU",
					     (unsigned long long)regs.rsi);
	ASSERT_EQ(0, ioctl(self->v.vcpu, MINIVMM_GET_SREGS, &sr));
	EXPECT_EQ(0, sr.cr4 & (1ULL << 22));
	if (pku)
		EXPECT_EQ(pkru, rdpkru());
	TH_LOG("host PKRU %s", pku ? "checked unchanged" : "absent (no OSPKE): CR4 checked");
}

/*
 * TSC_AUX is the guest's own while it runs (RDTSCP and RDPID read it), and
 * the host's, the CPU number the vDSO's getcpu() reads, is back before
 * any of the host's userspace runs: here, at once after RUN.
 * rdtscp; mov %ecx,%eax; out %eax,$0x10; hlt
 */
TEST_F(host, tsc_aux_is_the_guests_own)
{
	static const uint8_t code[] = {
		0x0f, 0x01, 0xf9, 0x66, 0x89, 0xc8, 0x66, 0xe7, 0x10, 0xf4,
	};
	struct minivmm_msr_entry ent = { .index = 0xc0000103, .data = 0x5a5a5 };
	struct minivmm_msrs msrs = { .nmsrs = 1, .entries = (uintptr_t)&ent };
	uint32_t a, b, c, d, got;

	__asm__ volatile("cpuid" : "=a" (a), "=b" (b), "=c" (c), "=d" (d) : "a" (0x80000001), "c" (0));
	if (!(d & (1U << 27)))
		SKIP(return, "no RDTSCP on this CPU");
	ASSERT_EQ(1, ioctl(self->v.vcpu, MINIVMM_SET_MSRS, &msrs));
	ASSERT_EQ(0, mv_vm_load_real(&self->v, CODE_ADDR, code, sizeof(code)));
	ASSERT_EQ(0, ioctl(self->v.vcpu, MINIVMM_RUN, 0));
	ASSERT_EQ(MINIVMM_EXIT_IO, self->v.run->exit_reason) TH_LOG("exit %u (RDTSCP #UD?)",
								   self->v.run->exit_reason);
	memcpy(&got, (uint8_t *)self->v.run + self->v.run->io.data_offset, 4);
	EXPECT_EQ(0x5a5a5, got) TH_LOG("the guest's RDTSCP read %#x", got);
	/* The host's RDTSCP: Linux keeps (node << 12) | cpu in TSC_AUX. */
	__asm__ volatile("rdtscp" : "=a" (a), "=d" (d), "=c" (c));
	EXPECT_EQ(self->cpu, (int)(c & 0xfff)) TH_LOG("the host's TSC_AUX is %#x", c);
	/* The guest's value stays its own. */
	ent.data = 0;
	ASSERT_EQ(1, ioctl(self->v.vcpu, MINIVMM_GET_MSRS, &msrs));
	EXPECT_EQ(0x5a5a5, ent.data);
	ent = (struct minivmm_msr_entry){ .index = 0xc0000103, .data = 1ULL << 32 };
	EXPECT_EQ(0, ioctl(self->v.vcpu, MINIVMM_SET_MSRS, &msrs)) TH_LOG("bits 63:32 are reserved");
}

/*
 * SYSCALL jumps to LSTAR: the guest's own, loaded while it runs; the
 * host's is back before any host userspace runs (this test's next system
 * call would not return otherwise).
 */
TEST_F(host, syscall_reaches_the_guests_lstar)
{
	/*
	 * mov $0xc0000082,%ecx; mov $0x7c11,%eax; xor %edx,%edx; wrmsr;
	 * syscall; hlt; target (0x7c11): hlt
	 */
	static const uint8_t code[] = {
		0xb9, 0x82, 0x00, 0x00, 0xc0, 0xb8, 0x11, 0x7c, 0x00, 0x00,
		0x31, 0xd2, 0x0f, 0x30, 0x0f, 0x05, 0xf4, 0xf4,
	};
	struct minivmm_msr_entry e[2] = {
		{ .index = MSR_LSTAR }, { .index = MSR_SYSCALL_MASK, .data = 1ULL << 32 },
	};
	struct minivmm_msrs m = { .nmsrs = 1, .entries = (uintptr_t)e };
	struct minivmm_sregs sr;
	struct minivmm_regs regs;

	ASSERT_EQ(0, mv_vm_load_long(&self->v, CODE_ADDR, code, sizeof(code)));
	ASSERT_EQ(0, ioctl(self->v.vcpu, MINIVMM_GET_SREGS, &sr));
	sr.efer |= 1;				/* EFER.SCE */
	ASSERT_EQ(0, ioctl(self->v.vcpu, MINIVMM_SET_SREGS, &sr));
	ASSERT_EQ(0, ioctl(self->v.vcpu, MINIVMM_RUN, 0));
	EXPECT_EQ(MINIVMM_EXIT_HLT, self->v.run->exit_reason);
	ASSERT_EQ(0, ioctl(self->v.vcpu, MINIVMM_GET_REGS, &regs));
	EXPECT_EQ(0x7c12, regs.rip) TH_LOG("RIP %#llx", (unsigned long long)regs.rip);
	EXPECT_EQ(0x7c10, regs.rcx);		/* SYSCALL's return address */
	EXPECT_EQ(getpid(), syscall(SYS_getpid));
	ASSERT_EQ(1, ioctl(self->v.vcpu, MINIVMM_GET_MSRS, &m));
	EXPECT_EQ(0x7c11, e[0].data);
	/* SFMASK's bits 63:32 are reserved: not set. */
	m.entries = (uintptr_t)&e[1];
	EXPECT_EQ(0, ioctl(self->v.vcpu, MINIVMM_SET_MSRS, &m));
}

/* One record in the kernel log (one write() each, as /dev/kmsg wants). */
static int kmsg(const char *text)
{
	char line[256];
	int fd = open("/dev/kmsg", O_WRONLY | O_CLOEXEC);
	int n = snprintf(line, sizeof(line), "<5>%s\n", text);
	int r = -1;

	if (fd >= 0) {
		r = write(fd, line, n) == n ? 0 : -1;
		close(fd);
	}
	if (r)
		perror("/dev/kmsg");
	return r;
}

struct backtracer {
	struct stopper stop;
	int cpu;
};

/* sysrq-l: an NMI to every CPU, each prints a backtrace. */
static void *backtracer_main(void *arg)
{
	struct backtracer *b = arg;
	int fd;

	if (b->cpu >= 0)
		mv_pin(b->cpu);
	sleep_ms(100);
	fd = open("/proc/sysrq-trigger", O_WRONLY);
	if (fd >= 0) {
		if (write(fd, "l", 1) != 1)
			perror("sysrq-trigger");
		close(fd);
	}
	return stopper_main(&b->stop);
}

/*
 * An NMI for the host that arrives while the guest runs makes a VM exit;
 * the host's NMI handler must still see it (NMI backtraces, perf, the
 * hard-lockup watchdog): here the backtrace sysrq-l asks every CPU for.
 */
TEST_F(host, host_nmis_reach_the_host_while_the_guest_runs)
{
	static const uint8_t code[] = { 0xeb, 0xfe };	/* 1: jmp 1b, IF = 0 */
	struct backtracer b = { .cpu = self->other };
	char want[64];
	long before, after;
	char *log;

	ASSERT_LE(0, self->other) TH_LOG("needs two CPUs");
	ASSERT_EQ(0, mv_vm_load_long(&self->v, CODE_ADDR, code, sizeof(code)));
	before = interrupts("NMI:", self->cpu);
	ASSERT_LE(0, before);
	b.stop.target = pthread_self();
	b.stop.run = self->v.run;
	b.stop.ms = 200;
	b.stop.cpu = self->other;
	{
		struct sigaction sa = { .sa_handler = on_sigusr1 };
		pthread_t t;

		sigaction(SIGUSR1, &sa, NULL);
		/* The backtraces asked for are not splats (tests/lib/splat.h). */
		ASSERT_EQ(0, kmsg(SPLAT_REQUESTED_BEGIN));
		ASSERT_EQ(0, pthread_create(&t, NULL, backtracer_main, &b));
		EXPECT_EQ(-1, ioctl(self->v.vcpu, MINIVMM_RUN, 0));
		EXPECT_EQ(EINTR, errno);
		pthread_join(t, NULL);
		ASSERT_EQ(0, kmsg(SPLAT_REQUESTED_END));
	}
	after = interrupts("NMI:", self->cpu);
	EXPECT_LT(before, after) TH_LOG("CPU %d took no NMI", self->cpu);
	snprintf(want, sizeof(want), "NMI backtrace for cpu %d", self->cpu);
	log = mv_klog();
	ASSERT_NE(NULL, log);
	EXPECT_NE(NULL, strstr(log, want)) TH_LOG("no \"%s\" in the kernel log", want);
	free(log);
}

/*
 * The CPU's own accesses to the guest's page tables are not an
 * instruction's MMIO: page tables where no memory slot is (the walk's
 * reads exit) end RUN with MINIVMM_INTERNAL_PAGE_WALK and the entry's
 * address, never with an access decoded from the instruction. (Page
 * tables in a read-only slot, whose accessed bits the CPU must set, take
 * the same path on real CPUs; Bochs 2.7 sets them without the EPT check.)
 */
TEST_F(host, page_walks_into_mmio_are_reported)
{
	static const uint8_t code[] = { 0xf4 };		/* hlt */
	struct minivmm_memory_region r;

	ASSERT_EQ(0, mv_vm_load_long(&self->v, CODE_ADDR, code, sizeof(code)));
	/* [0, 16 KiB), the page tables: no memory; the rest RAM as before. */
	r = (struct minivmm_memory_region){ .slot = 0 };
	ASSERT_EQ(0, ioctl(self->v.vm, MINIVMM_SET_MEMORY_REGION, &r));
	r = (struct minivmm_memory_region){ .slot = 0, .guest_phys_addr = 0x4000,
		.memory_size = MEM_SIZE - 0x4000,
		.userspace_addr = (uintptr_t)self->v.mem + 0x4000 };
	ASSERT_EQ(0, ioctl(self->v.vm, MINIVMM_SET_MEMORY_REGION, &r));
	ASSERT_EQ(0, ioctl(self->v.vcpu, MINIVMM_RUN, 0));
	ASSERT_EQ(MINIVMM_EXIT_INTERNAL_ERROR, self->v.run->exit_reason);
	EXPECT_EQ(MINIVMM_INTERNAL_PAGE_WALK, self->v.run->internal.suberror);
	EXPECT_EQ(0x1000, self->v.run->internal.data[0] & ~0xfffULL);
	EXPECT_EQ(CODE_ADDR, self->v.run->exit_rip);
}

/* The state debugfs minivmm/mitigations gives a mitigation, or NULL. */
static char *mitigation(const char *name, char *buf, size_t len)
{
	char line[256];
	size_t n = strlen(name);
	FILE *f = fopen("/sys/kernel/debug/minivmm/mitigations", "r");

	buf[0] = '\0';
	while (f && fgets(line, sizeof(line), f)) {
		if (strncmp(line, name, n) || line[n] != ' ')
			continue;
		snprintf(buf, len, "%s", line + n + strspn(line + n, " "));
		buf[strcspn(buf, "\n")] = '\0';
	}
	if (f)
		fclose(f);
	return buf[0] ? buf : NULL;
}

/* Does a file of /sys/devices/system/cpu/vulnerabilities mention text? */
static bool vulnerability_says(const char *file, const char *text)
{
	char path[128], line[512] = "";
	FILE *f;

	snprintf(path, sizeof(path), "/sys/devices/system/cpu/vulnerabilities/%s", file);
	f = fopen(path, "r");
	if (!f)
		return false;
	if (!fgets(line, sizeof(line), f))
		line[0] = '\0';
	fclose(f);
	return strstr(line, text) != NULL;
}

/*
 * The mitigations at the world switch follow the kernel's own decisions
 * (the vulnerabilities it reports), each is named with its state, and
 * minivmm.mitigations=0 turns off only those minivmm may skip.
 */
TEST(mitigations_follow_the_kernel)
{
	static const char *const names[] = { "verw", "l1d_flush", "rsb_fill", "pbrsb",
		"spec_ctrl", "bhb_clear", "ibpb_vm", "vmscape_ibpb" };
	static const char *const skippable[] = { "verw", "l1d_flush", "ibpb_vm", "vmscape_ibpb" };
	char buf[64], before[8][64];
	bool verw_needed;
	unsigned int i;

	ASSERT_EQ(0, mv_load());
	for (i = 0; i < 8; i++) {
		ASSERT_NE(NULL, mitigation(names[i], before[i], sizeof(before[i])))
			TH_LOG("%s missing from debugfs minivmm/mitigations", names[i]);
		EXPECT_TRUE(!strcmp(before[i], "on") || !strcmp(before[i], "not needed"))
			TH_LOG("%s: %s", names[i], before[i]);
	}
	/* The kernel clears CPU buffers for its guests where it does for itself. */
	verw_needed = vulnerability_says("mds", "Clear CPU buffers") ||
		      vulnerability_says("tsx_async_abort", "Clear CPU buffers") ||
		      vulnerability_says("mmio_stale_data", "Clear CPU buffers") ||
		      vulnerability_says("reg_file_data_sampling", "Clear");
	if (verw_needed) {
		EXPECT_STREQ("on", before[0]);
	}
	TH_LOG("verw %s (the kernel's MDS state: %s)", before[0],
	       verw_needed ? "clears CPU buffers" : "no clearing");

	ASSERT_EQ(0, mv_rmmod("minivmm"));
	ASSERT_EQ(0, mv_insmod(MV_MODULE_PATH, "mitigations=0"));
	for (i = 0; i < 4; i++) {
		unsigned int k;

		for (k = 0; strcmp(names[k], skippable[i]); k++)
			;
		ASSERT_NE(NULL, mitigation(skippable[i], buf, sizeof(buf)));
		if (!strcmp(before[k], "on")) {
			EXPECT_EQ(0, strncmp(buf, "off", 3)) TH_LOG("%s: %s", skippable[i], buf);
		} else {
			EXPECT_STREQ("not needed", buf);
		}
	}
	ASSERT_EQ(0, mv_rmmod("minivmm"));
	ASSERT_EQ(0, mv_load());
	ASSERT_NE(NULL, mitigation("verw", buf, sizeof(buf)));
	EXPECT_STREQ(before[0], buf);
}

TEST_HARNESS_MAIN
