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
 * Run one VMX instruction. A fault jumps past the SETNA and leaves VMX_FAULT
 * in place; otherwise SETNA stores CF|ZF (VMfailInvalid or VMfailValid).
 * Evaluates to 0, -EIO on VMfail, -EFAULT on a fault.
 */
#define vmx_insn(insn, ...)						\
({									\
	u8 __r = VMX_FAULT;						\
									\
	asm volatile("1: " insn "\n\t"					\
		     "setna %[r]\n\t"					\
		     "2:\n\t"						\
		     _ASM_EXTABLE(1b, 2b)				\
		     : [r] "+q" (__r) : __VA_ARGS__ : "cc", "memory");	\
	vmx_result(__r);						\
})

/* VMXON, SDM 31.3 "VMXON": enter VMX root operation. */
static inline int vmx_vmxon(u64 pa)
{
	return vmx_insn("vmxon %[pa]", [pa] "m" (pa));
}

/* VMXOFF, SDM 31.3 "VMXOFF": leave VMX operation. */
static inline int vmx_vmxoff(void)
{
	return vmx_insn("vmxoff");
}

/* VMPTRLD, SDM 31.3: make the VMCS at pa current and active. */
static inline int vmx_vmptrld(u64 pa)
{
	return vmx_insn("vmptrld %[pa]", [pa] "m" (pa));
}

/* VMCLEAR, SDM 31.3: write the VMCS back and make it inactive, launch state clear. */
static inline int vmx_vmclear(u64 pa)
{
	return vmx_insn("vmclear %[pa]", [pa] "m" (pa));
}

/* INVEPT and INVVPID take a type and a 128-bit descriptor (SDM 31.3). */
static inline int vmx_invept_type(unsigned long type, u64 eptp)
{
	struct { u64 eptp, zero; } desc = { eptp, 0 };

	return vmx_insn("invept %[desc], %[type]", [desc] "m" (desc), [type] "r" (type));
}

static inline int vmx_invvpid_type(unsigned long type, u16 vpid)
{
	struct { u64 vpid, addr; } desc = { vpid, 0 };

	return vmx_insn("invvpid %[desc], %[type]", [desc] "m" (desc), [type] "r" (type));
}

#endif /* MINIVMM_VMX_OPS_H */
