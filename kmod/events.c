// SPDX-License-Identifier: GPL-2.0
/*
 * Events into the guest: external interrupts, NMIs and exceptions, injected
 * at VM entry (SDM Vol. 3C, 26.6 "Event injection"). The interrupt
 * controller is userspace's (vmm's 8259A): it hands minivmm one vector at
 * a time (MINIVMM_INTERRUPT), which waits here until the guest can take it
 * (RFLAGS.IF, no STI or MOV SS shadow: SDM 26.7.5 "interrupt-window
 * exiting"). An NMI waits likewise for the NMI window (SDM 26.7.6).
 *
 * An event whose delivery a VM exit cut short (a page of the IDT or of the
 * stack not yet in the EPT, a host interrupt: the IDT-vectoring
 * information, SDM 27.2.4) is delivered again at the next entry, also when
 * that exit went to userspace first. vcpu->inject is the event being
 * delivered: written to the VM-entry fields before each entry, and
 * replaced after each exit by what the exit says was not delivered.
 *
 * Before an entry and after an exit this runs with interrupts off and the
 * VMCS current; the ioctls run in the VCPU's thread, vcpu->mutex held.
 */
#include <linux/kernel.h>
#include <linux/uaccess.h>

#include <linux/minivmm.h>

#include "emulate.h"
#include "vcpu.h"
#include "vmcs.h"
#include "vmx.h"

/* The interruptibility state, SDM 25.4.2, Table 25-3. */
#define INTR_STATE_STI		BIT(0)
#define INTR_STATE_MOV_SS	BIT(1)
#define INTR_STATE_NMI		BIT(3)

#define NMI_VECTOR		2

/* What VM-entry interruption information may hold (SDM 25.8.3). */
#define INTR_INFO_ENTRY_MASK	(INTR_INFO_VALID | INTR_INFO_DELIVER_CODE | \
				 INTR_INFO_TYPE_MASK | 0xff)

static bool event_is_soft(u32 info)
{
	u32 type = info & INTR_INFO_TYPE_MASK;

	return type == INTR_TYPE_SOFT_INTR || type == INTR_TYPE_PRIV_SW_EXCEPTION ||
	       type == INTR_TYPE_SOFT_EXCEPTION;
}

/* Can the guest take an external interrupt at the next entry? SDM 6.8.1, 26.3.1.5. */
static bool irq_allowed(void)
{
	return (vmcs_readl(GUEST_RFLAGS) & X86_EFLAGS_IF) &&
	       !(vmcs_read32(GUEST_INTERRUPTIBILITY_INFO) & (INTR_STATE_STI | INTR_STATE_MOV_SS));
}

/* ... an NMI? Not in its NMI handler, and no shadow (KVM's rule too). */
static bool nmi_allowed(void)
{
	return !(vmcs_read32(GUEST_INTERRUPTIBILITY_INFO) &
		 (INTR_STATE_STI | INTR_STATE_MOV_SS | INTR_STATE_NMI));
}

static void event_write(const struct minivmm_event *e)
{
	if (e->info & INTR_INFO_DELIVER_CODE)
		vmcs_write32(VM_ENTRY_EXCEPTION_ERROR_CODE, e->error_code);
	if (event_is_soft(e->info))
		vmcs_write32(VM_ENTRY_INSTRUCTION_LEN, e->insn_len);
	vmcs_write32(VM_ENTRY_INTR_INFO_FIELD, e->info);
}

/*
 * Before an entry, when an event is due or a window open: deliver the
 * event of highest priority the guest can take (one being delivered
 * already, then an NMI, then an interrupt; SDM 6.9) and ask for an exit
 * when the guest can take the next. Interrupts off.
 */
void minivmm_events_before_entry(struct minivmm_vcpu *vcpu)
{
	bool irq_window = READ_ONCE(vcpu->run->request_interrupt_window);
	bool nmi_window = false;
	u32 ctl;

	if (vcpu->inject.info) {
		event_write(&vcpu->inject);
	} else if (vcpu->nmi_pending && nmi_allowed()) {
		vcpu->nmi_pending = false;
		vcpu->inject.info = INTR_INFO_VALID | INTR_TYPE_NMI | NMI_VECTOR;
		event_write(&vcpu->inject);
	} else if (vcpu->irq_pending >= 0 && irq_allowed()) {
		vcpu->inject.info = INTR_INFO_VALID | INTR_TYPE_EXT_INTR | vcpu->irq_pending;
		vcpu->irq_pending = -1;
		event_write(&vcpu->inject);
	}
	if (vcpu->irq_pending >= 0)
		irq_window = true;
	if (vcpu->nmi_pending)
		nmi_window = true;

	ctl = vcpu->cpu_based & ~(CPU_BASED_INTR_WINDOW | CPU_BASED_NMI_WINDOW);
	if (irq_window)
		ctl |= CPU_BASED_INTR_WINDOW;
	if (nmi_window)
		ctl |= CPU_BASED_NMI_WINDOW;
	if (ctl != vcpu->cpu_based) {
		vcpu->cpu_based = ctl;
		vmcs_write32(CPU_BASED_VM_EXEC_CONTROL, ctl);
	}
}

/*
 * After an exit: the event being delivered is done, unless the exit cut
 * its delivery short (SDM 27.2.4): then it is delivered again, as it was.
 * An NMI's blocking ends with it (SDM 27.7.1.2 of older editions, as
 * KVM does). Interrupts off.
 */
void minivmm_events_after_exit(struct minivmm_vcpu *vcpu, u32 idt)
{
	vcpu->inject.info = idt & INTR_INFO_ENTRY_MASK;
	if (idt & INTR_INFO_DELIVER_CODE)
		vcpu->inject.error_code = vmcs_read32(IDT_VECTORING_ERROR_CODE);
	if (event_is_soft(idt))
		vcpu->inject.insn_len = vmcs_read32(VM_EXIT_INSTRUCTION_LEN);
	if ((idt & INTR_INFO_TYPE_MASK) == INTR_TYPE_NMI)
		vmcs_write32(GUEST_INTERRUPTIBILITY_INFO,
			     vmcs_read32(GUEST_INTERRUPTIBILITY_INFO) & ~INTR_STATE_NMI);
}

/*
 * An exit during IRET that unblocked NMIs (SDM 27.2.3: bit 12 of the exit
 * interruption information or the EPT-violation qualification): the IRET
 * runs again, so NMIs are blocked again until it does.
 */
void minivmm_events_iret_fault(struct minivmm_vcpu *vcpu)
{
	/* The bit means nothing when the exit cut an event short. */
	if (vmx_cfg.vnmi && !vcpu->inject.info)
		vmcs_write32(GUEST_INTERRUPTIBILITY_INFO,
			     vmcs_read32(GUEST_INTERRUPTIBILITY_INFO) | INTR_STATE_NMI);
}

/* Before a return to userspace: the run area's view of the guest's interrupts. */
void minivmm_events_report(struct minivmm_vcpu *vcpu)
{
	struct minivmm_run *run = vcpu->run;
	bool ifl = vmcs_readl(GUEST_RFLAGS) & X86_EFLAGS_IF;

	run->if_flag = ifl;
	run->ready_for_interrupt_injection = ifl && vcpu->irq_pending < 0 &&
		!vcpu->inject.info &&
		!(vmcs_read32(GUEST_INTERRUPTIBILITY_INFO) & (INTR_STATE_STI | INTR_STATE_MOV_SS));
}

/* An exception from an exit handler, delivered at the next entry (SDM 26.6.1). */
void minivmm_queue_exception(struct minivmm_vcpu *vcpu, u32 info, u32 error_code, u32 len)
{
	vcpu->inject.info = info;
	vcpu->inject.error_code = error_code;
	vcpu->inject.insn_len = len;
}

/* The guest can take an interrupt: to userspace if it asked, else enter again. */
int minivmm_handle_interrupt_window(struct minivmm_vcpu *vcpu)
{
	if (READ_ONCE(vcpu->run->request_interrupt_window)) {
		vcpu->run->exit_reason = MINIVMM_EXIT_IRQ_WINDOW_OPEN;
		return 0;
	}
	return 1;
}

/* MINIVMM_INTERRUPT. vcpu->mutex held. */
long minivmm_interrupt_ioctl(struct minivmm_vcpu *vcpu, void __user *argp)
{
	struct minivmm_interrupt irq;
	bool can;

	if (copy_from_user(&irq, argp, sizeof(irq)))
		return -EFAULT;
	if (irq.irq > 255 || irq.padding)
		return -EINVAL;
	if (vcpu->irq_pending >= 0)
		return -EEXIST;
	minivmm_vcpu_get(vcpu);
	can = !vcpu->inject.info && irq_allowed();
	minivmm_vcpu_put(vcpu);
	if (!can)
		return -EBUSY;
	vcpu->irq_pending = irq.irq;
	return 0;
}

/* MINIVMM_NMI. vcpu->mutex held. */
long minivmm_nmi_ioctl(struct minivmm_vcpu *vcpu, unsigned long arg)
{
	if (arg)
		return -EINVAL;
	if (!vmx_cfg.vnmi)
		return -EOPNOTSUPP;
	vcpu->nmi_pending = true;
	return 0;
}

/* MINIVMM_GET_VCPU_EVENTS. vcpu->mutex held. */
long minivmm_get_events(struct minivmm_vcpu *vcpu, void __user *argp)
{
	const struct minivmm_event *e = &vcpu->inject;
	struct minivmm_vcpu_events ev = { 0 };
	u32 type = e->info & INTR_INFO_TYPE_MASK, state;

	minivmm_vcpu_get(vcpu);
	state = vmcs_read32(GUEST_INTERRUPTIBILITY_INFO);
	minivmm_vcpu_put(vcpu);

	if (e->info && (type == INTR_TYPE_HW_EXCEPTION || type == INTR_TYPE_SOFT_EXCEPTION ||
			type == INTR_TYPE_PRIV_SW_EXCEPTION)) {
		ev.exception.injected = 1;
		ev.exception.nr = e->info & 0xff;
		ev.exception.has_error_code = !!(e->info & INTR_INFO_DELIVER_CODE);
		ev.exception.soft = type != INTR_TYPE_HW_EXCEPTION;
		ev.exception.error_code = e->error_code;
	} else if (e->info && (type == INTR_TYPE_EXT_INTR || type == INTR_TYPE_SOFT_INTR)) {
		ev.interrupt.injected = 1;
		ev.interrupt.nr = e->info & 0xff;
		ev.interrupt.soft = type == INTR_TYPE_SOFT_INTR;
	} else if (e->info && type == INTR_TYPE_NMI) {
		ev.nmi.injected = 1;
	}
	if (e->info && event_is_soft(e->info))
		ev.instruction_len = e->insn_len;
	ev.interrupt.pending = vcpu->irq_pending >= 0;
	ev.interrupt.pending_nr = vcpu->irq_pending >= 0 ? vcpu->irq_pending : 0;
	ev.interrupt.shadow = (state & INTR_STATE_STI ? MINIVMM_SHADOW_STI : 0) |
			      (state & INTR_STATE_MOV_SS ? MINIVMM_SHADOW_MOV_SS : 0);
	ev.nmi.pending = vcpu->nmi_pending;
	ev.nmi.masked = vmx_cfg.vnmi && (state & INTR_STATE_NMI);
	return copy_to_user(argp, &ev, sizeof(ev)) ? -EFAULT : 0;
}

static bool events_valid(const struct minivmm_vcpu_events *ev)
{
	unsigned int i, soft;

	if (ev->flags || ev->interrupt.padding[0] || ev->interrupt.padding[1] ||
	    ev->nmi.padding)
		return false;
	for (i = 0; i < ARRAY_SIZE(ev->reserved); i++)
		if (ev->reserved[i])
			return false;
	if (!!ev->exception.injected + !!ev->interrupt.injected + !!ev->nmi.injected > 1)
		return false;
	if (ev->exception.injected && (ev->exception.nr > 31 || ev->exception.nr == NMI_VECTOR))
		return false;
	if (ev->interrupt.shadow & ~(MINIVMM_SHADOW_STI | MINIVMM_SHADOW_MOV_SS) ||
	    ev->interrupt.shadow == (MINIVMM_SHADOW_STI | MINIVMM_SHADOW_MOV_SS))
		return false;
	if (!vmx_cfg.vnmi && (ev->nmi.injected || ev->nmi.pending || ev->nmi.masked))
		return false;
	soft = (ev->exception.injected && ev->exception.soft) ||
	       (ev->interrupt.injected && ev->interrupt.soft);
	if (soft && (!ev->instruction_len || ev->instruction_len > 15))
		return false;
	return true;
}

/* MINIVMM_SET_VCPU_EVENTS. vcpu->mutex held. */
long minivmm_set_events(struct minivmm_vcpu *vcpu, void __user *argp)
{
	struct minivmm_vcpu_events ev;
	struct minivmm_event e = { 0 };
	u32 state;

	if (copy_from_user(&ev, argp, sizeof(ev)))
		return -EFAULT;
	if (!events_valid(&ev))
		return -EINVAL;
	if (ev.exception.injected) {
		e.info = INTR_INFO_VALID | ev.exception.nr |
			 (ev.exception.soft ? INTR_TYPE_SOFT_EXCEPTION : INTR_TYPE_HW_EXCEPTION);
		if (ev.exception.has_error_code)
			e.info |= INTR_INFO_DELIVER_CODE;
		e.error_code = ev.exception.error_code;
	} else if (ev.interrupt.injected) {
		e.info = INTR_INFO_VALID | ev.interrupt.nr |
			 (ev.interrupt.soft ? INTR_TYPE_SOFT_INTR : INTR_TYPE_EXT_INTR);
	} else if (ev.nmi.injected) {
		e.info = INTR_INFO_VALID | INTR_TYPE_NMI | NMI_VECTOR;
	}
	e.insn_len = ev.instruction_len;
	vcpu->inject = e;
	vcpu->irq_pending = ev.interrupt.pending ? ev.interrupt.pending_nr : -1;
	vcpu->nmi_pending = ev.nmi.pending;

	minivmm_vcpu_get(vcpu);
	state = vmcs_read32(GUEST_INTERRUPTIBILITY_INFO) &
		~(INTR_STATE_STI | INTR_STATE_MOV_SS | INTR_STATE_NMI);
	if (ev.interrupt.shadow & MINIVMM_SHADOW_STI)
		state |= INTR_STATE_STI;
	if (ev.interrupt.shadow & MINIVMM_SHADOW_MOV_SS)
		state |= INTR_STATE_MOV_SS;
	if (ev.nmi.masked)
		state |= INTR_STATE_NMI;
	vmcs_write32(GUEST_INTERRUPTIBILITY_INFO, state);
	minivmm_vcpu_put(vcpu);
	return 0;
}
