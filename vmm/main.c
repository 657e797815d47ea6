// SPDX-License-Identifier: GPL-2.0
/*
 * vmm: minivmm's userspace monitor. Opens /dev/minivmm, checks the module's
 * API version and the capabilities it needs, and runs a guest.
 * Runs in user mode on the host.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <linux/minivmm.h>

#include "loader.h"
#include "options.h"
#include "vm.h"


static const struct {
	unsigned long cap;
	const char *name;
} vmm_required_caps[] = {
	{ MINIVMM_CAP_UNRESTRICTED_GUEST, "unrestricted guest" },
	{ MINIVMM_CAP_EPT, "EPT" },
};

static const struct {
	unsigned long cap;
	const char *name;
} vmm_info_caps[] = {
	{ MINIVMM_CAP_UNRESTRICTED_GUEST, "unrestricted guest" },
	{ MINIVMM_CAP_EPT, "EPT" },
	{ MINIVMM_CAP_VPID, "VPID" },
	{ MINIVMM_CAP_EPT_AD, "EPT accessed/dirty bits" },
	{ MINIVMM_CAP_MAX_VMS, "maximum VMs" },
};

/* Open the system fd, or explain in one line why it cannot be. */
static int open_minivmm(void)
{
	int fd = open("/dev/minivmm", O_RDWR | O_CLOEXEC);
	int version;

	if (fd < 0) {
		if (errno == ENOENT)
			fprintf(stderr, "vmm: /dev/minivmm does not exist: load the module first (sudo insmod kmod/minivmm.ko)\n");
		else if (errno == EACCES || errno == EPERM)
			fprintf(stderr, "vmm: /dev/minivmm: permission denied: run as root\n");
		else
			fprintf(stderr, "vmm: /dev/minivmm: %s\n", strerror(errno));
		return -1;
	}
	version = ioctl(fd, MINIVMM_GET_API_VERSION, 0);
	if (version != MINIVMM_API_VERSION) {
		fprintf(stderr, "vmm: the module speaks API version %d, this vmm needs %d: rebuild both from one tree\n",
			version, MINIVMM_API_VERSION);
		close(fd);
		return -1;
	}
	return fd;
}

static int check_caps(int fd)
{
	unsigned int i;

	for (i = 0; i < sizeof(vmm_required_caps) / sizeof(vmm_required_caps[0]); i++)
		if (ioctl(fd, MINIVMM_CHECK_CAPABILITY, vmm_required_caps[i].cap) <= 0) {
			fprintf(stderr, "vmm: the module lacks a required capability: %s\n",
				vmm_required_caps[i].name);
			return -1;
		}
	return 0;
}

/* --info: what the module offers, and whether a VM can be created now. */
static int print_info(int fd)
{
	unsigned int i;
	int vm;

	printf("minivmm API version %d\n", ioctl(fd, MINIVMM_GET_API_VERSION, 0));
	for (i = 0; i < sizeof(vmm_info_caps) / sizeof(vmm_info_caps[0]); i++)
		printf("  %-24s %d\n", vmm_info_caps[i].name,
		       ioctl(fd, MINIVMM_CHECK_CAPABILITY, vmm_info_caps[i].cap));
	vm = ioctl(fd, MINIVMM_CREATE_VM, 0);
	if (vm < 0) {
		printf("VM creation: failed: %s%s\n", strerror(errno),
		       errno == EBUSY ? " (another hypervisor owns VMX; see dmesg)" : "");
		return VMM_EXIT_NOT_AVAILABLE;
	}
	printf("VM creation: works (VMX root mode entered on every CPU)\n");
	close(vm);
	return 0;
}

/* Read a whole file; NULL with a message on error. */
static uint8_t *read_file(const char *path, size_t *len)
{
	struct stat st;
	uint8_t *buf;
	FILE *f = fopen(path, "rb");

	if (!f) {
		fprintf(stderr, "vmm: %s: %s\n", path, strerror(errno));
		return NULL;
	}
	if (fstat(fileno(f), &st) || !S_ISREG(st.st_mode)) {
		fprintf(stderr, "vmm: %s: not a regular file\n", path);
		fclose(f);
		return NULL;
	}
	buf = malloc(st.st_size ? st.st_size : 1);
	if (!buf || fread(buf, 1, st.st_size, f) != (size_t)st.st_size) {
		fprintf(stderr, "vmm: %s: cannot read it\n", path);
		free(buf);
		fclose(f);
		return NULL;
	}
	fclose(f);
	*len = st.st_size;
	return buf;
}

static void flat_segment(struct minivmm_segment *s, uint16_t sel, uint8_t type)
{
	*s = (struct minivmm_segment){ .base = 0, .limit = 0xffffffff, .selector = sel,
		.type = type, .present = 1, .s = 1, .db = 1, .g = 1 };
}

/*
 * The VCPU's starting state for the image's mode: real mode at 0000:entry
 * (as after a BIOS jumps to a boot sector), or flat 32-bit protected mode,
 * or 64-bit mode on the loader's identity-mapped page tables.
 */
static int set_start_state(struct vm *vm, const struct guest_entry *entry)
{
	struct minivmm_regs regs = { .rip = entry->rip, .rflags = 2 };
	struct minivmm_sregs sr;

	if (entry->mode == 16) {
		regs.rsp = FLAT_LOAD_ADDR;
		return ioctl(vm->vcpu_fd, MINIVMM_SET_REGS, &regs);
	}
	if (ioctl(vm->vcpu_fd, MINIVMM_GET_SREGS, &sr))
		return -1;
	flat_segment(&sr.cs, LOADER_SEL_CODE32, 0xb);
	flat_segment(&sr.ds, LOADER_SEL_DATA, 0x3);
	sr.es = sr.fs = sr.gs = sr.ss = sr.ds;
	sr.gdt.base = LOADER_GDT_ADDR;
	sr.gdt.limit = 4 * 8 - 1;
	sr.cr0 = 0x11;				/* PE, ET */
	if (entry->mode == 64) {
		sr.cs.selector = LOADER_SEL_CODE64;
		sr.cs.l = 1;
		sr.cs.db = 0;
		sr.cr0 |= 0x80000000;		/* PG */
		sr.cr3 = LOADER_PT_ADDR;
		sr.cr4 = 0x20;			/* PAE */
		sr.efer = 0x500;		/* LME, LMA */
	}
	if (ioctl(vm->vcpu_fd, MINIVMM_SET_SREGS, &sr))
		return -1;
	regs.rsp = LOADER_STACK_TOP;
	return ioctl(vm->vcpu_fd, MINIVMM_SET_REGS, &regs);
}

static int run_image(int sys_fd, const struct vmm_options *opts)
{
	struct guest_entry entry;
	char err[256];
	struct vm vm;
	uint8_t *img;
	size_t len;
	int r;

	img = read_file(opts->image, &len);
	if (!img)
		return VMM_EXIT_IMAGE;
	r = vm_create(&vm, sys_fd, opts->mem);
	if (r)
		goto out;
	vm.trace = opts->trace;
	if (load_image(vm.mem, vm.mem_size, img, len, &entry, err, sizeof(err))) {
		fprintf(stderr, "vmm: %s: %s\n", opts->image, err);
		r = VMM_EXIT_IMAGE;
		goto out;
	}
	if (set_start_state(&vm, &entry)) {
		fprintf(stderr, "vmm: setting the VCPU's registers: %s\n", strerror(errno));
		r = VMM_EXIT_ERROR;
		goto out;
	}
	r = vm_run(&vm);
	fflush(stdout);
	if (vm.unknown_port_accesses && opts->trace)
		fprintf(stderr, "vmm: %lu accesses to ports with no device\n",
			vm.unknown_port_accesses);
out:
	vm_destroy(&vm);
	free(img);
	return r;
}

int main(int argc, char **argv)
{
	struct vmm_options opts;
	char err[256];
	int fd, r;

	if (parse_options(argc, argv, &opts, err, sizeof(err))) {
		fprintf(stderr, "vmm: %s\n", err);
		return VMM_EXIT_USAGE;
	}
	if (opts.help) {
		fputs(vmm_usage, stdout);
		return 0;
	}

	fd = open_minivmm();
	if (fd < 0)
		return VMM_EXIT_NO_DEVICE;
	if (check_caps(fd)) {
		close(fd);
		return VMM_EXIT_NOT_AVAILABLE;
	}
	if (opts.info) {
		r = print_info(fd);
		close(fd);
		return r;
	}

	r = run_image(fd, &opts);
	close(fd);
	return r;
}
