// SPDX-License-Identifier: GPL-2.0
/*
 * After a suite, the kernel log has no splat (WARNING, BUG, Oops, lockdep,
 * KASAN, hung task, stall) other than the known boot-time warnings of the
 * Bochs CPU model (tests/lib/splat.c). Runs last in every test-machine suite.
 */
#define _GNU_SOURCE
#include <stdlib.h>

#include "kselftest_harness.h"
#include "../lib/mvtest.h"
#include "../lib/splat.h"

TEST(kernel_log_has_no_splat)
{
	struct splat_report rep;
	char *log = mv_klog();

	ASSERT_NE(NULL, log);
	EXPECT_EQ(0, splat_scan(log, &rep))
		TH_LOG("first forbidden splat: %s", rep.first_bad);
	TH_LOG("%u splat(s), %u of them known boot-time warnings of the CPU model",
	       rep.splats, rep.allowed);
	free(log);
}

TEST_HARNESS_MAIN
