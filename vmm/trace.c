// SPDX-License-Identifier: GPL-2.0
/*
 * vmm --trace; see trace.h. Runs in the VCPU thread of the exit it
 * describes (trace_access() with vm->lock held), writing to stderr.
 */
#include <stdarg.h>
#include <stdio.h>

#include "disasm.h"
#include "guestmem.h"
#include "trace.h"
#include "vm.h"

void trace(struct vcpu *v, const char *fmt, ...)
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

/* The instruction at the exit's RIP, read through the guest's page tables. */
void trace_insn(struct vcpu *v)
{
	struct minivmm_run *run = v->run;
	struct minivmm_sregs sr;
	uint8_t code[15];
	unsigned int mode;
	uint64_t la;
	size_t n;

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
	mode = disasm_mode(&sr);
	la = mode == 8 ? run->exit_rip : (uint32_t)(sr.cs.base + run->exit_rip);
	n = guest_copy(v->vm, &sr, la, code, sizeof(code), false);
	v->insn_rip = run->exit_rip;
	disasm_exit(code, n, mode, v->insn, sizeof(v->insn));
}

void trace_access(struct vcpu *v, enum bus_space space, uint64_t addr, bool write,
		  const uint8_t *data, unsigned int size, int st, const struct bus_range *r)
{
	char what[48], note[48] = "";
	uint64_t value;

	if (!v->vm->trace)
		return;
	value = bus_value(data, size);
	if (space == BUS_PIO)
		snprintf(what, sizeof(what), "%s port %#x", write ? "OUT" : "IN",
			 (unsigned int)addr);
	else
		snprintf(what, sizeof(what), "MMIO %s %#llx", write ? "write" : "read",
			 (unsigned long long)addr);
	if (st == BUS_NO_DEVICE) {
		trace(v, "%s size %u: no device\n", what, size);
		return;
	}
	if (st >= 0) {
		trace(v, "%s: guest exit value %d\n", what, st);
		return;
	}
	if (write && r->ops->describe)
		r->ops->describe(r->opaque, addr - r->base, value, note, sizeof(note));
	/* Port I/O shows its first byte, as it always did; MMIO the whole value. */
	trace(v, "%s size %u data %#llx%s%s\n", what, size,
	      (unsigned long long)(space == BUS_PIO ? data[0] : value), note[0] ? ": " : "", note);
}
