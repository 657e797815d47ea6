/* SPDX-License-Identifier: GPL-2.0 */
/*
 * minivmm's tracepoints (tracefs events/minivmm/, perf, trace-cmd): every
 * VM entry, every VM exit with its reason, RIP and qualification, and every
 * return to userspace. Off, each is a patched-out jump.
 */
#undef TRACE_SYSTEM
#define TRACE_SYSTEM minivmm

#if !defined(MINIVMM_TRACE_H) || defined(TRACE_HEADER_MULTI_READ)
#define MINIVMM_TRACE_H

#include <linux/tracepoint.h>

#include "exit_reasons.h"

/* VM entry (VMLAUNCH/VMRESUME) is about to run the guest at rip. */
TRACE_EVENT(minivmm_entry,
	    TP_PROTO(unsigned int vcpu, unsigned long rip),
	    TP_ARGS(vcpu, rip),
	    TP_STRUCT__entry(__field(unsigned int, vcpu)
			     __field(unsigned long, rip)),
	    TP_fast_assign(__entry->vcpu = vcpu;
			   __entry->rip = rip;),
	    TP_printk("vcpu %u rip %#lx", __entry->vcpu, __entry->rip)
);

/*
 * A VM exit: the raw reason (bit 31: failed entry), RIP, qualification.
 * Names: the basic exit reasons minivmm handles, SDM Vol. 3D, Appendix C.
 */
TRACE_EVENT(minivmm_exit,
	    TP_PROTO(unsigned int vcpu, u32 reason, unsigned long rip,
		     unsigned long qual),
	    TP_ARGS(vcpu, reason, rip, qual),
	    TP_STRUCT__entry(__field(unsigned int, vcpu)
			     __field(u32, reason)
			     __field(unsigned long, rip)
			     __field(unsigned long, qual)),
	    TP_fast_assign(__entry->vcpu = vcpu;
			   __entry->reason = reason;
			   __entry->rip = rip;
			   __entry->qual = qual;),
	    TP_printk("vcpu %u reason %u %s%s rip %#lx qualification %#lx",
		      __entry->vcpu, __entry->reason & 0xffff,
		      __print_symbolic(__entry->reason & 0xffff,
				       VMX_EXIT_REASONS(EXIT_REASON_SYM_)
				       { 0xffff, "none" }),
		      __entry->reason & 0x80000000 ? " (failed entry)" : "",
		      __entry->rip, __entry->qual)
);

/* RUN returns to userspace with this exit (MINIVMM_EXIT_* in the uapi). */
TRACE_EVENT(minivmm_userspace_exit,
	    TP_PROTO(unsigned int vcpu, u32 exit_reason),
	    TP_ARGS(vcpu, exit_reason),
	    TP_STRUCT__entry(__field(unsigned int, vcpu)
			     __field(u32, exit_reason)),
	    TP_fast_assign(__entry->vcpu = vcpu;
			   __entry->exit_reason = exit_reason;),
	    TP_printk("vcpu %u exit %u %s", __entry->vcpu, __entry->exit_reason,
		      __print_symbolic(__entry->exit_reason,
				       MINIVMM_USER_EXITS(USER_EXIT_SYM_)
				       { ~0U, "none" }))
);

#endif /* MINIVMM_TRACE_H */

#undef TRACE_INCLUDE_PATH
#define TRACE_INCLUDE_PATH .
#undef TRACE_INCLUDE_FILE
#define TRACE_INCLUDE_FILE trace
#include <trace/define_trace.h>
