// SPDX-License-Identifier: GPL-2.0
/*
 * From a device's interrupt line to the guest, in user mode: the PC
 * without an APIC that vmm emulates. The devices' lines go to the 8259A
 * pair (devices/i8259.c); its INTR output goes to VCPU 0, the only CPU a
 * PIC reaches. When the guest can take an interrupt (the hypervisor says
 * so after every exit: run->ready_for_interrupt_injection), vmm acknowledges
 * the PIC and hands the vector to the kernel (MINIVMM_INTERRUPT, or
 * KVM_INTERRUPT under --accel kvm); when it cannot, vmm asks for an exit as
 * soon as it can (run->request_interrupt_window).
 *
 * The timers (the 8254 PIT, the RTC) only move when polled. The event
 * thread polls them when they are due and, when the PIC then raises INTR,
 * wakes VCPU 0: out of HLT, where it sleeps on vm->wake, or out of the guest
 * with a kick (immediate_exit and SIGUSR1). It also moves what is typed on
 * vmm's standard input into the UART's receiver, as the FIFO has room. A
 * VCPU thread that reprograms a timer or empties the receiver wakes the
 * event thread through a pipe.
 *
 * Runs in user mode on the host: the VCPU threads and the event thread,
 * the devices always under vm->lock.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "interrupts.h"
#include "vm.h"

/* The PC's wiring of the devices' interrupt lines (IRQ numbers). */
#define IRQ_PIT		0
#define IRQ_KBD		1
#define IRQ_RTC		8
#define IRQ_AUX		12

static uint64_t monotonic_ns(void *ctx)
{
	struct timespec ts;

	(void)ctx;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * NSEC_PER_SEC + ts.tv_nsec;
}

/* A device asks for the machine's reset: vmm ends (vm.c), saying which. */
static void kbc_reset(void *ctx)
{
	struct vm *vm = ctx;

	if (!vm->reset_reason)
		vm->reset_reason = "the keyboard controller's reset line (i8042 command 0xfe)";
}

static void port92_reset(void *ctx)
{
	struct vm *vm = ctx;

	if (!vm->reset_reason)
		vm->reset_reason = "a fast reset through system control port A (0x92)";
}

/* Is there more typed input right now? */
static bool poll_stdin_now(void)
{
	struct pollfd p = { .fd = 0, .events = POLLIN };

	return poll(&p, 1, 0) == 1 && (p.revents & (POLLIN | POLLHUP));
}

static void wake_event_thread(struct vm *vm)
{
	char c = 0;

	if (vm->wake_pipe[1] >= 0 && write(vm->wake_pipe[1], &c, 1) < 0 && errno != EAGAIN)
		perror("vmm: waking the event thread");
}

/*
 * INTR may have gone high (the PIC's hook), lock held: VCPU 0 takes the
 * interrupt when it next returns to vmm; if it is asleep in HLT, wake it,
 * and if it is in the guest and this is another thread, kick it out.
 */
static void intr_raised(void *ctx)
{
	struct vm *vm = ctx;
	struct vcpu *bsp = &vm->vcpus[0];

	if (vm->bsp_halted) {
		pthread_cond_signal(&vm->wake);
	} else if (bsp->started && !pthread_equal(pthread_self(), bsp->thread) &&
		   !vm->bsp_kicked) {
		vm->bsp_kicked = true;
		*bsp->immediate_exit = 1;
		pthread_kill(bsp->thread, SIGUSR1);
	}
}

int intr_attach(struct vm *vm)
{
	struct bus_irq line = { .set = i8259_set_irq, .ctx = &vm->pic };
	struct bus_irq pit = line, kbd = line, aux = line, rtc = line;
	int err;

	vm->clock = (struct vclock){ .now_ns = monotonic_ns };
	vm->wake_pipe[0] = vm->wake_pipe[1] = -1;
	pthread_cond_init(&vm->wake, NULL);
	pit.line = IRQ_PIT;
	kbd.line = IRQ_KBD;
	aux.line = IRQ_AUX;
	rtc.line = IRQ_RTC;
	err = i8259_attach(&vm->bus, &vm->pic);
	if (!err)
		err = i8254_attach(&vm->bus, &vm->pit, &vm->clock, &pit);
	if (!err)
		err = mc146818_attach(&vm->bus, &vm->rtc, &vm->clock, time(NULL), &rtc);
	if (!err)
		err = i8042_attach(&vm->bus, &vm->kbc, &kbd, &aux);
	if (!err)
		err = legacy_attach(&vm->bus, &vm->legacy);
	if (err)
		return err;
	vm->pic.intr_changed = intr_raised;
	vm->pic.ctx = vm;
	vm->kbc.reset = kbc_reset;
	vm->kbc.ctx = vm;
	vm->legacy.reset = port92_reset;
	vm->legacy.ctx = vm;
	return 0;
}

/* The line a COM1 model drives. */
struct bus_irq intr_line(struct vm *vm, unsigned int irq)
{
	return (struct bus_irq){ .set = i8259_set_irq, .ctx = &vm->pic, .line = irq };
}

/* Bring the timers up to now; when they are next due. Lock held. */
static uint64_t poll_timers(struct vm *vm)
{
	uint64_t a = i8254_poll(&vm->pit), b = mc146818_poll(&vm->rtc);

	return a < b ? a : b;
}

/*
 * VCPU 0, lock held, after each exit vmm handled and before the next RUN:
 * the PIC's interrupt into the guest, or a request for the window.
 */
void intr_update(struct vcpu *v)
{
	struct vm *vm = v->vm;
	struct minivmm_run *run = v->run;
	int vec;

	vm->bsp_kicked = false;
	if (!i8259_intr(&vm->pic)) {
		run->request_interrupt_window = 0;
		return;
	}
	if (run->ready_for_interrupt_injection) {
		vec = i8259_ack(&vm->pic);
		if (vec >= 0) {
			if (vm->accel->interrupt(v, vec)) {
				fprintf(stderr, "vmm: injecting interrupt vector %#x: %s\n", vec,
					strerror(errno));
			} else {
				vm->irqs_injected++;
				run->ready_for_interrupt_injection = 0;
			}
		}
	}
	/* The next one (or this one, refused) when the guest can take it. */
	run->request_interrupt_window = i8259_intr(&vm->pic);
}

/*
 * HLT on VCPU v, lock held. VCPU 0 with IF set sleeps until the PIC raises
 * INTR (the event thread runs the timers meanwhile): VCPU_GO_ON. A VCPU
 * nothing can interrupt is halted for good: IF clear, or not VCPU 0 (no
 * PIC reaches it), or every PIC input masked. VCPU_STOPPED.
 */
int intr_halt(struct vcpu *v)
{
	struct vm *vm = v->vm;

	if (v->index || !v->run->if_flag || vm->pic.chip[0].imr == 0xff)
		return VCPU_STOPPED;
	vm->halts++;
	while (!i8259_intr(&vm->pic) && !__atomic_load_n(&vm->done, __ATOMIC_ACQUIRE) &&
	       !vm->stop_requested) {
		vm->bsp_halted = true;
		pthread_cond_wait(&vm->wake, &vm->lock);
	}
	vm->bsp_halted = false;
	intr_update(v);
	return VCPU_GO_ON;
}

/*
 * After an I/O exit to port, lock held: a timer reprogrammed, or a byte
 * taken from the UART's receiver (room for input), wakes the event thread.
 */
void intr_port_accessed(struct vm *vm, uint16_t port, bool out)
{
	if (out ? (port >= I8254_PORT && port < I8254_PORT + I8254_NR_PORTS) ||
		  port == I8254_PORT_B || port == MC146818_PORT + 1 :
		  port == UART16550_COM1 && (vm->stdin_open || vm->typed_len))
		wake_event_thread(vm);
	/* The guest may listen now (IER): what was typed can go in. */
	else if (out && vm->typed_len && port >= UART16550_COM1 && port < UART16550_COM1 + 8)
		wake_event_thread(vm);
}

/* Typed bytes into the receiver while the guest listens and it has room. */
static void give_typed(struct vm *vm)
{
	unsigned int n = 0;

	while (n < vm->typed_len && uart16550_listening(&vm->com1) &&
	       uart16550_can_receive(&vm->com1))
		uart16550_receive(&vm->com1, vm->typed[n++]);
	vm->typed_len -= n;
	memmove(vm->typed, vm->typed + n, vm->typed_len);
}

/*
 * Typed input: read while vmm has room for it (vm->typed), then into the
 * UART's receiver while the guest listens and the receiver has room (one
 * byte with its FIFO off): nothing typed is lost to an overrun or to a
 * driver's start-up, and Ctrl-A x works whatever the guest does. Lock
 * held; stdin is readable.
 */
static void take_input(struct vm *vm)
{
	uint8_t c;
	ssize_t n;

	while (vm->stdin_open && vm->typed_len < sizeof(vm->typed)) {
		n = read(0, &c, 1);
		if (n == 1) {
			switch (console_key(&vm->console, c, &c)) {
			case CONSOLE_SEND:
				vm->typed[vm->typed_len++] = c;
				give_typed(vm);
				break;
			case CONSOLE_QUIT:
				vm->quit = true;
				return;
			case CONSOLE_NOTHING:
				break;
			}
			if (!poll_stdin_now())
				break;
			continue;
		}
		if (n == 0 || (errno != EAGAIN && errno != EINTR))
			vm->stdin_open = false;	/* end of input: stop watching it */
		break;
	}
}

/*
 * The event thread: polls the timers when they are due, wakes VCPU 0 when
 * the PIC raises INTR, and sleeps until the next deadline or a wake-up.
 */
static void *event_thread(void *arg)
{
	struct vm *vm = arg;
	uint64_t next, now;
	struct pollfd p[2];
	struct timespec ts;
	unsigned int nfds;
	char buf[64];

	for (;;) {
		pthread_mutex_lock(&vm->lock);
		if (vm->done || vm->stopping) {
			pthread_mutex_unlock(&vm->lock);
			break;
		}
		next = poll_timers(vm);
		if (i8259_intr(&vm->pic))
			intr_raised(vm);
		give_typed(vm);
		/* Watch stdin only while there is room for what is typed. */
		nfds = vm->stdin_open && vm->typed_len < sizeof(vm->typed) ? 2 : 1;
		pthread_mutex_unlock(&vm->lock);

		now = monotonic_ns(NULL);
		p[0] = (struct pollfd){ .fd = vm->wake_pipe[0], .events = POLLIN };
		p[1] = (struct pollfd){ .fd = 0, .events = POLLIN };
		if (next == VCLOCK_NEVER) {
			ppoll(p, nfds, NULL, NULL);
		} else if (next > now) {
			ts.tv_sec = (next - now) / NSEC_PER_SEC;
			ts.tv_nsec = (next - now) % NSEC_PER_SEC;
			ppoll(p, nfds, &ts, NULL);
		}
		if (nfds == 2 && (p[1].revents & (POLLIN | POLLHUP | POLLERR))) {
			pthread_mutex_lock(&vm->lock);
			take_input(vm);
			pthread_mutex_unlock(&vm->lock);
			if (vm->quit) {
				fprintf(stderr, "vmm: quit (Ctrl-A x)\n");
				vm_quit(vm, VMM_EXIT_SIGNAL);
			}
		}
		while (read(vm->wake_pipe[0], buf, sizeof(buf)) > 0)
			;
		if (vm->stop_requested) {
			/* A stop signal: VCPU 0 must leave HLT to see it. */
			pthread_mutex_lock(&vm->lock);
			pthread_cond_broadcast(&vm->wake);
			pthread_mutex_unlock(&vm->lock);
		}
	}
	return NULL;
}

int intr_start(struct vm *vm)
{
	int err;

	if (pipe2(vm->wake_pipe, O_CLOEXEC | O_NONBLOCK))
		return -errno;
	vm->stdin_open = fcntl(0, F_GETFD) >= 0;
	if (vm->stdin_open)
		console_raw(&vm->console);
	err = pthread_create(&vm->event_thread, NULL, event_thread, vm);
	if (err)
		return -err;
	vm->event_started = true;
	return 0;
}

/* The VM is done: stop the event thread and wake a halted VCPU 0. */
void intr_wake_all(struct vm *vm)
{
	pthread_cond_broadcast(&vm->wake);
	wake_event_thread(vm);
}

void intr_stop(struct vm *vm)
{
	if (vm->event_started) {
		pthread_mutex_lock(&vm->lock);
		vm->stopping = true;
		pthread_mutex_unlock(&vm->lock);
		wake_event_thread(vm);
		pthread_join(vm->event_thread, NULL);
		vm->event_started = false;
	}
	if (vm->wake_pipe[0] >= 0) {
		close(vm->wake_pipe[0]);
		close(vm->wake_pipe[1]);
		vm->wake_pipe[0] = vm->wake_pipe[1] = -1;
	}
	console_restore(&vm->console);
}
