// SPDX-License-Identifier: GPL-2.0
/*
 * vmm-run: run one command in a fresh Linux guest, for CI scripts.
 *
 *   vmm-run [--kernel FILE] [--file SRC[:DEST]]... [--mem SIZE] [--accel NAME]
 *           [--append ARGS] [--busybox FILE] [--initrd-out FILE] -- COMMAND [ARG]...
 *
 * It builds an initramfs in memory (newc cpio, vmm/cpio.c): a static
 * busybox, the files given, the command, and an /init that mounts /proc,
 * /sys, /dev and /tmp, runs the command with busybox's sh and writes its exit
 * status to vmm's exit port (0xf4, through /dev/port). Then it runs
 * `vmm --strict-exit --kernel FILE --initrd ...`: the command's output
 * reaches stdout, and vmm-run ends with the command's exit status. A guest
 * that ends any other way (a kernel panic resets the machine: panic=-1) is
 * status 75. Runs in user mode on the host.
 */
#define _GNU_SOURCE
#include <elf.h>
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <libgen.h>
#include <limits.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/utsname.h>
#include <unistd.h>

#include "cpio.h"
#include "readfile.h"

#define EXIT_USAGE	64	/* as vmm: a bad command line */
#define EXIT_IMAGE	67	/* as vmm: a file cannot be read or used */
#define MAX_FILES	64

static const char usage[] =
	"usage: vmm-run [options] -- COMMAND [ARG]...\n"
	"Run COMMAND in a fresh Linux guest under vmm and end with its exit status.\n"
	"One argument is a shell command line; more are one command and its arguments.\n"
	"  --kernel FILE      the kernel (default /boot/vmlinuz-$(uname -r))\n"
	"  --file SRC[:DEST]  carry a file into the guest (default DEST /root/NAME);\n"
	"                     the command runs in /root\n"
	"  --mem SIZE         guest memory (vmm's default for --kernel: 256M)\n"
	"  --accel NAME       minivmm (default) or kvm\n"
	"  --append ARGS      more kernel command line\n"
	"  --busybox FILE     a static busybox (default /bin/busybox, from busybox-static)\n"
	"  --stats, --trace   passed to vmm: the guest's exits, on stderr\n"
	"  --kernel-cache DIR, --no-unpack\n"
	"                     passed to vmm: where it keeps the kernels it unpacked,\n"
	"                     or let the kernel decompress itself (see vmm --help)\n"
	"  --version          print the version\n"
	"  --initrd-out FILE  write the initramfs to FILE and the kernel command line\n"
	"                     to stdout, and boot nothing (to boot them elsewhere;\n"
	"                     the options that go to vmm do not apply)\n"
	"Exit status: the command's; 75 if the guest ended without reporting it (a\n"
	"kernel panic); vmm's statuses 64-74 for its own errors (see vmm --help).\n";

/* The guest's /init: busybox sh, the kernel's first process. */
static const char init_script[] =
	"#!/bin/sh\n"
	"/bin/busybox --install -s /bin\n"
	"export PATH=/bin HOME=/root TERM=dumb\n"
	"mount -t proc proc /proc\n"
	"mount -t sysfs sysfs /sys\n"
	"mount -t devtmpfs devtmpfs /dev\n"
	"mount -t tmpfs tmpfs /tmp\n"
	"# The command's output as it wrote it: \\n, not the tty's \\r\\n.\n"
	"stty -onlcr 2>/dev/null\n"
	"cd /root\n"
	"sh /run.sh\n"
	"st=$?\n"
	"# The status to vmm's exit port, 0xf4: vmm ends with it.\n"
	"printf \"$(printf '\\\\%03o' $st)\" | dd of=/dev/port bs=1 seek=244 2>/dev/null\n"
	"echo 'vmm-run: /init could not write the status to port 0xf4' >&2\n"
	"poweroff -f\n";

/* A static x86-64 ELF executable: no PT_INTERP. */
static bool is_static_elf(const uint8_t *b, size_t len)
{
	const Elf64_Ehdr *eh = (const Elf64_Ehdr *)b;
	unsigned int i;

	if (len < sizeof(*eh) || memcmp(b, ELFMAG, SELFMAG) || b[EI_CLASS] != ELFCLASS64 ||
	    eh->e_phoff > len || (uint64_t)eh->e_phnum * sizeof(Elf64_Phdr) > len - eh->e_phoff)
		return false;
	for (i = 0; i < eh->e_phnum; i++) {
		Elf64_Phdr ph;

		memcpy(&ph, b + eh->e_phoff + i * sizeof(ph), sizeof(ph));
		if (ph.p_type == PT_INTERP)
			return false;
	}
	return true;
}

/* The command as a shell script: one argument as is, more each quoted. */
static char *command_script(int argc, char **argv)
{
	size_t n = 2;
	char *s, *p;
	int i;

	for (i = 0; i < argc; i++)
		n += strlen(argv[i]) * 4 + 3;
	s = malloc(n);
	if (!s)
		return NULL;
	p = s;
	if (argc == 1) {
		p = stpcpy(p, argv[0]);
	} else {
		for (i = 0; i < argc; i++) {
			const char *a;

			if (i)
				*p++ = ' ';
			*p++ = '\'';
			for (a = argv[i]; *a; a++) {
				if (*a == '\'')
					p = stpcpy(p, "'\\''");
				else
					*p++ = *a;
			}
			*p++ = '\'';
		}
	}
	*p++ = '\n';
	*p = '\0';
	return s;
}

/* Add each directory on the way to name (a/b/c: a, a/b), once. */
static void add_parents(struct cpio *c, const char *name, char dirs[][PATH_MAX],
			unsigned int *ndirs)
{
	char path[PATH_MAX];
	unsigned int i;
	char *slash;

	snprintf(path, sizeof(path), "%s", name);
	for (slash = strchr(path, '/'); slash; slash = strchr(slash + 1, '/')) {
		*slash = '\0';
		for (i = 0; i < *ndirs; i++)
			if (!strcmp(dirs[i], path))
				break;
		if (i == *ndirs && *ndirs < MAX_FILES * 4) {
			snprintf(dirs[(*ndirs)++], PATH_MAX, "%s", path);
			cpio_add_dir(c, path, 0755);
		}
		*slash = '/';
	}
}

/* The vmm next to this program, else the one on PATH. */
static const char *find_vmm(char *buf, size_t size)
{
	char self[PATH_MAX];
	ssize_t n = readlink("/proc/self/exe", self, sizeof(self) - 1);

	if (n > 0) {
		self[n] = '\0';
		snprintf(buf, size, "%s/vmm", dirname(self));
		if (!access(buf, X_OK))
			return buf;
	}
	return "vmm";
}

int main(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "kernel", required_argument, NULL, 'k' },
		{ "file", required_argument, NULL, 'f' },
		{ "mem", required_argument, NULL, 'm' },
		{ "accel", required_argument, NULL, 'a' },
		{ "append", required_argument, NULL, 'A' },
		{ "busybox", required_argument, NULL, 'b' },
		{ "stats", no_argument, NULL, 's' },
		{ "trace", no_argument, NULL, 't' },
		{ "kernel-cache", required_argument, NULL, 'c' },
		{ "no-unpack", no_argument, NULL, 'n' },
		{ "initrd-out", required_argument, NULL, 'o' },
		{ "help", no_argument, NULL, 'h' },
		{ "version", no_argument, NULL, 'V' },
		{ 0 },
	};
	static char dirs[MAX_FILES * 4][PATH_MAX];
	const char *kernel = NULL, *mem = NULL, *accel = NULL, *append = "";
	const char *busybox = "/bin/busybox", *files[MAX_FILES], *vmm, *out = NULL;
	const char *kcache = NULL;
	char kbuf[PATH_MAX], vbuf[PATH_MAX], initrd_path[64], cmdline[4096];
	unsigned int nfiles = 0, ndirs = 0, i;
	char *vargv[24], *script;
	struct utsname un;
	struct cpio c;
	uint8_t *bb;
	size_t bblen;
	bool stats = false, trace = false, no_unpack = false;
	int opt, fd, k = 0;

	while ((opt = getopt_long(argc, argv, "+h", longopts, NULL)) != -1) {
		switch (opt) {
		case 'k': kernel = optarg; break;
		case 'm': mem = optarg; break;
		case 'a': accel = optarg; break;
		case 'A': append = optarg; break;
		case 'b': busybox = optarg; break;
		case 's': stats = true; break;
		case 't': trace = true; break;
		case 'c': kcache = optarg; break;
		case 'n': no_unpack = true; break;
		case 'o': out = optarg; break;
		case 'f':
			if (nfiles == MAX_FILES) {
				fprintf(stderr, "vmm-run: at most %d --file options\n", MAX_FILES);
				return EXIT_USAGE;
			}
			files[nfiles++] = optarg;
			break;
		case 'h':
			fputs(usage, stdout);
			return 0;
		case 'V':
			printf("vmm-run (minivmm) %s\n", MINIVMM_VERSION);
			return 0;
		default:
			fprintf(stderr, "vmm-run: a bad option (see --help)\n");
			return EXIT_USAGE;
		}
	}
	if (optind >= argc) {
		fprintf(stderr, "vmm-run: no command given (vmm-run [options] -- COMMAND)\n");
		return EXIT_USAGE;
	}
	if (!kernel) {
		if (uname(&un)) {
			perror("vmm-run: uname");
			return EXIT_USAGE;
		}
		snprintf(kbuf, sizeof(kbuf), "/boot/vmlinuz-%s", un.release);
		kernel = kbuf;
	}

	if (!out && access(kernel, R_OK)) {
		fprintf(stderr, "vmm-run: %s: %s\n", kernel, strerror(errno));
		return EXIT_IMAGE;
	}
	bb = read_whole_file("vmm-run", busybox, &bblen, NULL);
	if (!bb)
		return EXIT_IMAGE;
	if (!is_static_elf(bb, bblen)) {
		fprintf(stderr, "vmm-run: %s is not a static x86-64 busybox (install busybox-static, or give --busybox)\n",
			busybox);
		return EXIT_IMAGE;
	}
	script = command_script(argc - optind, argv + optind);
	cpio_init(&c);
	cpio_add_dir(&c, "bin", 0755);
	cpio_add_file(&c, "bin/busybox", 0755, bb, bblen);
	cpio_add_symlink(&c, "bin/sh", "busybox");
	cpio_add_dir(&c, "dev", 0755);
	cpio_add_chardev(&c, "dev/console", 0600, 5, 1);
	cpio_add_dir(&c, "proc", 0555);
	cpio_add_dir(&c, "sys", 0555);
	cpio_add_dir(&c, "tmp", 0777);	/* /init mounts a tmpfs (mode 1777) on it */
	cpio_add_dir(&c, "root", 0700);
	cpio_add_file(&c, "init", 0755, init_script, strlen(init_script));
	if (script)
		cpio_add_file(&c, "run.sh", 0644, script, strlen(script));
	free(bb);
	free(script);
	snprintf(dirs[ndirs++], PATH_MAX, "root");
	for (i = 0; i < nfiles; i++) {
		char src[PATH_MAX], dest[PATH_MAX], *colon, *d;
		uint8_t *data;
		size_t len;
		mode_t mode;

		snprintf(src, sizeof(src), "%s", files[i]);
		colon = strchr(src, ':');
		if (colon) {
			*colon = '\0';
			d = colon + 1;
		} else {
			snprintf(dest, sizeof(dest), "/root/%s", basename(src));
			d = dest;
		}
		while (*d == '/')
			d++;
		data = read_whole_file("vmm-run", src, &len, &mode);
		if (!data)
			return EXIT_IMAGE;
		add_parents(&c, d, dirs, &ndirs);
		if (cpio_add_file(&c, d, mode & 0777, data, len))
			fprintf(stderr, "vmm-run: --file %s: %s\n", files[i], strerror(c.error));
		free(data);
		if (c.error)
			return EXIT_USAGE;
	}
	if (cpio_finish(&c)) {
		fprintf(stderr, "vmm-run: building the initramfs: %s\n", strerror(c.error));
		return EXIT_IMAGE;
	}

	snprintf(cmdline, sizeof(cmdline), "console=ttyS0 panic=-1 loglevel=3 acpi=off%s%s",
		 *append ? " " : "", append);
	if (out) {
		int err = -1;

		fd = open(out, O_WRONLY | O_CREAT | O_TRUNC, 0644);
		if (fd >= 0) {
			err = write_all(fd, c.buf, c.len);
			if (close(fd))
				err = -1;
		}
		if (err) {
			fprintf(stderr, "vmm-run: --initrd-out %s: %s\n", out, strerror(errno));
			return EXIT_IMAGE;
		}
		cpio_free(&c);
		printf("%s\n", cmdline);
		return 0;
	}

	/* The archive in a memory file that vmm reads by its /proc path. */
	fd = memfd_create("vmm-run-initramfs", 0);
	if (fd < 0 || write_all(fd, c.buf, c.len)) {
		perror("vmm-run: the initramfs in memory");
		return EXIT_IMAGE;
	}
	cpio_free(&c);
	snprintf(initrd_path, sizeof(initrd_path), "/proc/self/fd/%d", fd);

	vmm = find_vmm(vbuf, sizeof(vbuf));
	vargv[k++] = (char *)vmm;
	vargv[k++] = "--strict-exit";
	if (stats)
		vargv[k++] = "--stats";
	if (trace)
		vargv[k++] = "--trace";
	if (no_unpack)
		vargv[k++] = "--no-unpack";
	if (kcache) {
		vargv[k++] = "--kernel-cache";
		vargv[k++] = (char *)kcache;
	}
	if (mem) {
		vargv[k++] = "--mem";
		vargv[k++] = (char *)mem;
	}
	if (accel) {
		vargv[k++] = "--accel";
		vargv[k++] = (char *)accel;
	}
	vargv[k++] = "--kernel";
	vargv[k++] = (char *)kernel;
	vargv[k++] = "--initrd";
	vargv[k++] = initrd_path;
	vargv[k++] = "--append";
	vargv[k++] = cmdline;
	vargv[k] = NULL;
	execvp(vmm, vargv);
	fprintf(stderr, "vmm-run: cannot run %s: %s\n", vmm, strerror(errno));
	return 65;
}
