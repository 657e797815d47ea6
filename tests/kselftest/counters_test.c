// SPDX-License-Identifier: GPL-2.0
/*
 * After every test program has closed its fds, the module holds nothing:
 * no VM, no VMCS, no guest page mapped, no CPU in VMX operation, and it
 * unloads. Runs near the end of a suite, before dmesg_test.
 */
#define _GNU_SOURCE
#include "kselftest_harness.h"
#include "../lib/mvtest.h"

TEST(nothing_left_behind)
{
	ASSERT_EQ(0, mv_load());
	EXPECT_EQ(0, mv_counter("vms"));
	EXPECT_EQ(0, mv_counter("vmcs"));
	EXPECT_EQ(0, mv_counter("mapped_pages"));
	EXPECT_EQ(0, mv_counter("vmxon_cpus"));
	EXPECT_EQ(0, mv_rmmod("minivmm"));
	EXPECT_FALSE(mv_module_loaded("minivmm"));
	ASSERT_EQ(0, mv_load());
}

TEST_HARNESS_MAIN
