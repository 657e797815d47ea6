// SPDX-License-Identifier: GPL-2.0
/*
 * vmm's VM: guest memory, one VCPU, and the run loop that emulates devices
 * on the exits the kernel hands to userspace (trap and emulate, the part
 * that lives in user mode). Runs in user mode on the host.
 */
#include <errno.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <unistd.h>

#include "vm.h"

static volatile sig_atomic_t stop_signal;

static void on_stop_signal(int sig)
{
	stop_signal = sig;
}

static void com1_tx(void *opaque, uint8_t byte)
{
	(void)opaque;
	putchar(byte);
	if (byte == '\n')
		fflush(stdout);
}

int vm_create(struct vm *vm, int sys_fd, uint64_t mem_size)
{
	struct minivmm_memory_region region;
	int mmap_size, i;

	memset(vm, 0, sizeof(*vm));
	vm->sys_fd = sys_fd;
	vm->vm_fd = vm->vcpu_fd = -1;
	serial_init(&vm->com1, com1_tx, vm);

	vm->vm_fd = ioctl(sys_fd, MINIVMM_CREATE_VM, 0);
	if (vm->vm_fd < 0) {
		fprintf(stderr, "vmm: cannot create a VM: %s%s\n", strerror(errno),
			errno == EBUSY ? " (another hypervisor owns VMX; see dmesg)" : "");
		return VMM_EXIT_NOT_AVAILABLE;
	}
	vm->mem_size = mem_size;
	vm->mem = mmap(NULL, mem_size, PROT_READ | PROT_WRITE,
		       MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
	if (vm->mem == MAP_FAILED) {
		vm->mem = NULL;
		fprintf(stderr, "vmm: cannot map %llu bytes of guest memory: %s\n",
			(unsigned long long)mem_size, strerror(errno));
		return VMM_EXIT_ERROR;
	}
	/*
	 * RAM as on a PC: the legacy hole from 640 KiB to 1 MiB (VGA memory
	 * and ROMs) has no memory behind it, so guest accesses there are MMIO.
	 */
	for (i = 0; i < 2; i++) {
		uint64_t start = i ? VMM_HOLE_END : 0;
		uint64_t end = i ? mem_size : (mem_size < VMM_HOLE_START ? mem_size : VMM_HOLE_START);

		if (end <= start)
			continue;
		region = (struct minivmm_memory_region) {
			.slot = i,
			.guest_phys_addr = start,
			.memory_size = end - start,
			.userspace_addr = (uintptr_t)vm->mem + start,
		};
		if (ioctl(vm->vm_fd, MINIVMM_SET_MEMORY_REGION, &region)) {
			fprintf(stderr, "vmm: MINIVMM_SET_MEMORY_REGION: %s\n", strerror(errno));
			return VMM_EXIT_ERROR;
		}
	}
	vm->vcpu_fd = ioctl(vm->vm_fd, MINIVMM_CREATE_VCPU, 0);
	if (vm->vcpu_fd < 0) {
		fprintf(stderr, "vmm: MINIVMM_CREATE_VCPU: %s\n", strerror(errno));
		return VMM_EXIT_ERROR;
	}
	mmap_size = ioctl(sys_fd, MINIVMM_GET_VCPU_MMAP_SIZE, 0);
	if (mmap_size < (int)sizeof(struct minivmm_run)) {
		fprintf(stderr, "vmm: bad run area size %d\n", mmap_size);
		return VMM_EXIT_ERROR;
	}
	vm->run_size = mmap_size;
	vm->run = mmap(NULL, vm->run_size, PROT_READ | PROT_WRITE, MAP_SHARED,
		       vm->vcpu_fd, 0);
	if (vm->run == MAP_FAILED) {
		vm->run = NULL;
		fprintf(stderr, "vmm: cannot map the run area: %s\n", strerror(errno));
		return VMM_EXIT_ERROR;
	}
	return 0;
}

void vm_destroy(struct vm *vm)
{
	if (vm->run)
		munmap(vm->run, vm->run_size);
	if (vm->vcpu_fd >= 0)
		close(vm->vcpu_fd);
	if (vm->vm_fd >= 0)
		close(vm->vm_fd);
	if (vm->mem)
		munmap(vm->mem, vm->mem_size);
}

/* Bytes typed on stdin reach the guest through the UART's receiver. */
static void poll_stdin(struct vm *vm)
{
	struct pollfd p = { .fd = 0, .events = POLLIN };
	uint8_t c;

	while (poll(&p, 1, 0) == 1 && (p.revents & POLLIN) &&
	       vm->com1.rx_count < SERIAL_RX_SIZE && read(0, &c, 1) == 1)
		serial_receive(&vm->com1, c);
}

static uint64_t get_rip(struct vm *vm)
{
	struct minivmm_regs regs;

	if (ioctl(vm->vcpu_fd, MINIVMM_GET_REGS, &regs))
		return ~0ULL;
	return regs.rip;
}

/*
 * An IN or OUT: the port decides the device. Returns -1 to go on, or the
 * exit status when the guest is done.
 */
static int handle_io_item(struct vm *vm, uint8_t *data)
{
	struct minivmm_run *run = vm->run;
	uint16_t port = run->io.port;
	bool out = run->io.direction == MINIVMM_IO_OUT;

	if (port >= SERIAL_COM1_BASE && port < SERIAL_COM1_BASE + SERIAL_NR_PORTS) {
		if (out) {
			serial_write(&vm->com1, port - SERIAL_COM1_BASE, data[0]);
		} else {
			poll_stdin(vm);
			memset(data, 0, run->io.size);
			data[0] = serial_read(&vm->com1, port - SERIAL_COM1_BASE);
		}
		if (vm->trace)
			fprintf(stderr, "vmm: exit %lu: %s port %#x size %u data %#x\n",
				vm->exits, out ? "OUT" : "IN", port, run->io.size, data[0]);
		return -1;
	}
	if (port == VMM_EXIT_PORT && out) {
		if (vm->trace)
			fprintf(stderr, "vmm: exit %lu: OUT port %#x: guest exit value %u\n",
				vm->exits, port, data[0]);
		return data[0];
	}
	/* Nothing here: reads float high, writes vanish. */
	vm->unknown_port_accesses++;
	if (!out)
		memset(data, 0xff, run->io.size);
	if (vm->trace)
		fprintf(stderr, "vmm: exit %lu: %s port %#x size %u: no device\n",
			vm->exits, out ? "OUT" : "IN", port, run->io.size);
	return -1;
}

/* One IN/OUT, or count of them for string I/O (INS/OUTS with REP). */
static int handle_io(struct vm *vm)
{
	struct minivmm_run *run = vm->run;
	uint8_t *data = (uint8_t *)run + run->io.data_offset;
	uint32_t i;
	int status;

	for (i = 0; i < run->io.count; i++) {
		status = handle_io_item(vm, data + i * run->io.size);
		if (status >= 0)
			return status;
	}
	return -1;
}

/*
 * VMCALL (docs/hypercalls.md). Returns -1 to go on, or the exit status when
 * the guest asked to end.
 */
static int handle_hypercall(struct vm *vm)
{
	struct minivmm_run *run = vm->run;
	uint64_t gpa = run->hypercall.args[0], len = run->hypercall.args[1];

	if (vm->trace)
		fprintf(stderr, "vmm: exit %lu: hypercall %llu (%#llx, %#llx)\n",
			vm->exits, (unsigned long long)run->hypercall.nr,
			(unsigned long long)gpa, (unsigned long long)len);
	switch (run->hypercall.nr) {
	case VMM_HC_CONSOLE_WRITE:
		if (gpa > vm->mem_size || len > vm->mem_size - gpa) {
			run->hypercall.ret = VMM_HC_EINVAL;
			return -1;
		}
		fwrite(vm->mem + gpa, 1, len, stdout);
		fflush(stdout);
		run->hypercall.ret = len;
		return -1;
	case VMM_HC_EXIT:
		return gpa & 0xff;
	default:
		run->hypercall.ret = VMM_HC_ENOSYS;
		return -1;
	}
}

int vm_run(struct vm *vm)
{
	struct sigaction sa = { .sa_handler = on_stop_signal };
	struct minivmm_run *run = vm->run;
	int status;

	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGALRM, &sa, NULL);

	for (;;) {
		if (ioctl(vm->vcpu_fd, MINIVMM_RUN, 0) < 0 && errno != EINTR) {
			fprintf(stderr, "vmm: MINIVMM_RUN: %s\n", strerror(errno));
			return VMM_EXIT_ERROR;
		}
		vm->exits++;
		switch (run->exit_reason) {
		case MINIVMM_EXIT_IO:
			status = handle_io(vm);
			if (status >= 0)
				return status;
			break;
		case MINIVMM_EXIT_MMIO:
			/* No MMIO device yet: reads float high, writes vanish. */
			vm->unknown_mmio_accesses++;
			if (!run->mmio.is_write)
				memset(run->mmio.data, 0xff, sizeof(run->mmio.data));
			if (vm->trace)
				fprintf(stderr, "vmm: exit %lu: MMIO %s %#llx size %u: no device\n",
					vm->exits, run->mmio.is_write ? "write" : "read",
					(unsigned long long)run->mmio.phys_addr, run->mmio.len);
			break;
		case MINIVMM_EXIT_HYPERCALL:
			status = handle_hypercall(vm);
			if (status >= 0)
				return status;
			break;
		case MINIVMM_EXIT_HLT:
			/* No interrupt can wake the guest yet: HLT ends it. */
			if (vm->trace)
				fprintf(stderr, "vmm: exit %lu: HLT at %#llx\n", vm->exits,
					(unsigned long long)get_rip(vm));
			return 0;
		case MINIVMM_EXIT_INTR:
			if (stop_signal) {
				fprintf(stderr, "vmm: stopped by signal %d (%s) at RIP %#llx\n",
					stop_signal, strsignal(stop_signal),
					(unsigned long long)get_rip(vm));
				return VMM_EXIT_SIGNAL;
			}
			break;
		case MINIVMM_EXIT_SHUTDOWN:
			fprintf(stderr, "vmm: guest triple fault (shutdown) at RIP %#llx\n",
				(unsigned long long)get_rip(vm));
			return VMM_EXIT_TRIPLE_FAULT;
		case MINIVMM_EXIT_FAIL_ENTRY:
			fprintf(stderr, "vmm: VM entry failed: exit reason %#llx, qualification %#llx, VM-instruction error %u, RIP %#llx\n",
				(unsigned long long)run->fail_entry.hardware_entry_failure_reason,
				(unsigned long long)run->fail_entry.exit_qualification,
				run->fail_entry.vm_instruction_error,
				(unsigned long long)get_rip(vm));
			return VMM_EXIT_FAIL_ENTRY;
		case MINIVMM_EXIT_INTERNAL_ERROR:
			fprintf(stderr, "vmm: internal error %u: data %#llx %#llx, RIP %#llx\n",
				run->internal.suberror,
				(unsigned long long)run->internal.data[0],
				(unsigned long long)run->internal.data[1],
				(unsigned long long)run->internal.data[2]);
			return VMM_EXIT_INTERNAL;
		default:
			fprintf(stderr, "vmm: unexpected exit reason %u at RIP %#llx\n",
				run->exit_reason, (unsigned long long)get_rip(vm));
			return VMM_EXIT_INTERNAL;
		}
	}
}
