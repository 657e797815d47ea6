// SPDX-License-Identifier: GPL-2.0
/* Helpers for minivmm's in-machine tests; see mvtest.h. */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/klog.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <linux/minivmm.h>

#include "badstates.h"
#include "mvtest.h"

/* Results go through a pipe to the serial port: keep them line-buffered. */
__attribute__((constructor)) static void mv_line_buffered(void)
{
	setvbuf(stdout, NULL, _IOLBF, 0);
	setvbuf(stderr, NULL, _IOLBF, 0);
}

int mv_insmod(const char *path, const char *params)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	int r;

	if (fd < 0)
		return -errno;
	r = syscall(SYS_finit_module, fd, params, 0);
	r = r ? -errno : 0;
	close(fd);
	return r == -EEXIST ? 0 : r;
}

int mv_rmmod(const char *name)
{
	return syscall(SYS_delete_module, name, O_NONBLOCK) ? -errno : 0;
}

bool mv_module_loaded(const char *name)
{
	char line[256];
	size_t n = strlen(name);
	bool found = false;
	FILE *f = fopen("/proc/modules", "r");

	if (!f)
		return false;
	while (!found && fgets(line, sizeof(line), f))
		found = !strncmp(line, name, n) && line[n] == ' ';
	fclose(f);
	return found;
}

int mv_load(void)
{
	return mv_insmod(MV_MODULE_PATH, "");
}

int mv_open(void)
{
	return open("/dev/minivmm", O_RDWR | O_CLOEXEC);
}

long mv_counter(const char *name)
{
	char path[128];
	long v = -1;
	FILE *f;

	snprintf(path, sizeof(path), "/sys/kernel/debug/minivmm/%s", name);
	f = fopen(path, "r");
	if (!f)
		return -1;
	if (fscanf(f, "%ld", &v) != 1)
		v = -1;
	fclose(f);
	return v;
}

int mv_rdmsr(int cpu, uint32_t msr, uint64_t *val)
{
	char path[64];
	int fd, r;

	r = mv_insmod(MV_EXTRA_DIR "/msr.ko", "");
	if (r)
		return r;
	snprintf(path, sizeof(path), "/dev/cpu/%d/msr", cpu);
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	r = pread(fd, val, sizeof(*val), msr) == sizeof(*val) ? 0 : -EIO;
	close(fd);
	return r;
}

char *mv_klog(void)
{
	int size = klogctl(10 /* SYSLOG_ACTION_SIZE_BUFFER */, NULL, 0);
	char *buf;
	int n;

	if (size <= 0)
		return NULL;
	buf = malloc(size + 1);
	if (!buf)
		return NULL;
	n = klogctl(3 /* SYSLOG_ACTION_READ_ALL */, buf, size);
	if (n < 0) {
		free(buf);
		return NULL;
	}
	buf[n] = '\0';
	return buf;
}

size_t mv_klog_len(void)
{
	char *log = mv_klog();
	size_t n = log ? strlen(log) : 0;

	free(log);
	return n;
}

long mv_meminfo(const char *field)
{
	char line[256];
	size_t n = strlen(field);
	long v = -1;
	FILE *f = fopen("/proc/meminfo", "r");

	if (!f)
		return -1;
	while (fgets(line, sizeof(line), f))
		if (!strncmp(line, field, n) && line[n] == ':') {
			v = strtol(line + n + 1, NULL, 10);
			break;
		}
	fclose(f);
	return v;
}

int mv_online_cpus(void)
{
	return (int)sysconf(_SC_NPROCESSORS_ONLN);
}

int mv_pin(int cpu)
{
	cpu_set_t set;

	CPU_ZERO(&set);
	CPU_SET(cpu, &set);
	return sched_setaffinity(0, sizeof(set), &set) ? -errno : 0;
}

int mv_vm_open(struct mv_vm *v, size_t mem_size)
{
	struct minivmm_memory_region r = { .slot = 0, .memory_size = mem_size };
	int err;

	memset(v, 0, sizeof(*v));
	v->sys = v->vm = v->vcpu = -1;
	v->mem = MAP_FAILED;
	v->run = MAP_FAILED;
	v->mem_size = mem_size;
	v->sys = mv_open();
	if (v->sys < 0)
		goto fail;
	v->vm = ioctl(v->sys, MINIVMM_CREATE_VM, 0);
	if (v->vm < 0)
		goto fail;
	v->mem = mmap(NULL, mem_size, PROT_READ | PROT_WRITE,
		      MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (v->mem == MAP_FAILED)
		goto fail;
	r.userspace_addr = (uintptr_t)v->mem;
	if (ioctl(v->vm, MINIVMM_SET_MEMORY_REGION, &r))
		goto fail;
	v->vcpu = ioctl(v->vm, MINIVMM_CREATE_VCPU, 0);
	if (v->vcpu < 0)
		goto fail;
	v->run = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_SHARED, v->vcpu, 0);
	if (v->run == MAP_FAILED)
		goto fail;
	return 0;
fail:
	err = -errno;
	mv_vm_close(v);
	return err;
}

void mv_vm_close(struct mv_vm *v)
{
	if (v->run != MAP_FAILED)
		munmap(v->run, 4096);
	if (v->vcpu >= 0)
		close(v->vcpu);
	if (v->vm >= 0)
		close(v->vm);
	if (v->mem != MAP_FAILED)
		munmap(v->mem, v->mem_size);
	if (v->sys >= 0)
		close(v->sys);
	v->run = MAP_FAILED;
	v->mem = MAP_FAILED;
	v->sys = v->vm = v->vcpu = -1;
}

int mv_vm_load_long(struct mv_vm *v, uint64_t addr, const void *code, size_t len)
{
	struct minivmm_sregs s;
	struct minivmm_regs r;
	uint64_t *pt;

	if (v->mem_size < (2UL << 20) || addr < 0x4000 || addr + len > v->mem_size)
		return -EINVAL;
	pt = (uint64_t *)(v->mem + PML4_ADDR);
	pt[0] = 0x2000 | 3;
	pt = (uint64_t *)(v->mem + 0x2000);
	pt[0] = 0x3000 | 3;
	pt = (uint64_t *)(v->mem + 0x3000);
	pt[0] = 0 | 0x83;			/* one 2 MiB page at 0 */
	memcpy(v->mem + addr, code, len);
	badstate_base(LONG64, &s, &r);
	r.rip = r.rsp = addr;
	if (ioctl(v->vcpu, MINIVMM_SET_SREGS, &s) || ioctl(v->vcpu, MINIVMM_SET_REGS, &r))
		return -errno;
	return 0;
}

int mv_vm_load_real(struct mv_vm *v, uint64_t addr, const void *code, size_t len)
{
	struct minivmm_regs regs = { .rip = addr, .rflags = 2, .rsp = addr };

	if (addr + len > v->mem_size)
		return -EINVAL;
	memcpy(v->mem + addr, code, len);
	return ioctl(v->vcpu, MINIVMM_SET_REGS, &regs) ? -errno : 0;
}
