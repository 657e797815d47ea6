/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The exit table (exits.c) as the run loop sees it: one dispatch per VM
 * exit, inline on the exit path. VMX root mode, preemption off, the
 * VCPU's VMCS current.
 */
#ifndef MINIVMM_EXITS_H
#define MINIVMM_EXITS_H

#include <linux/compiler.h>

#include "exit_reasons.h"
#include "vcpu.h"
#include "vmcs.h"

/*
 * The handlers by basic exit reason. Each returns 1 to re-enter the guest,
 * 0 when the run area is filled for userspace, MINIVMM_NEED_* for the run
 * loop, or a negative errno.
 */
extern int (*const minivmm_exit_handlers[EXIT_REASON_MAX + 1])(struct minivmm_vcpu *vcpu);
int minivmm_exit_failed_entry(struct minivmm_vcpu *vcpu);
int minivmm_exit_unknown(struct minivmm_vcpu *vcpu);

static __always_inline int minivmm_handle_exit(struct minivmm_vcpu *vcpu)
{
	u32 basic = vcpu->exit_reason & 0xffff;

	/* A failed entry is checked first (SDM 26.8): bit 31 of the reason. */
	if (unlikely(vcpu->exit_reason & VMX_EXIT_REASON_FAILED_ENTRY))
		return minivmm_exit_failed_entry(vcpu);
	if (likely(basic <= EXIT_REASON_MAX && minivmm_exit_handlers[basic]))
		return minivmm_exit_handlers[basic](vcpu);
	return minivmm_exit_unknown(vcpu);
}

#endif /* MINIVMM_EXITS_H */
