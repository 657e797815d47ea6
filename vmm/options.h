/* SPDX-License-Identifier: GPL-2.0 */
/* vmm's command line. Pure logic: unit-tested on the host (tests/unit). */
#ifndef VMM_OPTIONS_H
#define VMM_OPTIONS_H

#include <stdbool.h>
#include <stdint.h>

#define VMM_DEFAULT_MEM		(64ULL << 20)
#define VMM_DEFAULT_MEM_LINUX	(256ULL << 20)	/* with --kernel */
#define VMM_MAX_MEM		(64ULL << 30)

#define VMM_OPT_MAX_CPUS	8

/* Each option is a line of the table in options.c and a field here. */
struct vmm_options {
	const char *image;	/* guest image path, or NULL */
	const char *kernel;	/* --kernel: a Linux bzImage, or NULL */
	const char *initrd;	/* --initrd: its initramfs, or NULL */
	const char *append;	/* --append: its command line, or NULL */
	const char *kernel_cache; /* --kernel-cache: where unpacked kernels are kept */
	bool no_unpack;		/* --no-unpack: the kernel decompresses itself */
	const char *accel;	/* "minivmm" (default) or "kvm" */
	uint64_t mem;		/* guest memory in bytes */
	unsigned int cpus;	/* VCPUs, 1 to VMM_OPT_MAX_CPUS */
	bool info;		/* print what the hypervisor offers and exit */
	bool version;		/* print vmm's version and exit */
	bool trace;		/* one line per exit on stderr */
	bool dump_regs;		/* print the registers when the guest ends */
	bool stats;		/* print the VCPUs' counters when the guest ends */
	bool strict_exit;	/* a reset or a final halt is status 75, not 0 */
	bool reboot;		/* a reset starts the guest again */
	unsigned int gdb_port;	/* --gdb: 0, or the TCP port to wait for gdb on */
	bool help;
};

/*
 * Parse a size such as "64M", "1G", "4096" or "512k" (binary units). Returns
 * 0, or -1 for a malformed or overflowing value.
 */
int parse_size(const char *s, uint64_t *out);

/*
 * Parse argv into opts with getopt_long: --opt VALUE or --opt=VALUE, whole
 * option names only, -- ends the options. Returns 0, or -1 with a one-line
 * message (without the program name) in err. May be called again: it
 * resets getopt's state.
 */
int parse_options(int argc, char **argv, struct vmm_options *opts,
		  char *err, unsigned int errlen);

extern const char vmm_usage[];

#endif
