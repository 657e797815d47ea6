/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The VCPU: one VMCS and the shadow state around it. See vcpu.c.
 */
#ifndef MINIVMM_VCPU_H
#define MINIVMM_VCPU_H

#include <linux/mutex.h>
#include <linux/preempt.h>
#include <linux/types.h>
#include <asm/fpu/types.h>

#include <linux/minivmm.h>

#include "decode.h"
#include "regs.h"

struct minivmm_vm;
struct minivmm_run;
struct minivmm_cpuid_entry;

/* What the last exit to userspace waits for before the next entry. */
enum minivmm_pending {
	MINIVMM_PENDING_NONE,
	MINIVMM_PENDING_IN,		/* IN: data from the run area into RAX */
	MINIVMM_PENDING_HYPERCALL,	/* VMCALL: run->hypercall.ret into RAX */
	MINIVMM_PENDING_MMIO_READ,	/* MMIO read: run->mmio.data into a GPR */
	MINIVMM_PENDING_INS,		/* INS: the run area's data into guest memory */
};

/* The guest state an MMIO exit needs, read from the VMCS. */
struct mmio_state {
	unsigned long rip, rsp, cs_base, cr0, cr3, cr4;
	u64 efer;
	enum decode_mode mode;
};

/* A string I/O instruction (INS/OUTS) in progress, SDM 27.2.5. */
struct string_io {
	struct mmio_state st;		/* for guest address translation */
	unsigned long seg_base;		/* ES (INS) or the source segment (OUTS) */
	unsigned long addr_mask;	/* 0xffff, 0xffffffff or ~0 */
	unsigned int size;
	bool in, rep, df;
	u16 port;
	u64 la;				/* INS: where the data goes */
	unsigned int count;		/* items in this exit */
};

/* Exit handlers' requests to the run loop, for work that may sleep. */
#define MINIVMM_NEED_FAULT_IN	2	/* map a guest page */
#define MINIVMM_NEED_STRING_IO	3	/* copy INS/OUTS data */

struct minivmm_vcpu {
	struct minivmm_vm *vm;		/* set at creation; holds a VM reference */
	unsigned int id;
	struct mutex mutex;		/* one ioctl at a time */
	struct minivmm_run *run;	/* page shared with userspace (mmap) */

	/* The VMCS and where it is active. */
	struct page *vmcs;
	int cpu;			/* CPU it is active on, -1: none */
	int last_cpu;			/* CPU it was last loaded on, -1: none */
	bool launched;			/* VMRESUME rather than VMLAUNCH */
	u16 vpid;			/* 0: VPID not used */
	struct list_head active_link;	/* on its CPU's list while active */

	/* Shadow state not held in the VMCS guest area. */
	unsigned long regs[NR_REGS];	/* GPRs; RSP is GUEST_RSP */
	unsigned long cr2;
	struct fxregs_state *guest_fpu;	/* x87 and SSE registers */

	/* Host state the VMCS host area cannot hold. */
	unsigned long host_cr3, host_cr4;
	u64 host_fs_base;		/* this RUN's thread's */
	u64 vmcs_host_fs_base;		/* the one in the VMCS host area */
	u64 host_kernel_gs_base;	/* swapped with the guest's during RUN */
	u64 guest_kernel_gs_base;	/* the guest's, while RUN is not running */
	bool in_run;			/* the guest's KERNEL_GS_BASE is loaded */

	/* The last exit. */
	u32 exit_reason;
	enum minivmm_pending pending;
	unsigned int pending_size;
	u64 fault_gpa;
	bool fault_write;
	bool dumped;			/* VMCS dumped once for an unknown exit */
	struct mmio_insn mmio;		/* the decoded MMIO instruction */

	/* CPUID answers set by userspace; NULL: the filtered host CPUID. */
	struct minivmm_cpuid_entry *cpuid;
	unsigned int cpuid_nent;
	unsigned long mmio_next_rip;
	struct string_io sio;

	/* MINIVMM_SET_GUEST_DEBUG */
	u32 guest_debug;		/* MINIVMM_GUESTDBG_* */
	bool step_tf;			/* single-step with RFLAGS.TF: no MTF here */
	bool guest_tf;			/* the guest's own TF while step_tf sets it */
	bool step_retried;		/* this step was entered again once */
	u64 step_rip;			/* RIP at this step's entry */
	u64 insn_rip;			/* RIP of the exit's instruction, if valid */
	bool insn_rip_valid;
	bool emulated;			/* an instruction emulated since the last entry */

	/* MINIVMM_GET_STATS; written only by RUN, under vcpu->mutex. */
	struct minivmm_vcpu_stats stats;

	/* The exit-path profile (profile.c): the last stamp and its exit. */
	u64 prof_last;
	unsigned int prof_epoch, prof_reason;
};

int minivmm_vcpu_create(struct minivmm_vm *vm, unsigned long id);
int minivmm_exit_internal(struct minivmm_vcpu *vcpu, u32 suberror, u64 d0, u64 d1);

/* mmio.c */
void minivmm_mmio_snapshot(struct minivmm_vcpu *vcpu, struct mmio_state *st);
int minivmm_mmio_prepare(struct minivmm_vcpu *vcpu, const struct mmio_state *st, u64 gpa);
void minivmm_mmio_complete_read(struct minivmm_vcpu *vcpu);
int minivmm_guest_rw(struct minivmm_vcpu *vcpu, const struct mmio_state *st,
		     u64 la, void *buf, unsigned int len, bool write);

/* vmenter.S */
int minivmm_vmx_enter(unsigned long *regs, bool resume);
void minivmm_vmx_exit(void);

#endif
