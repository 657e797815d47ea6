/* SPDX-License-Identifier: GPL-2.0 WITH Linux-syscall-note */
/*
 * minivmm userspace ABI: the one header shared by kmod/ and vmm/.
 *
 * Conventions (stable forever once released):
 *  - one ioctl magic, MINIVMM_IO; numbers grouped by fd level:
 *      0x00-0x3f  system fd (/dev/minivmm)
 *      0x40-0x7f  VM fd     (returned by MINIVMM_CREATE_VM)
 *      0x80-0xbf  VCPU fd
 *    a retired number stays reserved, direction bits never change;
 *  - structures use only __u8..__u64, explicit padding, pointers as __u64;
 *  - every "flags" word rejects unknown bits with -EINVAL;
 *  - MINIVMM_API_VERSION never changes: new features are announced as
 *    capabilities (MINIVMM_CHECK_CAPABILITY) that userspace checks at start.
 *
 * Errors common to every ioctl: -ENOTTY for an unknown ioctl number; on a
 * VM or VCPU fd, -EIO in any process but the one that created the VM
 * (after fork, or with the fd passed over a unix socket), as in KVM.
 */
#ifndef _UAPI_LINUX_MINIVMM_H
#define _UAPI_LINUX_MINIVMM_H

#include <linux/types.h>
#include <linux/ioctl.h>

#define MINIVMM_API_VERSION	1

#define MINIVMM_IO		0xB7

/* ---- System fd (/dev/minivmm) ---- */

/*
 * MINIVMM_GET_API_VERSION: no argument (must be 0, else -EINVAL).
 * Returns MINIVMM_API_VERSION.
 */
#define MINIVMM_GET_API_VERSION	_IO(MINIVMM_IO, 0x00)

/*
 * MINIVMM_CREATE_VM: argument is a flags word; no flag is defined yet, so it
 * must be 0 (else -EINVAL). Returns a new VM fd (O_CLOEXEC); closing it
 * destroys the VM and frees everything it holds.
 * Errors: -EBUSY when another hypervisor already owns VMX on some CPU (the
 * module logs the likely owner and the fix), -EIO when VMXON fails on a
 * CPU, -ENOSPC when max_vms VMs exist (module parameter), -ENOMEM, -EMFILE.
 */
#define MINIVMM_CREATE_VM	_IO(MINIVMM_IO, 0x01)

/*
 * MINIVMM_CHECK_CAPABILITY: argument is a MINIVMM_CAP_* number.
 * Returns the capability's value: 0 for an absent or unknown capability,
 * 1 (or a number, where the capability says so) when present.
 */
#define MINIVMM_CHECK_CAPABILITY	_IO(MINIVMM_IO, 0x02)

/*
 * MINIVMM_GET_VCPU_MMAP_SIZE: no argument (must be 0, else -EINVAL).
 * Returns the size in bytes of the run area to mmap from a VCPU fd
 * (offset 0).
 */
#define MINIVMM_GET_VCPU_MMAP_SIZE	_IO(MINIVMM_IO, 0x03)

/* ---- VM fd ---- */

/*
 * MINIVMM_SET_MEMORY_REGION: map userspace memory into guest-physical space.
 * guest_phys_addr, memory_size and userspace_addr are 4 KiB aligned; a
 * memory_size of 0 deletes the slot. Errors: -EINVAL (unaligned, wrapping,
 * slot >= MINIVMM_CAP_NR_MEMSLOTS, unknown flags, resizing a live slot),
 * -EEXIST (overlaps another slot), -EFAULT (some of the range is not
 * mapped in the caller, or is I/O memory that cannot back a guest: checked
 * when the region is set), -ENOMEM. Memory unmapped later makes the RUN
 * that first touches it fail with -EFAULT (see MINIVMM_RUN).
 * Guest memory is the process's memory, not pinned: the guest always sees
 * what the process's mapping holds now. After munmap, mmap(MAP_FIXED) or
 * madvise(MADV_DONTNEED) over the range, the guest's next access finds the
 * new pages; the kernel may swap, migrate or merge them as any other.
 */
struct minivmm_memory_region {
	__u32 slot;
	__u32 flags;			/* MINIVMM_MEM_* */
	__u64 guest_phys_addr;
	__u64 memory_size;		/* bytes; 0 deletes the slot */
	__u64 userspace_addr;		/* start of the backing memory */
};

#define MINIVMM_MEM_READONLY	(1U << 0)	/* guest writes exit as MMIO */

#define MINIVMM_SET_MEMORY_REGION \
	_IOW(MINIVMM_IO, 0x40, struct minivmm_memory_region)

/*
 * MINIVMM_CREATE_VCPU: argument is the VCPU id, 0 to
 * MINIVMM_CAP_MAX_VCPUS - 1. Returns a VCPU fd. Errors: -EINVAL (id out of
 * range), -EEXIST (id in use), -ENOSPC (no VPID left), -ENOMEM, -EMFILE.
 */
#define MINIVMM_CREATE_VCPU	_IO(MINIVMM_IO, 0x41)

/*
 * ---- VCPU fd ----
 * Every VCPU ioctl fails with -EIO when used from another process than the
 * one that created the VM, and with -EINTR when the caller is killed while
 * waiting for the VCPU (another thread of it in RUN, say).
 */

/* General-purpose registers, RIP and RFLAGS: the VCPU's shadow state. */
struct minivmm_regs {
	__u64 rax, rbx, rcx, rdx, rsi, rdi, rsp, rbp;
	__u64 r8, r9, r10, r11, r12, r13, r14, r15;
	__u64 rip, rflags;
};

/* A segment register as the VMCS guest area holds it (SDM 25.4.1). */
struct minivmm_segment {
	__u64 base;
	__u32 limit;
	__u16 selector;
	__u8 type;		/* 4 bits */
	__u8 present, dpl, db, s, l, g, avl;
	__u8 unusable;
	__u8 padding[5];
};

struct minivmm_dtable {
	__u64 base;
	__u16 limit;
	__u16 padding[3];
};

/*
 * Segments, descriptor tables, control registers and EFER. cr8 is the
 * guest's task priority (MOV to/from CR8 in 64-bit mode, SDM Vol. 3A
 * 10.8.6.1): 0-15, kept by minivmm (the host's TPR is never the guest's).
 */
struct minivmm_sregs {
	struct minivmm_segment cs, ds, es, fs, gs, ss, tr, ldt;
	struct minivmm_dtable gdt, idt;
	__u64 cr0, cr2, cr3, cr4, efer;
	__u64 cr8;
};

/*
 * MINIVMM_RUN: no argument (must be 0, else -EINVAL). Runs the guest until
 * an exit userspace must handle. Returns 0 with minivmm_run.exit_reason
 * set, or -EINTR (exit_reason MINIVMM_EXIT_INTR) when a signal is pending,
 * or -EIO when the VCPU fd is used from another process. -EFAULT: the guest touched a slot whose
 * memory is no longer mapped in the process (unmapped after
 * SET_MEMORY_REGION, or made read-only under a writable slot); -ENOMEM:
 * no memory for the EPT. After either, the run area's exit_reason is left
 * as it was, the guest's RIP is still at the instruction that touched the
 * memory, and a RUN after the memory is back (or the slot is deleted: then
 * the access is MMIO) runs it again.
 */
#define MINIVMM_RUN		_IO(MINIVMM_IO, 0x80)
#define MINIVMM_GET_REGS	_IOR(MINIVMM_IO, 0x81, struct minivmm_regs)
#define MINIVMM_SET_REGS	_IOW(MINIVMM_IO, 0x82, struct minivmm_regs)
#define MINIVMM_GET_SREGS	_IOR(MINIVMM_IO, 0x83, struct minivmm_sregs)
/*
 * MINIVMM_SET_SREGS: -EINVAL for a CR4 bit the CPU cannot run the guest
 * with (reserved, unsupported in VMX operation, or VMXE) or a cr8 above
 * 15; any other state
 * is taken as is, and a state VM entry refuses makes RUN exit with
 * MINIVMM_EXIT_FAIL_ENTRY.
 */
#define MINIVMM_SET_SREGS	_IOW(MINIVMM_IO, 0x84, struct minivmm_sregs)

/*
 * MINIVMM_SET_CPUID: the answers CPUID gives the guest (handled in the
 * kernel, without an exit to userspace). entries points to nent entries;
 * nent 0 returns to the default (the host's CPUID without VMX, XSAVE and
 * AVX, with the hypervisor bit). A leaf missing from a table reads as
 * zeros. Errors: -E2BIG (nent > MINIVMM_MAX_CPUID_ENTRIES), -EINVAL
 * (unknown flags, nonzero padding), -EFAULT, -ENOMEM.
 */
struct minivmm_cpuid_entry {
	__u32 function;		/* EAX on input */
	__u32 index;		/* ECX on input, if MINIVMM_CPUID_INDEXED */
	__u32 flags;
	__u32 eax, ebx, ecx, edx;
	__u32 padding;
};

#define MINIVMM_CPUID_INDEXED	(1U << 0)	/* index is significant */
#define MINIVMM_MAX_CPUID_ENTRIES	256

struct minivmm_cpuid {
	__u32 nent;
	__u32 padding;
	__u64 entries;		/* userspace pointer to the entries */
};

#define MINIVMM_SET_CPUID	_IOW(MINIVMM_IO, 0x85, struct minivmm_cpuid)

/*
 * The default CPUID answers leaf 0x40000000 with EAX = 0x40000000 and the
 * signature "minivmm\0\0\0\0\0" in EBX, ECX, EDX: a guest that finds it
 * may use minivmm's hypercalls (docs/hypercalls.md).
 */
#define MINIVMM_CPUID_SIGNATURE	0x40000000

/*
 * MINIVMM_GET_MSRS / MINIVMM_SET_MSRS: read or write nmsrs model-specific
 * registers of the VCPU. Returns how many were done, stopping at the first
 * MSR minivmm does not support. The supported MSRs, which are also the only
 * ones the guest's RDMSR/WRMSR reach (any other raises #GP in the guest):
 *   0x10 IA32_TSC (read only: the guest's TSC,
 *   which RDTSC reads without an exit: 0 when the VM was created),
 *   0x8b IA32_BIOS_SIGN_ID (reads MINIVMM_UCODE_REV, writes are ignored),
 *   0x174-0x176 IA32_SYSENTER_CS/ESP/EIP, 0x1a0 IA32_MISC_ENABLE (reads
 *   1, fast strings), 0x277 IA32_PAT, 0xc0000080 IA32_EFER,
 *   0xc0000081-0xc0000084 STAR, LSTAR, CSTAR, SFMASK (the guest's own
 *   SYSCALL targets: the host's are back before any host userspace runs),
 *   0xc0000103 TSC_AUX (what RDTSCP and RDPID read; where the CPU lets
 *   the guest run them, CPUID says so), switched the same way,
 *   0xc0000100 FS_BASE, 0xc0000101 GS_BASE, 0xc0000102 KERNEL_GS_BASE.
 * Errors: -E2BIG (nmsrs > MINIVMM_MAX_MSR_ENTRIES), -EINVAL (nonzero
 * padding), -EFAULT.
 */
struct minivmm_msr_entry {
	__u32 index;
	__u32 padding;
	__u64 data;
};

#define MINIVMM_MAX_MSR_ENTRIES	64

/* IA32_BIOS_SIGN_ID: microcode revision 1, in bits 63:32 (SDM 10.11.7.1). */
#define MINIVMM_UCODE_REV	0x100000000ULL

struct minivmm_msrs {
	__u32 nmsrs;
	__u32 padding;
	__u64 entries;		/* userspace pointer to the entries */
};

#define MINIVMM_GET_MSRS	_IOWR(MINIVMM_IO, 0x86, struct minivmm_msrs)
#define MINIVMM_SET_MSRS	_IOW(MINIVMM_IO, 0x87, struct minivmm_msrs)

/*
 * MINIVMM_GET_STATS: what the VCPU did since it was created, and its VM's
 * memory. Read-only counters; the VCPU's are changed only by its own RUN.
 * Errors: -EFAULT.
 */
#define MINIVMM_NR_EXIT_REASONS	66	/* basic exit reasons 0-65, SDM Appendix C */

struct minivmm_vcpu_stats {
	__u64 runs;			/* MINIVMM_RUN calls */
	__u64 userspace_exits;		/* RUNs that returned an exit to handle */
	__u64 signal_exits;		/* RUNs ended by a signal or immediate_exit */
	__u64 exits;			/* VM exits, for any reason */
	__u64 exits_by_reason[MINIVMM_NR_EXIT_REASONS];
	__u64 failed_entries;		/* VM entries that failed */
	__u64 ept_faults_in;		/* guest pages its EPT violations mapped */
	__u64 mmio_exits;		/* EPT violations that became MMIO exits */
	__u64 vm_mapped_pages;		/* the VM's guest pages mapped in its EPT now */
};

#define MINIVMM_GET_STATS	_IOR(MINIVMM_IO, 0x88, struct minivmm_vcpu_stats)

/*
 * MINIVMM_SET_GUEST_DEBUG: stop the guest for a debugger. With ENABLE,
 * SINGLESTEP makes each RUN execute one guest instruction and return
 * MINIVMM_EXIT_DEBUG (exception 1) with RIP at the next one: by the monitor
 * trap flag (SDM 26.5.2), or where the CPU has none by RFLAGS.TF (which a
 * PUSHF in the guest then sees), or at once when the kernel or userspace
 * emulated the instruction. SW_BP makes INT3 return MINIVMM_EXIT_DEBUG
 * (exception 3) with RIP at the INT3, instead of raising #BP in the guest.
 * flags 0 turns it all off. Errors: -EINVAL (unknown flag, or
 * SINGLESTEP/SW_BP without ENABLE), -EFAULT.
 */
struct minivmm_guest_debug {
	__u32 flags;		/* MINIVMM_GUESTDBG_* */
	__u32 padding;
};

#define MINIVMM_GUESTDBG_ENABLE		(1U << 0)
#define MINIVMM_GUESTDBG_SINGLESTEP	(1U << 1)
#define MINIVMM_GUESTDBG_SW_BP		(1U << 2)

#define MINIVMM_SET_GUEST_DEBUG	_IOW(MINIVMM_IO, 0x89, struct minivmm_guest_debug)

/*
 * MINIVMM_INTERRUPT: an external interrupt for the guest, as an interrupt
 * controller in userspace raises it (KVM_INTERRUPT's shape): vector irq
 * is delivered through the guest's IDT at the next entry (SDM 26.6). Only
 * when the guest can take one: run->ready_for_interrupt_injection after
 * the last exit (RFLAGS.IF set, no STI or MOV SS shadow, no interrupt
 * queued or being delivered). If userspace changed the state since (IF
 * cleared with SET_REGS), the interrupt waits for the guest's interrupt
 * window. Errors: -EINVAL (irq > 255, nonzero padding), -EBUSY (the guest
 * cannot take an interrupt now: ask for an exit when it can with
 * run->request_interrupt_window), -EEXIST (one is queued already), -EFAULT.
 */
struct minivmm_interrupt {
	__u32 irq;		/* vector, 0-255 */
	__u32 padding;
};

#define MINIVMM_INTERRUPT	_IOW(MINIVMM_IO, 0x8a, struct minivmm_interrupt)

/*
 * MINIVMM_NMI: no argument (must be 0, else -EINVAL). A non-maskable
 * interrupt for the guest, delivered as soon as the guest does not block
 * NMIs (not in its NMI handler, no STI or MOV SS shadow): by NMI-window
 * exiting, without an exit to userspace. A second NMI while one is still
 * pending is merged with it, as two NMIs are at a CPU's pin. -EOPNOTSUPP
 * without MINIVMM_CAP_NMI.
 */
#define MINIVMM_NMI		_IO(MINIVMM_IO, 0x8b)

/*
 * MINIVMM_GET_VCPU_EVENTS / MINIVMM_SET_VCPU_EVENTS: the events of the
 * VCPU that the registers do not show (KVM_GET/SET_VCPU_EVENTS' shape).
 *
 * An event "injected" is one whose delivery through the IDT has begun: at
 * the next entry it is delivered (again). That is the case after an exit
 * during its delivery (the IDT-vectoring information, SDM 27.2.4): a page
 * of the IDT, GDT or stack that the EPT had not mapped yet, or a host
 * interrupt that arrived meanwhile. At most one of exception, interrupt
 * and NMI is injected. An interrupt "pending" is one MINIVMM_INTERRUPT
 * queued that waits for the guest's interrupt window; an NMI pending
 * waits for the NMI window.
 *
 * SET errors: -EINVAL for nonzero flags, padding or reserved words, more
 * than one event injected, an exception vector above 31 or 2 (NMI), an
 * unknown shadow bit or both shadows, an NMI masked or pending without
 * MINIVMM_CAP_NMI, a software event with instruction_len 0 or above 15;
 * -EFAULT.
 */
#define MINIVMM_SHADOW_STI	(1U << 0)	/* the instruction after STI */
#define MINIVMM_SHADOW_MOV_SS	(1U << 1)	/* after MOV SS or POP SS */

struct minivmm_vcpu_events {
	struct {
		__u8 injected;
		__u8 nr;		/* vector, 0-31 */
		__u8 has_error_code;
		__u8 soft;		/* INT3 or INTO: instruction_len counts */
		__u32 error_code;
	} exception;
	struct {
		__u8 injected;		/* vector nr is being delivered */
		__u8 nr;
		__u8 soft;		/* INT n: instruction_len counts */
		__u8 pending;		/* vector pending_nr waits for the window */
		__u8 pending_nr;
		__u8 shadow;		/* MINIVMM_SHADOW_*: blocks interrupts now */
		__u8 padding[2];
	} interrupt;
	struct {
		__u8 injected;
		__u8 pending;		/* waits for the NMI window */
		__u8 masked;		/* blocked: the guest runs its NMI handler */
		__u8 padding;
	} nmi;
	__u32 instruction_len;		/* of the INT n, INT3 or INTO re-delivered */
	__u32 flags;			/* none defined: 0 */
	__u32 reserved[8];		/* 0 */
};

#define MINIVMM_GET_VCPU_EVENTS	_IOR(MINIVMM_IO, 0x8c, struct minivmm_vcpu_events)
#define MINIVMM_SET_VCPU_EVENTS	_IOW(MINIVMM_IO, 0x8d, struct minivmm_vcpu_events)

/*
 * ---- The run area (mmap of a VCPU fd) ----
 *
 * One page at offset 0, MAP_SHARED. Like every VM and VCPU ioctl, mmap
 * gives -EIO in a process other than the one that created the VM, even
 * with the fd passed over a unix socket (KVM allows this mmap; minivmm
 * does not, since the area holds guest data). A mapping the owner made
 * is inherited by a fork like any shared mapping.
 */

#define MINIVMM_EXIT_UNKNOWN		0
#define MINIVMM_EXIT_IO			1	/* IN/OUT: io */
#define MINIVMM_EXIT_MMIO		2	/* access with no memory: mmio */
#define MINIVMM_EXIT_HLT		3	/* HLT */
#define MINIVMM_EXIT_SHUTDOWN		4	/* triple fault */
#define MINIVMM_EXIT_HYPERCALL		5	/* VMCALL: hypercall */
#define MINIVMM_EXIT_FAIL_ENTRY		6	/* VM entry failed: fail_entry */
#define MINIVMM_EXIT_INTERNAL_ERROR	7	/* internal */
#define MINIVMM_EXIT_INTR		8	/* a signal interrupted RUN */
#define MINIVMM_EXIT_DEBUG		9	/* single step or INT3: debug */
/* The guest can take an interrupt now (run->request_interrupt_window). */
#define MINIVMM_EXIT_IRQ_WINDOW_OPEN	10

#define MINIVMM_IO_IN		0
#define MINIVMM_IO_OUT		1

/* Where the data of an I/O exit lives inside the run area. */
#define MINIVMM_RUN_IO_DATA_OFFSET	2048
#define MINIVMM_RUN_IO_DATA_SIZE	2048

struct minivmm_run {
	/* in */
	__u8 immediate_exit;	/* nonzero: RUN returns -EINTR before entry */
	/*
	 * Nonzero: exit with MINIVMM_EXIT_IRQ_WINDOW_OPEN as soon as the guest
	 * can take an interrupt (interrupt-window exiting, SDM 26.7.5), at
	 * once if it can already.
	 */
	__u8 request_interrupt_window;
	__u8 padding1[6];
	/* out */
	__u32 exit_reason;	/* MINIVMM_EXIT_* */
	/* After every RUN: may MINIVMM_INTERRUPT deliver now? (see there) */
	__u8 ready_for_interrupt_injection;
	__u8 if_flag;		/* the guest's RFLAGS.IF */
	__u8 padding2[2];
	union {
		/* MINIVMM_EXIT_IO: for IN, fill the data before the next RUN. */
		struct {
			__u8 direction;		/* MINIVMM_IO_IN or _OUT */
			__u8 size;		/* 1, 2 or 4 bytes */
			__u16 port;
			__u32 count;		/* items (REP string I/O) */
			__u64 data_offset;	/* from the start of the run area */
		} io;
		/* MINIVMM_EXIT_MMIO: for a read, fill data before the next RUN. */
		struct {
			__u64 phys_addr;
			__u8 data[8];
			__u32 len;		/* 1, 2, 4 or 8 */
			__u8 is_write;
			__u8 padding[3];
		} mmio;
		/*
		 * MINIVMM_EXIT_HYPERCALL: see docs/hypercalls.md. Every
		 * number but MINIVMM_HC_NOP comes here.
		 */
		struct {
			__u64 nr;		/* RAX */
			__u64 args[4];		/* RBX, RCX, RDX, RSI */
			__u64 ret;		/* in: returned to the guest in RAX */
		} hypercall;
		/* MINIVMM_EXIT_FAIL_ENTRY */
		struct {
			__u64 hardware_entry_failure_reason;	/* exit reason */
			__u64 exit_qualification;
			__u32 vm_instruction_error;
			__u32 cpu;
		} fail_entry;
		/* MINIVMM_EXIT_INTERNAL_ERROR */
		struct {
			__u32 suberror;		/* MINIVMM_INTERNAL_* */
			__u32 ndata;
			__u64 data[16];
		} internal;
		/* MINIVMM_EXIT_DEBUG (MINIVMM_SET_GUEST_DEBUG) */
		struct {
			__u64 rip;		/* where the guest stopped */
			__u32 exception;	/* 1: single step done, 3: INT3 */
			__u32 padding;
		} debug;
		__u8 padding[256];
	};
	/*
	 * out: the RIP of the instruction that caused the exit (I/O, MMIO,
	 * HLT, VMCALL), or where the guest stopped (other exits). For tracing:
	 * after an I/O exit the guest resumes past the instruction.
	 */
	__u64 exit_rip;
};

/* Hypercall the kernel answers itself: RAX = 0, no exit to userspace. */
#define MINIVMM_HC_NOP			0

#define MINIVMM_INTERNAL_UNKNOWN_EXIT	1	/* data[0]: VMX exit reason */
#define MINIVMM_INTERNAL_EMULATION	2	/* data[0]: GPA, data[1..2]: insn bytes */
/*
 * The CPU's own access to the guest's page tables (a walk, or setting an
 * accessed or dirty bit) found no RAM, or a read-only slot: data[0] the
 * GPA of the paging-structure entry, data[1] the EPT exit qualification,
 * data[2] the RIP.
 */
#define MINIVMM_INTERNAL_PAGE_WALK	3

/* ---- Capabilities ---- */

/* VMX "unrestricted guest": real-mode and unpaged guests run natively. */
#define MINIVMM_CAP_UNRESTRICTED_GUEST	1
/* EPT (extended page tables): guest memory is mapped by second-level paging. */
#define MINIVMM_CAP_EPT			2
/* VPID: guest TLB entries are tagged, so VM exits need no TLB flush. */
#define MINIVMM_CAP_VPID		3
/* EPT accessed and dirty flags are available. */
#define MINIVMM_CAP_EPT_AD		4
/* Returns the maximum number of VMs that may exist at once. */
#define MINIVMM_CAP_MAX_VMS		5
/* Returns the number of VCPUs a VM may have. */
#define MINIVMM_CAP_MAX_VCPUS		6
/* Returns the number of memory slots a VM has. */
#define MINIVMM_CAP_NR_MEMSLOTS		7
/*
 * MINIVMM_INTERRUPT, request_interrupt_window, ready_for_interrupt_injection
 * and if_flag in the run area, MINIVMM_EXIT_IRQ_WINDOW_OPEN,
 * MINIVMM_GET/SET_VCPU_EVENTS, and events an exit cut short delivered
 * again.
 */
#define MINIVMM_CAP_INTERRUPTS		8
/* MINIVMM_NMI and the nmi fields of the VCPU events ("virtual NMIs"). */
#define MINIVMM_CAP_NMI			9
/*
 * Returns the frequency of the guest's TSC in kHz: the host's, which
 * minivmm offsets but never scales (0 if the host kernel does not know
 * it). vmm tells a Linux guest through CPUID leaf 0x15.
 */
#define MINIVMM_CAP_TSC_KHZ		10

#endif /* _UAPI_LINUX_MINIVMM_H */
