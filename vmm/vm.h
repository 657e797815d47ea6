/* SPDX-License-Identifier: GPL-2.0 */
/* vmm's view of one VM and its VCPU, on top of /dev/minivmm. */
#ifndef VMM_VM_H
#define VMM_VM_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <linux/minivmm.h>

#include "serial.h"

struct vm {
	int sys_fd, vm_fd, vcpu_fd;
	uint8_t *mem;			/* guest-physical 0 .. mem_size */
	uint64_t mem_size;
	struct minivmm_run *run;
	size_t run_size;
	struct serial com1;
	bool trace;
	unsigned long exits, unknown_port_accesses, unknown_mmio_accesses;
};

/* vmm's own exit statuses; a guest's exit value is returned as is. */
enum {
	VMM_EXIT_USAGE = 64,		/* bad command line */
	VMM_EXIT_NO_DEVICE = 65,	/* module missing, no permission, wrong API */
	VMM_EXIT_NOT_AVAILABLE = 66,	/* VMX busy or a capability missing */
	VMM_EXIT_IMAGE = 67,		/* the guest image cannot be loaded */
	VMM_EXIT_TRIPLE_FAULT = 70,	/* the guest triple-faulted (shutdown) */
	VMM_EXIT_FAIL_ENTRY = 71,	/* the CPU refused to enter the guest */
	VMM_EXIT_INTERNAL = 72,		/* minivmm could not handle an exit */
	VMM_EXIT_SIGNAL = 73,		/* stopped by SIGINT, SIGTERM or SIGALRM */
	VMM_EXIT_ERROR = 74,		/* an ioctl failed unexpectedly */
};

/* Hypercall numbers and results (docs/hypercalls.md). */
#define VMM_HC_CONSOLE_WRITE	1	/* (gpa, len): write guest bytes to stdout */
#define VMM_HC_EXIT		2	/* (value): end the guest, vmm exits with value */
#define VMM_HC_EINVAL		((uint64_t)-22)
#define VMM_HC_ENOSYS		((uint64_t)-38)

/* The PC's legacy hole: guest-physical [640 KiB, 1 MiB) is not RAM. */
#define VMM_HOLE_START	0xa0000ULL
#define VMM_HOLE_END	0x100000ULL

/* I/O ports of the devices vmm emulates. */
#define VMM_EXIT_PORT	0xf4		/* a byte written here ends the guest */

int vm_create(struct vm *vm, int sys_fd, uint64_t mem_size);
int vm_run(struct vm *vm);
void vm_destroy(struct vm *vm);

#endif
