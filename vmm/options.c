// SPDX-License-Identifier: GPL-2.0
/*
 * vmm's command line; see options.h. getopt_long scans it (--opt VALUE,
 * --opt=VALUE, --); a table says what each option sets and how. Runs in
 * vmm's main thread before anything else (and in the unit tests).
 */
#include <ctype.h>
#include <errno.h>
#include <getopt.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "options.h"

const char vmm_usage[] =
	"usage: vmm [options] guest.img\n"
	"       vmm [options] --kernel bzImage [--initrd FILE] [--append CMDLINE]\n"
	"       vmm --info\n"
	"Run a guest under minivmm (/dev/minivmm).\n"
	"  --kernel FILE   boot a Linux kernel (bzImage) instead of an image\n"
	"  --initrd FILE   ... with this initramfs\n"
	"  --append LINE   ... and this command line (default: console=ttyS0)\n"
	"  --kernel-cache DIR  vmm unpacks the kernel (xz, zstd, gzip) on the host\n"
	"                  and keeps it here for the next run (default\n"
	"                  $XDG_CACHE_HOME/minivmm or ~/.cache/minivmm)\n"
	"  --no-unpack     boot the bzImage as is: its decompressor runs in the guest\n"
	"  --mem SIZE    guest memory, e.g. 64M or 1G (default 64M; 256M with\n"
	"                --kernel; at most 64G)\n"
	"  --cpus N      VCPUs, 1 to 8 (default 1); each starts at the entry with\n"
	"                its index in RDI and N in RSI (docs/vmm.md)\n"
	"  --accel NAME  the hypervisor: minivmm (default) or kvm (/dev/kvm)\n"
	"  --trace       print one line per VM exit that reaches vmm to stderr\n"
	"  --dump-regs   print every VCPU's registers to stderr when the guest ends\n"
	"  --stats       print every VCPU's exit counters to stderr when the guest ends\n"
	"  --strict-exit only the exit port (0xf4) or the exit hypercall ends the\n"
	"                guest well: a reset or a final halt ends vmm with status 75\n"
	"                (scripted runs)\n"
	"  --reboot      a reset (the keyboard controller's or port 0x92's) starts\n"
	"                the guest again in a fresh VM, as a PC's power cycle\n"
	"  --gdb PORT    wait for gdb on 127.0.0.1:PORT before the guest runs (one VCPU)\n"
	"  --info        print the hypervisor's API version and capabilities, then exit\n"
	"  --version     print vmm's version, then exit\n"
	"  --help        this text\n"
	"  --            the end of the options: the guest image follows\n";

int parse_size(const char *s, uint64_t *out)
{
	unsigned long long v;
	unsigned int shift = 0;
	char *end;

	if (!s || !isdigit((unsigned char)s[0]))
		return -1;
	errno = 0;
	v = strtoull(s, &end, 10);
	if (errno)
		return -1;
	switch (*end) {
	case '\0':
		break;
	case 'k': case 'K':
		shift = 10;
		break;
	case 'm': case 'M':
		shift = 20;
		break;
	case 'g': case 'G':
		shift = 30;
		break;
	default:
		return -1;
	}
	if (*end && end[1])
		return -1;
	if (shift && v > (~0ULL >> shift))
		return -1;
	*out = (uint64_t)v << shift;
	return 0;
}

/* A count from 1 to max in decimal: it, or 0. */
static unsigned long parse_count(const char *v, unsigned long max)
{
	unsigned long n;
	char *end;

	if (!v || !isdigit((unsigned char)v[0]))
		return 0;
	n = strtoul(v, &end, 10);
	return *end || n > max ? 0 : n;
}

/*
 * How an option sets its field from its argument v (NULL when the
 * argument is missing): 0, or -1 with a message in err.
 */
typedef int (*set_fn)(void *field, const char *v, char *err, unsigned int errlen);

static int set_flag(void *field, const char *v, char *err, unsigned int errlen)
{
	(void)v;
	(void)err;
	(void)errlen;
	*(bool *)field = true;
	return 0;
}

static int set_accel(void *field, const char *v, char *err, unsigned int errlen)
{
	if (!v || (strcmp(v, "minivmm") && strcmp(v, "kvm"))) {
		snprintf(err, errlen, "--accel needs minivmm or kvm");
		return -1;
	}
	*(const char **)field = v;
	return 0;
}

static int set_cpus(void *field, const char *v, char *err, unsigned int errlen)
{
	unsigned long n = parse_count(v, VMM_OPT_MAX_CPUS);

	if (!n) {
		snprintf(err, errlen, "--cpus %s: give a number from 1 to %d", v ? v : "",
			 VMM_OPT_MAX_CPUS);
		return -1;
	}
	*(unsigned int *)field = n;
	return 0;
}

static int set_gdb_port(void *field, const char *v, char *err, unsigned int errlen)
{
	unsigned long n = parse_count(v, 65535);

	if (!n) {
		snprintf(err, errlen, "--gdb %s: give a TCP port from 1 to 65535", v ? v : "");
		return -1;
	}
	*(unsigned int *)field = n;
	return 0;
}

static int set_string(void *field, const char *v, char *err, unsigned int errlen)
{
	(void)err;
	(void)errlen;
	*(const char **)field = v;
	return 0;
}

static int set_mem(void *field, const char *v, char *err, unsigned int errlen)
{
	uint64_t *mem = field;

	if (!v) {
		snprintf(err, errlen, "--mem needs a size, e.g. --mem 64M");
		return -1;
	}
	if (parse_size(v, mem) || *mem == 0 || *mem % 4096 || *mem > VMM_MAX_MEM) {
		snprintf(err, errlen, "--mem %s: give a multiple of 4 KiB up to 64G, e.g. 64M", v);
		return -1;
	}
	return 0;
}

/* The options: a new one is a line here and a field in struct vmm_options. */
struct vmm_opt {
	const char *name;
	int has_arg;		/* no_argument or required_argument */
	size_t field;		/* offsetof(struct vmm_options, ...) */
	set_fn set;
};

#define FLAG(name, f)		{ name, no_argument, offsetof(struct vmm_options, f), set_flag }
#define VALUE(name, f, set)	{ name, required_argument, offsetof(struct vmm_options, f), set }

static const struct vmm_opt vmm_opts[] = {
	FLAG("help", help),
	FLAG("info", info),
	FLAG("version", version),
	FLAG("trace", trace),
	FLAG("dump-regs", dump_regs),
	FLAG("stats", stats),
	FLAG("strict-exit", strict_exit),
	FLAG("reboot", reboot),
	FLAG("no-unpack", no_unpack),
	VALUE("accel", accel, set_accel),
	VALUE("append", append, set_string),
	VALUE("initrd", initrd, set_string),
	VALUE("kernel", kernel, set_string),
	VALUE("kernel-cache", kernel_cache, set_string),
	VALUE("cpus", cpus, set_cpus),
	VALUE("gdb", gdb_port, set_gdb_port),
	VALUE("mem", mem, set_mem),
};

#define NR_OPTS		(sizeof(vmm_opts) / sizeof(vmm_opts[0]))
#define OPT_CODE	0x100	/* getopt_long returns OPT_CODE + i for vmm_opts[i] */

/* getopt_long also takes a unique prefix ("--me" for --mem): vmm wants whole names. */
static bool whole_name(const char *arg, const char *name)
{
	size_t n = strlen(name);

	return !strncmp(arg, "--", 2) && !strncmp(arg + 2, name, n) &&
	       (arg[2 + n] == '\0' || arg[2 + n] == '=');
}

static int set_image(struct vmm_options *opts, const char *a, char *err, unsigned int errlen)
{
	if (opts->image) {
		snprintf(err, errlen, "one guest image only (got %s and %s)", opts->image, a);
		return -1;
	}
	opts->image = a;
	return 0;
}

int parse_options(int argc, char **argv, struct vmm_options *opts,
		  char *err, unsigned int errlen)
{
	struct option longopts[NR_OPTS + 1];
	const struct vmm_opt *o;
	unsigned int i;
	int c, k, at;

	memset(opts, 0, sizeof(*opts));
	opts->cpus = 1;
	opts->accel = "minivmm";
	for (i = 0; i < NR_OPTS; i++)
		longopts[i] = (struct option){ vmm_opts[i].name, vmm_opts[i].has_arg, NULL,
					       OPT_CODE + i };
	longopts[NR_OPTS] = (struct option){ 0 };
	/*
	 * optstring "-": arguments that are not options come back in order
	 * (as 1), so errors are found in order; ":": getopt prints nothing
	 * and returns ':' for a missing argument. optind = 0 makes GNU getopt
	 * start afresh, so that parse_options() can run more than once.
	 */
	optind = 0;
	opterr = 0;
	for (;;) {
		at = optind ? optind : 1;	/* the argument getopt_long reads next */
		c = getopt_long(argc, argv, "-:h", longopts, NULL);
		if (c == -1)
			break;
		if (c == 1) {
			if (set_image(opts, optarg, err, errlen))
				return -1;
			continue;
		}
		if (c == 'h' && !strcmp(argv[at], "-h")) {
			opts->help = true;
			continue;
		}
		k = (c == ':' ? optopt : c) - OPT_CODE;	/* '?' and the like: < 0 */
		if (k < 0 || k >= (int)NR_OPTS || !whole_name(argv[at], vmm_opts[k].name)) {
			snprintf(err, errlen, "unknown option %s (see --help)", argv[at]);
			return -1;
		}
		o = &vmm_opts[k];
		if (c == ':' && o->set == set_string) {
			snprintf(err, errlen, "--%s needs a value (see --help)", o->name);
			return -1;
		}
		if (o->set((char *)opts + o->field, c == ':' ? NULL : optarg, err, errlen))
			return -1;
	}
	/* After --, the rest are not options. */
	for (; optind < argc; optind++)
		if (set_image(opts, argv[optind], err, errlen))
			return -1;
	if (opts->gdb_port && opts->cpus != 1) {
		snprintf(err, errlen, "--gdb debugs one VCPU: use it with --cpus 1");
		return -1;
	}
	if (opts->gdb_port && opts->reboot) {
		snprintf(err, errlen, "--gdb and --reboot: gdb debugs one boot, give one of them");
		return -1;
	}
	if (opts->kernel && opts->image) {
		snprintf(err, errlen, "--kernel %s and the image %s: give one of them",
			 opts->kernel, opts->image);
		return -1;
	}
	if (!opts->kernel && (opts->initrd || opts->append || opts->kernel_cache ||
			      opts->no_unpack)) {
		snprintf(err, errlen, "--%s goes with --kernel",
			 opts->initrd ? "initrd" : opts->append ? "append" :
			 opts->kernel_cache ? "kernel-cache" : "no-unpack");
		return -1;
	}
	if (opts->kernel_cache && opts->no_unpack) {
		snprintf(err, errlen, "--kernel-cache and --no-unpack: give one of them");
		return -1;
	}
	/* The PC vmm builds has an 8259A, no APIC: one processor. */
	if (opts->kernel && opts->cpus != 1) {
		snprintf(err, errlen, "--kernel boots Linux on one VCPU (the PC vmm emulates has no APIC)");
		return -1;
	}
	if (!opts->help && !opts->info && !opts->version && !opts->image && !opts->kernel) {
		snprintf(err, errlen, "no guest image given (see --help)");
		return -1;
	}
	if (!opts->mem)
		opts->mem = opts->kernel ? VMM_DEFAULT_MEM_LINUX : VMM_DEFAULT_MEM;
	return 0;
}
