/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The VCPU: one VMCS and the shadow state around it, and the functions the
 * files of a VCPU give each other, by file, from the fd down to the VMCS
 * (docs/concepts.md has the map).
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

/* An event for the guest's IDT: the VM-entry interruption fields (SDM 25.8.3). */
struct minivmm_event {
	u32 info;			/* 0: none */
	u32 error_code;
	u32 insn_len;			/* INT n, INT3, INTO, INT1 */
};

/*
 * The MSRs only instructions the guest runs read, which it has its own of
 * (msr.c): SYSCALL's STAR .. SFMASK, and RDTSCP's and RDPID's TSC_AUX.
 */
#define MINIVMM_NR_SYSCALL_MSRS	5

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
	bool l1d_flush;			/* host code ran since the last entry */
	unsigned long switches;		/* the thread's context switches, then */
	u16 vpid;			/* 0: VPID not used */
	struct list_head active_link;	/* on its CPU's list while active */

	/* Shadow state not held in the VMCS guest area. */
	unsigned long regs[NR_REGS];	/* GPRs; RSP is GUEST_RSP */
	unsigned long cr2;
	u8 cr8;				/* the guest's TPR: never the CPU's */
	struct fxregs_state *guest_fpu;	/* x87 and SSE registers */

	/* Host state the VMCS host area cannot hold. */
	unsigned long host_cr3, host_cr4;
	u64 host_fs_base;		/* this RUN's thread's */
	u64 vmcs_host_fs_base;		/* the one in the VMCS host area */
	u64 host_kernel_gs_base;	/* swapped with the guest's during RUN */
	u64 host_debugctl;		/* this RUN's thread's IA32_DEBUGCTL */
	u64 guest_kernel_gs_base;	/* the guest's, while RUN is not running */
	u64 syscall_msrs[MINIVMM_NR_SYSCALL_MSRS];	/* STAR .. SFMASK, TSC_AUX */
	bool in_run;			/* the guest's KERNEL_GS_BASE is loaded */

	/* Events into the guest (events.c). */
	struct minivmm_event inject;	/* delivered (again) at the next entry */
	int irq_pending;		/* MINIVMM_INTERRUPT's vector, -1: none */
	bool nmi_pending;		/* MINIVMM_NMI's */
	u32 cpu_based;			/* the primary controls in the VMCS */
	s64 tsc_offset;			/* the VM's, in the VMCS too */

	/* The last exit. */
	u32 exit_reason;
	enum minivmm_pending pending;
	unsigned int pending_size;
	u64 fault_gpa;
	bool fault_write;
	bool fault_in_walk;		/* the CPU's access to a page table */
	bool dumped;			/* VMCS dumped once for an unknown exit */
	struct mmio_insn mmio;		/* the decoded MMIO instruction */

	/* CPUID answers set by userspace; NULL: the filtered host CPUID. */
	struct minivmm_cpuid_entry *cpuid;
	unsigned int cpuid_nent;
	unsigned long mmio_next_rip;
	struct string_io sio;

	/* The guest's debug registers (guest_debug.c): shadows only. */
	unsigned long dr[4];		/* DR0-DR3 */
	unsigned long dr6, dr7;

	/* MINIVMM_SET_GUEST_DEBUG */
	u32 guest_debug;		/* MINIVMM_GUESTDBG_* */
	bool step_tf;			/* single-step with RFLAGS.TF: no MTF here */
	bool guest_tf;			/* the guest's own TF while step_tf sets it */
	bool step_retried;		/* this step was entered again once */
	u64 step_rip;			/* RIP at this step's entry */
	/* An instruction emulated since the last entry, and its RIP. */
	bool emulated;
	u64 insn_rip;

	/* MINIVMM_GET_STATS; written only by RUN, under vcpu->mutex. */
	struct minivmm_vcpu_stats stats;

	/* The exit-path profile (profile.c): the last stamp and its exit. */
	u64 prof_last;
	unsigned int prof_epoch, prof_reason;
};

/* vcpu.c: the VCPU fd */
int minivmm_vcpu_create(struct minivmm_vm *vm, unsigned long id);

/* run.c: the run loop and the world switch */
long minivmm_run(struct minivmm_vcpu *vcpu);

/* exits.c: the exit handlers' table (trap and emulate); exits.h dispatches */
const char *minivmm_exit_reason_name(u32 basic);
const char *minivmm_user_exit_name(u32 exit_reason);

/* Exit handlers with files of their own, and their ioctls */
int minivmm_handle_cpuid(struct minivmm_vcpu *vcpu);			/* cpuid.c */
long minivmm_set_cpuid(struct minivmm_vcpu *vcpu, void __user *argp);
int minivmm_handle_rdmsr(struct minivmm_vcpu *vcpu);			/* msr.c */
int minivmm_handle_wrmsr(struct minivmm_vcpu *vcpu);
long minivmm_msrs_ioctl(struct minivmm_vcpu *vcpu, void __user *argp, bool set);
void minivmm_syscall_msrs_load(struct minivmm_vcpu *vcpu);
void minivmm_syscall_msrs_restore_cpu(void);
int minivmm_handle_vmcall(struct minivmm_vcpu *vcpu);			/* hypercall.c */
int minivmm_handle_io(struct minivmm_vcpu *vcpu);			/* io.c */
int minivmm_string_io(struct minivmm_vcpu *vcpu);
void minivmm_string_io_complete_in(struct minivmm_vcpu *vcpu);
void minivmm_io_complete_in(struct minivmm_vcpu *vcpu);

/* events.c: event injection, the interrupt and NMI windows */
void minivmm_events_before_entry(struct minivmm_vcpu *vcpu);
void minivmm_events_after_exit(struct minivmm_vcpu *vcpu, u32 idt);
void minivmm_events_iret_fault(struct minivmm_vcpu *vcpu);
void minivmm_events_report(struct minivmm_vcpu *vcpu);
void minivmm_queue_exception(struct minivmm_vcpu *vcpu, u32 info, u32 error_code, u32 len);
int minivmm_handle_interrupt_window(struct minivmm_vcpu *vcpu);
long minivmm_interrupt_ioctl(struct minivmm_vcpu *vcpu, void __user *argp);
long minivmm_nmi_ioctl(struct minivmm_vcpu *vcpu, unsigned long arg);
long minivmm_get_events(struct minivmm_vcpu *vcpu, void __user *argp);
long minivmm_set_events(struct minivmm_vcpu *vcpu, void __user *argp);

/* guest_debug.c */
long minivmm_set_guest_debug(struct minivmm_vcpu *vcpu, void __user *argp);
void minivmm_step_tf_set(struct minivmm_vcpu *vcpu);
int minivmm_debug_exit(struct minivmm_vcpu *vcpu, u32 exception);
int minivmm_handle_mtf(struct minivmm_vcpu *vcpu);
int minivmm_debug_exception(struct minivmm_vcpu *vcpu, u8 vector);
int minivmm_handle_dr(struct minivmm_vcpu *vcpu);
void minivmm_debug_init(struct minivmm_vcpu *vcpu);

/* mmio.c */
void minivmm_mmio_snapshot(struct minivmm_vcpu *vcpu, struct mmio_state *st);
int minivmm_mmio_prepare(struct minivmm_vcpu *vcpu, const struct mmio_state *st, u64 gpa);
void minivmm_mmio_complete_read(struct minivmm_vcpu *vcpu);
int minivmm_guest_rw(struct minivmm_vcpu *vcpu, const struct mmio_state *st,
		     u64 la, void *buf, unsigned int len, bool write);

/* shadow.c: the shadow state. VMCS current. */
#define MINIVMM_NR_SEGS	8	/* CS, DS, ES, FS, GS, SS, TR, LDTR */
unsigned long minivmm_guest_cr0(void);
unsigned long minivmm_guest_cr4(void);
void minivmm_set_cr0(struct minivmm_vcpu *vcpu, unsigned long cr0);
void minivmm_set_cr4(struct minivmm_vcpu *vcpu, unsigned long cr4);
bool minivmm_cr0_valid(u64 cr0);
bool minivmm_cr4_valid(u64 cr4);
struct minivmm_segment *minivmm_sregs_seg(struct minivmm_sregs *sr, int i);
void minivmm_get_sregs(struct minivmm_vcpu *vcpu, struct minivmm_sregs *sr);
void minivmm_set_sregs(struct minivmm_vcpu *vcpu, struct minivmm_sregs *sr);
void minivmm_get_regs(struct minivmm_vcpu *vcpu, struct minivmm_regs *r);
void minivmm_set_regs(struct minivmm_vcpu *vcpu, const struct minivmm_regs *r);

/* vmcs_setup.c: the VMCS's control, host and guest areas. VMCS current. */
void minivmm_vmcs_setup(struct minivmm_vcpu *vcpu);
void minivmm_vmcs_setup_host_cpu(struct minivmm_vcpu *vcpu, int cpu);

/* vmcs.c: the VMCS on the right CPU */
void minivmm_vmcs_init(void);
/* Make the VMCS current on this CPU. Preemption off. */
void minivmm_vmcs_load(struct minivmm_vcpu *vcpu);
/* Make the VMCS inactive wherever it is active. Interrupts on. */
void minivmm_vmcs_clear(struct minivmm_vcpu *vcpu);
void minivmm_vmcs_clear_cpu(void);
/* The VMCS outside RUN (ioctls): preemption off between get and put. */
void minivmm_vcpu_get(struct minivmm_vcpu *vcpu);
void minivmm_vcpu_put(struct minivmm_vcpu *vcpu);
int minivmm_vpid_alloc(void);
void minivmm_vpid_free(u16 vpid);

/* vmenter.S: VM entry and the host's resume point after a VM exit */
#define MINIVMM_ENTER_RESUME	BIT(0)	/* VMRESUME, else VMLAUNCH */
#define MINIVMM_ENTER_VERW	BIT(1)	/* clear CPU buffers before the entry */
int minivmm_vmx_enter(unsigned long *regs, unsigned int flags);
void minivmm_vmx_exit(void);
void minivmm_do_nmi_irqoff(unsigned long handler);

#endif
