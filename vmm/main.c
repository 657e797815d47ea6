// SPDX-License-Identifier: GPL-2.0
/*
 * vmm: minivmm's userspace monitor. Opens /dev/minivmm (or /dev/kvm with
 * --accel kvm), checks the API version and the capabilities it needs,
 * drops its privileges, and runs a guest on one or more VCPUs.
 * Runs in user mode on the host.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include "accel.h"
#include "linux.h"
#include "loader.h"
#include "options.h"
#include "privs.h"
#include "readfile.h"
#include "vmlinux.h"
#include "gdbstub.h"
#include "report.h"
#include "vm.h"

/* --info: what the hypervisor offers, and whether a VM can be created now. */
static int print_info(const struct accel *accel, int fd)
{
	struct vm vm = { .sys_fd = fd };

	accel->info(fd);
	if (accel->create_vm(&vm)) {
		printf("VM creation: failed: %s%s\n", strerror(errno),
		       errno == EBUSY ? " (another hypervisor owns VMX; see dmesg)" : "");
		return VMM_EXIT_NOT_AVAILABLE;
	}
	printf("VM creation: works (VMX root mode entered on every CPU)\n");
	close(vm.vm_fd);
	return 0;
}

static void segment(struct minivmm_segment *s, uint16_t sel, uint8_t type,
		    uint32_t limit, bool big)
{
	*s = (struct minivmm_segment){ .base = 0, .limit = limit, .selector = sel,
		.type = type, .present = 1, .s = 1, .db = big, .g = big };
}

/*
 * The VCPU's starting state for the image's mode, written in full (never
 * inherited from the hypervisor's reset state, which differs between
 * minivmm and KVM): real mode at 0000:entry (as after a BIOS jumps to a
 * boot sector), or flat 32-bit protected mode, or 64-bit mode on the
 * loader's identity-mapped page tables. Every VCPU starts at the same
 * entry with its index in RDI, the number of VCPUs in RSI, and its own
 * stack (docs/vmm.md). A Linux kernel gets what the 64-bit boot protocol
 * asks for instead: its selectors, interrupts off, the zero page in RSI.
 */
static int set_start_state(struct vm *vm, struct vcpu *v,
			   const struct guest_entry *entry)
{
	const struct accel *a = vm->accel;
	struct minivmm_regs regs = {
		.rip = entry->rip, .rflags = 2,
		.rdi = v->index, .rsi = vm->nr_vcpus,
	};
	struct minivmm_sregs sr = { 0 };

	/* TR: a busy 32-bit TSS, LDTR: an LDT, both empty (SDM 27.3.1.2). */
	sr.tr = (struct minivmm_segment){ .limit = 0xffff, .type = 11, .present = 1 };
	sr.ldt = (struct minivmm_segment){ .limit = 0xffff, .type = 2, .present = 1 };
	if (entry->mode == 16) {
		segment(&sr.cs, 0, 0xb, 0xffff, false);
		segment(&sr.ds, 0, 0x3, 0xffff, false);
		sr.es = sr.fs = sr.gs = sr.ss = sr.ds;
		sr.gdt.limit = 0xffff;
		sr.idt.limit = 0x3ff;		/* the real-mode interrupt vector table */
		sr.cr0 = 0x10;			/* ET */
		regs.rsp = FLAT_LOAD_ADDR - v->index * VMM_VCPU_STACK_16;
	} else {
		segment(&sr.cs, LOADER_SEL_CODE32, 0xb, 0xffffffff, true);
		segment(&sr.ds, LOADER_SEL_DATA, 0x3, 0xffffffff, true);
		sr.es = sr.fs = sr.gs = sr.ss = sr.ds;
		sr.gdt.base = LOADER_GDT_ADDR;
		sr.gdt.limit = 4 * 8 - 1;
		sr.cr0 = 0x11;			/* PE, ET */
		regs.rsp = LOADER_STACK_TOP - v->index * VMM_VCPU_STACK;
	}
	if (entry->boot_params) {
		sr.cs.selector = LINUX_SEL_CODE;
		sr.ds.selector = LINUX_SEL_DATA;
		sr.es = sr.fs = sr.gs = sr.ss = sr.ds;
		regs.rsi = entry->boot_params;
		regs.rdi = 0;
	}
	if (entry->mode == 64) {
		sr.cs.selector = entry->boot_params ? LINUX_SEL_CODE : LOADER_SEL_CODE64;
		sr.cs.l = 1;
		sr.cs.db = 0;
		sr.cr0 |= 0x80000000;		/* PG */
		sr.cr3 = LOADER_PT_ADDR;
		sr.cr4 = 0x20;			/* PAE */
		sr.efer = 0x500;		/* LME, LMA */
	}
	if (a->set_sregs(v, &sr))
		return -1;
	return a->set_regs(v, &regs);
}

/*
 * vmm as a Linux boot loader (linux.h), and as the PC's BIOS: the ROM
 * area a kernel scans, and the processor's CPUID.
 */
static int load_kernel(struct vm *vm, const struct vmm_options *opts, const uint8_t *kernel,
		       size_t len, const uint8_t *initrd, size_t initrd_len,
		       const struct vmlinux *vml, struct guest_entry *entry)
{
	struct linux_image li = { kernel, len, initrd, initrd_len,
				  opts->append ? opts->append : "console=ttyS0",
				  vml->data, vml->len };
	struct linux_layout l;
	char err[256];

	if (load_linux(vm->mem, vm->mem_size, &li, entry, &l, err, sizeof(err))) {
		fprintf(stderr, "vmm: %s: %s\n", opts->kernel, err);
		return VMM_EXIT_IMAGE;
	}
	if (vm_add_rom(vm) || vm->accel->set_cpuid_pc(vm, &vm->vcpus[0])) {
		fprintf(stderr, "vmm: setting up the PC for Linux: %s\n", strerror(errno));
		return VMM_EXIT_ERROR;
	}
	if (opts->trace)
		fprintf(stderr, "vmm: Linux boot protocol %u.%02u: %s, %llu KiB from %#llx, entry %#llx, initrd at %#llx, command line \"%s\"\n",
			l.protocol >> 8, l.protocol & 0xff,
			vml->data ? "the unpacked kernel" : "the kernel decompresses itself",
			(unsigned long long)l.init_size >> 10, (unsigned long long)l.run_addr,
			(unsigned long long)l.entry, (unsigned long long)l.initrd_addr, li.cmdline);
	return 0;
}

/*
 * One power-on: a fresh VM with the image (or kernel) loaded, run until the
 * guest ends. Returns its status, or VMM_RESTART for a reset under --reboot.
 */
static int power_on(const struct accel *accel, int sys_fd, const struct vmm_options *opts,
		    const uint8_t *img, size_t len, const uint8_t *initrd, size_t initrd_len,
		    const struct vmlinux *vml)
{
	struct guest_entry entry;
	char err[256];
	struct vm vm;
	unsigned int i;
	int r;

	r = vm_create(&vm, accel, sys_fd, opts->mem, opts->cpus);
	if (r)
		goto out;
	vm.trace = opts->trace;
	vm.strict_exit = opts->strict_exit;
	vm.reboot = opts->reboot;
	if (opts->kernel) {
		r = load_kernel(&vm, opts, img, len, initrd, initrd_len, vml, &entry);
		if (r)
			goto out;
	} else if (load_image(vm.mem, vm.mem_size, img, len, &entry, err, sizeof(err))) {
		fprintf(stderr, "vmm: %s: %s\n", opts->image, err);
		r = VMM_EXIT_IMAGE;
		goto out;
	}
	for (i = 0; i < vm.nr_vcpus; i++)
		if (set_start_state(&vm, &vm.vcpus[i], &entry)) {
			fprintf(stderr, "vmm: setting VCPU %u's registers: %s\n", i,
				strerror(errno));
			r = VMM_EXIT_ERROR;
			goto out;
		}
	if (opts->gdb_port && gdb_wait(&vm, opts->gdb_port)) {
		r = VMM_EXIT_ERROR;
		goto out;
	}
	r = vm_run(&vm);
	if (opts->dump_regs)
		report_regs(&vm);
	if (opts->stats)
		report_stats(&vm);
	if (vm.bus.unclaimed[BUS_PIO] && opts->trace)
		fprintf(stderr, "vmm: %lu accesses to ports with no device\n",
			vm.bus.unclaimed[BUS_PIO]);
out:
	vm_destroy(&vm);
	return r;
}

static int run_image(const struct accel *accel, int sys_fd,
		     const struct vmm_options *opts)
{
	const char *path = opts->kernel ? opts->kernel : opts->image;
	struct vmlinux vml = { 0 };
	uint8_t *img, *initrd = NULL;
	size_t len, initrd_len = 0;
	unsigned long boots = 1;
	int r;

	img = read_whole_file("vmm", path, &len, NULL);
	if (!img)
		return VMM_EXIT_IMAGE;
	if (opts->initrd) {
		initrd = read_whole_file("vmm", opts->initrd, &initrd_len, NULL);
		if (!initrd) {
			free(img);
			return VMM_EXIT_IMAGE;
		}
	}
	/* The device is open and the files read: no privilege is needed now. */
	if (drop_privileges()) {
		free(img);
		free(initrd);
		return VMM_EXIT_ERROR;
	}
	/* A bzImage: unpack its kernel here, once (vmlinux.h), unless told not to. */
	if (opts->kernel && !opts->no_unpack) {
		char dirbuf[256];
		const char *dir = opts->kernel_cache ? opts->kernel_cache :
				  vmlinux_cache_dir(dirbuf, sizeof(dirbuf));

		if (vmlinux_get(img, len, dir, &vml) && (opts->trace || opts->stats))
			fprintf(stderr, "vmm: the kernel decompresses itself: %s\n", vml.how);
		else if (opts->trace || opts->stats)
			fprintf(stderr, "vmm: the kernel: %s\n", vml.how);
	}
	/* --reboot: each reset is a power cycle, all state but the files is new. */
	while ((r = power_on(accel, sys_fd, opts, img, len, initrd, initrd_len, &vml)) ==
	       VMM_RESTART)
		fprintf(stderr, "vmm: boot %lu\n", ++boots);
	free(vml.data);
	free(img);
	free(initrd);
	return r;
}

int main(int argc, char **argv)
{
	const struct accel *accel;
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
	if (opts.version) {
		printf("vmm (minivmm) %s, for the minivmm API version %d\n", MINIVMM_VERSION,
		       MINIVMM_API_VERSION);
		return 0;
	}

	accel = accel_find(opts.accel);
	fd = accel->open();
	if (fd < 0)
		return VMM_EXIT_NO_DEVICE;
	if (opts.info) {
		r = print_info(accel, fd);
		close(fd);
		return r;
	}

	r = run_image(accel, fd, &opts);
	close(fd);
	return r;
}
