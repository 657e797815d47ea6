/* SPDX-License-Identifier: GPL-2.0 */
/*
 * What vmm prints about a VM when the guest has ended: every VCPU's
 * registers (--dump-regs) and the hypervisor's counters (--stats), one
 * "regs ..." or "stats ..." line each on stderr, for people and scripts;
 * and an internal-error exit in words.
 */
#ifndef VMM_REPORT_H
#define VMM_REPORT_H

struct vm;
struct vcpu;

/* --dump-regs: "regs vcpuN name value" lines, after completing the last exit. */
void report_regs(struct vm *vm);
/* --stats: "stats vcpuN NAME VALUE" lines, then the VM's. */
void report_stats(struct vm *vm);
/*
 * MINIVMM_EXIT_INTERNAL_ERROR: one "vmm: internal error: ..." line naming
 * the instruction and its RIP (regs_rip: the RIP from the registers, used
 * under KVM, whose run area has no exit_rip without --trace).
 */
void report_internal(struct vcpu *v, unsigned long long regs_rip);

#endif
