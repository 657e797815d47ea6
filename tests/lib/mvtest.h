/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Helpers for minivmm's in-machine tests (kselftest harness programs that
 * run in the test machine): module loading, the device, debugfs counters,
 * MSRs and the kernel log.
 */
#ifndef MINIVMM_MVTEST_H
#define MINIVMM_MVTEST_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct minivmm_run;

#define MV_MODULE_PATH	"/lib/modules/extra/minivmm.ko"
#define MV_EXTRA_DIR	"/lib/modules/extra"

/* Load a module file (params may be ""). 0, or -errno; already loaded is 0. */
int mv_insmod(const char *path, const char *params);
/* Unload a module by name without waiting. 0 or -errno. */
int mv_rmmod(const char *name);
bool mv_module_loaded(const char *name);

/* Load minivmm if it is not loaded. 0 or -errno. */
int mv_load(void);
/* open("/dev/minivmm"); -1 on failure with errno set. */
int mv_open(void);
/* A counter from /sys/kernel/debug/minivmm/NAME, or -1. */
long mv_counter(const char *name);

/* Read an MSR on a CPU through /dev/cpu/N/msr (loads msr.ko). 0 or -errno. */
int mv_rdmsr(int cpu, uint32_t msr, uint64_t *val);

/* The whole kernel log (malloc'd, NUL-terminated), or NULL. */
char *mv_klog(void);
/* Clear the kernel log's "new" marker: returns the current length. */
size_t mv_klog_len(void);

/* A field of /proc/meminfo in kB, or -1. */
long mv_meminfo(const char *field);

/* Online CPUs. */
int mv_online_cpus(void);

/* Run the calling thread on one CPU only. 0 or -errno. */
int mv_pin(int cpu);

/*
 * The usual test VM: RAM at guest-physical 0 in slot 0, VCPU 0 and its run
 * area. mv_vm_open() returns 0, or -errno with everything it made undone.
 */
struct mv_vm {
	int sys, vm, vcpu;
	uint8_t *mem;
	size_t mem_size;
	struct minivmm_run *run;
};

int mv_vm_open(struct mv_vm *v, size_t mem_size);
void mv_vm_close(struct mv_vm *v);
/* Copy real-mode code to addr and start VCPU 0 there (RSP = addr). 0 or -errno. */
int mv_vm_load_real(struct mv_vm *v, uint64_t addr, const void *code, size_t len);
/*
 * The same in 64-bit mode: the first 2 MiB identity-mapped (page tables at
 * 0x1000-0x3fff, tests/lib/badstates.h's state), code at addr, RSP = addr.
 * The VM needs at least 2 MiB. 0 or -errno.
 */
int mv_vm_load_long(struct mv_vm *v, uint64_t addr, const void *code, size_t len);

#endif
