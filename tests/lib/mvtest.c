// SPDX-License-Identifier: GPL-2.0
/* Helpers for minivmm's in-machine tests; see mvtest.h. */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/klog.h>
#include <sys/syscall.h>
#include <unistd.h>

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
