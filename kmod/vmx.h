/* SPDX-License-Identifier: GPL-2.0 */
/*
 * VMX capabilities and VMX operation (root mode) for minivmm.
 * Runs in VMX root mode / ordinary kernel context.
 *
 * SDM references are to the Intel 64 and IA-32 Architectures Software
 * Developer's Manual, order number 325462-080 (June 2023); chapters and
 * sections were renumbered in other editions.
 */
#ifndef MINIVMM_VMX_H
#define MINIVMM_VMX_H

#include <linux/types.h>
#include <asm/processor-flags.h>

/*
 * IA32_VMX_BASIC, SDM Vol. 3D, Appendix A.1.
 */
#define BASIC_REVISION_MASK		0x7fffffffULL
#define BASIC_REGION_SIZE(b)	(((b) >> 32) & 0x1fff)
#define BASIC_32BIT_PA		BIT_ULL(48)
#define BASIC_MEM_TYPE(b)		(((b) >> 50) & 0xf)
#define BASIC_MEM_TYPE_WB		6
#define BASIC_INOUT_INFO		BIT_ULL(54)
#define BASIC_TRUE_CTLS		BIT_ULL(55)

/* Primary processor-based VM-execution controls, SDM Vol. 3C, 25.6.2, Table 25-6. */
#define CPU_BASED_ACTIVATE_SECONDARY	BIT(31)

/* Secondary processor-based VM-execution controls, SDM Vol. 3C, 25.6.2, Table 25-7. */
#define SECONDARY_ENABLE_EPT		BIT(1)
#define SECONDARY_RDTSCP		BIT(3)	/* enable RDTSCP (and RDPID) */
#define SECONDARY_ENABLE_VPID		BIT(5)
#define SECONDARY_WBINVD		BIT(6)
#define SECONDARY_UNRESTRICTED_GUEST	BIT(7)

/* Pin-based and primary processor-based controls, SDM 25.6.1/25.6.2. */
#define PIN_BASED_EXT_INTR		BIT(0)
#define PIN_BASED_NMI			BIT(3)
#define PIN_BASED_VIRTUAL_NMIS		BIT(5)
#define PIN_BASED_PREEMPTION_TIMER	BIT(6)
#define CPU_BASED_INTR_WINDOW		BIT(2)	/* interrupt-window exiting */
#define CPU_BASED_USE_TSC_OFFSET	BIT(3)
#define CPU_BASED_HLT			BIT(7)
#define CPU_BASED_MWAIT			BIT(10)
#define CPU_BASED_RDPMC			BIT(11)
#define CPU_BASED_CR8_LOAD		BIT(19)
#define CPU_BASED_CR8_STORE		BIT(20)
#define CPU_BASED_NMI_WINDOW		BIT(22)	/* NMI-window exiting */
#define CPU_BASED_MOV_DR		BIT(23)
#define CPU_BASED_UNCOND_IO		BIT(24)
#define CPU_BASED_MTF			BIT(27)	/* monitor trap flag */
#define CPU_BASED_MONITOR		BIT(29)

/* VM-exit controls, SDM 25.7.1, Table 25-13. */
#define VM_EXIT_HOST_ADDR_SPACE_SIZE	BIT(9)
#define VM_EXIT_SAVE_IA32_PAT		BIT(18)
#define VM_EXIT_LOAD_IA32_PAT		BIT(19)
#define VM_EXIT_SAVE_IA32_EFER		BIT(20)
#define VM_EXIT_LOAD_IA32_EFER		BIT(21)

/* VM-entry controls, SDM 25.8.1, Table 25-15. */
#define VM_ENTRY_LOAD_DEBUG_CONTROLS	BIT(2)
#define VM_ENTRY_IA32E_MODE		BIT(9)
#define VM_ENTRY_LOAD_IA32_PAT		BIT(14)
#define VM_ENTRY_LOAD_IA32_EFER		BIT(15)

/* IA32_VMX_EPT_VPID_CAP, SDM Vol. 3D, Appendix A.10. */
#define EPT_CAP_WALK_4			BIT_ULL(6)
#define EPT_CAP_MEMTYPE_WB		BIT_ULL(14)
#define EPT_CAP_2M_PAGE			BIT_ULL(16)
#define EPT_CAP_1G_PAGE			BIT_ULL(17)
#define EPT_CAP_INVEPT			BIT_ULL(20)
#define EPT_CAP_AD			BIT_ULL(21)
#define EPT_CAP_INVEPT_SINGLE		BIT_ULL(25)
#define EPT_CAP_INVEPT_ALL		BIT_ULL(26)
#define VPID_CAP_INVVPID		BIT_ULL(32)
#define VPID_CAP_INVVPID_SINGLE		BIT_ULL(41)
#define VPID_CAP_INVVPID_ALL		BIT_ULL(42)

/*
 * What this CPU offers and what minivmm will use, computed once at module
 * load from the capability MSRs (SDM Vol. 3D, Appendix A).
 */
struct vmx_config {
	u32 revision_id;	/* written at the start of VMXON and VMCS regions */
	u32 region_size;	/* bytes of a VMXON/VMCS region */
	bool true_ctls;		/* IA32_VMX_TRUE_*_CTLS exist */
	u32 pin_based;		/* pin-based VM-execution controls */
	u32 cpu_based;		/* primary processor-based controls */
	u32 secondary;		/* secondary processor-based controls */
	u32 exit_ctls;		/* VM-exit controls */
	u32 entry_ctls;		/* VM-entry controls (IA-32e mode set per entry) */
	u64 cr0_fixed0, cr0_fixed1;	/* SDM A.7: CR0 bits fixed in VMX operation */
	u64 cr4_fixed0, cr4_fixed1;	/* SDM A.8: the same for CR4 */
	u32 preemption_ticks;	/* VMX-preemption timer value for about 1 ms */
	u64 ept_vpid_cap;	/* IA32_VMX_EPT_VPID_CAP */
	bool mtf;		/* the monitor trap flag may be set (single-step) */
	bool vnmi;		/* virtual NMIs and NMI-window exiting: NMI injection */
};

extern struct vmx_config vmx_cfg;

static inline bool cpu_has_vpid(void)
{
	return vmx_cfg.secondary & SECONDARY_ENABLE_VPID;
}

static inline bool cpu_has_ept_ad(void)
{
	return vmx_cfg.ept_vpid_cap & EPT_CAP_AD;
}

/*
 * CR0 and CR4 bits VMX operation forces to 1 or to 0 (SDM A.7, A.8), CR0's
 * relaxed by unrestricted guest (SDM 26.3.1.1): the guest runs with them
 * forced and sees its own values through the read shadows (shadow.c).
 */
static inline unsigned long vmx_cr0_must1(void)
{
	return vmx_cfg.cr0_fixed0 & ~(X86_CR0_PE | X86_CR0_PG);
}

static inline unsigned long vmx_cr0_must0(void)
{
	return ~vmx_cfg.cr0_fixed1 & 0xffffffffUL;
}

static inline unsigned long vmx_cr4_must1(void)
{
	return vmx_cfg.cr4_fixed0;
}

static inline unsigned long vmx_cr4_must0(void)
{
	return ~vmx_cfg.cr4_fixed1 & 0xffffffffUL;
}

/*
 * The CR4 bits a guest may own (set without an exit, where the CPU has
 * them): their effect stays inside the guest. Every other bit traps when
 * the guest changes it and is refused: PKE (WRPKRU would write the host
 * thread's PKRU), CET (the shadow-stack MSRs are the host's), LA57 (the
 * page walk minivmm emulates with is 4-level), VMXE (no nested VMX) and
 * bits future CPUs define (SDM Vol. 3A 2.5).
 */
#define MINIVMM_CR4_GUEST_BITS						\
	(X86_CR4_VME | X86_CR4_PVI | X86_CR4_TSD | X86_CR4_DE |		\
	 X86_CR4_PSE | X86_CR4_PAE | X86_CR4_MCE | X86_CR4_PGE |	\
	 X86_CR4_PCE | X86_CR4_OSFXSR | X86_CR4_OSXMMEXCPT |		\
	 X86_CR4_UMIP | X86_CR4_FSGSBASE | X86_CR4_PCIDE |		\
	 X86_CR4_OSXSAVE | X86_CR4_SMEP | X86_CR4_SMAP)

/*
 * CR0.CD and NW would disable the host CPU's caches while the guest runs:
 * the guest sees them in its read shadow, the CPU runs with them clear
 * (guest memory is write-back in the EPT whatever the guest asks).
 */
#define MINIVMM_CR0_SHADOWED	(X86_CR0_CD | X86_CR0_NW)

/* CR0 and CR4 bits whose changes trap (the guest/host masks, SDM 25.6.6). */
static inline unsigned long vmx_cr0_guest_host_mask(void)
{
	return vmx_cr0_must1() | vmx_cr0_must0() | MINIVMM_CR0_SHADOWED;
}

static inline unsigned long vmx_cr4_guest_host_mask(void)
{
	return vmx_cr4_must1() | vmx_cr4_must0() | ~(unsigned long)MINIVMM_CR4_GUEST_BITS;
}

int vmx_check_and_setup(void);
/*
 * clear_cpu runs on each CPU before its VMXOFF, with interrupts off: the
 * layer above makes the VMCSs active there inactive (vmcs.c).
 */
int vmx_init(void (*clear_cpu)(void));
void vmx_exit(void);

/* Reference-counted VMX operation on every online CPU (VMXON/VMXOFF). */
int vmx_get(void);
void vmx_put(void);

#endif /* MINIVMM_VMX_H */
