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

#include <linux/string.h>
#include <linux/tracepoint.h>

#include "vcpu.h"

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

/* The longest exit name (exit_reasons.h), with its NUL. */
#define MINIVMM_TRACE_NAME_LEN	24

/*
 * A VM exit: the raw reason (bit 31: failed entry), its name (SDM Vol.
 * 3D, Appendix C; exit_reasons.h), RIP and qualification.
 */
TRACE_EVENT(minivmm_exit,
	    TP_PROTO(unsigned int vcpu, u32 reason, unsigned long rip,
		     unsigned long qual),
	    TP_ARGS(vcpu, reason, rip, qual),
	    TP_STRUCT__entry(__field(unsigned int, vcpu)
			     __field(u32, reason)
			     __array(char, name, MINIVMM_TRACE_NAME_LEN)
			     __field(unsigned long, rip)
			     __field(unsigned long, qual)),
	    TP_fast_assign(__entry->vcpu = vcpu;
			   __entry->reason = reason;
			   strscpy(__entry->name,
				   minivmm_exit_reason_name(reason & 0xffff) ?: "unknown",
				   MINIVMM_TRACE_NAME_LEN);
			   __entry->rip = rip;
			   __entry->qual = qual;),
	    TP_printk("vcpu %u reason %u %s%s rip %#lx qualification %#lx",
		      __entry->vcpu, __entry->reason & 0xffff, __entry->name,
		      __entry->reason & 0x80000000 ? " (failed entry)" : "",
		      __entry->rip, __entry->qual)
);

/* RUN returns to userspace with this exit (MINIVMM_EXIT_* in the uapi). */
TRACE_EVENT(minivmm_userspace_exit,
	    TP_PROTO(unsigned int vcpu, u32 exit_reason),
	    TP_ARGS(vcpu, exit_reason),
	    TP_STRUCT__entry(__field(unsigned int, vcpu)
			     __field(u32, exit_reason)
			     __array(char, name, MINIVMM_TRACE_NAME_LEN)),
	    TP_fast_assign(__entry->vcpu = vcpu;
			   __entry->exit_reason = exit_reason;
			   strscpy(__entry->name,
				   minivmm_user_exit_name(exit_reason) ?: "unknown",
				   MINIVMM_TRACE_NAME_LEN);),
	    TP_printk("vcpu %u exit %u %s", __entry->vcpu, __entry->exit_reason,
		      __entry->name)
);

#endif /* MINIVMM_TRACE_H */

#undef TRACE_INCLUDE_PATH
#define TRACE_INCLUDE_PATH .
#undef TRACE_INCLUDE_FILE
#define TRACE_INCLUDE_FILE trace
#include <trace/define_trace.h>
