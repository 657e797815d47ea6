/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The one list of VMX basic exit reasons (SDM Vol. 3D, Appendix C, Table
 * C-1) and their names, and the names of the exits RUN returns to
 * userspace (MINIVMM_EXIT_* in the uapi header). Everything that names an
 * exit uses these: the module's exit table, tracepoints and exit-path
 * profile, and vmm's --stats. Pure preprocessor: included by the module
 * and by vmm.
 */
#ifndef MINIVMM_EXIT_REASONS_H
#define MINIVMM_EXIT_REASONS_H

#include <linux/minivmm.h>

#define EXIT_REASON_EXCEPTION_NMI	0
#define EXIT_REASON_EXTERNAL_INTERRUPT	1
#define EXIT_REASON_TRIPLE_FAULT	2
#define EXIT_REASON_INIT_SIGNAL		3
#define EXIT_REASON_SIPI		4
#define EXIT_REASON_IO_SMI		5
#define EXIT_REASON_OTHER_SMI		6
#define EXIT_REASON_INTERRUPT_WINDOW	7
#define EXIT_REASON_NMI_WINDOW		8
#define EXIT_REASON_TASK_SWITCH		9
#define EXIT_REASON_CPUID		10
#define EXIT_REASON_GETSEC		11
#define EXIT_REASON_HLT			12
#define EXIT_REASON_INVD		13
#define EXIT_REASON_INVLPG		14
#define EXIT_REASON_RDPMC		15
#define EXIT_REASON_RDTSC		16
#define EXIT_REASON_RSM			17
#define EXIT_REASON_VMCALL		18
#define EXIT_REASON_VMCLEAR		19
#define EXIT_REASON_VMLAUNCH		20
#define EXIT_REASON_VMPTRLD		21
#define EXIT_REASON_VMPTRST		22
#define EXIT_REASON_VMREAD		23
#define EXIT_REASON_VMRESUME		24
#define EXIT_REASON_VMWRITE		25
#define EXIT_REASON_VMXOFF		26
#define EXIT_REASON_VMXON		27
#define EXIT_REASON_CR_ACCESS		28
#define EXIT_REASON_DR_ACCESS		29
#define EXIT_REASON_IO_INSTRUCTION	30
#define EXIT_REASON_MSR_READ		31
#define EXIT_REASON_MSR_WRITE		32
#define EXIT_REASON_INVALID_STATE	33
#define EXIT_REASON_MSR_LOAD_FAIL	34
#define EXIT_REASON_MWAIT		36
#define EXIT_REASON_MTF			37
#define EXIT_REASON_MONITOR		39
#define EXIT_REASON_PAUSE		40
#define EXIT_REASON_MCE_DURING_ENTRY	41
#define EXIT_REASON_TPR_BELOW_THRESHOLD	43
#define EXIT_REASON_APIC_ACCESS		44
#define EXIT_REASON_VIRTUALIZED_EOI	45
#define EXIT_REASON_GDTR_IDTR		46
#define EXIT_REASON_LDTR_TR		47
#define EXIT_REASON_EPT_VIOLATION	48
#define EXIT_REASON_EPT_MISCONFIG	49
#define EXIT_REASON_INVEPT		50
#define EXIT_REASON_RDTSCP		51
#define EXIT_REASON_PREEMPTION_TIMER	52
#define EXIT_REASON_INVVPID		53
#define EXIT_REASON_WBINVD		54
#define EXIT_REASON_XSETBV		55
#define EXIT_REASON_APIC_WRITE		56
#define EXIT_REASON_RDRAND		57
#define EXIT_REASON_INVPCID		58
#define EXIT_REASON_VMFUNC		59
#define EXIT_REASON_ENCLS		60
#define EXIT_REASON_RDSEED		61
#define EXIT_REASON_PML_FULL		62
#define EXIT_REASON_XSAVES		63
#define EXIT_REASON_XRSTORS		64
#define EXIT_REASON_PCONFIG		65
#define EXIT_REASON_MAX			65

/* Names by reason, as initializers of an array of strings. */
#define VMX_EXIT_REASON_NAMES						\
	[EXIT_REASON_EXCEPTION_NMI] = "exception_nmi", \
	[EXIT_REASON_EXTERNAL_INTERRUPT] = "external_interrupt", \
	[EXIT_REASON_TRIPLE_FAULT] = "triple_fault", \
	[EXIT_REASON_INIT_SIGNAL] = "init_signal", \
	[EXIT_REASON_SIPI] = "sipi", \
	[EXIT_REASON_IO_SMI] = "io_smi", \
	[EXIT_REASON_OTHER_SMI] = "other_smi", \
	[EXIT_REASON_INTERRUPT_WINDOW] = "interrupt_window", \
	[EXIT_REASON_NMI_WINDOW] = "nmi_window", \
	[EXIT_REASON_TASK_SWITCH] = "task_switch", \
	[EXIT_REASON_CPUID] = "cpuid", \
	[EXIT_REASON_GETSEC] = "getsec", \
	[EXIT_REASON_HLT] = "hlt", \
	[EXIT_REASON_INVD] = "invd", \
	[EXIT_REASON_INVLPG] = "invlpg", \
	[EXIT_REASON_RDPMC] = "rdpmc", \
	[EXIT_REASON_RDTSC] = "rdtsc", \
	[EXIT_REASON_RSM] = "rsm", \
	[EXIT_REASON_VMCALL] = "vmcall", \
	[EXIT_REASON_VMCLEAR] = "vmclear", \
	[EXIT_REASON_VMLAUNCH] = "vmlaunch", \
	[EXIT_REASON_VMPTRLD] = "vmptrld", \
	[EXIT_REASON_VMPTRST] = "vmptrst", \
	[EXIT_REASON_VMREAD] = "vmread", \
	[EXIT_REASON_VMRESUME] = "vmresume", \
	[EXIT_REASON_VMWRITE] = "vmwrite", \
	[EXIT_REASON_VMXOFF] = "vmxoff", \
	[EXIT_REASON_VMXON] = "vmxon", \
	[EXIT_REASON_CR_ACCESS] = "cr_access", \
	[EXIT_REASON_DR_ACCESS] = "dr_access", \
	[EXIT_REASON_IO_INSTRUCTION] = "io", \
	[EXIT_REASON_MSR_READ] = "rdmsr", \
	[EXIT_REASON_MSR_WRITE] = "wrmsr", \
	[EXIT_REASON_INVALID_STATE] = "invalid_guest_state", \
	[EXIT_REASON_MSR_LOAD_FAIL] = "msr_loading", \
	[EXIT_REASON_MWAIT] = "mwait", \
	[EXIT_REASON_MTF] = "monitor_trap_flag", \
	[EXIT_REASON_MONITOR] = "monitor", \
	[EXIT_REASON_PAUSE] = "pause", \
	[EXIT_REASON_MCE_DURING_ENTRY] = "machine_check", \
	[EXIT_REASON_TPR_BELOW_THRESHOLD] = "tpr_below_threshold", \
	[EXIT_REASON_APIC_ACCESS] = "apic_access", \
	[EXIT_REASON_VIRTUALIZED_EOI] = "virtualized_eoi", \
	[EXIT_REASON_GDTR_IDTR] = "gdtr_idtr", \
	[EXIT_REASON_LDTR_TR] = "ldtr_tr", \
	[EXIT_REASON_EPT_VIOLATION] = "ept_violation", \
	[EXIT_REASON_EPT_MISCONFIG] = "ept_misconfig", \
	[EXIT_REASON_INVEPT] = "invept", \
	[EXIT_REASON_RDTSCP] = "rdtscp", \
	[EXIT_REASON_PREEMPTION_TIMER] = "preemption_timer", \
	[EXIT_REASON_INVVPID] = "invvpid", \
	[EXIT_REASON_WBINVD] = "wbinvd", \
	[EXIT_REASON_XSETBV] = "xsetbv", \
	[EXIT_REASON_APIC_WRITE] = "apic_write", \
	[EXIT_REASON_RDRAND] = "rdrand", \
	[EXIT_REASON_INVPCID] = "invpcid", \
	[EXIT_REASON_VMFUNC] = "vmfunc", \
	[EXIT_REASON_ENCLS] = "encls", \
	[EXIT_REASON_RDSEED] = "rdseed", \
	[EXIT_REASON_PML_FULL] = "pml_full", \
	[EXIT_REASON_XSAVES] = "xsaves", \
	[EXIT_REASON_XRSTORS] = "xrstors", \
	[EXIT_REASON_PCONFIG] = "pconfig",

/* Names of the MINIVMM_EXIT_* exits, the same way. */
#define MINIVMM_USER_EXIT_NAMES						\
	[MINIVMM_EXIT_UNKNOWN] = "unknown", \
	[MINIVMM_EXIT_IO] = "io", \
	[MINIVMM_EXIT_MMIO] = "mmio", \
	[MINIVMM_EXIT_HLT] = "hlt", \
	[MINIVMM_EXIT_SHUTDOWN] = "shutdown", \
	[MINIVMM_EXIT_HYPERCALL] = "hypercall", \
	[MINIVMM_EXIT_FAIL_ENTRY] = "fail_entry", \
	[MINIVMM_EXIT_INTERNAL_ERROR] = "internal_error", \
	[MINIVMM_EXIT_INTR] = "intr", \
	[MINIVMM_EXIT_DEBUG] = "debug", \
	[MINIVMM_EXIT_IRQ_WINDOW_OPEN] = "irq_window_open",

#endif /* MINIVMM_EXIT_REASONS_H */
