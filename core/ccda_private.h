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

#ifdef __KERNEL__
/* The TDI object and the lifecycle: kernel only, never in the tools. */
#include <linux/kref.h>
#include <linux/list.h>
#include <linux/mutex.h>

struct dentry;

/**
 * struct ccda_tdi - one assigned function (core/tdi.c)
 * @kref: references; the last ccda_tdi_put() frees it
 * @lock: serialises state changes and every backend call for this TDI
 * @backend: the backend, registered for the TDI's whole life
 * @role: host or guest
 * @id: the caller's name for it
 * @layout: the device layout it was created with
 * @guest_base: per-BAR guest addresses for the planner
 * @has_guest_base: @guest_base is valid
 * @priv: the backend's data
 * @vm: host role: its VM, or %NULL (under ccda_vm_mutex)
 * @vm_node: entry in the VM's list (under ccda_vm_mutex)
 * @state: TDISP state, changed only by ccda_tdi_set_state()
 * @driver_bound: a driver is bound to the function
 * @fw_locked: @lock succeeded and @reclaim has not: stop + reclaim owed
 * @needs_stop: @stop owed
 * @dma_on: trusted DMA enabled
 * @shared_changed: the shared view was changed: @restore_shared owed
 * @flush_owed: a revoke is not yet made effective by a flush
 * @report: the report of the last accept
 * @map: the published map of the last accept
 * @plan: the plan of the last accept
 * @mapped: per plan call: established and not revoked
 * @owed: per plan call: pages not yet returned to the host
 * @digest: measurement digest given at accept, for the RAS path
 * @digest_len: bytes in @digest; 0 when nothing was accepted
 * @ras_armed: went to ERROR from RUN: ccda_tdi_recover() may re-accept
 * @last_step: the last backend step called, for debugfs
 * @last_ret: what it returned
 * @dbg: the TDI's debugfs file
 */
struct ccda_tdi {
	struct kref kref;
	/* the state and every backend call of this TDI */
	struct mutex lock;
	struct ccda_backend *backend;
	enum ccda_tdi_role role;
	u32 id;
	struct ccda_layout layout;
	u64 guest_base[CCDA_NR_BARS];
	bool has_guest_base;
	void *priv;
	struct ccda_vm *vm;
	struct list_head vm_node;
	enum ccda_tdi_state state;
	bool driver_bound;
	bool fw_locked;
	bool needs_stop;
	bool dma_on;
	bool shared_changed;
	bool flush_owed;
	struct ccda_report *report;
	struct ccda_map *map;
	struct ccda_plan *plan;
	unsigned long *mapped;
	unsigned long *owed;
	u8 digest[CCDA_DIGEST_MAX];
	size_t digest_len;
	bool ras_armed;
	enum ccda_step last_step;
	int last_ret;
	struct dentry *dbg;
};

/* Print a TDI's state, map and plan line by line (debugfs and the demo). */
void ccda_tdi_dump(struct ccda_tdi *tdi,
		   void (*line)(void *ctx, const char *fmt, ...) __printf(2, 3),
		   void *ctx);

#if IS_ENABLED(CONFIG_KUNIT)
/* TDIs and VMs allocated and not yet freed, for the suites' leak checks */
extern atomic_t ccda_tdi_live;
extern atomic_t ccda_vm_live;

static inline void ccda_tdi_live_inc(void)
{
	atomic_inc(&ccda_tdi_live);
}

static inline void ccda_tdi_live_dec(void)
{
	atomic_dec(&ccda_tdi_live);
}

static inline void ccda_vm_live_inc(void)
{
	atomic_inc(&ccda_vm_live);
}

static inline void ccda_vm_live_dec(void)
{
	atomic_dec(&ccda_vm_live);
}
#else
static inline void ccda_tdi_live_inc(void) { }
static inline void ccda_tdi_live_dec(void) { }
static inline void ccda_vm_live_inc(void) { }
static inline void ccda_vm_live_dec(void) { }
#endif
#endif /* __KERNEL__ */

#endif /* _CCDA_PRIVATE_H_ */
