// SPDX-License-Identifier: GPL-2.0
/* The minivmm backend: /dev/minivmm (include/uapi/linux/minivmm.h). */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <unistd.h>

#include "accel.h"
#include "cpuid.h"
#include "vm.h"

#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))

static const struct {
	unsigned long cap;
	const char *name;
	int required;
} caps[] = {
	{ MINIVMM_CAP_UNRESTRICTED_GUEST, "unrestricted guest", 1 },
	{ MINIVMM_CAP_EPT, "EPT", 1 },
	{ MINIVMM_CAP_VPID, "VPID", 0 },
	{ MINIVMM_CAP_EPT_AD, "EPT accessed/dirty bits", 0 },
	{ MINIVMM_CAP_MAX_VMS, "maximum VMs", 0 },
	{ MINIVMM_CAP_MAX_VCPUS, "VCPUs per VM", 0 },
	{ MINIVMM_CAP_NR_MEMSLOTS, "memory slots", 0 },
	{ MINIVMM_CAP_INTERRUPTS, "interrupt injection", 1 },	/* vmm's PIC needs it */
	{ MINIVMM_CAP_NMI, "NMI injection", 0 },
	{ MINIVMM_CAP_TSC_KHZ, "TSC frequency (kHz)", 0 },
};

/* Open the system fd, or explain in one line why it cannot be. */
static int mv_open(void)
{
	int fd = open("/dev/minivmm", O_RDWR | O_CLOEXEC);
	unsigned int i;
	int version;

	if (fd < 0) {
		if (errno == ENOENT)
			fprintf(stderr, "vmm: /dev/minivmm does not exist: load the module first (sudo insmod kmod/minivmm.ko)\n");
		else if (errno == EACCES || errno == EPERM)
			fprintf(stderr, "vmm: /dev/minivmm: permission denied: run as root, or join the minivmm group (docs/install.md)\n");
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
	for (i = 0; i < ARRAY_SIZE(caps); i++)
		if (caps[i].required && ioctl(fd, MINIVMM_CHECK_CAPABILITY, caps[i].cap) <= 0) {
			fprintf(stderr, "vmm: the module lacks a required capability: %s\n",
				caps[i].name);
			close(fd);
			return -1;
		}
	return fd;
}

static void mv_info(int fd)
{
	unsigned int i;

	printf("minivmm API version %d\n", ioctl(fd, MINIVMM_GET_API_VERSION, 0));
	for (i = 0; i < ARRAY_SIZE(caps); i++)
		printf("  %-24s %d\n", caps[i].name,
		       ioctl(fd, MINIVMM_CHECK_CAPABILITY, caps[i].cap));
}

static int mv_create_vm(struct vm *vm)
{
	vm->vm_fd = ioctl(vm->sys_fd, MINIVMM_CREATE_VM, 0);
	return vm->vm_fd < 0 ? -1 : 0;
}

static int mv_set_memory(struct vm *vm, unsigned int slot, uint64_t gpa,
			 uint64_t size, void *hva, bool readonly)
{
	struct minivmm_memory_region r = {
		.slot = slot,
		.flags = readonly ? MINIVMM_MEM_READONLY : 0,
		.guest_phys_addr = gpa,
		.memory_size = size,
		.userspace_addr = (uintptr_t)hva,
	};

	return ioctl(vm->vm_fd, MINIVMM_SET_MEMORY_REGION, &r);
}

static int mv_create_vcpu(struct vm *vm, struct vcpu *v)
{
	int size;

	v->fd = ioctl(vm->vm_fd, MINIVMM_CREATE_VCPU, v->index);
	if (v->fd < 0)
		return -1;
	size = ioctl(vm->sys_fd, MINIVMM_GET_VCPU_MMAP_SIZE, 0);
	if (size < (int)sizeof(struct minivmm_run)) {
		errno = EPROTO;
		return -1;
	}
	v->run = mmap(NULL, size, PROT_READ | PROT_WRITE, MAP_SHARED, v->fd, 0);
	if (v->run == MAP_FAILED) {
		v->run = NULL;
		return -1;
	}
	v->backend_run_size = size;
	v->immediate_exit = &v->run->immediate_exit;
	return 0;
}

static int mv_run(struct vcpu *v)
{
	return ioctl(v->fd, MINIVMM_RUN, 0);
}

static int mv_get_regs(struct vcpu *v, struct minivmm_regs *regs)
{
	return ioctl(v->fd, MINIVMM_GET_REGS, regs);
}

static int mv_set_regs(struct vcpu *v, const struct minivmm_regs *regs)
{
	return ioctl(v->fd, MINIVMM_SET_REGS, regs);
}

static int mv_get_sregs(struct vcpu *v, struct minivmm_sregs *sregs)
{
	return ioctl(v->fd, MINIVMM_GET_SREGS, sregs);
}

static int mv_set_sregs(struct vcpu *v, const struct minivmm_sregs *sregs)
{
	return ioctl(v->fd, MINIVMM_SET_SREGS, sregs);
}

static int mv_set_guest_debug(struct vcpu *v, uint32_t flags)
{
	struct minivmm_guest_debug d = { .flags = flags };

	return ioctl(v->fd, MINIVMM_SET_GUEST_DEBUG, &d);
}

static int mv_interrupt(struct vcpu *v, uint32_t vec)
{
	struct minivmm_interrupt irq = { .irq = vec };

	return ioctl(v->fd, MINIVMM_INTERRUPT, &irq);
}

static int mv_set_cpuid_pc(struct vm *vm, struct vcpu *v)
{
	struct minivmm_cpuid_entry raw[CPUID_MAX_ENTRIES], pc[CPUID_MAX_ENTRIES];
	unsigned int n = cpuid_host(raw, CPUID_MAX_ENTRIES);
	int khz = ioctl(vm->sys_fd, MINIVMM_CHECK_CAPABILITY, MINIVMM_CAP_TSC_KHZ);
	struct minivmm_cpuid c = { .entries = (uintptr_t)pc };

	c.nent = cpuid_pc(raw, n, khz > 0 ? khz : 0, true, pc, CPUID_MAX_ENTRIES);
	return ioctl(v->fd, MINIVMM_SET_CPUID, &c);
}

static int mv_get_stats(struct vcpu *v, struct minivmm_vcpu_stats *st)
{
	return ioctl(v->fd, MINIVMM_GET_STATS, st);
}

static void mv_destroy_vcpu(struct vcpu *v)
{
	if (v->run)
		munmap(v->run, v->backend_run_size);
	if (v->fd >= 0)
		close(v->fd);
}

const struct accel accel_minivmm = {
	.name = "minivmm",
	.open = mv_open,
	.info = mv_info,
	.create_vm = mv_create_vm,
	.set_memory = mv_set_memory,
	.set_cpuid_pc = mv_set_cpuid_pc,
	.create_vcpu = mv_create_vcpu,
	.run = mv_run,
	.get_regs = mv_get_regs,
	.set_regs = mv_set_regs,
	.get_sregs = mv_get_sregs,
	.set_sregs = mv_set_sregs,
	.set_guest_debug = mv_set_guest_debug,
	.interrupt = mv_interrupt,
	.get_stats = mv_get_stats,
	.destroy_vcpu = mv_destroy_vcpu,
};

const struct accel *accel_find(const char *name)
{
	if (!strcmp(name, accel_minivmm.name))
		return &accel_minivmm;
	if (!strcmp(name, accel_kvm.name))
		return &accel_kvm;
	return NULL;
}
