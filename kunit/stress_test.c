// SPDX-License-Identifier: GPL-2.0-only
/*
 * A randomised stress of the TDI lifecycle (core/tdi.c) against the
 * recording test backend: 32 host TDIs in 4 VMs (TDI i belongs to VM
 * i / 8), 4 kthreads of 20000 random operations each (bind, accept,
 * unbind, driver bound / unbound, config writes, device and host events,
 * ccda_tdi_error(), ccda_tdi_recover(), ccda_vm_destroy() and fault
 * injection with tb_fail()).  In st_storm_shared every thread picks any
 * TDI, so the same TDI is raced; in st_storm_owned thread t owns the TDIs
 * i with i % 4 == t, and only VM destroys race with its operations.
 *
 * After every operation the caller's view is checked, with no lock
 * assumption the API does not give:
 *
 * - the return code is one the operation documents, the state one of four;
 * - RUN is never followed by CONFIG_LOCKED unless an unbind, an event, an
 *   ERROR or a recovery ran in between (per-TDI counters of such "leave"
 *   operations started and finished, and a small history lock of the
 *   test's own, order the observations);
 * - a successful unbind leaves the firmware model clean unless a bind,
 *   accept or recovery may have run since;
 * - ccda_vm_destroy() returns -EBUSY exactly while one of the VM's TDIs is
 *   bound (checked with the VM's operations held off by a test rwsem).
 *
 * At the end every TDI unbinds (a second unbind calls no backend step),
 * the model is clean, and no TDI, VM, report, map or plan is left.  The
 * seed is logged; ccda_stress_test.seed=<seed> replays each thread's
 * operation sequence (the interleaving differs from run to run).
 * st_oracle tests the RUN history check itself.
 */

#include <kunit/test.h>
#include <linux/completion.h>
#include <linux/kthread.h>
#include <linux/ktime.h>
#include <linux/module.h>
#include <linux/mutex.h>
#include <linux/pci_regs.h>
#include <linux/prandom.h>
#include <linux/random.h>
#include <linux/rwsem.h>
#include <linux/sizes.h>
#include <linux/slab.h>
#include <linux/spinlock.h>
#include <linux/sprintf.h>
#include <linux/string.h>

#include "ccda.h"
#include "test_backend.h"

#define ST_HOST_BLOCKS		((u64)SZ_4K | SZ_2M)
/* The host plan of the sample device has four calls (two 2M, two 4K) */
#define ST_HOST_CALLS		4
#define ST_NR_TDIS		32
#define ST_NR_VMS		4
#define ST_TDIS_PER_VM		(ST_NR_TDIS / ST_NR_VMS)
#define ST_NR_THREADS		4
#define ST_OPS			20000
#define ST_DIGEST_LEN		48
#define ST_TRACE		16
#define ST_MAX_REPORTS		8
#define ST_MSG			1024

static unsigned int st_seed;
module_param_named(seed, st_seed, uint, 0444);
MODULE_PARM_DESC(seed, "Seed for the ccda_stress suite (0: pick one)");

enum st_op {
	ST_OP_BIND,
	ST_OP_ACCEPT,
	ST_OP_UNBIND,
	ST_OP_DRV_BOUND,
	ST_OP_DRV_UNBOUND,
	ST_OP_CFG,
	ST_OP_DEV_EVENT,
	ST_OP_HOST_EVENT,
	ST_OP_ERROR,
	ST_OP_RECOVER,
	ST_OP_VM_DESTROY,
	ST_OP_FAULT,
	ST_OP_NR,
};

static const char * const st_op_names[] = {
	[ST_OP_BIND] = "bind",
	[ST_OP_ACCEPT] = "accept",
	[ST_OP_UNBIND] = "unbind",
	[ST_OP_DRV_BOUND] = "driver_bound",
	[ST_OP_DRV_UNBOUND] = "driver_unbound",
	[ST_OP_CFG] = "config_write",
	[ST_OP_DEV_EVENT] = "device_event",
	[ST_OP_HOST_EVENT] = "host_event",
	[ST_OP_ERROR] = "error",
	[ST_OP_RECOVER] = "recover",
	[ST_OP_VM_DESTROY] = "vm_destroy",
	[ST_OP_FAULT] = "fault",
};

static_assert(ARRAY_SIZE(st_op_names) == ST_OP_NR);

/* How often each operation is drawn, out of the sum */
static const u8 st_op_weight[] = {
	[ST_OP_BIND] = 6,
	[ST_OP_ACCEPT] = 6,
	[ST_OP_UNBIND] = 4,
	[ST_OP_DRV_BOUND] = 2,
	[ST_OP_DRV_UNBOUND] = 2,
	[ST_OP_CFG] = 3,
	[ST_OP_DEV_EVENT] = 1,
	[ST_OP_HOST_EVENT] = 1,
	[ST_OP_ERROR] = 2,
	[ST_OP_RECOVER] = 3,
	[ST_OP_VM_DESTROY] = 1,
	[ST_OP_FAULT] = 3,
};

static_assert(ARRAY_SIZE(st_op_weight) == ST_OP_NR);

/**
 * struct st_vm - one VM and the test's locks around it
 * @vm: the VM, freed once @gone
 * @gate: held for read by every TDI operation on the VM's TDIs, for write
 *	by a VM destroy that checks its result exactly
 * @destroy_lock: serialises destroy attempts, so @vm is never used freed
 * @gone: @vm was destroyed (under @destroy_lock)
 */
struct st_vm {
	struct ccda_vm *vm;
	struct rw_semaphore gate;
	/* serialises destroy attempts: @vm is never used after it is freed */
	struct mutex destroy_lock;
	bool gone;
};

/**
 * struct st_tdi - one TDI and the test's history of it
 * @tdi: the TDI
 * @tb: its firmware model
 * @vm: its VM
 * @digest: the digest every digest-carrying accept records
 * @leave_started: unbinds, events, errors, ERRORED writes and recoveries
 *	started (incremented before the call)
 * @leave_done: the same, finished (incremented after the call)
 * @build_started: binds, accepts and recoveries started
 * @build_done: the same, finished
 * @hist_lock: protects @run_seen and @run_done
 * @run_seen: RUN was observed
 * @run_done: the largest @leave_done read before a RUN observation
 * @fault_lock: serialises arming a fault with counting the last one
 * @fault_armed: a fault is armed (under @fault_lock)
 */
struct st_tdi {
	struct ccda_tdi *tdi;
	struct tb_tdi *tb;
	struct st_vm *vm;
	u8 digest[ST_DIGEST_LEN];
	atomic_t leave_started;
	atomic_t leave_done;
	atomic_t build_started;
	atomic_t build_done;
	/* the RUN history below */
	spinlock_t hist_lock;
	bool run_seen;
	int run_done;
	/* arming a fault and counting the last one */
	struct mutex fault_lock;
	bool fault_armed;
};

/* What a thread did, for the failure dump */
struct st_trace {
	enum st_op op;
	int tdi;
	int arg;
	int ret;
};

struct st_run;

/**
 * struct st_worker - one kthread
 * @run: the run
 * @idx: thread number
 * @rnd: its generator, seeded from the run's seed and @idx
 * @nr: operations done
 * @ops: operations by kind
 * @faults: failing faults armed
 * @busy: -EBUSY bursts armed
 * @errors: ERROR entries: ccda_tdi_error(), ERRORED writes, teardowns
 *	that left the TDI in ERROR
 * @recoveries: successful ccda_tdi_recover()
 * @vm_busy: VM destroys refused
 * @vm_gone: VMs destroyed
 * @trace: the last %ST_TRACE operations
 */
struct st_worker {
	struct st_run *run;
	unsigned int idx;
	struct rnd_state rnd;
	unsigned int nr;
	unsigned int ops[ST_OP_NR];
	unsigned int faults;
	unsigned int busy;
	unsigned int errors;
	unsigned int recoveries;
	unsigned int vm_busy;
	unsigned int vm_gone;
	struct st_trace trace[ST_TRACE];
};

/**
 * struct st_run - one stress run
 * @test: the case
 * @seed: the seed
 * @owned: thread t works only on the TDIs i with i % %ST_NR_THREADS == t
 * @vms: the VMs
 * @tdis: the TDIs
 * @workers: the threads
 * @running: threads still running
 * @done: completed by the last thread
 * @violations: invariant violations seen
 * @fired: armed faults that fired, counted when re-armed or disarmed
 * @dry: count violations without failing the case (the oracle's own test)
 */
struct st_run {
	struct kunit *test;
	u32 seed;
	bool owned;
	struct st_vm vms[ST_NR_VMS];
	struct st_tdi tdis[ST_NR_TDIS];
	struct st_worker workers[ST_NR_THREADS];
	atomic_t running;
	struct completion done;
	atomic_t violations;
	atomic_t fired;
	bool dry;
};

static u32 st_rand(struct st_worker *w, u32 n)
{
	return prandom_u32_state(&w->rnd) % n;
}

static unsigned int st_idx(struct st_run *run, struct st_tdi *t)
{
	return t - run->tdis;
}

static void st_trace(struct st_worker *w, enum st_op op, int tdi, int arg,
		     int ret)
{
	struct st_trace *e = &w->trace[w->nr % ST_TRACE];

	e->op = op;
	e->tdi = tdi;
	e->arg = arg;
	e->ret = ret;
}

/* Report a violation with the thread's recent operations */
static __printf(3, 4) void st_bad(struct st_worker *w, struct st_tdi *t,
				  const char *fmt, ...)
{
	struct st_run *run = w->run;
	unsigned int i, first;
	va_list args;
	char *msg;
	int n;

	if (atomic_inc_return(&run->violations) > ST_MAX_REPORTS || run->dry)
		return;
	msg = kzalloc(ST_MSG, GFP_KERNEL);
	if (!msg) {
		KUNIT_FAIL(run->test, "seed %u thread %u op %u: violation",
			   run->seed, w->idx, w->nr);
		return;
	}
	va_start(args, fmt);
	n = vscnprintf(msg, ST_MSG, fmt, args);
	va_end(args);
	n += scnprintf(msg + n, ST_MSG - n, "; last ops:");
	/* the current operation is not traced yet: the message names it */
	first = w->nr > ST_TRACE ? w->nr - ST_TRACE : 0;
	for (i = first; i < w->nr; i++) {
		const struct st_trace *e = &w->trace[i % ST_TRACE];

		n += scnprintf(msg + n, ST_MSG - n, " %u:%s(tdi %d, %d)=%d", i,
			       st_op_names[e->op], e->tdi, e->arg, e->ret);
	}
	KUNIT_FAIL(run->test, "seed %u thread %u op %u tdi %d: %s", run->seed,
		   w->idx, w->nr, t ? (int)st_idx(run, t) : -1, msg);
	kfree(msg);
}

/* --- the history ---------------------------------------------------------- */

struct st_snap {
	bool run_seen;
	int run_done;
};

static void st_snap(struct st_tdi *t, struct st_snap *s)
{
	spin_lock(&t->hist_lock);
	s->run_seen = t->run_seen;
	s->run_done = t->run_done;
	spin_unlock(&t->hist_lock);
}

static int st_leave_done(struct st_tdi *t)
{
	int v = atomic_read(&t->leave_done);

	/* the count is read before the call that observes the state */
	smp_rmb();
	return v;
}

/*
 * @state was observed at an instant inside a call that started after @pre
 * was taken and after @done was read.  CONFIG_LOCKED after RUN is legal
 * only if a leave operation took effect in between; none can have when
 * every leave operation started by now had finished before the RUN was
 * seen.
 */
static void st_observe(struct st_worker *w, struct st_tdi *t,
		       const struct st_snap *pre, int done,
		       enum ccda_tdi_state state)
{
	int started;

	if ((unsigned int)state >= CCDA_TDI_NR_STATES) {
		st_bad(w, t, "state %d is none of the four", state);
		return;
	}
	/* the observation (a call's return) before the count is read */
	smp_mb();
	started = atomic_read(&t->leave_started);
	if (state == CCDA_TDI_CONFIG_LOCKED && pre->run_seen &&
	    started == pre->run_done)
		st_bad(w, t, "RUN then CONFIG_LOCKED, no unbind or error between (leave ops %d)",
		       started);
	if (state == CCDA_TDI_RUN) {
		spin_lock(&t->hist_lock);
		t->run_seen = true;
		t->run_done = max(t->run_done, done);
		spin_unlock(&t->hist_lock);
	}
}

/* Read the state now and check it against the history */
static enum ccda_tdi_state st_look(struct st_worker *w, struct st_tdi *t)
{
	enum ccda_tdi_state state;
	struct st_snap pre;
	int done;

	st_snap(t, &pre);
	done = st_leave_done(t);
	state = ccda_tdi_state(t->tdi);
	st_observe(w, t, &pre, done, state);
	return state;
}

static void st_leave_begin(struct st_tdi *t)
{
	atomic_inc(&t->leave_started);
	/* counted before the operation can take effect */
	smp_mb__after_atomic();
}

static void st_leave_end(struct st_tdi *t)
{
	/* counted only after the operation has returned */
	smp_mb__before_atomic();
	atomic_inc(&t->leave_done);
}

static int st_build_done(struct st_tdi *t)
{
	int v = atomic_read(&t->build_done);

	/* the count is read before the teardown call */
	smp_rmb();
	return v;
}

static void st_build_begin(struct st_tdi *t)
{
	atomic_inc(&t->build_started);
	/* counted before the operation can call the backend */
	smp_mb__after_atomic();
}

static void st_build_end(struct st_tdi *t)
{
	/* counted only after the operation has returned */
	smp_mb__before_atomic();
	atomic_inc(&t->build_done);
}

/*
 * A teardown returned 0: the model is clean, unless a bind, accept or
 * recovery started after @built (build ops finished before the call).
 */
static void st_expect_clean(struct st_worker *w, struct st_tdi *t, int built,
			    const char *what)
{
	bool clean = tb_clean(t->tb);

	/* the model is read before the count */
	smp_mb();
	if (!clean && atomic_read(&t->build_started) == built)
		st_bad(w, t, "%s returned 0 but the firmware model is not clean",
		       what);
}

/* --- faults ---------------------------------------------------------------- */

/* Count the armed fault if it fired; called with @t->fault_lock held */
static void st_fault_account(struct st_run *run, struct st_tdi *t)
{
	struct tb_tdi *tb = t->tb;
	bool fired;

	lockdep_assert_held(&t->fault_lock);
	if (!t->fault_armed)
		return;
	scoped_guard(mutex, &tb->lock)
		fired = tb->fail_step < CCDA_STEP_NR && tb->fail_nth &&
			tb->fail_nth != UINT_MAX &&
			tb->fail_seen >= tb->fail_nth;
	if (fired)
		atomic_inc(&run->fired);
}

/*
 * Arm one fault: the n-th establish of the plan, or the first call of any
 * step; -EAGAIN now and then (retried by the core, so it must not show);
 * or a step that answers -EBUSY a few times, fewer than the core retries,
 * so that the core yields with the TDI's mutex held and other threads
 * pile up on it.
 */
static void st_fault(struct st_worker *w, struct st_tdi *t)
{
	unsigned int nth = 1, busy = 0, kind = st_rand(w, 8);
	int err = -EIO;
	enum ccda_step step;

	if (kind < 3) {
		step = CCDA_STEP_ESTABLISH;
		nth = 1 + st_rand(w, ST_HOST_CALLS);
	} else {
		step = st_rand(w, CCDA_STEP_NR);
	}
	if (kind == 3 || kind == 4)
		err = -EAGAIN;
	if (kind == 5) {
		/* never fails: only the -EBUSY answers */
		nth = UINT_MAX;
		busy = 1 + st_rand(w, CCDA_STEP_RETRIES - 1);
	}

	guard(mutex)(&t->fault_lock);
	st_fault_account(w->run, t);
	tb_fail(t->tb, step, nth, err);
	scoped_guard(mutex, &t->tb->lock)
		t->tb->busy = busy;
	t->fault_armed = true;
	if (busy)
		w->busy++;
	else
		w->faults++;
	st_trace(w, ST_OP_FAULT, st_idx(w->run, t), step * 100 + kind, err);
}

static void st_fault_disarm(struct st_run *run, struct st_tdi *t)
{
	guard(mutex)(&t->fault_lock);
	st_fault_account(run, t);
	tb_fail(t->tb, CCDA_STEP_NR, 0, 0);
	scoped_guard(mutex, &t->tb->lock)
		t->tb->busy = 0;
	t->fault_armed = false;
}

/* --- the operations -------------------------------------------------------- */

static bool st_ret_in(int ret, const int *set, unsigned int n)
{
	unsigned int i;

	for (i = 0; i < n; i++)
		if (ret == set[i])
			return true;
	return false;
}

#define st_check_ret(w, t, what, ret, ...)				\
do {									\
	static const int __set[] = { __VA_ARGS__ };			\
	int __r = (ret);						\
									\
	if (!st_ret_in(__r, __set, ARRAY_SIZE(__set)))			\
		st_bad(w, t, "%s returned %d, not a documented code",	\
		       what, __r);					\
} while (0)

static void st_bind(struct st_worker *w, struct st_tdi *t)
{
	struct st_snap pre;
	int done, ret;

	st_snap(t, &pre);
	done = st_leave_done(t);
	st_build_begin(t);
	ret = ccda_tdi_bind(t->tdi, NULL);
	st_build_end(t);
	st_check_ret(w, t, "bind", ret, 0, -EBUSY, -EIO);
	if (!ret)
		st_observe(w, t, &pre, done, CCDA_TDI_CONFIG_LOCKED);
	st_trace(w, ST_OP_BIND, st_idx(w->run, t), 0, ret);
}

static void st_accept(struct st_worker *w, struct st_tdi *t)
{
	size_t len = st_rand(w, 4) ? ST_DIGEST_LEN : 0;
	struct st_snap pre;
	int done, ret;

	st_snap(t, &pre);
	done = st_leave_done(t);
	st_build_begin(t);
	ret = ccda_tdi_accept(t->tdi, len ? t->digest : NULL, len, NULL);
	st_build_end(t);
	st_check_ret(w, t, "accept", ret, 0, -EBUSY, -EIO, -ENOMEM);
	if (!ret)
		st_observe(w, t, &pre, done, CCDA_TDI_RUN);
	st_trace(w, ST_OP_ACCEPT, st_idx(w->run, t), len, ret);
}

static void st_unbind(struct st_worker *w, struct st_tdi *t)
{
	int built, ret;

	built = st_build_done(t);
	st_leave_begin(t);
	ret = ccda_tdi_unbind(t->tdi, NULL);
	st_leave_end(t);
	st_check_ret(w, t, "unbind", ret, 0, -EBUSY, -EIO);
	if (!ret)
		st_expect_clean(w, t, built, "unbind");
	else if (ret != -EBUSY)
		w->errors++;
	st_trace(w, ST_OP_UNBIND, st_idx(w->run, t), 0, ret);
}

static void st_driver(struct st_worker *w, struct st_tdi *t, bool bound)
{
	int ret = 0;

	if (bound) {
		ret = ccda_tdi_driver_bound(t->tdi);
		st_check_ret(w, t, "driver_bound", ret, 0, -EBUSY);
	} else {
		ccda_tdi_driver_unbound(t->tdi);
	}
	st_trace(w, bound ? ST_OP_DRV_BOUND : ST_OP_DRV_UNBOUND,
		 st_idx(w->run, t), 0, ret);
}

/*
 * Config writes (offset, size, value):
 *   0: command register with MSE and BME set: harmless
 *   1: command register with MSE or BME clear
 *   2: all-ones to a BAR (sizing)
 *   3: interrupt line: harmless
 * harmful ones blocked or not at random.
 */
static void st_cfg(struct st_worker *w, struct st_tdi *t)
{
	const u16 need = PCI_COMMAND_MEMORY | PCI_COMMAND_MASTER;
	unsigned int kind = st_rand(w, 4), offset, size;
	bool block = st_rand(w, 2), harmful;
	enum ccda_cfg_verdict v;
	u32 value;

	switch (kind) {
	case 0:
		offset = PCI_COMMAND;
		size = 2;
		value = need | (st_rand(w, 2) ? PCI_COMMAND_INTX_DISABLE : 0);
		break;
	case 1:
		offset = PCI_COMMAND;
		size = 2;
		value = need & ~(st_rand(w, 2) ? PCI_COMMAND_MEMORY :
						 PCI_COMMAND_MASTER);
		break;
	case 2:
		offset = PCI_BASE_ADDRESS_0 + 4 * st_rand(w, 6);
		size = 4;
		value = U32_MAX;
		break;
	default:
		offset = PCI_INTERRUPT_LINE;
		size = 1;
		value = st_rand(w, 256);
		break;
	}
	harmful = kind == 1 || kind == 2;

	if (harmful && !block)
		st_leave_begin(t);
	v = ccda_tdi_config_write(t->tdi, offset, size, value, block, NULL);
	if (harmful && !block)
		st_leave_end(t);

	if (!harmful && v != CCDA_CFG_ALLOW)
		st_bad(w, t, "harmless write %#x/%u=%#x got verdict %d",
		       offset, size, value, v);
	else if (harmful && v != CCDA_CFG_ALLOW &&
		 v != (block ? CCDA_CFG_BLOCKED : CCDA_CFG_ERRORED))
		st_bad(w, t, "write %#x/%u=%#x block %d got verdict %d",
		       offset, size, value, block, v);
	if (v == CCDA_CFG_ERRORED)
		w->errors++;
	st_trace(w, ST_OP_CFG, st_idx(w->run, t),
		 kind * 10 + block, v);
}

static void st_event(struct st_worker *w, struct st_tdi *t, bool host)
{
	static const enum ccda_tdi_event dev[] = {
		CCDA_EVENT_FLR, CCDA_EVENT_D3HOT, CCDA_EVENT_BUS_RESET,
		CCDA_EVENT_MSE_CLEAR,
	};
	static const enum ccda_tdi_event hst[] = {
		CCDA_EVENT_VM_DESTROY, CCDA_EVENT_VDEV_DESTROY,
		CCDA_EVENT_VFIO_CLOSE,
	};
	enum ccda_tdi_event ev = host ? hst[st_rand(w, ARRAY_SIZE(hst))] :
					dev[st_rand(w, ARRAY_SIZE(dev))];
	int built, ret;

	built = st_build_done(t);
	st_leave_begin(t);
	ret = ccda_tdi_event(t->tdi, ev, NULL);
	st_leave_end(t);
	st_check_ret(w, t, "event", ret, 0, -EIO);
	if (!ret)
		st_expect_clean(w, t, built, "event");
	else
		w->errors++;
	st_trace(w, host ? ST_OP_HOST_EVENT : ST_OP_DEV_EVENT,
		 st_idx(w->run, t), ev, ret);
}

static void st_error(struct st_worker *w, struct st_tdi *t)
{
	int ret;

	st_leave_begin(t);
	ret = ccda_tdi_error(t->tdi);
	st_leave_end(t);
	st_check_ret(w, t, "error", ret, 0);
	w->errors++;
	st_trace(w, ST_OP_ERROR, st_idx(w->run, t), 0, ret);
}

/*
 * Recover with the recorded digest, or a changed or shortened one; half
 * the time as the RAS sequence: ERROR, unbind, recover.
 */
static void st_recover(struct st_worker *w, struct st_tdi *t)
{
	unsigned int how = st_rand(w, 8);
	bool ras = st_rand(w, 2);
	u8 digest[ST_DIGEST_LEN];
	size_t len = ST_DIGEST_LEN;
	struct st_snap pre;
	int done, ret;

	memcpy(digest, t->digest, sizeof(digest));
	if (how == 1)
		digest[st_rand(w, ST_DIGEST_LEN)] ^= 1 + st_rand(w, 255);
	else if (how == 2)
		len = ST_DIGEST_LEN / 2;

	if (ras) {
		w->ops[ST_OP_ERROR]++;
		st_error(w, t);
		w->ops[ST_OP_UNBIND]++;
		st_unbind(w, t);
	}

	st_snap(t, &pre);
	done = st_leave_done(t);
	st_leave_begin(t);
	st_build_begin(t);
	ret = ccda_tdi_recover(t->tdi, digest, len, NULL);
	st_build_end(t);
	st_leave_end(t);
	st_check_ret(w, t, "recover", ret, 0, -EBUSY, -EINVAL, -EACCES, -EIO,
		     -ENOMEM);
	if (!ret) {
		if (how == 1 || how == 2)
			st_bad(w, t, "recover with a changed digest succeeded");
		w->recoveries++;
		st_observe(w, t, &pre, done, CCDA_TDI_RUN);
	}
	st_trace(w, ST_OP_RECOVER, st_idx(w->run, t), ras * 10 + how, ret);
}

/*
 * Destroy a VM: mostly with its TDIs' operations held off, so that the
 * answer is exact (-EBUSY iff a TDI is bound), else racing them.  Every
 * VM starts idle, and a destroyed one is gone for the rest of the run:
 * racing attempts start after the first eighth of a thread's operations,
 * and an idle VM is destroyed on purpose only now and then in the last
 * quarter.
 */
static void st_vm_destroy(struct st_worker *w)
{
	unsigned int v = st_rand(w, ST_NR_VMS), i;
	struct st_vm *vm = &w->run->vms[v];
	bool exact = st_rand(w, 4), bound = false;
	int ret = 1;	/* not attempted */

	guard(mutex)(&vm->destroy_lock);
	if (vm->gone) {
		st_trace(w, ST_OP_VM_DESTROY, v, exact, ret);
		return;
	}
	if (exact) {
		down_write(&vm->gate);
		for (i = 0; i < ST_TDIS_PER_VM; i++) {
			struct st_tdi *t = &w->run->tdis[v * ST_TDIS_PER_VM + i];

			if (st_look(w, t) != CCDA_TDI_CONFIG_UNLOCKED)
				bound = true;
		}
		if (bound || (w->nr >= ST_OPS * 3 / 4 && !st_rand(w, 8))) {
			ret = ccda_vm_destroy(vm->vm);
			if (ret != (bound ? -EBUSY : 0))
				st_bad(w, NULL, "VM %u destroy returned %d with %s TDI bound",
				       v, ret, bound ? "a" : "no");
		}
		up_write(&vm->gate);
	} else if (w->nr >= ST_OPS / 8) {
		ret = ccda_vm_destroy(vm->vm);
		st_check_ret(w, NULL, "vm_destroy", ret, 0, -EBUSY);
	}
	if (!ret) {
		vm->gone = true;
		w->vm_gone++;
	} else if (ret == -EBUSY) {
		w->vm_busy++;
	}
	st_trace(w, ST_OP_VM_DESTROY, v, exact, ret);
}

static struct st_tdi *st_pick(struct st_worker *w)
{
	struct st_run *run = w->run;

	if (run->owned)
		return &run->tdis[w->idx +
				  ST_NR_THREADS * st_rand(w, ST_NR_TDIS / ST_NR_THREADS)];
	return &run->tdis[st_rand(w, ST_NR_TDIS)];
}

static enum st_op st_pick_op(struct st_worker *w)
{
	unsigned int sum = 0, r;
	enum st_op op;

	for (op = 0; op < ST_OP_NR; op++)
		sum += st_op_weight[op];
	r = st_rand(w, sum);
	for (op = 0; op < ST_OP_NR - 1; op++) {
		if (r < st_op_weight[op])
			break;
		r -= st_op_weight[op];
	}
	return op;
}

static void st_one(struct st_worker *w)
{
	enum st_op op = st_pick_op(w);
	struct st_tdi *t;

	w->ops[op]++;
	if (op == ST_OP_VM_DESTROY) {
		st_vm_destroy(w);
		return;
	}
	t = st_pick(w);
	if (op == ST_OP_FAULT) {
		st_fault(w, t);
		return;
	}

	down_read(&t->vm->gate);
	switch (op) {
	case ST_OP_BIND:
		st_bind(w, t);
		break;
	case ST_OP_ACCEPT:
		st_accept(w, t);
		break;
	case ST_OP_UNBIND:
		st_unbind(w, t);
		break;
	case ST_OP_DRV_BOUND:
	case ST_OP_DRV_UNBOUND:
		st_driver(w, t, op == ST_OP_DRV_BOUND);
		break;
	case ST_OP_CFG:
		st_cfg(w, t);
		break;
	case ST_OP_DEV_EVENT:
	case ST_OP_HOST_EVENT:
		st_event(w, t, op == ST_OP_HOST_EVENT);
		break;
	case ST_OP_ERROR:
		st_error(w, t);
		break;
	default:
		st_recover(w, t);
		break;
	}
	st_look(w, t);
	up_read(&t->vm->gate);
}

static int st_thread(void *data)
{
	struct st_worker *w = data;

	for (w->nr = 0; w->nr < ST_OPS; w->nr++) {
		st_one(w);
		cond_resched();
	}
	if (atomic_dec_and_test(&w->run->running))
		complete(&w->run->done);
	return 0;
}

/* --- the case -------------------------------------------------------------- */

static void st_setup(struct kunit *test, struct st_run *run,
		     struct ccda_backend *be)
{
	struct ccda_tdi_info info = {};
	struct ccda_layout layout;
	struct rnd_state rnd;
	unsigned int i;

	prandom_seed_state(&rnd, run->seed);
	be->name = "stress";
	be->ops = &tb_host_ops;
	be->block_sizes = ST_HOST_BLOCKS;
	KUNIT_ASSERT_EQ(test, ccda_backend_register(be), 0);

	for (i = 0; i < ST_NR_VMS; i++) {
		struct st_vm *vm = &run->vms[i];

		init_rwsem(&vm->gate);
		mutex_init(&vm->destroy_lock);
		KUNIT_ASSERT_EQ(test, ccda_vm_create(&vm->vm), 0);
	}

	tb_sample_layout(&layout);
	info.role = CCDA_TDI_HOST;
	info.layout = &layout;
	for (i = 0; i < ST_NR_TDIS; i++) {
		struct st_tdi *t = &run->tdis[i];

		t->tb = tb_tdi_new(test);
		KUNIT_ASSERT_NOT_NULL(test, t->tb);
		t->tb->quiet = true;
		t->vm = &run->vms[i / ST_TDIS_PER_VM];
		prandom_bytes_state(&rnd, t->digest, sizeof(t->digest));
		spin_lock_init(&t->hist_lock);
		mutex_init(&t->fault_lock);
		info.id = 0x200 + i;
		info.vm = t->vm->vm;
		info.priv = t->tb;
		KUNIT_ASSERT_EQ(test, ccda_tdi_create(be, &info, &t->tdi), 0);
	}
}

/* Every thread's totals, printed */
static void st_totals(struct kunit *test, struct st_run *run, s64 ms)
{
	unsigned int ops[ST_OP_NR] = {}, faults = 0, errors = 0, rec = 0;
	unsigned int ebusy = 0, busy = 0, gone = 0, i, t;
	char line[256];
	int n = 0;

	for (t = 0; t < ST_NR_THREADS; t++) {
		const struct st_worker *w = &run->workers[t];

		for (i = 0; i < ST_OP_NR; i++)
			ops[i] += w->ops[i];
		faults += w->faults;
		ebusy += w->busy;
		errors += w->errors;
		rec += w->recoveries;
		busy += w->vm_busy;
		gone += w->vm_gone;
	}
	for (i = 0; i < ST_OP_NR; i++)
		n += scnprintf(line + n, sizeof(line) - n, "%s%s %u",
			       i ? ", " : "", st_op_names[i], ops[i]);
	kunit_info(test, "seed %u: %u ops in %lld ms: %s\n", run->seed,
		   ST_NR_THREADS * ST_OPS, ms, line);
	kunit_info(test, "faults armed %u fired %d, -EBUSY bursts %u, ERROR entries %u, recoveries %u, VM destroys refused %u done %u\n",
		   faults, atomic_read(&run->fired), ebusy, errors, rec, busy,
		   gone);
}

/* Threads done: the VM rule on the final states, then unbind everything */
static void st_finish(struct kunit *test, struct st_run *run,
		      struct ccda_backend *be)
{
	unsigned int i, v, s, calls;

	for (i = 0; i < ST_NR_TDIS; i++)
		st_fault_disarm(run, &run->tdis[i]);

	for (v = 0; v < ST_NR_VMS; v++) {
		bool bound = false;

		if (run->vms[v].gone)
			continue;
		for (i = 0; i < ST_TDIS_PER_VM; i++)
			if (ccda_tdi_state(run->tdis[v * ST_TDIS_PER_VM + i].tdi) !=
			    CCDA_TDI_CONFIG_UNLOCKED)
				bound = true;
		if (bound)
			KUNIT_EXPECT_EQ_MSG(test, ccda_vm_destroy(run->vms[v].vm),
					    -EBUSY, "seed %u VM %u", run->seed, v);
	}

	for (i = 0; i < ST_NR_TDIS; i++) {
		struct st_tdi *t = &run->tdis[i];

		ccda_tdi_driver_unbound(t->tdi);
		KUNIT_EXPECT_EQ_MSG(test, ccda_tdi_unbind(t->tdi, NULL), 0,
				    "seed %u TDI %u", run->seed, i);
		KUNIT_EXPECT_EQ(test, ccda_tdi_state(t->tdi),
				CCDA_TDI_CONFIG_UNLOCKED);
		KUNIT_EXPECT_TRUE_MSG(test, tb_clean(t->tb),
				      "seed %u TDI %u: model not clean",
				      run->seed, i);
		/* idempotent: the second unbind calls no backend step */
		tb_reset_log(t->tb);
		KUNIT_EXPECT_EQ(test, ccda_tdi_unbind(t->tdi, NULL), 0);
		calls = 0;
		scoped_guard(mutex, &t->tb->lock)
			for (s = 0; s < CCDA_STEP_NR; s++)
				calls += t->tb->calls[s];
		KUNIT_EXPECT_EQ_MSG(test, calls, 0,
				    "seed %u TDI %u: second unbind called the backend",
				    run->seed, i);
	}

	for (v = 0; v < ST_NR_VMS; v++)
		if (!run->vms[v].gone)
			KUNIT_EXPECT_EQ(test, ccda_vm_destroy(run->vms[v].vm), 0);
	for (i = 0; i < ST_NR_TDIS; i++)
		ccda_tdi_put(run->tdis[i].tdi);
	KUNIT_EXPECT_EQ(test, ccda_backend_unregister(be), 0);
}

static void st_storm(struct kunit *test, bool owned)
{
	struct ccda_backend *be;
	struct st_run *run;
	unsigned int i;
	ktime_t start;

	tb_live_check_start(test);
	run = kunit_kzalloc(test, sizeof(*run), GFP_KERNEL);
	be = kunit_kzalloc(test, sizeof(*be), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, run);
	KUNIT_ASSERT_NOT_NULL(test, be);
	run->test = test;
	run->owned = owned;
	run->seed = st_seed ?: get_random_u32();
	kunit_info(test, "seed %u (replay: ccda_stress_test.seed=%u)\n",
		   run->seed, run->seed);
	init_completion(&run->done);
	st_setup(test, run, be);

	start = ktime_get();
	atomic_set(&run->running, ST_NR_THREADS);
	for (i = 0; i < ST_NR_THREADS; i++) {
		struct st_worker *w = &run->workers[i];
		struct task_struct *task;

		w->run = run;
		w->idx = i;
		prandom_seed_state(&w->rnd, (u64)run->seed << 8 | i);
		task = kthread_run(st_thread, w, "ccda-stress/%u", i);
		if (IS_ERR(task)) {
			KUNIT_FAIL(test, "kthread_run: %ld", PTR_ERR(task));
			if (atomic_dec_and_test(&run->running))
				complete(&run->done);
		}
	}
	wait_for_completion(&run->done);

	st_finish(test, run, be);
	st_totals(test, run, ktime_ms_delta(ktime_get(), start));
	KUNIT_EXPECT_EQ_MSG(test, atomic_read(&run->violations), 0,
			    "seed %u: invariant violations", run->seed);
}

/* All threads pick any TDI: the same TDI is raced */
static void st_storm_shared(struct kunit *test)
{
	st_storm(test, false);
}

/* Each thread owns 8 TDIs; VM destroys still race the owners */
static void st_storm_owned(struct kunit *test)
{
	st_storm(test, true);
}

/*
 * The history oracle itself: RUN then CONFIG_LOCKED is caught when no
 * leave operation ran in between, and accepted when one did, even one
 * that started before the RUN was seen.
 */
static void st_oracle(struct kunit *test)
{
	struct st_worker *w;
	struct st_run *run;
	struct st_tdi *t;
	struct st_snap pre;

	run = kunit_kzalloc(test, sizeof(*run), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, run);
	run->test = test;
	run->dry = true;
	w = &run->workers[0];
	w->run = run;
	t = &run->tdis[0];
	spin_lock_init(&t->hist_lock);

	/* UNLOCKED, LOCKED, RUN, LOCKED: the last one is a violation */
	st_snap(t, &pre);
	st_observe(w, t, &pre, st_leave_done(t), CCDA_TDI_CONFIG_LOCKED);
	st_snap(t, &pre);
	st_observe(w, t, &pre, st_leave_done(t), CCDA_TDI_RUN);
	KUNIT_EXPECT_EQ(test, atomic_read(&run->violations), 0);
	st_snap(t, &pre);
	st_observe(w, t, &pre, st_leave_done(t), CCDA_TDI_CONFIG_LOCKED);
	KUNIT_EXPECT_EQ(test, atomic_read(&run->violations), 1);
	st_observe(w, t, &pre, st_leave_done(t), CCDA_TDI_NR_STATES);
	KUNIT_EXPECT_EQ(test, atomic_read(&run->violations), 2);

	/* an unbind in between makes it legal */
	st_leave_begin(t);
	st_leave_end(t);
	st_snap(t, &pre);
	st_observe(w, t, &pre, st_leave_done(t), CCDA_TDI_CONFIG_LOCKED);
	KUNIT_EXPECT_EQ(test, atomic_read(&run->violations), 2);

	/* RUN again, then one in flight across the RUN observation: legal */
	st_leave_begin(t);
	st_snap(t, &pre);
	st_observe(w, t, &pre, st_leave_done(t), CCDA_TDI_RUN);
	st_leave_end(t);
	st_snap(t, &pre);
	st_observe(w, t, &pre, st_leave_done(t), CCDA_TDI_CONFIG_LOCKED);
	KUNIT_EXPECT_EQ(test, atomic_read(&run->violations), 2);

	/* ... but once it finished, RUN then LOCKED is caught again */
	st_snap(t, &pre);
	st_observe(w, t, &pre, st_leave_done(t), CCDA_TDI_RUN);
	st_snap(t, &pre);
	st_observe(w, t, &pre, st_leave_done(t), CCDA_TDI_CONFIG_LOCKED);
	KUNIT_EXPECT_EQ(test, atomic_read(&run->violations), 3);
}

static struct kunit_case ccda_stress_cases[] = {
	KUNIT_CASE(st_oracle),
	KUNIT_CASE_SLOW(st_storm_shared),
	KUNIT_CASE_SLOW(st_storm_owned),
	{}
};

static struct kunit_suite ccda_stress_suite = {
	.name = "ccda_stress",
	.test_cases = ccda_stress_cases,
};

kunit_test_suite(ccda_stress_suite);

MODULE_IMPORT_NS(EXPORTED_FOR_KUNIT_TESTING);
MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("Randomised stress of the ccda TDI lifecycle");
