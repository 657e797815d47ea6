// SPDX-License-Identifier: GPL-2.0
/*
 * Kernel log splat scanner; see splat.h. Pure logic, unit-tested on the host
 * (tests/unit/check_splat.c) and used in the test machine (dmesg_test).
 */
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include "splat.h"

/* Lines that open a splat. */
static const char *const splat_start[] = {
	"WARNING: CPU:",
	"WARNING: possible",		/* lockdep: possible recursive locking, ... */
	"WARNING: suspicious RCU usage",
	"BUG:",
	"kernel BUG at",
	"Oops:",
	"general protection fault",
	"Kernel panic",
	"INFO: task ",			/* hung task */
	"rcu: INFO:",			/* RCU stall */
	"UBSAN:",
	"KASAN:",
	"list_add corruption",
	"list_del corruption",
	"Call Trace:",			/* a trace with no opening line */
};

/*
 * The warnings the test machine's CPU model (Bochs corei7_skylake_x) causes
 * at every boot, each allowed once: an opening line that starts with
 * prefix and contains func.
 * - Linux 6.1 and 6.12: an XSAVE consistency problem.
 * - Linux 6.12 only: parse_legacy() finds CPUID.1:EBX[23:16] (logical
 *   processors per package) smaller than the cores per package of CPUID.4.
 */
static const struct {
	const char *prefix, *func;
} allowed[] = {
	{ "WARNING: CPU: 0 PID: 0 at arch/x86/kernel/fpu/xstate.c:", "" },
	{ "WARNING: CPU: 0 PID: 0 at arch/x86/kernel/cpu/topology_common.c:", " parse_legacy+" },
};

/* Index of the allowed boot-time warning this opening line is, or -1. */
static int allowed_index(const char *text)
{
	size_t i;

	for (i = 0; i < sizeof(allowed) / sizeof(allowed[0]); i++)
		if (!strncmp(text, allowed[i].prefix, strlen(allowed[i].prefix)) &&
		    strstr(text, allowed[i].func))
			return (int)i;
	return -1;
}

/* Strip a "[  12.345678] " timestamp and a "<4>" level if present. */
static const char *skip_prefix(const char *line)
{
	if (line[0] == '<') {
		const char *e = strchr(line, '>');

		if (e && e - line <= 4)
			line = e + 1;
	}
	if (line[0] == '[') {
		const char *e = strchr(line, ']');

		if (e) {
			line = e + 1;
			while (*line == ' ')
				line++;
		}
	}
	return line;
}

static bool starts_splat(const char *text)
{
	size_t i;

	for (i = 0; i < sizeof(splat_start) / sizeof(splat_start[0]); i++)
		if (!strncmp(text, splat_start[i], strlen(splat_start[i])))
			return true;
	return false;
}

unsigned int splat_scan(const char *log, struct splat_report *rep)
{
	bool in_splat = false, requested = false;
	unsigned int splat_lines = 0, seen_allowed = 0;
	int a;
	const char *p = log;

	memset(rep, 0, sizeof(*rep));
	while (*p) {
		const char *nl = strchr(p, '\n');
		size_t len = nl ? (size_t)(nl - p) : strlen(p);
		char line[512];
		const char *text;

		if (len >= sizeof(line))
			len = sizeof(line) - 1;
		memcpy(line, p, len);
		line[len] = '\0';
		text = skip_prefix(line);
		/* The test machine's TAP stream travels in the log too. */
		if (!strncmp(text, "minivmm-tap: ", 13)) {
			p = nl ? nl + 1 : p + strlen(p);
			continue;
		}
		/* A test that asks for backtraces (SPLAT_REQUESTED_*) marks them. */
		if (!strcmp(text, SPLAT_REQUESTED_BEGIN) || !strcmp(text, SPLAT_REQUESTED_END)) {
			requested = !strcmp(text, SPLAT_REQUESTED_BEGIN);
			p = nl ? nl + 1 : p + strlen(p);
			continue;
		}
		if (requested && !strncmp(text, "Call Trace:", 11)) {
			p = nl ? nl + 1 : p + strlen(p);
			continue;
		}

		/*
		 * A report ends with its end-of-trace marker, or after a
		 * bounded number of lines (hung-task reports have no marker);
		 * a new opening line inside one starts a new report, except
		 * the "Call Trace:" that is part of it.
		 */
		if (in_splat && (strstr(text, "---[ end trace") ||
				 ++splat_lines > 200))
			in_splat = false;
		else if (starts_splat(text) &&
			 !(in_splat && !strncmp(text, "Call Trace:", 11))) {
			splat_lines = 0;
			rep->splats++;
			in_splat = true;
			a = allowed_index(text);
			if (a >= 0 && !(seen_allowed & 1U << a)) {
				seen_allowed |= 1U << a;
				rep->allowed++;
			} else if (!rep->first_bad[0]) {
				snprintf(rep->first_bad, sizeof(rep->first_bad),
					 "%.255s", text);
			}
		}
		p = nl ? nl + 1 : p + strlen(p);
	}
	return rep->splats - rep->allowed;
}
