/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Why did VM entry fail? The hardware says only "invalid guest state"
 * (exit reason 33, SDM 26.8). entry_check_guest() goes through the checks
 * on the guest-state area (SDM Vol. 3C, 26.3.1) that apply to minivmm's
 * guests (unrestricted guest, EPT) and names the first one the state
 * breaks, with the offending values. Pure logic: unit-tested on the host
 * (tests/unit/check_entrycheck.c) and run by vmm on a failed entry.
 */
#ifndef VMM_ENTRYCHECK_H
#define VMM_ENTRYCHECK_H

#include <linux/minivmm.h>

struct entry_check {
	const char *id;		/* short name, e.g. "cs_type" */
	const char *sdm;	/* the SDM section, e.g. "26.3.1.2" */
	char what[200];		/* the rule, with the offending values */
};

/*
 * maxphyaddr: the CPU's physical-address width (CPUID 0x80000008 EAX[7:0]),
 * for CR3's reserved bits; 0 means 52, the architectural maximum.
 * Returns 1 with *out filled if a check fails, 0 if none does.
 */
/* This CPU's physical-address width from CPUID 0x80000008, or 0. */
unsigned int entry_check_maxphyaddr(void);

int entry_check_guest(const struct minivmm_regs *r, const struct minivmm_sregs *s,
		      unsigned int maxphyaddr, struct entry_check *out);

#endif
