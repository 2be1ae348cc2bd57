// SPDX-License-Identifier: GPL-2.0-only
/*
 * KUnit tests for the TDI lifecycle (core/tdi.c): the exact order of the
 * backend steps for bind, accept and unbind on the host and in the guest,
 * rollback of a failed bind or accept, fault injection at every step
 * position, bounded retries and a concurrency storm.
 *
 * The sample device (kunit/test_backend.c):
 *   BAR0 0xc0000000 (64-bit, 4M)  [0, 4M) private
 *   BAR2 0xd0000000 (64K)         [0, 8K) private, [8K, 32K) unreported,
 *                                 [32K, 36K) MSI-X table, [36K, 40K) PBA,
 *                                 [40K, 64K) unreported
 * The host backend plans 4K and 2M blocks (four calls), the guest backend
 * range calls (two).  Every case checks at its end that the firmware model
 * is clean and that no TDI, VM, report, map or plan leaked.
 */

#include <kunit/test.h>
#include <linux/completion.h>
#include <linux/kthread.h>
#include <linux/module.h>
#include <linux/prandom.h>
#include <linux/random.h>
#include <linux/sizes.h>
#include <linux/slab.h>
#include <linux/sprintf.h>
#include <linux/string.h>

#include "ccda.h"
#include "test_backend.h"

#define LT_HOST_BLOCKS		((u64)SZ_4K | SZ_2M)
#define LT_BUF			2048

/* Expected logs: one entry per backend call, NULL-terminated */
#define LT_ESTABLISH_HOST						\
	"establish@0xc0000000+0x200000",				\
	"establish@0xc0200000+0x200000",				\
	"establish@0xd0000000+0x1000",					\
	"establish@0xd0001000+0x1000"
#define LT_REVOKE_HOST							\
	"revoke@0xc0000000+0x200000",					\
	"revoke@0xc0200000+0x200000",					\
	"revoke@0xd0000000+0x1000",					\
	"revoke@0xd0001000+0x1000"
#define LT_RETURN_HOST							\
	"return_pages@0xc0000000+0x200000",				\
	"return_pages@0xc0200000+0x200000",				\
	"return_pages@0xd0000000+0x1000",				\
	"return_pages@0xd0001000+0x1000"

static const char * const lt_none[] = { NULL };
static const char * const lt_lock[] = { "lock", NULL };
static const char * const lt_host_accept[] = {
	"fetch_report", LT_ESTABLISH_HOST, "enable_dma", "start", NULL
};

static const char * const lt_host_unbind[] = {
	"stop", "disable_dma", LT_REVOKE_HOST, "flush", "reclaim",
	LT_RETURN_HOST, "restore_shared", NULL
};

static const char * const lt_guest_accept[] = {
	"fetch_report", "establish@0xc0000000+0x400000",
	"establish@0xd0000000+0x2000", "enable_dma", "start", NULL
};

static const char * const lt_guest_unbind[] = {
	"stop", "disable_dma", "revoke@0xc0000000+0x400000",
	"revoke@0xd0000000+0x2000", "restore_shared", NULL
};

/* Compare the model's log with @want, print it, and start a new log */
static void lt_expect_log(struct kunit *test, struct tb_tdi *tb,
			  const char *what, const char * const *want)
{
	char *buf = kunit_kzalloc(test, LT_BUF, GFP_KERNEL);
	char *exp = kunit_kzalloc(test, LT_BUF, GFP_KERNEL);
	unsigned int i;
	int n = 0;

	KUNIT_ASSERT_NOT_NULL(test, buf);
	KUNIT_ASSERT_NOT_NULL(test, exp);
	for (i = 0; want[i]; i++)
		n += scnprintf(exp + n, LT_BUF - n, "%s%s", i ? " " : "",
			       want[i]);
	tb_format(tb, buf, LT_BUF);
	kunit_info(test, "%s: %s\n", what, buf);
	KUNIT_EXPECT_STREQ(test, buf, exp);
	tb_reset_log(tb);
}

static void lt_host_order(struct kunit *test)
{
	struct tb_ctx *c;

	tb_live_check_start(test);
	c = tb_setup(test, &tb_host_ops, LT_HOST_BLOCKS, CCDA_TDI_HOST, NULL);

	KUNIT_ASSERT_EQ(test, ccda_tdi_bind(c->tdi, NULL), 0);
	KUNIT_EXPECT_EQ(test, ccda_tdi_state(c->tdi), CCDA_TDI_CONFIG_LOCKED);
	lt_expect_log(test, c->tb, "host bind", lt_lock);

	KUNIT_ASSERT_EQ(test, ccda_tdi_accept(c->tdi, NULL, 0, NULL), 0);
	KUNIT_EXPECT_EQ(test, ccda_tdi_state(c->tdi), CCDA_TDI_RUN);
	KUNIT_EXPECT_EQ(test, tb_nr_mapped(c->tb), 4);
	lt_expect_log(test, c->tb, "host accept", lt_host_accept);

	KUNIT_ASSERT_EQ(test, ccda_tdi_unbind(c->tdi, NULL), 0);
	KUNIT_EXPECT_EQ(test, ccda_tdi_state(c->tdi),
			CCDA_TDI_CONFIG_UNLOCKED);
	KUNIT_EXPECT_TRUE(test, tb_clean(c->tb));
	lt_expect_log(test, c->tb, "host unbind", lt_host_unbind);

	/* idempotent: the second unbind calls nothing */
	KUNIT_EXPECT_EQ(test, ccda_tdi_unbind(c->tdi, NULL), 0);
	lt_expect_log(test, c->tb, "second unbind", lt_none);
}

static void lt_guest_order(struct kunit *test)
{
	struct tb_ctx *c;

	tb_live_check_start(test);
	c = tb_setup(test, &tb_guest_ops, CCDA_PLAN_RANGES, CCDA_TDI_GUEST,
		     NULL);

	KUNIT_ASSERT_EQ(test, ccda_tdi_bind(c->tdi, NULL), 0);
	lt_expect_log(test, c->tb, "guest bind", lt_lock);
	KUNIT_ASSERT_EQ(test, ccda_tdi_accept(c->tdi, NULL, 0, NULL), 0);
	lt_expect_log(test, c->tb, "guest accept", lt_guest_accept);
	KUNIT_ASSERT_EQ(test, ccda_tdi_unbind(c->tdi, NULL), 0);
	lt_expect_log(test, c->tb, "guest unbind", lt_guest_unbind);
	KUNIT_EXPECT_EQ(test, ccda_tdi_unbind(c->tdi, NULL), 0);
	lt_expect_log(test, c->tb, "second unbind", lt_none);
}

/* Unbind from CONFIG_LOCKED: nothing was established, so stop + reclaim */
static void lt_unbind_locked(struct kunit *test)
{
	static const char * const lt_stop_reclaim[] = {
		"stop", "reclaim", NULL
	};
	struct tb_ctx *c;

	tb_live_check_start(test);
	c = tb_setup(test, &tb_host_ops, LT_HOST_BLOCKS, CCDA_TDI_HOST, NULL);
	KUNIT_ASSERT_EQ(test, ccda_tdi_bind(c->tdi, NULL), 0);
	tb_reset_log(c->tb);
	KUNIT_ASSERT_EQ(test, ccda_tdi_unbind(c->tdi, NULL), 0);
	lt_expect_log(test, c->tb, "unbind locked", lt_stop_reclaim);
}

/* establish fails at call 3: calls 1 and 2 are undone, in order, flushed */
static void lt_accept_rollback(struct kunit *test)
{
	static const char * const want[] = {
		"fetch_report", "establish@0xc0000000+0x200000",
		"establish@0xc0200000+0x200000",
		"establish@0xd0000000+0x1000=-5",
		"revoke@0xc0000000+0x200000", "revoke@0xc0200000+0x200000",
		"flush", "return_pages@0xc0000000+0x200000",
		"return_pages@0xc0200000+0x200000", "restore_shared", NULL
	};
	struct ccda_diag diag = {};
	struct tb_ctx *c;

	tb_live_check_start(test);
	c = tb_setup(test, &tb_host_ops, LT_HOST_BLOCKS, CCDA_TDI_HOST, NULL);
	KUNIT_ASSERT_EQ(test, ccda_tdi_bind(c->tdi, NULL), 0);
	tb_fail(c->tb, CCDA_STEP_ESTABLISH, 3, -EIO);
	tb_reset_log(c->tb);

	KUNIT_EXPECT_EQ(test, ccda_tdi_accept(c->tdi, NULL, 0, &diag), -EIO);
	KUNIT_EXPECT_EQ(test, diag.index, 2);
	KUNIT_EXPECT_NOT_NULL(test, diag.reason);
	KUNIT_EXPECT_EQ(test, ccda_tdi_state(c->tdi), CCDA_TDI_CONFIG_LOCKED);
	KUNIT_EXPECT_EQ(test, tb_nr_mapped(c->tb), 0);
	KUNIT_EXPECT_EQ(test, tb_nr_assigned(c->tb), 0);
	lt_expect_log(test, c->tb, "accept rollback", want);

	/* the TDI stays locked: a second accept succeeds */
	KUNIT_EXPECT_EQ(test, ccda_tdi_accept(c->tdi, NULL, 0, NULL), 0);
	KUNIT_EXPECT_EQ(test, ccda_tdi_state(c->tdi), CCDA_TDI_RUN);
}

/* start fails: DMA disabled, every call revoked; no RUN -> LOCKED */
static void lt_start_fails(struct kunit *test)
{
	static const char * const want[] = {
		"fetch_report", LT_ESTABLISH_HOST, "enable_dma", "start=-5",
		"disable_dma", LT_REVOKE_HOST, "flush", LT_RETURN_HOST,
		"restore_shared", NULL
	};
	struct tb_ctx *c;

	tb_live_check_start(test);
	c = tb_setup(test, &tb_host_ops, LT_HOST_BLOCKS, CCDA_TDI_HOST, NULL);
	KUNIT_ASSERT_EQ(test, ccda_tdi_bind(c->tdi, NULL), 0);
	tb_fail(c->tb, CCDA_STEP_START, 1, -EIO);
	tb_reset_log(c->tb);
	KUNIT_EXPECT_EQ(test, ccda_tdi_accept(c->tdi, NULL, 0, NULL), -EIO);
	KUNIT_EXPECT_EQ(test, ccda_tdi_state(c->tdi), CCDA_TDI_CONFIG_LOCKED);
	lt_expect_log(test, c->tb, "start fails", want);
}

/* A failed bind leaves nothing: the state is still CONFIG_UNLOCKED */
static void lt_bind_fails(struct kunit *test)
{
	struct tb_ctx *c;

	tb_live_check_start(test);
	c = tb_setup(test, &tb_host_ops, LT_HOST_BLOCKS, CCDA_TDI_HOST, NULL);
	/* valid path first */
	KUNIT_ASSERT_EQ(test, ccda_tdi_bind(c->tdi, NULL), 0);
	KUNIT_ASSERT_EQ(test, ccda_tdi_unbind(c->tdi, NULL), 0);

	tb_fail(c->tb, CCDA_STEP_LOCK, 1, -EIO);
	KUNIT_EXPECT_EQ(test, ccda_tdi_bind(c->tdi, NULL), -EIO);
	KUNIT_EXPECT_EQ(test, ccda_tdi_state(c->tdi),
			CCDA_TDI_CONFIG_UNLOCKED);
	tb_reset_log(c->tb);
	KUNIT_EXPECT_EQ(test, ccda_tdi_unbind(c->tdi, NULL), 0);
	lt_expect_log(test, c->tb, "unbind after failed bind", lt_none);
}

/* How often each step runs in one host bind + accept + unbind */
static unsigned int lt_normal_calls(struct kunit *test,
				    const struct ccda_backend_ops *ops,
				    u64 blocks, enum ccda_tdi_role role,
				    unsigned int *calls)
{
	struct tb_ctx *c = tb_setup(test, ops, blocks, role, NULL);

	KUNIT_ASSERT_EQ(test, ccda_tdi_bind(c->tdi, NULL), 0);
	KUNIT_ASSERT_EQ(test, ccda_tdi_accept(c->tdi, NULL, 0, NULL), 0);
	KUNIT_ASSERT_EQ(test, ccda_tdi_unbind(c->tdi, NULL), 0);
	memcpy(calls, c->tb->calls, sizeof(c->tb->calls));
	return 0;
}

/*
 * One fault: the @nth call of @step fails once.  Whatever the outcome,
 * the next unbind leaves the TDI CONFIG_UNLOCKED with nothing mapped,
 * and the one after that calls nothing.
 */
static void lt_one_fault(struct kunit *test, const struct ccda_backend_ops *ops,
			 u64 blocks, enum ccda_tdi_role role,
			 enum ccda_step step, unsigned int nth)
{
	struct ccda_backend *be = kunit_kzalloc(test, sizeof(*be), GFP_KERNEL);
	struct tb_tdi *tb = tb_tdi_new(test);
	struct ccda_tdi_info info = {};
	struct ccda_layout layout;
	struct ccda_tdi *tdi;
	int ret;

	KUNIT_ASSERT_NOT_NULL(test, be);
	KUNIT_ASSERT_NOT_NULL(test, tb);
	be->name = "fault";
	be->ops = ops;
	be->block_sizes = blocks;
	KUNIT_ASSERT_EQ(test, ccda_backend_register(be), 0);
	tb_sample_layout(&layout);
	info.role = role;
	info.layout = &layout;
	info.priv = tb;
	KUNIT_ASSERT_EQ(test, ccda_tdi_create(be, &info, &tdi), 0);
	tb_fail(tb, step, nth, -EIO);

	ret = ccda_tdi_bind(tdi, NULL);
	if (!ret)
		ret = ccda_tdi_accept(tdi, NULL, 0, NULL);
	if (!ret) {
		KUNIT_EXPECT_EQ(test, ccda_tdi_state(tdi), CCDA_TDI_RUN);
		ccda_tdi_unbind(tdi, NULL);
	} else {
		/* a failed bind or accept undid everything but the lock */
		KUNIT_EXPECT_EQ(test, tb_nr_mapped(tb), 0);
		KUNIT_EXPECT_EQ(test, tb_nr_assigned(tb), 0);
		KUNIT_EXPECT_FALSE(test, tb->dma);
		KUNIT_EXPECT_FALSE(test, tb->started);
	}

	KUNIT_EXPECT_EQ_MSG(test, ccda_tdi_unbind(tdi, NULL), 0,
			    "%s #%u", ccda_step_name(step), nth);
	KUNIT_EXPECT_EQ(test, ccda_tdi_state(tdi), CCDA_TDI_CONFIG_UNLOCKED);
	KUNIT_EXPECT_TRUE_MSG(test, tb_clean(tb), "%s #%u: model not clean",
			      ccda_step_name(step), nth);
	tb_reset_log(tb);
	KUNIT_EXPECT_EQ(test, ccda_tdi_unbind(tdi, NULL), 0);
	KUNIT_EXPECT_EQ_MSG(test, tb->nr_log, 0,
			    "%s #%u: second teardown not a no-op",
			    ccda_step_name(step), nth);

	ccda_tdi_put(tdi);
	KUNIT_EXPECT_EQ(test, ccda_backend_unregister(be), 0);
}

static void lt_fault_matrix(struct kunit *test,
			    const struct ccda_backend_ops *ops, u64 blocks,
			    enum ccda_tdi_role role, const char *name)
{
	unsigned int calls[CCDA_STEP_NR], steps = 0, positions = 0, n;
	enum ccda_step s;

	tb_live_check_start(test);
	lt_normal_calls(test, ops, blocks, role, calls);
	for (s = 0; s < CCDA_STEP_NR; s++) {
		if (calls[s])
			steps++;
		for (n = 1; n <= calls[s]; n++, positions++)
			lt_one_fault(test, ops, blocks, role, s, n);
	}
	kunit_info(test, "%s: fault injected at %u steps x positions = %u cases\n",
		   name, steps, positions);
}

static void lt_faults_host(struct kunit *test)
{
	lt_fault_matrix(test, &tb_host_ops, LT_HOST_BLOCKS, CCDA_TDI_HOST,
			"host");
}

static void lt_faults_guest(struct kunit *test)
{
	lt_fault_matrix(test, &tb_guest_ops, CCDA_PLAN_RANGES, CCDA_TDI_GUEST,
			"guest");
}

/* A step that keeps failing: ERROR, state kept, the next unbind resumes */
static void lt_persistent_stop_failure(struct kunit *test)
{
	static const char * const failed[] = {
		"stop=-5", "disable_dma", NULL
	};
	static const char * const resumed[] = {
		"stop", LT_REVOKE_HOST, "flush", "reclaim", LT_RETURN_HOST,
		"restore_shared", NULL
	};
	struct ccda_diag diag = {};
	struct tb_ctx *c;

	tb_live_check_start(test);
	c = tb_setup(test, &tb_host_ops, LT_HOST_BLOCKS, CCDA_TDI_HOST, NULL);
	KUNIT_ASSERT_EQ(test, ccda_tdi_bind(c->tdi, NULL), 0);
	KUNIT_ASSERT_EQ(test, ccda_tdi_accept(c->tdi, NULL, 0, NULL), 0);
	tb_fail(c->tb, CCDA_STEP_STOP, 0, -EIO);
	tb_reset_log(c->tb);

	KUNIT_EXPECT_EQ(test, ccda_tdi_unbind(c->tdi, &diag), -EIO);
	KUNIT_EXPECT_STREQ(test, diag.reason, "stopping the TDI failed");
	KUNIT_EXPECT_EQ(test, ccda_tdi_state(c->tdi), CCDA_TDI_ERROR);
	/* nothing is revoked from a TDI that did not stop */
	KUNIT_EXPECT_EQ(test, tb_nr_mapped(c->tb), 4);
	lt_expect_log(test, c->tb, "stop keeps failing", failed);

	tb_fail(c->tb, CCDA_STEP_NR, 0, 0);
	KUNIT_EXPECT_EQ(test, ccda_tdi_unbind(c->tdi, NULL), 0);
	lt_expect_log(test, c->tb, "resumed unbind", resumed);
}

/* A revoke that keeps failing: no reclaim, no page return, ERROR */
static void lt_persistent_revoke_failure(struct kunit *test)
{
	struct tb_ctx *c;

	tb_live_check_start(test);
	c = tb_setup(test, &tb_host_ops, LT_HOST_BLOCKS, CCDA_TDI_HOST, NULL);
	KUNIT_ASSERT_EQ(test, ccda_tdi_bind(c->tdi, NULL), 0);
	KUNIT_ASSERT_EQ(test, ccda_tdi_accept(c->tdi, NULL, 0, NULL), 0);
	tb_fail(c->tb, CCDA_STEP_REVOKE, 0, -EIO);
	KUNIT_EXPECT_EQ(test, ccda_tdi_unbind(c->tdi, NULL), -EIO);
	KUNIT_EXPECT_EQ(test, ccda_tdi_state(c->tdi), CCDA_TDI_ERROR);
	KUNIT_EXPECT_EQ(test, c->tb->calls[CCDA_STEP_RECLAIM], 0);
	KUNIT_EXPECT_EQ(test, c->tb->calls[CCDA_STEP_RETURN_PAGES], 0);
	KUNIT_EXPECT_EQ(test, tb_nr_assigned(c->tb), 4);

	tb_fail(c->tb, CCDA_STEP_NR, 0, 0);
	KUNIT_EXPECT_EQ(test, ccda_tdi_unbind(c->tdi, NULL), 0);
	KUNIT_EXPECT_TRUE(test, tb_clean(c->tb));
}

/* -EBUSY is retried up to CCDA_STEP_RETRIES calls, then it is a failure */
static void lt_busy_retry(struct kunit *test)
{
	struct tb_ctx *c;

	tb_live_check_start(test);
	c = tb_setup(test, &tb_host_ops, LT_HOST_BLOCKS, CCDA_TDI_HOST, NULL);
	tb_fail(c->tb, CCDA_STEP_LOCK, 0, 0);
	c->tb->busy = CCDA_STEP_RETRIES - 1;
	KUNIT_EXPECT_EQ(test, ccda_tdi_bind(c->tdi, NULL), 0);
	KUNIT_EXPECT_EQ(test, c->tb->calls[CCDA_STEP_LOCK], CCDA_STEP_RETRIES);
	KUNIT_ASSERT_EQ(test, ccda_tdi_unbind(c->tdi, NULL), 0);

	tb_fail(c->tb, CCDA_STEP_LOCK, 0, 0);
	c->tb->busy = CCDA_STEP_RETRIES;
	KUNIT_EXPECT_EQ(test, ccda_tdi_bind(c->tdi, NULL), -EBUSY);
	KUNIT_EXPECT_EQ(test, c->tb->calls[CCDA_STEP_LOCK], CCDA_STEP_RETRIES);
	KUNIT_EXPECT_EQ(test, ccda_tdi_state(c->tdi),
			CCDA_TDI_CONFIG_UNLOCKED);
}

/* --- concurrency ---------------------------------------------------------- */

#define LT_NR_TDIS		64
#define LT_ROUNDS		20

struct lt_storm {
	struct kunit *test;
	struct ccda_tdi *tdis[LT_NR_TDIS];
	struct tb_tdi *tbs[LT_NR_TDIS];
	atomic_t running;
	struct completion done;
	u32 seed;
};

struct lt_worker {
	struct lt_storm *storm;
	unsigned int idx;
};

static void lt_worker_done(struct lt_storm *storm)
{
	if (atomic_dec_and_test(&storm->running))
		complete(&storm->done);
}

/* bind, accept, unbind its own TDI; any of them may lose to an ERROR */
static int lt_lifecycle_thread(void *data)
{
	struct lt_worker *w = data;
	struct ccda_tdi *tdi = w->storm->tdis[w->idx];
	unsigned int i;

	for (i = 0; i < LT_ROUNDS; i++) {
		if (!ccda_tdi_bind(tdi, NULL))
			ccda_tdi_accept(tdi, NULL, 0, NULL);
		if (i & 1)
			ccda_tdi_unbind(tdi, NULL);
		cond_resched();
	}
	lt_worker_done(w->storm);
	return 0;
}

/* ERROR events and unbinds on random TDIs */
static int lt_error_thread(void *data)
{
	struct lt_worker *w = data;
	struct rnd_state rnd;
	unsigned int i;

	prandom_seed_state(&rnd, w->storm->seed + w->idx);
	for (i = 0; i < LT_ROUNDS * 4; i++) {
		struct ccda_tdi *tdi =
			w->storm->tdis[prandom_u32_state(&rnd) % LT_NR_TDIS];

		ccda_tdi_error(tdi);
		if (prandom_u32_state(&rnd) & 1)
			ccda_tdi_unbind(tdi, NULL);
		cond_resched();
	}
	lt_worker_done(w->storm);
	return 0;
}

static void lt_concurrency(struct kunit *test)
{
	const unsigned int nr_err = 8;
	struct ccda_tdi_info info = {};
	struct ccda_backend *be;
	struct ccda_layout layout;
	struct lt_worker *w;
	struct lt_storm *s;
	unsigned int i;

	tb_live_check_start(test);
	s = kunit_kzalloc(test, sizeof(*s), GFP_KERNEL);
	be = kunit_kzalloc(test, sizeof(*be), GFP_KERNEL);
	w = kunit_kcalloc(test, LT_NR_TDIS + nr_err, sizeof(*w), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, s);
	KUNIT_ASSERT_NOT_NULL(test, be);
	KUNIT_ASSERT_NOT_NULL(test, w);
	s->test = test;
	s->seed = get_random_u32();
	kunit_info(test, "seed %u\n", s->seed);
	init_completion(&s->done);
	be->name = "storm";
	be->ops = &tb_host_ops;
	be->block_sizes = LT_HOST_BLOCKS;
	KUNIT_ASSERT_EQ(test, ccda_backend_register(be), 0);
	tb_sample_layout(&layout);
	info.layout = &layout;

	for (i = 0; i < LT_NR_TDIS; i++) {
		s->tbs[i] = tb_tdi_new(test);
		KUNIT_ASSERT_NOT_NULL(test, s->tbs[i]);
		s->tbs[i]->quiet = true;
		info.id = i;
		info.priv = s->tbs[i];
		KUNIT_ASSERT_EQ(test, ccda_tdi_create(be, &info, &s->tdis[i]),
				0);
	}

	atomic_set(&s->running, LT_NR_TDIS + nr_err);
	for (i = 0; i < LT_NR_TDIS + nr_err; i++) {
		struct task_struct *t;

		w[i].storm = s;
		w[i].idx = i < LT_NR_TDIS ? i : i - LT_NR_TDIS;
		t = kthread_run(i < LT_NR_TDIS ? lt_lifecycle_thread :
				lt_error_thread, &w[i], "ccda-storm/%u", i);
		if (IS_ERR(t)) {
			KUNIT_FAIL(test, "kthread_run: %ld", PTR_ERR(t));
			lt_worker_done(s);
		}
	}
	wait_for_completion(&s->done);
	kunit_info(test, "%u TDIs on %u kthreads, %u more raising ERROR\n",
		   LT_NR_TDIS, LT_NR_TDIS, nr_err);

	for (i = 0; i < LT_NR_TDIS; i++) {
		KUNIT_EXPECT_EQ(test, ccda_tdi_unbind(s->tdis[i], NULL), 0);
		KUNIT_EXPECT_EQ(test, ccda_tdi_state(s->tdis[i]),
				CCDA_TDI_CONFIG_UNLOCKED);
		KUNIT_EXPECT_TRUE_MSG(test, tb_clean(s->tbs[i]),
				      "TDI %u not clean", i);
		ccda_tdi_put(s->tdis[i]);
	}
	KUNIT_EXPECT_EQ(test, ccda_backend_unregister(be), 0);
}

static struct kunit_case ccda_lifecycle_cases[] = {
	KUNIT_CASE(lt_host_order),
	KUNIT_CASE(lt_guest_order),
	KUNIT_CASE(lt_unbind_locked),
	KUNIT_CASE(lt_accept_rollback),
	KUNIT_CASE(lt_start_fails),
	KUNIT_CASE(lt_bind_fails),
	KUNIT_CASE(lt_faults_host),
	KUNIT_CASE(lt_faults_guest),
	KUNIT_CASE(lt_persistent_stop_failure),
	KUNIT_CASE(lt_persistent_revoke_failure),
	KUNIT_CASE(lt_busy_retry),
	KUNIT_CASE_SLOW(lt_concurrency),
	{}
};

static struct kunit_suite ccda_lifecycle_suite = {
	.name = "ccda_lifecycle",
	.test_cases = ccda_lifecycle_cases,
};

kunit_test_suite(ccda_lifecycle_suite);

MODULE_IMPORT_NS(EXPORTED_FOR_KUNIT_TESTING);
MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("KUnit tests for the ccda TDI lifecycle and teardown");
