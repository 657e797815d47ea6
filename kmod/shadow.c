// SPDX-License-Identifier: GPL-2.0
/*
 * The VCPU's shadow state: the guest's registers as the guest and
 * userspace see them (GET/SET_REGS, GET/SET_SREGS), kept partly in the
 * VMCS guest area (segments, RIP, RSP, RFLAGS, CR0/CR3/CR4, EFER) and
 * partly in struct minivmm_vcpu (the other GPRs, CR2). CR0 and CR4 are
 * virtualized: the CPU runs with the bits VMX operation needs, the guest
 * reads its own values through the read shadows (SDM 25.6.6). Runs in VMX
 * root mode with the VCPU's VMCS current and preemption off.
 */
#include <linux/kernel.h>
#include <asm/msr-index.h>
#include <asm/processor.h>

#include "vcpu.h"
#include "vmcs.h"
#include "vmx.h"

/*
 * CR0 and CR4 as the guest reads them (SDM 25.6.6): bits set in the
 * guest/host mask from the read shadow, the others (PE and PG among them,
 * which the guest changes without a VM exit) from the guest-state field.
 */
unsigned long minivmm_guest_cr0(void)
{
	unsigned long mask = vmcs_readl(CR0_GUEST_HOST_MASK);

	return (vmcs_readl(GUEST_CR0) & ~mask) | (vmcs_readl(CR0_READ_SHADOW) & mask);
}

unsigned long minivmm_guest_cr4(void)
{
	unsigned long mask = vmcs_readl(CR4_GUEST_HOST_MASK);

	return (vmcs_readl(GUEST_CR4) & ~mask) | (vmcs_readl(CR4_READ_SHADOW) & mask);
}

/*
 * The guest sees cr0 (through the read shadow); the CPU runs with the bits
 * VMX needs forced. Bits in the guest/host mask trap on change.
 */
void minivmm_set_cr0(struct minivmm_vcpu *vcpu, unsigned long cr0)
{
	u64 efer = vmcs_read64(GUEST_IA32_EFER);
	u32 entry = vmcs_read32(VM_ENTRY_CONTROLS);

	vmcs_writel(CR0_READ_SHADOW, cr0);
	vmcs_writel(GUEST_CR0, (cr0 | vmx_cr0_must1()) & ~(vmx_cr0_must0() | MINIVMM_CR0_SHADOWED));
	/* IA-32e mode is active when paging is on with EFER.LME (SDM 10.8.5). */
	if ((cr0 & X86_CR0_PG) && (efer & EFER_LME))
		efer |= EFER_LMA;
	else
		efer &= ~EFER_LMA;
	vmcs_write64(GUEST_IA32_EFER, efer);
	if (efer & EFER_LMA)
		entry |= VM_ENTRY_IA32E_MODE;
	else
		entry &= ~VM_ENTRY_IA32E_MODE;
	vmcs_write32(VM_ENTRY_CONTROLS, entry);
}

void minivmm_set_cr4(struct minivmm_vcpu *vcpu, unsigned long cr4)
{
	vmcs_writel(CR4_READ_SHADOW, cr4);
	vmcs_writel(GUEST_CR4, (cr4 | vmx_cr4_must1()) & ~vmx_cr4_must0());
}

/* MOV to CR0 raises #GP for these (SDM Vol. 3A 2.5, Vol. 2B MOV-Move to/from CRs). */
bool minivmm_cr0_valid(u64 cr0)
{
	if (cr0 >> 32)
		return false;
	if ((cr0 & X86_CR0_PG) && !(cr0 & X86_CR0_PE))
		return false;
	return !((cr0 & X86_CR0_NW) && !(cr0 & X86_CR0_CD));
}

/*
 * CR4 bits a guest may have: the guest-owned ones (MINIVMM_CR4_GUEST_BITS)
 * that VMX operation allows (IA32_VMX_CR4_FIXED1, SDM A.8). For any other
 * bit MOV to CR4 raises #GP and SET_SREGS fails, rather than the read
 * shadow showing a bit the CPU does not run with.
 */
bool minivmm_cr4_valid(u64 cr4)
{
	return !(cr4 & (~(u64)MINIVMM_CR4_GUEST_BITS | ~vmx_cfg.cr4_fixed1));
}

/* ---- Segments: selector, base, limit and access rights (SDM 25.4.1) ---- */

static u32 seg_to_ar(const struct minivmm_segment *s)
{
	if (s->unusable)
		return VMX_AR_UNUSABLE;
	return VMX_AR_TYPE(s->type) | (s->s ? VMX_AR_S : 0) | VMX_AR_DPL(s->dpl) |
	       (s->present ? VMX_AR_P : 0) | (s->avl ? VMX_AR_AVL : 0) |
	       (s->l ? VMX_AR_L : 0) | (s->db ? VMX_AR_DB : 0) | (s->g ? VMX_AR_G : 0);
}

static void ar_to_seg(u32 ar, struct minivmm_segment *s)
{
	s->type = ar & 0xf;
	s->s = !!(ar & VMX_AR_S);
	s->dpl = (ar >> 5) & 3;
	s->present = !!(ar & VMX_AR_P);
	s->avl = !!(ar & VMX_AR_AVL);
	s->l = !!(ar & VMX_AR_L);
	s->db = !!(ar & VMX_AR_DB);
	s->g = !!(ar & VMX_AR_G);
	s->unusable = !!(ar & VMX_AR_UNUSABLE);
}

/* The four VMCS fields of each segment register, in minivmm_sregs order. */
static const struct {
	enum vmcs_field selector, base, limit, ar;
} seg_fields[MINIVMM_NR_SEGS] = {
#define SEG(n) { GUEST_##n##_SELECTOR, GUEST_##n##_BASE, GUEST_##n##_LIMIT, GUEST_##n##_AR_BYTES }
	SEG(CS), SEG(DS), SEG(ES), SEG(FS), SEG(GS), SEG(SS), SEG(TR), SEG(LDTR),
#undef SEG
};

struct minivmm_segment *minivmm_sregs_seg(struct minivmm_sregs *sr, int i)
{
	struct minivmm_segment *segs[MINIVMM_NR_SEGS] = {
		&sr->cs, &sr->ds, &sr->es, &sr->fs, &sr->gs, &sr->ss, &sr->tr, &sr->ldt,
	};

	return segs[i];
}

void minivmm_set_sregs(struct minivmm_vcpu *vcpu, struct minivmm_sregs *sr)
{
	int i;

	for (i = 0; i < MINIVMM_NR_SEGS; i++) {
		struct minivmm_segment *s = minivmm_sregs_seg(sr, i);

		vmcs_write16(seg_fields[i].selector, s->selector);
		vmcs_writel(seg_fields[i].base, s->base);
		vmcs_write32(seg_fields[i].limit, s->limit);
		vmcs_write32(seg_fields[i].ar, seg_to_ar(s));
	}
	vmcs_writel(GUEST_GDTR_BASE, sr->gdt.base);
	vmcs_write32(GUEST_GDTR_LIMIT, sr->gdt.limit);
	vmcs_writel(GUEST_IDTR_BASE, sr->idt.base);
	vmcs_write32(GUEST_IDTR_LIMIT, sr->idt.limit);
	vmcs_write64(GUEST_IA32_EFER, sr->efer);
	minivmm_set_cr0(vcpu, sr->cr0);
	minivmm_set_cr4(vcpu, sr->cr4);
	vmcs_writel(GUEST_CR3, sr->cr3);
	vcpu->cr2 = sr->cr2;
	vcpu->cr8 = sr->cr8;
}

void minivmm_get_sregs(struct minivmm_vcpu *vcpu, struct minivmm_sregs *sr)
{
	int i;

	memset(sr, 0, sizeof(*sr));
	for (i = 0; i < MINIVMM_NR_SEGS; i++) {
		struct minivmm_segment *s = minivmm_sregs_seg(sr, i);

		s->selector = vmcs_read16(seg_fields[i].selector);
		s->base = vmcs_readl(seg_fields[i].base);
		s->limit = vmcs_read32(seg_fields[i].limit);
		ar_to_seg(vmcs_read32(seg_fields[i].ar), s);
	}
	sr->gdt.base = vmcs_readl(GUEST_GDTR_BASE);
	sr->gdt.limit = vmcs_read32(GUEST_GDTR_LIMIT);
	sr->idt.base = vmcs_readl(GUEST_IDTR_BASE);
	sr->idt.limit = vmcs_read32(GUEST_IDTR_LIMIT);
	sr->cr0 = minivmm_guest_cr0();
	sr->cr4 = minivmm_guest_cr4();
	sr->cr3 = vmcs_readl(GUEST_CR3);
	sr->cr2 = vcpu->cr2;
	sr->cr8 = vcpu->cr8;
	sr->efer = vmcs_read64(GUEST_IA32_EFER);
}

/* ---- General-purpose registers, RIP and RFLAGS ---- */

void minivmm_get_regs(struct minivmm_vcpu *vcpu, struct minivmm_regs *r)
{
	unsigned long *g = vcpu->regs;

	memset(r, 0, sizeof(*r));
	r->rax = g[REG_RAX];
	r->rbx = g[REG_RBX];
	r->rcx = g[REG_RCX];
	r->rdx = g[REG_RDX];
	r->rsi = g[REG_RSI];
	r->rdi = g[REG_RDI];
	r->rbp = g[REG_RBP];
	r->r8 = g[REG_R8];
	r->r9 = g[REG_R9];
	r->r10 = g[REG_R10];
	r->r11 = g[REG_R11];
	r->r12 = g[REG_R12];
	r->r13 = g[REG_R13];
	r->r14 = g[REG_R14];
	r->r15 = g[REG_R15];
	r->rsp = vmcs_readl(GUEST_RSP);		/* RSP lives in the VMCS */
	r->rip = vmcs_readl(GUEST_RIP);
	r->rflags = vmcs_readl(GUEST_RFLAGS);
}

void minivmm_set_regs(struct minivmm_vcpu *vcpu, const struct minivmm_regs *r)
{
	unsigned long *g = vcpu->regs;

	g[REG_RAX] = r->rax;
	g[REG_RBX] = r->rbx;
	g[REG_RCX] = r->rcx;
	g[REG_RDX] = r->rdx;
	g[REG_RSI] = r->rsi;
	g[REG_RDI] = r->rdi;
	g[REG_RBP] = r->rbp;
	g[REG_R8] = r->r8;
	g[REG_R9] = r->r9;
	g[REG_R10] = r->r10;
	g[REG_R11] = r->r11;
	g[REG_R12] = r->r12;
	g[REG_R13] = r->r13;
	g[REG_R14] = r->r14;
	g[REG_R15] = r->r15;
	vmcs_writel(GUEST_RSP, r->rsp);
	vmcs_writel(GUEST_RIP, r->rip);
	/* Bit 1 of RFLAGS is fixed to 1 (SDM 26.3.1.4). */
	vmcs_writel(GUEST_RFLAGS, r->rflags | X86_EFLAGS_FIXED);
}
