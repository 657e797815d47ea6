// SPDX-License-Identifier: GPL-2.0
/*
 * SMP guests, VCPU migration and many VMs at once, end to end with the real
 * vmm (vmm --cpus N) in the test machine:
 *  - guests/smp64.img on 8 VCPUs: the VCPUs agree on shared-memory results;
 *  - the same while another thread flips every vmm thread's CPU affinity
 *    at least 1000 times (each flip forces the VCPU's VMCS to follow it to
 *    the other CPU): output and status identical to the quiet run;
 *  - 64 VMs at once, and a looping 8-VCPU guest stopped by a signal;
 *  - afterwards the module's counters are back to zero.
 */
#define _GNU_SOURCE
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "kselftest_harness.h"
#include "../lib/mvtest.h"

#define VMM	"/usr/bin/vmm"
#define SMP64	"/guests/smp64.img"
#define LOOP	"/guests/loop.img"
#define OUT_MAX	4096
#define MIN_FLIPS	1000
#define NR_VMS	64

/* A vmm child: its pid and the read end of its stdout+stderr pipe. */
struct child {
	pid_t pid;
	int fd;
	char out[OUT_MAX];
	size_t len;
	int status;
};

/*
 * Start vmm with args (NULL-terminated). With a gate (a pipe), the child
 * waits for the parent to close its write end before exec, so that many
 * start together.
 */
static int spawn(struct child *c, char *const args[], const int *gate)
{
	int p[2];

	memset(c, 0, sizeof(*c));
	if (pipe2(p, O_CLOEXEC))
		return -1;
	c->pid = fork();
	if (c->pid < 0)
		return -1;
	if (c->pid == 0) {
		char b;

		dup2(p[1], 1);
		dup2(p[1], 2);
		if (gate) {
			close(gate[1]);
			while (read(gate[0], &b, 1) > 0)
				;
		}
		execv(VMM, args);
		_exit(127);
	}
	close(p[1]);
	c->fd = p[0];
	return 0;
}

/* Read the child's output to EOF and reap it: its exit status or -1. */
static int collect(struct child *c)
{
	ssize_t n;
	int st;

	while ((n = read(c->fd, c->out + c->len, OUT_MAX - 1 - c->len)) > 0)
		c->len += n;
	c->out[c->len] = '\0';
	close(c->fd);
	if (waitpid(c->pid, &st, 0) != c->pid || !WIFEXITED(st))
		return c->status = -1;
	return c->status = WEXITSTATUS(st);
}

static int run_vmm(struct child *c, char *const args[])
{
	if (spawn(c, args, NULL))
		return -1;
	return collect(c);
}

static void expect_counters_zero(struct __test_metadata *_metadata)
{
	EXPECT_EQ(0, mv_counter("vms"));
	EXPECT_EQ(0, mv_counter("vmcs"));
	EXPECT_EQ(0, mv_counter("mapped_pages"));
	EXPECT_EQ(0, mv_counter("vmxon_cpus"));
}

static char *const smp8[] = { VMM, "--cpus", "8", SMP64, NULL };

FIXTURE(smp) {
	struct child quiet;
};

FIXTURE_SETUP(smp)
{
	ASSERT_EQ(0, mv_load());
	/* The reference: 8 VCPUs with nothing else going on. */
	ASSERT_EQ(100, run_vmm(&self->quiet, smp8)) TH_LOG("%s", self->quiet.out);
	ASSERT_NE(NULL, strstr(self->quiet.out, "smp: 8 VCPUs")) TH_LOG("%s", self->quiet.out);
	ASSERT_NE(NULL, strstr(self->quiet.out, "agree")) TH_LOG("%s", self->quiet.out);
}

FIXTURE_TEARDOWN(smp)
{
}

TEST_F(smp, vcpus_agree_on_1_2_4_8_cpus)
{
	static const char * const n[] = { "1", "2", "4", "8" };
	unsigned int i;

	for (i = 0; i < 4; i++) {
		char *const args[] = { VMM, "--cpus", (char *)n[i], SMP64, NULL };
		char want[32];
		struct child c;

		snprintf(want, sizeof(want), "smp: %s VCPUs", n[i]);
		EXPECT_EQ(100, run_vmm(&c, args)) TH_LOG("%s", c.out);
		EXPECT_NE(NULL, strstr(c.out, want)) TH_LOG("%s", c.out);
		EXPECT_NE(NULL, strstr(c.out, "agree")) TH_LOG("%s", c.out);
		EXPECT_EQ(NULL, strstr(c.out, "DISAGREE")) TH_LOG("%s", c.out);
	}
	expect_counters_zero(_metadata);
}

/* The CPU a thread last ran on (/proc/PID/task/TID/stat field 39), or -1. */
static int task_cpu(pid_t pid, const char *tid)
{
	char path[64], buf[1024], *p;
	int fd, i, cpu = -1;
	ssize_t n;

	snprintf(path, sizeof(path), "/proc/%d/task/%s/stat", pid, tid);
	fd = open(path, O_RDONLY);
	if (fd < 0)
		return -1;
	n = read(fd, buf, sizeof(buf) - 1);
	close(fd);
	if (n <= 0)
		return -1;
	buf[n] = '\0';
	p = strrchr(buf, ')');		/* the name may hold spaces */
	for (i = 2; p && i < 39; i++)
		p = strchr(p + 1, ' ');
	if (p)
		cpu = atoi(p + 1);
	return cpu;
}

/*
 * Flip every thread of pid between CPU 0 and CPU 1 until it exits. Adds
 * the flips done and the CPU changes seen (migrations) to the totals.
 */
static void flip_until_exit(pid_t pid, unsigned long *flips, unsigned long *moves)
{
	char path[64];
	unsigned long round = 0;
	cpu_set_t set;

	snprintf(path, sizeof(path), "/proc/%d/task", pid);
	for (;;) {
		siginfo_t si = { 0 };
		struct dirent *e;
		DIR *d = opendir(path);

		/* Gone? (WNOWAIT: collect() reaps it.) */
		if (!d || waitid(P_PID, pid, &si, WEXITED | WNOHANG | WNOWAIT) ||
		    si.si_pid == pid) {
			if (d)
				closedir(d);
			return;
		}
		CPU_ZERO(&set);
		CPU_SET(round++ & 1, &set);
		while ((e = readdir(d))) {
			pid_t tid = atoi(e->d_name);
			int before;

			if (tid <= 0)
				continue;
			before = task_cpu(pid, e->d_name);
			if (sched_setaffinity(tid, sizeof(set), &set) == 0) {
				(*flips)++;
				if (before >= 0 && task_cpu(pid, e->d_name) != before)
					(*moves)++;
			}
		}
		closedir(d);
		sched_yield();
	}
}

TEST_F_TIMEOUT(smp, affinity_flips_do_not_change_results, 600)
{
	unsigned long flips = 0, moves = 0, runs = 0;

	if (mv_online_cpus() < 2)
		SKIP(return, "needs 2 CPUs (the main suite boots with 2)");
	while (flips < MIN_FLIPS && runs < 200) {
		struct child c;
		int st;

		ASSERT_EQ(0, spawn(&c, smp8, NULL));
		/* Read the output after the child is gone: it is small. */
		flip_until_exit(c.pid, &flips, &moves);
		st = collect(&c);
		runs++;
		EXPECT_EQ(self->quiet.status, st) TH_LOG("run %lu: %s", runs, c.out);
		EXPECT_STREQ(self->quiet.out, c.out) TH_LOG("run %lu differs", runs);
		if (st != self->quiet.status || strcmp(self->quiet.out, c.out))
			break;
	}
	printf("# %lu affinity flips over %lu runs of 8 VCPUs, %lu migrations seen\n",
	       flips, runs, moves);
	EXPECT_LE(MIN_FLIPS, flips);
	EXPECT_LT(0, moves);
	expect_counters_zero(_metadata);
}

TEST_F_TIMEOUT(smp, sixty_four_vms_at_once, 600)
{
	static char *const loop2[] = { VMM, "--cpus", "2", "--mem", "1M", LOOP, NULL };
	static char *const smp2[] = { VMM, "--cpus", "2", "--mem", "4M", SMP64, NULL };
	struct child quiet2, *c = calloc(NR_VMS, sizeof(*c));
	long vms = 0, peak = 0;
	int gate[2], i, tries;

	ASSERT_NE(NULL, c);
	ASSERT_EQ(100, run_vmm(&quiet2, smp2)) TH_LOG("%s", quiet2.out);

	/* 64 looping guests alive together, then all stopped by SIGTERM. */
	for (i = 0; i < NR_VMS; i++)
		ASSERT_EQ(0, spawn(&c[i], loop2, NULL));
	for (tries = 0; tries < 6000 && vms < NR_VMS; tries++) {
		vms = mv_counter("vms");
		usleep(10000);
	}
	printf("# %ld VMs alive at once (64 vmm processes, 2 VCPUs each)\n", vms);
	EXPECT_EQ(NR_VMS, vms);
	for (i = 0; i < NR_VMS; i++)
		kill(c[i].pid, SIGTERM);
	for (i = 0; i < NR_VMS; i++) {
		EXPECT_EQ(73, collect(&c[i])) TH_LOG("vm %d: %s", i, c[i].out);
		EXPECT_NE(NULL, strstr(c[i].out, "stopped by signal 15")) TH_LOG("%s", c[i].out);
	}
	expect_counters_zero(_metadata);

	/* 64 SMP guests released together: each result as in a quiet run. */
	ASSERT_EQ(0, pipe2(gate, O_CLOEXEC));
	for (i = 0; i < NR_VMS; i++)
		ASSERT_EQ(0, spawn(&c[i], smp2, gate));
	close(gate[1]);
	for (tries = 0; tries < 200; tries++) {
		vms = mv_counter("vms");
		if (vms > peak)
			peak = vms;
	}
	for (i = 0; i < NR_VMS; i++) {
		EXPECT_EQ(100, collect(&c[i])) TH_LOG("vm %d: %s", i, c[i].out);
		EXPECT_STREQ(quiet2.out, c[i].out) TH_LOG("vm %d differs", i);
	}
	close(gate[0]);
	printf("# 64 SMP guests started together: results identical, peak %ld VMs\n", peak);
	free(c);
	expect_counters_zero(_metadata);
}

TEST_F(smp, signal_stops_eight_looping_vcpus)
{
	static char *const loop8[] = { VMM, "--cpus", "8", LOOP, NULL };
	struct child c;
	int i;

	ASSERT_EQ(0, spawn(&c, loop8, NULL));
	/* Let every VCPU thread enter the guest loop. */
	for (i = 0; i < 1000 && mv_counter("vmcs") < 8; i++)
		usleep(10000);
	EXPECT_EQ(8, mv_counter("vmcs"));
	kill(c.pid, SIGTERM);
	EXPECT_EQ(73, collect(&c)) TH_LOG("%s", c.out);
	EXPECT_NE(NULL, strstr(c.out, "stopped by signal 15")) TH_LOG("%s", c.out);
	expect_counters_zero(_metadata);
}

TEST_HARNESS_MAIN
