// SPDX-License-Identifier: GPL-2.0
/*
 * Speculative-execution mitigations at the world switch: what the guest
 * could learn of the host, or steer in it, through the CPU's buffers,
 * caches and branch predictors. Each is decided from the host kernel's
 * own mitigation state (its X86_FEATURE_* and X86_BUG_* bits, set from
 * the kernel command line and the CPU's vulnerabilities), as KVM does:
 *
 *   verw          clear CPU buffers before entry (MDS, TAA, MMIO stale
 *                 data, RFDS), where the kernel clears them for itself
 *                 or for guests (X86_FEATURE_CLEAR_CPU_BUF, _VM): vmenter.S
 *   l1d_flush     flush the L1 data cache before entry (L1TF), after host
 *                 code that may have left secrets there ran
 *   rsb_fill      overwrite the return stack buffer after exit, and the
 *   pbrsb         one-entry variant for post-barrier RSB predictions
 *   spec_ctrl     write the host's SPEC_CTRL again after exit where the
 *                 kernel uses IBRS (it needs a write on every entry to
 *                 the kernel); the guest cannot write SPEC_CTRL at all
 *   bhb_clear     clear the branch history after exit (BHI)
 *   ibpb_vm       an indirect-branch barrier when a CPU switches to
 *                 another VM's VMCS
 *   vmscape_ibpb  an indirect-branch barrier before the next return to
 *                 userspace after a VM exit (VMSCAPE)
 *
 * The module parameter mitigations=0 turns off those minivmm can skip
 * (verw, l1d_flush, ibpb_vm, vmscape_ibpb), for benchmarks only; the
 * others are patched into the kernel's own code and follow its command
 * line (mitigations=off). debugfs minivmm/mitigations and the load
 * message say which are in force. Runs in VMX root mode: at module load,
 * and on the entry and exit path with interrupts off.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/cpu.h>
#include <linux/debugfs.h>
#include <linux/gfp.h>
#include <linux/module.h>
#include <linux/percpu.h>
#include <linux/seq_file.h>
#include <asm/cpufeature.h>
#include <asm/hardirq.h>
#include <asm/msr.h>
#include <asm/nospec-branch.h>
#include <asm/processor.h>

#include "minivmm.h"

static bool minivmm_mitigations = true;
module_param_named(mitigations, minivmm_mitigations, bool, 0444);
MODULE_PARM_DESC(mitigations,
		 "Speculative-execution mitigations at VM entry and exit (default 1; 0 only to measure their cost)");

/* L1D flush: how, when needed (SDM Vol. 3A; Intel's L1TF guidance). */
#define L1D_FLUSH_ORDER		4	/* 64 KiB: twice any L1D */
static u8 *l1d_flush_buf;		/* the software flush's, without FLUSH_CMD */
static bool l1d_flush_needed;

bool minivmm_verw_on __read_mostly;
bool minivmm_l1d_flush_on __read_mostly;
bool minivmm_vmscape_on __read_mostly;
bool minivmm_ibpb_on __read_mostly;

/* Fill the L1D with minivmm's own data: nothing of the host's stays. */
void minivmm_l1d_flush(void)
{
#if IS_ENABLED(CONFIG_KVM_INTEL)
	kvm_clear_cpu_l1tf_flush_l1d();
#endif
	unsigned int size = PAGE_SIZE << L1D_FLUSH_ORDER, i;

	if (static_cpu_has(X86_FEATURE_FLUSH_L1D)) {
		native_wrmsrl(MSR_IA32_FLUSH_CMD, L1D_FLUSH);
		return;
	}
	/* Each page once for the TLB, then every cache line (as KVM does). */
	for (i = 0; i < size; i += PAGE_SIZE)
		READ_ONCE(l1d_flush_buf[i]);
	for (i = 0; i < size; i += L1_CACHE_BYTES)
		READ_ONCE(l1d_flush_buf[i]);
}

/*
 * Has an interrupt or NMI handler run on this CPU since its last L1D
 * flush? The kernel's irq entry marks the CPU for KVM (irq_stat); without
 * that mark in this kernel, assume it has.
 */
bool minivmm_irq_ran_since_flush(void)
{
#if IS_ENABLED(CONFIG_KVM_INTEL)
	return kvm_get_cpu_l1tf_flush_l1d();
#else
	return true;
#endif
}

/*
 * Right after a VM exit, before the first RET that is not matched by a
 * CALL (vmenter.S): where the kernel protects itself with IBRS, the write
 * to SPEC_CTRL must happen at every entry to the kernel, a VM exit too.
 */
noinstr void minivmm_spec_ctrl_restore_host(void)
{
	if (cpu_feature_enabled(X86_FEATURE_KERNEL_IBRS))
		native_wrmsrl(MSR_IA32_SPEC_CTRL, this_cpu_read(x86_spec_ctrl_current));
}

/* A CPU switches to another VM's VMCS: no branch target of one guest for the next. */
void minivmm_ibpb_vm_switch(void)
{
	if (minivmm_ibpb_on)
		indirect_branch_prediction_barrier();
}

static bool l1tf_needs_flush(void)
{
	u64 caps = 0;

	if (!boot_cpu_has_bug(X86_BUG_L1TF) || l1tf_mitigation == L1TF_MITIGATION_OFF)
		return false;
	if (boot_cpu_has(X86_FEATURE_ARCH_CAPABILITIES))
		rdmsrl_safe(MSR_IA32_ARCH_CAPABILITIES, &caps);
	return !(caps & ARCH_CAP_SKIP_VMENTRY_L1DFLUSH);
}

/* Each mitigation: its name and state, for debugfs and the load message. */
static const char *state(bool needed, bool done)
{
	if (!needed)
		return "not needed";
	return done ? "on" : "off (minivmm.mitigations=0)";
}

static const struct {
	const char *name;
	int feature;		/* X86_FEATURE_*; -1: L1TF, -2: VERW */
	bool skippable;		/* turned off by mitigations=0 */
} table[] = {
	{ "verw", -2, true },
	{ "l1d_flush", -1, true },
	{ "rsb_fill", X86_FEATURE_RSB_VMEXIT, false },
	{ "pbrsb", X86_FEATURE_RSB_VMEXIT_LITE, false },
	{ "spec_ctrl", X86_FEATURE_KERNEL_IBRS, false },
	{ "bhb_clear", X86_FEATURE_CLEAR_BHB_LOOP_ON_VMEXIT, false },
	{ "ibpb_vm", X86_FEATURE_USE_IBPB, true },
	{ "vmscape_ibpb", X86_FEATURE_IBPB_EXIT_TO_USER, true },
};

static bool verw_needed(void)
{
	return boot_cpu_has(X86_FEATURE_CLEAR_CPU_BUF) ||
	       boot_cpu_has(X86_FEATURE_CLEAR_CPU_BUF_VM);
}

static bool needed(unsigned int i)
{
	if (table[i].feature == -2)
		return verw_needed();
	return table[i].feature < 0 ? l1d_flush_needed : boot_cpu_has(table[i].feature);
}

static int mitigations_show(struct seq_file *m, void *unused)
{
	unsigned int i;

	seq_puts(m, "# speculative-execution mitigations at VM entry and exit: on, off or not needed\n");
	for (i = 0; i < ARRAY_SIZE(table); i++)
		seq_printf(m, "%-13s %s\n", table[i].name,
			   state(needed(i), !table[i].skippable || minivmm_mitigations));
	return 0;
}
DEFINE_SHOW_ATTRIBUTE(mitigations);

void minivmm_mitigations_debugfs(struct dentry *dir)
{
	debugfs_create_file("mitigations", 0444, dir, NULL, &mitigations_fops);
}

int minivmm_mitigations_init(void)
{
	char on[128] = "", off[128] = "";
	unsigned int i;

	l1d_flush_needed = l1tf_needs_flush();
	if (l1d_flush_needed && !boot_cpu_has(X86_FEATURE_FLUSH_L1D)) {
		l1d_flush_buf = (u8 *)__get_free_pages(GFP_KERNEL | __GFP_ZERO, L1D_FLUSH_ORDER);
		if (!l1d_flush_buf)
			return -ENOMEM;
	}
	minivmm_verw_on = minivmm_mitigations && verw_needed();
	minivmm_l1d_flush_on = minivmm_mitigations && l1d_flush_needed;
	minivmm_vmscape_on = minivmm_mitigations && boot_cpu_has(X86_FEATURE_IBPB_EXIT_TO_USER);
	minivmm_ibpb_on = minivmm_mitigations && boot_cpu_has(X86_FEATURE_USE_IBPB);
	for (i = 0; i < ARRAY_SIZE(table); i++) {
		char *buf = needed(i) && (!table[i].skippable || minivmm_mitigations) ? on : off;

		if (needed(i) || buf == on)
			snprintf(buf + strlen(buf), sizeof(on) - strlen(buf), "%s%s",
				 buf[0] ? ", " : "", table[i].name);
	}
	pr_info("mitigations at VM entry and exit: %s%s%s\n", on[0] ? on : "none needed",
		off[0] ? "; off: " : "", off);
	return 0;
}

void minivmm_mitigations_exit(void)
{
	if (l1d_flush_buf)
		free_pages((unsigned long)l1d_flush_buf, L1D_FLUSH_ORDER);
}
