// SPDX-License-Identifier: GPL-2.0
/*
 * vmm's VM: guest memory, the VCPU threads, and the run loop that emulates
 * devices on the exits the hypervisor hands to userspace (trap and
 * emulate, the part that lives in user mode). Runs in user mode on the host.
 *
 * Each VCPU runs in its own thread. The devices are shared: vm->lock is
 * held while an exit is handled. A VCPU that ends the VM (exit port,
 * exit hypercall, triple fault, error, signal) kicks the others out of the
 * guest: it sets their run page's immediate_exit flag, then sends their
 * thread SIGUSR1. The signal interrupts a RUN in progress (-EINTR); the
 * flag covers a thread about to call RUN, which the signal may miss.
 */
#include <errno.h>
#include <poll.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "disasm.h"
#include "entrycheck.h"
#include "gdbstub.h"
#include "vm.h"

#define VCPU_GO_ON	(-1)	/* handled: enter the guest again */
#define VCPU_STOPPED	(-2)	/* this VCPU is done (HLT), the VM goes on */

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
	stop_signal = sig;
	if (signal_vm)
		kick_all(signal_vm);
}

static void on_kick(int sig)
{
	(void)sig;
}

static void com1_tx(void *opaque, uint8_t byte)
{
	(void)opaque;
	putchar(byte);
	if (byte == '\n')
		fflush(stdout);
}

static void trace(struct vcpu *v, const char *fmt, ...)
{
	va_list ap;

	if (!v->vm->trace)
		return;
	if (v->vm->nr_vcpus > 1)
		fprintf(stderr, "vmm: vcpu%u exit %lu", v->index, v->exits);
	else
		fprintf(stderr, "vmm: exit %lu", v->exits);
	if (v->insn[0])
		fprintf(stderr, " at %#llx (%s)", (unsigned long long)v->insn_rip, v->insn);
	fputs(": ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
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
	serial_init(&vm->com1, com1_tx, vm);

	if (accel->create_vm(vm)) {
		fprintf(stderr, "vmm: cannot create a VM: %s%s\n", strerror(errno),
			errno == EBUSY ? " (another hypervisor owns VMX; see dmesg)" : "");
		return errno == EBUSY ? VMM_EXIT_NOT_AVAILABLE : VMM_EXIT_ERROR;
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
		if (accel->set_memory(vm, i, start, end - start, vm->mem + start)) {
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

/* Bytes typed on stdin reach the guest through the UART's receiver. */
static void poll_stdin(struct vm *vm)
{
	struct pollfd p = { .fd = 0, .events = POLLIN };
	uint8_t c;

	while (poll(&p, 1, 0) == 1 && (p.revents & POLLIN) &&
	       vm->com1.rx_count < SERIAL_RX_SIZE && read(0, &c, 1) == 1)
		serial_receive(&vm->com1, c);
}

static uint64_t get_rip(struct vcpu *v)
{
	struct minivmm_regs regs;

	if (v->vm->accel->get_regs(v, &regs))
		return ~0ULL;
	return regs.rip;
}

/*
 * An IN or OUT: the port decides the device. Returns VCPU_GO_ON, or the
 * exit status when the guest is done.
 */
static int handle_io_item(struct vcpu *v, uint8_t *data)
{
	struct minivmm_run *run = v->run;
	struct vm *vm = v->vm;
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
		if (out && port == SERIAL_COM1_BASE && data[0] >= 0x20 && data[0] < 0x7f)
			trace(v, "OUT port %#x size %u data %#x: the UART prints '%c'\n",
			      port, run->io.size, data[0], data[0]);
		else
			trace(v, "%s port %#x size %u data %#x\n", out ? "OUT" : "IN",
			      port, run->io.size, data[0]);
		return VCPU_GO_ON;
	}
	if (port == VMM_EXIT_PORT && out) {
		trace(v, "OUT port %#x: guest exit value %u\n", port, data[0]);
		return data[0];
	}
	/* Nothing here: reads float high, writes vanish. */
	vm->unknown_port_accesses++;
	if (!out)
		memset(data, 0xff, run->io.size);
	trace(v, "%s port %#x size %u: no device\n", out ? "OUT" : "IN", port,
	      run->io.size);
	return VCPU_GO_ON;
}

/* One IN/OUT, or count of them for string I/O (INS/OUTS with REP). */
static int handle_io(struct vcpu *v)
{
	struct minivmm_run *run = v->run;
	uint8_t *data = (uint8_t *)run + run->io.data_offset;
	uint32_t i;
	int status;

	for (i = 0; i < run->io.count; i++) {
		status = handle_io_item(v, data + i * run->io.size);
		if (status >= 0)
			return status;
	}
	return VCPU_GO_ON;
}

/* VMCALL (docs/hypercalls.md): VCPU_GO_ON, or the guest's exit status. */
static int handle_hypercall(struct vcpu *v)
{
	struct minivmm_run *run = v->run;
	struct vm *vm = v->vm;
	uint64_t gpa = run->hypercall.args[0], len = run->hypercall.args[1];

	trace(v, "hypercall %llu (%#llx, %#llx)\n",
	      (unsigned long long)run->hypercall.nr,
	      (unsigned long long)gpa, (unsigned long long)len);
	switch (run->hypercall.nr) {
	case VMM_HC_CONSOLE_WRITE:
		if (gpa > vm->mem_size || len > vm->mem_size - gpa) {
			run->hypercall.ret = VMM_HC_EINVAL;
			return VCPU_GO_ON;
		}
		fwrite(vm->mem + gpa, 1, len, stdout);
		fflush(stdout);
		run->hypercall.ret = len;
		return VCPU_GO_ON;
	case VMM_HC_EXIT:
		return gpa & 0xff;
	default:
		run->hypercall.ret = VMM_HC_ENOSYS;
		return VCPU_GO_ON;
	}
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
		/* No MMIO device yet: reads float high, writes vanish. */
		v->vm->unknown_mmio_accesses++;
		if (!run->mmio.is_write)
			memset(run->mmio.data, 0xff, sizeof(run->mmio.data));
		trace(v, "MMIO %s %#llx size %u: no device\n",
		      run->mmio.is_write ? "write" : "read",
		      (unsigned long long)run->mmio.phys_addr, run->mmio.len);
		return VCPU_GO_ON;
	case MINIVMM_EXIT_HYPERCALL:
		return handle_hypercall(v);
	case MINIVMM_EXIT_HLT:
		/* No interrupt can wake the VCPU yet: HLT ends it. */
		trace(v, "HLT at %#llx\n", (unsigned long long)get_rip(v));
		return VCPU_STOPPED;
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
		fprintf(stderr, "vmm: internal error %u: data %#llx %#llx, RIP %#llx\n",
			run->internal.suberror,
			(unsigned long long)run->internal.data[0],
			(unsigned long long)run->internal.data[1],
			(unsigned long long)run->internal.data[2]);
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
	pthread_mutex_unlock(&vm->lock);
	kick_all(vm);
	return first;
}

static bool vm_is_done(struct vm *vm)
{
	return __atomic_load_n(&vm->done, __ATOMIC_ACQUIRE);
}

/* --trace: the instruction at the exit's RIP, read through the guest's page tables. */
static void trace_insn(struct vcpu *v)
{
	struct minivmm_run *run = v->run;
	struct minivmm_sregs sr;
	uint8_t code[15];
	uint64_t la, pa;
	unsigned int mode, i;

	v->insn[0] = '\0';
	switch (run->exit_reason) {
	case MINIVMM_EXIT_IO:
	case MINIVMM_EXIT_MMIO:
	case MINIVMM_EXIT_HLT:
	case MINIVMM_EXIT_HYPERCALL:
		break;
	default:
		return;
	}
	if (v->vm->accel->get_sregs(v, &sr))
		return;
	mode = (sr.efer & (1 << 10)) && sr.cs.l ? 8 : sr.cs.db ? 4 : 2;
	la = mode == 8 ? run->exit_rip : (uint32_t)(sr.cs.base + run->exit_rip);
	for (i = 0; i < sizeof(code); i++) {
		if (gdb_translate(v->vm->mem, v->vm->mem_size, sr.cr0, sr.cr3, sr.cr4,
				  sr.efer, la + i, &pa) || pa >= v->vm->mem_size)
			break;
		code[i] = v->vm->mem[pa];
	}
	v->insn_rip = run->exit_rip;
	disasm_exit(code, i, mode, v->insn, sizeof(v->insn));
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
	while (!vm_is_done(vm)) {
		r = vm->accel->run(v);
		if (r < 0 && errno != EINTR) {
			fprintf(stderr, "vmm: RUN on VCPU %u: %s\n", v->index, strerror(errno));
			vm_end(vm, VMM_EXIT_ERROR);
			break;
		}
		if (r < 0) {
			/* Kicked: the VM ended, or a stop signal came. */
			if (stop_signal && vm_end(vm, VMM_EXIT_SIGNAL))
				fprintf(stderr, "vmm: stopped by signal %d (%s) at RIP %#llx\n",
					stop_signal, strsignal(stop_signal),
					(unsigned long long)get_rip(v));
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
			vm->status = 0;		/* every VCPU halted */
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
	signal_vm = NULL;
	for (i = 0; i < vm->nr_vcpus; i++)
		if (vm->vcpus[i].started)
			pthread_join(vm->vcpus[i].thread, NULL);
	fflush(stdout);
	return vm->status;
}

static void dump_seg(unsigned int i, const char *name, const struct minivmm_segment *s)
{
	fprintf(stderr, "regs vcpu%u %s sel %#x base %#llx limit %#x type %#x p %u dpl %u db %u s %u l %u g %u avl %u unusable %u\n",
		i, name, s->selector, (unsigned long long)s->base, s->limit,
		s->type, s->present, s->dpl, s->db, s->s, s->l, s->g, s->avl,
		s->unusable);
}

void vm_dump_regs(struct vm *vm)
{
	static const char * const gpr[] = {
		"rax", "rbx", "rcx", "rdx", "rsi", "rdi", "rsp", "rbp",
		"r8", "r9", "r10", "r11", "r12", "r13", "r14", "r15",
		"rip", "rflags",
	};
	struct minivmm_sregs sr;
	struct minivmm_regs regs;
	unsigned int i, j;

	for (i = 0; i < vm->nr_vcpus; i++) {
		struct vcpu *v = &vm->vcpus[i];

		/*
		 * RUN with immediate_exit completes the last exit (an OUT's
		 * RIP advance, an IN's data) without entering the guest.
		 */
		*v->immediate_exit = 1;
		vm->accel->run(v);
		if (vm->accel->get_regs(v, &regs) || vm->accel->get_sregs(v, &sr)) {
			fprintf(stderr, "vmm: reading VCPU %u's registers: %s\n", i,
				strerror(errno));
			continue;
		}
		for (j = 0; j < sizeof(gpr) / sizeof(gpr[0]); j++)
			fprintf(stderr, "regs vcpu%u %s %#llx\n", i, gpr[j],
				(unsigned long long)((uint64_t *)&regs)[j]);
		dump_seg(i, "cs", &sr.cs);
		dump_seg(i, "ds", &sr.ds);
		dump_seg(i, "es", &sr.es);
		dump_seg(i, "fs", &sr.fs);
		dump_seg(i, "gs", &sr.gs);
		dump_seg(i, "ss", &sr.ss);
		dump_seg(i, "tr", &sr.tr);
		dump_seg(i, "ldt", &sr.ldt);
		fprintf(stderr, "regs vcpu%u gdt base %#llx limit %#x\n", i,
			(unsigned long long)sr.gdt.base, sr.gdt.limit);
		fprintf(stderr, "regs vcpu%u idt base %#llx limit %#x\n", i,
			(unsigned long long)sr.idt.base, sr.idt.limit);
		fprintf(stderr, "regs vcpu%u cr0 %#llx\nregs vcpu%u cr2 %#llx\nregs vcpu%u cr3 %#llx\nregs vcpu%u cr4 %#llx\nregs vcpu%u efer %#llx\n",
			i, (unsigned long long)sr.cr0, i, (unsigned long long)sr.cr2,
			i, (unsigned long long)sr.cr3, i, (unsigned long long)sr.cr4,
			i, (unsigned long long)sr.efer);
	}
}

/* VM exit reasons by number (SDM Vol. 3D, Appendix C), as --stats names them. */
static const char *const exit_reason_names[MINIVMM_NR_EXIT_REASONS] = {
	[0] = "exception_nmi", [1] = "external_interrupt", [2] = "triple_fault",
	[3] = "init_signal", [4] = "sipi", [7] = "interrupt_window",
	[8] = "nmi_window", [9] = "task_switch", [10] = "cpuid", [12] = "hlt",
	[13] = "invd", [14] = "invlpg", [15] = "rdpmc", [16] = "rdtsc",
	[18] = "vmcall", [19] = "vmclear", [20] = "vmlaunch", [21] = "vmptrld",
	[22] = "vmptrst", [23] = "vmread", [24] = "vmresume", [25] = "vmwrite",
	[26] = "vmxoff", [27] = "vmxon", [28] = "cr_access", [29] = "dr_access",
	[30] = "io", [31] = "rdmsr", [32] = "wrmsr", [33] = "invalid_guest_state",
	[34] = "msr_loading", [36] = "mwait", [37] = "monitor_trap_flag",
	[39] = "monitor", [40] = "pause", [41] = "machine_check",
	[48] = "ept_violation", [49] = "ept_misconfig", [50] = "invept",
	[51] = "rdtscp", [52] = "preemption_timer", [53] = "invvpid",
	[54] = "wbinvd", [55] = "xsetbv",
};

void vm_print_stats(struct vm *vm)
{
	struct minivmm_vcpu_stats st;
	unsigned int i, r;

	for (i = 0; i < vm->nr_vcpus; i++) {
		struct vcpu *v = &vm->vcpus[i];

		/* vmm's own count works on any backend. */
		fprintf(stderr, "stats vcpu%u exits_seen_by_vmm %lu\n", i, v->exits);
		if (!vm->accel->get_stats) {
			if (i == 0)
				fprintf(stderr, "vmm: --stats: %s keeps no minivmm counters; only vmm's own count is shown\n",
					vm->accel->name);
			continue;
		}
		if (vm->accel->get_stats(v, &st)) {
			fprintf(stderr, "vmm: reading VCPU %u's counters: %s\n", i,
				strerror(errno));
			continue;
		}
		fprintf(stderr, "stats vcpu%u runs %llu\n", i, (unsigned long long)st.runs);
		fprintf(stderr, "stats vcpu%u userspace_exits %llu\n", i,
			(unsigned long long)st.userspace_exits);
		fprintf(stderr, "stats vcpu%u signal_exits %llu\n", i,
			(unsigned long long)st.signal_exits);
		fprintf(stderr, "stats vcpu%u exits %llu\n", i, (unsigned long long)st.exits);
		for (r = 0; r < MINIVMM_NR_EXIT_REASONS; r++) {
			if (!st.exits_by_reason[r])
				continue;
			if (exit_reason_names[r])
				fprintf(stderr, "stats vcpu%u exits.%s %llu\n", i,
					exit_reason_names[r],
					(unsigned long long)st.exits_by_reason[r]);
			else
				fprintf(stderr, "stats vcpu%u exits.reason_%u %llu\n", i, r,
					(unsigned long long)st.exits_by_reason[r]);
		}
		fprintf(stderr, "stats vcpu%u failed_entries %llu\n", i,
			(unsigned long long)st.failed_entries);
		fprintf(stderr, "stats vcpu%u ept_faults_in %llu\n", i,
			(unsigned long long)st.ept_faults_in);
		fprintf(stderr, "stats vcpu%u mmio_exits %llu\n", i,
			(unsigned long long)st.mmio_exits);
		if (i == vm->nr_vcpus - 1)
			fprintf(stderr, "stats vm pinned_pages %llu\n",
				(unsigned long long)st.vm_pinned_pages);
	}
}
