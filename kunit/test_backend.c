// SPDX-License-Identifier: GPL-2.0-only
/*
 * The recording test backend of the ccda_tdi and ccda_lifecycle suites
 * (see test_backend.h).  Its rules are the ones every TSM enforces in some
 * form (shared/docs/firmware-rules.md): no establish on a mapped block or
 * an unlocked TDI, no revoke of an unmapped block or of a running TDI, no
 * reclaim while a block is mapped or the TDI runs, no page return while a
 * block is mapped or the TDI is still locked and started, no start unless
 * locked, no flush without a revoke to flush.
 */

#include <kunit/test.h>
#include <kunit/visibility.h>
#include <linux/module.h>
#include <linux/mutex.h>
#include <linux/sizes.h>
#include <linux/sprintf.h>
#include <linux/string.h>
#include <linux/unaligned.h>

#include "ccda.h"
#include "ccda_kunit.h"
#include "test_backend.h"
#include "../core/ccda_private.h"

static struct tb_tdi *tb_of(struct ccda_tdi *tdi)
{
	return ccda_tdi_priv(tdi);
}

/* Log the call and decide whether it fails; called with tb->lock held */
static int tb_enter(struct tb_tdi *tb, enum ccda_step step,
		    const struct ccda_plan_call *call)
{
	int ret = 0;

	tb->calls[step]++;
	if (step == tb->fail_step) {
		if (tb->busy) {
			tb->busy--;
			ret = -EBUSY;
		} else if (!tb->fail_nth || ++tb->fail_seen == tb->fail_nth) {
			ret = tb->fail_err;
		}
	}
	if (tb->quiet)
		return ret;
	if (tb->nr_log < TB_LOG_MAX) {
		struct tb_entry *e = &tb->log[tb->nr_log++];

		e->step = step;
		e->addr = call ? call->addr : 0;
		e->size = call ? call->size : 0;
		e->ret = ret;
	} else {
		tb->lost++;
	}
	return ret;
}

static struct tb_block *tb_find(struct tb_tdi *tb,
				const struct ccda_plan_call *call)
{
	unsigned int i;

	for (i = 0; i < tb->nr_blocks; i++)
		if (tb->blocks[i].addr == call->addr &&
		    tb->blocks[i].size == call->size)
			return &tb->blocks[i];
	return NULL;
}

static bool tb_any(struct tb_tdi *tb, bool mapped_or_blocked)
{
	unsigned int i;

	for (i = 0; i < tb->nr_blocks; i++) {
		const struct tb_block *b = &tb->blocks[i];

		if (mapped_or_blocked ? (b->mapped || b->blocked) : b->assigned)
			return true;
	}
	return false;
}

/* Fail the test outside tb->lock: KUnit's failure path allocates */
#define TB_REJECT(tb, fmt, ...)						\
	KUNIT_FAIL((tb)->test, "TSM rejects: " fmt, ##__VA_ARGS__)

static int tb_lock(struct ccda_tdi *tdi)
{
	struct tb_tdi *tb = tb_of(tdi);
	bool bad;
	int ret;

	scoped_guard(mutex, &tb->lock) {
		bad = tb->locked;
		ret = tb_enter(tb, CCDA_STEP_LOCK, NULL);
		if (!ret && !bad)
			tb->locked = true;
	}
	if (bad)
		TB_REJECT(tb, "lock of a locked TDI");
	return bad ? -EIO : ret;
}

static int tb_fetch(struct ccda_tdi *tdi, void *buf, size_t size, size_t *len)
{
	struct tb_tdi *tb = tb_of(tdi);
	bool bad;
	int ret;

	scoped_guard(mutex, &tb->lock) {
		bad = !tb->locked;
		ret = tb_enter(tb, CCDA_STEP_FETCH_REPORT, NULL);
	}
	if (bad)
		TB_REJECT(tb, "report fetch of an unlocked TDI");
	if (bad || ret)
		return bad ? -EIO : ret;
	if (tb->report_len > size)
		return -ENOSPC;
	memcpy(buf, tb->report, tb->report_len);
	*len = tb->report_len;
	return 0;
}

static int tb_establish(struct ccda_tdi *tdi, const struct ccda_plan_call *c)
{
	struct tb_tdi *tb = tb_of(tdi);
	const char *bad = NULL;
	struct tb_block *b;
	int ret;

	scoped_guard(mutex, &tb->lock) {
		b = tb_find(tb, c);
		if (!tb->locked)
			bad = "establish on an unlocked TDI";
		else if (tb->started)
			bad = "establish on a running TDI";
		else if (b && (b->mapped || b->blocked || b->assigned))
			bad = "establish of an already mapped block";
		else if (!b && tb->nr_blocks == TB_BLOCKS_MAX)
			bad = "too many blocks for the model";
		ret = tb_enter(tb, CCDA_STEP_ESTABLISH, c);
		if (!bad && !ret) {
			if (!b) {
				b = &tb->blocks[tb->nr_blocks++];
				b->addr = c->addr;
				b->size = c->size;
			}
			b->mapped = true;
			b->assigned = true;
			tb->shared_lost = true;
		}
	}
	if (bad)
		TB_REJECT(tb, "%s (%#llx+%#llx)", bad, c->addr, c->size);
	return bad ? -EIO : ret;
}

static int tb_enable_dma(struct ccda_tdi *tdi)
{
	struct tb_tdi *tb = tb_of(tdi);
	bool bad;
	int ret;

	scoped_guard(mutex, &tb->lock) {
		bad = !tb->locked || tb->started || tb->dma;
		ret = tb_enter(tb, CCDA_STEP_ENABLE_DMA, NULL);
		if (!bad && !ret)
			tb->dma = true;
	}
	if (bad)
		TB_REJECT(tb, "DMA enable out of order");
	return bad ? -EIO : ret;
}

static int tb_start(struct ccda_tdi *tdi)
{
	struct tb_tdi *tb = tb_of(tdi);
	bool bad;
	int ret;

	scoped_guard(mutex, &tb->lock) {
		bad = !tb->locked || tb->started;
		ret = tb_enter(tb, CCDA_STEP_START, NULL);
		if (!bad && !ret)
			tb->started = true;
	}
	if (bad)
		TB_REJECT(tb, "start when not locked or already running");
	return bad ? -EIO : ret;
}

static int tb_stop(struct ccda_tdi *tdi)
{
	struct tb_tdi *tb = tb_of(tdi);
	bool bad;
	int ret;

	scoped_guard(mutex, &tb->lock) {
		bad = !tb->locked;
		ret = tb_enter(tb, CCDA_STEP_STOP, NULL);
		if (!bad && !ret)
			tb->started = false;
	}
	if (bad)
		TB_REJECT(tb, "stop of an unlocked TDI");
	return bad ? -EIO : ret;
}

static int tb_disable_dma(struct ccda_tdi *tdi)
{
	struct tb_tdi *tb = tb_of(tdi);
	bool bad;
	int ret;

	scoped_guard(mutex, &tb->lock) {
		bad = !tb->dma;
		ret = tb_enter(tb, CCDA_STEP_DISABLE_DMA, NULL);
		if (!bad && !ret)
			tb->dma = false;
	}
	if (bad)
		TB_REJECT(tb, "DMA disable when it is off");
	return bad ? -EIO : ret;
}

static int tb_revoke(struct ccda_tdi *tdi, const struct ccda_plan_call *c)
{
	struct tb_tdi *tb = tb_of(tdi);
	const char *bad = NULL;
	struct tb_block *b;
	int ret;

	scoped_guard(mutex, &tb->lock) {
		b = tb_find(tb, c);
		if (!b || !b->mapped)
			bad = "revoke of an unmapped block";
		else if (tb->started)
			bad = "revoke while the TDI runs";
		ret = tb_enter(tb, CCDA_STEP_REVOKE, c);
		if (!bad && !ret) {
			b->mapped = false;
			b->blocked = true;
		}
	}
	if (bad)
		TB_REJECT(tb, "%s (%#llx+%#llx)", bad, c->addr, c->size);
	return bad ? -EIO : ret;
}

/*
 * A guest revoke (Arm RSI_IPA_STATE_SET EMPTY) is effective at once, and
 * the guest has no pages to give back: no flush, no page return.
 */
static int tb_revoke_now(struct ccda_tdi *tdi, const struct ccda_plan_call *c)
{
	struct tb_tdi *tb = tb_of(tdi);
	struct tb_block *b;
	int ret = tb_revoke(tdi, c);

	guard(mutex)(&tb->lock);
	b = tb_find(tb, c);
	if (!ret && b) {
		b->blocked = false;
		b->assigned = false;
	}
	return ret;
}

/* A guest stop also ends the lock: the guest has no reclaim step */
static int tb_stop_unlock(struct ccda_tdi *tdi)
{
	struct tb_tdi *tb = tb_of(tdi);
	int ret = tb_stop(tdi);

	guard(mutex)(&tb->lock);
	if (!ret)
		tb->locked = false;
	return ret;
}

static int tb_flush(struct ccda_tdi *tdi)
{
	struct tb_tdi *tb = tb_of(tdi);
	unsigned int i;
	int ret;

	scoped_guard(mutex, &tb->lock) {
		ret = tb_enter(tb, CCDA_STEP_FLUSH, NULL);
		for (i = 0; !ret && i < tb->nr_blocks; i++)
			tb->blocks[i].blocked = false;
	}
	return ret;
}

static int tb_reclaim(struct ccda_tdi *tdi)
{
	struct tb_tdi *tb = tb_of(tdi);
	const char *bad = NULL;
	int ret;

	scoped_guard(mutex, &tb->lock) {
		if (!tb->locked)
			bad = "reclaim of an unlocked TDI";
		else if (tb->started)
			bad = "reclaim of a running TDI";
		else if (tb_any(tb, true))
			bad = "reclaim while blocks are still mapped";
		ret = tb_enter(tb, CCDA_STEP_RECLAIM, NULL);
		if (!bad && !ret)
			tb->locked = false;
	}
	if (bad)
		TB_REJECT(tb, "%s", bad);
	return bad ? -EIO : ret;
}

static int tb_return_pages(struct ccda_tdi *tdi,
			   const struct ccda_plan_call *c)
{
	struct tb_tdi *tb = tb_of(tdi);
	const char *bad = NULL;
	struct tb_block *b;
	int ret;

	scoped_guard(mutex, &tb->lock) {
		b = tb_find(tb, c);
		if (!b || !b->assigned)
			bad = "return of pages the guest does not own";
		else if (b->mapped || b->blocked)
			bad = "return of pages still mapped";
		else if (tb->started)
			bad = "return of pages of a running TDI";
		ret = tb_enter(tb, CCDA_STEP_RETURN_PAGES, c);
		if (!bad && !ret)
			b->assigned = false;
	}
	if (bad)
		TB_REJECT(tb, "%s (%#llx+%#llx)", bad, c->addr, c->size);
	return bad ? -EIO : ret;
}

static int tb_restore_shared(struct ccda_tdi *tdi)
{
	struct tb_tdi *tb = tb_of(tdi);
	bool bad;
	int ret;

	scoped_guard(mutex, &tb->lock) {
		bad = tb_any(tb, true);
		ret = tb_enter(tb, CCDA_STEP_RESTORE_SHARED, NULL);
		if (!bad && !ret)
			tb->shared_lost = false;
	}
	if (bad)
		TB_REJECT(tb, "shared view restored while blocks are mapped");
	return bad ? -EIO : ret;
}

/* A host TSM with every step (TDX / SEV-TIO shape): 4K and 2M blocks */
const struct ccda_backend_ops tb_host_ops = {
	.lock = tb_lock,
	.fetch_report = tb_fetch,
	.establish = tb_establish,
	.enable_dma = tb_enable_dma,
	.start = tb_start,
	.stop = tb_stop,
	.disable_dma = tb_disable_dma,
	.revoke = tb_revoke,
	.flush = tb_flush,
	.reclaim = tb_reclaim,
	.return_pages = tb_return_pages,
	.restore_shared = tb_restore_shared,
};
EXPORT_SYMBOL_IF_KUNIT(tb_host_ops);

/* A guest (Arm CCA shape): range calls, no flush, reclaim or page return */
const struct ccda_backend_ops tb_guest_ops = {
	.lock = tb_lock,
	.fetch_report = tb_fetch,
	.establish = tb_establish,
	.enable_dma = tb_enable_dma,
	.start = tb_start,
	.stop = tb_stop_unlock,
	.disable_dma = tb_disable_dma,
	.revoke = tb_revoke_now,
	.restore_shared = tb_restore_shared,
};
EXPORT_SYMBOL_IF_KUNIT(tb_guest_ops);

/*
 * The sample device:
 *   BAR0 (64-bit) [0, 4M) private
 *   BAR2 (32-bit) [0, 8K) private, [8K, 32K) unreported,
 *                 [32K, 36K) MSI-X table, [36K, 40K) MSI-X PBA,
 *                 [40K, 64K) unreported
 */
void tb_sample_layout(struct ccda_layout *layout)
{
	memset(layout, 0, sizeof(*layout));
	layout->bars[0].start = TB_BAR0;
	layout->bars[0].size = SZ_4M;
	layout->bars[0].flags = CCDA_BAR_MEM | CCDA_BAR_MEM64;
	layout->bars[2].start = TB_BAR2;
	layout->bars[2].size = SZ_64K;
	layout->bars[2].flags = CCDA_BAR_MEM;
	layout->msix.nr_entries = 8;
	layout->msix.table_bir = 2;
	layout->msix.pba_bir = 2;
	layout->msix.table_offset = SZ_32K;
	layout->msix.pba_offset = SZ_32K + SZ_4K;
}
EXPORT_SYMBOL_IF_KUNIT(tb_sample_layout);

static void tb_put_range(u8 *p, u64 pa, u32 pages, u16 flags, u16 id)
{
	put_unaligned_le64(pa >> 12, p);
	put_unaligned_le32(pages, p + 8);
	put_unaligned_le32(flags | ((u32)id << 16), p + 12);
}

size_t tb_sample_report(u8 *buf, size_t size)
{
	const size_t len = CCDA_REPORT_HDR_SIZE + 4 * CCDA_REPORT_RANGE_SIZE +
			   CCDA_REPORT_DSI_LEN_SIZE;
	u8 *r = buf + CCDA_REPORT_HDR_SIZE;

	if (size < len)
		return 0;
	memset(buf, 0, len);
	put_unaligned_le16(CCDA_IFINFO_DMA_NO_PASID, buf);
	put_unaligned_le32(4, buf + 12);
	tb_put_range(r, TB_BAR0, SZ_4M >> 12, 0, 0);
	tb_put_range(r + 16, TB_BAR2, 2, 0, 2);
	tb_put_range(r + 32, TB_BAR2 + SZ_32K, 1,
		     CCDA_RANGE_MSIX_TABLE | CCDA_RANGE_NON_TEE, 2);
	tb_put_range(r + 48, TB_BAR2 + SZ_32K + SZ_4K, 1,
		     CCDA_RANGE_MSIX_PBA | CCDA_RANGE_NON_TEE, 2);
	return len;
}
EXPORT_SYMBOL_IF_KUNIT(tb_sample_report);

/* A fresh firmware TDI that hands out the sample report */
struct tb_tdi *tb_tdi_new(struct kunit *test)
{
	struct tb_tdi *tb = kunit_kzalloc(test, sizeof(*tb), GFP_KERNEL);
	u8 *rep = kunit_kzalloc(test, 256, GFP_KERNEL);

	if (!tb || !rep)
		return NULL;
	tb->test = test;
	mutex_init(&tb->lock);
	tb->report = rep;
	tb->report_len = tb_sample_report(rep, 256);
	tb->fail_step = CCDA_STEP_NR;
	return tb;
}
EXPORT_SYMBOL_IF_KUNIT(tb_tdi_new);

void tb_reset_log(struct tb_tdi *tb)
{
	guard(mutex)(&tb->lock);
	tb->nr_log = 0;
	tb->lost = 0;
	memset(tb->calls, 0, sizeof(tb->calls));
}
EXPORT_SYMBOL_IF_KUNIT(tb_reset_log);

void tb_fail(struct tb_tdi *tb, enum ccda_step step, unsigned int nth,
	     int err)
{
	guard(mutex)(&tb->lock);
	memset(tb->calls, 0, sizeof(tb->calls));
	tb->fail_seen = 0;
	tb->fail_step = step;
	tb->fail_nth = nth;
	tb->fail_err = err;
}
EXPORT_SYMBOL_IF_KUNIT(tb_fail);

unsigned int tb_nr_mapped(struct tb_tdi *tb)
{
	unsigned int i, n = 0;

	guard(mutex)(&tb->lock);
	for (i = 0; i < tb->nr_blocks; i++)
		n += tb->blocks[i].mapped || tb->blocks[i].blocked;
	return n;
}
EXPORT_SYMBOL_IF_KUNIT(tb_nr_mapped);

unsigned int tb_nr_assigned(struct tb_tdi *tb)
{
	unsigned int i, n = 0;

	guard(mutex)(&tb->lock);
	for (i = 0; i < tb->nr_blocks; i++)
		n += tb->blocks[i].assigned;
	return n;
}
EXPORT_SYMBOL_IF_KUNIT(tb_nr_assigned);

/* Nothing mapped, nothing assigned, not locked, not running, DMA off */
bool tb_clean(struct tb_tdi *tb)
{
	guard(mutex)(&tb->lock);
	return !tb->locked && !tb->started && !tb->dma && !tb->shared_lost &&
	       !tb_any(tb, true) && !tb_any(tb, false);
}
EXPORT_SYMBOL_IF_KUNIT(tb_clean);

/* The log as "lock fetch_report establish@0xc0000000+0x200000 ..." */
int tb_format(struct tb_tdi *tb, char *buf, size_t size)
{
	unsigned int i;
	int n = 0;

	guard(mutex)(&tb->lock);
	buf[0] = '\0';
	for (i = 0; i < tb->nr_log; i++) {
		const struct tb_entry *e = &tb->log[i];

		n += scnprintf(buf + n, size - n, "%s%s", i ? " " : "",
			       ccda_step_name(e->step));
		if (e->size)
			n += scnprintf(buf + n, size - n, "@%#llx+%#llx",
				       e->addr, e->size);
		if (e->ret)
			n += scnprintf(buf + n, size - n, "=%d", e->ret);
	}
	return n;
}
EXPORT_SYMBOL_IF_KUNIT(tb_format);

static void tb_teardown(void *data)
{
	struct tb_ctx *ctx = data;
	struct kunit *test = ctx->test;

	if (ctx->tdi) {
		ccda_tdi_driver_unbound(ctx->tdi);
		KUNIT_EXPECT_EQ(test, ccda_tdi_unbind(ctx->tdi, NULL), 0);
		ccda_tdi_put(ctx->tdi);
		KUNIT_EXPECT_TRUE_MSG(test, tb_clean(ctx->tb),
				      "firmware model not clean at the end");
	}
	KUNIT_EXPECT_EQ(test, ccda_backend_unregister(ctx->backend), 0);
}

/*
 * Register a backend with @ops and create one TDI on it, CONFIG_UNLOCKED;
 * both go away at the end of the case, which then checks the model.
 */
struct tb_ctx *tb_setup(struct kunit *test, const struct ccda_backend_ops *ops,
			u64 block_sizes, enum ccda_tdi_role role,
			struct ccda_vm *vm)
{
	struct ccda_layout layout;
	struct ccda_tdi_info info = {};
	struct tb_ctx *ctx;

	ctx = kunit_kzalloc(test, sizeof(*ctx), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, ctx);
	ctx->test = test;
	ctx->backend = kunit_kzalloc(test, sizeof(*ctx->backend), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, ctx->backend);
	ctx->backend->name = role == CCDA_TDI_HOST ? "test-host" : "test-guest";
	ctx->backend->ops = ops;
	ctx->backend->block_sizes = block_sizes;
	ctx->backend->offset_mode = CCDA_OFFSET_BAR_ALIGN;
	KUNIT_ASSERT_EQ(test, ccda_backend_register(ctx->backend), 0);

	ctx->tb = tb_tdi_new(test);
	KUNIT_ASSERT_NOT_NULL(test, ctx->tb);
	tb_sample_layout(&layout);
	info.role = role;
	info.id = 0x100;
	info.layout = &layout;
	info.vm = vm;
	info.priv = ctx->tb;
	KUNIT_ASSERT_EQ(test, ccda_tdi_create(ctx->backend, &info, &ctx->tdi),
			0);
	KUNIT_ASSERT_EQ(test, kunit_add_action_or_reset(test, tb_teardown, ctx),
			0);
	return ctx;
}
EXPORT_SYMBOL_IF_KUNIT(tb_setup);

/*
 * Record the live-object counters now and check at the end of the case
 * (after every later cleanup action) that they are back.  Call it first.
 */
void tb_live_check_start(struct kunit *test)
{
	static const struct {
		atomic_t *counter;
		const char *what;
	} live[] = {
		{ &ccda_tdi_live, "TDIs" },
		{ &ccda_vm_live, "VMs" },
		{ &ccda_map_live, "maps" },
		{ &ccda_plan_live, "plans" },
		{ &ccda_report_live, "parsed reports" },
	};
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(live); i++)
		KUNIT_ASSERT_EQ(test, ccda_kunit_track_live(test, live[i].counter,
							    live[i].what), 0);
}
EXPORT_SYMBOL_IF_KUNIT(tb_live_check_start);

MODULE_IMPORT_NS(EXPORTED_FOR_KUNIT_TESTING);
MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("Recording test backend for the ccda KUnit suites");
