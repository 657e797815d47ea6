// SPDX-License-Identifier: GPL-2.0
/* Host unit tests for the kernel-log splat scanner (tests/lib/splat.c). */
#define _GNU_SOURCE
#include <check.h>

#include "unit.h"
#include <stdio.h>
#include <stdlib.h>

#include "../lib/splat.h"

/* Hand-written log fragments in the kernel's own formats. */
static const char xstate_splat[] =
	"[    0.000000] ------------[ cut here ]------------\n"
	"[    0.000000] WARNING: CPU: 0 PID: 0 at arch/x86/kernel/fpu/xstate.c:805 fpu__init_system_xstate+0x4d1/0x6b0\n"
	"[    0.000000] Modules linked in:\n"
	"[    0.000000] Call Trace:\n"
	"[    0.000000]  <TASK>\n"
	"[    0.000000]  start_kernel+0x3e/0x6d0\n"
	"[    0.000000]  </TASK>\n"
	"[    0.000000] ---[ end trace 0000000000000000 ]---\n";

/* Linux 6.12 on the same CPU model, before the xstate one. */
static const char topology_splat[] =
	"[    0.000000] ------------[ cut here ]------------\n"
	"[    0.000000] WARNING: CPU: 0 PID: 0 at arch/x86/kernel/cpu/topology_common.c:57 parse_legacy+0x10e/0x130\n"
	"[    0.000000] Modules linked in:\n"
	"[    0.000000] Call Trace:\n"
	"[    0.000000]  <TASK>\n"
	"[    0.000000]  ? cpu_init_topology+0x3e/0xe0\n"
	"[    0.000000]  </TASK>\n"
	"[    0.000000] ---[ end trace 0000000000000000 ]---\n";

static const char clean_log[] =
	"[    0.000000] Linux version 6.1.0-56-amd64\n"
	"[    1.000000] RETBleed: WARNING: Spectre v2 mitigation leaves CPU vulnerable to RETBleed attacks, data leaks possible!\n"
	"[    2.000000] minivmm: loading out-of-tree module taints kernel.\n";

START_TEST(test_clean_log)
{
	struct splat_report r;

	ck_assert_uint_eq(splat_scan(clean_log, &r), 0);
	ck_assert_uint_eq(r.splats, 0);
}
END_TEST

START_TEST(test_xstate_allowed_once)
{
	struct splat_report r;
	char *log;

	ck_assert_uint_eq(splat_scan(xstate_splat, &r), 0);
	ck_assert_uint_eq(r.splats, 1);
	ck_assert_uint_eq(r.allowed, 1);

	/* A second xstate warning is not the boot-time one: forbidden. */
	ck_assert_int_ge(asprintf(&log, "%s%s", xstate_splat, xstate_splat), 0);
	ck_assert_uint_eq(splat_scan(log, &r), 1);
	ck_assert_uint_eq(r.splats, 2);
	free(log);
}
END_TEST

START_TEST(test_topology_allowed_once)
{
	struct splat_report r;
	char *log;

	/* Both boot-time warnings, as Linux 6.12 prints them. */
	ck_assert_int_ge(asprintf(&log, "%s%s", topology_splat, xstate_splat), 0);
	ck_assert_uint_eq(splat_scan(log, &r), 0);
	ck_assert_uint_eq(r.splats, 2);
	ck_assert_uint_eq(r.allowed, 2);
	free(log);

	/* Twice is once too many. */
	ck_assert_int_ge(asprintf(&log, "%s%s", topology_splat, topology_splat), 0);
	ck_assert_uint_eq(splat_scan(log, &r), 1);
	ck_assert_uint_eq(r.allowed, 1);
	free(log);
}
END_TEST

START_TEST(test_allowed_only_as_boot_warning)
{
	/* Same file, another function, or another CPU/task: forbidden. */
	static const char *const lines[] = {
		"[ 0.0] WARNING: CPU: 0 PID: 0 at arch/x86/kernel/cpu/topology_common.c:99 topo_other+0x1/0x2\n",
		"[ 5.0] WARNING: CPU: 1 PID: 0 at arch/x86/kernel/cpu/topology_common.c:57 parse_legacy+0x10e/0x130\n",
		"[ 5.0] WARNING: CPU: 0 PID: 12 at arch/x86/kernel/fpu/xstate.c:805 fpu__init_system_xstate+0x4d1/0x6b0\n",
	};
	struct splat_report r;
	size_t i;

	for (i = 0; i < sizeof(lines) / sizeof(lines[0]); i++) {
		ck_assert_msg(splat_scan(lines[i], &r) == 1, "allowed: %s", lines[i]);
		ck_assert_uint_eq(r.allowed, 0);
	}
}
END_TEST

START_TEST(test_other_warning_forbidden)
{
	static const char log[] =
		"[   10.5] WARNING: CPU: 1 PID: 77 at kmod/vmx.c:300 vmx_put+0x20/0x40 [minivmm]\n"
		"[   10.5] Call Trace:\n"
		"[   10.5] ---[ end trace 0000000000000000 ]---\n";
	struct splat_report r;

	ck_assert_uint_eq(splat_scan(log, &r), 1);
	ck_assert_str_eq(r.first_bad,
			 "WARNING: CPU: 1 PID: 77 at kmod/vmx.c:300 vmx_put+0x20/0x40 [minivmm]");
}
END_TEST

START_TEST(test_each_kind)
{
	static const char *const lines[] = {
		"[ 1.0] BUG: unable to handle page fault for address: 0000000000001000\n",
		"[ 1.0] kernel BUG at mm/slub.c:100!\n",
		"[ 1.0] Oops: 0000 [#1] PREEMPT SMP NOPTI\n",
		"[ 1.0] general protection fault, probably for non-canonical address\n",
		"[ 1.0] WARNING: possible recursive locking detected\n",
		"[ 1.0] BUG: KASAN: use-after-free in vmx_put\n",
		"[ 1.0] INFO: task vmm:123 blocked for more than 120 seconds.\n",
		"[ 1.0] rcu: INFO: rcu_preempt detected stalls on CPUs/tasks:\n",
		"<4>[ 1.0] Call Trace:\n",
		"Call Trace:\n",
	};
	struct splat_report r;
	size_t i;

	for (i = 0; i < sizeof(lines) / sizeof(lines[0]); i++)
		ck_assert_msg(splat_scan(lines[i], &r) == 1, "not seen: %s", lines[i]);
}
END_TEST

START_TEST(test_splats_after_unterminated_report)
{
	/* A hung-task report has no end marker; a later oops still counts. */
	static const char log[] =
		"INFO: task vmm:1 blocked for more than 120 seconds.\n"
		"Call Trace:\n"
		" schedule+0x1/0x2\n"
		"BUG: kernel NULL pointer dereference, address: 0000000000000000\n";
	struct splat_report r;

	ck_assert_uint_eq(splat_scan(log, &r), 2);
}
END_TEST

START_TEST(test_tap_lines_are_not_splats)
{
	static const char log[] =
		"[ 9.0] minivmm-tap:     # dmesg_test.c:22: first forbidden splat: BUG: soft lockup\n"
		"[ 9.1] minivmm-tap: WARNING: CPU: 1 PID: 2 at x.c:1 f+0x0/0x1\n";
	struct splat_report r;

	ck_assert_uint_eq(splat_scan(log, &r), 0);
	ck_assert_uint_eq(r.splats, 0);
}
END_TEST

START_TEST(test_requested_backtraces)
{
	static const char log[] =
		"[ 8.0] " SPLAT_REQUESTED_BEGIN "\n"
		"[ 8.1] NMI backtrace for cpu 1\n"
		"[ 8.2] Call Trace:\n"
		"[ 8.3]  <NMI>\n"
		"[ 8.4] " SPLAT_REQUESTED_END "\n";
	static const char warn_inside[] =
		"[ 8.0] " SPLAT_REQUESTED_BEGIN "\n"
		"[ 8.1] WARNING: CPU: 1 PID: 2 at x.c:1 f+0x0/0x1\n"
		"[ 8.2] Call Trace:\n"
		"[ 8.4] " SPLAT_REQUESTED_END "\n";
	static const char trace_after[] =
		"[ 8.0] " SPLAT_REQUESTED_BEGIN "\n"
		"[ 8.4] " SPLAT_REQUESTED_END "\n"
		"[ 9.2] Call Trace:\n";
	struct splat_report r;

	ck_assert_uint_eq(splat_scan(log, &r), 0);
	ck_assert_uint_eq(splat_scan(warn_inside, &r), 1);
	ck_assert_str_eq(r.first_bad, "WARNING: CPU: 1 PID: 2 at x.c:1 f+0x0/0x1");
	ck_assert_uint_eq(splat_scan(trace_after, &r), 1);
}
END_TEST

START_TEST(test_xstate_plus_other)
{
	struct splat_report r;
	char *log;

	ck_assert_int_ge(asprintf(&log, "%s[ 5.0] BUG: sleeping function called from invalid context\n",
				  xstate_splat), 0);
	ck_assert_uint_eq(splat_scan(log, &r), 1);
	ck_assert_uint_eq(r.allowed, 1);
	ck_assert_str_eq(r.first_bad, "BUG: sleeping function called from invalid context");
	free(log);
}
END_TEST

int main(void)
{
	Suite *s = suite_create("splat");
	TCase *tc = tcase_create("scan");

	tcase_add_test(tc, test_clean_log);
	tcase_add_test(tc, test_xstate_allowed_once);
	tcase_add_test(tc, test_topology_allowed_once);
	tcase_add_test(tc, test_allowed_only_as_boot_warning);
	tcase_add_test(tc, test_other_warning_forbidden);
	tcase_add_test(tc, test_each_kind);
	tcase_add_test(tc, test_splats_after_unterminated_report);
	tcase_add_test(tc, test_xstate_plus_other);
	tcase_add_test(tc, test_tap_lines_are_not_splats);
	tcase_add_test(tc, test_requested_backtraces);
	suite_add_tcase(s, tc);
	return unit_run(s);
}
