/* SPDX-License-Identifier: GPL-2.0 */
/*
 * vmm's view of one VM and its VCPUs, on top of a hypervisor backend
 * (accel.h). Each VCPU runs in its own thread.
 */
#ifndef VMM_VM_H
#define VMM_VM_H

#include <pthread.h>
#include <signal.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <linux/minivmm.h>

#include "accel.h"
#include "bus.h"
#include "console.h"
#include "devices/clock.h"
#include "devices/i8042.h"
#include "devices/i8254.h"
#include "devices/i8259.h"
#include "devices/legacy.h"
#include "devices/mc146818.h"
#include "devices/uart16550.h"

#define VMM_MAX_VCPUS	8
/* Each VCPU's stack is below the previous one's (docs/vmm.md). */
#define VMM_VCPU_STACK		0x8000	/* protected and long mode: 32 KiB */
#define VMM_VCPU_STACK_16	0x400	/* real mode: 1 KiB */

struct vcpu {
	struct vm *vm;
	unsigned int index;
	int fd;
	/* The exit, in minivmm's shape whatever the backend. */
	struct minivmm_run *run;
	/* The flag the kernel reads before entering the guest. */
	volatile uint8_t *immediate_exit;
	void *backend_run;		/* KVM: its own run page */
	size_t backend_run_size;
	uint32_t last_exit;		/* KVM: exit to complete before the next RUN */
	pthread_t thread;
	bool started;
	unsigned long exits;
	char insn[48];			/* --trace: the exit's instruction, or "" */
	uint64_t insn_rip;
};

#define VMM_GDB_BPS	64

struct vm {
	const struct accel *accel;
	int sys_fd, vm_fd;
	uint8_t *mem;			/* guest-physical 0 .. mem_size */
	uint64_t mem_size;
	unsigned int nr_vcpus;
	struct vcpu vcpus[VMM_MAX_VCPUS];
	/* The devices: on the bus from vm_create(); com1's state is here. */
	struct bus bus;
	struct uart16550 com1;
	struct i8259 pic;		/* the PC's devices (interrupts.c wires them) */
	struct i8254 pit;
	struct mc146818 rtc;
	struct i8042 kbc;
	struct legacy legacy;
	struct vclock clock;		/* CLOCK_MONOTONIC: the guest's time is the host's */
	/* interrupts.c: the event thread, and VCPU 0 asleep in HLT. */
	pthread_t event_thread;
	bool event_started, stopping;
	int wake_pipe[2];		/* wakes the event thread */
	pthread_cond_t wake;		/* wakes VCPU 0 from HLT (with lock) */
	bool bsp_halted, bsp_kicked;
	volatile sig_atomic_t stop_requested;	/* a stop signal came */
	const char *reset_reason;	/* the guest reset the machine: why */
	bool stdin_open;		/* typed input goes to COM1 (until EOF) */
	/* Typed, waiting for the guest to listen and have room (lock held). */
	uint8_t typed[256];
	unsigned int typed_len;
	struct console console;		/* the terminal's escape key */
	bool quit;			/* Ctrl-A x */
	unsigned long irqs_injected, halts;
	/* Guards the bus, its devices and counters, and the VM's end (below). */
	pthread_mutex_t lock;
	pthread_cond_t stopped;		/* signalled when running drops to 0 */
	bool trace;
	bool strict_exit;		/* --strict-exit: only the exit port ends it well */
	bool reboot;			/* --reboot: a reset ends it with VMM_RESTART */
	bool done;			/* a VCPU ended the VM: stop the others */
	int status;			/* vmm's exit status once done */
	unsigned int running;		/* VCPU threads still running */
	/* --gdb (gdbstub.c): the connection, -1 without, and gdb's breakpoints. */
	int gdb_fd;
	struct {
		uint64_t addr;
		uint8_t orig;		/* the byte the INT3 replaced */
		bool used;
	} gdb_bp[VMM_GDB_BPS];
};

/* vmm's own exit statuses; a guest's exit value is returned as is. */
enum {
	VMM_EXIT_USAGE = 64,		/* bad command line */
	VMM_EXIT_NO_DEVICE = 65,	/* module missing, no permission, wrong API or a capability missing */
	VMM_EXIT_NOT_AVAILABLE = 66,	/* no VM could be created (VMX busy) */
	VMM_EXIT_IMAGE = 67,		/* the guest image cannot be loaded */
	VMM_EXIT_TRIPLE_FAULT = 70,	/* the guest triple-faulted (shutdown) */
	VMM_EXIT_FAIL_ENTRY = 71,	/* the CPU refused to enter the guest */
	VMM_EXIT_INTERNAL = 72,		/* the hypervisor could not handle an exit */
	VMM_EXIT_SIGNAL = 73,		/* stopped by SIGINT, SIGTERM, SIGALRM or Ctrl-A x */
	VMM_EXIT_ERROR = 74,		/* an ioctl or a system call failed */
	VMM_EXIT_NO_STATUS = 75,	/* --strict-exit: reset or halted, no status written */
};

/* The guest reset the machine under --reboot: main() powers on a fresh VM. */
#define VMM_RESTART	256

/* What handling one exit returns, besides a vmm exit status (0-255 or the above). */
#define VCPU_GO_ON	(-1)	/* handled: enter the guest again */
#define VCPU_STOPPED	(-2)	/* this VCPU is done (HLT), the VM goes on */

/* The PC's legacy hole: guest-physical [640 KiB, 1 MiB) is not RAM. */
#define VMM_HOLE_START	0xa0000ULL
#define VMM_HOLE_END	0x100000ULL

/* Create the VM, its memory and nr_vcpus VCPUs: 0 or a vmm exit status. */
int vm_create(struct vm *vm, const struct accel *accel, int sys_fd,
	      uint64_t mem_size, unsigned int nr_vcpus);
/*
 * The PC's ROM area, guest-physical [768 KiB, 1 MiB): read-only memory
 * (zeros: no option ROM, no BIOS tables) where a kernel looks for them, so
 * that its scans read memory rather than exit as MMIO. 0 or -1, errno.
 */
#define VMM_ROM_START	0xc0000ULL
int vm_add_rom(struct vm *vm);
/* End the VM from outside a VCPU thread (the console's Ctrl-A x). */
void vm_quit(struct vm *vm, int status);
/* Run every VCPU, each in a thread, until the VM ends: its exit status. */
int vm_run(struct vm *vm);
void vm_destroy(struct vm *vm);

#endif
