/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Helpers for minivmm's in-machine tests (kselftest harness programs that
 * run in the test machine): module loading, the device, debugfs counters,
 * MSRs and the kernel log.
 */
#ifndef MINIVMM_MVTEST_H
#define MINIVMM_MVTEST_H

#include <stdbool.h>
#include <stdint.h>

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

#endif
