// SPDX-License-Identifier: GPL-2.0
/*
 * Events into the guest (kmod/events.c): MINIVMM_INTERRUPT, the interrupt
 * window and the STI shadow, an interrupt delivered again after an exit
 * cut its delivery short, NMIs and NMI blocking, the VCPU events, and the
 * guest's TSC. One real-mode guest at 0x7c00 (source in the comment
 * below); runs in the test machine.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>
#include <x86intrin.h>

#include <linux/minivmm.h>

#include "kselftest_harness.h"
#include "../lib/mvtest.h"

#define MEM_SIZE	(2UL << 20)
#define CODE_ADDR	0x7c00
#define VEC		0x20

/*
 *	xor %ax,%ax; mov %ax,%ds
 *	movw $handler,0x80; movw $0,0x82		IVT[0x20]
 *	movw $nmi_handler,0x08; movw $0,0x0a		IVT[2]
 *	mov $STACK,%sp
 *	out %al,$0x10			7c1f
 *	sti				7c21
 *	nop				7c22: in the STI shadow
 * win:	nop				7c23: the window opens here
 * h1:	hlt				7c24
 *	out %al,$0x13			7c25
 *	cli
 * h2:	hlt				7c28
 *	out %al,$0x16; jmp h2
 * handler: push %bp; mov %sp,%bp; mov 2(%bp),%ax; out %ax,$0x12 (the return IP); pop %bp; iret
 * nmi_handler: out %al,$0x14; out %al,$0x15; iret
 */
static uint8_t guest[] = {
	0x31, 0xc0, 0x8e, 0xd8, 0xc7, 0x06, 0x80, 0x00, 0x2d, 0x7c, 0xc7, 0x06,
	0x82, 0x00, 0x00, 0x00, 0xc7, 0x06, 0x08, 0x00, 0x37, 0x7c, 0xc7, 0x06,
	0x0a, 0x00, 0x00, 0x00, 0xbc, 0x00, 0x7c, 0xe6, 0x10, 0xfb, 0x90, 0x90,
	0xf4, 0xe6, 0x13, 0xfa, 0xf4, 0xe6, 0x16, 0xeb, 0xfb, 0x55, 0x89, 0xe5,
	0x8b, 0x46, 0x02, 0xe7, 0x12, 0x5d, 0xcf, 0xe6, 0x14, 0xe6, 0x15, 0xcf
};
#define STACK_HI	30	/* the high byte of the stack pointer above */
#define WIN		0x7c23
#define H1		0x7c24
#define H2		0x7c28

FIXTURE(ev) {
	struct mv_vm v;
};

FIXTURE_SETUP(ev)
{
	int r;

	ASSERT_EQ(0, mv_load());
	r = mv_vm_open(&self->v, MEM_SIZE);
	ASSERT_EQ(0, r) TH_LOG("a VM: %s", strerror(-r));
}

FIXTURE_TEARDOWN(ev)
{
	mv_vm_close(&self->v);
}

/* Load the guest with its stack below stack_top (0x7c00: in the code's page). */
static int load(struct mv_vm *v, unsigned int stack_top)
{
	guest[STACK_HI] = stack_top >> 8;
	return mv_vm_load_real(v, CODE_ADDR, guest, sizeof(guest));
}

/* RUN once: the exit reason, or -errno. For an I/O exit, its port and data. */
static int run(struct mv_vm *v, uint16_t *port, uint32_t *data)
{
	if (ioctl(v->vcpu, MINIVMM_RUN, 0))
		return -errno;
	if (v->run->exit_reason == MINIVMM_EXIT_IO && port) {
		*port = v->run->io.port;
		*data = 0;
		memcpy(data, (uint8_t *)v->run + v->run->io.data_offset, v->run->io.size);
	}
	return v->run->exit_reason;
}

static int interrupt(struct mv_vm *v, uint32_t vec)
{
	struct minivmm_interrupt irq = { .irq = vec };

	return ioctl(v->vcpu, MINIVMM_INTERRUPT, &irq) ? -errno : 0;
}

/*
 * Load the guest with its stack below stack_top, run it to its first OUT,
 * then ask for the interrupt window and run it until the window opens (one
 * instruction after its STI, at WIN).
 */
static void run_to_window(struct __test_metadata *_metadata, struct mv_vm *v,
			  unsigned int stack_top)
{
	uint16_t port;
	uint32_t data;

	ASSERT_EQ(0, load(v, stack_top));
	ASSERT_EQ(MINIVMM_EXIT_IO, run(v, &port, &data));
	v->run->request_interrupt_window = 1;
	ASSERT_EQ(MINIVMM_EXIT_IRQ_WINDOW_OPEN, run(v, NULL, NULL));
	v->run->request_interrupt_window = 0;
}

TEST_F(ev, capabilities)
{
	EXPECT_EQ(1, ioctl(self->v.sys, MINIVMM_CHECK_CAPABILITY, MINIVMM_CAP_INTERRUPTS));
	TH_LOG("NMI injection: %s",
	       ioctl(self->v.sys, MINIVMM_CHECK_CAPABILITY, MINIVMM_CAP_NMI) ? "yes" : "no");
}

/*
 * IF=0: injection is refused. The interrupt window asked for opens one
 * instruction after STI (the STI shadow, SDM Vol. 2B STI); the interrupt
 * then reaches the guest's handler with the return address at the window;
 * a halted guest takes one and goes on after its HLT; halted with IF=0 it
 * cannot take one.
 */
TEST_F(ev, interrupt_waits_for_if_and_the_sti_shadow)
{
	struct minivmm_regs regs;
	uint16_t port;
	uint32_t data;

	ASSERT_EQ(0, load(&self->v, 0x7c00));
	ASSERT_EQ(MINIVMM_EXIT_IO, run(&self->v, &port, &data));
	EXPECT_EQ(0x10, port);
	EXPECT_EQ(0, self->v.run->if_flag);
	EXPECT_EQ(0, self->v.run->ready_for_interrupt_injection);
	EXPECT_EQ(-EBUSY, interrupt(&self->v, VEC));

	self->v.run->request_interrupt_window = 1;
	ASSERT_EQ(MINIVMM_EXIT_IRQ_WINDOW_OPEN, run(&self->v, NULL, NULL));
	self->v.run->request_interrupt_window = 0;
	EXPECT_EQ(1, self->v.run->if_flag);
	EXPECT_EQ(1, self->v.run->ready_for_interrupt_injection);
	ASSERT_EQ(0, ioctl(self->v.vcpu, MINIVMM_GET_REGS, &regs));
	EXPECT_EQ(WIN, regs.rip) TH_LOG("the window opened at %#llx, not after the STI shadow",
					(unsigned long long)regs.rip);

	ASSERT_EQ(0, interrupt(&self->v, VEC));
	EXPECT_EQ(-EEXIST, interrupt(&self->v, VEC));
	ASSERT_EQ(MINIVMM_EXIT_IO, run(&self->v, &port, &data));
	EXPECT_EQ(0x12, port);
	EXPECT_EQ(WIN, data) TH_LOG("the handler's return address");

	/* Back at the window, then HLT: halted with IF=1, ready. */
	ASSERT_EQ(MINIVMM_EXIT_HLT, run(&self->v, NULL, NULL));
	EXPECT_EQ(H1, self->v.run->exit_rip);
	EXPECT_EQ(1, self->v.run->ready_for_interrupt_injection);
	ASSERT_EQ(0, interrupt(&self->v, VEC));
	ASSERT_EQ(MINIVMM_EXIT_IO, run(&self->v, &port, &data));
	EXPECT_EQ(0x12, port);
	EXPECT_EQ(H1 + 1, data) TH_LOG("woken from HLT, it returns past it");
	ASSERT_EQ(MINIVMM_EXIT_IO, run(&self->v, &port, &data));
	EXPECT_EQ(0x13, port);

	/* cli; hlt: halted for good. */
	ASSERT_EQ(MINIVMM_EXIT_HLT, run(&self->v, NULL, NULL));
	EXPECT_EQ(H2, self->v.run->exit_rip);
	EXPECT_EQ(0, self->v.run->if_flag);
	EXPECT_EQ(0, self->v.run->ready_for_interrupt_injection);
	EXPECT_EQ(-EBUSY, interrupt(&self->v, VEC));
}

/*
 * The guest's stack is in a page the EPT has not mapped yet: delivering the
 * interrupt pushes onto it, an EPT violation ends the delivery half way,
 * and the interrupt must be delivered again once the page is mapped (the
 * IDT-vectoring information, SDM 27.2.4). Lost, the guest would go on to
 * its HLT instead of the handler.
 */
TEST_F(ev, interrupt_cut_short_by_an_exit_is_delivered_again)
{
	struct minivmm_vcpu_stats before, after;
	uint16_t port;
	uint32_t data;

	run_to_window(_metadata, &self->v, 0x9000);
	ASSERT_EQ(0, ioctl(self->v.vcpu, MINIVMM_GET_STATS, &before));
	ASSERT_EQ(0, interrupt(&self->v, VEC));
	ASSERT_EQ(MINIVMM_EXIT_IO, run(&self->v, &port, &data));
	EXPECT_EQ(0x12, port) TH_LOG("the interrupt was lost (exit at port %#x)", port);
	EXPECT_EQ(WIN, data);
	ASSERT_EQ(0, ioctl(self->v.vcpu, MINIVMM_GET_STATS, &after));
	EXPECT_LE(before.ept_faults_in + 1, after.ept_faults_in) TH_LOG("no fault in the delivery");
	EXPECT_LE(before.exits_by_reason[48] + 1, after.exits_by_reason[48]);
}

/*
 * A queued interrupt waits while an STI shadow (set through the VCPU
 * events) blocks it, and comes one instruction later.
 */
TEST_F(ev, vcpu_events_show_and_set_the_shadow_and_pending_interrupt)
{
	struct minivmm_vcpu_events e;
	uint16_t port;
	uint32_t data;

	run_to_window(_metadata, &self->v, 0x7c00);
	ASSERT_EQ(0, interrupt(&self->v, VEC));

	ASSERT_EQ(0, ioctl(self->v.vcpu, MINIVMM_GET_VCPU_EVENTS, &e));
	EXPECT_EQ(1, e.interrupt.pending);
	EXPECT_EQ(VEC, e.interrupt.pending_nr);
	EXPECT_EQ(0, e.interrupt.injected);
	EXPECT_EQ(0, e.interrupt.shadow);
	EXPECT_EQ(0, e.exception.injected);
	e.interrupt.shadow = MINIVMM_SHADOW_STI;
	ASSERT_EQ(0, ioctl(self->v.vcpu, MINIVMM_SET_VCPU_EVENTS, &e));
	ASSERT_EQ(0, ioctl(self->v.vcpu, MINIVMM_GET_VCPU_EVENTS, &e));
	EXPECT_EQ(MINIVMM_SHADOW_STI, e.interrupt.shadow);
	EXPECT_EQ(-EEXIST, interrupt(&self->v, VEC));

	ASSERT_EQ(MINIVMM_EXIT_IO, run(&self->v, &port, &data));
	EXPECT_EQ(0x12, port);
	EXPECT_EQ(WIN + 1, data) TH_LOG("delivered in the shadow, at %#x", data);
	ASSERT_EQ(0, ioctl(self->v.vcpu, MINIVMM_GET_VCPU_EVENTS, &e));
	EXPECT_EQ(0, e.interrupt.pending);

	/* Pending set by SET_VCPU_EVENTS is delivered like MINIVMM_INTERRUPT's. */
	ASSERT_EQ(MINIVMM_EXIT_HLT, run(&self->v, NULL, NULL));
	memset(&e, 0, sizeof(e));
	e.interrupt.pending = 1;
	e.interrupt.pending_nr = VEC;
	ASSERT_EQ(0, ioctl(self->v.vcpu, MINIVMM_SET_VCPU_EVENTS, &e));
	ASSERT_EQ(MINIVMM_EXIT_IO, run(&self->v, &port, &data));
	EXPECT_EQ(0x12, port);
	EXPECT_EQ(H1 + 1, data);
}

/* The MOV SS shadow (SDM Vol. 2B, MOV) holds a queued interrupt back the same way. */
TEST_F(ev, mov_ss_shadow_holds_an_interrupt_for_one_instruction)
{
	struct minivmm_vcpu_events e;
	uint16_t port;
	uint32_t data;

	run_to_window(_metadata, &self->v, 0x7c00);
	ASSERT_EQ(0, ioctl(self->v.vcpu, MINIVMM_GET_VCPU_EVENTS, &e));
	e.interrupt.shadow = MINIVMM_SHADOW_MOV_SS;
	ASSERT_EQ(0, ioctl(self->v.vcpu, MINIVMM_SET_VCPU_EVENTS, &e));
	EXPECT_EQ(-EBUSY, interrupt(&self->v, VEC)) TH_LOG("injection allowed in a MOV SS shadow");
	e.interrupt.pending = 1;
	e.interrupt.pending_nr = VEC;
	ASSERT_EQ(0, ioctl(self->v.vcpu, MINIVMM_SET_VCPU_EVENTS, &e));
	ASSERT_EQ(MINIVMM_EXIT_IO, run(&self->v, &port, &data));
	EXPECT_EQ(0x12, port);
	EXPECT_EQ(WIN + 1, data) TH_LOG("delivered in the shadow, at %#x", data);
}

/*
 * An NMI reaches the guest with IF=0; a second one waits while the guest
 * runs its NMI handler (blocking by NMI) and comes after its IRET.
 */
TEST_F(ev, nmi_is_delivered_and_blocked_until_iret)
{
	struct minivmm_vcpu_events e;
	uint16_t port;
	uint32_t data;

	if (!ioctl(self->v.sys, MINIVMM_CHECK_CAPABILITY, MINIVMM_CAP_NMI)) {
		EXPECT_EQ(-1, ioctl(self->v.vcpu, MINIVMM_NMI, 0));
		EXPECT_EQ(EOPNOTSUPP, errno);
		SKIP(return, "no virtual NMIs on this CPU");
	}
	EXPECT_EQ(-1, ioctl(self->v.vcpu, MINIVMM_NMI, 1));
	EXPECT_EQ(EINVAL, errno);
	ASSERT_EQ(0, load(&self->v, 0x7c00));
	ASSERT_EQ(MINIVMM_EXIT_IO, run(&self->v, &port, &data));
	EXPECT_EQ(0, self->v.run->if_flag);
	ASSERT_EQ(0, ioctl(self->v.vcpu, MINIVMM_NMI, 0));
	ASSERT_EQ(MINIVMM_EXIT_IO, run(&self->v, &port, &data));
	EXPECT_EQ(0x14, port);
	ASSERT_EQ(0, ioctl(self->v.vcpu, MINIVMM_NMI, 0));
	ASSERT_EQ(MINIVMM_EXIT_IO, run(&self->v, &port, &data));
	EXPECT_EQ(0x15, port) TH_LOG("an NMI nested in the NMI handler");
	ASSERT_EQ(0, ioctl(self->v.vcpu, MINIVMM_GET_VCPU_EVENTS, &e));
	EXPECT_EQ(1, e.nmi.pending);
	EXPECT_EQ(1, e.nmi.masked);
	ASSERT_EQ(MINIVMM_EXIT_IO, run(&self->v, &port, &data));
	EXPECT_EQ(0x14, port) TH_LOG("the second NMI after IRET");
	ASSERT_EQ(MINIVMM_EXIT_IO, run(&self->v, &port, &data));
	EXPECT_EQ(0x15, port);
	ASSERT_EQ(0, ioctl(self->v.vcpu, MINIVMM_GET_VCPU_EVENTS, &e));
	EXPECT_EQ(0, e.nmi.pending);
}

/* Every malformed argument of the new ioctls is -EINVAL, and changes nothing. */
TEST_F(ev, invalid_arguments)
{
	struct minivmm_interrupt irq = { .irq = 256 };
	struct minivmm_vcpu_events good, e;
	unsigned int i;

	EXPECT_EQ(-1, ioctl(self->v.vcpu, MINIVMM_INTERRUPT, &irq));
	EXPECT_EQ(EINVAL, errno);
	irq = (struct minivmm_interrupt){ .irq = VEC, .padding = 1 };
	EXPECT_EQ(-1, ioctl(self->v.vcpu, MINIVMM_INTERRUPT, &irq));
	EXPECT_EQ(EINVAL, errno);
	EXPECT_EQ(-1, ioctl(self->v.vcpu, MINIVMM_INTERRUPT, NULL));
	EXPECT_EQ(EFAULT, errno);
	EXPECT_EQ(-1, ioctl(self->v.vcpu, MINIVMM_SET_VCPU_EVENTS, NULL));
	EXPECT_EQ(EFAULT, errno);

	ASSERT_EQ(0, ioctl(self->v.vcpu, MINIVMM_GET_VCPU_EVENTS, &good));
	for (i = 0; i < 11; i++) {
		e = good;
		switch (i) {
		case 0: e.flags = 1; break;
		case 1: e.reserved[7] = 1; break;
		case 2: e.interrupt.padding[1] = 1; break;
		case 3: e.nmi.padding = 1; break;
		case 4: e.exception.injected = e.interrupt.injected = 1; break;
		case 5: e.exception.injected = 1; e.exception.nr = 32; break;
		case 6: e.exception.injected = 1; e.exception.nr = 2; break;
		case 7: e.interrupt.shadow = 4; break;
		case 8: e.interrupt.shadow = MINIVMM_SHADOW_STI | MINIVMM_SHADOW_MOV_SS; break;
		case 9: e.interrupt.injected = e.interrupt.soft = 1; break;
		case 10:
			e.exception.injected = e.exception.soft = 1;
			e.exception.nr = 3;
			e.instruction_len = 16;
			break;
		}
		EXPECT_EQ(-1, ioctl(self->v.vcpu, MINIVMM_SET_VCPU_EVENTS, &e)) TH_LOG("case %u", i);
		EXPECT_EQ(EINVAL, errno) TH_LOG("case %u", i);
	}
	ASSERT_EQ(0, ioctl(self->v.vcpu, MINIVMM_GET_VCPU_EVENTS, &e));
	EXPECT_EQ(0, memcmp(&e, &good, sizeof(e)));
}

/*
 * RDTSC runs without an exit, and the guest's TSC starts at 0 when the VM
 * is created (the TSC offset): seconds old, not the host's uptime.
 * rdtsc; out %eax,$0x10; mov %edx,%eax; out %eax,$0x11; hlt
 */
TEST_F(ev, tsc_runs_without_exits_from_near_zero)
{
	static const uint8_t code[] = {
		0x0f, 0x31, 0x66, 0xe7, 0x10, 0x66, 0x89, 0xd0, 0x66, 0xe7, 0x11, 0xf4,
	};
	struct minivmm_msr_entry ent = { .index = 0x10 };
	struct minivmm_msrs msrs = { .nmsrs = 1, .entries = (uintptr_t)&ent };
	struct minivmm_vcpu_stats st;
	uint64_t guest_tsc, host_tsc;
	uint32_t lo, hi;
	uint16_t port;

	ASSERT_EQ(0, mv_vm_load_real(&self->v, CODE_ADDR, code, sizeof(code)));
	ASSERT_EQ(MINIVMM_EXIT_IO, run(&self->v, &port, &lo));
	ASSERT_EQ(MINIVMM_EXIT_IO, run(&self->v, &port, &hi));
	host_tsc = __rdtsc();
	guest_tsc = (uint64_t)hi << 32 | lo;
	TH_LOG("guest TSC %llu, host TSC %llu", (unsigned long long)guest_tsc,
	       (unsigned long long)host_tsc);
	EXPECT_LT(guest_tsc, host_tsc / 2) TH_LOG("the guest's TSC is not offset");
	ASSERT_EQ(1, ioctl(self->v.vcpu, MINIVMM_GET_MSRS, &msrs));
	EXPECT_LE(guest_tsc, ent.data);
	EXPECT_LT(ent.data, host_tsc / 2);
	ASSERT_EQ(0, ioctl(self->v.vcpu, MINIVMM_GET_STATS, &st));
	EXPECT_EQ(0, st.exits_by_reason[16]) TH_LOG("RDTSC exited");
}

TEST_HARNESS_MAIN
