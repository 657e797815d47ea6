/* SPDX-License-Identifier: GPL-2.0 */
/*
 * vmm --trace: one line on stderr per exit that reached vmm, with the
 * instruction at the exit's RIP decoded (disasm.c) and what vmm did.
 */
#ifndef VMM_TRACE_H
#define VMM_TRACE_H

#include <stdbool.h>

#include "bus.h"

struct vcpu;

/* "vmm: [vcpuN ]exit N[ at RIP (insn)]: " then fmt; nothing without --trace. */
void trace(struct vcpu *v, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* Decode the instruction behind the exit that RUN just returned, for trace(). */
void trace_insn(struct vcpu *v);
/* An access on the bus and what came of it: bus_access()'s result st and owner r. */
void trace_access(struct vcpu *v, enum bus_space space, uint64_t addr, bool write,
		  const uint8_t *data, unsigned int size, int st, const struct bus_range *r);

#endif
