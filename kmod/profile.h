/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The exit-path profile: where the time between one VM exit and the next
 * goes, per exit reason (debugfs minivmm/profile, see profile.c).
 */
#ifndef MINIVMM_PROFILE_H
#define MINIVMM_PROFILE_H

#include <linux/jump_label.h>

struct minivmm_vcpu;

/*
 * The stages of one round trip, in the order they run. A round trip
 * belongs to the exit that starts it: EXIT, HANDLE, RETURN and USER follow
 * that exit; SETUP, ENTRY and GUEST lead to the next one.
 */
enum minivmm_prof_stage {
	PROF_EXIT,	/* VM exit done -> interrupts on: host state back */
	PROF_HANDLE,	/* the exit handler (and any fault-in or string I/O) */
	PROF_RETURN,	/* handler -> RUN returns to userspace */
	PROF_USER,	/* RUN returned -> RUN called again: vmm's share */
	PROF_SETUP,	/* RUN called -> the run loop */
	PROF_ENTRY,	/* run loop -> VMRESUME: checks, VMCS, host state */
	PROF_GUEST,	/* VMRESUME, guest code, VM exit (vmenter.S) */
	PROF_NR_STAGES
};

DECLARE_STATIC_KEY_FALSE(minivmm_profile_on);

void __minivmm_prof(struct minivmm_vcpu *vcpu, enum minivmm_prof_stage s);

/* Charge the time since the VCPU's last stamp to stage @s: a NOP when off. */
static __always_inline void minivmm_prof(struct minivmm_vcpu *vcpu,
					 enum minivmm_prof_stage s)
{
	if (static_branch_unlikely(&minivmm_profile_on))
		__minivmm_prof(vcpu, s);
}

void minivmm_profile_debugfs(struct dentry *dir);

#endif /* MINIVMM_PROFILE_H */
