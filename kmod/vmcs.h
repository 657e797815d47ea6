/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The VMCS: field encodings (SDM Vol. 3D, Appendix B) and width-checked
 * accessors. Runs in VMX root mode with the VCPU's VMCS current.
 *
 * A field's encoding says its width (bits 14:13: 0 16-bit, 1 64-bit, 2
 * 32-bit, 3 natural width) and its area (bits 11:10: 0 control, 1
 * VM-exit information, 2 guest state, 3 host state). The accessors below
 * refuse to build when a field is read or written with the wrong width.
 */
#ifndef MINIVMM_VMCS_H
#define MINIVMM_VMCS_H

#include <linux/bits.h>
#include <linux/build_bug.h>
#include <linux/types.h>
#include <asm/asm.h>

#include "exit_reasons.h"

enum vmcs_field {
	/* 16-bit control fields */
	VIRTUAL_PROCESSOR_ID		= 0x0000,
	/* 16-bit guest-state fields: the guest's segment selectors */
	GUEST_ES_SELECTOR		= 0x0800,
	GUEST_CS_SELECTOR		= 0x0802,
	GUEST_SS_SELECTOR		= 0x0804,
	GUEST_DS_SELECTOR		= 0x0806,
	GUEST_FS_SELECTOR		= 0x0808,
	GUEST_GS_SELECTOR		= 0x080a,
	GUEST_LDTR_SELECTOR		= 0x080c,
	GUEST_TR_SELECTOR		= 0x080e,
	/* 16-bit host-state fields */
	HOST_ES_SELECTOR		= 0x0c00,
	HOST_CS_SELECTOR		= 0x0c02,
	HOST_SS_SELECTOR		= 0x0c04,
	HOST_DS_SELECTOR		= 0x0c06,
	HOST_FS_SELECTOR		= 0x0c08,
	HOST_GS_SELECTOR		= 0x0c0a,
	HOST_TR_SELECTOR		= 0x0c0c,
	/* 64-bit control fields */
	IO_BITMAP_A			= 0x2000,
	IO_BITMAP_B			= 0x2002,
	MSR_BITMAP			= 0x2004,
	TSC_OFFSET			= 0x2010,
	EPT_POINTER			= 0x201a,
	/* 64-bit read-only data field */
	GUEST_PHYSICAL_ADDRESS		= 0x2400,
	/* 64-bit guest-state fields */
	VMCS_LINK_POINTER		= 0x2800,
	GUEST_IA32_DEBUGCTL		= 0x2802,
	GUEST_IA32_PAT			= 0x2804,
	GUEST_IA32_EFER			= 0x2806,
	GUEST_PDPTR0			= 0x280a,
	GUEST_PDPTR1			= 0x280c,
	GUEST_PDPTR2			= 0x280e,
	GUEST_PDPTR3			= 0x2810,
	/* 64-bit host-state fields */
	HOST_IA32_PAT			= 0x2c00,
	HOST_IA32_EFER			= 0x2c02,
	/* 32-bit control fields */
	PIN_BASED_VM_EXEC_CONTROL	= 0x4000,
	CPU_BASED_VM_EXEC_CONTROL	= 0x4002,
	EXCEPTION_BITMAP		= 0x4004,
	PAGE_FAULT_ERROR_CODE_MASK	= 0x4006,
	PAGE_FAULT_ERROR_CODE_MATCH	= 0x4008,
	CR3_TARGET_COUNT		= 0x400a,
	VM_EXIT_CONTROLS		= 0x400c,
	VM_EXIT_MSR_STORE_COUNT		= 0x400e,
	VM_EXIT_MSR_LOAD_COUNT		= 0x4010,
	VM_ENTRY_CONTROLS		= 0x4012,
	VM_ENTRY_MSR_LOAD_COUNT		= 0x4014,
	VM_ENTRY_INTR_INFO_FIELD	= 0x4016,
	VM_ENTRY_EXCEPTION_ERROR_CODE	= 0x4018,
	VM_ENTRY_INSTRUCTION_LEN	= 0x401a,
	SECONDARY_VM_EXEC_CONTROL	= 0x401e,
	/* 32-bit read-only data fields (VM-exit information) */
	VM_INSTRUCTION_ERROR		= 0x4400,
	VM_EXIT_REASON			= 0x4402,
	VM_EXIT_INTR_INFO		= 0x4404,
	VM_EXIT_INTR_ERROR_CODE		= 0x4406,
	IDT_VECTORING_INFO_FIELD	= 0x4408,
	IDT_VECTORING_ERROR_CODE	= 0x440a,
	VM_EXIT_INSTRUCTION_LEN		= 0x440c,
	VMX_INSTRUCTION_INFO		= 0x440e,
	/* 32-bit guest-state fields */
	GUEST_ES_LIMIT			= 0x4800,
	GUEST_CS_LIMIT			= 0x4802,
	GUEST_SS_LIMIT			= 0x4804,
	GUEST_DS_LIMIT			= 0x4806,
	GUEST_FS_LIMIT			= 0x4808,
	GUEST_GS_LIMIT			= 0x480a,
	GUEST_LDTR_LIMIT		= 0x480c,
	GUEST_TR_LIMIT			= 0x480e,
	GUEST_GDTR_LIMIT		= 0x4810,
	GUEST_IDTR_LIMIT		= 0x4812,
	GUEST_ES_AR_BYTES		= 0x4814,
	GUEST_CS_AR_BYTES		= 0x4816,
	GUEST_SS_AR_BYTES		= 0x4818,
	GUEST_DS_AR_BYTES		= 0x481a,
	GUEST_FS_AR_BYTES		= 0x481c,
	GUEST_GS_AR_BYTES		= 0x481e,
	GUEST_LDTR_AR_BYTES		= 0x4820,
	GUEST_TR_AR_BYTES		= 0x4822,
	GUEST_INTERRUPTIBILITY_INFO	= 0x4824,
	GUEST_ACTIVITY_STATE		= 0x4826,
	GUEST_SYSENTER_CS		= 0x482a,
	VMX_PREEMPTION_TIMER_VALUE	= 0x482e,
	/* 32-bit host-state field */
	HOST_IA32_SYSENTER_CS		= 0x4c00,
	/* natural-width control fields */
	CR0_GUEST_HOST_MASK		= 0x6000,
	CR4_GUEST_HOST_MASK		= 0x6002,
	CR0_READ_SHADOW			= 0x6004,
	CR4_READ_SHADOW			= 0x6006,
	/* natural-width read-only data fields */
	EXIT_QUALIFICATION		= 0x6400,
	GUEST_LINEAR_ADDRESS		= 0x640a,
	/* natural-width guest-state fields */
	GUEST_CR0			= 0x6800,
	GUEST_CR3			= 0x6802,
	GUEST_CR4			= 0x6804,
	GUEST_ES_BASE			= 0x6806,
	GUEST_CS_BASE			= 0x6808,
	GUEST_SS_BASE			= 0x680a,
	GUEST_DS_BASE			= 0x680c,
	GUEST_FS_BASE			= 0x680e,
	GUEST_GS_BASE			= 0x6810,
	GUEST_LDTR_BASE			= 0x6812,
	GUEST_TR_BASE			= 0x6814,
	GUEST_GDTR_BASE			= 0x6816,
	GUEST_IDTR_BASE			= 0x6818,
	GUEST_DR7			= 0x681a,
	GUEST_RSP			= 0x681c,
	GUEST_RIP			= 0x681e,
	GUEST_RFLAGS			= 0x6820,
	GUEST_PENDING_DBG_EXCEPTIONS	= 0x6822,
	GUEST_SYSENTER_ESP		= 0x6824,
	GUEST_SYSENTER_EIP		= 0x6826,
	/* natural-width host-state fields */
	HOST_CR0			= 0x6c00,
	HOST_CR3			= 0x6c02,
	HOST_CR4			= 0x6c04,
	HOST_FS_BASE			= 0x6c06,
	HOST_GS_BASE			= 0x6c08,
	HOST_TR_BASE			= 0x6c0a,
	HOST_GDTR_BASE			= 0x6c0c,
	HOST_IDTR_BASE			= 0x6c0e,
	HOST_IA32_SYSENTER_ESP		= 0x6c10,
	HOST_IA32_SYSENTER_EIP		= 0x6c12,
	HOST_RSP			= 0x6c14,
	HOST_RIP			= 0x6c16,
};

#define VMCS_WIDTH(f)		(((f) >> 13) & 3)
#define VMCS_WIDTH_16		0
#define VMCS_WIDTH_64		1
#define VMCS_WIDTH_32		2
#define VMCS_WIDTH_NATURAL	3

/*
 * vmx.c: reports a failed VMREAD/VMWRITE (VMfail: a minivmm bug) or one
 * that faulted (#UD: VMX was turned off under a running VCPU, which only a
 * reboot does; quiet then).
 */
void vmcs_error(const char *insn, unsigned long field, unsigned long value, bool fault);

/*
 * VMREAD, SDM 31.3. A VMfail (CF or ZF: SETNA stores 1) or a fault (the
 * exception table skips the SETNA and leaves 2) is reported and reads as 0.
 */
static __always_inline unsigned long __vmcs_read(unsigned long field)
{
	unsigned long value;
	u8 r = 2;

	asm volatile("1: vmread %[field], %[value]\n\t"
		     "setna %[r]\n\t"
		     "2:\n\t"
		     _ASM_EXTABLE(1b, 2b)
		     : [value] "=rm" (value), [r] "+qm" (r)
		     : [field] "r" (field) : "cc");
	if (unlikely(r)) {
		vmcs_error("vmread", field, 0, r == 2);
		return 0;
	}
	return value;
}

/* VMWRITE, SDM 31.3, the same way. */
static __always_inline void __vmcs_write(unsigned long field, unsigned long value)
{
	u8 r = 2;

	asm volatile("1: vmwrite %[value], %[field]\n\t"
		     "setna %[r]\n\t"
		     "2:\n\t"
		     _ASM_EXTABLE(1b, 2b)
		     : [r] "+qm" (r)
		     : [field] "r" (field), [value] "rm" (value) : "cc");
	if (unlikely(r))
		vmcs_error("vmwrite", field, value, r == 2);
}

#define VMCS_CHECK(f, w) \
	BUILD_BUG_ON_MSG(__builtin_constant_p(f) && VMCS_WIDTH(f) != (w), \
			 "VMCS field accessed with the wrong width")

static __always_inline u16 vmcs_read16(enum vmcs_field f)
{
	VMCS_CHECK(f, VMCS_WIDTH_16);
	return __vmcs_read(f);
}

static __always_inline u32 vmcs_read32(enum vmcs_field f)
{
	VMCS_CHECK(f, VMCS_WIDTH_32);
	return __vmcs_read(f);
}

static __always_inline u64 vmcs_read64(enum vmcs_field f)
{
	VMCS_CHECK(f, VMCS_WIDTH_64);
	return __vmcs_read(f);
}

static __always_inline unsigned long vmcs_readl(enum vmcs_field f)
{
	VMCS_CHECK(f, VMCS_WIDTH_NATURAL);
	return __vmcs_read(f);
}

static __always_inline void vmcs_write16(enum vmcs_field f, u16 v)
{
	VMCS_CHECK(f, VMCS_WIDTH_16);
	__vmcs_write(f, v);
}

static __always_inline void vmcs_write32(enum vmcs_field f, u32 v)
{
	VMCS_CHECK(f, VMCS_WIDTH_32);
	__vmcs_write(f, v);
}

static __always_inline void vmcs_write64(enum vmcs_field f, u64 v)
{
	VMCS_CHECK(f, VMCS_WIDTH_64);
	__vmcs_write(f, v);
}

static __always_inline void vmcs_writel(enum vmcs_field f, unsigned long v)
{
	VMCS_CHECK(f, VMCS_WIDTH_NATURAL);
	__vmcs_write(f, v);
}

/* Basic exit reasons (EXIT_REASON_*): exit_reasons.h. */

/* Segment access rights in the VMCS, SDM 25.4.1, Table 25-2. */
#define VMX_AR_TYPE(t)		((t) & 0xf)
#define VMX_AR_S		BIT(4)
#define VMX_AR_DPL(d)		(((d) & 3) << 5)
#define VMX_AR_P		BIT(7)
#define VMX_AR_AVL		BIT(12)
#define VMX_AR_L		BIT(13)
#define VMX_AR_DB		BIT(14)
#define VMX_AR_G		BIT(15)
#define VMX_AR_UNUSABLE		BIT(16)

/* VM-entry and VM-exit interruption information, SDM 25.8.3, 25.9.2. */
#define INTR_INFO_VALID		BIT(31)
#define INTR_INFO_DELIVER_CODE	BIT(11)
#define INTR_INFO_TYPE_MASK	(7 << 8)
#define INTR_TYPE_EXT_INTR	(0 << 8)
#define INTR_TYPE_NMI		(2 << 8)
#define INTR_TYPE_HW_EXCEPTION	(3 << 8)
#define INTR_TYPE_SOFT_INTR	(4 << 8)	/* INT n */
#define INTR_TYPE_PRIV_SW_EXCEPTION	(5 << 8)	/* INT1 (ICEBP) */
#define INTR_TYPE_SOFT_EXCEPTION	(6 << 8)	/* INT3, INTO */

/* Bit 31 of the exit reason: the VM entry failed (SDM 27.2.1). */
#define VMX_EXIT_REASON_FAILED_ENTRY	BIT(31)

#endif /* MINIVMM_VMCS_H */
