/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Find kernel "splats" (warnings, BUGs, oopses, lockdep and KASAN reports)
 * in a kernel log, allowing the known boot-time warnings of the Bochs CPU
 * model once each: an XSAVE consistency warning from
 * arch/x86/kernel/fpu/xstate.c, and on Linux 6.12 a CPUID topology warning
 * from parse_legacy() in arch/x86/kernel/cpu/topology_common.c.
 */
#ifndef MINIVMM_SPLAT_H
#define MINIVMM_SPLAT_H

#include <stddef.h>

struct splat_report {
	unsigned int splats;		/* splats found, allowed ones included */
	unsigned int allowed;		/* of which known boot-time warnings */
	char first_bad[256];		/* first line of the first forbidden splat */
};

/*
 * Between these two lines (a test writes them to /dev/kmsg around a
 * backtrace it asks for, e.g. sysrq-l's NMI backtraces), a "Call Trace:"
 * alone is not a splat; a warning, BUG or oops there still is.
 */
#define SPLAT_REQUESTED_BEGIN	"minivmm-test: requested backtraces begin"
#define SPLAT_REQUESTED_END	"minivmm-test: requested backtraces end"

/* Scan a NUL-terminated kernel log. Returns the number of forbidden splats. */
unsigned int splat_scan(const char *log, struct splat_report *rep);

#endif
