/* SPDX-License-Identifier: GPL-2.0 */
/*
 * vmm --gdb PORT: a GDB remote stub (the GDB Remote Serial Protocol, GDB
 * manual appendix E) for a one-VCPU guest. gdb connects to
 * 127.0.0.1:PORT before the guest runs; it reads and writes registers and
 * guest memory (virtual addresses, through the guest's page tables),
 * steps (MINIVMM_GUESTDBG_SINGLESTEP), sets software breakpoints (INT3 with
 * MINIVMM_GUESTDBG_SW_BP), continues, detaches and kills.
 */
#ifndef VMM_GDBSTUB_H
#define VMM_GDBSTUB_H

#include <stdint.h>

struct vm;
struct vcpu;

/* What the guest does next, as gdb asked. */
enum gdb_action {
	GDB_CONTINUE,		/* run until a breakpoint or the end */
	GDB_STEP,		/* run one instruction */
	GDB_DETACH,		/* run on without gdb */
	GDB_KILL,		/* end vmm */
};

/* Why the guest stopped, for the stop reply. */
enum gdb_stop {
	GDB_STOP_START,		/* before its first instruction */
	GDB_STOP_STEP,		/* a step ended */
	GDB_STOP_BREAKPOINT,	/* an INT3 gdb set */
};

/* Listen on 127.0.0.1:port and wait for gdb: 0, or -1 with a message. */
int gdb_wait(struct vm *vm, unsigned int port);
/* The guest stopped: serve gdb until it resumes it. */
enum gdb_action gdb_stopped(struct vm *vm, struct vcpu *v, enum gdb_stop why);
/* Set the VCPU's debug flags for the action; 0 or -1 with errno. */
int gdb_resume(struct vm *vm, struct vcpu *v, enum gdb_action a);
/* The guest ended with this exit status: tell gdb and hang up. */
void gdb_exited(struct vm *vm, int status);

#endif
