// SPDX-License-Identifier: GPL-2.0
/* Host unit tests for vmm's command line (vmm/options.c). */
#include <check.h>

#include "unit.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../../vmm/options.h"

START_TEST(test_sizes)
{
	uint64_t v = 0;

	ck_assert_int_eq(parse_size("4096", &v), 0);
	ck_assert_uint_eq(v, 4096);
	ck_assert_int_eq(parse_size("512k", &v), 0);
	ck_assert_uint_eq(v, 512 * 1024);
	ck_assert_int_eq(parse_size("64M", &v), 0);
	ck_assert_uint_eq(v, 64ULL << 20);
	ck_assert_int_eq(parse_size("1g", &v), 0);
	ck_assert_uint_eq(v, 1ULL << 30);
}
END_TEST

START_TEST(test_bad_sizes)
{
	static const char *const bad[] = {
		"", "M", "-1", "12X", "64MB", " 64M", "99999999999999999999",
		"17179869184G", /* overflows 64 bits */
	};
	uint64_t v = 7;
	unsigned int i;

	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		ck_assert_msg(parse_size(bad[i], &v) == -1, "accepted '%s'", bad[i]);
	ck_assert_int_eq(parse_size(NULL, &v), -1);
	ck_assert_uint_eq(v, 7);	/* untouched on error */
}
END_TEST

static int parse(struct vmm_options *o, char *err, const char *a1,
		 const char *a2, const char *a3)
{
	char *argv[] = { "vmm", (char *)a1, (char *)a2, (char *)a3, NULL };
	int argc = 1 + !!a1 + !!a2 + !!a3;

	return parse_options(argc, argv, o, err, 256);
}

START_TEST(test_options)
{
	struct vmm_options o;
	char err[256];

	ck_assert_int_eq(parse(&o, err, "guest.img", NULL, NULL), 0);
	ck_assert_str_eq(o.image, "guest.img");
	ck_assert_uint_eq(o.mem, VMM_DEFAULT_MEM);

	ck_assert_int_eq(parse(&o, err, "--mem", "128M", "g.img"), 0);
	ck_assert_uint_eq(o.mem, 128ULL << 20);
	ck_assert_int_eq(parse(&o, err, "--mem=1G", "--trace", "g.img"), 0);
	ck_assert_uint_eq(o.mem, 1ULL << 30);
	ck_assert(o.trace);

	ck_assert_uint_eq(o.cpus, 1);
	ck_assert_str_eq(o.accel, "minivmm");
	ck_assert(!o.dump_regs);
	ck_assert(!o.stats);

	ck_assert_int_eq(parse(&o, err, "--cpus", "8", "g.img"), 0);
	ck_assert_uint_eq(o.cpus, 8);
	ck_assert_int_eq(parse(&o, err, "--cpus=3", "--dump-regs", "g.img"), 0);
	ck_assert_uint_eq(o.cpus, 3);
	ck_assert(o.dump_regs);
	ck_assert_int_eq(parse(&o, err, "--stats", "g.img", NULL), 0);
	ck_assert(o.stats);
	ck_assert_int_eq(parse(&o, err, "--gdb", "1234", "g.img"), 0);
	ck_assert_uint_eq(o.gdb_port, 1234);
	ck_assert_int_eq(parse(&o, err, "--gdb=0", "g.img", NULL), -1);
	ck_assert_int_eq(parse(&o, err, "--gdb=70000", "g.img", NULL), -1);
	ck_assert_int_eq(parse(&o, err, "--gdb=1x", "g.img", NULL), -1);
	ck_assert_int_eq(parse(&o, err, "--gdb=1234", "--cpus=2", "g.img"), -1);
	ck_assert_ptr_nonnull(strstr(err, "--cpus 1"));
	ck_assert_int_eq(parse(&o, err, "--accel", "kvm", "g.img"), 0);
	ck_assert_str_eq(o.accel, "kvm");
	ck_assert_int_eq(parse(&o, err, "--accel=minivmm", "g.img", NULL), 0);
	ck_assert_str_eq(o.accel, "minivmm");

	ck_assert_int_eq(parse(&o, err, "--info", NULL, NULL), 0);
	ck_assert(o.info);
	ck_assert_int_eq(parse(&o, err, "--help", NULL, NULL), 0);
	ck_assert(o.help);
	ck_assert_int_eq(parse(&o, err, "--version", NULL, NULL), 0);
	ck_assert(o.version && !o.image);
}
END_TEST

START_TEST(test_option_errors)
{
	struct vmm_options o;
	char err[256];

	ck_assert_int_eq(parse(&o, err, NULL, NULL, NULL), -1);
	ck_assert_str_eq(err, "no guest image given (see --help)");
	ck_assert_int_eq(parse(&o, err, "--bogus", "g.img", NULL), -1);
	ck_assert_str_eq(err, "unknown option --bogus (see --help)");
	ck_assert_int_eq(parse(&o, err, "a.img", "b.img", NULL), -1);
	ck_assert_str_eq(err, "one guest image only (got a.img and b.img)");
	ck_assert_int_eq(parse(&o, err, "g.img", "--mem", NULL), -1);
	ck_assert_str_eq(err, "--mem needs a size, e.g. --mem 64M");
	ck_assert_int_eq(parse(&o, err, "--mem", "100", "g.img"), -1);	/* not 4 KiB aligned */
	ck_assert_ptr_nonnull(strstr(err, "multiple of 4 KiB"));
	ck_assert_int_eq(parse(&o, err, "--mem", "65G", "g.img"), -1);
	ck_assert_int_eq(parse(&o, err, "--mem", "0", "g.img"), -1);

	static const char *const bad_cpus[] = { "0", "9", "-1", "2x", "", "99999999999" };
	unsigned int i;

	for (i = 0; i < sizeof(bad_cpus) / sizeof(bad_cpus[0]); i++) {
		ck_assert_msg(parse(&o, err, "--cpus", bad_cpus[i], "g.img") == -1,
			      "accepted --cpus '%s'", bad_cpus[i]);
		ck_assert_ptr_nonnull(strstr(err, "give a number from 1 to 8"));
	}
	ck_assert_int_eq(parse(&o, err, "g.img", "--cpus", NULL), -1);
	ck_assert_int_eq(parse(&o, err, "--accel", "xen", "g.img"), -1);
	ck_assert_str_eq(err, "--accel needs minivmm or kvm");
	ck_assert_int_eq(parse(&o, err, "g.img", "--accel", NULL), -1);
}
END_TEST

/* argv after "vmm", NULL-terminated. */
static int parsev(struct vmm_options *o, char *err, const char *const *args)
{
	char *argv[16] = { "vmm" };
	int argc = 1;

	while (*args && argc < 15)
		argv[argc++] = (char *)*args++;
	argv[argc] = NULL;
	return parse_options(argc, argv, o, err, 256);
}

#define ARGS(...)	((const char *const[]){ __VA_ARGS__, NULL })

START_TEST(test_value_forms)
{
	struct vmm_options o;
	char err[256];

	/* Every option with a value takes --opt VALUE and --opt=VALUE alike. */
	ck_assert_int_eq(parsev(&o, err, ARGS("--mem", "2M", "--cpus", "1", "--gdb", "99",
					      "--accel", "kvm", "g.img")), 0);
	ck_assert_uint_eq(o.mem, 2ULL << 20);
	ck_assert_uint_eq(o.gdb_port, 99);
	ck_assert_str_eq(o.accel, "kvm");
	ck_assert_int_eq(parsev(&o, err, ARGS("--mem=2M", "--cpus=1", "--gdb=99",
					      "--accel=kvm", "g.img")), 0);
	ck_assert_uint_eq(o.mem, 2ULL << 20);
	ck_assert_uint_eq(o.gdb_port, 99);
	ck_assert_str_eq(o.accel, "kvm");
	/* Options may follow the image; a value may look like an option. */
	ck_assert_int_eq(parsev(&o, err, ARGS("g.img", "--stats", "--trace")), 0);
	ck_assert_str_eq(o.image, "g.img");
	ck_assert(o.stats && o.trace);
	ck_assert_int_eq(parsev(&o, err, ARGS("--mem", "--trace", "g.img")), -1);
	ck_assert_str_eq(err, "--mem --trace: give a multiple of 4 KiB up to 64G, e.g. 64M");
	ck_assert_int_eq(parsev(&o, err, ARGS("--cpus=", "g.img")), -1);
	ck_assert_str_eq(err, "--cpus : give a number from 1 to 8");
	ck_assert_int_eq(parsev(&o, err, ARGS("-h")), 0);
	ck_assert(o.help);
	ck_assert_int_eq(parsev(&o, err, ARGS("-")), 0);	/* "-" is a file name */
	ck_assert_str_eq(o.image, "-");
}
END_TEST

START_TEST(test_end_of_options)
{
	struct vmm_options o;
	char err[256];

	ck_assert_int_eq(parsev(&o, err, ARGS("--trace", "--", "-x.img")), 0);
	ck_assert_str_eq(o.image, "-x.img");
	ck_assert(o.trace);
	ck_assert_int_eq(parsev(&o, err, ARGS("--mem", "64K", "--cpus", "2", "--", "--help")), 0);
	ck_assert_str_eq(o.image, "--help");
	ck_assert(!o.help);
	ck_assert_uint_eq(o.cpus, 2);
	ck_assert_int_eq(parsev(&o, err, ARGS("--", "g.img", "--trace")), -1);
	ck_assert_str_eq(err, "one guest image only (got g.img and --trace)");
	ck_assert_int_eq(parsev(&o, err, ARGS("a.img", "--", "b.img")), -1);
	ck_assert_str_eq(err, "one guest image only (got a.img and b.img)");
	ck_assert_int_eq(parsev(&o, err, ARGS("--trace", "--")), -1);
	ck_assert_str_eq(err, "no guest image given (see --help)");
	/* Only the first -- ends the options; the second is a file name. */
	ck_assert_int_eq(parsev(&o, err, ARGS("--", "--", "g.img")), -1);
	ck_assert_str_eq(err, "one guest image only (got -- and g.img)");
}
END_TEST

START_TEST(test_unknown_options)
{
	static const char *const unknown[] = {
		"-x", "-hx", "-hh", "--tr", "--me", "--trace=1", "--help=yes", "--memory", "---mem",
		"--cpu=2", "--Mem",
	};
	struct vmm_options o;
	char err[256], want[256];
	unsigned int i;

	/* Whole names only: getopt_long's prefixes ("--tr") are not taken. */
	for (i = 0; i < sizeof(unknown) / sizeof(unknown[0]); i++) {
		ck_assert_msg(parsev(&o, err, ARGS(unknown[i], "g.img")) == -1, "took %s",
			      unknown[i]);
		snprintf(want, sizeof(want), "unknown option %s (see --help)", unknown[i]);
		ck_assert_str_eq(err, want);
	}
	/* The first error in the order given. */
	ck_assert_int_eq(parsev(&o, err, ARGS("a.img", "--bogus", "b.img")), -1);
	ck_assert_str_eq(err, "unknown option --bogus (see --help)");
	ck_assert_int_eq(parsev(&o, err, ARGS("a.img", "b.img", "--bogus")), -1);
	ck_assert_str_eq(err, "one guest image only (got a.img and b.img)");
}
END_TEST

START_TEST(test_missing_argument)
{
	struct vmm_options o;
	char err[256];

	ck_assert_int_eq(parsev(&o, err, ARGS("g.img", "--mem")), -1);
	ck_assert_str_eq(err, "--mem needs a size, e.g. --mem 64M");
	ck_assert_int_eq(parsev(&o, err, ARGS("g.img", "--cpus")), -1);
	ck_assert_str_eq(err, "--cpus : give a number from 1 to 8");
	ck_assert_int_eq(parsev(&o, err, ARGS("g.img", "--gdb")), -1);
	ck_assert_str_eq(err, "--gdb : give a TCP port from 1 to 65535");
	ck_assert_int_eq(parsev(&o, err, ARGS("g.img", "--accel")), -1);
	ck_assert_str_eq(err, "--accel needs minivmm or kvm");
	ck_assert_int_eq(parsev(&o, err, ARGS("g.img", "--me")), -1);
	ck_assert_str_eq(err, "unknown option --me (see --help)");
}
END_TEST

START_TEST(test_parse_again)
{
	struct vmm_options o;
	char err[256];

	/* getopt's state from a parse that stopped halfway does not leak into the next. */
	ck_assert_int_eq(parsev(&o, err, ARGS("-hx", "a.img")), -1);
	ck_assert_int_eq(parsev(&o, err, ARGS("b.img")), 0);
	ck_assert_str_eq(o.image, "b.img");
	ck_assert(!o.help);
	ck_assert_int_eq(parsev(&o, err, ARGS("--cpus", "2", "--mem")), -1);
	ck_assert_int_eq(parsev(&o, err, ARGS("--stats", "c.img")), 0);
	ck_assert_str_eq(o.image, "c.img");
	ck_assert_uint_eq(o.cpus, 1);
	ck_assert(o.stats);
}
END_TEST

START_TEST(test_linux_options)
{
	struct vmm_options o;
	char err[256];

	ck_assert_int_eq(parsev(&o, err, ARGS("--kernel", "bzImage")), 0);
	ck_assert_str_eq(o.kernel, "bzImage");
	ck_assert_ptr_null(o.image);
	ck_assert_ptr_null(o.initrd);
	ck_assert_ptr_null(o.append);
	ck_assert_uint_eq(o.mem, VMM_DEFAULT_MEM_LINUX);
	ck_assert_int_eq(parsev(&o, err, ARGS("--kernel=k", "--initrd", "i.cpio",
					      "--append", "console=ttyS0 quiet", "--mem", "1G")), 0);
	ck_assert_str_eq(o.initrd, "i.cpio");
	ck_assert_str_eq(o.append, "console=ttyS0 quiet");
	ck_assert_uint_eq(o.mem, 1ULL << 30);
	/* An empty command line is a command line. */
	ck_assert_int_eq(parsev(&o, err, ARGS("--kernel", "k", "--append=")), 0);
	ck_assert_str_eq(o.append, "");

	ck_assert_int_eq(parsev(&o, err, ARGS("--kernel", "k", "g.img")), -1);
	ck_assert_str_eq(err, "--kernel k and the image g.img: give one of them");
	ck_assert_int_eq(parsev(&o, err, ARGS("--initrd", "i", "g.img")), -1);
	ck_assert_str_eq(err, "--initrd goes with --kernel");
	ck_assert_int_eq(parsev(&o, err, ARGS("--append", "x", "g.img")), -1);
	ck_assert_str_eq(err, "--append goes with --kernel");
	/* Where unpacked kernels are kept, or no unpacking. */
	ck_assert(!o.no_unpack);
	ck_assert_ptr_null(o.kernel_cache);
	ck_assert_int_eq(parsev(&o, err, ARGS("--kernel", "k", "--kernel-cache", "/c")), 0);
	ck_assert_str_eq(o.kernel, "k");
	ck_assert_str_eq(o.kernel_cache, "/c");
	ck_assert_int_eq(parsev(&o, err, ARGS("--kernel-cache=/c", "--kernel=k", "--no-unpack")), -1);
	ck_assert_str_eq(err, "--kernel-cache and --no-unpack: give one of them");
	ck_assert_int_eq(parsev(&o, err, ARGS("--no-unpack", "--kernel", "k")), 0);
	ck_assert(o.no_unpack);
	ck_assert_int_eq(parsev(&o, err, ARGS("--no-unpack", "g.img")), -1);
	ck_assert_str_eq(err, "--no-unpack goes with --kernel");
	ck_assert_int_eq(parsev(&o, err, ARGS("--kernel-cache", "/c", "g.img")), -1);
	ck_assert_str_eq(err, "--kernel-cache goes with --kernel");
	ck_assert_int_eq(parsev(&o, err, ARGS("--kernel", "k", "--kernel-cache")), -1);
	ck_assert_str_eq(err, "--kernel-cache needs a value (see --help)");
	ck_assert_int_eq(parsev(&o, err, ARGS("--kernel", "k", "--cpus", "2")), -1);
	ck_assert_str_eq(err, "--kernel boots Linux on one VCPU (the PC vmm emulates has no APIC)");
	ck_assert_int_eq(parsev(&o, err, ARGS("--kernel")), -1);
	ck_assert_str_eq(err, "--kernel needs a value (see --help)");

	/* Scripted runs: what ends the guest well. */
	ck_assert_int_eq(parsev(&o, err, ARGS("--kernel", "k")), 0);
	ck_assert(!o.reboot && !o.strict_exit);
	ck_assert_int_eq(parsev(&o, err, ARGS("--kernel", "k", "--reboot", "--strict-exit")), 0);
	ck_assert(o.reboot && o.strict_exit);
	ck_assert_int_eq(parsev(&o, err, ARGS("--reboot", "--gdb", "1234", "g.img")), -1);
	ck_assert_str_eq(err, "--gdb and --reboot: gdb debugs one boot, give one of them");
	ck_assert_int_eq(parsev(&o, err, ARGS("--reboot=1", "g.img")), -1);
}
END_TEST

int main(void)
{
	Suite *s = suite_create("vmm-options");
	TCase *tc = tcase_create("parse");

	tcase_add_test(tc, test_sizes);
	tcase_add_test(tc, test_bad_sizes);
	tcase_add_test(tc, test_options);
	tcase_add_test(tc, test_option_errors);
	tcase_add_test(tc, test_value_forms);
	tcase_add_test(tc, test_linux_options);
	tcase_add_test(tc, test_end_of_options);
	tcase_add_test(tc, test_unknown_options);
	tcase_add_test(tc, test_missing_argument);
	tcase_add_test(tc, test_parse_again);
	suite_add_tcase(s, tc);
	return unit_run(s);
}
