// SPDX-License-Identifier: GPL-2.0-only
/**
 * DOC: TDI state, backends and the lifecycle
 *
 * A &struct ccda_tdi is one assigned function.  The core keeps its TDISP
 * state (PCIe r6.2 11.3.4) under one mutex and owns the order of every
 * backend step; a backend (&struct ccda_backend_ops) only performs them.
 *
 * States and the one transition table, ccda_tdi_next[]:
 *
 * - CONFIG_UNLOCKED -> CONFIG_LOCKED (bind), -> ERROR (device event)
 * - CONFIG_LOCKED -> RUN (accept), -> CONFIG_UNLOCKED (unbind), -> ERROR
 * - RUN -> CONFIG_UNLOCKED (unbind), -> ERROR.  Never back to
 *   CONFIG_LOCKED: there is no un-accept.
 * - ERROR -> CONFIG_UNLOCKED (a complete unbind)
 *
 * An operation first checks the state and the driver binding (-EBUSY when
 * either is wrong) and only then calls the backend; a transition that is
 * not in the table is never performed (-EINVAL, and a WARN because the
 * core itself asked for it).
 *
 * Bind: @lock.  Accept: @fetch_report into a core buffer, parse it, build
 * and publish the map with the backend's offset mode, plan it with the
 * backend's block sizes, @establish every planned call in order,
 * @enable_dma, @start; RUN.  A failed accept undoes exactly what succeeded,
 * in reverse, and leaves the TDI CONFIG_LOCKED: if @establish fails at call
 * k, calls 0..k-1 are revoked, then flushed, their pages returned and the
 * shared view restored.  A failed bind calls nothing more: the lock is
 * its only step.
 *
 * Unbind runs the canonical teardown, skipping absent ops and steps with
 * nothing to undo:
 *
 * 1. @stop
 * 2. @disable_dma
 * 3. @revoke every established call, then one @flush; calls whose revoke
 *    (or a flush that) failed get one more pass (revoke, flush)
 * 4. @reclaim, only when nothing is mapped any more
 * 5. @return_pages for every call, only after a successful reclaim
 * 6. @restore_shared, only when nothing is mapped any more
 * 7. the TDI is CONFIG_UNLOCKED: only now may BME/MSE clear, FLR or VM
 *    destroy proceed.
 *
 * Steps 3-6 need a stopped TDI (TDX unmaps, SEV-TIO reclaims only then),
 * so when @stop fails only @disable_dma still runs.  A failing step is
 * reported (its error is returned unless a second pass fixed it, its
 * one-line reason goes into &struct ccda_diag, and pr_err() names the
 * firmware fault) and the remaining safe steps still run.  If anything is
 * still owed afterwards (a block still mapped, the TDI not stopped or not
 * reclaimed, pages not returned) the TDI stays in ERROR with that record,
 * and the next unbind runs only what is still owed; once complete, unbind
 * is a no-op that returns 0 and nothing is mapped.  A backend answering
 * -EBUSY or -EAGAIN is called again, at most %CCDA_STEP_RETRIES times in
 * all, with cond_resched() in between.
 *
 * Every operation that calls the backend holds the TDI's mutex across the
 * calls (backend ops may sleep), so an unbind racing an accept or an ERROR
 * event on the same TDI simply waits its turn and then re-checks the
 * state.  TDIs are independent of each other; VM membership is under one
 * global mutex taken before any TDI mutex.
 */

#define pr_fmt(fmt) "ccda: " fmt

#include <linux/bitmap.h>
#include <linux/bug.h>
#include <linux/cleanup.h>
#include <linux/debugfs.h>
#include <linux/errno.h>
#include <linux/export.h>
#include <linux/kref.h>
#include <linux/list.h>
#include <linux/lockdep.h>
#include <linux/mm.h>
#include <linux/module.h>
#include <linux/mutex.h>
#include <linux/pci_regs.h>
#include <linux/sched.h>
#include <linux/seq_file.h>
#include <linux/slab.h>
#include <linux/sprintf.h>
#include <linux/string.h>
#include <kunit/visibility.h>

#include "ccda.h"
#include "ccda_private.h"

#define CREATE_TRACE_POINTS
#include "ccda_trace.h"

/* The largest report the core fetches: 8K ranges, as a 16-bit offset allows */
#define CCDA_FETCH_MAX		(CCDA_REPORT_HDR_SIZE +			\
				 8192 * CCDA_REPORT_RANGE_SIZE +	\
				 CCDA_REPORT_DSI_LEN_SIZE + SZ_4K)

#if IS_ENABLED(CONFIG_KUNIT)
atomic_t ccda_tdi_live = ATOMIC_INIT(0);
EXPORT_SYMBOL_IF_KUNIT(ccda_tdi_live);
atomic_t ccda_vm_live = ATOMIC_INIT(0);
EXPORT_SYMBOL_IF_KUNIT(ccda_vm_live);
#endif

/**
 * struct ccda_vm - the TDIs assigned to one VM (host role)
 * @tdis: its TDIs, under ccda_vm_mutex
 */
struct ccda_vm {
	struct list_head tdis;
};

/* Protects every VM's TDI list and every TDI's @vm; taken before tdi->lock. */
static DEFINE_MUTEX(ccda_vm_mutex);
/* Protects backend registration counts */
static DEFINE_MUTEX(ccda_backend_mutex);

static const char * const ccda_state_names[] = {
	[CCDA_TDI_CONFIG_UNLOCKED] = "CONFIG_UNLOCKED",
	[CCDA_TDI_CONFIG_LOCKED] = "CONFIG_LOCKED",
	[CCDA_TDI_RUN] = "RUN",
	[CCDA_TDI_ERROR] = "ERROR",
};

static_assert(ARRAY_SIZE(ccda_state_names) == CCDA_TDI_NR_STATES);

static const char * const ccda_step_names[] = {
	[CCDA_STEP_LOCK] = "lock",
	[CCDA_STEP_FETCH_REPORT] = "fetch_report",
	[CCDA_STEP_ESTABLISH] = "establish",
	[CCDA_STEP_ENABLE_DMA] = "enable_dma",
	[CCDA_STEP_START] = "start",
	[CCDA_STEP_STOP] = "stop",
	[CCDA_STEP_DISABLE_DMA] = "disable_dma",
	[CCDA_STEP_REVOKE] = "revoke",
	[CCDA_STEP_FLUSH] = "flush",
	[CCDA_STEP_RECLAIM] = "reclaim",
	[CCDA_STEP_RETURN_PAGES] = "return_pages",
	[CCDA_STEP_RESTORE_SHARED] = "restore_shared",
};

static_assert(ARRAY_SIZE(ccda_step_names) == CCDA_STEP_NR);

/* The one transition table: the states each state may move to */
static const u8 ccda_tdi_next[CCDA_TDI_NR_STATES] = {
	[CCDA_TDI_CONFIG_UNLOCKED] = BIT(CCDA_TDI_CONFIG_LOCKED) |
				     BIT(CCDA_TDI_ERROR),
	[CCDA_TDI_CONFIG_LOCKED] = BIT(CCDA_TDI_RUN) |
				   BIT(CCDA_TDI_CONFIG_UNLOCKED) |
				   BIT(CCDA_TDI_ERROR),
	[CCDA_TDI_RUN] = BIT(CCDA_TDI_CONFIG_UNLOCKED) | BIT(CCDA_TDI_ERROR),
	[CCDA_TDI_ERROR] = BIT(CCDA_TDI_CONFIG_UNLOCKED),
};

/**
 * ccda_tdi_state_name() - printable name of a TDI state
 * @state: the state
 *
 * Context: Any context.
 * Return: a static string, "?" for a value out of range.
 */
const char *ccda_tdi_state_name(enum ccda_tdi_state state)
{
	return (unsigned int)state < CCDA_TDI_NR_STATES ?
		ccda_state_names[state] : "?";
}
EXPORT_SYMBOL_GPL(ccda_tdi_state_name);

/**
 * ccda_step_name() - printable name of a backend step
 * @step: the step
 *
 * Context: Any context.
 * Return: a static string, "?" for a value out of range.
 */
const char *ccda_step_name(enum ccda_step step)
{
	return (unsigned int)step < CCDA_STEP_NR ? ccda_step_names[step] : "?";
}
EXPORT_SYMBOL_GPL(ccda_step_name);

static void ccda_diag_set(struct ccda_diag *diag, const char *reason)
{
	if (diag && !diag->reason) {
		diag->reason = reason;
		diag->index = -1;
	}
}

/* Refuse, with a reason: the state or a bound driver forbids the operation */
static int ccda_refuse(struct ccda_diag *diag, int err, const char *reason)
{
	return ccda_reject(diag, err, "tdi", "", reason, -1);
}

/*
 * The only place the state changes.  A transition not in the table is a
 * core bug: it is refused and never performed.
 */
static int ccda_tdi_set_state(struct ccda_tdi *tdi, enum ccda_tdi_state next)
{
	enum ccda_tdi_state prev = tdi->state;

	lockdep_assert_held(&tdi->lock);

	if (prev == next)
		return 0;
	if (WARN_ON_ONCE(!(ccda_tdi_next[prev] & BIT(next))))
		return -EINVAL;
	tdi->state = next;
	trace_ccda_tdi_state(tdi->id, ccda_state_names[prev],
			     ccda_state_names[next]);
	return 0;
}

/* --- backends ----------------------------------------------------------- */

/* The backend's defect, or NULL: checked once, at registration */
static const char *ccda_backend_defect(const struct ccda_backend *be)
{
	const struct ccda_backend_ops *ops = be->ops;

	if (!be->name)
		return "no name";
	if (!ops)
		return "no ops";
	if (!ops->lock)
		return "no lock op";
	if (!ops->fetch_report)
		return "no fetch_report op";
	if (!ops->establish)
		return "no establish op";
	if (!ops->start)
		return "no start op";
	if (!ops->stop)
		return "no stop op";
	if (!ops->revoke)
		return "no revoke op";
	/* every block size is at least the 4 KiB granule; 0 means ranges */
	if (be->block_sizes & (CCDA_REPORT_UNIT - 1))
		return "a block size below 4 KiB";
	if (be->offset_mode != CCDA_OFFSET_BAR_ALIGN &&
	    be->offset_mode != CCDA_OFFSET_RELATIVE &&
	    be->offset_mode != CCDA_OFFSET_TRANSLATE)
		return "an unknown offset mode";
	if (be->offset_mode == CCDA_OFFSET_TRANSLATE && !ops->translate)
		return "offset mode TRANSLATE without a translate op";
	if (ops->enable_dma && !ops->disable_dma)
		return "enable_dma without disable_dma";
	return NULL;
}

/**
 * ccda_backend_register() - check a backend and make it usable
 * @backend: the backend, with @name, @ops, @block_sizes and @offset_mode set
 *
 * Checks once what the core relies on later: the required ops are present
 * (see &struct ccda_backend_ops), every bit of @block_sizes is a block of
 * at least 4 KiB (or the mask is %CCDA_PLAN_RANGES), the offset mode is
 * known and %CCDA_OFFSET_TRANSLATE comes with @translate, and @enable_dma
 * comes with @disable_dma.  A backend failing a check is a backend bug: it
 * gets a WARN naming the check and -EINVAL.
 *
 * Context: Process context; takes a mutex.
 * Return: 0; -EINVAL for a bad backend; -EBUSY if already registered.
 */
int ccda_backend_register(struct ccda_backend *backend)
{
	const char *defect;

	if (WARN_ON_ONCE(!backend))
		return -EINVAL;
	defect = ccda_backend_defect(backend);
	if (WARN_ONCE(defect, "ccda: backend %s refused: %s\n",
		      backend->name ?: "(unnamed)", defect))
		return -EINVAL;

	guard(mutex)(&ccda_backend_mutex);
	if (backend->registered)
		return -EBUSY;
	backend->registered = true;
	backend->nr_tdis = 0;
	return 0;
}
EXPORT_SYMBOL_GPL(ccda_backend_register);

/**
 * ccda_backend_unregister() - withdraw a backend
 * @backend: a registered backend
 *
 * Context: Process context; takes a mutex.
 * Return: 0; -EBUSY while TDIs created on it still exist; -EINVAL if it was
 * not registered.
 */
int ccda_backend_unregister(struct ccda_backend *backend)
{
	if (!backend)
		return -EINVAL;

	guard(mutex)(&ccda_backend_mutex);
	if (!backend->registered)
		return -EINVAL;
	if (backend->nr_tdis)
		return -EBUSY;
	backend->registered = false;
	return 0;
}
EXPORT_SYMBOL_GPL(ccda_backend_unregister);

/* --- VMs ---------------------------------------------------------------- */

/**
 * ccda_vm_create() - a group of TDIs assigned to one VM
 * @out: the new VM
 *
 * Context: Process context; may sleep.
 * Return: 0 or -ENOMEM.
 */
int ccda_vm_create(struct ccda_vm **out)
{
	struct ccda_vm *vm = kzalloc(sizeof(*vm), GFP_KERNEL);

	if (!vm)
		return -ENOMEM;
	INIT_LIST_HEAD(&vm->tdis);
	ccda_vm_live_inc();
	*out = vm;
	return 0;
}
EXPORT_SYMBOL_GPL(ccda_vm_create);

/**
 * ccda_vm_destroy() - free a VM once none of its TDIs is bound
 * @vm: the VM
 *
 * A VM may be destroyed only after every one of its TDIs is unbound (TDX
 * enforces it; the core enforces it everywhere).  The caller ends RUN first
 * with ccda_tdi_event(%CCDA_EVENT_VM_DESTROY) on each TDI.  Unbound TDIs
 * that still exist are detached from the VM.
 *
 * Context: Process context; takes the VM mutex, then each TDI's mutex.
 * Return: 0 (@vm is freed) or -EBUSY (a TDI is not CONFIG_UNLOCKED; @vm is
 * untouched).
 */
int ccda_vm_destroy(struct ccda_vm *vm)
{
	struct ccda_tdi *tdi, *tmp;

	if (!vm)
		return 0;

	scoped_guard(mutex, &ccda_vm_mutex) {
		list_for_each_entry(tdi, &vm->tdis, vm_node) {
			guard(mutex)(&tdi->lock);
			if (tdi->state != CCDA_TDI_CONFIG_UNLOCKED)
				return -EBUSY;
		}
		list_for_each_entry_safe(tdi, tmp, &vm->tdis, vm_node) {
			list_del_init(&tdi->vm_node);
			tdi->vm = NULL;
		}
	}
	ccda_vm_live_dec();
	kfree(vm);
	return 0;
}
EXPORT_SYMBOL_GPL(ccda_vm_destroy);

/* --- the TDI object ----------------------------------------------------- */

static void ccda_tdi_debugfs_add(struct ccda_tdi *tdi);
static int ccda_tdi_unbind_locked(struct ccda_tdi *tdi, struct ccda_diag *diag);

/**
 * ccda_tdi_create() - create the TDI of one assigned function
 * @backend: a registered backend
 * @info: role, id, layout, guest bases, VM and backend data
 * @out: the new TDI, CONFIG_UNLOCKED, holding one reference
 *
 * The backend's module is pinned until the TDI is freed.
 *
 * Context: Process context; may sleep.
 * Return: 0; -EINVAL for a missing argument or an unregistered backend;
 * -ENODEV if the backend's module is going away; -ENOMEM.
 */
int ccda_tdi_create(struct ccda_backend *backend,
		    const struct ccda_tdi_info *info, struct ccda_tdi **out)
{
	struct ccda_tdi *tdi;

	if (!backend || !info || !info->layout || !out ||
	    (info->role != CCDA_TDI_HOST && info->role != CCDA_TDI_GUEST))
		return -EINVAL;

	tdi = kzalloc(sizeof(*tdi), GFP_KERNEL);
	if (!tdi)
		return -ENOMEM;

	scoped_guard(mutex, &ccda_backend_mutex) {
		if (!backend->registered) {
			kfree(tdi);
			return -EINVAL;
		}
		if (!try_module_get(backend->owner)) {
			kfree(tdi);
			return -ENODEV;
		}
		backend->nr_tdis++;
	}

	kref_init(&tdi->kref);
	mutex_init(&tdi->lock);
	INIT_LIST_HEAD(&tdi->vm_node);
	tdi->backend = backend;
	tdi->role = info->role;
	tdi->id = info->id;
	tdi->layout = *info->layout;
	if (info->guest_base) {
		memcpy(tdi->guest_base, info->guest_base,
		       sizeof(tdi->guest_base));
		tdi->has_guest_base = true;
	}
	tdi->priv = info->priv;
	tdi->state = CCDA_TDI_CONFIG_UNLOCKED;
	tdi->last_step = CCDA_STEP_NR;

	if (info->vm) {
		guard(mutex)(&ccda_vm_mutex);
		tdi->vm = info->vm;
		list_add_tail(&tdi->vm_node, &info->vm->tdis);
	}
	ccda_tdi_debugfs_add(tdi);
	ccda_tdi_live_inc();
	*out = tdi;
	return 0;
}
EXPORT_SYMBOL_GPL(ccda_tdi_create);

/**
 * ccda_tdi_get() - take a reference
 * @tdi: the TDI
 *
 * Context: Any context.
 * Return: @tdi.
 */
struct ccda_tdi *ccda_tdi_get(struct ccda_tdi *tdi)
{
	kref_get(&tdi->kref);
	return tdi;
}
EXPORT_SYMBOL_GPL(ccda_tdi_get);

static void ccda_tdi_release_res(struct ccda_tdi *tdi)
{
	bitmap_free(tdi->mapped);
	bitmap_free(tdi->owed);
	tdi->mapped = NULL;
	tdi->owed = NULL;
	ccda_plan_free(tdi->plan);
	tdi->plan = NULL;
	ccda_map_free(tdi->map);
	tdi->map = NULL;
	ccda_report_free(tdi->report);
	tdi->report = NULL;
}

static void ccda_tdi_release(struct kref *kref)
{
	struct ccda_tdi *tdi = container_of(kref, struct ccda_tdi, kref);
	struct ccda_backend *be = tdi->backend;

	scoped_guard(mutex, &ccda_vm_mutex) {
		if (tdi->vm)
			list_del(&tdi->vm_node);
	}
	debugfs_remove(tdi->dbg);
	/*
	 * The last reference of a TDI that is still bound: the owner broke
	 * the rule that it unbinds first.  Tear down so nothing stays mapped.
	 */
	scoped_guard(mutex, &tdi->lock) {
		if (WARN_ON_ONCE(tdi->state != CCDA_TDI_CONFIG_UNLOCKED))
			ccda_tdi_unbind_locked(tdi, NULL);
		ccda_tdi_release_res(tdi);
	}
	mutex_destroy(&tdi->lock);
	scoped_guard(mutex, &ccda_backend_mutex)
		be->nr_tdis--;
	module_put(be->owner);
	ccda_tdi_live_dec();
	kfree(tdi);
}

/**
 * ccda_tdi_put() - drop a reference
 * @tdi: the TDI, or %NULL
 *
 * The last reference frees the TDI.  Its owner unbinds it first; a TDI
 * still bound at that point is torn down (with a WARN).
 *
 * Context: Process context; may sleep.
 */
void ccda_tdi_put(struct ccda_tdi *tdi)
{
	if (tdi)
		kref_put(&tdi->kref, ccda_tdi_release);
}
EXPORT_SYMBOL_GPL(ccda_tdi_put);

/**
 * ccda_tdi_priv() - the backend's data for a TDI
 * @tdi: the TDI
 *
 * Context: Any context.
 * Return: &ccda_tdi_info.priv as given at creation.
 */
void *ccda_tdi_priv(const struct ccda_tdi *tdi)
{
	return tdi->priv;
}
EXPORT_SYMBOL_GPL(ccda_tdi_priv);

/**
 * ccda_tdi_id() - the caller's name for a TDI
 * @tdi: the TDI
 *
 * Context: Any context.
 * Return: &ccda_tdi_info.id as given at creation.
 */
u32 ccda_tdi_id(const struct ccda_tdi *tdi)
{
	return tdi->id;
}
EXPORT_SYMBOL_GPL(ccda_tdi_id);

/**
 * ccda_tdi_role() - host or guest
 * @tdi: the TDI
 *
 * Context: Any context.
 * Return: the role given at creation.
 */
enum ccda_tdi_role ccda_tdi_role(const struct ccda_tdi *tdi)
{
	return tdi->role;
}
EXPORT_SYMBOL_GPL(ccda_tdi_role);

/**
 * ccda_tdi_state() - the TDI's current state
 * @tdi: the TDI
 *
 * Context: Process context; takes the TDI's mutex.
 * Return: the state, which may change as soon as the mutex is dropped.
 */
enum ccda_tdi_state ccda_tdi_state(struct ccda_tdi *tdi)
{
	guard(mutex)(&tdi->lock);
	return tdi->state;
}
EXPORT_SYMBOL_GPL(ccda_tdi_state);

/* --- calling the backend ------------------------------------------------ */

/*
 * Call one step, again while the backend answers -EBUSY or -EAGAIN, at
 * most CCDA_STEP_RETRIES times in all.
 */
#define ccda_call(tdi, step, call, expr)				\
({									\
	struct ccda_tdi *__tdi = (tdi);					\
	int __ret = 0, __try;						\
									\
	lockdep_assert_held(&__tdi->lock);				\
	for (__try = 0; __try < CCDA_STEP_RETRIES; __try++) {		\
		__ret = (expr);						\
		if (__ret != -EBUSY && __ret != -EAGAIN)		\
			break;						\
		cond_resched();						\
	}								\
	ccda_trace_step(__tdi, step, call, __ret);			\
	__ret;								\
})

static void ccda_trace_step(struct ccda_tdi *tdi, enum ccda_step step,
			    const struct ccda_plan_call *call, int ret)
{
	tdi->last_step = step;
	tdi->last_ret = ret;
	trace_ccda_tdi_step(tdi->id, ccda_step_names[step],
			    call ? call->addr : 0, call ? call->size : 0, ret);
}

/* A firmware fault in teardown: the one place the core logs an error */
static void ccda_step_failed(struct ccda_tdi *tdi, enum ccda_step step,
			     int ret, int *first, struct ccda_diag *diag,
			     const char *reason)
{
	pr_err("tdi %#x: %s %s failed: %d\n", tdi->id, tdi->backend->name,
	       ccda_step_names[step], ret);
	if (!*first)
		*first = ret;
	ccda_diag_set(diag, reason);
}

static int ccda_translate(void *ctx, unsigned int bar, u64 pa, u64 len,
			  u64 *offset)
{
	struct ccda_tdi *tdi = ctx;

	return tdi->backend->ops->translate(tdi, bar, pa, len, offset);
}

/* --- teardown ------------------------------------------------------------ */

/* Revoke every established call, in order, then one flush. */
static void ccda_revoke_pass(struct ccda_tdi *tdi, int *first,
			     struct ccda_diag *diag)
{
	const struct ccda_backend_ops *ops = tdi->backend->ops;
	unsigned int i;
	bool any = false;
	int ret;

	if (!tdi->plan)
		return;
	for_each_set_bit(i, tdi->mapped, tdi->plan->nr_calls) {
		const struct ccda_plan_call *c = &tdi->plan->calls[i];

		any = true;
		ret = ccda_call(tdi, CCDA_STEP_REVOKE, c, ops->revoke(tdi, c));
		if (ret)
			ccda_step_failed(tdi, CCDA_STEP_REVOKE, ret, first,
					 diag, "revoking private MMIO failed");
		else
			__clear_bit(i, tdi->mapped);
	}
	if (!ops->flush || (!any && !tdi->flush_owed))
		return;
	tdi->flush_owed = true;
	ret = ccda_call(tdi, CCDA_STEP_FLUSH, NULL, ops->flush(tdi));
	if (ret)
		ccda_step_failed(tdi, CCDA_STEP_FLUSH, ret, first, diag,
				 "flushing revoked MMIO failed");
	else
		tdi->flush_owed = false;
}

/* A block is mapped, or revoked but not flushed yet */
static bool ccda_any_mapped(struct ccda_tdi *tdi)
{
	return tdi->flush_owed ||
	       (tdi->plan && !bitmap_empty(tdi->mapped, tdi->plan->nr_calls));
}

static void ccda_return_pages(struct ccda_tdi *tdi, int *first,
			      struct ccda_diag *diag)
{
	const struct ccda_backend_ops *ops = tdi->backend->ops;
	unsigned int i;
	int ret;

	if (!tdi->plan)
		return;
	if (!ops->return_pages) {
		bitmap_zero(tdi->owed, tdi->plan->nr_calls);
		return;
	}
	for_each_set_bit(i, tdi->owed, tdi->plan->nr_calls) {
		const struct ccda_plan_call *c = &tdi->plan->calls[i];

		ret = ccda_call(tdi, CCDA_STEP_RETURN_PAGES, c,
				ops->return_pages(tdi, c));
		if (ret)
			ccda_step_failed(tdi, CCDA_STEP_RETURN_PAGES, ret,
					 first, diag,
					 "returning MMIO pages to the host failed");
		else
			__clear_bit(i, tdi->owed);
	}
}

static void ccda_restore_shared(struct ccda_tdi *tdi, int *first,
				struct ccda_diag *diag)
{
	const struct ccda_backend_ops *ops = tdi->backend->ops;
	int ret;

	if (!tdi->shared_changed || ccda_any_mapped(tdi))
		return;
	if (ops->restore_shared) {
		ret = ccda_call(tdi, CCDA_STEP_RESTORE_SHARED, NULL,
				ops->restore_shared(tdi));
		if (ret) {
			ccda_step_failed(tdi, CCDA_STEP_RESTORE_SHARED, ret,
					 first, diag,
					 "restoring the shared MMIO view failed");
			return;
		}
	}
	tdi->shared_changed = false;
}

/* Something of an accept is still to be undone */
static bool ccda_tdi_owes_mmio(struct ccda_tdi *tdi)
{
	return tdi->dma_on || tdi->shared_changed || ccda_any_mapped(tdi) ||
	       (tdi->plan && !bitmap_empty(tdi->owed, tdi->plan->nr_calls));
}

/* Something of a bind or an accept is still to be undone */
static bool ccda_tdi_owes(struct ccda_tdi *tdi)
{
	return tdi->fw_locked || tdi->needs_stop || ccda_tdi_owes_mmio(tdi);
}

/* Steps 3-6 of the teardown, on a stopped TDI */
static void ccda_teardown_mmio(struct ccda_tdi *tdi, int *first,
			       struct ccda_diag *diag)
{
	const struct ccda_backend_ops *ops = tdi->backend->ops;
	int ret;

	/* 3. revoke every block, one flush; one more pass for failures */
	ccda_revoke_pass(tdi, first, diag);
	if (ccda_any_mapped(tdi))
		ccda_revoke_pass(tdi, first, diag);
	if (ccda_any_mapped(tdi))
		return;

	/* 4. reclaim: the firmware needs zero mapped pages */
	if (tdi->fw_locked) {
		ret = ops->reclaim ? ccda_call(tdi, CCDA_STEP_RECLAIM, NULL,
					       ops->reclaim(tdi)) : 0;
		if (ret)
			ccda_step_failed(tdi, CCDA_STEP_RECLAIM, ret, first,
					 diag, "reclaiming the TDI failed");
		else
			tdi->fw_locked = false;
	}

	/* 5. return the pages, only once the TDI is reclaimed */
	if (!tdi->fw_locked)
		ccda_return_pages(tdi, first, diag);

	/* 6. restore the shared view */
	ccda_restore_shared(tdi, first, diag);
}

/*
 * The canonical teardown (see the DOC above).  Runs only what is owed, so
 * a second call after a complete one calls nothing.
 */
static int ccda_teardown(struct ccda_tdi *tdi, struct ccda_diag *diag)
{
	const struct ccda_backend_ops *ops = tdi->backend->ops;
	int first = 0, ret;

	lockdep_assert_held(&tdi->lock);

	/* 1. stop */
	if (tdi->needs_stop) {
		ret = ccda_call(tdi, CCDA_STEP_STOP, NULL, ops->stop(tdi));
		if (ret)
			ccda_step_failed(tdi, CCDA_STEP_STOP, ret, &first, diag,
					 "stopping the TDI failed");
		else
			tdi->needs_stop = false;
	}

	/* 2. disable trusted DMA */
	if (tdi->dma_on) {
		ret = ccda_call(tdi, CCDA_STEP_DISABLE_DMA, NULL,
				ops->disable_dma(tdi));
		if (ret)
			ccda_step_failed(tdi, CCDA_STEP_DISABLE_DMA, ret, &first,
					 diag, "disabling trusted DMA failed");
		else
			tdi->dma_on = false;
	}

	/*
	 * 3-6 need a stopped TDI (TDX unmaps only then, SEV-TIO reclaims
	 * only then): if STOP failed they wait for the next unbind.
	 */
	if (!tdi->needs_stop)
		ccda_teardown_mmio(tdi, &first, diag);

	if (ccda_tdi_owes(tdi)) {
		if (!first)
			first = -EIO;
		ccda_diag_set(diag, "teardown incomplete: the TDI stays in ERROR");
		if (tdi->state != CCDA_TDI_ERROR)
			ccda_tdi_set_state(tdi, CCDA_TDI_ERROR);
		return first;
	}

	/*
	 * 7. nothing is mapped or owed: only now may BME/MSE clear.  A step
	 * that failed and then succeeded on its second pass is not an error
	 * (its reason stays in @diag).
	 */
	ccda_tdi_release_res(tdi);
	return ccda_tdi_set_state(tdi, CCDA_TDI_CONFIG_UNLOCKED);
}

/*
 * Undo a failed accept: what succeeded, in reverse.  The TDI stays locked
 * in firmware (bind is undone only by unbind) and CONFIG_LOCKED.
 */
static void ccda_accept_undo(struct ccda_tdi *tdi)
{
	const struct ccda_backend_ops *ops = tdi->backend->ops;
	int first = 0;

	lockdep_assert_held(&tdi->lock);

	if (tdi->dma_on && !ccda_call(tdi, CCDA_STEP_DISABLE_DMA, NULL,
				      ops->disable_dma(tdi)))
		tdi->dma_on = false;
	ccda_revoke_pass(tdi, &first, NULL);
	if (ccda_any_mapped(tdi))
		ccda_revoke_pass(tdi, &first, NULL);
	if (!ccda_any_mapped(tdi))
		ccda_return_pages(tdi, &first, NULL);
	ccda_restore_shared(tdi, &first, NULL);
	if (ccda_tdi_owes_mmio(tdi)) {
		/* the firmware refused to undo: unbind must finish it */
		ccda_tdi_set_state(tdi, CCDA_TDI_ERROR);
		return;
	}
	ccda_tdi_release_res(tdi);
}

/* --- bind, accept, unbind ------------------------------------------------ */

/**
 * ccda_tdi_bind() - lock the TDI (CONFIG_UNLOCKED -> CONFIG_LOCKED)
 * @tdi: the TDI
 * @diag: why it was refused, may be %NULL
 *
 * Calls &ccda_backend_ops.lock.  The report is attested outside the core,
 * between this and ccda_tdi_accept().
 *
 * Context: Process context; may sleep; takes the TDI's mutex.
 * Return: 0; -EBUSY if the TDI is not CONFIG_UNLOCKED or a driver is bound;
 * the backend's error if the lock failed (the TDI stays CONFIG_UNLOCKED).
 */
int ccda_tdi_bind(struct ccda_tdi *tdi, struct ccda_diag *diag)
{
	int ret;

	guard(mutex)(&tdi->lock);
	if (tdi->state != CCDA_TDI_CONFIG_UNLOCKED)
		return ccda_refuse(diag, -EBUSY, "bind: TDI is not CONFIG_UNLOCKED");
	if (tdi->driver_bound)
		return ccda_refuse(diag, -EBUSY, "bind: a driver is bound");

	ret = ccda_call(tdi, CCDA_STEP_LOCK, NULL,
			tdi->backend->ops->lock(tdi));
	if (ret)
		return ccda_refuse(diag, ret, "bind: the backend failed to lock the TDI");
	tdi->fw_locked = true;
	tdi->needs_stop = true;
	tdi->ras_armed = false;
	return ccda_tdi_set_state(tdi, CCDA_TDI_CONFIG_LOCKED);
}
EXPORT_SYMBOL_GPL(ccda_tdi_bind);

/* Fetch, parse, map and plan; nothing is published on failure */
static int ccda_accept_prepare(struct ccda_tdi *tdi, struct ccda_diag *diag)
{
	const struct ccda_backend *be = tdi->backend;
	struct ccda_map_params params = {
		.page_size = PAGE_SIZE,
		.mode = be->offset_mode,
		.translate = ccda_translate,
		.ctx = tdi,
	};
	size_t len = 0;
	int ret;

	void *buf __free(kvfree) = kvzalloc(CCDA_FETCH_MAX, GFP_KERNEL);
	if (!buf)
		return -ENOMEM;
	ret = ccda_call(tdi, CCDA_STEP_FETCH_REPORT, NULL,
			be->ops->fetch_report(tdi, buf, CCDA_FETCH_MAX, &len));
	if (ret)
		return ccda_refuse(diag, ret, "accept: fetching the report failed");
	if (len > CCDA_FETCH_MAX)
		return ccda_refuse(diag, -EIO, "accept: the backend overran the report buffer");

	struct ccda_report *report __free(ccda_report) = NULL;
	ret = ccda_report_parse(buf, len, &report, diag);
	if (ret)
		return ret;

	struct ccda_map *map __free(ccda_map) = NULL;
	ret = ccda_map_build(&tdi->layout, report, &params, &map, diag);
	if (ret)
		return ret;

	struct ccda_plan *plan __free(ccda_plan) = NULL;
	ret = ccda_plan_build(map, tdi->has_guest_base ? tdi->guest_base : NULL,
			      be->block_sizes, &plan, diag);
	if (ret)
		return ret;

	unsigned long *mapped __free(bitmap) = bitmap_zalloc(plan->nr_calls,
							     GFP_KERNEL);
	unsigned long *owed __free(bitmap) = bitmap_zalloc(plan->nr_calls,
							   GFP_KERNEL);
	if (!mapped || !owed)
		return -ENOMEM;

	tdi->report = no_free_ptr(report);
	tdi->map = no_free_ptr(map);
	tdi->plan = no_free_ptr(plan);
	tdi->mapped = no_free_ptr(mapped);
	tdi->owed = no_free_ptr(owed);
	return 0;
}

/* Establish every call, enable DMA, start: the steps that can be undone */
static int ccda_accept_run(struct ccda_tdi *tdi, struct ccda_diag *diag)
{
	const struct ccda_backend_ops *ops = tdi->backend->ops;
	unsigned int i;
	int ret;

	for (i = 0; i < tdi->plan->nr_calls; i++) {
		const struct ccda_plan_call *c = &tdi->plan->calls[i];

		ret = ccda_call(tdi, CCDA_STEP_ESTABLISH, c,
				ops->establish(tdi, c));
		if (ret) {
			ccda_refuse(diag, ret, "accept: establishing private MMIO failed");
			if (diag)
				diag->index = i;
			return ret;
		}
		__set_bit(i, tdi->mapped);
		__set_bit(i, tdi->owed);
		tdi->shared_changed = true;
	}

	if (ops->enable_dma) {
		ret = ccda_call(tdi, CCDA_STEP_ENABLE_DMA, NULL,
				ops->enable_dma(tdi));
		if (ret)
			return ccda_refuse(diag, ret, "accept: enabling trusted DMA failed");
		tdi->dma_on = true;
	}

	ret = ccda_call(tdi, CCDA_STEP_START, NULL, ops->start(tdi));
	if (ret)
		return ccda_refuse(diag, ret, "accept: starting the TDI failed");
	return 0;
}

/**
 * ccda_tdi_accept() - accept a locked TDI and start it (-> RUN)
 * @tdi: the TDI, CONFIG_LOCKED
 * @digest: the measurement digest the attester verified, kept for the RAS
 *	path (ccda_tdi_recover()); may be %NULL when @len is 0
 * @len: bytes in @digest, at most %CCDA_DIGEST_MAX
 * @diag: why it failed, may be %NULL
 *
 * Fetches and parses the report, builds and publishes the secure MMIO map
 * and the plan, establishes every planned call, enables trusted DMA and
 * starts the TDI.  A failure undoes exactly what succeeded, in reverse; the
 * TDI stays CONFIG_LOCKED and may be accepted again or unbound.
 *
 * Context: Process context; may sleep; takes the TDI's mutex.
 * Return: 0; -EBUSY if the TDI is not CONFIG_LOCKED or a driver is bound;
 * -EINVAL for a digest longer than %CCDA_DIGEST_MAX; the parser's, map
 * builder's or planner's error for a bad report; the backend's error.
 */
int ccda_tdi_accept(struct ccda_tdi *tdi, const u8 *digest, size_t len,
		    struct ccda_diag *diag)
{
	int ret;

	if (len > CCDA_DIGEST_MAX || (len && !digest))
		return ccda_refuse(diag, -EINVAL, "accept: bad digest");

	guard(mutex)(&tdi->lock);
	if (tdi->state != CCDA_TDI_CONFIG_LOCKED)
		return ccda_refuse(diag, -EBUSY, "accept: TDI is not CONFIG_LOCKED");
	if (tdi->driver_bound)
		return ccda_refuse(diag, -EBUSY, "accept: a driver is bound");

	ret = ccda_accept_prepare(tdi, diag);
	if (ret)
		return ret;

	ret = ccda_accept_run(tdi, diag);
	if (ret) {
		ccda_accept_undo(tdi);
		return ret;
	}

	if (len)
		memcpy(tdi->digest, digest, len);
	tdi->digest_len = len;
	return ccda_tdi_set_state(tdi, CCDA_TDI_RUN);
}
EXPORT_SYMBOL_GPL(ccda_tdi_accept);

static int ccda_tdi_unbind_locked(struct ccda_tdi *tdi, struct ccda_diag *diag)
{
	lockdep_assert_held(&tdi->lock);

	if (tdi->state == CCDA_TDI_CONFIG_UNLOCKED)
		return 0;
	return ccda_teardown(tdi, diag);
}

/**
 * ccda_tdi_unbind() - tear the TDI down (-> CONFIG_UNLOCKED)
 * @tdi: the TDI
 * @diag: the first failure's reason, may be %NULL
 *
 * Runs the canonical teardown (see "TDI state, backends and the lifecycle")
 * from CONFIG_LOCKED, RUN or ERROR.  Idempotent: on a CONFIG_UNLOCKED TDI it
 * calls nothing and returns 0; after an incomplete teardown it runs only
 * what is still owed.
 *
 * Context: Process context; may sleep; takes the TDI's mutex.
 * Return: 0; -EBUSY if a driver is bound; else the first step's error, the
 * TDI in ERROR when something is still owed.
 */
int ccda_tdi_unbind(struct ccda_tdi *tdi, struct ccda_diag *diag)
{
	guard(mutex)(&tdi->lock);
	if (tdi->driver_bound && tdi->state != CCDA_TDI_CONFIG_UNLOCKED)
		return ccda_refuse(diag, -EBUSY, "unbind: a driver is bound");
	return ccda_tdi_unbind_locked(tdi, diag);
}
EXPORT_SYMBOL_GPL(ccda_tdi_unbind);

/* --- drivers and policy -------------------------------------------------- */

static bool ccda_tdi_may_probe_locked(struct ccda_tdi *tdi)
{
	lockdep_assert_held(&tdi->lock);

	if (tdi->role == CCDA_TDI_GUEST)
		return tdi->state == CCDA_TDI_RUN;
	return tdi->state == CCDA_TDI_CONFIG_UNLOCKED;
}

/**
 * ccda_tdi_may_probe() - may a driver be bound to the function now?
 * @tdi: the TDI
 *
 * A T=1-capable device is not auto-probed before it is accepted: in the
 * guest a driver may bind only in RUN.  On the host, a kernel driver may
 * bind only while the TDI is CONFIG_UNLOCKED (the assigned function
 * belongs to the VM from bind to unbind).
 *
 * Context: Process context; takes the TDI's mutex.
 * Return: true if a driver may probe.
 */
bool ccda_tdi_may_probe(struct ccda_tdi *tdi)
{
	guard(mutex)(&tdi->lock);
	return ccda_tdi_may_probe_locked(tdi);
}
EXPORT_SYMBOL_GPL(ccda_tdi_may_probe);

/**
 * ccda_tdi_driver_bound() - a driver is binding to the function
 * @tdi: the TDI
 *
 * Context: Process context; takes the TDI's mutex.
 * Return: 0; -EBUSY if ccda_tdi_may_probe() says no or a driver is bound.
 */
int ccda_tdi_driver_bound(struct ccda_tdi *tdi)
{
	guard(mutex)(&tdi->lock);
	if (tdi->driver_bound || !ccda_tdi_may_probe_locked(tdi))
		return -EBUSY;
	tdi->driver_bound = true;
	return 0;
}
EXPORT_SYMBOL_GPL(ccda_tdi_driver_bound);

/**
 * ccda_tdi_driver_unbound() - the function's driver went away
 * @tdi: the TDI
 *
 * Only the binding is recorded: a guest driver unbind leaves the TDI in
 * RUN, and on the host RUN ends only with ccda_tdi_event().
 *
 * Context: Process context; takes the TDI's mutex.
 */
void ccda_tdi_driver_unbound(struct ccda_tdi *tdi)
{
	guard(mutex)(&tdi->lock);
	tdi->driver_bound = false;
}
EXPORT_SYMBOL_GPL(ccda_tdi_driver_unbound);

static int ccda_tdi_error_locked(struct ccda_tdi *tdi)
{
	lockdep_assert_held(&tdi->lock);

	if (tdi->state == CCDA_TDI_ERROR)
		return 0;
	tdi->ras_armed = tdi->state == CCDA_TDI_RUN && tdi->digest_len;
	return ccda_tdi_set_state(tdi, CCDA_TDI_ERROR);
}

/**
 * ccda_tdi_error() - the device reported the TDI in ERROR
 * @tdi: the TDI
 *
 * Moves the TDI to ERROR (from any state); the owner then unbinds it.  A
 * TDI that was in RUN with a recorded digest may afterwards be recovered
 * with ccda_tdi_recover().
 *
 * Context: Process context; takes the TDI's mutex.
 * Return: 0.
 */
int ccda_tdi_error(struct ccda_tdi *tdi)
{
	guard(mutex)(&tdi->lock);
	return ccda_tdi_error_locked(tdi);
}
EXPORT_SYMBOL_GPL(ccda_tdi_error);

/**
 * ccda_tdi_event() - an event that must not reach a bound TDI
 * @tdi: the TDI
 * @event: FLR, D3hot, bus reset or MSE clear; or, host role only, VM
 *	destroy, virtual-device destroy or VFIO close (which end RUN)
 * @diag: why it failed, may be %NULL
 *
 * Unbinds the TDI first (the driver binding is dropped: the event takes
 * the function away from it); only when this returns 0 may the event
 * proceed.  There is no automatic rebind.
 *
 * Context: Process context; may sleep; takes the TDI's mutex.
 * Return: 0 (the event may proceed); -EINVAL for an unknown event or a
 * host event on a guest TDI; the teardown's error (the event must not
 * proceed).
 */
int ccda_tdi_event(struct ccda_tdi *tdi, enum ccda_tdi_event event,
		   struct ccda_diag *diag)
{
	switch (event) {
	case CCDA_EVENT_FLR:
	case CCDA_EVENT_D3HOT:
	case CCDA_EVENT_BUS_RESET:
	case CCDA_EVENT_MSE_CLEAR:
		break;
	case CCDA_EVENT_VM_DESTROY:
	case CCDA_EVENT_VDEV_DESTROY:
	case CCDA_EVENT_VFIO_CLOSE:
		if (tdi->role != CCDA_TDI_HOST)
			return ccda_refuse(diag, -EINVAL, "event: host-only event on a guest TDI");
		break;
	default:
		return ccda_refuse(diag, -EINVAL, "event: unknown event");
	}

	guard(mutex)(&tdi->lock);
	tdi->driver_bound = false;
	return ccda_tdi_unbind_locked(tdi, diag);
}
EXPORT_SYMBOL_GPL(ccda_tdi_event);

/**
 * ccda_tdi_recover() - RAS: relock and re-accept after ERROR and a reset
 * @tdi: the TDI, unbound after an ERROR that hit it in RUN
 * @digest: the measurement digest of the device after the reset
 * @len: bytes in @digest
 * @diag: why it did not recover, may be %NULL
 *
 * Binds and accepts again only if @digest equals the digest accepted
 * before; otherwise the TDI stays CONFIG_UNLOCKED and the caller is told.
 *
 * Context: Process context; may sleep; takes the TDI's mutex.
 * Return: 0 (the TDI is in RUN again); -EBUSY if the TDI is not
 * CONFIG_UNLOCKED (unbind it first); -EINVAL if it did not fail from RUN;
 * -EACCES if the measurement changed; the bind's or accept's error.
 */
int ccda_tdi_recover(struct ccda_tdi *tdi, const u8 *digest, size_t len,
		     struct ccda_diag *diag)
{
	u8 saved[CCDA_DIGEST_MAX];
	int ret;

	scoped_guard(mutex, &tdi->lock) {
		if (tdi->state != CCDA_TDI_CONFIG_UNLOCKED)
			return ccda_refuse(diag, -EBUSY, "recover: unbind the TDI first");
		if (!tdi->ras_armed)
			return ccda_refuse(diag, -EINVAL, "recover: the TDI did not fail from RUN");
		if (!digest || len != tdi->digest_len ||
		    memcmp(digest, tdi->digest, len)) {
			tdi->ras_armed = false;
			return ccda_refuse(diag, -EACCES,
					   "recover: measurement changed: TDI stays CONFIG_UNLOCKED");
		}
		memcpy(saved, tdi->digest, len);
	}

	ret = ccda_tdi_bind(tdi, diag);
	if (ret)
		return ret;
	ret = ccda_tdi_accept(tdi, saved, len, diag);
	if (ret)
		ccda_tdi_unbind(tdi, NULL);
	return ret;
}
EXPORT_SYMBOL_GPL(ccda_tdi_recover);

/* Does [@offset, @offset + @size) cover byte @reg? */
static bool ccda_cfg_covers(unsigned int offset, unsigned int size,
			    unsigned int reg)
{
	return offset <= reg && reg < offset + size;
}

/**
 * ccda_tdi_config_write() - filter a config-space write to a TDI's function
 * @tdi: the TDI
 * @offset: config-space offset of the write
 * @size: 1, 2 or 4 bytes
 * @value: the value written, right-aligned
 * @block: drop a harmful write instead of letting it through
 * @diag: why a write was reported, may be %NULL
 *
 * While the TDI is CONFIG_LOCKED or RUN, clearing Memory Space Enable or
 * Bus Master Enable sends it to ERROR (PCIe r6.2 11.2.6), and so does a
 * write to a BAR, which TDISP locks.  The writes that do it in practice are
 * read-modify-writes of the command register, the decode-disable and
 * all-ones writes of a (64-bit) BAR sizing sequence and the INTx-disable
 * test when the command value it writes back lacks MSE or BME.  Such a
 * write is reported: dropped when @block is set, else let through with the
 * TDI moved to ERROR.  On the host this means BME/MSE may be cleared only
 * after RUN has ended (ccda_tdi_event()).
 *
 * Context: Process context; takes the TDI's mutex.
 * Return: the verdict.
 */
enum ccda_cfg_verdict ccda_tdi_config_write(struct ccda_tdi *tdi,
					    unsigned int offset,
					    unsigned int size, u32 value,
					    bool block,
					    struct ccda_diag *diag)
{
	const u16 need = PCI_COMMAND_MEMORY | PCI_COMMAND_MASTER;
	const char *why = NULL;

	guard(mutex)(&tdi->lock);
	if (tdi->state != CCDA_TDI_CONFIG_LOCKED &&
	    tdi->state != CCDA_TDI_RUN)
		return CCDA_CFG_ALLOW;

	if ((size != 1 && size != 2 && size != 4) || (offset & (size - 1))) {
		why = "malformed config write to a locked TDI";
	} else if (ccda_cfg_covers(offset, size, PCI_COMMAND)) {
		/*
		 * Aligned, so the write starts at the command register: MSE
		 * and BME are bits 1 and 2 of @value.
		 */
		if ((value & need) != need)
			why = "config write clears MSE or BME of a locked TDI";
	} else if (offset + size > PCI_BASE_ADDRESS_0 &&
		   offset <= PCI_BASE_ADDRESS_5 + 3) {
		why = "config write to a BAR of a locked TDI";
	}
	if (!why)
		return CCDA_CFG_ALLOW;

	ccda_diag_set(diag, why);
	if (block)
		return CCDA_CFG_BLOCKED;
	ccda_tdi_error_locked(tdi);
	return CCDA_CFG_ERRORED;
}
EXPORT_SYMBOL_GPL(ccda_tdi_config_write);

/* --- debugfs and the dump ------------------------------------------------- */

static const char * const ccda_seg_names[] = {
	[CCDA_SEG_UNREPORTED] = "unreported",
	[CCDA_SEG_PRIVATE] = "private",
	[CCDA_SEG_SHARED] = "shared",
	[CCDA_SEG_MSIX_TABLE] = "msix-table",
	[CCDA_SEG_MSIX_PBA] = "msix-pba",
};

/**
 * ccda_tdi_dump() - describe a TDI: state, published map and plan
 * @tdi: the TDI
 * @line: called once per line with a printf format
 * @ctx: passed to @line
 *
 * Context: Process context; takes the TDI's mutex.
 */
void ccda_tdi_dump(struct ccda_tdi *tdi,
		   void (*line)(void *ctx, const char *fmt, ...) __printf(2, 3),
		   void *ctx)
{
	const struct ccda_map *map;
	const struct ccda_plan *plan;
	unsigned int b, i;

	guard(mutex)(&tdi->lock);
	map = tdi->map;
	plan = tdi->plan;
	line(ctx, "tdi %#x %s backend %s state %s driver %s\n", tdi->id,
	     tdi->role == CCDA_TDI_HOST ? "host" : "guest", tdi->backend->name,
	     ccda_state_names[tdi->state],
	     tdi->driver_bound ? "bound" : "none");
	if (tdi->last_step < CCDA_STEP_NR)
		line(ctx, "last backend step: %s, returned %d\n",
		     ccda_step_names[tdi->last_step], tdi->last_ret);
	if (!map) {
		line(ctx, "map: none published\n");
		return;
	}
	line(ctx, "map: %u segments, page size %u\n", map->nr_segs,
	     map->page_size);
	for (b = 0; b < CCDA_NR_BARS; b++) {
		const struct ccda_map_bar *mb = &map->bars[b];

		if (!mb->size)
			continue;
		line(ctx, "  BAR%u %#llx size %#llx\n", b, mb->start, mb->size);
		for (i = 0; i < mb->nr_segs; i++) {
			const struct ccda_segment *sg = &mb->segs[i];

			if (sg->kind == CCDA_SEG_PRIVATE)
				line(ctx, "    [%#010llx, %#010llx) %-10s pa %#llx\n",
				     sg->offset, sg->offset + sg->size,
				     ccda_seg_names[sg->kind], sg->pa);
			else
				line(ctx, "    [%#010llx, %#010llx) %s\n",
				     sg->offset, sg->offset + sg->size,
				     ccda_seg_names[sg->kind]);
		}
	}
	line(ctx, "plan: %u calls, block sizes %#llx%s\n", plan->nr_calls,
	     plan->block_sizes,
	     plan->block_sizes == CCDA_PLAN_RANGES ? " (ranges)" : "");
	for (i = 0; i < plan->nr_calls; i++) {
		const struct ccda_plan_call *c = &plan->calls[i];

		line(ctx, "  call %u: BAR%u addr %#llx pa %#llx size %#llx %s\n",
		     i, c->bar, c->addr, c->pa, c->size,
		     test_bit(i, tdi->mapped) ? "mapped" : "-");
	}
}

static __printf(2, 3) void ccda_seq_line(void *ctx, const char *fmt, ...)
{
	va_list args;

	va_start(args, fmt);
	seq_vprintf(ctx, fmt, args);
	va_end(args);
}

static int ccda_tdi_show(struct seq_file *m, void *unused)
{
	ccda_tdi_dump(m->private, ccda_seq_line, m);
	return 0;
}
DEFINE_SHOW_ATTRIBUTE(ccda_tdi);

static struct dentry *ccda_debugfs;
static atomic_t ccda_debugfs_seq = ATOMIC_INIT(0);

static void ccda_tdi_debugfs_add(struct ccda_tdi *tdi)
{
	char name[32];

	/* ids need not be unique: a sequence number keeps the names apart */
	snprintf(name, sizeof(name), "tdi-%x.%u", tdi->id,
		 (unsigned int)atomic_inc_return(&ccda_debugfs_seq));
	tdi->dbg = debugfs_create_file(name, 0400, ccda_debugfs, tdi,
				       &ccda_tdi_fops);
}

static int __init ccda_init(void)
{
	ccda_debugfs = debugfs_create_dir("ccda", NULL);
	return 0;
}

static void __exit ccda_exit(void)
{
	debugfs_remove_recursive(ccda_debugfs);
}

module_init(ccda_init);
module_exit(ccda_exit);
