// SPDX-License-Identifier: GPL-2.0
/*
 * Host-side benchmarks, for minivmm or KVM (same ioctl shapes, different
 * numbers):
 *   lifecycle ACCEL N SLOT_MIB  N times: create a VM, one VCPU and a slot
 *                               of SLOT_MIB MiB, run to the first exit
 *                               (HLT), destroy; prints
 *                               "bench lifecycle_SLOTm N CYCLES"
 *   lifecycle ACCEL mem [VMS]   kernel memory per VM and per VCPU (MemFree
 *                               before and after VMS VMs, default 200,
 *                               then 4 VCPUs in each):
 *                               "bench-mem ACCEL vm KIB vcpu KIB vms VMS"
 * In the test machine the TSC counts emulated instructions: compare ratios.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <stdint.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include <unistd.h>

#include <linux/kvm.h>
#include <linux/minivmm.h>

#include "compute.h"

struct api {
	const char *dev;
	unsigned long create_vm, set_mem, create_vcpu, run, mmap_size;
	unsigned long get_sregs, set_sregs, set_regs;
	int hlt;	/* exit_reason for HLT */
};

static const struct api minivmm_api = {
	"/dev/minivmm", MINIVMM_CREATE_VM, MINIVMM_SET_MEMORY_REGION,
	MINIVMM_CREATE_VCPU, MINIVMM_RUN, MINIVMM_GET_VCPU_MMAP_SIZE,
	MINIVMM_GET_SREGS, MINIVMM_SET_SREGS, MINIVMM_SET_REGS, MINIVMM_EXIT_HLT,
};

static const struct api kvm_api = {
	"/dev/kvm", KVM_CREATE_VM, KVM_SET_USER_MEMORY_REGION,
	KVM_CREATE_VCPU, KVM_RUN, KVM_GET_VCPU_MMAP_SIZE,
	KVM_GET_SREGS, KVM_SET_SREGS, KVM_SET_REGS, KVM_EXIT_HLT,
};

static void die(const char *what)
{
	fprintf(stderr, "lifecycle: %s: %s\n", what, strerror(errno));
	exit(1);
}

/* Real mode at 0 with CS base 0, whichever API's segment layout. */
static void start_at_zero(const struct api *a, int vcpu)
{
	union {
		struct kvm_sregs k;
		struct minivmm_sregs m;
	} s;
	struct kvm_regs r = { .rip = 0, .rflags = 2 };

	if (ioctl(vcpu, a->get_sregs, &s))
		die("GET_SREGS");
	if (a == &kvm_api) {
		s.k.cs.base = 0;
		s.k.cs.selector = 0;
	} else {
		s.m.cs.base = 0;
		s.m.cs.selector = 0;
	}
	if (ioctl(vcpu, a->set_sregs, &s))
		die("SET_SREGS");
	/* kvm_regs and minivmm_regs: the same 18 u64 in the same order. */
	if (ioctl(vcpu, a->set_regs, &r))
		die("SET_REGS");
}

/* One VM's life: create, slot, VCPU, run to HLT, destroy. */
static void one_vm(const struct api *a, int sys, size_t slot)
{
	struct kvm_userspace_memory_region kr = { .memory_size = slot };
	struct minivmm_memory_region mr = { .memory_size = slot };
	int vm, vcpu, size;
	uint8_t *mem;
	void *run;

	vm = ioctl(sys, a->create_vm, 0);
	if (vm < 0)
		die("CREATE_VM");
	mem = mmap(NULL, slot, PROT_READ | PROT_WRITE,
		   MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
	if (mem == MAP_FAILED)
		die("mmap");
	mem[0] = 0xf4;				/* hlt */
	kr.userspace_addr = mr.userspace_addr = (uintptr_t)mem;
	if (ioctl(vm, a->set_mem, a == &kvm_api ? (void *)&kr : (void *)&mr))
		die("SET_MEMORY_REGION");
	vcpu = ioctl(vm, a->create_vcpu, 0);
	if (vcpu < 0)
		die("CREATE_VCPU");
	size = ioctl(sys, a->mmap_size, 0);
	run = mmap(NULL, size, PROT_READ | PROT_WRITE, MAP_SHARED, vcpu, 0);
	if (run == MAP_FAILED)
		die("mmap run");
	start_at_zero(a, vcpu);
	if (ioctl(vcpu, a->run, 0))
		die("RUN");
	/* exit_reason is at offset 8 in both kvm_run and minivmm_run. */
	if (*(uint32_t *)((char *)run + 8) != (uint32_t)a->hlt)
		die("first exit is not HLT");
	munmap(run, size);
	close(vcpu);
	close(vm);
	munmap(mem, slot);
}

static long mem_free_kib(void)
{
	char line[128];
	long v = -1;
	FILE *f = fopen("/proc/meminfo", "r");

	while (f && fgets(line, sizeof(line), f))
		if (sscanf(line, "MemFree: %ld kB", &v) == 1)
			break;
	if (f)
		fclose(f);
	return v;
}

/* Enough objects that the per-CPU page lists' slack does not matter. */
#define MEM_VMS_MAX	200
#define MEM_VCPUS	4

static void memory(const struct api *a, int sys, const char *name, int nvms)
{
	struct rlimit fds = { 4096, 4096 };
	int vm[MEM_VMS_MAX], i, j;
	long m0, m1, m2;

	if (setrlimit(RLIMIT_NOFILE, &fds))
		die("RLIMIT_NOFILE");
	sync();
	m0 = mem_free_kib();
	for (i = 0; i < nvms; i++)
		if ((vm[i] = ioctl(sys, a->create_vm, 0)) < 0)
			die("CREATE_VM");
	m1 = mem_free_kib();
	for (i = 0; i < nvms; i++)
		for (j = 0; j < MEM_VCPUS; j++)
			if (ioctl(vm[i], a->create_vcpu, j) < 0)
				die("CREATE_VCPU");
	m2 = mem_free_kib();
	printf("bench-mem %s vm %.1f vcpu %.1f vms %d\n", name, (double)(m0 - m1) / nvms,
	       (double)(m1 - m2) / (nvms * MEM_VCPUS), nvms);
	for (i = 0; i < nvms; i++)
		close(vm[i]);	/* the VCPU fds go with the process */
}

int main(int argc, char **argv)
{
	const struct api *a;
	unsigned long n, i, t0;
	size_t slot;
	int sys;

	if (argc < 3 || (strcmp(argv[1], "minivmm") && strcmp(argv[1], "kvm"))) {
		fprintf(stderr, "usage: lifecycle minivmm|kvm N SLOT_MIB | lifecycle minivmm|kvm mem\n");
		return 2;
	}
	a = strcmp(argv[1], "kvm") ? &minivmm_api : &kvm_api;
	sys = open(a->dev, O_RDWR | O_CLOEXEC);
	if (sys < 0)
		die(a->dev);
	if (!strcmp(argv[2], "mem")) {
		int nvms = argc > 3 ? atoi(argv[3]) : MEM_VMS_MAX;

		if (nvms < 1 || nvms > MEM_VMS_MAX) {
			fprintf(stderr, "lifecycle: mem takes 1 to %d VMs\n", MEM_VMS_MAX);
			return 2;
		}
		memory(a, sys, argv[1], nvms);
		return 0;
	}
	n = strtoul(argv[2], NULL, 10);
	slot = (argc > 3 ? strtoul(argv[3], NULL, 10) : 64) << 20;
	one_vm(a, sys, slot);			/* warm up */
	t0 = bench_rdtsc();
	for (i = 0; i < n; i++)
		one_vm(a, sys, slot);
	printf("bench lifecycle_%zum %lu %lu\n", slot >> 20, n, bench_rdtsc() - t0);
	return 0;
}
