// SPDX-License-Identifier: GPL-2.0
/*
 * On a CPU without VMX (QEMU without KVM) the module must refuse to load and
 * say why in one line. Runs in the no-VMX test machine.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "kselftest_harness.h"
#include "../lib/mvtest.h"

TEST(module_refuses_to_load_without_vmx)
{
	char *log, *line;

	EXPECT_EQ(-EOPNOTSUPP, mv_load());
	EXPECT_FALSE(mv_module_loaded("minivmm"));
	EXPECT_NE(0, access("/dev/minivmm", F_OK));

	log = mv_klog();
	ASSERT_NE(NULL, log);
	line = strstr(log, "minivmm: cannot load: ");
	ASSERT_NE(NULL, line) TH_LOG("no 'minivmm: cannot load' line in dmesg");
	*strchrnul(line, '\n') = '\0';
	TH_LOG("dmesg: %s", line);
	EXPECT_NE(NULL, strstr(line, "no VMX"));
	EXPECT_NE(NULL, strstr(line, "CPUID.1:ECX.VMX"));
	free(log);
}

TEST_HARNESS_MAIN
