/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * ccda core internals, shared by the core's .c files and the KUnit suites.
 * Backends never include this header; what they may use is in ccda.h.
 */
#ifndef _CCDA_PRIVATE_H_
#define _CCDA_PRIVATE_H_

#include <linux/atomic.h>
#include <linux/sizes.h>

#include "ccda.h"

/*
 * The longest input ccda_report_parse() accepts: a full table of
 * CCDA_REPORT_MAX_RANGES ranges plus 1 MiB of device-specific information.
 * A longer buffer is refused with -E2BIG before any of it is read, so a
 * hostile length never turns into a huge allocation.
 */
#define CCDA_REPORT_MAX_LEN						\
	(CCDA_REPORT_HDR_SIZE +						\
	 CCDA_REPORT_MAX_RANGES * CCDA_REPORT_RANGE_SIZE +		\
	 CCDA_REPORT_DSI_LEN_SIZE + SZ_1M)

int ccda_reject(struct ccda_diag *diag, int err, const char *what,
		const char *unit, const char *reason, int index);
void ccda_diag_clear(struct ccda_diag *diag);

#if IS_ENABLED(CONFIG_KUNIT)
/*
 * Reports handed out by ccda_report_parse() and not yet released with
 * ccda_report_free().  Only the KUnit suites read it, to prove that every
 * success path is freed exactly once and that no failure path allocates.
 */
extern atomic_t ccda_report_live;

static inline void ccda_report_live_inc(void)
{
	atomic_inc(&ccda_report_live);
}

static inline void ccda_report_live_dec(void)
{
	atomic_dec(&ccda_report_live);
}

/* Copies the caller's report; a KUnit static stub may redirect it. */
void *ccda_report_copy(const void *buf, size_t len);

/* The same for maps handed out by ccda_map_build(). */
extern atomic_t ccda_map_live;

static inline void ccda_map_live_inc(void)
{
	atomic_inc(&ccda_map_live);
}

static inline void ccda_map_live_dec(void)
{
	atomic_dec(&ccda_map_live);
}

/* And for plans handed out by ccda_plan_build(). */
extern atomic_t ccda_plan_live;

static inline void ccda_plan_live_inc(void)
{
	atomic_inc(&ccda_plan_live);
}

static inline void ccda_plan_live_dec(void)
{
	atomic_dec(&ccda_plan_live);
}
#else
static inline void ccda_report_live_inc(void) { }
static inline void ccda_report_live_dec(void) { }
static inline void ccda_map_live_inc(void) { }
static inline void ccda_map_live_dec(void) { }
static inline void ccda_plan_live_inc(void) { }
static inline void ccda_plan_live_dec(void) { }
#endif

/*
 * Decode the MSI-X capability's Message Control word and Table / PBA
 * dwords (PCIe r6.2 7.7.2) into @msix.  Pure, so that KUnit and the
 * user-space tools can feed it capabilities without a struct pci_dev.
 */
void ccda_msix_decode(u16 msg_ctrl, u32 table, u32 pba,
		      struct ccda_msix_layout *msix);

#endif /* _CCDA_PRIVATE_H_ */
