/* SPDX-License-Identifier: GPL-2.0 */
/*
 * One small wrapper per VMX instruction (SDM Vol. 3C, chapter 31, "VMX
 * instruction reference"). Runs in VMX root mode, with preemption off.
 *
 * VMX instructions report failure in RFLAGS (SDM 31.2): CF=1 is VMfailInvalid
 * (no current VMCS or a bad pointer), ZF=1 is VMfailValid (the reason is in
 * the VM-instruction error field). A fault (#UD outside VMX operation, #GP
 * for a bad operand) is caught through the exception table.
 */
#ifndef MINIVMM_VMX_OPS_H
#define MINIVMM_VMX_OPS_H

#include <linux/errno.h>
#include <linux/types.h>
#include <asm/asm.h>

/* Outcomes of a VMX instruction, as left in a byte by the asm below. */
enum { VMX_OK, VMX_FAIL, VMX_FAULT };

static inline int vmx_result(u8 r)
{
	return r == VMX_OK ? 0 : r == VMX_FAIL ? -EIO : -EFAULT;
}

/*
 * VMXON, SDM 31.3 "VMXON": enter VMX root operation. A fault jumps past the
 * SETNA and leaves VMX_FAULT in place; otherwise SETNA stores CF|ZF.
 * Returns 0, -EIO on VMfail, -EFAULT on a fault.
 */
static inline int vmx_vmxon(u64 pa)
{
	u8 r = VMX_FAULT;

	asm volatile("1: vmxon %[pa]\n\t"
		     "setna %[r]\n\t"
		     "2:\n\t"
		     _ASM_EXTABLE(1b, 2b)
		     : [r] "+q" (r) : [pa] "m" (pa) : "cc", "memory");
	return vmx_result(r);
}

/* VMXOFF, SDM 31.3 "VMXOFF": leave VMX operation. */
static inline int vmx_vmxoff(void)
{
	u8 r = VMX_FAULT;

	asm volatile("1: vmxoff\n\t"
		     "setna %[r]\n\t"
		     "2:\n\t"
		     _ASM_EXTABLE(1b, 2b)
		     : [r] "+q" (r) : : "cc", "memory");
	return vmx_result(r);
}

/* VMPTRLD, SDM 31.3: make the VMCS at pa current and active. */
static inline int vmx_vmptrld(u64 pa)
{
	u8 r = VMX_FAULT;

	asm volatile("1: vmptrld %[pa]\n\t"
		     "setna %[r]\n\t"
		     "2:\n\t"
		     _ASM_EXTABLE(1b, 2b)
		     : [r] "+q" (r) : [pa] "m" (pa) : "cc", "memory");
	return vmx_result(r);
}

/* VMCLEAR, SDM 31.3: write the VMCS back and make it inactive, launch state clear. */
static inline int vmx_vmclear(u64 pa)
{
	u8 r = VMX_FAULT;

	asm volatile("1: vmclear %[pa]\n\t"
		     "setna %[r]\n\t"
		     "2:\n\t"
		     _ASM_EXTABLE(1b, 2b)
		     : [r] "+q" (r) : [pa] "m" (pa) : "cc", "memory");
	return vmx_result(r);
}

/* INVEPT and INVVPID take a type and a 128-bit descriptor (SDM 31.3). */
static inline int vmx_invept_type(unsigned long type, u64 eptp)
{
	struct { u64 eptp, zero; } desc = { eptp, 0 };
	u8 r = VMX_FAULT;

	asm volatile("1: invept %[desc], %[type]\n\t"
		     "setna %[r]\n\t"
		     "2:\n\t"
		     _ASM_EXTABLE(1b, 2b)
		     : [r] "+q" (r) : [desc] "m" (desc), [type] "r" (type)
		     : "cc", "memory");
	return vmx_result(r);
}

static inline int vmx_invvpid_type(unsigned long type, u16 vpid)
{
	struct { u64 vpid, addr; } desc = { vpid, 0 };
	u8 r = VMX_FAULT;

	asm volatile("1: invvpid %[desc], %[type]\n\t"
		     "setna %[r]\n\t"
		     "2:\n\t"
		     _ASM_EXTABLE(1b, 2b)
		     : [r] "+q" (r) : [desc] "m" (desc), [type] "r" (type)
		     : "cc", "memory");
	return vmx_result(r);
}

#endif /* MINIVMM_VMX_OPS_H */
