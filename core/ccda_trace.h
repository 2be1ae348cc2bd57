/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Tracepoints of the TDI lifecycle: every state transition and every
 * backend step, with the TDI's id, the planned call (guest address and
 * size, 0 for steps that take none) and the step's result.
 */
#undef TRACE_SYSTEM
#define TRACE_SYSTEM ccda

#if !defined(_CCDA_TRACE_H_) || defined(TRACE_HEADER_MULTI_READ)
#define _CCDA_TRACE_H_

#include <linux/tracepoint.h>

TRACE_EVENT(ccda_tdi_state,
	    TP_PROTO(u32 id, const char *from, const char *to),
	    TP_ARGS(id, from, to),
	    TP_STRUCT__entry(__field(u32, id)
			     __string(from, from)
			     __string(to, to)),
	    TP_fast_assign(__entry->id = id;
			   __assign_str(from);
			   __assign_str(to);),
	    TP_printk("tdi=%#x %s -> %s", __entry->id, __get_str(from),
		      __get_str(to))
);

TRACE_EVENT(ccda_tdi_step,
	    TP_PROTO(u32 id, const char *step, u64 addr, u64 size, int ret),
	    TP_ARGS(id, step, addr, size, ret),
	    TP_STRUCT__entry(__field(u32, id)
			     __string(step, step)
			     __field(u64, addr)
			     __field(u64, size)
			     __field(int, ret)),
	    TP_fast_assign(__entry->id = id;
			   __assign_str(step);
			   __entry->addr = addr;
			   __entry->size = size;
			   __entry->ret = ret;),
	    TP_printk("tdi=%#x %s addr=%#llx size=%#llx ret=%d", __entry->id,
		      __get_str(step), __entry->addr, __entry->size,
		      __entry->ret)
);

#endif /* _CCDA_TRACE_H_ */

#undef TRACE_INCLUDE_PATH
#define TRACE_INCLUDE_PATH .
#undef TRACE_INCLUDE_FILE
#define TRACE_INCLUDE_FILE ccda_trace
#include <trace/define_trace.h>
