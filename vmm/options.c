// SPDX-License-Identifier: GPL-2.0
/* vmm's command line; see options.h. */
#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "options.h"

const char vmm_usage[] =
	"usage: vmm [options] guest.img\n"
	"       vmm --info\n"
	"Run a guest under minivmm (/dev/minivmm).\n"
	"  --mem SIZE    guest memory, e.g. 64M or 1G (default 64M, at most 64G)\n"
	"  --cpus N      VCPUs, 1 to 8 (default 1); each starts at the entry with\n"
	"                its index in RDI and N in RSI (docs/vmm.md)\n"
	"  --accel NAME  the hypervisor: minivmm (default) or kvm (/dev/kvm)\n"
	"  --trace       print one line per VM exit to stderr\n"
	"  --dump-regs   print every VCPU's registers to stderr when the guest ends\n"
	"  --stats       print every VCPU's exit counters to stderr when the guest ends\n"
	"  --gdb PORT    wait for gdb on 127.0.0.1:PORT before the guest runs (one VCPU)\n"
	"  --info        print the hypervisor's API version and capabilities, then exit\n"
	"  --help        this text\n";

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

int parse_options(int argc, char **argv, struct vmm_options *opts,
		  char *err, unsigned int errlen)
{
	int i;

	memset(opts, 0, sizeof(*opts));
	opts->mem = VMM_DEFAULT_MEM;
	opts->cpus = 1;
	opts->accel = "minivmm";
	for (i = 1; i < argc; i++) {
		const char *a = argv[i];

		if (!strcmp(a, "--help") || !strcmp(a, "-h")) {
			opts->help = true;
		} else if (!strcmp(a, "--info")) {
			opts->info = true;
		} else if (!strcmp(a, "--trace")) {
			opts->trace = true;
		} else if (!strcmp(a, "--dump-regs")) {
			opts->dump_regs = true;
		} else if (!strcmp(a, "--stats")) {
			opts->stats = true;
		} else if (!strcmp(a, "--accel") || !strncmp(a, "--accel=", 8)) {
			const char *v = a[7] == '=' ? a + 8 : argv[++i];

			if (!v || (strcmp(v, "minivmm") && strcmp(v, "kvm"))) {
				snprintf(err, errlen, "--accel needs minivmm or kvm");
				return -1;
			}
			opts->accel = v;
		} else if (!strcmp(a, "--cpus") || !strncmp(a, "--cpus=", 7)) {
			const char *v = a[6] == '=' ? a + 7 : argv[++i];
			char *end = NULL;
			unsigned long n;

			n = v && isdigit((unsigned char)v[0]) ? strtoul(v, &end, 10) : 0;
			if (!v || !n || *end || n > VMM_OPT_MAX_CPUS) {
				snprintf(err, errlen, "--cpus %s: give a number from 1 to %d",
					 v ? v : "", VMM_OPT_MAX_CPUS);
				return -1;
			}
			opts->cpus = n;
		} else if (!strcmp(a, "--gdb") || !strncmp(a, "--gdb=", 6)) {
			const char *v = a[5] == '=' ? a + 6 : argv[++i];
			char *end = NULL;
			unsigned long n;

			n = v && isdigit((unsigned char)v[0]) ? strtoul(v, &end, 10) : 0;
			if (!v || !n || *end || n > 65535) {
				snprintf(err, errlen, "--gdb %s: give a TCP port from 1 to 65535",
					 v ? v : "");
				return -1;
			}
			opts->gdb_port = n;
		} else if (!strcmp(a, "--mem") || !strncmp(a, "--mem=", 6)) {
			const char *v = a[5] == '=' ? a + 6 : argv[++i];

			if (!v) {
				snprintf(err, errlen, "--mem needs a size, e.g. --mem 64M");
				return -1;
			}
			if (parse_size(v, &opts->mem) || opts->mem == 0 ||
			    opts->mem % 4096 || opts->mem > VMM_MAX_MEM) {
				snprintf(err, errlen,
					 "--mem %s: give a multiple of 4 KiB up to 64G, e.g. 64M", v);
				return -1;
			}
		} else if (a[0] == '-' && a[1]) {
			snprintf(err, errlen, "unknown option %s (see --help)", a);
			return -1;
		} else if (opts->image) {
			snprintf(err, errlen, "one guest image only (got %s and %s)",
				 opts->image, a);
			return -1;
		} else {
			opts->image = a;
		}
	}
	if (opts->gdb_port && opts->cpus != 1) {
		snprintf(err, errlen, "--gdb debugs one VCPU: use it with --cpus 1");
		return -1;
	}
	if (!opts->help && !opts->info && !opts->image) {
		snprintf(err, errlen, "no guest image given (see --help)");
		return -1;
	}
	return 0;
}
