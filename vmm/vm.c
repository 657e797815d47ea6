// SPDX-License-Identifier: GPL-2.0
/*
 * vmm's VM: guest memory, the devices on its bus, the VCPU threads, and
 * the run loop that hands each exit the hypervisor returns to userspace to
 * the device, hypercall or report that deals with it (trap and emulate,
 * the part that lives in user mode). Runs in user mode on the host.
 *
 * Each VCPU runs in its own thread. The devices are shared: vm->lock is
 * held while an exit is handled. A VCPU that ends the VM (exit port,
 * exit hypercall, triple fault, error, signal) kicks the others out of the
 * guest: it sets their run page's immediate_exit flag, then sends their
 * thread SIGUSR1. The signal interrupts a RUN in progress (-EINTR); the
 * flag covers a thread about to call RUN, which the signal may miss.
 */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "devices/exitport.h"
#include "entrycheck.h"
#include "gdbstub.h"
#include "hypercall.h"
#include "interrupts.h"
#include "report.h"
#include "trace.h"
#include "vm.h"

static volatile sig_atomic_t stop_signal;
static struct vm *signal_vm;

static void kick(struct vcpu *v)
{
	*v->immediate_exit = 1;
	if (v->started)
		pthread_kill(v->thread, SIGUSR1);
}

static void kick_all(struct vm *vm)
{
	unsigned int i;

	for (i = 0; i < vm->nr_vcpus; i++)
		kick(&vm->vcpus[i]);
}

static void on_stop_signal(int sig)
{
	char c = 0;

	stop_signal = sig;
	if (signal_vm) {
		signal_vm->stop_requested = 1;
		kick_all(signal_vm);
		/* VCPU 0 may sleep in HLT: the event thread wakes it. */
		if (signal_vm->wake_pipe[1] >= 0 && write(signal_vm->wake_pipe[1], &c, 1) < 0)
			return;
	}
}

static void on_kick(int sig)
{
	(void)sig;
}

/*
 * COM1's other end: the guest's bytes go to stdout; bytes typed on stdin
 * reach its receiver through the event thread (interrupts.c).
 */
static void com1_tx(void *opaque, uint8_t byte)
{
	(void)opaque;
	putchar(byte);
	if (byte == '\n')
		fflush(stdout);
}

/* Put the PC devices vmm emulates on the bus: 0, or -1 after a message. */
static int attach_devices(struct vm *vm)
{
	static const struct uart16550_host com1_host = { .tx = com1_tx };
	struct bus_irq com1_irq = intr_line(vm, IRQ_COM1);
	int err;

	bus_init(&vm->bus);
	err = uart16550_attach(&vm->bus, &vm->com1, UART16550_COM1, &com1_host, &com1_irq);
	if (!err)
		err = exitport_attach(&vm->bus, EXITPORT_PORT);
	if (!err)
		err = intr_attach(vm);
	if (err) {
		fprintf(stderr, "vmm: attaching the devices: %s\n", strerror(-err));
		return -1;
	}
	return 0;
}

int vm_create(struct vm *vm, const struct accel *accel, int sys_fd,
	      uint64_t mem_size, unsigned int nr_vcpus)
{
	unsigned int i;

	memset(vm, 0, sizeof(*vm));
	vm->gdb_fd = -1;
	vm->accel = accel;
	vm->sys_fd = sys_fd;
	vm->vm_fd = -1;
	for (i = 0; i < VMM_MAX_VCPUS; i++)
		vm->vcpus[i].fd = -1;
	pthread_mutex_init(&vm->lock, NULL);
	pthread_cond_init(&vm->stopped, NULL);
	if (attach_devices(vm))
		return VMM_EXIT_INTERNAL;

	if (accel->create_vm(vm)) {
		fprintf(stderr, "vmm: cannot create a VM: %s%s\n", strerror(errno),
			errno == EBUSY ? " (another hypervisor owns VMX; see dmesg)" : "");
		return errno == EBUSY ? VMM_EXIT_NOT_AVAILABLE : VMM_EXIT_ERROR;
	}
	vm->mem_size = mem_size;
	mc146818_set_memory(&vm->rtc, mem_size);
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
		if (accel->set_memory(vm, i, start, end - start, vm->mem + start, false)) {
			fprintf(stderr, "vmm: setting guest memory [%#llx, %#llx): %s\n",
				(unsigned long long)start, (unsigned long long)end,
				strerror(errno));
			return VMM_EXIT_ERROR;
		}
	}
	for (i = 0; i < nr_vcpus; i++) {
		struct vcpu *v = &vm->vcpus[i];

		v->vm = vm;
		v->index = i;
		if (accel->create_vcpu(vm, v)) {
			fprintf(stderr, "vmm: creating VCPU %u: %s\n", i, strerror(errno));
			vm->nr_vcpus = i + 1;
			return VMM_EXIT_ERROR;
		}
		vm->nr_vcpus = i + 1;
	}
	return 0;
}

int vm_add_rom(struct vm *vm)
{
	if (vm->mem_size < VMM_HOLE_END) {
		errno = EINVAL;
		return -1;
	}
	/* Slot 2: slots 0 and 1 are RAM below and above the hole. */
	return vm->accel->set_memory(vm, 2, VMM_ROM_START, VMM_HOLE_END - VMM_ROM_START,
				     vm->mem + VMM_ROM_START, true);
}

void vm_destroy(struct vm *vm)
{
	unsigned int i;

	for (i = 0; i < vm->nr_vcpus; i++)
		vm->accel->destroy_vcpu(&vm->vcpus[i]);
	if (vm->vm_fd >= 0)
		close(vm->vm_fd);
	if (vm->mem)
		munmap(vm->mem, vm->mem_size);
	pthread_cond_destroy(&vm->stopped);
	pthread_mutex_destroy(&vm->lock);
}

static uint64_t get_rip(struct vcpu *v)
{
	struct minivmm_regs regs;

	if (v->vm->accel->get_regs(v, &regs))
		return ~0ULL;
	return regs.rip;
}

/*
 * One IN/OUT, or count of them for string I/O (INS/OUTS with REP), each
 * to the device that owns the port. Returns VCPU_GO_ON, or the exit
 * status when a device ended the guest.
 */
static int handle_io(struct vcpu *v)
{
	struct minivmm_run *run = v->run;
	uint8_t *data = (uint8_t *)run + run->io.data_offset;
	bool out = run->io.direction == MINIVMM_IO_OUT;
	const struct bus_range *r;
	uint32_t i;
	int st;

	for (i = 0; i < run->io.count; i++, data += run->io.size) {
		st = bus_access(&v->vm->bus, BUS_PIO, run->io.port, out, data, run->io.size, &r);
		if (v->vm->trace)
			trace_access(v, BUS_PIO, run->io.port, out, data, run->io.size, st, r);
		if (st >= 0)
			return st;
	}
	intr_port_accessed(v->vm, run->io.port, out);
	return VCPU_GO_ON;
}

/* An access to an address with no RAM (the hypervisor decoded it): to its device. */
static int handle_mmio(struct vcpu *v)
{
	struct minivmm_run *run = v->run;
	unsigned int size = run->mmio.len < 8 ? run->mmio.len : 8;
	const struct bus_range *r;
	int st;

	st = bus_access(&v->vm->bus, BUS_MMIO, run->mmio.phys_addr, run->mmio.is_write,
			run->mmio.data, size, &r);
	if (v->vm->trace)
		trace_access(v, BUS_MMIO, run->mmio.phys_addr, run->mmio.is_write,
			     run->mmio.data, size, st, r);
	return st >= 0 ? st : VCPU_GO_ON;
}

/* Exit reason 33 with bit 31: "VM-entry failure, invalid guest state" (SDM 26.8). */
#define ENTRY_FAIL_GUEST_STATE	0x80000021ULL

/* Which check on the guest state (SDM 26.3.1) did the entry fail? */
static void diagnose_guest_state(struct vcpu *v)
{
	struct minivmm_sregs sr;
	struct minivmm_regs regs;
	struct entry_check why;

	if (v->vm->accel->get_regs(v, &regs) || v->vm->accel->get_sregs(v, &sr)) {
		fprintf(stderr, "vmm: cannot read the guest state to say why: %s\n",
			strerror(errno));
		return;
	}
	if (entry_check_guest(&regs, &sr, entry_check_maxphyaddr(), &why))
		fprintf(stderr, "vmm: invalid guest state: %s [SDM %s, check %s]\n",
			why.what, why.sdm, why.id);
	else
		fprintf(stderr, "vmm: invalid guest state, but none of vmm's checks (SDM 26.3.1, vmm/entrycheck.c) says why\n");
}

/* One exit, with vm->lock held: VCPU_GO_ON, VCPU_STOPPED or a status. */
static int handle_exit(struct vcpu *v)
{
	struct minivmm_run *run = v->run;

	switch (run->exit_reason) {
	case MINIVMM_EXIT_IO:
		return handle_io(v);
	case MINIVMM_EXIT_MMIO:
		return handle_mmio(v);
	case MINIVMM_EXIT_HYPERCALL:
		return hypercall_handle(v);
	case MINIVMM_EXIT_HLT:
		trace(v, "HLT at %#llx (IF=%u)\n", (unsigned long long)get_rip(v), run->if_flag);
		return intr_halt(v);
	case MINIVMM_EXIT_IRQ_WINDOW_OPEN:
		return VCPU_GO_ON;	/* the interrupt goes in below (intr_update) */
	case MINIVMM_EXIT_SHUTDOWN:
		fprintf(stderr, "vmm: guest triple fault (shutdown) at RIP %#llx\n",
			(unsigned long long)get_rip(v));
		return VMM_EXIT_TRIPLE_FAULT;
	case MINIVMM_EXIT_FAIL_ENTRY:
		fprintf(stderr, "vmm: VM entry failed: exit reason %#llx, qualification %#llx, VM-instruction error %u, RIP %#llx\n",
			(unsigned long long)run->fail_entry.hardware_entry_failure_reason,
			(unsigned long long)run->fail_entry.exit_qualification,
			run->fail_entry.vm_instruction_error,
			(unsigned long long)get_rip(v));
		if (run->fail_entry.hardware_entry_failure_reason == ENTRY_FAIL_GUEST_STATE)
			diagnose_guest_state(v);
		return VMM_EXIT_FAIL_ENTRY;
	case MINIVMM_EXIT_INTERNAL_ERROR:
		report_internal(v, get_rip(v));
		return VMM_EXIT_INTERNAL;
	default:
		fprintf(stderr, "vmm: unexpected exit reason %u at RIP %#llx\n",
			run->exit_reason, (unsigned long long)get_rip(v));
		return VMM_EXIT_INTERNAL;
	}
}

/*
 * The first VCPU to end the VM sets its status (and gets true); the others
 * are kicked out of the guest.
 */
static bool vm_end(struct vm *vm, int status)
{
	bool first;

	pthread_mutex_lock(&vm->lock);
	first = !vm->done;
	if (first) {
		vm->status = status;
		__atomic_store_n(&vm->done, true, __ATOMIC_RELEASE);
	}
	intr_wake_all(vm);
	pthread_mutex_unlock(&vm->lock);
	kick_all(vm);
	return first;
}

void vm_quit(struct vm *vm, int status)
{
	vm_end(vm, status);
}

static bool vm_is_done(struct vm *vm)
{
	return __atomic_load_n(&vm->done, __ATOMIC_ACQUIRE);
}

/* --gdb: serve gdb while the guest is stopped; false if vmm must end. */
static bool debug_stop(struct vcpu *v, enum gdb_stop why)
{
	struct vm *vm = v->vm;
	enum gdb_action a;

	if (vm->gdb_fd < 0)
		return true;		/* gdb detached: run on */
	a = gdb_stopped(vm, v, why);
	if (a == GDB_KILL) {
		fprintf(stderr, "vmm: killed by the debugger\n");
		vm_end(vm, VMM_EXIT_SIGNAL);
		return false;
	}
	if (gdb_resume(vm, v, a)) {
		fprintf(stderr, "vmm: --gdb: setting the VCPU's debug flags: %s\n",
			strerror(errno));
		vm_end(vm, VMM_EXIT_ERROR);
		return false;
	}
	return true;
}

static void *vcpu_thread(void *arg)
{
	struct vcpu *v = arg;
	struct vm *vm = v->vm;
	int r, status;

	if (vm->gdb_fd >= 0 && !debug_stop(v, GDB_STOP_START))
		goto out;
	if (v->index == 0) {
		pthread_mutex_lock(&vm->lock);
		intr_update(v);
		pthread_mutex_unlock(&vm->lock);
	}
	while (!vm_is_done(vm)) {
		r = vm->accel->run(v);
		if (r < 0 && errno != EINTR) {
			fprintf(stderr, "vmm: RUN on VCPU %u: %s\n", v->index, strerror(errno));
			vm_end(vm, VMM_EXIT_ERROR);
			break;
		}
		if (r < 0) {
			/*
			 * Kicked: the VM ended, a stop signal came, or an
			 * interrupt. Clear the flag before looking which: a
			 * kick after this sets it again, and the next RUN
			 * returns at once (cleared after the look, a stop
			 * kick in between was lost and the VM ran on).
			 */
			__atomic_store_n(v->immediate_exit, 0, __ATOMIC_SEQ_CST);
			if (stop_signal && vm_end(vm, VMM_EXIT_SIGNAL))
				fprintf(stderr, "vmm: stopped by signal %d (%s) at RIP %#llx\n",
					stop_signal, strsignal(stop_signal),
					(unsigned long long)get_rip(v));
			if (stop_signal)
				continue;
			/* Kicked for an interrupt: it goes in now. */
			if (v->index == 0) {
				pthread_mutex_lock(&vm->lock);
				intr_update(v);
				pthread_mutex_unlock(&vm->lock);
			}
			continue;
		}
		v->exits++;
		if (vm->trace)
			trace_insn(v);
		if (v->run->exit_reason == MINIVMM_EXIT_DEBUG && vm->gdb_fd >= 0) {
			trace(v, "DEBUG at %#llx: %s\n", (unsigned long long)v->run->debug.rip,
			      v->run->debug.exception == 3 ? "breakpoint" : "step");
			if (!debug_stop(v, v->run->debug.exception == 3 ?
					GDB_STOP_BREAKPOINT : GDB_STOP_STEP))
				break;
			continue;
		}
		pthread_mutex_lock(&vm->lock);
		status = handle_exit(v);
		if (status == VCPU_GO_ON && vm->reset_reason) {
			fprintf(stderr, "vmm: the guest reset the machine: %s%s\n", vm->reset_reason,
				vm->reboot ? "; starting it again (--reboot)" :
				vm->strict_exit ? ", without writing its status (--strict-exit)" : "");
			status = vm->reboot ? VMM_RESTART :
				 vm->strict_exit ? VMM_EXIT_NO_STATUS : 0;
		}
		if (status == VCPU_GO_ON && v->index == 0)
			intr_update(v);
		pthread_mutex_unlock(&vm->lock);
		if (status == VCPU_STOPPED)
			break;
		if (status != VCPU_GO_ON) {
			vm_end(vm, status);
			break;
		}
	}
out:
	pthread_mutex_lock(&vm->lock);
	if (--vm->running == 0) {
		if (!vm->done) {
			/* Every VCPU halted for good. */
			vm->status = 0;
			if (vm->strict_exit) {
				fprintf(stderr, "vmm: the guest halted for good without writing its status (--strict-exit)\n");
				vm->status = VMM_EXIT_NO_STATUS;
			}
			__atomic_store_n(&vm->done, true, __ATOMIC_RELEASE);
		}
		pthread_cond_signal(&vm->stopped);
	}
	status = vm->status;
	pthread_mutex_unlock(&vm->lock);
	gdb_exited(vm, status);
	return NULL;
}

int vm_run(struct vm *vm)
{
	struct sigaction sa = { .sa_handler = on_stop_signal };
	struct sigaction kick_sa = { .sa_handler = on_kick };
	unsigned int i;
	int err;

	/* No SA_RESTART: the signal must interrupt RUN. */
	signal_vm = vm;
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGALRM, &sa, NULL);
	sigaction(SIGUSR1, &kick_sa, NULL);

	err = intr_start(vm);
	if (err) {
		fprintf(stderr, "vmm: cannot start the event thread: %s\n", strerror(-err));
		return VMM_EXIT_ERROR;
	}
	vm->running = vm->nr_vcpus;
	for (i = 0; i < vm->nr_vcpus; i++) {
		struct vcpu *v = &vm->vcpus[i];

		err = pthread_create(&v->thread, NULL, vcpu_thread, v);
		if (err) {
			fprintf(stderr, "vmm: cannot start VCPU %u's thread: %s\n",
				i, strerror(err));
			pthread_mutex_lock(&vm->lock);
			vm->running -= vm->nr_vcpus - i;
			pthread_mutex_unlock(&vm->lock);
			vm_end(vm, VMM_EXIT_ERROR);
			break;
		}
		__atomic_store_n(&v->started, true, __ATOMIC_RELEASE);
		/* A stop signal that came before this thread existed. */
		if (vm_is_done(vm) || stop_signal)
			kick(v);
	}
	/*
	 * Join only when every VCPU thread has finished: until then one may
	 * still kick the others, and pthread_kill() must not see a thread
	 * that is already joined.
	 */
	pthread_mutex_lock(&vm->lock);
	while (vm->running)
		pthread_cond_wait(&vm->stopped, &vm->lock);
	pthread_mutex_unlock(&vm->lock);
	intr_stop(vm);
	signal_vm = NULL;
	for (i = 0; i < vm->nr_vcpus; i++)
		if (vm->vcpus[i].started)
			pthread_join(vm->vcpus[i].thread, NULL);
	fflush(stdout);
	return vm->status;
}
