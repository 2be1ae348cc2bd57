// SPDX-License-Identifier: GPL-2.0-only
/*
 * KUnit tests for the firmware call planner (core/plan.c).
 *
 * The maps are built by hand, segment by segment, not by ccda_map_build():
 * the planner is a pure function of the map, and these cases must not
 * depend on how a map is derived from a report.
 *
 * Every plan that is built is checked against an independent invariant
 * checker (pt_check(): the calls tile each private segment exactly, in
 * order, every block supported and aligned in both address spaces) and
 * against ccda_plan_count().  Minimality is checked against a brute-force
 * search over 4 KiB positions, exhaustively on small cases and on random
 * ones.  Every case ends with a leak check: the number of live plans must
 * be back where it was when the case started.
 */

#include <kunit/resource.h>
#include <kunit/test.h>
#include <linux/bits.h>
#include <linux/limits.h>
#include <linux/log2.h>
#include <linux/module.h>
#include <linux/overflow.h>
#include <linux/prandom.h>
#include <linux/random.h>
#include <linux/sizes.h>
#include <linux/slab.h>
#include <linux/sprintf.h>
#include <linux/string.h>

#include "ccda.h"
#include "../core/ccda_private.h"
#include "ccda_kunit.h"

/* The suite's own granule: every address and length below is in bytes. */
#define PT_4K			((u64)SZ_4K)
#define PT_UNIT_SHIFT		12

/* What most x86 and Arm firmware maps */
#define PT_4K_2M_1G		((u64)SZ_4K | SZ_2M | SZ_1G)

/* Values the planner must overwrite on every path */
#define PT_POISON		((struct ccda_plan *)0x5a5a5a5aUL)
#define PT_COUNT_POISON		0x5a5a5a5a5a5aULL

/* Calls the dump of a bad plan shows at most */
#define PT_DUMP_MAX		32

/* One segment of a hand-built map; the segments are listed BAR by BAR. */
struct pt_seg {
	u32 bar;
	u64 offset;
	u64 size;
	u64 pa;
	enum ccda_seg_kind kind;
};

#define PT_PRIV(b, off, sz, p) {					\
	.bar = (b), .offset = (off), .size = (sz), .pa = (p),		\
	.kind = CCDA_SEG_PRIVATE,					\
}

#define PT_SEG(b, off, sz, k) {						\
	.bar = (b), .offset = (off), .size = (sz), .kind = (k),	\
}

/* A hand-built map: where each BAR is, how big, and its segments. */
struct pt_layout {
	u64 start[CCDA_NR_BARS];
	u64 size[CCDA_NR_BARS];
	u32 nr_segs;
	const struct pt_seg *segs;
};

/*
 * Build @l into a test-managed &struct ccda_map: segs[] in the order given,
 * each BAR pointing at its own run of them.
 */
static struct ccda_map *pt_map(struct kunit *test, const struct pt_layout *l)
{
	struct ccda_map *map;
	u32 i, bar;

	map = kunit_kzalloc(test, struct_size(map, segs, l->nr_segs),
			    GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, map);
	map->page_size = SZ_4K;
	map->nr_segs = l->nr_segs;

	for (bar = 0; bar < CCDA_NR_BARS; bar++) {
		map->bars[bar].start = l->start[bar];
		map->bars[bar].size = l->size[bar];
	}

	for (i = 0; i < l->nr_segs; i++) {
		const struct pt_seg *s = &l->segs[i];
		struct ccda_map_bar *mb = &map->bars[s->bar];

		KUNIT_ASSERT_LT(test, s->bar, CCDA_NR_BARS);
		KUNIT_ASSERT_TRUE_MSG(test, !i || l->segs[i - 1].bar <= s->bar,
				      "layout segments not listed BAR by BAR");
		map->segs[i].offset = s->offset;
		map->segs[i].size = s->size;
		map->segs[i].pa = s->pa;
		map->segs[i].kind = s->kind;
		if (!mb->nr_segs)
			mb->segs = &map->segs[i];
		mb->nr_segs++;
	}
	return map;
}

static int pt_live(void)
{
	return atomic_read(&ccda_plan_live);
}

/* Per-case leak check, registered first so that it runs last. */
static int pt_init(struct kunit *test)
{
	return ccda_kunit_track_live(test, &ccda_plan_live, "plans");
}

KUNIT_DEFINE_ACTION_WRAPPER(pt_plan_free, ccda_plan_free, struct ccda_plan *);

static void pt_dump(struct kunit *test, const struct ccda_plan *plan,
		    const char *tag)
{
	u32 i;

	kunit_info(test, "%s: plan for %#llx, %u calls:\n", tag,
		   plan->block_sizes, plan->nr_calls);
	for (i = 0; i < plan->nr_calls && i < PT_DUMP_MAX; i++)
		kunit_info(test, "  %u: BAR %u addr %#llx pa %#llx size %#llx\n",
			   i, plan->calls[i].bar, plan->calls[i].addr,
			   plan->calls[i].pa, plan->calls[i].size);
}

/*
 * A range call covers its whole segment; a block is one supported size,
 * a power of two, aligned to it at both guest address and PA.
 */
static bool pt_call_shape_ok(const struct ccda_plan_call *c, u64 sizes,
			     u64 seg_size)
{
	if (sizes == CCDA_PLAN_RANGES)
		return c->size == seg_size;
	if (c->size & (c->size - 1))
		return false;
	return (sizes & c->size) && !((c->addr | c->pa) & (c->size - 1));
}

/*
 * Check that the calls from *@next on tile private segment @seg of BAR @bar
 * at guest address @addr; advance *@next past them.  Returns false, after
 * saying why, at the first call that does not fit.
 */
static bool pt_check_seg(struct kunit *test, const struct ccda_plan *plan,
			 u32 *next, u32 bar, u64 addr,
			 const struct ccda_segment *seg, const char *tag)
{
	u64 pa = seg->pa, left = seg->size;
	const struct ccda_plan_call *c;
	u64 sizes = plan->block_sizes;
	u32 i;

	while (left) {
		i = *next;
		if (i >= plan->nr_calls) {
			KUNIT_FAIL(test, "%s: plan ends %#llx bytes short of segment at %#llx",
				   tag, left, addr);
			return false;
		}
		c = &plan->calls[i];
		if (c->bar != bar || c->addr != addr || c->pa != pa) {
			KUNIT_FAIL(test, "%s: call %u: want BAR %u addr %#llx pa %#llx",
				   tag, i, bar, addr, pa);
			return false;
		}
		if (!c->size || c->size > left) {
			KUNIT_FAIL(test, "%s: call %u: size %#llx, %#llx left",
				   tag, i, c->size, left);
			return false;
		}
		if (!pt_call_shape_ok(c, sizes, seg->size)) {
			KUNIT_FAIL(test, "%s: call %u: size %#llx unsupported or misaligned",
				   tag, i, c->size);
			return false;
		}
		addr += c->size;
		pa += c->size;
		left -= c->size;
		*next = i + 1;
	}
	return true;
}

/*
 * The invariant checker: @plan covers exactly the private segments of @map
 * (guest bases @base), in order, and nothing else.  Dumps the plan and
 * returns false if not.
 */
static bool pt_check(struct kunit *test, const struct ccda_map *map,
		     const u64 *base, const struct ccda_plan *plan,
		     const char *tag)
{
	const struct ccda_map_bar *mb;
	u32 bar, i, next = 0;
	bool ok = true;

	for (bar = 0; ok && bar < CCDA_NR_BARS; bar++) {
		mb = &map->bars[bar];
		for (i = 0; ok && i < mb->nr_segs; i++) {
			if (mb->segs[i].kind != CCDA_SEG_PRIVATE)
				continue;
			ok = pt_check_seg(test, plan, &next, bar,
					  (base ? base[bar] : mb->start) +
					  mb->segs[i].offset,
					  &mb->segs[i], tag);
		}
	}
	if (ok && next != plan->nr_calls) {
		KUNIT_FAIL(test, "%s: %u calls past the last private segment",
			   tag, plan->nr_calls - next);
		ok = false;
	}
	if (!ok)
		pt_dump(test, plan, tag);
	return ok;
}

static u64 pt_count_ok(struct kunit *test, const struct ccda_map *map,
		       const u64 *base, u64 sizes)
{
	struct ccda_diag diag = { .reason = "poison", .index = 42 };
	u64 count = PT_COUNT_POISON;
	int ret;

	ret = ccda_plan_count(map, base, sizes, &count, &diag);
	KUNIT_ASSERT_EQ_MSG(test, ret, 0, "count refused: %s (segment %d)",
			    diag.reason, diag.index);
	KUNIT_EXPECT_NULL(test, diag.reason);
	KUNIT_EXPECT_EQ(test, diag.index, -1);
	return count;
}

/*
 * Build what must be valid, check it with pt_check() and against
 * ccda_plan_count(); the plan is freed when the case ends, or earlier by
 * pt_release().
 */
static struct ccda_plan *pt_build_ok(struct kunit *test,
				     const struct ccda_map *map,
				     const u64 *base, u64 sizes)
{
	struct ccda_diag diag = { .reason = "poison", .index = 42 };
	struct ccda_plan *plan = PT_POISON;
	int live = pt_live();
	int ret;

	ret = ccda_plan_build(map, base, sizes, &plan, &diag);
	KUNIT_ASSERT_EQ_MSG(test, ret, 0, "valid map refused: %s (segment %d)",
			    diag.reason, diag.index);
	KUNIT_ASSERT_NOT_ERR_OR_NULL(test, plan);
	KUNIT_ASSERT_PTR_NE(test, plan, PT_POISON);
	KUNIT_ASSERT_EQ(test, kunit_add_action_or_reset(test, pt_plan_free,
							plan), 0);
	KUNIT_EXPECT_NULL(test, diag.reason);
	KUNIT_EXPECT_EQ(test, diag.index, -1);
	KUNIT_EXPECT_EQ(test, pt_live(), live + 1);
	KUNIT_EXPECT_EQ(test, plan->block_sizes, sizes);
	KUNIT_EXPECT_TRUE(test, pt_check(test, map, base, plan, "built"));
	KUNIT_EXPECT_EQ(test, pt_count_ok(test, map, base, sizes),
			plan->nr_calls);
	return plan;
}

static void pt_release(struct kunit *test, struct ccda_plan *plan)
{
	int live = pt_live();

	kunit_release_action(test, pt_plan_free, plan);
	KUNIT_EXPECT_EQ(test, pt_live(), live - 1);
}

/* Every negative case starts here: the unbroken input must plan. */
static void pt_prove_valid(struct kunit *test, const struct ccda_map *map,
			   const u64 *base, u64 sizes)
{
	pt_release(test, pt_build_ok(test, map, base, sizes));
}

/*
 * Build what must be refused with @err, blaming segment @index (-1 for the
 * input as a whole): *out must be NULL, the diag filled in, nothing
 * allocated; the same without a diag.
 */
static void pt_build_fail(struct kunit *test, const struct ccda_map *map,
			  const u64 *base, u64 sizes, int err, int index)
{
	struct ccda_diag diag = { .reason = NULL, .index = 42 };
	struct ccda_plan *plan = PT_POISON;
	int live = pt_live();
	int ret;

	ret = ccda_plan_build(map, base, sizes, &plan, &diag);
	if (plan && plan != PT_POISON)
		kunit_add_action_or_reset(test, pt_plan_free, plan);
	KUNIT_EXPECT_EQ_MSG(test, ret, err, "build: %s", diag.reason);
	KUNIT_EXPECT_NULL(test, plan);
	KUNIT_EXPECT_NOT_NULL(test, diag.reason);
	KUNIT_EXPECT_EQ_MSG(test, diag.index, index, "build: %s", diag.reason);
	KUNIT_EXPECT_EQ(test, pt_live(), live);

	plan = PT_POISON;
	ret = ccda_plan_build(map, base, sizes, &plan, NULL);
	if (plan && plan != PT_POISON)
		kunit_add_action_or_reset(test, pt_plan_free, plan);
	KUNIT_EXPECT_EQ_MSG(test, ret, err, "build, no diag");
	KUNIT_EXPECT_NULL(test, plan);
	KUNIT_EXPECT_EQ(test, pt_live(), live);
}

/* The same for ccda_plan_count(), which must also zero the count. */
static void pt_count_fail(struct kunit *test, const struct ccda_map *map,
			  const u64 *base, u64 sizes, int err, int index)
{
	struct ccda_diag diag = { .reason = NULL, .index = 42 };
	u64 count = PT_COUNT_POISON;
	int ret;

	ret = ccda_plan_count(map, base, sizes, &count, &diag);
	KUNIT_EXPECT_EQ_MSG(test, ret, err, "count: %s", diag.reason);
	KUNIT_EXPECT_EQ(test, count, 0);
	KUNIT_EXPECT_NOT_NULL(test, diag.reason);
	KUNIT_EXPECT_EQ_MSG(test, diag.index, index, "count: %s", diag.reason);

	count = PT_COUNT_POISON;
	ret = ccda_plan_count(map, base, sizes, &count, NULL);
	KUNIT_EXPECT_EQ_MSG(test, ret, err, "count, no diag");
	KUNIT_EXPECT_EQ(test, count, 0);
}

/* Refused alike by ccda_plan_build() and ccda_plan_count() */
static void pt_fail(struct kunit *test, const struct ccda_map *map,
		    const u64 *base, u64 sizes, int err, int index)
{
	pt_build_fail(test, map, base, sizes, err, index);
	pt_count_fail(test, map, base, sizes, err, index);
}

/* Compare a plan with the expected calls, field by field. */
static void pt_expect_calls(struct kunit *test, const struct ccda_plan *plan,
			    const struct ccda_plan_call *want, u32 nr)
{
	u32 i;

	KUNIT_ASSERT_EQ(test, plan->nr_calls, nr);
	for (i = 0; i < nr; i++) {
		KUNIT_EXPECT_EQ_MSG(test, plan->calls[i].bar, want[i].bar,
				    "call %u", i);
		KUNIT_EXPECT_EQ_MSG(test, plan->calls[i].addr, want[i].addr,
				    "call %u", i);
		KUNIT_EXPECT_EQ_MSG(test, plan->calls[i].pa, want[i].pa,
				    "call %u", i);
		KUNIT_EXPECT_EQ_MSG(test, plan->calls[i].size, want[i].size,
				    "call %u", i);
	}
}

/*
 * @nr calls of @size bytes each from BAR @bar, starting at guest address
 * @addr and PA @pa, for the long regular plans.
 */
static struct ccda_plan_call *pt_run(struct kunit *test, u32 nr, u32 bar,
				     u64 addr, u64 pa, u64 size)
{
	struct ccda_plan_call *want;
	u32 i;

	want = kunit_kcalloc(test, nr, sizeof(*want), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, want);
	for (i = 0; i < nr; i++) {
		want[i].bar = bar;
		want[i].addr = addr + i * size;
		want[i].pa = pa + i * size;
		want[i].size = size;
	}
	return want;
}

/*
 * The brute-force oracle.  Fewest blocks of @sizes, each aligned to its size
 * at both guest address and PA, that tile @units 4 KiB units from @addr and
 * @pa: a dynamic programme over 4 KiB positions, best[i] being the fewest
 * blocks for [i, @units).  @best has room for @units + 1 entries.  Returns
 * U32_MAX when no tiling exists.
 */
static u32 pt_min_calls(u32 *best, u64 addr, u64 pa, u32 units, u64 sizes)
{
	u64 t, at, at_pa;
	u32 i, tu;
	int bit;

	best[units] = 0;
	for (i = units; i-- > 0;) {
		best[i] = U32_MAX;
		at = addr + ((u64)i << PT_UNIT_SHIFT);
		at_pa = pa + ((u64)i << PT_UNIT_SHIFT);
		for (bit = PT_UNIT_SHIFT; bit < BITS_PER_TYPE(u64); bit++) {
			t = BIT_ULL(bit);
			if (!(sizes & t) || ((at | at_pa) & (t - 1)))
				continue;
			if ((t >> PT_UNIT_SHIFT) > units - i)
				break;
			tu = t >> PT_UNIT_SHIFT;
			if (best[i + tu] != U32_MAX && best[i + tu] + 1 < best[i])
				best[i] = best[i + tu] + 1;
		}
	}
	return best[0];
}

/*
 * BAR 0: 64 GiB at 256 GiB (1 GiB-aligned), all private, PA 1 TiB:
 *
 *   [0, 64G)  private, PA [1T, 1T + 64G)
 *
 * 4K|2M|1G: 64 blocks of 1 GiB.  4K only: 16,777,216 blocks, which only
 * ccda_plan_count() may report.  Range mode: one call.
 */
static const struct pt_seg pt_64g_segs[] = {
	PT_PRIV(0, 0, SZ_64G, 0x10000000000ULL),
};

static const struct pt_layout pt_64g = {
	.start = { 0x4000000000ULL },
	.size = { SZ_64G },
	.nr_segs = ARRAY_SIZE(pt_64g_segs),
	.segs = pt_64g_segs,
};

static void ccda_mmio_plan_test_64g(struct kunit *test)
{
	const struct ccda_plan_call range = {
		.bar = 0, .addr = 0x4000000000ULL, .pa = 0x10000000000ULL,
		.size = SZ_64G,
	};
	struct ccda_map *map = pt_map(test, &pt_64g);
	struct ccda_plan *plan;

	plan = pt_build_ok(test, map, NULL, PT_4K_2M_1G);
	pt_expect_calls(test, plan,
			pt_run(test, 64, 0, 0x4000000000ULL, 0x10000000000ULL,
			       SZ_1G),
			64);

	KUNIT_EXPECT_EQ(test, pt_count_ok(test, map, NULL, PT_4K_2M_1G), 64);
	KUNIT_EXPECT_EQ(test, pt_count_ok(test, map, NULL, SZ_4K), 16777216);
	KUNIT_EXPECT_EQ(test, pt_count_ok(test, map, NULL, SZ_4K | SZ_2M),
			32768);
	pt_build_fail(test, map, NULL, SZ_4K, -E2BIG, -1);

	plan = pt_build_ok(test, map, NULL, CCDA_PLAN_RANGES);
	pt_expect_calls(test, plan, &range, 1);
}

/*
 * BAR 2 (64-bit): 16 MiB at 2 GiB:
 *
 *   [0, 2M)    shared
 *   [2M, 10M)  private, PA [0x2_0020_0000, +8M)
 *   [10M, 16M) unreported
 *
 * 2M only, and 2M|1G (1G never fits): four 2 MiB blocks.
 */
static const struct pt_seg pt_2m_segs[] = {
	PT_SEG(2, 0, SZ_2M, CCDA_SEG_SHARED),
	PT_PRIV(2, SZ_2M, SZ_8M, 0x200200000ULL),
	PT_SEG(2, SZ_8M + SZ_2M, SZ_4M + SZ_2M, CCDA_SEG_UNREPORTED),
};

static const struct pt_layout pt_2m = {
	.start = { [2] = 0x80000000ULL },
	.size = { [2] = SZ_16M },
	.nr_segs = ARRAY_SIZE(pt_2m_segs),
	.segs = pt_2m_segs,
};

static const struct ccda_plan_call pt_2m_calls[] = {
	{ .bar = 2, .addr = 0x80200000, .pa = 0x200200000, .size = SZ_2M },
	{ .bar = 2, .addr = 0x80400000, .pa = 0x200400000, .size = SZ_2M },
	{ .bar = 2, .addr = 0x80600000, .pa = 0x200600000, .size = SZ_2M },
	{ .bar = 2, .addr = 0x80800000, .pa = 0x200800000, .size = SZ_2M },
};

static void ccda_mmio_plan_test_2m_only(struct kunit *test)
{
	struct ccda_map *map = pt_map(test, &pt_2m);
	struct ccda_plan *plan;

	plan = pt_build_ok(test, map, NULL, SZ_2M);
	pt_expect_calls(test, plan, pt_2m_calls, ARRAY_SIZE(pt_2m_calls));

	plan = pt_build_ok(test, map, NULL, SZ_2M | SZ_1G);
	pt_expect_calls(test, plan, pt_2m_calls, ARRAY_SIZE(pt_2m_calls));
}

/*
 * BAR 0: 4 MiB at 4 GiB (2 MiB-aligned), all private:
 *
 *   [0, 4M)  private, PA 0x2_0000_1000 (4 KiB-aligned only)
 *
 * The guest address would take 2 MiB blocks, the PA never does: 1024 blocks
 * of 4 KiB.  With the PA 64 KiB-aligned instead and 4K|64K|2M: 64 blocks of
 * 64 KiB.
 */
static const struct pt_seg pt_misaligned_segs[] = {
	PT_PRIV(0, 0, SZ_4M, 0x200001000ULL),
};

static const struct pt_layout pt_misaligned = {
	.start = { 0x100000000ULL },
	.size = { SZ_4M },
	.nr_segs = ARRAY_SIZE(pt_misaligned_segs),
	.segs = pt_misaligned_segs,
};

static void ccda_mmio_plan_test_misaligned_pa(struct kunit *test)
{
	struct ccda_map *map = pt_map(test, &pt_misaligned);
	struct ccda_plan *plan;

	plan = pt_build_ok(test, map, NULL, PT_4K_2M_1G);
	pt_expect_calls(test, plan,
			pt_run(test, 1024, 0, 0x100000000ULL, 0x200001000ULL,
			       SZ_4K),
			1024);

	map->segs[0].pa = 0x200010000ULL;
	plan = pt_build_ok(test, map, NULL, SZ_4K | SZ_64K | SZ_2M);
	pt_expect_calls(test, plan,
			pt_run(test, 64, 0, 0x100000000ULL, 0x200010000ULL,
			       SZ_64K),
			64);
}

/*
 * BAR 0: 8 MiB at 3 GiB; the PA has the address's offset from 2 MiB:
 *
 *   [0, 2M - 4K)        shared
 *   [2M - 4K, 6M + 8K)  private, PA 0x1_001f_f000
 *   [6M + 8K, 8M)       unreported
 *
 * 4K|2M: 4K up to the boundary, 2M, 2M, then 4K, 4K.
 * 4K|8K|2M: the tail is one 8K block.
 */
static const struct pt_seg pt_straddle_segs[] = {
	PT_SEG(0, 0, SZ_2M - SZ_4K, CCDA_SEG_SHARED),
	PT_PRIV(0, SZ_2M - SZ_4K, SZ_4M + SZ_8K + SZ_4K, 0x1001ff000ULL),
	PT_SEG(0, SZ_4M + SZ_2M + SZ_8K, SZ_2M - SZ_8K, CCDA_SEG_UNREPORTED),
};

static const struct pt_layout pt_straddle = {
	.start = { 0xc0000000ULL },
	.size = { SZ_8M },
	.nr_segs = ARRAY_SIZE(pt_straddle_segs),
	.segs = pt_straddle_segs,
};

static const struct ccda_plan_call pt_straddle_4k_2m[] = {
	{ .bar = 0, .addr = 0xc01ff000, .pa = 0x1001ff000, .size = SZ_4K },
	{ .bar = 0, .addr = 0xc0200000, .pa = 0x100200000, .size = SZ_2M },
	{ .bar = 0, .addr = 0xc0400000, .pa = 0x100400000, .size = SZ_2M },
	{ .bar = 0, .addr = 0xc0600000, .pa = 0x100600000, .size = SZ_4K },
	{ .bar = 0, .addr = 0xc0601000, .pa = 0x100601000, .size = SZ_4K },
};

static const struct ccda_plan_call pt_straddle_4k_8k_2m[] = {
	{ .bar = 0, .addr = 0xc01ff000, .pa = 0x1001ff000, .size = SZ_4K },
	{ .bar = 0, .addr = 0xc0200000, .pa = 0x100200000, .size = SZ_2M },
	{ .bar = 0, .addr = 0xc0400000, .pa = 0x100400000, .size = SZ_2M },
	{ .bar = 0, .addr = 0xc0600000, .pa = 0x100600000, .size = SZ_8K },
};

/*
 * The same BAR, climbing through every size on the way up and down:
 *
 *   [0, 2M - 28K)        shared
 *   [2M - 28K, 4M + 20K) private, PA 0x1_001f_9000
 *   [4M + 20K, 8M)       unreported
 *
 * 4K|8K|16K|2M: 4K, 8K, 16K up to 2M; 2M; then 16K, 4K.
 */
static const struct pt_seg pt_climb_segs[] = {
	PT_SEG(0, 0, SZ_2M - 7 * SZ_4K, CCDA_SEG_SHARED),
	PT_PRIV(0, SZ_2M - 7 * SZ_4K, SZ_2M + 12 * SZ_4K, 0x1001f9000ULL),
	PT_SEG(0, SZ_4M + 5 * SZ_4K, SZ_4M - 5 * SZ_4K, CCDA_SEG_UNREPORTED),
};

static const struct pt_layout pt_climb = {
	.start = { 0xc0000000ULL },
	.size = { SZ_8M },
	.nr_segs = ARRAY_SIZE(pt_climb_segs),
	.segs = pt_climb_segs,
};

static const struct ccda_plan_call pt_climb_calls[] = {
	{ .bar = 0, .addr = 0xc01f9000, .pa = 0x1001f9000, .size = SZ_4K },
	{ .bar = 0, .addr = 0xc01fa000, .pa = 0x1001fa000, .size = SZ_8K },
	{ .bar = 0, .addr = 0xc01fc000, .pa = 0x1001fc000, .size = SZ_16K },
	{ .bar = 0, .addr = 0xc0200000, .pa = 0x100200000, .size = SZ_2M },
	{ .bar = 0, .addr = 0xc0400000, .pa = 0x100400000, .size = SZ_16K },
	{ .bar = 0, .addr = 0xc0404000, .pa = 0x100404000, .size = SZ_4K },
};

static void ccda_mmio_plan_test_straddle_2m(struct kunit *test)
{
	struct ccda_map *map = pt_map(test, &pt_straddle);
	struct ccda_plan *plan;

	plan = pt_build_ok(test, map, NULL, SZ_4K | SZ_2M);
	pt_expect_calls(test, plan, pt_straddle_4k_2m,
			ARRAY_SIZE(pt_straddle_4k_2m));

	plan = pt_build_ok(test, map, NULL, SZ_4K | SZ_8K | SZ_2M);
	pt_expect_calls(test, plan, pt_straddle_4k_8k_2m,
			ARRAY_SIZE(pt_straddle_4k_8k_2m));

	map = pt_map(test, &pt_climb);
	plan = pt_build_ok(test, map, NULL, SZ_4K | SZ_8K | SZ_16K | SZ_2M);
	pt_expect_calls(test, plan, pt_climb_calls, ARRAY_SIZE(pt_climb_calls));
}

/*
 * The reference map: private segments among every other kind, in four BARs.
 *
 * BAR 0 (64 KiB at 0xfe00_0000):
 *   seg 0  [0, 4K)      unreported
 *   seg 1  [4K, 12K)    private, PA 0x9_0000_1000
 *   seg 2  [12K, 16K)   MSI-X table
 *   seg 3  [16K, 20K)   MSI-X PBA
 *   seg 4  [20K, 32K)   shared
 *   seg 5  [32K, 64K)   private, PA 0x9_0000_8000
 * BAR 2 (64-bit, 4 MiB at 256 GiB):
 *   seg 6  [0, 2M)      private, PA 0xa_0000_0000
 *   seg 7  [2M, 4M)     shared
 * BAR 4 (16 KiB at 0xfe10_0000):
 *   seg 8  [0, 16K)     shared
 * BAR 5 (8 KiB at 0xfe20_0000):
 *   seg 9  [0, 4K)      private, PA 0xb_0000_0000
 *   seg 10 [4K, 8K)     unreported
 *
 * 4K|32K|2M: seg 1 is two 4K blocks (its second page is only 8K-aligned),
 * seg 5 one 32K block, seg 6 one 2M block, seg 9 one 4K block.
 */
#define PT_REF_SIZES	((u64)SZ_4K | SZ_32K | SZ_2M)

static const struct pt_seg pt_ref_segs[] = {
	PT_SEG(0, 0, SZ_4K, CCDA_SEG_UNREPORTED),
	PT_PRIV(0, SZ_4K, SZ_8K, 0x900001000ULL),
	PT_SEG(0, SZ_8K + SZ_4K, SZ_4K, CCDA_SEG_MSIX_TABLE),
	PT_SEG(0, SZ_16K, SZ_4K, CCDA_SEG_MSIX_PBA),
	PT_SEG(0, SZ_16K + SZ_4K, SZ_8K + SZ_4K, CCDA_SEG_SHARED),
	PT_PRIV(0, SZ_32K, SZ_32K, 0x900008000ULL),
	PT_PRIV(2, 0, SZ_2M, 0xa00000000ULL),
	PT_SEG(2, SZ_2M, SZ_2M, CCDA_SEG_SHARED),
	PT_SEG(4, 0, SZ_16K, CCDA_SEG_SHARED),
	PT_PRIV(5, 0, SZ_4K, 0xb00000000ULL),
	PT_SEG(5, SZ_4K, SZ_4K, CCDA_SEG_UNREPORTED),
};

static const struct pt_layout pt_ref = {
	.start = {
		[0] = 0xfe000000ULL, [2] = 0x4000000000ULL,
		[4] = 0xfe100000ULL, [5] = 0xfe200000ULL,
	},
	.size = {
		[0] = SZ_64K, [2] = SZ_4M, [4] = SZ_16K, [5] = SZ_8K,
	},
	.nr_segs = ARRAY_SIZE(pt_ref_segs),
	.segs = pt_ref_segs,
};

static const struct ccda_plan_call pt_ref_calls[] = {
	{ .bar = 0, .addr = 0xfe001000, .pa = 0x900001000, .size = SZ_4K },
	{ .bar = 0, .addr = 0xfe002000, .pa = 0x900002000, .size = SZ_4K },
	{ .bar = 0, .addr = 0xfe008000, .pa = 0x900008000, .size = SZ_32K },
	{ .bar = 2, .addr = 0x4000000000, .pa = 0xa00000000, .size = SZ_2M },
	{ .bar = 5, .addr = 0xfe200000, .pa = 0xb00000000, .size = SZ_4K },
};

static void ccda_mmio_plan_test_interleaved(struct kunit *test)
{
	struct ccda_map *map = pt_map(test, &pt_ref);
	struct ccda_plan *plan;

	plan = pt_build_ok(test, map, NULL, PT_REF_SIZES);
	pt_expect_calls(test, plan, pt_ref_calls, ARRAY_SIZE(pt_ref_calls));

	/* 4K only: 2 + 8 + 512 + 1 */
	KUNIT_EXPECT_EQ(test, pt_count_ok(test, map, NULL, SZ_4K), 523);

	/* With no private segment at all there is nothing to call. */
	map->segs[1].kind = CCDA_SEG_SHARED;
	map->segs[5].kind = CCDA_SEG_UNREPORTED;
	map->segs[6].kind = CCDA_SEG_MSIX_TABLE;
	map->segs[9].kind = CCDA_SEG_MSIX_PBA;
	plan = pt_build_ok(test, map, NULL, PT_REF_SIZES);
	KUNIT_EXPECT_EQ(test, plan->nr_calls, 0);
	plan = pt_build_ok(test, map, NULL, CCDA_PLAN_RANGES);
	KUNIT_EXPECT_EQ(test, plan->nr_calls, 0);
}

/* Range mode on the reference map: one call per private segment */
static const struct ccda_plan_call pt_ref_ranges[] = {
	{ .bar = 0, .addr = 0xfe001000, .pa = 0x900001000, .size = SZ_8K },
	{ .bar = 0, .addr = 0xfe008000, .pa = 0x900008000, .size = SZ_32K },
	{ .bar = 2, .addr = 0x4000000000, .pa = 0xa00000000, .size = SZ_2M },
	{ .bar = 5, .addr = 0xfe200000, .pa = 0xb00000000, .size = SZ_4K },
};

static void ccda_mmio_plan_test_ranges(struct kunit *test)
{
	struct ccda_map *map = pt_map(test, &pt_ref);
	struct ccda_plan *plan;

	plan = pt_build_ok(test, map, NULL, CCDA_PLAN_RANGES);
	KUNIT_EXPECT_EQ(test, plan->block_sizes, 0);
	pt_expect_calls(test, plan, pt_ref_ranges, ARRAY_SIZE(pt_ref_ranges));

	/*
	 * A range call needs no alignment beyond the granule: PA and guest
	 * address 4 KiB apart from 2 MiB alignment are still one range.
	 */
	map->segs[6].pa += SZ_4K;
	plan = pt_build_ok(test, map, NULL, CCDA_PLAN_RANGES);
	KUNIT_EXPECT_EQ(test, plan->nr_calls, ARRAY_SIZE(pt_ref_ranges));
	KUNIT_EXPECT_EQ(test, plan->calls[2].pa, 0xa00001000ULL);
	KUNIT_EXPECT_EQ(test, plan->calls[2].size, SZ_2M);
}

/*
 * Guest bases on the reference map.  BARs 1, 3 and 4 have no private
 * segment, so their bases are never used: U64_MAX there would overflow if
 * they were.
 */
static const u64 pt_ref_base[CCDA_NR_BARS] = {
	0x100000000ULL, U64_MAX, 0x8040000000ULL, U64_MAX, U64_MAX,
	0x200000000ULL,
};

static const struct ccda_plan_call pt_ref_base_calls[] = {
	{ .bar = 0, .addr = 0x100001000, .pa = 0x900001000, .size = SZ_4K },
	{ .bar = 0, .addr = 0x100002000, .pa = 0x900002000, .size = SZ_4K },
	{ .bar = 0, .addr = 0x100008000, .pa = 0x900008000, .size = SZ_32K },
	{ .bar = 2, .addr = 0x8040000000, .pa = 0xa00000000, .size = SZ_2M },
	{ .bar = 5, .addr = 0x200000000, .pa = 0xb00000000, .size = SZ_4K },
};

static void ccda_mmio_plan_test_guest_base(struct kunit *test)
{
	struct ccda_map *map = pt_map(test, &pt_ref);
	u64 base[CCDA_NR_BARS];
	struct ccda_plan *plan;

	plan = pt_build_ok(test, map, NULL, PT_REF_SIZES);
	pt_expect_calls(test, plan, pt_ref_calls, ARRAY_SIZE(pt_ref_calls));

	plan = pt_build_ok(test, map, pt_ref_base, PT_REF_SIZES);
	pt_expect_calls(test, plan, pt_ref_base_calls,
			ARRAY_SIZE(pt_ref_base_calls));

	/*
	 * Alignment is the guest address's, not the BAR's: BAR 2 seen 4 KiB
	 * off 2 MiB alignment in the guest takes 512 blocks of 4 KiB.
	 */
	memcpy(base, pt_ref_base, sizeof(base));
	base[2] += SZ_4K;
	plan = pt_build_ok(test, map, base, PT_REF_SIZES);
	KUNIT_EXPECT_EQ(test, plan->nr_calls, 2 + 1 + 512 + 1);
	KUNIT_EXPECT_EQ(test, plan->calls[3].addr, 0x8040001000ULL);
	KUNIT_EXPECT_EQ(test, plan->calls[3].pa, 0xa00000000ULL);
	KUNIT_EXPECT_EQ(test, plan->calls[3].size, SZ_4K);

	/* ... while the BAR's own address would have allowed one block. */
	plan = pt_build_ok(test, map, NULL, PT_REF_SIZES);
	KUNIT_EXPECT_EQ(test, plan->nr_calls, ARRAY_SIZE(pt_ref_calls));
}

/* Block-size masks, on the reference map */
struct pt_sizes_case {
	const char *desc;
	u64 sizes;
	int err;
	int index;
	u64 count;
};

static const struct pt_sizes_case pt_sizes_cases[] = {
	{ "4K|32K|2M (reference)", PT_REF_SIZES, 0, -1, 5 },
	{ "4K", SZ_4K, 0, -1, 523 },
	{ "4K|2M|1G", PT_4K_2M_1G, 0, -1, 2 + 8 + 1 + 1 },
	{ "every size from 4K", GENMASK_ULL(63, 12), 0, -1, 5 },
	{ "8K|2M (seg 1 is 4K-aligned)", SZ_8K | SZ_2M, -EINVAL, 1, 0 },
	{ "2M|1G", SZ_2M | SZ_1G, -EINVAL, 1, 0 },
	{ "BIT(63) alone", BIT_ULL(63), -EINVAL, 1, 0 },
	{ "BIT(0)", BIT_ULL(0), -EINVAL, -1, 0 },
	{ "BIT(11) (2K)", BIT_ULL(11), -EINVAL, -1, 0 },
	{ "2K|4K", SZ_2K | SZ_4K, -EINVAL, -1, 0 },
	{ "1|4K|32K|2M", 1 | PT_REF_SIZES, -EINVAL, -1, 0 },
	{ "GENMASK(11, 0)", GENMASK_ULL(11, 0), -EINVAL, -1, 0 },
	{ "U64_MAX", U64_MAX, -EINVAL, -1, 0 },
};

KUNIT_ARRAY_PARAM_DESC(pt_sizes, pt_sizes_cases, desc);

static void ccda_mmio_plan_test_block_sizes(struct kunit *test)
{
	const struct pt_sizes_case *p = test->param_value;
	struct ccda_map *map = pt_map(test, &pt_ref);

	pt_prove_valid(test, map, NULL, PT_REF_SIZES);
	if (p->err) {
		pt_fail(test, map, NULL, p->sizes, p->err, p->index);
		return;
	}
	pt_build_ok(test, map, NULL, p->sizes);
	KUNIT_EXPECT_EQ(test, pt_count_ok(test, map, NULL, p->sizes),
			p->count);
}

/*
 * One thing broken in the reference map (segment numbers as drawn above
 * ccda_mmio_plan_test_interleaved()), or in its guest bases.
 */
struct pt_break_case {
	const char *desc;
	void (*apply)(struct ccda_map *map, u64 *base);
	bool guest_base;
	u64 sizes;
	int err;
	int index;
};

static void pt_pa_4k_misaligned(struct ccda_map *map, u64 *base)
{
	map->segs[5].pa += SZ_2K;
}

static void pt_size_sub_4k(struct ccda_map *map, u64 *base)
{
	map->segs[9].size = SZ_2K;
}

static void pt_base_sub_4k(struct ccda_map *map, u64 *base)
{
	base[2] += SZ_2K;
}

static void pt_bar_start_sub_4k(struct ccda_map *map, u64 *base)
{
	map->bars[5].start += SZ_1K;
}

/* base[0] + 4K is 2^64 */
static void pt_base_offset_wraps(struct ccda_map *map, u64 *base)
{
	base[0] = U64_MAX - SZ_4K + 1;
}

/* base[2] + 0 fits, but the 2 MiB segment runs past 2^64 */
static void pt_base_end_wraps(struct ccda_map *map, u64 *base)
{
	base[2] = U64_MAX - SZ_1M + 1;
}

/* The last byte of BAR 2's private segment is the last byte of the space. */
static void pt_base_end_at_top(struct ccda_map *map, u64 *base)
{
	base[2] = U64_MAX - SZ_2M + 1;
}

static void pt_start_end_wraps(struct ccda_map *map, u64 *base)
{
	map->bars[2].start = U64_MAX - SZ_1M + 1;
}

static void pt_pa_end_wraps(struct ccda_map *map, u64 *base)
{
	map->segs[6].pa = U64_MAX - SZ_1M + 1;
}

static void pt_pa_end_at_top(struct ccda_map *map, u64 *base)
{
	map->segs[6].pa = U64_MAX - SZ_2M + 1;
}

static void pt_empty_shared(struct ccda_map *map, u64 *base)
{
	map->segs[3].size = 0;
}

static void pt_empty_private(struct ccda_map *map, u64 *base)
{
	map->segs[9].size = 0;
}

static void pt_out_of_order(struct ccda_map *map, u64 *base)
{
	map->segs[4].offset = SZ_8K + SZ_4K;
}

static void pt_private_overlaps(struct ccda_map *map, u64 *base)
{
	map->segs[5].offset -= SZ_4K;
}

static void pt_past_bar(struct ccda_map *map, u64 *base)
{
	map->segs[7].size = SZ_4M;
}

static void pt_private_past_bar(struct ccda_map *map, u64 *base)
{
	map->bars[5].size = SZ_2K;
}

static void pt_offset_wraps(struct ccda_map *map, u64 *base)
{
	map->segs[7].offset = U64_MAX - SZ_1M + 1;
}

static void pt_bar_counts_exceed_map(struct ccda_map *map, u64 *base)
{
	map->bars[5].nr_segs = 3;
}

static void pt_bar_segs_null(struct ccda_map *map, u64 *base)
{
	map->bars[4].segs = NULL;
}

static const struct pt_break_case pt_break_cases[] = {
	/* Segments no block covers */
	{ "PA 2K off 4K alignment", pt_pa_4k_misaligned, false,
	  PT_REF_SIZES, -EINVAL, 5 },
	{ "PA 2K off 4K alignment, range mode", pt_pa_4k_misaligned, false,
	  CCDA_PLAN_RANGES, -EINVAL, 5 },
	{ "size 2K", pt_size_sub_4k, false, PT_REF_SIZES, -EINVAL, 9 },
	{ "size 2K, range mode", pt_size_sub_4k, false, CCDA_PLAN_RANGES,
	  -EINVAL, 9 },
	{ "guest base 2K off 4K alignment", pt_base_sub_4k, true,
	  PT_REF_SIZES, -EINVAL, 6 },
	{ "guest base 2K off 4K alignment, range mode", pt_base_sub_4k, true,
	  CCDA_PLAN_RANGES, -EINVAL, 6 },
	{ "BAR start 1K off 4K alignment", pt_bar_start_sub_4k, false,
	  PT_REF_SIZES, -EINVAL, 9 },
	{ "BAR start 1K off 4K alignment, range mode", pt_bar_start_sub_4k,
	  false, CCDA_PLAN_RANGES, -EINVAL, 9 },
	/* Addresses past the end of the 64-bit space */
	{ "guest base + offset is 2^64", pt_base_offset_wraps, true,
	  PT_REF_SIZES, -EOVERFLOW, 1 },
	{ "guest base + offset + size past 2^64", pt_base_end_wraps, true,
	  PT_REF_SIZES, -EOVERFLOW, 6 },
	{ "guest address ends at 2^64", pt_base_end_at_top, true,
	  PT_REF_SIZES, 0, -1 },
	{ "BAR start + offset + size past 2^64", pt_start_end_wraps, false,
	  PT_REF_SIZES, -EOVERFLOW, 6 },
	{ "PA + size past 2^64", pt_pa_end_wraps, false, PT_REF_SIZES,
	  -EOVERFLOW, 6 },
	{ "PA + size past 2^64, range mode", pt_pa_end_wraps, false,
	  CCDA_PLAN_RANGES, -EOVERFLOW, 6 },
	{ "PA ends at 2^64", pt_pa_end_at_top, false, PT_REF_SIZES, 0, -1 },
	/* Maps that break their own rules */
	{ "empty MSI-X PBA segment", pt_empty_shared, false, PT_REF_SIZES,
	  -EINVAL, 3 },
	{ "empty private segment", pt_empty_private, false, PT_REF_SIZES,
	  -EINVAL, 9 },
	{ "shared segment out of order", pt_out_of_order, false,
	  PT_REF_SIZES, -EINVAL, 4 },
	{ "private segment overlapping a shared one", pt_private_overlaps,
	  false, PT_REF_SIZES, -EINVAL, 5 },
	{ "shared segment past its BAR", pt_past_bar, false, PT_REF_SIZES,
	  -EINVAL, 7 },
	{ "private segment past its BAR", pt_private_past_bar, false,
	  PT_REF_SIZES, -EINVAL, 9 },
	{ "segment offset + size past 2^64", pt_offset_wraps, false,
	  PT_REF_SIZES, -EINVAL, 7 },
	{ "BARs claim more segments than the map", pt_bar_counts_exceed_map,
	  false, PT_REF_SIZES, -EINVAL, -1 },
	{ "BAR with segments and no array", pt_bar_segs_null, false,
	  PT_REF_SIZES, -EINVAL, -1 },
};

KUNIT_ARRAY_PARAM_DESC(pt_break, pt_break_cases, desc);

static void ccda_mmio_plan_test_rejects(struct kunit *test)
{
	const struct pt_break_case *p = test->param_value;
	struct ccda_map *map = pt_map(test, &pt_ref);
	u64 base[CCDA_NR_BARS];
	const u64 *use = p->guest_base ? base : NULL;

	memcpy(base, pt_ref_base, sizeof(base));
	pt_prove_valid(test, map, use, p->sizes);
	p->apply(map, base);
	if (p->err) {
		pt_fail(test, map, use, p->sizes, p->err, p->index);
		return;
	}
	pt_build_ok(test, map, use, p->sizes);
}

/*
 * BAR 0: 8 GiB at 64 GiB:
 *
 *   [0, 4G)       private, PA 0x10_0000_0000: CCDA_PLAN_MAX_CALLS 4K blocks
 *   [4G, 4G + 4K) shared, or private (PA 0x20_0000_0000) for one call more
 *   [4G + 4K, 8G) unreported
 *
 * ccda_plan_build() stops at CCDA_PLAN_MAX_CALLS; ccda_plan_count() does
 * not, and larger blocks bring the same map back under the limit.
 */
static const struct pt_seg pt_max_segs[] = {
	PT_PRIV(0, 0, SZ_4G, 0x1000000000ULL),
	PT_SEG(0, SZ_4G, SZ_4K, CCDA_SEG_SHARED),
	PT_SEG(0, SZ_4G + SZ_4K, SZ_4G - SZ_4K, CCDA_SEG_UNREPORTED),
};

static const struct pt_layout pt_max = {
	.start = { SZ_64G },
	.size = { SZ_8G },
	.nr_segs = ARRAY_SIZE(pt_max_segs),
	.segs = pt_max_segs,
};

static void ccda_mmio_plan_test_max_calls(struct kunit *test)
{
	struct ccda_map *map = pt_map(test, &pt_max);
	struct ccda_plan *plan;

	plan = pt_build_ok(test, map, NULL, SZ_4K);
	KUNIT_EXPECT_EQ(test, plan->nr_calls, CCDA_PLAN_MAX_CALLS);
	pt_release(test, plan);

	map->segs[1].kind = CCDA_SEG_PRIVATE;
	map->segs[1].pa = 0x2000000000ULL;
	pt_build_fail(test, map, NULL, SZ_4K, -E2BIG, -1);
	KUNIT_EXPECT_EQ(test, pt_count_ok(test, map, NULL, SZ_4K),
			CCDA_PLAN_MAX_CALLS + 1);

	plan = pt_build_ok(test, map, NULL, SZ_4K | SZ_2M);
	KUNIT_EXPECT_EQ(test, plan->nr_calls, SZ_4G / SZ_2M + 1);
}

/*
 * BAR 0: the top half of the 64-bit space, one private segment at PA 0:
 *
 *   [0, 2^63)  private, guest [2^63, 2^64), PA [0, 2^63)
 *
 * 4K only: 2^51 calls, which ccda_plan_count() returns at once (it never
 * walks pages); BIT(63): a single call ending at 2^64.
 */
static const struct pt_seg pt_top_segs[] = {
	PT_PRIV(0, 0, BIT_ULL(63), 0),
};

static const struct pt_layout pt_top = {
	.start = { BIT_ULL(63) },
	.size = { BIT_ULL(63) },
	.nr_segs = ARRAY_SIZE(pt_top_segs),
	.segs = pt_top_segs,
};

static void ccda_mmio_plan_test_top(struct kunit *test)
{
	const struct ccda_plan_call all = {
		.bar = 0, .addr = BIT_ULL(63), .pa = 0, .size = BIT_ULL(63),
	};
	struct ccda_map *map = pt_map(test, &pt_top);
	struct ccda_plan *plan;

	KUNIT_EXPECT_EQ(test, pt_count_ok(test, map, NULL, SZ_4K),
			BIT_ULL(51));
	KUNIT_EXPECT_EQ(test, pt_count_ok(test, map, NULL, PT_4K_2M_1G),
			BIT_ULL(33));
	pt_build_fail(test, map, NULL, PT_4K_2M_1G, -E2BIG, -1);

	plan = pt_build_ok(test, map, NULL, BIT_ULL(63));
	pt_expect_calls(test, plan, &all, 1);
	plan = pt_build_ok(test, map, NULL, GENMASK_ULL(63, 12));
	pt_expect_calls(test, plan, &all, 1);
	plan = pt_build_ok(test, map, NULL, CCDA_PLAN_RANGES);
	pt_expect_calls(test, plan, &all, 1);
}

static void ccda_mmio_plan_test_bad_args(struct kunit *test)
{
	struct ccda_map *map = pt_map(test, &pt_ref);
	struct ccda_diag diag = { .reason = NULL, .index = 42 };
	struct ccda_map *huge;
	u64 count;

	pt_prove_valid(test, map, NULL, PT_REF_SIZES);

	pt_fail(test, NULL, NULL, PT_REF_SIZES, -EINVAL, -1);
	pt_fail(test, NULL, pt_ref_base, CCDA_PLAN_RANGES, -EINVAL, -1);

	KUNIT_EXPECT_EQ(test, ccda_plan_build(map, NULL, PT_REF_SIZES, NULL,
					      &diag), -EINVAL);
	KUNIT_EXPECT_NOT_NULL(test, diag.reason);
	KUNIT_EXPECT_EQ(test, diag.index, -1);
	KUNIT_EXPECT_EQ(test, ccda_plan_build(map, NULL, PT_REF_SIZES, NULL,
					      NULL), -EINVAL);

	diag.reason = NULL;
	diag.index = 42;
	KUNIT_EXPECT_EQ(test, ccda_plan_count(map, NULL, PT_REF_SIZES, NULL,
					      &diag), -EINVAL);
	KUNIT_EXPECT_NOT_NULL(test, diag.reason);
	KUNIT_EXPECT_EQ(test, diag.index, -1);
	KUNIT_EXPECT_EQ(test, ccda_plan_count(map, NULL, PT_REF_SIZES, NULL,
					      NULL), -EINVAL);

	/* No diag is needed on success either. */
	KUNIT_EXPECT_EQ(test, ccda_plan_count(map, NULL, PT_REF_SIZES, &count,
					      NULL), 0);
	KUNIT_EXPECT_EQ(test, count, ARRAY_SIZE(pt_ref_calls));

	/*
	 * A map header claiming more segments than a diag index can name;
	 * the planner must refuse it before looking at any segment.
	 */
	huge = kunit_kzalloc(test, sizeof(*huge), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, huge);
	huge->nr_segs = (u32)INT_MAX + 1;
	pt_fail(test, huge, NULL, PT_REF_SIZES, -EINVAL, -1);
	huge->nr_segs = INT_MAX;
	pt_build_ok(test, huge, NULL, PT_REF_SIZES);
}

static void ccda_mmio_plan_test_free(struct kunit *test)
{
	struct ccda_map *map = pt_map(test, &pt_ref);
	struct ccda_plan *plan;
	int live = pt_live();

	ccda_plan_free(NULL);
	KUNIT_EXPECT_EQ(test, pt_live(), live);

	plan = pt_build_ok(test, map, NULL, PT_REF_SIZES);
	pt_build_ok(test, map, pt_ref_base, CCDA_PLAN_RANGES);
	KUNIT_EXPECT_EQ(test, pt_live(), live + 2);
	pt_release(test, plan);
	KUNIT_EXPECT_EQ(test, pt_live(), live + 1);
}

/*
 * Exhaustive minimality: for every non-empty subset of {4K, 8K, 16K, 32K},
 * every guest address and PA offset modulo 32K, and every length from 4K to
 * 160K (five times the largest size, so every run shape occurs), the plan
 * must have exactly as many calls as the brute-force minimum, tile the
 * segment exactly, and be refused exactly when no tiling exists.
 *
 *   BAR 0 (1 MiB at 0xf000_0000): [0, len) private, guest address and PA
 *   chosen per case through the guest base and the segment's PA.
 */
#define PT_EX_SIZES		4
#define PT_EX_ALIGN_UNITS	8
#define PT_EX_MAX_UNITS		40
#define PT_EX_BASE		0x80000000ULL
#define PT_EX_PA		0x2000000000ULL

static const struct pt_seg pt_ex_segs[] = {
	PT_PRIV(0, 0, SZ_4K, PT_EX_PA),
};

static const struct pt_layout pt_ex = {
	.start = { 0xf0000000ULL },
	.size = { SZ_1M },
	.nr_segs = ARRAY_SIZE(pt_ex_segs),
	.segs = pt_ex_segs,
};

/* Plan @map against the oracle; false, after saying why, on a mismatch. */
static bool pt_against_oracle(struct kunit *test, struct ccda_map *map,
			      const u64 *base, u64 sizes, u32 want,
			      int bad_index, const char *tag)
{
	struct ccda_diag diag = { .reason = NULL, .index = 42 };
	struct ccda_plan *plan = PT_POISON;
	u64 count = PT_COUNT_POISON;
	bool ok;
	int ret;

	ret = ccda_plan_count(map, base, sizes, &count, &diag);
	if (want == U32_MAX) {
		KUNIT_EXPECT_EQ_MSG(test, ret, -EINVAL, "%s: no tiling exists",
				    tag);
		KUNIT_EXPECT_EQ_MSG(test, diag.index, bad_index, "%s", tag);
		ret = ccda_plan_build(map, base, sizes, &plan, NULL);
		KUNIT_EXPECT_EQ_MSG(test, ret, -EINVAL, "%s: built", tag);
		KUNIT_EXPECT_NULL_MSG(test, plan, "%s", tag);
		if (plan && plan != PT_POISON)
			ccda_plan_free(plan);
		return ret == -EINVAL && !plan && diag.index == bad_index;
	}

	KUNIT_EXPECT_EQ_MSG(test, ret, 0, "%s: %s", tag, diag.reason);
	KUNIT_EXPECT_EQ_MSG(test, count, want, "%s: count is not the minimum",
			    tag);
	if (ret || count != want)
		return false;

	ret = ccda_plan_build(map, base, sizes, &plan, &diag);
	KUNIT_EXPECT_EQ_MSG(test, ret, 0, "%s: %s", tag, diag.reason);
	if (ret)
		return false;
	ok = plan->nr_calls == want && plan->block_sizes == sizes &&
	     pt_check(test, map, base, plan, tag);
	KUNIT_EXPECT_EQ_MSG(test, plan->nr_calls, want, "%s", tag);
	ccda_plan_free(plan);
	return ok;
}

static void ccda_mmio_plan_test_exhaustive(struct kunit *test)
{
	const u32 per_subset = PT_EX_ALIGN_UNITS * PT_EX_ALIGN_UNITS *
			       PT_EX_MAX_UNITS;
	const u32 cases = (BIT(PT_EX_SIZES) - 1) * per_subset;
	struct ccda_map *map = pt_map(test, &pt_ex);
	u64 base[CCDA_NR_BARS] = { };
	struct ccda_segment *seg = &map->segs[0];
	u32 i, rest, units, want;
	u64 sizes;
	char tag[96];
	u32 *best;

	best = kunit_kcalloc(test, PT_EX_MAX_UNITS + 1, sizeof(*best),
			     GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, best);

	for (i = 0; i < cases; i++) {
		/* i = ((subset - 1) * 8 + a) * 8 + p) * 40 + (units - 1) */
		rest = i;
		units = rest % PT_EX_MAX_UNITS + 1;
		rest /= PT_EX_MAX_UNITS;
		seg->pa = PT_EX_PA +
			  ((u64)(rest % PT_EX_ALIGN_UNITS) << PT_UNIT_SHIFT);
		rest /= PT_EX_ALIGN_UNITS;
		base[0] = PT_EX_BASE +
			  ((u64)(rest % PT_EX_ALIGN_UNITS) << PT_UNIT_SHIFT);
		rest /= PT_EX_ALIGN_UNITS;
		sizes = (u64)(rest + 1) << PT_UNIT_SHIFT;
		seg->size = (u64)units << PT_UNIT_SHIFT;

		want = pt_min_calls(best, base[0], seg->pa, units, sizes);
		scnprintf(tag, sizeof(tag),
			  "sizes %#llx addr %#llx pa %#llx len %#llx", sizes,
			  base[0], seg->pa, seg->size);
		KUNIT_ASSERT_TRUE(test, pt_against_oracle(test, map, base,
							  sizes, want, 0,
							  tag));
	}
	kunit_info(test, "%u cases\n", cases);
}

/*
 * Random minimality, with a logged seed.  Each round builds a map of up to
 * three BARs, each
 *
 *   [0, off)             shared (when off > 0)
 *   [off, off + len)     private, PA random with a random alignment
 *   [off + len, size)    unreported (when there is room)
 *
 * seen by the guest at a random base with a random alignment, with random
 * block sizes from {4K, 8K, 16K, 64K, 2M}.  The count must be the sum of the
 * brute-force minima, or the first segment with no tiling must be refused.
 */
#define PT_RND_ROUNDS		300
#define PT_RND_MAX_BARS		3
#define PT_RND_MAX_UNITS	1024	/* 4 MiB */
#define PT_RND_MAX_OFF_UNITS	16
#define PT_RND_BAR_SIZE		SZ_8M
#define PT_RND_MIN_ALIGN	12
#define PT_RND_MAX_ALIGN	23	/* 8 MiB: past the largest size */
#define PT_RND_ADDR_BITS	40

static const u64 pt_rnd_pool[] = { SZ_4K, SZ_8K, SZ_16K, SZ_64K, SZ_2M };

/* A random address below 2^40 aligned to exactly 2^(12..23) */
static u64 pt_rnd_addr(struct rnd_state *rnd)
{
	u32 shift = PT_RND_MIN_ALIGN + prandom_u32_state(rnd) %
		    (PT_RND_MAX_ALIGN - PT_RND_MIN_ALIGN + 1);
	u64 x = (u64)prandom_u32_state(rnd) << 32 | prandom_u32_state(rnd);

	x &= GENMASK_ULL(PT_RND_ADDR_BITS - 1, shift + 1);
	return x | BIT_ULL(shift);
}

static void ccda_mmio_plan_test_random(struct kunit *test)
{
	u32 seed = get_random_u32();
	struct pt_seg segs[PT_RND_MAX_BARS * 3];
	u64 base[CCDA_NR_BARS];
	struct pt_layout l;
	struct rnd_state rnd;
	struct ccda_map *map;
	u32 round, nr_bars, bar, units, off, i, n, min, want;
	int bad_index, index;
	u64 sizes, len;
	char tag[64];
	u32 *best;

	kunit_info(test, "seed %u\n", seed);
	prandom_seed_state(&rnd, seed);

	best = kunit_kcalloc(test, PT_RND_MAX_UNITS + 1, sizeof(*best),
			     GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, best);

	for (round = 0; round < PT_RND_ROUNDS; round++) {
		scnprintf(tag, sizeof(tag), "seed %u round %u", seed, round);

		sizes = 0;
		while (!sizes)
			for (i = 0; i < ARRAY_SIZE(pt_rnd_pool); i++)
				if (prandom_u32_state(&rnd) & 1)
					sizes |= pt_rnd_pool[i];

		memset(&l, 0, sizeof(l));
		memset(base, 0, sizeof(base));
		nr_bars = 1 + prandom_u32_state(&rnd) % PT_RND_MAX_BARS;
		n = 0;
		want = 0;
		bad_index = -1;
		for (bar = 0; bar < nr_bars; bar++) {
			units = 1 + prandom_u32_state(&rnd) % PT_RND_MAX_UNITS;
			off = prandom_u32_state(&rnd) % PT_RND_MAX_OFF_UNITS;
			len = (u64)units << PT_UNIT_SHIFT;

			l.start[bar] = (u64)(bar + 1) << 32;
			l.size[bar] = PT_RND_BAR_SIZE;
			base[bar] = pt_rnd_addr(&rnd);
			if (off)
				segs[n++] = (struct pt_seg)PT_SEG(bar, 0,
					(u64)off << PT_UNIT_SHIFT,
					CCDA_SEG_SHARED);
			index = n;
			segs[n++] = (struct pt_seg)PT_PRIV(bar,
				(u64)off << PT_UNIT_SHIFT, len,
				pt_rnd_addr(&rnd));
			if (((u64)off << PT_UNIT_SHIFT) + len < PT_RND_BAR_SIZE)
				segs[n++] = (struct pt_seg)PT_SEG(bar,
					((u64)off << PT_UNIT_SHIFT) + len,
					PT_RND_BAR_SIZE -
					((u64)off << PT_UNIT_SHIFT) - len,
					CCDA_SEG_UNREPORTED);

			min = pt_min_calls(best,
					   base[bar] + ((u64)off << PT_UNIT_SHIFT),
					   segs[index].pa, units, sizes);
			if (min == U32_MAX) {
				if (bad_index < 0)
					bad_index = index;
			} else {
				want += min;
			}
		}
		l.nr_segs = n;
		l.segs = segs;
		map = pt_map(test, &l);

		KUNIT_ASSERT_TRUE_MSG(test,
				      pt_against_oracle(test, map, base, sizes,
							bad_index < 0 ? want : U32_MAX,
							bad_index, tag),
				      "%s: sizes %#llx", tag, sizes);
		kunit_kfree(test, map);
	}
}

static struct kunit_case ccda_mmio_plan_test_cases[] = {
	KUNIT_CASE(ccda_mmio_plan_test_64g),
	KUNIT_CASE(ccda_mmio_plan_test_2m_only),
	KUNIT_CASE(ccda_mmio_plan_test_misaligned_pa),
	KUNIT_CASE(ccda_mmio_plan_test_straddle_2m),
	KUNIT_CASE(ccda_mmio_plan_test_interleaved),
	KUNIT_CASE(ccda_mmio_plan_test_ranges),
	KUNIT_CASE(ccda_mmio_plan_test_guest_base),
	KUNIT_CASE_PARAM(ccda_mmio_plan_test_block_sizes,
			 pt_sizes_gen_params),
	KUNIT_CASE_PARAM(ccda_mmio_plan_test_rejects, pt_break_gen_params),
	KUNIT_CASE(ccda_mmio_plan_test_max_calls),
	KUNIT_CASE(ccda_mmio_plan_test_top),
	KUNIT_CASE(ccda_mmio_plan_test_bad_args),
	KUNIT_CASE(ccda_mmio_plan_test_free),
	KUNIT_CASE(ccda_mmio_plan_test_exhaustive),
	KUNIT_CASE(ccda_mmio_plan_test_random),
	{}
};

static struct kunit_suite ccda_mmio_plan_test_suite = {
	.name = "ccda_mmio_plan",
	.init = pt_init,
	.test_cases = ccda_mmio_plan_test_cases,
};

kunit_test_suite(ccda_mmio_plan_test_suite);

MODULE_IMPORT_NS(EXPORTED_FOR_KUNIT_TESTING);
MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("KUnit tests for the ccda firmware call planner");
