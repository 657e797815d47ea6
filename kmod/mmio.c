// SPDX-License-Identifier: GPL-2.0
/*
 * MMIO exits: a guest access to a guest-physical address with no memory
 * behind it (or a write to a read-only slot) is trapped by EPT and emulated
 * by userspace. The kernel fetches and decodes the faulting instruction
 * (decode.c), hands userspace the address, width, direction and data, and
 * completes a read on the next RUN. Runs in the VCPU's thread, preemptible
 * except where the VMCS is read or written.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/kernel.h>
#include <linux/preempt.h>
#include <linux/uaccess.h>

#include <linux/minivmm.h>

#include "decode.h"
#include "pagewalk.h"
#include "minivmm.h"
#include "vcpu.h"
#include "vmcs.h"
#include "vmx.h"

/*
 * Read guest-physical memory through the slot's userspace mapping, for the
 * page walk (pagewalk.c). The caller holds vm->lock, once for a whole walk
 * and copy.
 */
static int read_guest_phys(void *vm, u64 gpa, void *buf, unsigned int len)
{
	unsigned long hva = minivmm_gpa_to_hva(vm, gpa, len);

	if (hva && !copy_from_user(buf, (void __user *)hva, len))
		return 0;
	return -EFAULT;
}

/* A linear address through the guest's page tables. vm->lock held. */
static int guest_translate(struct minivmm_vcpu *vcpu, const struct mmio_state *st,
			   u64 la, u64 *gpa)
{
	const struct pagewalk_regs r = {
		.cr0 = st->cr0, .cr3 = st->cr3, .cr4 = st->cr4, .efer = st->efer,
	};

	return pagewalk(&r, la, gpa, read_guest_phys, vcpu->vm);
}

/*
 * Read or write len bytes at a guest linear address, page by page through
 * the guest's page tables and the slots' userspace mappings. Preemptible.
 */
int minivmm_guest_rw(struct minivmm_vcpu *vcpu, const struct mmio_state *st,
		     u64 la, void *buf, unsigned int len, bool write)
{
	struct minivmm_vm *vm = vcpu->vm;
	unsigned long hva;
	unsigned int n;
	u64 gpa;
	int r;

	r = 0;
	mutex_lock(&vm->lock);
	while (len) {
		n = min_t(unsigned int, len, PAGE_SIZE - (la & ~PAGE_MASK));
		hva = 0;
		if (!guest_translate(vcpu, st, la, &gpa))
			hva = minivmm_gpa_to_hva(vm, gpa, n);
		if (!hva)
			r = -EFAULT;
		else if (write)
			r = copy_to_user((void __user *)hva, buf, n) ? -EFAULT : 0;
		else
			r = copy_from_user(buf, (void __user *)hva, n) ? -EFAULT : 0;
		if (r)
			break;
		la += n;
		buf += n;
		len -= n;
	}
	mutex_unlock(&vm->lock);
	return r;
}

/* Read the guest state the decoder needs. Preemption off, VMCS loaded. */
void minivmm_mmio_snapshot(struct minivmm_vcpu *vcpu, struct mmio_state *st)
{
	u32 ar = vmcs_read32(GUEST_CS_AR_BYTES);

	st->rip = vmcs_readl(GUEST_RIP);
	st->cs_base = vmcs_readl(GUEST_CS_BASE);
	st->cr0 = vmcs_readl(GUEST_CR0);
	st->cr3 = vmcs_readl(GUEST_CR3);
	st->cr4 = vmcs_readl(GUEST_CR4);
	st->efer = vmcs_read64(GUEST_IA32_EFER);
	if ((st->efer & EFER_LMA) && (ar & VMX_AR_L))
		st->mode = DECODE_64;
	else if (ar & VMX_AR_DB)
		st->mode = DECODE_32;
	else
		st->mode = DECODE_16;
}

/*
 * Fetch and decode the instruction at st->rip, fill the run area for an
 * MMIO exit at gpa. Returns 0 (exit to userspace) with vcpu->mmio set, or
 * an internal-error exit. Preemptible: reads guest memory.
 */
int minivmm_mmio_prepare(struct minivmm_vcpu *vcpu, const struct mmio_state *st, u64 gpa)
{
	struct minivmm_run *run = vcpu->run;
	struct mmio_insn *insn = &vcpu->mmio;
	u8 code[DECODE_MAX_LEN];
	u64 la = st->rip, pa, val;
	unsigned int n, got = 0;

	if (st->mode != DECODE_64)
		la = (u32)(st->cs_base + st->rip);
	/* Fetch up to 15 bytes, stopping at a page that cannot be read. */
	mutex_lock(&vcpu->vm->lock);
	while (got < sizeof(code)) {
		n = min_t(unsigned int, sizeof(code) - got, PAGE_SIZE - ((la + got) & ~PAGE_MASK));
		if (guest_translate(vcpu, st, la + got, &pa) ||
		    read_guest_phys(vcpu->vm, pa, code + got, n))
			break;
		got += n;
	}
	mutex_unlock(&vcpu->vm->lock);
	if (decode_mmio(code, got, st->mode, insn)) {
		memset(&run->internal, 0, sizeof(run->internal));
		run->exit_reason = MINIVMM_EXIT_INTERNAL_ERROR;
		run->internal.suberror = MINIVMM_INTERNAL_EMULATION;
		run->internal.ndata = 4;
		run->internal.data[0] = gpa;
		memcpy(&run->internal.data[1], code, min_t(unsigned int, got, 16));
		run->internal.data[3] = st->rip;
		return 0;
	}

	memset(&run->mmio, 0, sizeof(run->mmio));
	run->exit_reason = MINIVMM_EXIT_MMIO;
	run->mmio.phys_addr = gpa;
	run->mmio.len = insn->size;
	run->mmio.is_write = insn->write;
	if (insn->write) {
		if (insn->has_imm)
			val = insn->imm;
		else if (insn->reg == REG_RSP)
			val = st->rsp;
		else
			val = vcpu->regs[insn->reg];
		if (insn->high_byte)
			val >>= 8;
		memcpy(run->mmio.data, &val, insn->size);
	} else if (insn->reg != REG_RSP) {
		vcpu->pending = MINIVMM_PENDING_MMIO_READ;
	} else {
		/* RSP lives in the VMCS: not a destination minivmm emulates. */
		run->exit_reason = MINIVMM_EXIT_INTERNAL_ERROR;
		run->internal.suberror = MINIVMM_INTERNAL_EMULATION;
		run->internal.ndata = 1;
		run->internal.data[0] = gpa;
		return 0;
	}
	vcpu->mmio_next_rip = st->rip + insn->len;
	return 0;
}

/* A read completes with the data userspace put in the run area. */
void minivmm_mmio_complete_read(struct minivmm_vcpu *vcpu)
{
	struct mmio_insn *insn = &vcpu->mmio;
	unsigned long *r = &vcpu->regs[insn->reg];
	u64 val = 0;

	memcpy(&val, vcpu->run->mmio.data, insn->size);
	if (insn->high_byte)
		*r = (*r & ~0xff00UL) | ((val & 0xff) << 8);
	else if (insn->dest_size == 1)
		*r = (*r & ~0xffUL) | (val & 0xff);
	else if (insn->dest_size == 2)
		*r = (*r & ~0xffffUL) | (val & 0xffff);
	else if (insn->dest_size == 4)
		*r = (u32)val;		/* a 32-bit destination zero-extends */
	else
		*r = val;
}
