/* SPDX-License-Identifier: GPL-2.0 */
/*
 * From a device's interrupt line to the guest (interrupts.c): the PC's
 * interrupt controller, timers and the event thread, and what the VCPU
 * threads call around each exit. User mode on the host.
 */
#ifndef VMM_INTERRUPTS_H
#define VMM_INTERRUPTS_H

#include <stdbool.h>
#include <stdint.h>

#include "bus.h"

struct vm;
struct vcpu;

#define IRQ_COM1	4

/* Put the PIC, PIT, RTC, i8042 and the absent legacy devices on the bus: 0 or -errno. */
int intr_attach(struct vm *vm);
/* The bus_irq for PIC input irq (0-15). */
struct bus_irq intr_line(struct vm *vm, unsigned int irq);
/* The event thread: start before the VCPUs, stop once they are all done. */
int intr_start(struct vm *vm);
void intr_stop(struct vm *vm);
/* The VM ends or a stop signal came: wake whoever sleeps. */
void intr_wake_all(struct vm *vm);
/* vm->lock held: VCPU 0 before each RUN; HLT; an OUT to port. */
void intr_update(struct vcpu *v);
int intr_halt(struct vcpu *v);
void intr_port_accessed(struct vm *vm, uint16_t port, bool out);

#endif
