/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The hypercalls vmm answers: minivmm's paravirtual interface, a VMCALL
 * with the number in RAX (docs/hypercalls.md). The module answers
 * MINIVMM_HC_NOP itself and hands the others to vmm as
 * MINIVMM_EXIT_HYPERCALL.
 */
#ifndef VMM_HYPERCALL_H
#define VMM_HYPERCALL_H

#include <stdint.h>

struct vcpu;

/* Hypercall numbers and results (docs/hypercalls.md). */
#define VMM_HC_CONSOLE_WRITE	1	/* (gpa, len): write guest bytes to stdout */
#define VMM_HC_EXIT		2	/* (value): end the guest, vmm exits with value */
#define VMM_HC_EINVAL		((uint64_t)-22)
#define VMM_HC_ENOSYS		((uint64_t)-38)

/* The hypercall in v->run: VCPU_GO_ON, or the guest's exit status. */
int hypercall_handle(struct vcpu *v);

#endif
