/* SPDX-License-Identifier: GPL-2.0 */
/*
 * What vmm prints about a VM when the guest has ended: every VCPU's
 * registers (--dump-regs) and the hypervisor's counters (--stats), one
 * "regs ..." or "stats ..." line each on stderr, for people and scripts.
 */
#ifndef VMM_REPORT_H
#define VMM_REPORT_H

struct vm;

/* --dump-regs: "regs vcpuN name value" lines, after completing the last exit. */
void report_regs(struct vm *vm);
/* --stats: "stats vcpuN NAME VALUE" lines, then the VM's. */
void report_stats(struct vm *vm);

#endif
