// SPDX-License-Identifier: GPL-2.0
/*
 * Runs in a Linux guest (make bench's Linux boot, carried in by vmm-run):
 * prints the guest's TSC, "guest-tsc CYCLES". minivmm starts a VM's TSC at
 * 0 when the VM is created and KVM a VCPU's when the VCPU is, both just
 * before vmm loads the kernel: CYCLES / the TSC's rate is the guest's time
 * from power-on to this program, on the guest's own clock.
 */
#include <stdio.h>

#include "compute.h"

int main(void)
{
	printf("guest-tsc %lu\n", bench_rdtsc());
	return 0;
}
