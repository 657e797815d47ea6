/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Find kernel "splats" (warnings, BUGs, oopses, lockdep and KASAN reports)
 * in a kernel log, allowing the one known boot-time warning of the Bochs
 * CPU model (an XSAVE consistency warning from arch/x86/kernel/fpu/xstate.c).
 */
#ifndef MINIVMM_SPLAT_H
#define MINIVMM_SPLAT_H

#include <stddef.h>

struct splat_report {
	unsigned int splats;		/* splats found, allowed ones included */
	unsigned int allowed;		/* of which the known xstate warning */
	char first_bad[256];		/* first line of the first forbidden splat */
};

/* Scan a NUL-terminated kernel log. Returns the number of forbidden splats. */
unsigned int splat_scan(const char *log, struct splat_report *rep);

#endif
