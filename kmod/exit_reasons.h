/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The one list of VMX basic exit reasons (SDM Vol. 3D, Appendix C, Table
 * C-1), and of the exits RUN returns to userspace (MINIVMM_EXIT_* in the
 * uapi header). Everything that names an exit is generated from here: the
 * module's EXIT_REASON_* constants, its tracepoints and exit-path profile,
 * and vmm's --stats and --trace. Pure preprocessor: included by the module
 * and by vmm.
 *
 * X(number, CONSTANT, "name"): CONSTANT becomes EXIT_REASON_CONSTANT.
 */
#ifndef MINIVMM_EXIT_REASONS_H
#define MINIVMM_EXIT_REASONS_H

#define VMX_EXIT_REASONS(X)						\
	X(0, EXCEPTION_NMI, "exception_nmi")				\
	X(1, EXTERNAL_INTERRUPT, "external_interrupt")			\
	X(2, TRIPLE_FAULT, "triple_fault")				\
	X(3, INIT_SIGNAL, "init_signal")				\
	X(4, SIPI, "sipi")						\
	X(5, IO_SMI, "io_smi")						\
	X(6, OTHER_SMI, "other_smi")					\
	X(7, INTERRUPT_WINDOW, "interrupt_window")			\
	X(8, NMI_WINDOW, "nmi_window")					\
	X(9, TASK_SWITCH, "task_switch")				\
	X(10, CPUID, "cpuid")						\
	X(11, GETSEC, "getsec")						\
	X(12, HLT, "hlt")						\
	X(13, INVD, "invd")						\
	X(14, INVLPG, "invlpg")						\
	X(15, RDPMC, "rdpmc")						\
	X(16, RDTSC, "rdtsc")						\
	X(17, RSM, "rsm")						\
	X(18, VMCALL, "vmcall")						\
	X(19, VMCLEAR, "vmclear")					\
	X(20, VMLAUNCH, "vmlaunch")					\
	X(21, VMPTRLD, "vmptrld")					\
	X(22, VMPTRST, "vmptrst")					\
	X(23, VMREAD, "vmread")						\
	X(24, VMRESUME, "vmresume")					\
	X(25, VMWRITE, "vmwrite")					\
	X(26, VMXOFF, "vmxoff")						\
	X(27, VMXON, "vmxon")						\
	X(28, CR_ACCESS, "cr_access")					\
	X(29, DR_ACCESS, "dr_access")					\
	X(30, IO_INSTRUCTION, "io")					\
	X(31, MSR_READ, "rdmsr")					\
	X(32, MSR_WRITE, "wrmsr")					\
	X(33, INVALID_STATE, "invalid_guest_state")			\
	X(34, MSR_LOAD_FAIL, "msr_loading")				\
	X(36, MWAIT, "mwait")						\
	X(37, MTF, "monitor_trap_flag")					\
	X(39, MONITOR, "monitor")					\
	X(40, PAUSE, "pause")						\
	X(41, MCE_DURING_ENTRY, "machine_check")			\
	X(43, TPR_BELOW_THRESHOLD, "tpr_below_threshold")		\
	X(44, APIC_ACCESS, "apic_access")				\
	X(45, VIRTUALIZED_EOI, "virtualized_eoi")			\
	X(46, GDTR_IDTR, "gdtr_idtr")					\
	X(47, LDTR_TR, "ldtr_tr")					\
	X(48, EPT_VIOLATION, "ept_violation")				\
	X(49, EPT_MISCONFIG, "ept_misconfig")				\
	X(50, INVEPT, "invept")						\
	X(51, RDTSCP, "rdtscp")						\
	X(52, PREEMPTION_TIMER, "preemption_timer")			\
	X(53, INVVPID, "invvpid")					\
	X(54, WBINVD, "wbinvd")						\
	X(55, XSETBV, "xsetbv")						\
	X(56, APIC_WRITE, "apic_write")					\
	X(57, RDRAND, "rdrand")						\
	X(58, INVPCID, "invpcid")					\
	X(59, VMFUNC, "vmfunc")						\
	X(60, ENCLS, "encls")						\
	X(61, RDSEED, "rdseed")						\
	X(62, PML_FULL, "pml_full")					\
	X(63, XSAVES, "xsaves")						\
	X(64, XRSTORS, "xrstors")					\
	X(65, PCONFIG, "pconfig")

/* The exits RUN returns to userspace: X(MINIVMM_EXIT_ number, "name"). */
#define MINIVMM_USER_EXITS(X)						\
	X(0, "unknown")							\
	X(1, "io")							\
	X(2, "mmio")							\
	X(3, "hlt")							\
	X(4, "shutdown")						\
	X(5, "hypercall")						\
	X(6, "fail_entry")						\
	X(7, "internal_error")						\
	X(8, "intr")							\
	X(9, "debug")

/* Ready-made expansions. */
#define EXIT_REASON_ENUM_(n, c, s)	EXIT_REASON_##c = (n),
#define EXIT_REASON_NAME_(n, c, s)	[n] = s,
#define EXIT_REASON_SYM_(n, c, s)	{ n, s },
#define USER_EXIT_NAME_(n, s)		[n] = s,
#define USER_EXIT_SYM_(n, s)		{ n, s },

#endif /* MINIVMM_EXIT_REASONS_H */
