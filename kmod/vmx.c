// SPDX-License-Identifier: GPL-2.0
/*
 * VMX capability checks and VMX operation: VMXON/VMXOFF on every CPU.
 *
 * Runs in ordinary kernel context; VMXON puts a CPU into VMX root mode, the
 * mode a hypervisor runs in (SDM Vol. 3C, 24.3 "Introduction to VMX
 * operation"). minivmm turns VMX on only while at least one VM exists, so
 * that another hypervisor (kvm_intel on Linux 6.1) can own VMX in between.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/cpu.h>
#include <linux/cpuhotplug.h>
#include <linux/gfp.h>
#include <linux/kernel.h>
#include <linux/mm.h>
#include <linux/module.h>
#include <linux/mutex.h>
#include <linux/percpu.h>
#include <linux/reboot.h>
#include <linux/smp.h>
#include <linux/syscore_ops.h>
#include <asm/cpufeature.h>
#include <asm/io.h>
#include <asm/msr.h>
#include <asm/processor.h>
#include <asm/tlbflush.h>
#include <asm/tsc.h>

#include "minivmm.h"
#include "vmcs.h"
#include "vmx.h"
#include "vmx_ops.h"

struct vmx_config vmx_cfg __ro_after_init;

/* Per-CPU VMX state: the VMXON region and whether this CPU is in VMX operation. */
struct vmx_cpu {
	struct page *vmxon_region;
	bool on;
	int error;		/* result of the last enable attempt on this CPU */
};

static DEFINE_PER_CPU(struct vmx_cpu, vmx_cpu);

/*
 * vmx_users counts the VMs; VMX is on in every online CPU while it is
 * non-zero. Guarded by vmx_lock, taken inside cpus_read_lock() so that CPU
 * hotplug callbacks (which run with the hotplug lock held for writing) see a
 * stable value.
 */
static DEFINE_MUTEX(vmx_lock);
/* The layer above's per-CPU hook before VMXOFF (vmx_init()). */
static void (*vmx_clear_cpu)(void);
static unsigned int vmx_users;
static bool vmx_rebooting;
static enum cpuhp_state vmx_hp_state;

/* ---- Capability checks at module load (SDM Vol. 3D, Appendix A) ---- */

enum vmx_ctl {
	VMX_CTL_PIN, VMX_CTL_CPU, VMX_CTL_SECONDARY, VMX_CTL_EXIT, VMX_CTL_ENTRY,
	VMX_NR_CTLS
};

/* Controls minivmm cannot work without, named for the load-time message. */
static const struct {
	enum vmx_ctl ctl;
	u32 bit;
	const char *name;
} vmx_required[] = {
	{ VMX_CTL_PIN, PIN_BASED_EXT_INTR, "external-interrupt exiting" },
	{ VMX_CTL_PIN, PIN_BASED_NMI, "NMI exiting" },
	{ VMX_CTL_CPU, CPU_BASED_HLT, "HLT exiting" },
	/* RDTSC runs without an exit, offset for the guest (SDM 26.6.5). */
	{ VMX_CTL_CPU, CPU_BASED_USE_TSC_OFFSET, "use TSC offsetting" },
	/* Interrupts wait for the guest's IF (events.c). */
	{ VMX_CTL_CPU, CPU_BASED_INTR_WINDOW, "interrupt-window exiting" },
	/* MOV to/from CR8 would reach the host CPU's own TPR (SDM 26.1.3). */
	{ VMX_CTL_CPU, CPU_BASED_CR8_LOAD, "CR8-load exiting" },
	{ VMX_CTL_CPU, CPU_BASED_CR8_STORE, "CR8-store exiting" },
	{ VMX_CTL_CPU, CPU_BASED_MWAIT, "MWAIT exiting" },
	/* RDPMC would read the host's performance counters. */
	{ VMX_CTL_CPU, CPU_BASED_RDPMC, "RDPMC exiting" },
	/* The debug registers are the host's: the guest's are shadows. */
	{ VMX_CTL_CPU, CPU_BASED_MOV_DR, "MOV-DR exiting" },
	{ VMX_CTL_CPU, CPU_BASED_MONITOR, "MONITOR exiting" },
	{ VMX_CTL_CPU, CPU_BASED_UNCOND_IO, "unconditional I/O exiting" },
	{ VMX_CTL_CPU, CPU_BASED_ACTIVATE_SECONDARY, "secondary controls" },
	{ VMX_CTL_SECONDARY, SECONDARY_ENABLE_EPT, "EPT" },
	{ VMX_CTL_SECONDARY, SECONDARY_UNRESTRICTED_GUEST, "unrestricted guest" },
	/* WBINVD would flush every cache of the host CPU, for every task. */
	{ VMX_CTL_SECONDARY, SECONDARY_WBINVD, "WBINVD exiting" },
	{ VMX_CTL_EXIT, VM_EXIT_HOST_ADDR_SPACE_SIZE, "64-bit host on VM exit" },
	{ VMX_CTL_EXIT, VM_EXIT_SAVE_IA32_EFER, "save IA32_EFER on VM exit" },
	{ VMX_CTL_EXIT, VM_EXIT_LOAD_IA32_EFER, "load IA32_EFER on VM exit" },
	{ VMX_CTL_EXIT, VM_EXIT_LOAD_IA32_PAT, "load IA32_PAT on VM exit" },
	{ VMX_CTL_EXIT, VM_EXIT_SAVE_IA32_PAT, "save IA32_PAT on VM exit" },
	{ VMX_CTL_ENTRY, VM_ENTRY_LOAD_IA32_EFER, "load IA32_EFER on VM entry" },
	{ VMX_CTL_ENTRY, VM_ENTRY_LOAD_IA32_PAT, "load IA32_PAT on VM entry" },
	/* The guest runs with DR7 and DEBUGCTL from the VMCS, never the host's. */
	{ VMX_CTL_ENTRY, VM_ENTRY_LOAD_DEBUG_CONTROLS, "load debug controls on VM entry" },
	{ VMX_CTL_ENTRY, VM_ENTRY_IA32E_MODE, "IA-32e mode guest" },
};

/* Used when offered. */
static const u32 vmx_optional[VMX_NR_CTLS] = {
	[VMX_CTL_SECONDARY] = SECONDARY_ENABLE_VPID | SECONDARY_RDTSCP,
	[VMX_CTL_PIN] = PIN_BASED_PREEMPTION_TIMER,
};

/* EPT features required, SDM Vol. 3D, A.10. */
static const struct {
	u64 bit;
	const char *name;
} ept_required[] = {
	{ EPT_CAP_WALK_4, "EPT 4-level walk" },
	{ EPT_CAP_MEMTYPE_WB, "EPT write-back memory type" },
	{ EPT_CAP_INVEPT, "INVEPT" },
};

/* Append ", name" (or "name") to a message buffer. */
static void add_missing(char *buf, size_t size, const char *name)
{
	size_t len = strlen(buf);

	scnprintf(buf + len, size - len, "%s%s", len ? ", " : "", name);
}

/*
 * Check that this CPU can run minivmm and compute vmx_cfg. On failure, print
 * one line that names everything missing and return -EOPNOTSUPP.
 */
int __init vmx_check_and_setup(void)
{
	static const u32 ctl_msr[VMX_NR_CTLS][2] = {
		/* plain MSR, "true" MSR (SDM A.3.1-A.3.3) */
		[VMX_CTL_PIN] = { MSR_IA32_VMX_PINBASED_CTLS,
				  MSR_IA32_VMX_TRUE_PINBASED_CTLS },
		[VMX_CTL_CPU] = { MSR_IA32_VMX_PROCBASED_CTLS,
				  MSR_IA32_VMX_TRUE_PROCBASED_CTLS },
		[VMX_CTL_SECONDARY] = { MSR_IA32_VMX_PROCBASED_CTLS2,
					MSR_IA32_VMX_PROCBASED_CTLS2 },
		[VMX_CTL_EXIT] = { MSR_IA32_VMX_EXIT_CTLS,
				   MSR_IA32_VMX_TRUE_EXIT_CTLS },
		[VMX_CTL_ENTRY] = { MSR_IA32_VMX_ENTRY_CTLS,
				    MSR_IA32_VMX_TRUE_ENTRY_CTLS },
	};
	u32 allowed0[VMX_NR_CTLS], allowed1[VMX_NR_CTLS], want[VMX_NR_CTLS] = { 0 };
	char missing[256] = "";
	u64 feat, basic, misc;
	int i;

	/* SDM 24.6 "Discovering support for VMX": CPUID.1:ECX.VMX[bit 5]. */
	if (!(cpuid_ecx(1) & BIT(5))) {
		pr_err("cannot load: this CPU has no VMX (CPUID.1:ECX.VMX[bit 5] = 0); on a virtual machine, enable nested virtualization\n");
		return -EOPNOTSUPP;
	}

	/* SDM 24.7: VMXON is allowed only if firmware locked it on. */
	if (rdmsrl_safe(MSR_IA32_FEAT_CTL, &feat) ||
	    !(feat & FEAT_CTL_LOCKED) ||
	    !(feat & FEAT_CTL_VMX_ENABLED_OUTSIDE_SMX)) {
		pr_err("cannot load: VMX is disabled by firmware (IA32_FEATURE_CONTROL = %#llx, needs lock bit 0 and VMX-outside-SMX bit 2): enable VT-x in the BIOS\n",
		       feat);
		return -EOPNOTSUPP;
	}

	if (rdmsrl_safe(MSR_IA32_VMX_BASIC, &basic)) {
		pr_err("cannot load: IA32_VMX_BASIC is not readable\n");
		return -EOPNOTSUPP;
	}
	vmx_cfg.revision_id = basic & BASIC_REVISION_MASK;
	vmx_cfg.region_size = BASIC_REGION_SIZE(basic);
	vmx_cfg.true_ctls = basic & BASIC_TRUE_CTLS;
	if (vmx_cfg.region_size > PAGE_SIZE)
		add_missing(missing, sizeof(missing), "VMCS region within 4 KiB");
	if (BASIC_MEM_TYPE(basic) != BASIC_MEM_TYPE_WB)
		add_missing(missing, sizeof(missing), "write-back VMCS memory type");
	if (basic & BASIC_32BIT_PA)
		add_missing(missing, sizeof(missing), "64-bit VMX physical addresses");

	/*
	 * SDM A.3: bits 31:0 of a control MSR are the allowed 0-settings (a 1
	 * there means the control must be 1), bits 63:32 the allowed
	 * 1-settings. The secondary controls exist only if the primary
	 * controls allow "activate secondary controls" to be 1.
	 */
	for (i = 0; i < VMX_NR_CTLS; i++) {
		u64 v = 0;

		if (i == VMX_CTL_SECONDARY &&
		    !(allowed1[VMX_CTL_CPU] & CPU_BASED_ACTIVATE_SECONDARY)) {
			allowed0[i] = 0;
			allowed1[i] = 0;
			continue;
		}
		if (rdmsrl_safe(ctl_msr[i][vmx_cfg.true_ctls], &v))
			v = 0;
		allowed0[i] = lower_32_bits(v);
		allowed1[i] = upper_32_bits(v);
	}
	for (i = 0; i < ARRAY_SIZE(vmx_required); i++) {
		if (allowed1[vmx_required[i].ctl] & vmx_required[i].bit)
			want[vmx_required[i].ctl] |= vmx_required[i].bit;
		else
			add_missing(missing, sizeof(missing), vmx_required[i].name);
	}
	for (i = 0; i < VMX_NR_CTLS; i++)
		want[i] = (want[i] | (vmx_optional[i] & allowed1[i])) | allowed0[i];
	vmx_cfg.mtf = allowed1[VMX_CTL_CPU] & CPU_BASED_MTF;
	/* NMI injection needs the guest's NMI blocking tracked (SDM 25.6.1). */
	vmx_cfg.vnmi = (allowed1[VMX_CTL_PIN] & PIN_BASED_VIRTUAL_NMIS) &&
		       (allowed1[VMX_CTL_CPU] & CPU_BASED_NMI_WINDOW);
	if (vmx_cfg.vnmi)
		want[VMX_CTL_PIN] |= PIN_BASED_VIRTUAL_NMIS;
	vmx_cfg.pin_based = want[VMX_CTL_PIN];
	vmx_cfg.cpu_based = want[VMX_CTL_CPU] & ~CPU_BASED_INTR_WINDOW;
	vmx_cfg.secondary = want[VMX_CTL_SECONDARY];
	vmx_cfg.exit_ctls = want[VMX_CTL_EXIT];
	/* IA-32e mode guest follows the guest's EFER.LMA at each entry. */
	vmx_cfg.entry_ctls = want[VMX_CTL_ENTRY] & ~VM_ENTRY_IA32E_MODE;
	/*
	 * The VMX-preemption timer counts down at the TSC rate divided by
	 * 2^IA32_VMX_MISC[4:0] (SDM 26.5.1, A.6): about 1 ms of guest time.
	 */
	if (!rdmsrl_safe(MSR_IA32_VMX_MISC, &misc))
		vmx_cfg.preemption_ticks = max_t(u64, 1000,
						 min_t(u64, tsc_khz >> (misc & 0x1f), U32_MAX));
	else
		vmx_cfg.pin_based &= ~PIN_BASED_PREEMPTION_TIMER;
	rdmsrl(MSR_IA32_VMX_CR0_FIXED0, vmx_cfg.cr0_fixed0);
	rdmsrl(MSR_IA32_VMX_CR0_FIXED1, vmx_cfg.cr0_fixed1);
	rdmsrl(MSR_IA32_VMX_CR4_FIXED0, vmx_cfg.cr4_fixed0);
	rdmsrl(MSR_IA32_VMX_CR4_FIXED1, vmx_cfg.cr4_fixed1);

	if (allowed1[VMX_CTL_SECONDARY] & SECONDARY_ENABLE_EPT) {
		if (rdmsrl_safe(MSR_IA32_VMX_EPT_VPID_CAP, &vmx_cfg.ept_vpid_cap))
			vmx_cfg.ept_vpid_cap = 0;
		for (i = 0; i < ARRAY_SIZE(ept_required); i++)
			if (!(vmx_cfg.ept_vpid_cap & ept_required[i].bit))
				add_missing(missing, sizeof(missing), ept_required[i].name);
		if (!(vmx_cfg.ept_vpid_cap & (EPT_CAP_INVEPT_SINGLE | EPT_CAP_INVEPT_ALL)))
			add_missing(missing, sizeof(missing), "INVEPT single- or all-context");
	}
	/* VPID is used only together with single-context INVVPID. */
	if (!(vmx_cfg.ept_vpid_cap & VPID_CAP_INVVPID) ||
	    !(vmx_cfg.ept_vpid_cap & VPID_CAP_INVVPID_SINGLE))
		vmx_cfg.secondary &= ~SECONDARY_ENABLE_VPID;

	if (missing[0]) {
		pr_err("cannot load: the CPU's VMX lacks what minivmm requires: %s\n",
		       missing);
		return -EOPNOTSUPP;
	}
	return 0;
}

/*
 * A failed VMREAD/VMWRITE (vmcs.h) is a minivmm bug: report it, once. One
 * that faulted because a reboot turned VMX off under a running VCPU is
 * expected (as in KVM): the VCPU's next entry fails and RUN returns.
 */
void vmcs_error(const char *insn, unsigned long field, unsigned long value, bool fault)
{
	if (fault && READ_ONCE(vmx_rebooting))
		return;
	WARN_ONCE(1, "%s %s: field %#lx, value %#lx\n", insn,
		  fault ? "faulted" : "failed", field, value);
}

/* ---- VMX operation on one CPU (SDM Vol. 3C, 24.7 and 25.11.5) ---- */

/* Enter VMX root mode on this CPU. Called with interrupts off. */
static int vmx_cpu_enable(void)
{
	struct vmx_cpu *vc = this_cpu_ptr(&vmx_cpu);
	int r;

	if (vc->on)
		return 0;
	/*
	 * CR4.VMXE already set means another hypervisor is in VMX operation
	 * here: VMXON would fail, and turning VMX off later would break it.
	 */
	if (cr4_read_shadow() & X86_CR4_VMXE)
		return -EBUSY;

	cr4_set_bits_irqsoff(X86_CR4_VMXE);
	r = vmx_vmxon(page_to_phys(vc->vmxon_region));
	if (r) {
		cr4_clear_bits_irqsoff(X86_CR4_VMXE);
		return r;
	}
	vc->on = true;
	atomic_inc(&minivmm_stats.vmxon_cpus);
	return 0;
}

/* Leave VMX operation on this CPU. Called with interrupts off. */
static void vmx_cpu_disable(void)
{
	struct vmx_cpu *vc = this_cpu_ptr(&vmx_cpu);

	if (!vc->on)
		return;
	/* VMCSs still active here go back to memory first (SDM 25.11.1). */
	vmx_clear_cpu();
	if (vmx_vmxoff())
		pr_err_ratelimited("VMXOFF failed on CPU %d\n", smp_processor_id());
	cr4_clear_bits_irqsoff(X86_CR4_VMXE);
	vc->on = false;
	atomic_dec(&minivmm_stats.vmxon_cpus);
}

static void vmx_cpu_enable_ipi(void *unused)
{
	this_cpu_ptr(&vmx_cpu)->error = vmx_cpu_enable();
}

static void vmx_cpu_disable_ipi(void *unused)
{
	vmx_cpu_disable();
}

static void vmx_report_busy(int cpu, int err)
{
	if (err == -EBUSY)
		pr_err_ratelimited("cannot create VM: CPU %d is already in VMX operation (CR4.VMXE set), another hypervisor owns VMX (kvm_intel on Linux 6.12+ takes it at load): unload kvm_intel, or load kvm with enable_virt_at_load=0\n",
				   cpu);
	else
		pr_err_ratelimited("cannot create VM: VMXON failed on CPU %d (%d)\n",
				   cpu, err);
}

/*
 * Turn VMX on in every online CPU for the first VM, count the others.
 * Returns 0 or -EBUSY (another hypervisor owns VMX) or -EIO.
 */
int vmx_get(void)
{
	int cpu, err = 0;

	cpus_read_lock();
	mutex_lock(&vmx_lock);
	if (vmx_rebooting) {
		err = -EBUSY;
		goto out;
	}
	if (vmx_users == 0) {
		on_each_cpu(vmx_cpu_enable_ipi, NULL, 1);
		for_each_online_cpu(cpu) {
			int e = per_cpu_ptr(&vmx_cpu, cpu)->error;

			if (e) {
				vmx_report_busy(cpu, e);
				err = e == -EBUSY ? -EBUSY : -EIO;
				break;
			}
		}
		if (err) {
			on_each_cpu(vmx_cpu_disable_ipi, NULL, 1);
			goto out;
		}
	}
	vmx_users++;
out:
	mutex_unlock(&vmx_lock);
	cpus_read_unlock();
	return err;
}

/* Drop one VM's hold on VMX; the last one turns VMX off everywhere. */
void vmx_put(void)
{
	cpus_read_lock();
	mutex_lock(&vmx_lock);
	if (!WARN_ON_ONCE(vmx_users == 0) && --vmx_users == 0)
		on_each_cpu(vmx_cpu_disable_ipi, NULL, 1);
	mutex_unlock(&vmx_lock);
	cpus_read_unlock();
}

/* ---- CPU hotplug, reboot, suspend ---- */

/* A CPU comes online while VMs exist: it must enter VMX operation too. */
static int vmx_cpu_online(unsigned int cpu)
{
	unsigned long flags;
	int r = 0;

	if (!vmx_users)
		return 0;
	local_irq_save(flags);
	r = vmx_cpu_enable();
	local_irq_restore(flags);
	if (r)
		vmx_report_busy(cpu, r);
	return r;
}

static int vmx_cpu_offline(unsigned int cpu)
{
	unsigned long flags;

	local_irq_save(flags);
	vmx_cpu_disable();
	local_irq_restore(flags);
	return 0;
}

/* VMX operation blocks INIT (SDM 24.8): leave it before a reboot. */
static int vmx_reboot(struct notifier_block *nb, unsigned long code, void *p)
{
	mutex_lock(&vmx_lock);
	vmx_rebooting = true;
	on_each_cpu(vmx_cpu_disable_ipi, NULL, 1);
	mutex_unlock(&vmx_lock);
	return NOTIFY_OK;
}

static struct notifier_block vmx_reboot_nb = {
	.notifier_call = vmx_reboot,
};

/* Syscore callbacks run on the last CPU with interrupts off. */
static int vmx_suspend(void)
{
	vmx_cpu_disable();
	return 0;
}

static void vmx_resume(void)
{
	if (vmx_users && vmx_cpu_enable())
		pr_err("VMXON failed on resume\n");
}

static struct syscore_ops vmx_syscore_ops = {
	.suspend = vmx_suspend,
	.resume = vmx_resume,
};

/* Allocate the VMXON regions (SDM 25.11.5) and hook hotplug and reboot. */
int vmx_init(void (*clear_cpu)(void))
{
	int cpu, r;

	vmx_clear_cpu = clear_cpu;
	for_each_possible_cpu(cpu) {
		struct page *page = alloc_pages_node(cpu_to_node(cpu),
						     GFP_KERNEL | __GFP_ZERO, 0);

		if (!page) {
			r = -ENOMEM;
			goto out_free_regions;
		}
		/* The region starts with the VMCS revision identifier, bit 31 clear. */
		*(u32 *)page_address(page) = vmx_cfg.revision_id;
		per_cpu_ptr(&vmx_cpu, cpu)->vmxon_region = page;
	}

	r = cpuhp_setup_state_nocalls(CPUHP_AP_ONLINE_DYN, "minivmm:online",
				      vmx_cpu_online, vmx_cpu_offline);
	if (r < 0)
		goto out_free_regions;
	vmx_hp_state = r;

	register_reboot_notifier(&vmx_reboot_nb);
	register_syscore_ops(&vmx_syscore_ops);
	return 0;

out_free_regions:
	for_each_possible_cpu(cpu) {
		struct vmx_cpu *vc = per_cpu_ptr(&vmx_cpu, cpu);

		if (vc->vmxon_region)
			__free_page(vc->vmxon_region);
		vc->vmxon_region = NULL;
	}
	return r;
}

/* Called at unload, when no VM can exist (each VM fd holds the module). */
void vmx_exit(void)
{
	int cpu;

	unregister_syscore_ops(&vmx_syscore_ops);
	unregister_reboot_notifier(&vmx_reboot_nb);
	cpuhp_remove_state_nocalls(vmx_hp_state);
	for_each_possible_cpu(cpu) {
		struct vmx_cpu *vc = per_cpu_ptr(&vmx_cpu, cpu);

		WARN_ON_ONCE(vc->on);
		__free_page(vc->vmxon_region);
		vc->vmxon_region = NULL;
	}
}
