// SPDX-License-Identifier: GPL-2.0
/*
 * Port I/O: IN, OUT, INS and OUTS always exit (unconditional I/O exiting,
 * SDM 25.6.2) and are emulated by userspace: the exit hands vmm the port,
 * size and data through the run area (MINIVMM_EXIT_IO); an IN completes on
 * the next RUN. The exit handler runs in VMX root mode with preemption
 * off; string I/O copies guest memory afterwards, preemptible, in the
 * VCPU's thread (string_io()).
 */
#include <linux/kernel.h>
#include <linux/preempt.h>
#include <asm/processor-flags.h>

#include <linux/minivmm.h>

#include "emulate.h"
#include "vcpu.h"
#include "vmcs.h"

/*
 * INS/OUTS: record what the run loop needs (SDM 27.2.5, Table 27-8: the
 * VM-exit instruction-information field gives the address size and, for
 * OUTS, the segment). The data is copied preemptibly, in string_io().
 */
static const enum vmcs_field seg_base_field[] = {
	GUEST_ES_BASE, GUEST_CS_BASE, GUEST_SS_BASE, GUEST_DS_BASE,
	GUEST_FS_BASE, GUEST_GS_BASE,
};

static int string_io_start(struct minivmm_vcpu *vcpu, unsigned long qual)
{
	struct string_io *sio = &vcpu->sio;
	u32 info = vmcs_read32(VMX_INSTRUCTION_INFO);
	unsigned int seg = (info >> 15) & 7, asz = (info >> 7) & 7;

	sio->size = (qual & 7) + 1;
	sio->in = qual & BIT(3);
	sio->rep = qual & BIT(5);
	sio->port = qual >> 16;
	sio->df = vmcs_readl(GUEST_RFLAGS) & X86_EFLAGS_DF;
	sio->addr_mask = asz == 0 ? 0xffff : asz == 1 ? 0xffffffffUL : ~0UL;
	if (sio->in)
		seg = 0;			/* INS always writes ES:[E/R]DI */
	if (seg >= ARRAY_SIZE(seg_base_field))
		return minivmm_inject_ud(vcpu);
	minivmm_mmio_snapshot(vcpu, &sio->st);
	/* In 64-bit mode only FS and GS have a base (SDM Vol. 3A, 3.4.4). */
	sio->seg_base = sio->st.mode == DECODE_64 && seg < 4 ? 0 :
			vmcs_readl(seg_base_field[seg]);
	return MINIVMM_NEED_STRING_IO;
}

/* reg += delta within the instruction's address size. */
static void string_io_advance(struct string_io *sio, unsigned long *reg, long delta)
{
	*reg = (*reg & ~sio->addr_mask) | ((*reg + delta) & sio->addr_mask);
}

/*
 * Copy the data of up to one run area's worth of items and fill the IO
 * exit. A REP instruction with items left keeps its RIP and runs again.
 * Preemptible; returns 0 (exit to userspace), 1 (re-enter) or an
 * internal-error exit.
 */
int minivmm_string_io(struct minivmm_vcpu *vcpu)
{
	struct string_io *sio = &vcpu->sio;
	struct minivmm_run *run = vcpu->run;
	unsigned long *ptr = &vcpu->regs[sio->in ? REG_RDI : REG_RSI];
	u64 count = sio->rep ? vcpu->regs[REG_RCX] & sio->addr_mask : 1;
	unsigned long next_rip;
	bool done;
	u64 la;

	if (count > MINIVMM_RUN_IO_DATA_SIZE / sio->size)
		count = MINIVMM_RUN_IO_DATA_SIZE / sio->size;
	if (sio->df)
		count = min_t(u64, count, 1);	/* backwards: one item per exit */
	la = sio->seg_base + (*ptr & sio->addr_mask);
	if (sio->st.mode != DECODE_64)
		la = (u32)la;

	preempt_disable();
	minivmm_vmcs_load(vcpu);
	next_rip = vmcs_readl(GUEST_RIP);
	done = !sio->rep || (vcpu->regs[REG_RCX] & sio->addr_mask) <= count;
	if (done)
		minivmm_skip_instruction(vcpu);
	preempt_enable();
	if (!count)
		return 1;			/* REP with RCX = 0: nothing to do */

	run->exit_reason = MINIVMM_EXIT_IO;
	run->io.direction = sio->in ? MINIVMM_IO_IN : MINIVMM_IO_OUT;
	run->io.size = sio->size;
	run->io.port = sio->port;
	run->io.count = count;
	run->io.data_offset = MINIVMM_RUN_IO_DATA_OFFSET;
	sio->count = count;
	sio->la = la;
	if (sio->in) {
		vcpu->pending = MINIVMM_PENDING_INS;
		return 0;
	}
	if (minivmm_guest_rw(vcpu, &sio->st, la, (u8 *)run + MINIVMM_RUN_IO_DATA_OFFSET,
			     count * sio->size, false)) {
		preempt_disable();
		minivmm_vmcs_load(vcpu);
		vmcs_writel(GUEST_RIP, next_rip);	/* not done after all */
		minivmm_exit_internal(vcpu, MINIVMM_INTERNAL_EMULATION, la, sio->port);
		preempt_enable();
		return 0;
	}
	string_io_advance(sio, ptr, sio->df ? -(long)(count * sio->size) : count * sio->size);
	if (sio->rep)
		string_io_advance(sio, &vcpu->regs[REG_RCX], -(long)count);
	return 0;
}

/* INS completes: the data userspace supplied goes to guest memory. */
void minivmm_string_io_complete_in(struct minivmm_vcpu *vcpu)
{
	struct string_io *sio = &vcpu->sio;

	/* Memory that vanished since the exit: the data is dropped. */
	minivmm_guest_rw(vcpu, &sio->st, sio->la,
			 (u8 *)vcpu->run + MINIVMM_RUN_IO_DATA_OFFSET,
			 sio->count * sio->size, true);
	string_io_advance(sio, &vcpu->regs[REG_RDI],
			  sio->df ? -(long)(sio->count * sio->size) : sio->count * sio->size);
	if (sio->rep)
		string_io_advance(sio, &vcpu->regs[REG_RCX], -(long)sio->count);
}

/* I/O instruction, exit qualification in SDM 27.2.1, Table 27-5. */
int minivmm_handle_io(struct minivmm_vcpu *vcpu)
{
	unsigned long qual = vmcs_readl(EXIT_QUALIFICATION);
	struct minivmm_run *run = vcpu->run;
	unsigned int size = (qual & 7) + 1;
	bool in = qual & BIT(3);

	if (qual & BIT(4))
		return string_io_start(vcpu, qual);
	run->exit_reason = MINIVMM_EXIT_IO;
	run->io.direction = in ? MINIVMM_IO_IN : MINIVMM_IO_OUT;
	run->io.size = size;
	run->io.port = qual >> 16;
	run->io.count = 1;
	run->io.data_offset = MINIVMM_RUN_IO_DATA_OFFSET;
	if (in) {
		vcpu->pending = MINIVMM_PENDING_IN;
		vcpu->pending_size = size;
	} else {
		memcpy((u8 *)run + MINIVMM_RUN_IO_DATA_OFFSET,
		       &vcpu->regs[REG_RAX], size);
	}
	minivmm_skip_instruction(vcpu);
	return 0;
}

/* An IN completes when userspace has put the data in the run area. */
void minivmm_io_complete_in(struct minivmm_vcpu *vcpu)
{
	u8 *data = (u8 *)vcpu->run + MINIVMM_RUN_IO_DATA_OFFSET;
	unsigned long *rax = &vcpu->regs[REG_RAX];

	if (vcpu->pending_size == 4)
		*rax = *(u32 *)data;	/* a 32-bit result zero-extends */
	else if (vcpu->pending_size == 2)
		*rax = (*rax & ~0xffffUL) | *(u16 *)data;
	else
		*rax = (*rax & ~0xffUL) | *data;
}
