/* SPDX-License-Identifier: GPL-2.0 */
/*
 * What the virtual PC's processor says it is: the CPUID table vmm gives a
 * Linux guest (--kernel). Runs in user mode on the host; cpuid_pc() is
 * pure logic, unit-tested.
 *
 * The table is a whitelist over what the hypervisor can run (the host's
 * CPUID for minivmm, KVM_GET_SUPPORTED_CPUID for KVM): a feature is
 * offered only if vmm's PC and the hypervisor emulate all of it. So no
 * local APIC, x2APIC or TSC deadline (the PC has an 8259A), no MTRRs,
 * machine checks, performance counters, thermal or power management, no
 * XSAVE or AVX, no speculation-control MSRs (each would be an MSR the
 * guest reads and the hypervisor refuses); the hypervisor bit; one
 * processor, APIC ID 0; the TSC's frequency in leaves 0x15 (the TSC) and
 * 0x16 (the processor's base and maximum) so that the kernel need not
 * measure either against the PIT.
 */
#ifndef VMM_CPUID_H
#define VMM_CPUID_H

#include <stdbool.h>
#include <stdint.h>

#include <linux/minivmm.h>

#define CPUID_MAX_ENTRIES	64

/*
 * This processor's CPUID as vmm reads it (basic and extended leaves, the
 * subleaves of 4 and 7): the number of entries written to e, at most max.
 */
unsigned int cpuid_host(struct minivmm_cpuid_entry *e, unsigned int max);

/*
 * The PC's processor from raw[0..n): entries written to out (at most max).
 * tsc_khz 0 leaves leaves 0x15 and 0x16 out; minivmm_leaf adds leaf 0x40000000 with
 * minivmm's signature (its hypercalls exist only under minivmm).
 */
unsigned int cpuid_pc(const struct minivmm_cpuid_entry *raw, unsigned int n,
		      uint32_t tsc_khz, bool minivmm_leaf,
		      struct minivmm_cpuid_entry *out, unsigned int max);

/* The entry for (function, index) in e[0..n), or NULL. */
const struct minivmm_cpuid_entry *cpuid_find(const struct minivmm_cpuid_entry *e,
					     unsigned int n, uint32_t function,
					     uint32_t index);

#endif
