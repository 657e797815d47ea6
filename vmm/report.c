// SPDX-License-Identifier: GPL-2.0
/*
 * --dump-regs and --stats; see report.h. Runs in vmm's main thread after
 * every VCPU thread has ended.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "../kmod/exit_reasons.h"
#include "accel.h"
#include "disasm.h"
#include "report.h"
#include "vm.h"

static void dump_seg(unsigned int i, const char *name, const struct minivmm_segment *s)
{
	fprintf(stderr, "regs vcpu%u %s sel %#x base %#llx limit %#x type %#x p %u dpl %u db %u s %u l %u g %u avl %u unusable %u\n",
		i, name, s->selector, (unsigned long long)s->base, s->limit,
		s->type, s->present, s->dpl, s->db, s->s, s->l, s->g, s->avl,
		s->unusable);
}

void report_regs(struct vm *vm)
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
		fprintf(stderr, "regs vcpu%u cr0 %#llx\nregs vcpu%u cr2 %#llx\nregs vcpu%u cr3 %#llx\nregs vcpu%u cr4 %#llx\nregs vcpu%u cr8 %#llx\nregs vcpu%u efer %#llx\n",
			i, (unsigned long long)sr.cr0, i, (unsigned long long)sr.cr2,
			i, (unsigned long long)sr.cr3, i, (unsigned long long)sr.cr4,
			i, (unsigned long long)sr.cr8, i, (unsigned long long)sr.efer);
	}
}

/* VM exit reasons by number (SDM Vol. 3D, Appendix C), named as the module names them. */
static const char *const exit_reason_names[MINIVMM_NR_EXIT_REASONS] = {
	VMX_EXIT_REASON_NAMES
};

void report_stats(struct vm *vm)
{
	struct minivmm_vcpu_stats st;
	unsigned int i, r;

	/* vmm's side of the interrupt path (interrupts.c), on any backend. */
	fprintf(stderr, "stats vm interrupts_injected %lu\n", vm->irqs_injected);
	fprintf(stderr, "stats vm halts_slept %lu\n", vm->halts);
	fprintf(stderr, "stats vm pit_ticks_merged %llu\n", (unsigned long long)vm->pit.missed);
	fprintf(stderr, "stats vm unclaimed_ports %lu\n", vm->bus.unclaimed[BUS_PIO]);
	for (i = 0; i < vm->nr_vcpus; i++) {
		struct vcpu *v = &vm->vcpus[i];

		/* vmm's own count works on any backend. */
		fprintf(stderr, "stats vcpu%u exits_seen_by_vmm %lu\n", i, v->exits);
		if (!vm->accel->get_stats) {
			if (vm->accel->print_stats && vm->accel->print_stats(v, i))
				fprintf(stderr, "vmm: reading VCPU %u's %s counters: %s\n", i,
					vm->accel->name, strerror(errno));
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
			fprintf(stderr, "stats vm mapped_pages %llu\n",
				(unsigned long long)st.vm_mapped_pages);
	}
}

/*
 * An MMIO access by an instruction kmod/decode.c does not decode: data[0]
 * the GPA, data[1..2] the bytes fetched at RIP, named in the mode of the
 * guest's code segment.
 */
static void report_mmio_insn(struct vcpu *v, unsigned long long rip)
{
	const __u64 *d = v->run->internal.data;
	char name[64] = "", hex[3 * 16] = "";
	struct minivmm_sregs sr;
	unsigned int i, len = 0;
	uint8_t code[16];

	memcpy(code, &d[1], sizeof(code));
	if (!v->vm->accel->get_sregs(v, &sr))
		len = disasm_name(code, sizeof(code), disasm_mode(&sr), name, sizeof(name));
	/* The instruction's bytes, or the first few when it has no name. */
	for (i = 0; i < (len ? len : 8); i++)
		snprintf(hex + 3 * i, sizeof(hex) - 3 * i, "%02x ", code[i]);
	hex[3 * i - 1] = '\0';
	if (!len)
		snprintf(name, sizeof(name), "which vmm cannot name");
	fprintf(stderr, "vmm: internal error: the guest's instruction at RIP %#llx, %s (%s%s), accesses MMIO at %#llx and is not one minivmm emulates (MOV and MOVZX only)\n",
		rip, name, hex, len ? "" : " ...", (unsigned long long)d[0]);
}

/* MINIVMM_EXIT_INTERNAL_ERROR in words, for the shapes the module fills in. */
void report_internal(struct vcpu *v, unsigned long long regs_rip)
{
	struct minivmm_run *run = v->run;
	const __u64 *d = run->internal.data;
	unsigned int sub = run->internal.suberror, nd = run->internal.ndata, i;
	/* KVM's suberrors are KVM_INTERNAL_ERROR_*, and exit_rip is --trace's only. */
	bool kvm = v->vm->accel == &accel_kvm;
	unsigned long long rip = kvm ? regs_rip : run->exit_rip;
	const char *name;

	if (!kvm && sub == MINIVMM_INTERNAL_EMULATION && nd == 4) {
		report_mmio_insn(v, rip);
	} else if (!kvm && sub == MINIVMM_INTERNAL_EMULATION && nd == 3) {
		fprintf(stderr, "vmm: internal error: the INS/OUTS at RIP %#llx cannot reach guest memory at linear address %#llx (port %#llx)\n",
			rip, (unsigned long long)d[0], (unsigned long long)d[1]);
	} else if (!kvm && sub == MINIVMM_INTERNAL_EMULATION && nd == 1) {
		fprintf(stderr, "vmm: internal error: the guest's instruction at RIP %#llx reads MMIO at %#llx into RSP, which minivmm does not emulate\n",
			rip, (unsigned long long)d[0]);
	} else if (!kvm && sub == MINIVMM_INTERNAL_PAGE_WALK && nd == 3) {
		fprintf(stderr, "vmm: internal error: at RIP %#llx the CPU walked the guest's page tables into guest-physical %#llx, which is not writable RAM (no memory slot, or a read-only one); EPT qualification %#llx\n",
			rip, (unsigned long long)d[0], (unsigned long long)d[1]);
	} else if (!kvm && sub == MINIVMM_INTERNAL_UNKNOWN_EXIT && nd == 3) {
		name = d[0] < MINIVMM_NR_EXIT_REASONS ? exit_reason_names[d[0]] : NULL;
		fprintf(stderr, "vmm: internal error: minivmm has no handler for VMX exit reason %llu (%s) at RIP %#llx, %s %#llx\n",
			(unsigned long long)d[0], name ? name : "unknown", rip,
			d[0] == EXIT_REASON_EXCEPTION_NMI ? "interruption info" : "qualification",
			(unsigned long long)d[1]);
	} else {
		fprintf(stderr, "vmm: internal error %u from %s: ndata %u, data", sub,
			v->vm->accel->name, nd);
		for (i = 0; i < nd && i < 16; i++)
			fprintf(stderr, " %#llx", (unsigned long long)d[i]);
		fprintf(stderr, "%s, RIP %#llx\n", nd ? "" : " none", rip);
	}
}
