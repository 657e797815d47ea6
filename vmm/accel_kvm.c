// SPDX-License-Identifier: GPL-2.0
/*
 * The KVM backend (--accel kvm): Linux's own hypervisor through /dev/kvm,
 * the oracle minivmm is compared with (tests/vm/diff_test.sh). Registers
 * are converted field by field, and each kvm_run exit is translated into
 * the struct minivmm_run vmm's device models read; what they write back
 * (IN data, MMIO read data) is copied into kvm_run before the next KVM_RUN.
 *
 * KVM handles VMCALL itself and never hands it to userspace: minivmm's
 * hypercalls (docs/hypercalls.md) do not exist under KVM, and guests/rt
 * falls back to the UART and the exit port when CPUID does not say
 * "minivmm" (docs/hypercalls.md, "Finding the hypervisor").
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <unistd.h>

#include <linux/kvm.h>

#include "accel.h"
#include "cpuid.h"
#include "vm.h"

#define KVM_TSS_ADDR	0xfffbd000UL	/* 3 pages KVM needs below 4 GiB */
#define MAX_CPUID	256

static int kvm_open(void)
{
	int fd = open("/dev/kvm", O_RDWR | O_CLOEXEC);
	int version;

	if (fd < 0) {
		if (errno == ENOENT)
			fprintf(stderr, "vmm: /dev/kvm does not exist: load KVM first (modprobe kvm_intel)\n");
		else
			fprintf(stderr, "vmm: /dev/kvm: %s\n", strerror(errno));
		return -1;
	}
	version = ioctl(fd, KVM_GET_API_VERSION, 0);
	if (version != KVM_API_VERSION) {
		fprintf(stderr, "vmm: /dev/kvm speaks API version %d, vmm knows %d\n",
			version, KVM_API_VERSION);
		close(fd);
		return -1;
	}
	if (ioctl(fd, KVM_CHECK_EXTENSION, KVM_CAP_IMMEDIATE_EXIT) <= 0) {
		fprintf(stderr, "vmm: this KVM lacks KVM_CAP_IMMEDIATE_EXIT\n");
		close(fd);
		return -1;
	}
	return fd;
}

static void kvm_info(int fd)
{
	printf("KVM API version %d\n", ioctl(fd, KVM_GET_API_VERSION, 0));
	printf("  %-24s %d\n", "VCPUs per VM",
	       ioctl(fd, KVM_CHECK_EXTENSION, KVM_CAP_MAX_VCPUS));
	printf("  %-24s %d\n", "memory slots",
	       ioctl(fd, KVM_CHECK_EXTENSION, KVM_CAP_NR_MEMSLOTS));
}

static int kvm_create_vm(struct vm *vm)
{
	vm->vm_fd = ioctl(vm->sys_fd, KVM_CREATE_VM, 0);
	if (vm->vm_fd < 0)
		return -1;
	/* Intel: KVM wants a TSS area for real mode even if it never uses it. */
	return ioctl(vm->vm_fd, KVM_SET_TSS_ADDR, KVM_TSS_ADDR);
}

static int kvm_set_memory(struct vm *vm, unsigned int slot, uint64_t gpa,
			  uint64_t size, void *hva, bool readonly)
{
	struct kvm_userspace_memory_region r = {
		.slot = slot,
		.flags = readonly ? KVM_MEM_READONLY : 0,
		.guest_phys_addr = gpa,
		.memory_size = size,
		.userspace_addr = (uintptr_t)hva,
	};

	return ioctl(vm->vm_fd, KVM_SET_USER_MEMORY_REGION, &r);
}

/* What KVM supports (KVM_GET_SUPPORTED_CPUID), room for MAX_CPUID: or NULL. */
static struct kvm_cpuid2 *kvm_supported_cpuid(struct vm *vm)
{
	struct kvm_cpuid2 *c;

	c = calloc(1, sizeof(*c) + MAX_CPUID * sizeof(c->entries[0]));
	if (!c)
		return NULL;
	c->nent = MAX_CPUID;
	if (ioctl(vm->sys_fd, KVM_GET_SUPPORTED_CPUID, c)) {
		free(c);
		return NULL;
	}
	return c;
}

/* The guest sees what KVM supports (KVM starts with an empty CPUID). */
static int kvm_set_cpuid(struct vm *vm, struct vcpu *v)
{
	struct kvm_cpuid2 *c = kvm_supported_cpuid(vm);
	int r;

	if (!c)
		return -1;
	r = ioctl(v->fd, KVM_SET_CPUID2, c);
	free(c);
	return r;
}

/* The PC's processor from what KVM supports, with KVM's TSC frequency. */
static int kvm_set_cpuid_pc(struct vm *vm, struct vcpu *v)
{
	struct minivmm_cpuid_entry raw[CPUID_MAX_ENTRIES], pc[CPUID_MAX_ENTRIES];
	struct {
		struct kvm_msrs hdr;
		struct kvm_msr_entry e[2];
	} msrs = { .hdr.nmsrs = 2, .e = {
		{ .index = 0x1b },		/* IA32_APIC_BASE: no APIC */
		{ .index = 0x1a0, .data = 1 },	/* IA32_MISC_ENABLE: fast strings, as minivmm */
	} };
	unsigned int i, n = 0, k;
	struct kvm_cpuid2 *c;
	int khz, r = -1;

	c = kvm_supported_cpuid(vm);
	if (!c)
		return -1;
	for (i = 0; i < c->nent && n < CPUID_MAX_ENTRIES; i++) {
		const struct kvm_cpuid_entry2 *e = &c->entries[i];

		/* Subleaves past the ones cpuid_pc() reads are left out. */
		if ((e->function == 4 || e->function == 7) && e->index >= 8)
			continue;
		raw[n++] = (struct minivmm_cpuid_entry){
			.function = e->function, .index = e->index,
			.flags = e->flags & KVM_CPUID_FLAG_SIGNIFCANT_INDEX ?
				 MINIVMM_CPUID_INDEXED : 0,
			.eax = e->eax, .ebx = e->ebx, .ecx = e->ecx, .edx = e->edx,
		};
	}
	/*
	 * KVM shows CPUID.1:EDX.APIC as IA32_APIC_BASE's enable bit
	 * (kvm_update_cpuid_runtime()): disabled, as on a PC without one.
	 * The BIOS turns fast strings on; minivmm's MISC_ENABLE reads so.
	 */
	if (ioctl(v->fd, KVM_SET_MSRS, &msrs) != 2)
		goto out;
	khz = ioctl(v->fd, KVM_GET_TSC_KHZ, 0);
	k = cpuid_pc(raw, n, khz > 0 ? khz : 0, false, pc, CPUID_MAX_ENTRIES);
	memset(c, 0, sizeof(*c) + MAX_CPUID * sizeof(c->entries[0]));
	c->nent = k;
	for (i = 0; i < k; i++)
		c->entries[i] = (struct kvm_cpuid_entry2){
			.function = pc[i].function, .index = pc[i].index,
			.flags = pc[i].flags & MINIVMM_CPUID_INDEXED ?
				 KVM_CPUID_FLAG_SIGNIFCANT_INDEX : 0,
			.eax = pc[i].eax, .ebx = pc[i].ebx, .ecx = pc[i].ecx, .edx = pc[i].edx,
		};
	r = ioctl(v->fd, KVM_SET_CPUID2, c);
out:
	free(c);
	return r;
}

static int kvm_create_vcpu(struct vm *vm, struct vcpu *v)
{
	struct kvm_run *kr;
	int size;

	v->fd = ioctl(vm->vm_fd, KVM_CREATE_VCPU, v->index);
	if (v->fd < 0)
		return -1;
	size = ioctl(vm->sys_fd, KVM_GET_VCPU_MMAP_SIZE, 0);
	if (size < (int)sizeof(struct kvm_run)) {
		errno = EPROTO;
		return -1;
	}
	kr = mmap(NULL, size, PROT_READ | PROT_WRITE, MAP_SHARED, v->fd, 0);
	if (kr == MAP_FAILED)
		return -1;
	v->backend_run = kr;
	v->backend_run_size = size;
	v->immediate_exit = &kr->immediate_exit;
	v->run = calloc(1, MINIVMM_RUN_IO_DATA_OFFSET + MINIVMM_RUN_IO_DATA_SIZE);
	if (!v->run)
		return -1;
	return kvm_set_cpuid(vm, v);
}

/* What vmm wrote for the last exit goes where KVM reads it. */
static void kvm_complete(struct vcpu *v)
{
	struct kvm_run *kr = v->backend_run;
	struct minivmm_run *run = v->run;

	if (v->last_exit == KVM_EXIT_IO && kr->io.direction == KVM_EXIT_IO_IN)
		memcpy((uint8_t *)kr + kr->io.data_offset,
		       (uint8_t *)run + MINIVMM_RUN_IO_DATA_OFFSET,
		       (size_t)kr->io.size * kr->io.count);
	else if (v->last_exit == KVM_EXIT_MMIO && !kr->mmio.is_write)
		memcpy(kr->mmio.data, run->mmio.data, sizeof(kr->mmio.data));
	v->last_exit = KVM_EXIT_UNKNOWN;
	kr->request_interrupt_window = run->request_interrupt_window;
}

static void internal(struct minivmm_run *run, uint32_t sub, uint64_t data)
{
	run->exit_reason = MINIVMM_EXIT_INTERNAL_ERROR;
	run->internal.suberror = sub;
	run->internal.ndata = 1;
	run->internal.data[0] = data;
}

/* kvm_run's exit, in minivmm's words. */
static void kvm_translate(struct vcpu *v)
{
	struct kvm_run *kr = v->backend_run;
	struct minivmm_run *run = v->run;
	size_t len;

	v->last_exit = kr->exit_reason;
	memset(run->padding, 0, sizeof(run->padding));
	switch (kr->exit_reason) {
	case KVM_EXIT_IO:
		len = (size_t)kr->io.size * kr->io.count;
		if (len > MINIVMM_RUN_IO_DATA_SIZE) {
			internal(run, MINIVMM_INTERNAL_UNKNOWN_EXIT, kr->exit_reason);
			break;
		}
		run->exit_reason = MINIVMM_EXIT_IO;
		run->io.direction = kr->io.direction == KVM_EXIT_IO_OUT ?
				    MINIVMM_IO_OUT : MINIVMM_IO_IN;
		run->io.size = kr->io.size;
		run->io.port = kr->io.port;
		run->io.count = kr->io.count;
		run->io.data_offset = MINIVMM_RUN_IO_DATA_OFFSET;
		memcpy((uint8_t *)run + MINIVMM_RUN_IO_DATA_OFFSET,
		       (uint8_t *)kr + kr->io.data_offset, len);
		break;
	case KVM_EXIT_MMIO:
		run->exit_reason = MINIVMM_EXIT_MMIO;
		run->mmio.phys_addr = kr->mmio.phys_addr;
		memcpy(run->mmio.data, kr->mmio.data, sizeof(run->mmio.data));
		run->mmio.len = kr->mmio.len;
		run->mmio.is_write = kr->mmio.is_write;
		break;
	case KVM_EXIT_HLT:
		run->exit_reason = MINIVMM_EXIT_HLT;
		break;
	case KVM_EXIT_SHUTDOWN:
		run->exit_reason = MINIVMM_EXIT_SHUTDOWN;
		break;
	case KVM_EXIT_INTR:
		run->exit_reason = MINIVMM_EXIT_INTR;
		break;
	case KVM_EXIT_IRQ_WINDOW_OPEN:
		run->exit_reason = MINIVMM_EXIT_IRQ_WINDOW_OPEN;
		break;
	case KVM_EXIT_DEBUG:
		run->exit_reason = MINIVMM_EXIT_DEBUG;
		run->debug.rip = kr->debug.arch.pc;
		run->debug.exception = kr->debug.arch.exception;
		break;
	case KVM_EXIT_FAIL_ENTRY:
		run->exit_reason = MINIVMM_EXIT_FAIL_ENTRY;
		run->fail_entry.hardware_entry_failure_reason =
			kr->fail_entry.hardware_entry_failure_reason;
		run->fail_entry.cpu = kr->fail_entry.cpu;
		break;
	case KVM_EXIT_INTERNAL_ERROR:
		run->exit_reason = MINIVMM_EXIT_INTERNAL_ERROR;
		run->internal.suberror = kr->internal.suberror;
		run->internal.ndata = kr->internal.ndata < 16 ? kr->internal.ndata : 16;
		memcpy(run->internal.data, kr->internal.data,
		       run->internal.ndata * sizeof(run->internal.data[0]));
		break;
	default:
		internal(run, MINIVMM_INTERNAL_UNKNOWN_EXIT, kr->exit_reason);
		break;
	}
}

static int kvm_get_regs(struct vcpu *v, struct minivmm_regs *m);

static int kvm_run_vcpu(struct vcpu *v)
{
	struct kvm_run *kr = v->backend_run;
	int r;

	kvm_complete(v);
	r = ioctl(v->fd, KVM_RUN, 0);
	/* Set on every return, -EINTR included (KVM's post_kvm_run_save()). */
	v->run->ready_for_interrupt_injection = kr->ready_for_interrupt_injection;
	v->run->if_flag = kr->if_flag;
	if (r < 0) {
		v->run->exit_reason = MINIVMM_EXIT_INTR;
		return r;
	}
	kvm_translate(v);
	/* For --trace only: KVM does not say which instruction exited. */
	if (v->vm->trace) {
		struct minivmm_regs regs;

		v->run->exit_rip = kvm_get_regs(v, &regs) ? 0 : regs.rip;
	}
	return 0;
}

static int kvm_set_guest_debug(struct vcpu *v, uint32_t flags)
{
	struct kvm_guest_debug d = { 0 };

	if (flags & MINIVMM_GUESTDBG_ENABLE)
		d.control |= KVM_GUESTDBG_ENABLE;
	if (flags & MINIVMM_GUESTDBG_SINGLESTEP)
		d.control |= KVM_GUESTDBG_SINGLESTEP;
	if (flags & MINIVMM_GUESTDBG_SW_BP)
		d.control |= KVM_GUESTDBG_USE_SW_BP;
	return ioctl(v->fd, KVM_SET_GUEST_DEBUG, &d);
}

/* No in-kernel irqchip: the interrupt is queued for the next entry (KVM_INTERRUPT). */
static int kvm_interrupt(struct vcpu *v, uint32_t vec)
{
	struct kvm_interrupt irq = { .irq = vec };

	return ioctl(v->fd, KVM_INTERRUPT, &irq);
}

static int kvm_get_regs(struct vcpu *v, struct minivmm_regs *m)
{
	struct kvm_regs k;

	if (ioctl(v->fd, KVM_GET_REGS, &k))
		return -1;
	*m = (struct minivmm_regs){
		.rax = k.rax, .rbx = k.rbx, .rcx = k.rcx, .rdx = k.rdx,
		.rsi = k.rsi, .rdi = k.rdi, .rsp = k.rsp, .rbp = k.rbp,
		.r8 = k.r8, .r9 = k.r9, .r10 = k.r10, .r11 = k.r11,
		.r12 = k.r12, .r13 = k.r13, .r14 = k.r14, .r15 = k.r15,
		.rip = k.rip, .rflags = k.rflags,
	};
	return 0;
}

static int kvm_set_regs(struct vcpu *v, const struct minivmm_regs *m)
{
	struct kvm_regs k = {
		.rax = m->rax, .rbx = m->rbx, .rcx = m->rcx, .rdx = m->rdx,
		.rsi = m->rsi, .rdi = m->rdi, .rsp = m->rsp, .rbp = m->rbp,
		.r8 = m->r8, .r9 = m->r9, .r10 = m->r10, .r11 = m->r11,
		.r12 = m->r12, .r13 = m->r13, .r14 = m->r14, .r15 = m->r15,
		.rip = m->rip, .rflags = m->rflags,
	};

	return ioctl(v->fd, KVM_SET_REGS, &k);
}

static void seg_from_kvm(struct minivmm_segment *m, const struct kvm_segment *k)
{
	*m = (struct minivmm_segment){
		.base = k->base, .limit = k->limit, .selector = k->selector,
		.type = k->type, .present = k->present, .dpl = k->dpl,
		.db = k->db, .s = k->s, .l = k->l, .g = k->g, .avl = k->avl,
		.unusable = k->unusable,
	};
}

static void seg_to_kvm(struct kvm_segment *k, const struct minivmm_segment *m)
{
	*k = (struct kvm_segment){
		.base = m->base, .limit = m->limit, .selector = m->selector,
		.type = m->type, .present = m->present, .dpl = m->dpl,
		.db = m->db, .s = m->s, .l = m->l, .g = m->g, .avl = m->avl,
		.unusable = m->unusable,
	};
}

static int kvm_get_sregs(struct vcpu *v, struct minivmm_sregs *m)
{
	struct kvm_sregs k;

	if (ioctl(v->fd, KVM_GET_SREGS, &k))
		return -1;
	memset(m, 0, sizeof(*m));
	seg_from_kvm(&m->cs, &k.cs);
	seg_from_kvm(&m->ds, &k.ds);
	seg_from_kvm(&m->es, &k.es);
	seg_from_kvm(&m->fs, &k.fs);
	seg_from_kvm(&m->gs, &k.gs);
	seg_from_kvm(&m->ss, &k.ss);
	seg_from_kvm(&m->tr, &k.tr);
	seg_from_kvm(&m->ldt, &k.ldt);
	m->gdt.base = k.gdt.base;
	m->gdt.limit = k.gdt.limit;
	m->idt.base = k.idt.base;
	m->idt.limit = k.idt.limit;
	m->cr0 = k.cr0;
	m->cr2 = k.cr2;
	m->cr3 = k.cr3;
	m->cr4 = k.cr4;
	m->efer = k.efer;
	m->cr8 = k.cr8;
	return 0;
}

static int kvm_set_sregs(struct vcpu *v, const struct minivmm_sregs *m)
{
	struct kvm_sregs k;

	/* Keep what minivmm has no word for: APIC base, pending IRQs. */
	if (ioctl(v->fd, KVM_GET_SREGS, &k))
		return -1;
	seg_to_kvm(&k.cs, &m->cs);
	seg_to_kvm(&k.ds, &m->ds);
	seg_to_kvm(&k.es, &m->es);
	seg_to_kvm(&k.fs, &m->fs);
	seg_to_kvm(&k.gs, &m->gs);
	seg_to_kvm(&k.ss, &m->ss);
	seg_to_kvm(&k.tr, &m->tr);
	seg_to_kvm(&k.ldt, &m->ldt);
	k.gdt.base = m->gdt.base;
	k.gdt.limit = m->gdt.limit;
	k.idt.base = m->idt.base;
	k.idt.limit = m->idt.limit;
	k.cr0 = m->cr0;
	k.cr2 = m->cr2;
	k.cr3 = m->cr3;
	k.cr4 = m->cr4;
	k.efer = m->efer;
	k.cr8 = m->cr8;
	return ioctl(v->fd, KVM_SET_SREGS, &k);
}

/*
 * KVM's own counters for a VCPU, from its binary statistics file
 * (KVM_GET_STATS_FD, Documentation/virt/kvm/api.rst): a header, one
 * descriptor per counter (flags, size, offset, name), then the values.
 * Printed: the cumulative single counters that are not 0, as "kvm.NAME".
 */
static int kvm_print_stats(struct vcpu *v, unsigned int index)
{
	struct kvm_stats_header h;
	struct kvm_stats_desc *d;
	size_t dsize;
	char *descs;
	uint64_t val;
	unsigned int i;
	int fd, r = -1;

	fd = ioctl(v->fd, KVM_GET_STATS_FD, NULL);
	if (fd < 0 && (errno == EINVAL || errno == ENOTTY)) {
		/* KVM before Linux 5.14: said once, not per VCPU. */
		if (!index)
			fprintf(stderr, "vmm: this KVM has no statistics file (KVM_GET_STATS_FD, Linux 5.14)\n");
		return 0;
	}
	if (fd < 0)
		return -1;
	if (pread(fd, &h, sizeof(h), 0) != sizeof(h) || !h.name_size || h.name_size > 4096 ||
	    h.num_desc > 4096) {
		errno = EIO;
		goto out;
	}
	dsize = sizeof(*d) + h.name_size;
	descs = calloc(h.num_desc, dsize);
	if (!descs)
		goto out;
	if (pread(fd, descs, h.num_desc * dsize, h.desc_offset) != (ssize_t)(h.num_desc * dsize)) {
		errno = EIO;
		goto free;
	}
	for (i = 0; i < h.num_desc; i++) {
		d = (struct kvm_stats_desc *)(descs + i * dsize);
		d->name[h.name_size - 1] = '\0';
		if ((d->flags & KVM_STATS_TYPE_MASK) != KVM_STATS_TYPE_CUMULATIVE || d->size != 1)
			continue;
		if (pread(fd, &val, sizeof(val), h.data_offset + d->offset) != sizeof(val)) {
			errno = EIO;
			goto free;
		}
		if (val)
			fprintf(stderr, "stats vcpu%u kvm.%s %llu\n", index, d->name,
				(unsigned long long)val);
	}
	r = 0;
free:
	free(descs);
out:
	close(fd);
	return r;
}

static void kvm_destroy_vcpu(struct vcpu *v)
{
	if (v->backend_run)
		munmap(v->backend_run, v->backend_run_size);
	free(v->run);
	if (v->fd >= 0)
		close(v->fd);
}

const struct accel accel_kvm = {
	.name = "kvm",
	.open = kvm_open,
	.info = kvm_info,
	.create_vm = kvm_create_vm,
	.set_memory = kvm_set_memory,
	.set_cpuid_pc = kvm_set_cpuid_pc,
	.create_vcpu = kvm_create_vcpu,
	.run = kvm_run_vcpu,
	.get_regs = kvm_get_regs,
	.set_regs = kvm_set_regs,
	.get_sregs = kvm_get_sregs,
	.set_sregs = kvm_set_sregs,
	.set_guest_debug = kvm_set_guest_debug,
	.interrupt = kvm_interrupt,
	.print_stats = kvm_print_stats,
	.destroy_vcpu = kvm_destroy_vcpu,
};
