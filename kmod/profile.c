// SPDX-License-Identifier: GPL-2.0
/*
 * The exit-path profile. With it on, the run loop reads the TSC at each
 * stage boundary (profile.h) and adds the cycles to per-CPU sums indexed by
 * exit reason; debugfs minivmm/profile prints the average cycles of each
 * stage per exit. Write 1 to it to reset the sums and start, 0 to stop.
 * Off, each stamp is a patched-out jump (a static key).
 *
 * In the Bochs test machine the TSC counts emulated instructions: the
 * figures are path lengths. make bench prints them next to the results.
 */
#include <linux/debugfs.h>
#include <linux/percpu.h>
#include <linux/seq_file.h>
#include <linux/uaccess.h>
#include <asm/msr.h>

#include "profile.h"
#include "vcpu.h"
#include "vmcs.h"

DEFINE_STATIC_KEY_FALSE(minivmm_profile_on);

/* Exit reasons 0..EXIT_REASON_MAX, then failed entries, then the first RUN. */
#define PROF_FAILED	(EXIT_REASON_MAX + 1)
#define PROF_START	(EXIT_REASON_MAX + 2)
#define PROF_NR_REASONS	(EXIT_REASON_MAX + 3)

struct prof_sums {
	u64 exits[PROF_NR_REASONS];
	u64 cycles[PROF_NR_REASONS][PROF_NR_STAGES];
};

static DEFINE_PER_CPU(struct prof_sums, prof_sums);
static atomic_t prof_epoch = ATOMIC_INIT(1);
static DEFINE_MUTEX(prof_lock);

static unsigned int prof_reason(u32 exit_reason)
{
	if (exit_reason & VMX_EXIT_REASON_FAILED_ENTRY)
		return PROF_FAILED;
	exit_reason &= 0xffff;
	return exit_reason <= EXIT_REASON_MAX ? exit_reason : PROF_FAILED;
}

void __minivmm_prof(struct minivmm_vcpu *vcpu, enum minivmm_prof_stage s)
{
	u64 now = rdtsc_ordered();
	unsigned int epoch = atomic_read(&prof_epoch);

	if (vcpu->prof_epoch != epoch) {
		/* First stamp since a reset: nothing to charge yet. */
		vcpu->prof_epoch = epoch;
		vcpu->prof_reason = PROF_START;
	} else {
		if (s == PROF_EXIT) {
			/* A new round trip starts with this exit. */
			vcpu->prof_reason = prof_reason(vcpu->exit_reason);
			this_cpu_inc(prof_sums.exits[vcpu->prof_reason]);
		}
		this_cpu_add(prof_sums.cycles[vcpu->prof_reason][s],
			     now - vcpu->prof_last);
	}
	vcpu->prof_last = now;
}

static const char *const stage_names[PROF_NR_STAGES] = {
	[PROF_EXIT] = "exit", [PROF_HANDLE] = "handle",
	[PROF_RETURN] = "return", [PROF_USER] = "user",
	[PROF_SETUP] = "setup", [PROF_ENTRY] = "entry",
	[PROF_GUEST] = "guest",
};

/* The exit reasons' names (exits.c), and the profile's own two rows. */
static const char *reason_name(unsigned int r)
{
	if (r == PROF_FAILED)
		return "failed_entry";
	if (r == PROF_START)
		return "first_run";
	return minivmm_exit_reason_name(r);
}

static int profile_show(struct seq_file *m, void *unused)
{
	unsigned int r, s;
	int cpu;

	seq_puts(m, "# TSC cycles per exit, by stage (kmod/profile.h); write 1 to reset and start, 0 to stop\n");
	seq_printf(m, "%-18s %9s", "reason", "exits");
	for (s = 0; s < PROF_NR_STAGES; s++)
		seq_printf(m, " %9s", stage_names[s]);
	seq_printf(m, " %9s\n", "total");

	mutex_lock(&prof_lock);
	for (r = 0; r < PROF_NR_REASONS; r++) {
		u64 n = 0, c[PROF_NR_STAGES] = { 0 }, total = 0;

		for_each_possible_cpu(cpu) {
			struct prof_sums *p = per_cpu_ptr(&prof_sums, cpu);

			n += READ_ONCE(p->exits[r]);
			for (s = 0; s < PROF_NR_STAGES; s++)
				c[s] += READ_ONCE(p->cycles[r][s]);
		}
		if (!n)
			continue;
		if (reason_name(r))
			seq_printf(m, "%-18s %9llu", reason_name(r), n);
		else
			seq_printf(m, "reason_%-11u %9llu", r, n);
		for (s = 0; s < PROF_NR_STAGES; s++) {
			seq_printf(m, " %9llu", div64_u64(c[s], n));
			total += c[s];
		}
		seq_printf(m, " %9llu\n", div64_u64(total, n));
	}
	mutex_unlock(&prof_lock);
	return 0;
}

static int profile_open(struct inode *inode, struct file *file)
{
	return single_open(file, profile_show, NULL);
}

static ssize_t profile_write(struct file *file, const char __user *ubuf,
			     size_t len, loff_t *ppos)
{
	bool on;
	int cpu, r;

	r = kstrtobool_from_user(ubuf, len, &on);
	if (r)
		return r;
	mutex_lock(&prof_lock);
	if (on) {
		static_branch_disable(&minivmm_profile_on);
		for_each_possible_cpu(cpu)
			memset(per_cpu_ptr(&prof_sums, cpu), 0, sizeof(struct prof_sums));
		atomic_inc(&prof_epoch);
		static_branch_enable(&minivmm_profile_on);
	} else {
		static_branch_disable(&minivmm_profile_on);
	}
	mutex_unlock(&prof_lock);
	return len;
}

static const struct file_operations profile_fops = {
	.owner = THIS_MODULE,
	.open = profile_open,
	.read = seq_read,
	.write = profile_write,
	.llseek = seq_lseek,
	.release = single_release,
};

void minivmm_profile_debugfs(struct dentry *dir)
{
	debugfs_create_file("profile", 0600, dir, NULL, &profile_fops);
}
