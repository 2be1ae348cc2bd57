// SPDX-License-Identifier: GPL-2.0-only
/*
 * KUnit tests for the secure MMIO map (core/mmio_map.c) and the PCI glue
 * (core/pci.c).
 *
 * Layouts are drawn next to each case as BAR offsets: "[0, 8K) private"
 * means bytes 0 up to (not including) 8 KiB of that BAR.  Report ranges are
 * written in bytes and converted to 4 KiB units here, with this suite's own
 * shift, so a unit mistake in the core cannot hide behind the same mistake
 * in the test.
 *
 * Every case ends with a leak check: the number of live maps must be back
 * where it was when the case started.  Every refusal must leave *out %NULL,
 * a reason in the diag and the live count unchanged.
 */

#include <kunit/resource.h>
#include <kunit/test.h>
#include <linux/align.h>
#include <linux/bits.h>
#include <linux/ktime.h>
#include <linux/limits.h>
#include <linux/minmax.h>
#include <linux/module.h>
#include <linux/overflow.h>
#include <linux/pci.h>
#include <linux/prandom.h>
#include <linux/random.h>
#include <linux/sizes.h>
#include <linux/slab.h>
#include <linux/sprintf.h>
#include <linux/string.h>
#include <linux/unaligned.h>

#include "ccda.h"
#include "../core/ccda_private.h"
#include "ccda_kunit.h"

/* Report units: 4 KiB, whatever the CPU page size is (PCIe r6.2 11.3.11) */
#define MT_UNIT_SHIFT		12
#define MT_UNIT			BIT_ULL(MT_UNIT_SHIFT)

/* A pointer value ccda_map_build() must overwrite on every path */
#define MT_POISON		((struct ccda_map *)0x5a5a5a5aUL)

/* Attribute flags as this suite spells them */
#define MT_TEE			0
#define MT_SHARED		CCDA_RANGE_NON_TEE
#define MT_TABLE		(CCDA_RANGE_MSIX_TABLE | CCDA_RANGE_NON_TEE)
#define MT_PBA			(CCDA_RANGE_MSIX_PBA | CCDA_RANGE_NON_TEE)

/* A report range from a byte address and length */
#define MT_RANGE(_pa, _len, _flags, _bar)				\
	{								\
		.first_page = (u64)(_pa) >> MT_UNIT_SHIFT,		\
		.nr_pages = (u64)(_len) >> MT_UNIT_SHIFT,		\
		.flags = (_flags),					\
		.range_id = (_bar),					\
	}

/* Expected segments */
#define MT_SEG(_off, _size, _kind, _pa)					\
	{ .offset = (_off), .size = (_size), .pa = (_pa), .kind = (_kind) }
#define MT_PRIV(_o, _s, _pa)	MT_SEG(_o, _s, CCDA_SEG_PRIVATE, _pa)
#define MT_SHRD(_o, _s)		MT_SEG(_o, _s, CCDA_SEG_SHARED, 0)
#define MT_UNREP(_o, _s)	MT_SEG(_o, _s, CCDA_SEG_UNREPORTED, 0)
#define MT_TBL(_o, _s)		MT_SEG(_o, _s, CCDA_SEG_MSIX_TABLE, 0)
#define MT_PBAS(_o, _s)		MT_SEG(_o, _s, CCDA_SEG_MSIX_PBA, 0)

#define MT_MEM32		CCDA_BAR_MEM
#define MT_MEM64		(CCDA_BAR_MEM | CCDA_BAR_MEM64)
#define MT_MEM64_PREF		(MT_MEM64 | CCDA_BAR_PREFETCH)

/* Segment dumps stop after this many per BAR */
#define MT_DUMP_MAX		64

static const struct ccda_map_params mt_4k = {
	.page_size = SZ_4K,
	.mode = CCDA_OFFSET_BAR_ALIGN,
};

static const char *const mt_kind_name[] = {
	[CCDA_SEG_UNREPORTED] = "unreported",
	[CCDA_SEG_PRIVATE] = "private",
	[CCDA_SEG_SHARED] = "shared",
	[CCDA_SEG_MSIX_TABLE] = "MSI-X table",
	[CCDA_SEG_MSIX_PBA] = "MSI-X PBA",
};

static const char *mt_kind(enum ccda_seg_kind kind)
{
	return kind < ARRAY_SIZE(mt_kind_name) ? mt_kind_name[kind] : "?";
}

/* ---- leak accounting ------------------------------------------------ */

static int mt_live(void)
{
	return atomic_read(&ccda_map_live);
}

/* Registered first, so that they run after every other cleanup. */
static int mt_test_init(struct kunit *test)
{
	int ret = ccda_kunit_track_live(test, &ccda_map_live, "maps");

	return ret ?: ccda_kunit_track_live(test, &ccda_report_live,
					    "parsed reports");
}

KUNIT_DEFINE_ACTION_WRAPPER(mt_map_free, ccda_map_free, struct ccda_map *);
KUNIT_DEFINE_ACTION_WRAPPER(mt_kvfree, kvfree, const void *);
KUNIT_DEFINE_ACTION_WRAPPER(mt_report_free, ccda_report_free,
			    struct ccda_report *);

/* ---- inputs --------------------------------------------------------- */

/* A report by hand, as ccda_report_parse() would have produced it. */
static struct ccda_report *mt_report(struct kunit *test,
				     const struct ccda_report_range *ranges,
				     u32 nr)
{
	struct ccda_report *report;

	report = kvzalloc(struct_size(report, ranges, nr), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, report);
	KUNIT_ASSERT_EQ(test, kunit_add_action_or_reset(test, mt_kvfree,
							report), 0);
	report->nr_ranges = nr;
	if (ranges && nr)
		memcpy(report->ranges, ranges, flex_array_size(report, ranges,
							       nr));
	return report;
}

/* A slot is a memory BAR unless empty, I/O or the top of a 64-bit BAR. */
static bool mt_bar_is_mem(const struct ccda_layout *l, unsigned int i)
{
	if (i && l->bars[i - 1].size &&
	    (l->bars[i - 1].flags & CCDA_BAR_MEM64))
		return false;
	return l->bars[i].size && (l->bars[i].flags & CCDA_BAR_MEM);
}

/*
 * The 4 KiB pages a config-space MSI-X structure claims in its BAR, worked
 * out here independently of the core.  Returns false when there is none.
 */
static bool mt_msix_pages(const struct ccda_layout *l, bool pba,
			  unsigned int *bar, u64 *lo, u64 *hi)
{
	const struct ccda_msix_layout *m = &l->msix;
	u64 off, len;

	if (!m->nr_entries)
		return false;
	*bar = pba ? m->pba_bir : m->table_bir;
	off = pba ? m->pba_offset : m->table_offset;
	len = pba ? DIV_ROUND_UP(m->nr_entries, 64) * 8 : m->nr_entries * 16;
	*lo = round_down(off, MT_UNIT);
	*hi = min(round_up(off + len, MT_UNIT), l->bars[*bar].size);
	return true;
}

/* ---- map checks ----------------------------------------------------- */

static void mt_dump_bar(struct kunit *test, const struct ccda_map_bar *mb,
			unsigned int i)
{
	u32 j;

	kunit_info(test, "  BAR%u at %#llx, %#llx bytes, %u segments\n", i,
		   mb->start, mb->size, mb->nr_segs);
	for (j = 0; j < mb->nr_segs && j < MT_DUMP_MAX; j++)
		kunit_info(test, "    [%#llx, %#llx) %s pa %#llx\n",
			   mb->segs[j].offset,
			   mb->segs[j].offset + mb->segs[j].size,
			   mt_kind(mb->segs[j].kind), mb->segs[j].pa);
	if (mb->nr_segs > MT_DUMP_MAX)
		kunit_info(test, "    ... %u more\n",
			   mb->nr_segs - MT_DUMP_MAX);
}

static void mt_dump_map(struct kunit *test, const struct ccda_map *map,
			const char *tag)
{
	unsigned int i;

	kunit_info(test, "%s: map for %u-byte pages, %u segments:\n", tag,
		   map->page_size, map->nr_segs);
	for (i = 0; i < CCDA_NR_BARS; i++)
		if (map->bars[i].size)
			mt_dump_bar(test, &map->bars[i], i);
}

/* Adjacent segments must differ, or be private with a PA jump. */
static bool mt_segs_distinct(const struct ccda_segment *a,
			     const struct ccda_segment *b)
{
	return a->kind != b->kind ||
	       (a->kind == CCDA_SEG_PRIVATE && a->pa + a->size != b->pa);
}

static bool mt_overlaps(u64 lo, u64 hi, u64 olo, u64 ohi)
{
	return lo < ohi && olo < hi;
}

/* A private segment must not meet a config-space MSI-X page. */
static int mt_check_private(struct kunit *test, const struct ccda_map *map,
			    const struct ccda_layout *l, unsigned int bar,
			    const struct ccda_segment *s, const char *tag)
{
	u64 end = s->offset + s->size, lo, hi;
	unsigned int mbar;
	int bad = 0;
	bool pba;

	if (!IS_ALIGNED(s->offset, map->page_size) ||
	    !IS_ALIGNED(end, map->page_size)) {
		KUNIT_FAIL(test, "%s: BAR%u private [%#llx, %#llx) splits a %u-byte page",
			   tag, bar, s->offset, end, map->page_size);
		bad++;
	}
	for (pba = false; ; pba = true) {
		if (mt_msix_pages(l, pba, &mbar, &lo, &hi) && mbar == bar &&
		    mt_overlaps(s->offset, end, lo, hi)) {
			KUNIT_FAIL(test, "%s: BAR%u private [%#llx, %#llx) meets the MSI-X %s",
				   tag, bar, s->offset, end,
				   pba ? "PBA" : "table");
			bad++;
		}
		if (pba)
			break;
	}
	return bad;
}

/* The segments of one memory BAR tile it exactly and are merged. */
static int mt_check_bar(struct kunit *test, const struct ccda_map *map,
			const struct ccda_layout *l, unsigned int i,
			const char *tag)
{
	const struct ccda_map_bar *mb = &map->bars[i];
	const struct ccda_segment *s;
	u64 pos = 0;
	int bad = 0;
	u32 j;

	for (j = 0; j < mb->nr_segs; j++) {
		s = &mb->segs[j];
		if (s->offset != pos || !s->size || s->size > mb->size - pos) {
			KUNIT_FAIL(test, "%s: BAR%u seg %u [%#llx, +%#llx) not at %#llx",
				   tag, i, j, s->offset, s->size, pos);
			return bad + 1;
		}
		if (s->kind > CCDA_SEG_MSIX_PBA ||
		    (s->kind != CCDA_SEG_PRIVATE && s->pa)) {
			KUNIT_FAIL(test, "%s: BAR%u segment %u: kind %d pa %#llx",
				   tag, i, j, s->kind, s->pa);
			bad++;
		}
		if (j && !mt_segs_distinct(&mb->segs[j - 1], s)) {
			KUNIT_FAIL(test, "%s: BAR%u segments %u and %u not merged",
				   tag, i, j - 1, j);
			bad++;
		}
		if (s->kind == CCDA_SEG_PRIVATE)
			bad += mt_check_private(test, map, l, i, s, tag);
		pos += s->size;
	}
	if (pos != mb->size) {
		KUNIT_FAIL(test, "%s: BAR%u segments end at %#llx, BAR at %#llx",
			   tag, i, pos, mb->size);
		bad++;
	}
	return bad;
}

/*
 * The invariants every published map keeps, whatever the input: one
 * partition per memory BAR of @l, exact tiling, maximal merging, private
 * segments page aligned and clear of MSI-X pages, the segment array shared
 * out BAR by BAR.  Dumps the map on failure; returns the number of faults.
 */
static int mt_check_map(struct kunit *test, const struct ccda_map *map,
			const struct ccda_layout *l, const char *tag)
{
	const struct ccda_map_bar *mb;
	unsigned int i;
	u32 total = 0;
	int bad = 0;

	for (i = 0; i < CCDA_NR_BARS; i++) {
		mb = &map->bars[i];
		if (!mt_bar_is_mem(l, i)) {
			if (mb->size || mb->nr_segs) {
				KUNIT_FAIL(test, "%s: slot %u is no memory BAR but has %u segments",
					   tag, i, mb->nr_segs);
				bad++;
			}
			continue;
		}
		if (mb->start != l->bars[i].start ||
		    mb->size != l->bars[i].size || !mb->nr_segs ||
		    mb->segs != map->segs + total ||
		    mb->nr_segs > map->nr_segs - total) {
			KUNIT_FAIL(test, "%s: BAR%u header wrong", tag, i);
			bad++;
			break;
		}
		bad += mt_check_bar(test, map, l, i, tag);
		total += mb->nr_segs;
	}
	if (!bad && total != map->nr_segs) {
		KUNIT_FAIL(test, "%s: BARs hold %u of %u segments", tag, total,
			   map->nr_segs);
		bad++;
	}
	if (bad)
		mt_dump_map(test, map, tag);
	return bad;
}

static void mt_expect_bar(struct kunit *test, const struct ccda_map *map,
			  unsigned int bar, const struct ccda_segment *want,
			  u32 nr)
{
	const struct ccda_map_bar *mb = &map->bars[bar];
	bool same = mb->nr_segs == nr;
	u32 j;

	for (j = 0; same && j < nr; j++)
		same = mb->segs[j].offset == want[j].offset &&
		       mb->segs[j].size == want[j].size &&
		       mb->segs[j].kind == want[j].kind &&
		       mb->segs[j].pa == want[j].pa;
	if (same)
		return;

	KUNIT_FAIL(test, "BAR%u: segments differ from the drawing", bar);
	kunit_info(test, "  want %u segments:\n", nr);
	for (j = 0; j < nr; j++)
		kunit_info(test, "    [%#llx, %#llx) %s pa %#llx\n",
			   want[j].offset, want[j].offset + want[j].size,
			   mt_kind(want[j].kind), want[j].pa);
	kunit_info(test, "  got:\n");
	mt_dump_bar(test, mb, bar);
}

/* ---- build helpers -------------------------------------------------- */

/* Build what must be valid; freed when the case ends or by mt_release(). */
static struct ccda_map *mt_build_ok(struct kunit *test,
				    const struct ccda_layout *layout,
				    const struct ccda_report *report,
				    const struct ccda_map_params *params)
{
	struct ccda_diag diag = { .reason = "poison", .index = 42 };
	struct ccda_map *map = MT_POISON;
	int live = mt_live();
	int ret;

	ret = ccda_map_build(layout, report, params, &map, &diag);
	KUNIT_ASSERT_EQ_MSG(test, ret, 0, "valid input refused: %s (range %d)",
			    diag.reason, diag.index);
	KUNIT_ASSERT_NOT_ERR_OR_NULL(test, map);
	KUNIT_ASSERT_PTR_NE(test, map, MT_POISON);
	KUNIT_ASSERT_EQ(test, kunit_add_action_or_reset(test, mt_map_free, map),
			0);
	KUNIT_EXPECT_NULL(test, diag.reason);
	KUNIT_EXPECT_EQ(test, diag.index, -1);
	KUNIT_EXPECT_EQ(test, mt_live(), live + 1);
	KUNIT_EXPECT_EQ(test, map->page_size, params->page_size);
	KUNIT_EXPECT_EQ(test, mt_check_map(test, map, layout, "built map"), 0);
	return map;
}

static void mt_release(struct kunit *test, struct ccda_map *map)
{
	int live = mt_live();

	kunit_release_action(test, mt_map_free, map);
	KUNIT_EXPECT_EQ(test, mt_live(), live - 1);
}

/*
 * Build what must be refused with @err, blaming report range @index (-1
 * for the input as a whole), for a reason containing @why: *out must be
 * %NULL and nothing may stay allocated.  The same must hold without a diag.
 */
static void mt_build_fail(struct kunit *test, const struct ccda_layout *layout,
			  const struct ccda_report *report,
			  const struct ccda_map_params *params, int err,
			  int index, const char *why)
{
	struct ccda_diag diag = { .reason = NULL, .index = 42 };
	struct ccda_map *map = MT_POISON;
	int live = mt_live();
	int ret;

	ret = ccda_map_build(layout, report, params, &map, &diag);
	if (map && map != MT_POISON)
		kunit_add_action_or_reset(test, mt_map_free, map);
	KUNIT_EXPECT_EQ_MSG(test, ret, err, "%s: got \"%s\"", why, diag.reason);
	KUNIT_EXPECT_NULL_MSG(test, map, "%s", why);
	KUNIT_EXPECT_EQ_MSG(test, mt_live(), live, "%s", why);
	KUNIT_EXPECT_EQ_MSG(test, diag.index, index, "%s: got \"%s\"", why,
			    diag.reason);
	KUNIT_ASSERT_NOT_NULL_MSG(test, diag.reason, "%s", why);
	KUNIT_EXPECT_NOT_NULL_MSG(test, strstr(diag.reason, why),
				  "want \"%s\", got \"%s\"", why, diag.reason);

	map = MT_POISON;
	ret = ccda_map_build(layout, report, params, &map, NULL);
	if (map && map != MT_POISON)
		kunit_add_action_or_reset(test, mt_map_free, map);
	KUNIT_EXPECT_EQ_MSG(test, ret, err, "%s, no diag", why);
	KUNIT_EXPECT_NULL_MSG(test, map, "%s, no diag", why);
	KUNIT_EXPECT_EQ_MSG(test, mt_live(), live, "%s, no diag", why);
}

/* ---- TRANSLATE-mode model of a TSM ---------------------------------- */

struct mt_xlate_entry {
	unsigned int bar;
	u64 pa;
	u64 len;
	u64 off;
};

/*
 * A TSM that knows where each reported PA lives: looks (bar, pa, len) up
 * in @map.  With @err set, fails the translation of @fail_pa with it.
 */
struct mt_xlate {
	const struct mt_xlate_entry *map;
	u32 nr;
	u32 calls;
	u64 fail_pa;
	int err;
	u32 unknown;
};

static int mt_translate(void *ctx, unsigned int bar, u64 pa, u64 len,
			u64 *offset)
{
	struct mt_xlate *x = ctx;
	u32 i;

	x->calls++;
	if (x->err && pa == x->fail_pa)
		return x->err;
	for (i = 0; i < x->nr; i++) {
		if (x->map[i].bar == bar && x->map[i].pa == pa &&
		    x->map[i].len == len) {
			*offset = x->map[i].off;
			return 0;
		}
	}
	x->unknown++;
	return -ENOENT;
}

/* ---- real device shapes --------------------------------------------- */

/*
 * A GPU; the TSM reports BARs at their CPU addresses (BAR_ALIGN).
 *
 *   BAR0, 32-bit, 16 MiB at 0xf000_0000; MSI-X: 64 entries, table at
 *   0xb9_0000 (1 KiB), PBA at 0xba_0000 (8 bytes)
 *     [0, 0xb9_0000)           private       range 0
 *     [0xb9_0000, 0xb9_1000)   MSI-X table   range 1 (flagged, non-TEE)
 *     [0xb9_1000, 0xba_0000)   unreported
 *     [0xba_0000, 0xba_1000)   MSI-X PBA     config space only
 *     [0xba_1000, 16M)         private       range 2
 *   BAR1 (slots 1-2), 64-bit prefetchable, 64 GiB at 0x40_0000_0000
 *     [0, 64G)                 private       range 3 (16M pages)
 *   BAR3, 32-bit, 32 MiB at 0xf200_0000
 *     [0, 2M)                  shared        range 4 (doorbells, non-TEE)
 *     [2M, 32M)                unreported
 */
#define MT_GPU_BAR0		0xf0000000ULL
#define MT_GPU_BAR1		0x4000000000ULL
#define MT_GPU_BAR3		0xf2000000ULL

static const struct ccda_layout mt_gpu_layout = {
	.bars = {
		[0] = { .start = MT_GPU_BAR0, .size = SZ_16M,
			.flags = MT_MEM32 },
		[1] = { .start = MT_GPU_BAR1, .size = SZ_64G,
			.flags = MT_MEM64_PREF },
		[3] = { .start = MT_GPU_BAR3, .size = SZ_32M,
			.flags = MT_MEM32 },
	},
	.msix = {
		.nr_entries = 64,
		.table_bir = 0,
		.table_offset = 0xb90000,
		.pba_bir = 0,
		.pba_offset = 0xba0000,
	},
};

static const struct ccda_report_range mt_gpu_ranges[] = {
	MT_RANGE(MT_GPU_BAR0, 0xb90000, MT_TEE, 0),
	MT_RANGE(MT_GPU_BAR0 + 0xb90000, SZ_4K, MT_TABLE, 0),
	MT_RANGE(MT_GPU_BAR0 + 0xba1000, SZ_16M - 0xba1000, MT_TEE, 0),
	MT_RANGE(MT_GPU_BAR1, SZ_64G, MT_TEE, 1),
	MT_RANGE(MT_GPU_BAR3, SZ_2M, MT_SHARED, 3),
};

static const struct ccda_segment mt_gpu_bar0[] = {
	MT_PRIV(0, 0xb90000, MT_GPU_BAR0),
	MT_TBL(0xb90000, SZ_4K),
	MT_UNREP(0xb91000, 0xba0000 - 0xb91000),
	MT_PBAS(0xba0000, SZ_4K),
	MT_PRIV(0xba1000, SZ_16M - 0xba1000, MT_GPU_BAR0 + 0xba1000),
};

static const struct ccda_segment mt_gpu_bar1[] = {
	MT_PRIV(0, SZ_64G, MT_GPU_BAR1),
};

static const struct ccda_segment mt_gpu_bar3[] = {
	MT_SHRD(0, SZ_2M),
	MT_UNREP(SZ_2M, SZ_32M - SZ_2M),
};

static void ccda_map_test_gpu(struct kunit *test)
{
	const struct ccda_report *report;
	struct ccda_map *map;

	report = mt_report(test, mt_gpu_ranges, ARRAY_SIZE(mt_gpu_ranges));
	map = mt_build_ok(test, &mt_gpu_layout, report, &mt_4k);
	mt_expect_bar(test, map, 0, mt_gpu_bar0, ARRAY_SIZE(mt_gpu_bar0));
	mt_expect_bar(test, map, 1, mt_gpu_bar1, ARRAY_SIZE(mt_gpu_bar1));
	mt_expect_bar(test, map, 3, mt_gpu_bar3, ARRAY_SIZE(mt_gpu_bar3));
	KUNIT_EXPECT_EQ(test, map->nr_segs, 8);
	/* The upper half of BAR1 and the unimplemented slots are empty. */
	KUNIT_EXPECT_EQ(test, map->bars[2].size, 0);
	KUNIT_EXPECT_EQ(test, map->bars[2].nr_segs, 0);
	KUNIT_EXPECT_EQ(test, map->bars[4].size, 0);
	KUNIT_EXPECT_EQ(test, map->bars[5].size, 0);
	KUNIT_EXPECT_EQ(test, map->bars[1].start, MT_GPU_BAR1);
}

/*
 * A NIC whose MSI-X table sits between register blocks of BAR0:
 *
 *   BAR0, 32-bit, 128 KiB at 0xfe80_0000; MSI-X: 512 entries, table at
 *   32K (8 KiB), PBA at 48K (64 bytes)
 *   BAR2, 32-bit, 16 KiB at 0xfe82_0000
 *
 * The TSM reports only the register blocks; config space supplies MSI-X:
 *     BAR0 [0, 32K)     private      range 0
 *          [32K, 40K)   MSI-X table
 *          [40K, 48K)   unreported
 *          [48K, 52K)   MSI-X PBA
 *          [52K, 128K)  private      range 1
 *     BAR2 [0, 16K)     private      range 2
 */
#define MT_NIC_BAR0		0xfe800000ULL
#define MT_NIC_BAR2		0xfe820000ULL

static const struct ccda_layout mt_nic_layout = {
	.bars = {
		[0] = { .start = MT_NIC_BAR0, .size = SZ_128K,
			.flags = MT_MEM32 },
		[2] = { .start = MT_NIC_BAR2, .size = SZ_16K,
			.flags = MT_MEM32 },
	},
	.msix = {
		.nr_entries = 512,
		.table_bir = 0,
		.table_offset = SZ_32K,
		.pba_bir = 0,
		.pba_offset = SZ_32K + SZ_16K,
	},
};

static const struct ccda_report_range mt_nic_ranges[] = {
	MT_RANGE(MT_NIC_BAR0, SZ_32K, MT_TEE, 0),
	MT_RANGE(MT_NIC_BAR0 + 52 * SZ_1K, 76 * SZ_1K, MT_TEE, 0),
	MT_RANGE(MT_NIC_BAR2, SZ_16K, MT_TEE, 2),
};

static const struct ccda_segment mt_nic_bar0[] = {
	MT_PRIV(0, SZ_32K, MT_NIC_BAR0),
	MT_TBL(SZ_32K, SZ_8K),
	MT_UNREP(40 * SZ_1K, SZ_8K),
	MT_PBAS(48 * SZ_1K, SZ_4K),
	MT_PRIV(52 * SZ_1K, 76 * SZ_1K, MT_NIC_BAR0 + 52 * SZ_1K),
};

static const struct ccda_segment mt_nic_bar2[] = {
	MT_PRIV(0, SZ_16K, MT_NIC_BAR2),
};

/*
 * The same NIC, with the TSM reporting all of BAR0 as one non-TEE range:
 * the MSI-X pages are still cut out of it.
 *     BAR0 [0, 32K) shared, [32K, 40K) MSI-X table, [40K, 48K) shared,
 *          [48K, 52K) MSI-X PBA, [52K, 128K) shared
 */
static const struct ccda_report_range mt_nic_shared_ranges[] = {
	MT_RANGE(MT_NIC_BAR0, SZ_128K, MT_SHARED, 0),
	MT_RANGE(MT_NIC_BAR2, SZ_16K, MT_TEE, 2),
};

static const struct ccda_segment mt_nic_shared_bar0[] = {
	MT_SHRD(0, SZ_32K),
	MT_TBL(SZ_32K, SZ_8K),
	MT_SHRD(40 * SZ_1K, SZ_8K),
	MT_PBAS(48 * SZ_1K, SZ_4K),
	MT_SHRD(52 * SZ_1K, 76 * SZ_1K),
};

/*
 * Structures off page boundaries are rounded out to whole 4 KiB units.
 * Table at 34K (8 KiB: bytes [34K, 42K)), PBA at 48K:
 *     BAR0 [0, 32K) private, [32K, 44K) MSI-X table, [44K, 48K) unreported,
 *          [48K, 52K) MSI-X PBA, [52K, 128K) private
 * Table (16 entries, 256 bytes) at 32K and PBA at 34K share a page, which
 * goes to the table:
 *     BAR0 [0, 32K) private, [32K, 36K) MSI-X table, [36K, 52K) unreported,
 *          [52K, 128K) private
 */
static const struct ccda_segment mt_nic_round_bar0[] = {
	MT_PRIV(0, SZ_32K, MT_NIC_BAR0),
	MT_TBL(SZ_32K, 12 * SZ_1K),
	MT_UNREP(44 * SZ_1K, SZ_4K),
	MT_PBAS(48 * SZ_1K, SZ_4K),
	MT_PRIV(52 * SZ_1K, 76 * SZ_1K, MT_NIC_BAR0 + 52 * SZ_1K),
};

static const struct ccda_segment mt_nic_shared_page_bar0[] = {
	MT_PRIV(0, SZ_32K, MT_NIC_BAR0),
	MT_TBL(SZ_32K, SZ_4K),
	MT_UNREP(36 * SZ_1K, SZ_16K),
	MT_PRIV(52 * SZ_1K, 76 * SZ_1K, MT_NIC_BAR0 + 52 * SZ_1K),
};

static void ccda_map_test_nic(struct kunit *test)
{
	struct ccda_layout layout = mt_nic_layout;
	const struct ccda_report *report;
	struct ccda_map *map;

	report = mt_report(test, mt_nic_ranges, ARRAY_SIZE(mt_nic_ranges));
	map = mt_build_ok(test, &layout, report, &mt_4k);
	mt_expect_bar(test, map, 0, mt_nic_bar0, ARRAY_SIZE(mt_nic_bar0));
	mt_expect_bar(test, map, 2, mt_nic_bar2, ARRAY_SIZE(mt_nic_bar2));

	report = mt_report(test, mt_nic_shared_ranges,
			   ARRAY_SIZE(mt_nic_shared_ranges));
	map = mt_build_ok(test, &layout, report, &mt_4k);
	mt_expect_bar(test, map, 0, mt_nic_shared_bar0,
		      ARRAY_SIZE(mt_nic_shared_bar0));
	mt_expect_bar(test, map, 2, mt_nic_bar2, ARRAY_SIZE(mt_nic_bar2));

	layout.msix.table_offset = 34 * SZ_1K;
	report = mt_report(test, mt_nic_ranges, ARRAY_SIZE(mt_nic_ranges));
	map = mt_build_ok(test, &layout, report, &mt_4k);
	mt_expect_bar(test, map, 0, mt_nic_round_bar0,
		      ARRAY_SIZE(mt_nic_round_bar0));

	layout.msix.nr_entries = 16;
	layout.msix.table_offset = SZ_32K;
	layout.msix.pba_offset = 34 * SZ_1K;
	report = mt_report(test, mt_nic_ranges, ARRAY_SIZE(mt_nic_ranges));
	map = mt_build_ok(test, &layout, report, &mt_4k);
	mt_expect_bar(test, map, 0, mt_nic_shared_page_bar0,
		      ARRAY_SIZE(mt_nic_shared_page_bar0));
}

/*
 * An NVMe SSD with the MSI-X table in BAR0 and the PBA in BAR4:
 *
 *   BAR0 (slots 0-1), 64-bit, 16 KiB at 0xfeb0_0000; BAR4, 32-bit, 8 KiB
 *   at 0xfeb1_0000; MSI-X: 65 entries, table at BAR0 + 8K (1040 bytes),
 *   PBA at BAR4 + 0 (16 bytes)
 *     BAR0 [0, 8K)     private       range 0 (registers, doorbells)
 *          [8K, 12K)   MSI-X table   range 1 (flagged)
 *          [12K, 16K)  unreported
 *     BAR4 [0, 4K)     MSI-X PBA     range 2 (flagged)
 *          [4K, 8K)    unreported
 *
 * Without range 2 BAR4 looks the same: config space still names the PBA.
 */
#define MT_NVME_BAR0		0xfeb00000ULL
#define MT_NVME_BAR4		0xfeb10000ULL

static const struct ccda_layout mt_nvme_layout = {
	.bars = {
		[0] = { .start = MT_NVME_BAR0, .size = SZ_16K,
			.flags = MT_MEM64 },
		[4] = { .start = MT_NVME_BAR4, .size = SZ_8K,
			.flags = MT_MEM32 },
	},
	.msix = {
		.nr_entries = 65,
		.table_bir = 0,
		.table_offset = SZ_8K,
		.pba_bir = 4,
		.pba_offset = 0,
	},
};

static const struct ccda_report_range mt_nvme_ranges[] = {
	MT_RANGE(MT_NVME_BAR0, SZ_8K, MT_TEE, 0),
	MT_RANGE(MT_NVME_BAR0 + SZ_8K, SZ_4K, MT_TABLE, 0),
	MT_RANGE(MT_NVME_BAR4, SZ_4K, MT_PBA, 4),
};

static const struct ccda_segment mt_nvme_bar0[] = {
	MT_PRIV(0, SZ_8K, MT_NVME_BAR0),
	MT_TBL(SZ_8K, SZ_4K),
	MT_UNREP(12 * SZ_1K, SZ_4K),
};

static const struct ccda_segment mt_nvme_bar4[] = {
	MT_PBAS(0, SZ_4K),
	MT_UNREP(SZ_4K, SZ_4K),
};

static void ccda_map_test_nvme(struct kunit *test)
{
	const struct ccda_report *report;
	struct ccda_map *map;

	report = mt_report(test, mt_nvme_ranges, ARRAY_SIZE(mt_nvme_ranges));
	map = mt_build_ok(test, &mt_nvme_layout, report, &mt_4k);
	mt_expect_bar(test, map, 0, mt_nvme_bar0, ARRAY_SIZE(mt_nvme_bar0));
	mt_expect_bar(test, map, 4, mt_nvme_bar4, ARRAY_SIZE(mt_nvme_bar4));
	KUNIT_EXPECT_EQ(test, map->bars[1].size, 0);

	map = mt_build_ok(test, &mt_nvme_layout,
			  mt_report(test, mt_nvme_ranges, 2), &mt_4k);
	mt_expect_bar(test, map, 0, mt_nvme_bar0, ARRAY_SIZE(mt_nvme_bar0));
	mt_expect_bar(test, map, 4, mt_nvme_bar4, ARRAY_SIZE(mt_nvme_bar4));
}

/*
 * Several ranges per BAR, the BARs interleaved in report order, non-TEE
 * ranges among them:
 *
 *   BAR0, 32-bit, 1 MiB at 0xe000_0000; BAR2, 32-bit, 256 KiB at
 *   0xe010_0000; MSI-X: 32 entries, table at BAR0 + 960K, PBA at
 *   BAR0 + 960K + 2K (one shared page)
 *
 *   range  BAR  bytes            kind
 *   0      0    [0, 64K)         TEE
 *   1      0    [64K, 128K)      TEE, MEM_ATTR_UPDATABLE
 *   2      2    [0, 16K)         non-TEE
 *   3      0    [128K, 192K)     non-TEE
 *   4      0    [192K, 256K)     non-TEE
 *   5      2    [16K, 32K)       non-TEE
 *   6      0    [512K, 768K)     TEE
 *   7      2    [64K, 256K)      TEE
 *   8      0    [960K, 964K)     MSI-X table
 *   9      0    [964K, 1M)       non-TEE
 *
 *   BAR0 [0, 128K) private (0 + 1), [128K, 256K) shared (3 + 4),
 *        [256K, 512K) unreported, [512K, 768K) private,
 *        [768K, 960K) unreported, [960K, 964K) MSI-X table,
 *        [964K, 1M) shared
 *   BAR2 [0, 32K) shared (2 + 5), [32K, 64K) unreported, [64K, 256K) private
 */
#define MT_MULTI_BAR0		0xe0000000ULL
#define MT_MULTI_BAR2		0xe0100000ULL

static const struct ccda_layout mt_multi_layout = {
	.bars = {
		[0] = { .start = MT_MULTI_BAR0, .size = SZ_1M,
			.flags = MT_MEM32 },
		[2] = { .start = MT_MULTI_BAR2, .size = SZ_256K,
			.flags = MT_MEM32 | CCDA_BAR_PREFETCH },
	},
	.msix = {
		.nr_entries = 32,
		.table_bir = 0,
		.table_offset = 960 * SZ_1K,
		.pba_bir = 0,
		.pba_offset = 962 * SZ_1K,
	},
};

static const struct ccda_report_range mt_multi_ranges[] = {
	MT_RANGE(MT_MULTI_BAR0, SZ_64K, MT_TEE, 0),
	MT_RANGE(MT_MULTI_BAR0 + SZ_64K, SZ_64K,
		 CCDA_RANGE_MEM_ATTR_UPDATABLE, 0),
	MT_RANGE(MT_MULTI_BAR2, SZ_16K, MT_SHARED, 2),
	MT_RANGE(MT_MULTI_BAR0 + SZ_128K, SZ_64K, MT_SHARED, 0),
	MT_RANGE(MT_MULTI_BAR0 + 192 * SZ_1K, SZ_64K, MT_SHARED, 0),
	MT_RANGE(MT_MULTI_BAR2 + SZ_16K, SZ_16K, MT_SHARED, 2),
	MT_RANGE(MT_MULTI_BAR0 + SZ_512K, SZ_256K, MT_TEE, 0),
	MT_RANGE(MT_MULTI_BAR2 + SZ_64K, 192 * SZ_1K, MT_TEE, 2),
	MT_RANGE(MT_MULTI_BAR0 + 960 * SZ_1K, SZ_4K, MT_TABLE, 0),
	MT_RANGE(MT_MULTI_BAR0 + 964 * SZ_1K, 60 * SZ_1K, MT_SHARED, 0),
};

static const struct ccda_segment mt_multi_bar0[] = {
	MT_PRIV(0, SZ_128K, MT_MULTI_BAR0),
	MT_SHRD(SZ_128K, SZ_128K),
	MT_UNREP(SZ_256K, SZ_256K),
	MT_PRIV(SZ_512K, SZ_256K, MT_MULTI_BAR0 + SZ_512K),
	MT_UNREP(768 * SZ_1K, 192 * SZ_1K),
	MT_TBL(960 * SZ_1K, SZ_4K),
	MT_SHRD(964 * SZ_1K, 60 * SZ_1K),
};

static const struct ccda_segment mt_multi_bar2[] = {
	MT_SHRD(0, SZ_32K),
	MT_UNREP(SZ_32K, SZ_32K),
	MT_PRIV(SZ_64K, 192 * SZ_1K, MT_MULTI_BAR2 + SZ_64K),
};

static void ccda_map_test_multi_range(struct kunit *test)
{
	const struct ccda_report *report;
	struct ccda_map *map;

	report = mt_report(test, mt_multi_ranges, ARRAY_SIZE(mt_multi_ranges));
	map = mt_build_ok(test, &mt_multi_layout, report, &mt_4k);
	mt_expect_bar(test, map, 0, mt_multi_bar0, ARRAY_SIZE(mt_multi_bar0));
	mt_expect_bar(test, map, 2, mt_multi_bar2, ARRAY_SIZE(mt_multi_bar2));
	KUNIT_EXPECT_EQ(test, map->nr_segs, 10);
}

/*
 * No report ranges at all: every BAR is unreported except its MSI-X pages;
 * the BAR holding them is partitioned, not skipped.
 *     NIC BAR0 [0, 32K) unreported, [32K, 40K) MSI-X table,
 *              [40K, 48K) unreported, [48K, 52K) MSI-X PBA,
 *              [52K, 128K) unreported
 *     NIC BAR2 [0, 16K) unreported
 */
static const struct ccda_segment mt_nic_empty_bar0[] = {
	MT_UNREP(0, SZ_32K),
	MT_TBL(SZ_32K, SZ_8K),
	MT_UNREP(40 * SZ_1K, SZ_8K),
	MT_PBAS(48 * SZ_1K, SZ_4K),
	MT_UNREP(52 * SZ_1K, 76 * SZ_1K),
};

static const struct ccda_segment mt_nic_empty_bar2[] = {
	MT_UNREP(0, SZ_16K),
};

static void ccda_map_test_no_ranges(struct kunit *test)
{
	struct ccda_map *map;

	map = mt_build_ok(test, &mt_nic_layout, mt_report(test, NULL, 0),
			  &mt_4k);
	mt_expect_bar(test, map, 0, mt_nic_empty_bar0,
		      ARRAY_SIZE(mt_nic_empty_bar0));
	mt_expect_bar(test, map, 2, mt_nic_empty_bar2,
		      ARRAY_SIZE(mt_nic_empty_bar2));
}

/* ---- offset modes --------------------------------------------------- */

/*
 * BAR_ALIGN with a TSM whose view of the NIC's BARs is elsewhere, but
 * naturally aligned: BAR0 at 0x80_0002_0000, BAR2 at 0x90_0000_4000.
 * Offsets are the PAs mod the BAR size; private segments keep the TSM's PA.
 */
#define MT_TSM_BAR0		0x8000020000ULL
#define MT_TSM_BAR2		0x9000004000ULL

static const struct ccda_report_range mt_tsm_ranges[] = {
	MT_RANGE(MT_TSM_BAR0, SZ_32K, MT_TEE, 0),
	MT_RANGE(MT_TSM_BAR0 + 52 * SZ_1K, 76 * SZ_1K, MT_TEE, 0),
	MT_RANGE(MT_TSM_BAR2, SZ_16K, MT_TEE, 2),
};

static const struct ccda_segment mt_tsm_bar0[] = {
	MT_PRIV(0, SZ_32K, MT_TSM_BAR0),
	MT_TBL(SZ_32K, SZ_8K),
	MT_UNREP(40 * SZ_1K, SZ_8K),
	MT_PBAS(48 * SZ_1K, SZ_4K),
	MT_PRIV(52 * SZ_1K, 76 * SZ_1K, MT_TSM_BAR0 + 52 * SZ_1K),
};

static const struct ccda_segment mt_tsm_bar2[] = {
	MT_PRIV(0, SZ_16K, MT_TSM_BAR2),
};

static void ccda_map_test_mode_bar_align(struct kunit *test)
{
	const struct ccda_report *report;
	struct ccda_map *map;

	report = mt_report(test, mt_tsm_ranges, ARRAY_SIZE(mt_tsm_ranges));
	map = mt_build_ok(test, &mt_nic_layout, report, &mt_4k);
	mt_expect_bar(test, map, 0, mt_tsm_bar0, ARRAY_SIZE(mt_tsm_bar0));
	mt_expect_bar(test, map, 2, mt_tsm_bar2, ARRAY_SIZE(mt_tsm_bar2));
}

/*
 * RELATIVE: a TSM that numbers each BAR from an arbitrary, unaligned base.
 * BAR0's first range (PA 0x1234_5000) is offset 0, its second (PA
 * 0x1235_2000) offset 52K; BAR2's (PA 0x777_7000) offset 0.
 */
static const struct ccda_report_range mt_rel_ranges[] = {
	MT_RANGE(0x12345000, SZ_32K, MT_TEE, 0),
	MT_RANGE(0x12345000 + 52 * SZ_1K, 76 * SZ_1K, MT_TEE, 0),
	MT_RANGE(0x7777000, SZ_16K, MT_TEE, 2),
};

static const struct ccda_segment mt_rel_bar0[] = {
	MT_PRIV(0, SZ_32K, 0x12345000),
	MT_TBL(SZ_32K, SZ_8K),
	MT_UNREP(40 * SZ_1K, SZ_8K),
	MT_PBAS(48 * SZ_1K, SZ_4K),
	MT_PRIV(52 * SZ_1K, 76 * SZ_1K, 0x12345000 + 52 * SZ_1K),
};

static const struct ccda_segment mt_rel_bar2[] = {
	MT_PRIV(0, SZ_16K, 0x7777000),
};

static void ccda_map_test_mode_relative(struct kunit *test)
{
	struct ccda_map_params params = {
		.page_size = SZ_4K,
		.mode = CCDA_OFFSET_RELATIVE,
	};
	const struct ccda_report *report;
	struct ccda_map *map;

	report = mt_report(test, mt_rel_ranges, ARRAY_SIZE(mt_rel_ranges));
	map = mt_build_ok(test, &mt_nic_layout, report, &params);
	mt_expect_bar(test, map, 0, mt_rel_bar0, ARRAY_SIZE(mt_rel_bar0));
	mt_expect_bar(test, map, 2, mt_rel_bar2, ARRAY_SIZE(mt_rel_bar2));

	/* The CPU-address report gives the same map in RELATIVE mode. */
	report = mt_report(test, mt_nic_ranges, ARRAY_SIZE(mt_nic_ranges));
	map = mt_build_ok(test, &mt_nic_layout, report, &params);
	mt_expect_bar(test, map, 0, mt_nic_bar0, ARRAY_SIZE(mt_nic_bar0));
	mt_expect_bar(test, map, 2, mt_nic_bar2, ARRAY_SIZE(mt_nic_bar2));
}

/*
 * TRANSLATE: the TSM scatters the NIC's BAR0 over unrelated PAs.
 *
 *   range  PA          BAR  offset       bytes
 *   0      0x10_0000   0    0            16K
 *   1      0x30_0000   0    16K          16K   (PA jump: a new segment)
 *   2      0x30_4000   0    52K          16K
 *   3      0x30_8000   0    68K          60K   (contiguous with 2: merged)
 *   4      0x20_0000   2    0            16K
 *
 *   BAR0 [0, 16K) private 0x10_0000, [16K, 32K) private 0x30_0000,
 *        [32K, 40K) MSI-X table, [40K, 48K) unreported, [48K, 52K) PBA,
 *        [52K, 128K) private 0x30_4000
 */
static const struct mt_xlate_entry mt_xlate_nic[] = {
	{ .bar = 0, .pa = 0x100000, .len = SZ_16K, .off = 0 },
	{ .bar = 0, .pa = 0x300000, .len = SZ_16K, .off = SZ_16K },
	{ .bar = 0, .pa = 0x304000, .len = SZ_16K, .off = 52 * SZ_1K },
	{ .bar = 0, .pa = 0x308000, .len = 60 * SZ_1K, .off = 68 * SZ_1K },
	{ .bar = 2, .pa = 0x200000, .len = SZ_16K, .off = 0 },
};

static const struct ccda_report_range mt_xlate_nic_ranges[] = {
	MT_RANGE(0x100000, SZ_16K, MT_TEE, 0),
	MT_RANGE(0x300000, SZ_16K, MT_TEE, 0),
	MT_RANGE(0x304000, SZ_16K, MT_TEE, 0),
	MT_RANGE(0x308000, 60 * SZ_1K, MT_TEE, 0),
	MT_RANGE(0x200000, SZ_16K, MT_TEE, 2),
};

static const struct ccda_segment mt_xlate_bar0[] = {
	MT_PRIV(0, SZ_16K, 0x100000),
	MT_PRIV(SZ_16K, SZ_16K, 0x300000),
	MT_TBL(SZ_32K, SZ_8K),
	MT_UNREP(40 * SZ_1K, SZ_8K),
	MT_PBAS(48 * SZ_1K, SZ_4K),
	MT_PRIV(52 * SZ_1K, 76 * SZ_1K, 0x304000),
};

static const struct ccda_segment mt_xlate_bar2[] = {
	MT_PRIV(0, SZ_16K, 0x200000),
};

static void ccda_map_test_mode_translate(struct kunit *test)
{
	struct mt_xlate x = {
		.map = mt_xlate_nic,
		.nr = ARRAY_SIZE(mt_xlate_nic),
	};
	struct ccda_map_params params = {
		.page_size = SZ_4K,
		.mode = CCDA_OFFSET_TRANSLATE,
		.translate = mt_translate,
		.ctx = &x,
	};
	const struct ccda_report *report;
	struct ccda_map *map;

	report = mt_report(test, mt_xlate_nic_ranges,
			   ARRAY_SIZE(mt_xlate_nic_ranges));
	map = mt_build_ok(test, &mt_nic_layout, report, &params);
	mt_expect_bar(test, map, 0, mt_xlate_bar0, ARRAY_SIZE(mt_xlate_bar0));
	mt_expect_bar(test, map, 2, mt_xlate_bar2, ARRAY_SIZE(mt_xlate_bar2));
	KUNIT_EXPECT_EQ(test, x.calls, ARRAY_SIZE(mt_xlate_nic_ranges));
	KUNIT_EXPECT_EQ(test, x.unknown, 0);

	/* A failing translation fails the build with its own errno. */
	x.fail_pa = 0x304000;
	x.err = -EIO;
	mt_build_fail(test, &mt_nic_layout, report, &params, -EIO, 2,
		      "translation failed");
	x.fail_pa = 0x100000;
	x.err = -ENODEV;
	mt_build_fail(test, &mt_nic_layout, report, &params, -ENODEV, 0,
		      "translation failed");
}

/*
 * The first reported range of a BAR need not be at offset 0:
 *
 *   BAR0, 32-bit, 64 KiB at 0xfe00_0000; MSI-X: 16 entries, table at 0,
 *   PBA at 2K (one page)
 *     [0, 4K)      MSI-X table   not reported
 *     [4K, 64K)    private       range 0 (PA 0xfe00_1000)
 *
 * BAR_ALIGN places it right.  RELATIVE would put range 0 at offset 0, on
 * top of the MSI-X table: refused, not mapped (the mistake of treating the
 * first range as the BAR start).
 */
static const struct ccda_layout mt_late_layout = {
	.bars = {
		[0] = { .start = 0xfe000000, .size = SZ_64K,
			.flags = MT_MEM32 },
	},
	.msix = {
		.nr_entries = 16,
		.table_bir = 0,
		.table_offset = 0,
		.pba_bir = 0,
		.pba_offset = SZ_2K,
	},
};

static const struct ccda_report_range mt_late_ranges[] = {
	MT_RANGE(0xfe001000, 60 * SZ_1K, MT_TEE, 0),
};

static const struct ccda_segment mt_late_bar0[] = {
	MT_TBL(0, SZ_4K),
	MT_PRIV(SZ_4K, 60 * SZ_1K, 0xfe001000),
};

static void ccda_map_test_first_range_not_at_zero(struct kunit *test)
{
	struct ccda_map_params params = {
		.page_size = SZ_4K,
		.mode = CCDA_OFFSET_RELATIVE,
	};
	const struct ccda_report *report =
		mt_report(test, mt_late_ranges, ARRAY_SIZE(mt_late_ranges));
	struct ccda_map *map;

	map = mt_build_ok(test, &mt_late_layout, report, &mt_4k);
	mt_expect_bar(test, map, 0, mt_late_bar0, ARRAY_SIZE(mt_late_bar0));

	mt_build_fail(test, &mt_late_layout, report, &params, -EINVAL, 0,
		      "overlaps the MSI-X table");
}

/* ---- CPU pages larger than 4 KiB ------------------------------------ */

/*
 *   BAR0, 32-bit, 1 MiB at 0xe000_0000; MSI-X: 2048 entries, table at
 *   512K (32 KiB), PBA at 544K (256 bytes)
 *     [0, 320K)     private       ranges 0 [0, 256K) and 1 [256K, 320K)
 *     [320K, 324K)  shared        range 2 (shared needs only 4K units)
 *     [324K, 448K)  unreported
 *     [448K, 512K)  private       range 3
 *     [512K, 544K)  MSI-X table
 *     [544K, 548K)  MSI-X PBA
 *     [548K, 576K)  unreported
 *     [576K, 1M)    private       range 4
 *
 * Every private run starts and ends on a 64K offset: valid with 4K, 16K
 * and 64K pages alike.
 */
#define MT_BIG_BAR0		0xe0000000ULL

static const struct ccda_layout mt_big_layout = {
	.bars = {
		[0] = { .start = MT_BIG_BAR0, .size = SZ_1M,
			.flags = MT_MEM32 },
		[2] = { .start = MT_BIG_BAR0 + SZ_1M, .size = SZ_16K,
			.flags = MT_MEM32 },
	},
	.msix = {
		.nr_entries = 2048,
		.table_bir = 0,
		.table_offset = SZ_512K,
		.pba_bir = 0,
		.pba_offset = 544 * SZ_1K,
	},
};

static const struct ccda_report_range mt_big_ranges[] = {
	MT_RANGE(MT_BIG_BAR0, SZ_256K, MT_TEE, 0),
	MT_RANGE(MT_BIG_BAR0 + SZ_256K, SZ_64K, MT_TEE, 0),
	MT_RANGE(MT_BIG_BAR0 + 320 * SZ_1K, SZ_4K, MT_SHARED, 0),
	MT_RANGE(MT_BIG_BAR0 + 448 * SZ_1K, SZ_64K, MT_TEE, 0),
	MT_RANGE(MT_BIG_BAR0 + 576 * SZ_1K, 448 * SZ_1K, MT_TEE, 0),
};

static const struct ccda_segment mt_big_bar0[] = {
	MT_PRIV(0, 320 * SZ_1K, MT_BIG_BAR0),
	MT_SHRD(320 * SZ_1K, SZ_4K),
	MT_UNREP(324 * SZ_1K, 124 * SZ_1K),
	MT_PRIV(448 * SZ_1K, SZ_64K, MT_BIG_BAR0 + 448 * SZ_1K),
	MT_TBL(SZ_512K, SZ_32K),
	MT_PBAS(544 * SZ_1K, SZ_4K),
	MT_UNREP(548 * SZ_1K, 28 * SZ_1K),
	MT_PRIV(576 * SZ_1K, 448 * SZ_1K, MT_BIG_BAR0 + 576 * SZ_1K),
};

static void ccda_map_test_large_pages(struct kunit *test)
{
	static const unsigned int sizes[] = { SZ_4K, SZ_16K, SZ_64K };
	struct ccda_map_params params = mt_4k;
	const struct ccda_report *report;
	struct ccda_map *map;
	unsigned int i;

	report = mt_report(test, mt_big_ranges, ARRAY_SIZE(mt_big_ranges));
	for (i = 0; i < ARRAY_SIZE(sizes); i++) {
		params.page_size = sizes[i];
		map = mt_build_ok(test, &mt_big_layout, report, &params);
		mt_expect_bar(test, map, 0, mt_big_bar0,
			      ARRAY_SIZE(mt_big_bar0));
		mt_release(test, map);
	}
}

/*
 * The 64K-page refusals, each valid with 4K pages first:
 *  a. range 3 moved to [452K, 512K): private starts inside [448K, 512K)
 *  b. range 1 cut to [256K, 316K): the run [0, 316K) ends inside a page
 *  c. BAR2 (16 KiB, smaller than a page) holding private [0, 16K)
 *  d. the table moved to 528K (PBA to 560K): private [448K, 512K) still
 *     ends on 64K, but range 3 grown to [448K, 528K) shares a page with it
 *  e. TRANSLATE: [0, 32K) at PA 0x10_0000 and [32K, 64K) at PA 0x90_0000:
 *     one 64K page, two discontiguous private runs
 */
static void mt_fail_64k(struct kunit *test, const struct ccda_layout *layout,
			const struct ccda_report_range *ranges, u32 nr,
			const struct ccda_map_params *base, int index,
			const char *why)
{
	const struct ccda_report *report = mt_report(test, ranges, nr);
	struct ccda_map_params params = *base;

	params.page_size = SZ_4K;
	mt_release(test, mt_build_ok(test, layout, report, &params));
	params.page_size = SZ_64K;
	mt_build_fail(test, layout, report, &params, -EINVAL, index, why);
}

static void ccda_map_test_large_pages_rejected(struct kunit *test)
{
	static const struct mt_xlate_entry split[] = {
		{ .bar = 0, .pa = 0x100000, .len = SZ_32K, .off = 0 },
		{ .bar = 0, .pa = 0x900000, .len = SZ_32K, .off = SZ_32K },
	};
	static const struct ccda_report_range split_ranges[] = {
		MT_RANGE(0x100000, SZ_32K, MT_TEE, 0),
		MT_RANGE(0x900000, SZ_32K, MT_TEE, 0),
	};
	struct mt_xlate x = { .map = split, .nr = ARRAY_SIZE(split) };
	struct ccda_map_params xparams = {
		.mode = CCDA_OFFSET_TRANSLATE,
		.translate = mt_translate,
		.ctx = &x,
	};
	struct ccda_report_range r[ARRAY_SIZE(mt_big_ranges) + 1];
	struct ccda_layout layout = mt_big_layout;
	struct ccda_map_params params = mt_4k;
	u32 nr = ARRAY_SIZE(mt_big_ranges);
	const struct ccda_report *report;

	/* a */
	memcpy(r, mt_big_ranges, sizeof(mt_big_ranges));
	r[3].first_page++;
	r[3].nr_pages--;
	mt_fail_64k(test, &layout, r, nr, &mt_4k, 3,
		    "starts inside a CPU page");

	/* b */
	memcpy(r, mt_big_ranges, sizeof(mt_big_ranges));
	r[1].nr_pages--;
	mt_fail_64k(test, &layout, r, nr, &mt_4k, 1, "ends inside a CPU page");

	/* c: also valid with 16K pages, the BAR's own size */
	memcpy(r, mt_big_ranges, sizeof(mt_big_ranges));
	r[nr] = (struct ccda_report_range)MT_RANGE(MT_BIG_BAR0 + SZ_1M, SZ_16K,
						   MT_TEE, 2);
	mt_fail_64k(test, &layout, r, nr + 1, &mt_4k, nr,
		    "ends inside a CPU page");
	report = mt_report(test, r, nr + 1);
	params.page_size = SZ_16K;
	mt_release(test, mt_build_ok(test, &layout, report, &params));

	/* d */
	memcpy(r, mt_big_ranges, sizeof(mt_big_ranges));
	layout.msix.table_offset = 528 * SZ_1K;
	layout.msix.pba_offset = 560 * SZ_1K;
	r[3].nr_pages += 4;
	mt_fail_64k(test, &layout, r, nr, &mt_4k, 3, "ends inside a CPU page");

	/* e */
	mt_fail_64k(test, &mt_big_layout, split_ranges,
		    ARRAY_SIZE(split_ranges), &xparams, 0,
		    "ends inside a CPU page");
	KUNIT_EXPECT_EQ(test, x.unknown, 0);
}

/* ---- rejections ----------------------------------------------------- */

/*
 * The reference device every rejection starts from (BAR_ALIGN, 4K pages,
 * TSM view = CPU addresses):
 *
 *   BAR0, 32-bit, 64 KiB at 0xfe00_0000; MSI-X: 64 entries, table at 16K,
 *   PBA at 20K
 *     [0, 16K)     private       range 0
 *     [16K, 20K)   MSI-X table   range 1 (flagged, non-TEE)
 *     [20K, 24K)   MSI-X PBA     config space only
 *     [24K, 32K)   shared        range 2
 *     [32K, 64K)   private       range 3
 *   BAR1: unimplemented
 *   BAR2 (slots 2-3), 64-bit prefetchable, 1 MiB at 0x80_0000_0000
 *     [0, 1M)      private       range 4
 *   BAR4: I/O, 256 bytes
 *   BAR5: unimplemented
 */
#define MT_REF_BAR0		0xfe000000ULL
#define MT_REF_BAR2		0x8000000000ULL
#define MT_REF_MAX_RANGES	8

struct mt_input {
	struct ccda_layout layout;
	struct ccda_report_range ranges[MT_REF_MAX_RANGES];
	u32 nr;
	struct ccda_map_params params;
};

static const struct mt_input mt_ref = {
	.layout = {
		.bars = {
			[0] = { .start = MT_REF_BAR0, .size = SZ_64K,
				.flags = MT_MEM32 },
			[2] = { .start = MT_REF_BAR2, .size = SZ_1M,
				.flags = MT_MEM64_PREF },
			[4] = { .start = 0x1000, .size = 256, .flags = 0 },
		},
		.msix = {
			.nr_entries = 64,
			.table_bir = 0,
			.table_offset = SZ_16K,
			.pba_bir = 0,
			.pba_offset = 20 * SZ_1K,
		},
	},
	.ranges = {
		MT_RANGE(MT_REF_BAR0, SZ_16K, MT_TEE, 0),
		MT_RANGE(MT_REF_BAR0 + SZ_16K, SZ_4K, MT_TABLE, 0),
		MT_RANGE(MT_REF_BAR0 + 24 * SZ_1K, SZ_8K, MT_SHARED, 0),
		MT_RANGE(MT_REF_BAR0 + SZ_32K, SZ_32K, MT_TEE, 0),
		MT_RANGE(MT_REF_BAR2, SZ_1M, MT_TEE, 2),
	},
	.nr = 5,
	.params = {
		.page_size = SZ_4K,
		.mode = CCDA_OFFSET_BAR_ALIGN,
	},
};

/* The reference TSM's translation: its PAs are the CPU addresses. */
static int mt_xlate_ref(void *ctx, unsigned int bar, u64 pa, u64 len,
			u64 *offset)
{
	const struct ccda_layout *l = ctx;

	*offset = pa - l->bars[bar].start;
	return 0;
}

static int mt_xlate_eio(void *ctx, unsigned int bar, u64 pa, u64 len,
			u64 *offset)
{
	return bar == 2 ? -EIO : mt_xlate_ref(ctx, bar, pa, len, offset);
}

static int mt_xlate_positive(void *ctx, unsigned int bar, u64 pa, u64 len,
			     u64 *offset)
{
	return bar == 2 ? 1 : mt_xlate_ref(ctx, bar, pa, len, offset);
}

static int mt_xlate_unaligned(void *ctx, unsigned int bar, u64 pa, u64 len,
			      u64 *offset)
{
	mt_xlate_ref(ctx, bar, pa, len, offset);
	if (bar == 2)
		*offset += 8;
	return 0;
}

static int mt_xlate_huge(void *ctx, unsigned int bar, u64 pa, u64 len,
			 u64 *offset)
{
	mt_xlate_ref(ctx, bar, pa, len, offset);
	if (bar == 2)
		*offset = round_down(U64_MAX, MT_UNIT);
	return 0;
}

static void mt_set_translate(struct mt_input *in,
			     int (*fn)(void *, unsigned int, u64, u64, u64 *))
{
	in->params.mode = CCDA_OFFSET_TRANSLATE;
	in->params.translate = fn;
	in->params.ctx = &in->layout;
}

struct mt_reject_case {
	const char *name;
	void (*breaker)(struct mt_input *in);
	int err;
	int index;
	const char *why;
};

#define MT_BREAKER(_name, _body)					\
	static void mt_break_##_name(struct mt_input *in)		\
	{								\
		_body;							\
	}

/* arguments */
MT_BREAKER(page_0, in->params.page_size = 0)
MT_BREAKER(page_8k, in->params.page_size = SZ_8K)
MT_BREAKER(page_2m, in->params.page_size = SZ_2M)
MT_BREAKER(mode, in->params.mode = CCDA_OFFSET_TRANSLATE + 1)
MT_BREAKER(no_callback, in->params.mode = CCDA_OFFSET_TRANSLATE)
/* RANGE_ID */
MT_BREAKER(id_6, in->ranges[2].range_id = CCDA_NR_BARS)
MT_BREAKER(id_max, in->ranges[2].range_id = U16_MAX)
MT_BREAKER(id_unimplemented, in->ranges[2].range_id = 5)
MT_BREAKER(id_mem_size_0, in->layout.bars[5].flags = MT_MEM32;
	   in->ranges[2].range_id = 5)
MT_BREAKER(id_io, in->ranges[2].range_id = 4)
MT_BREAKER(id_upper, in->ranges[4].range_id = 3)
/* order */
MT_BREAKER(order, swap(in->ranges[2], in->ranges[3]))
MT_BREAKER(overlap, in->ranges[3].first_page--; in->ranges[3].nr_pages++)
MT_BREAKER(duplicate, in->ranges[1] = in->ranges[0])
MT_BREAKER(relative_below, in->params.mode = CCDA_OFFSET_RELATIVE;
	   in->ranges[3].first_page = (MT_REF_BAR0 >> MT_UNIT_SHIFT) - 1)
/* outside the BAR */
MT_BREAKER(past_end, in->ranges[3].nr_pages++)
MT_BREAKER(past_end_64, in->ranges[4].nr_pages++)
MT_BREAKER(other_window,
	   in->ranges[3].first_page += SZ_64K >> MT_UNIT_SHIFT)
MT_BREAKER(relative_past_end, in->params.mode = CCDA_OFFSET_RELATIVE;
	   in->ranges[3].first_page += SZ_1M >> MT_UNIT_SHIFT)
MT_BREAKER(xlate_overflow, mt_set_translate(in, mt_xlate_huge))
/* MSI-X */
MT_BREAKER(tee_on_table, in->ranges[1].flags = MT_TEE)
MT_BREAKER(tee_on_pba, in->ranges[2].first_page--; in->ranges[2].nr_pages++;
	   in->ranges[2].flags = MT_TEE)
MT_BREAKER(tee_into_table, in->ranges[0].nr_pages++;
	   in->ranges[1].first_page++; in->ranges[1].flags = MT_SHARED)
MT_BREAKER(secure_table, in->ranges[1].flags = CCDA_RANGE_MSIX_TABLE)
MT_BREAKER(secure_pba, in->ranges[1].flags = CCDA_RANGE_MSIX_PBA)
MT_BREAKER(secure_both, in->ranges[1].flags = CCDA_RANGE_MSIX_TABLE |
	   CCDA_RANGE_MSIX_PBA | CCDA_RANGE_MEM_ATTR_UPDATABLE)
/* pages */
MT_BREAKER(page_64k, in->params.page_size = SZ_64K)
MT_BREAKER(page_16k, in->params.page_size = SZ_16K;
	   in->ranges[3].first_page++; in->ranges[3].nr_pages--)
/* layout */
MT_BREAKER(bar_not_pow2, in->layout.bars[0].size = 48 * SZ_1K)
MT_BREAKER(bar_misaligned, in->layout.bars[2].start += SZ_64K)
MT_BREAKER(bar_flags, in->layout.bars[0].flags |= BIT(7))
MT_BREAKER(bars_overlap, in->layout.bars[2].start = MT_REF_BAR0)
MT_BREAKER(io_flags, in->layout.bars[4].flags = CCDA_BAR_PREFETCH)
MT_BREAKER(mem64_last, in->layout.bars[5] = in->layout.bars[0];
	   in->layout.bars[5].start += SZ_1M;
	   in->layout.bars[5].flags = MT_MEM64)
MT_BREAKER(upper_used, in->layout.bars[3] = in->layout.bars[0];
	   in->layout.bars[3].start += SZ_1M)
MT_BREAKER(msix_2049, in->layout.msix.nr_entries = 2049)
MT_BREAKER(table_bir_io, in->layout.msix.table_bir = 4)
MT_BREAKER(table_bir_none, in->layout.msix.table_bir = 5)
MT_BREAKER(table_bir_upper, in->layout.msix.table_bir = 3)
MT_BREAKER(table_bir_7, in->layout.msix.table_bir = 7)
MT_BREAKER(pba_bir_io, in->layout.msix.pba_bir = 4)
MT_BREAKER(table_outside, in->layout.msix.table_offset = SZ_64K - 512)
MT_BREAKER(pba_outside, in->layout.msix.pba_offset = SZ_64K)
MT_BREAKER(table_unaligned, in->layout.msix.table_offset += 4)
MT_BREAKER(pba_unaligned, in->layout.msix.pba_offset += 1)
MT_BREAKER(msix_overlap, in->layout.msix.pba_offset = SZ_16K + 512)
/* the report itself */
MT_BREAKER(zero_pages, in->ranges[2].nr_pages = 0)
MT_BREAKER(pa_overflow,
	   in->ranges[4].first_page = BIT_ULL(64 - MT_UNIT_SHIFT) - 1;
	   in->ranges[4].nr_pages = 2)
/* translation */
MT_BREAKER(xlate_eio, mt_set_translate(in, mt_xlate_eio))
MT_BREAKER(xlate_positive, mt_set_translate(in, mt_xlate_positive))
MT_BREAKER(xlate_unaligned, mt_set_translate(in, mt_xlate_unaligned))

#define MT_REJECT(_name, _err, _index, _why)				\
	{								\
		.name = #_name,						\
		.breaker = mt_break_##_name,				\
		.err = _err,						\
		.index = _index,					\
		.why = _why,						\
	}

static const struct mt_reject_case mt_reject_cases[] = {
	MT_REJECT(page_0, -EINVAL, -1, "page size"),
	MT_REJECT(page_8k, -EINVAL, -1, "page size"),
	MT_REJECT(page_2m, -EINVAL, -1, "page size"),
	MT_REJECT(mode, -EINVAL, -1, "offset mode"),
	MT_REJECT(no_callback, -EINVAL, -1, "without a translate callback"),
	MT_REJECT(id_6, -EINVAL, 2, "RANGE_ID is not a BAR"),
	MT_REJECT(id_max, -EINVAL, 2, "RANGE_ID is not a BAR"),
	MT_REJECT(id_unimplemented, -EINVAL, 2, "no implemented memory BAR"),
	MT_REJECT(id_mem_size_0, -EINVAL, 2, "no implemented memory BAR"),
	MT_REJECT(id_io, -EINVAL, 2, "no implemented memory BAR"),
	MT_REJECT(id_upper, -EINVAL, 4, "upper half of a 64-bit BAR"),
	MT_REJECT(order, -EINVAL, 3, "out of ascending order"),
	MT_REJECT(overlap, -EINVAL, 3, "overlaps the previous range"),
	MT_REJECT(duplicate, -EINVAL, 1, "overlaps the previous range"),
	MT_REJECT(relative_below, -EINVAL, 3, "below the first range"),
	MT_REJECT(past_end, -ERANGE, 3, "outside its BAR"),
	MT_REJECT(past_end_64, -ERANGE, 4, "outside its BAR"),
	MT_REJECT(other_window, -ERANGE, 3, "BAR window"),
	MT_REJECT(relative_past_end, -ERANGE, 3, "outside its BAR"),
	MT_REJECT(xlate_overflow, -ERANGE, 4, "outside its BAR"),
	MT_REJECT(tee_on_table, -EINVAL, 1, "overlaps the MSI-X table"),
	MT_REJECT(tee_on_pba, -EINVAL, 2, "overlaps the MSI-X PBA"),
	MT_REJECT(tee_into_table, -EINVAL, 0, "overlaps the MSI-X table"),
	MT_REJECT(secure_table, -EOPNOTSUPP, 1, "secure interrupts"),
	MT_REJECT(secure_pba, -EOPNOTSUPP, 1, "secure interrupts"),
	MT_REJECT(secure_both, -EOPNOTSUPP, 1, "secure interrupts"),
	MT_REJECT(page_64k, -EINVAL, 0, "ends inside a CPU page"),
	MT_REJECT(page_16k, -EINVAL, 3, "starts inside a CPU page"),
	MT_REJECT(bar_not_pow2, -EINVAL, -1, "power of two"),
	MT_REJECT(bar_misaligned, -EINVAL, -1, "not aligned to its size"),
	MT_REJECT(bar_flags, -EINVAL, -1, "unknown BAR flags"),
	MT_REJECT(bars_overlap, -EINVAL, -1, "memory BARs overlap"),
	MT_REJECT(io_flags, -EINVAL, -1, "on an I/O BAR"),
	MT_REJECT(mem64_last, -EINVAL, -1, "64-bit BAR in the last slot"),
	MT_REJECT(upper_used, -EINVAL, -1, "upper slot of a 64-bit BAR"),
	MT_REJECT(msix_2049, -EINVAL, -1, "more than 2048 entries"),
	MT_REJECT(table_bir_io, -EINVAL, -1, "table BIR names no memory BAR"),
	MT_REJECT(table_bir_none, -EINVAL, -1,
		  "table BIR names no memory BAR"),
	MT_REJECT(table_bir_upper, -EINVAL, -1,
		  "table BIR names no memory BAR"),
	MT_REJECT(table_bir_7, -EINVAL, -1, "table BIR names no memory BAR"),
	MT_REJECT(pba_bir_io, -EINVAL, -1, "PBA BIR names no memory BAR"),
	MT_REJECT(table_outside, -EINVAL, -1, "table lies outside its BAR"),
	MT_REJECT(pba_outside, -EINVAL, -1, "PBA lies outside its BAR"),
	MT_REJECT(table_unaligned, -EINVAL, -1,
		  "table offset is not QWORD aligned"),
	MT_REJECT(pba_unaligned, -EINVAL, -1,
		  "PBA offset is not QWORD aligned"),
	MT_REJECT(msix_overlap, -EINVAL, -1, "table and PBA overlap"),
	MT_REJECT(zero_pages, -EINVAL, 2, "zero pages"),
	MT_REJECT(pa_overflow, -EOVERFLOW, 4, "64-bit address space"),
	MT_REJECT(xlate_eio, -EIO, 4, "translation failed"),
	MT_REJECT(xlate_positive, -EINVAL, 4, "translation failed"),
	MT_REJECT(xlate_unaligned, -EINVAL, 4, "not 4 KiB aligned"),
};

KUNIT_ARRAY_PARAM_DESC(mt_reject, mt_reject_cases, name);

static struct mt_input *mt_input_ref(struct kunit *test)
{
	struct mt_input *in;

	in = kunit_kmalloc(test, sizeof(*in), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, in);
	*in = mt_ref;
	return in;
}

static const struct ccda_report *mt_input_report(struct kunit *test,
						 const struct mt_input *in)
{
	return mt_report(test, in->ranges, in->nr);
}

/*
 * Each case: the reference builds (and builds the same in RELATIVE and
 * TRANSLATE modes), then one field is broken and the build refused.
 */
static void ccda_map_test_reject(struct kunit *test)
{
	const struct mt_reject_case *c = test->param_value;
	struct mt_input *in = mt_input_ref(test);
	struct ccda_map *map;

	map = mt_build_ok(test, &in->layout, mt_input_report(test, in),
			  &in->params);
	mt_release(test, map);

	c->breaker(in);
	mt_build_fail(test, &in->layout, mt_input_report(test, in),
		      &in->params, c->err, c->index, c->why);
}

/* The reference device is valid in every mode, with the same segments. */
static const struct ccda_segment mt_ref_bar0[] = {
	MT_PRIV(0, SZ_16K, MT_REF_BAR0),
	MT_TBL(SZ_16K, SZ_4K),
	MT_PBAS(20 * SZ_1K, SZ_4K),
	MT_SHRD(24 * SZ_1K, SZ_8K),
	MT_PRIV(SZ_32K, SZ_32K, MT_REF_BAR0 + SZ_32K),
};

static const struct ccda_segment mt_ref_bar2[] = {
	MT_PRIV(0, SZ_1M, MT_REF_BAR2),
};

static void ccda_map_test_modes_agree(struct kunit *test)
{
	struct mt_input *in = mt_input_ref(test);
	const struct ccda_report *report = mt_input_report(test, in);
	struct ccda_map *map;

	map = mt_build_ok(test, &in->layout, report, &in->params);
	mt_expect_bar(test, map, 0, mt_ref_bar0, ARRAY_SIZE(mt_ref_bar0));
	mt_expect_bar(test, map, 2, mt_ref_bar2, ARRAY_SIZE(mt_ref_bar2));

	in->params.mode = CCDA_OFFSET_RELATIVE;
	map = mt_build_ok(test, &in->layout, report, &in->params);
	mt_expect_bar(test, map, 0, mt_ref_bar0, ARRAY_SIZE(mt_ref_bar0));
	mt_expect_bar(test, map, 2, mt_ref_bar2, ARRAY_SIZE(mt_ref_bar2));

	mt_set_translate(in, mt_xlate_ref);
	map = mt_build_ok(test, &in->layout, report, &in->params);
	mt_expect_bar(test, map, 0, mt_ref_bar0, ARRAY_SIZE(mt_ref_bar0));
	mt_expect_bar(test, map, 2, mt_ref_bar2, ARRAY_SIZE(mt_ref_bar2));
}

/* %NULL arguments and a report larger than the parser can produce. */
static void ccda_map_test_bad_args(struct kunit *test)
{
	struct mt_input *in = mt_input_ref(test);
	const struct ccda_report *report = mt_input_report(test, in);
	struct ccda_diag diag = { .reason = NULL, .index = 42 };
	struct ccda_report *big;
	int live = mt_live();

	mt_release(test, mt_build_ok(test, &in->layout, report, &in->params));

	mt_build_fail(test, NULL, report, &in->params, -EINVAL, -1,
		      "no device layout");
	mt_build_fail(test, &in->layout, NULL, &in->params, -EINVAL, -1,
		      "no interface report");
	mt_build_fail(test, &in->layout, report, NULL, -EINVAL, -1,
		      "no map parameters");

	KUNIT_EXPECT_EQ(test, ccda_map_build(&in->layout, report, &in->params,
					     NULL, &diag), -EINVAL);
	KUNIT_EXPECT_NOT_NULL(test, diag.reason);
	KUNIT_EXPECT_EQ(test, diag.index, -1);
	KUNIT_EXPECT_EQ(test, ccda_map_build(&in->layout, report, &in->params,
					     NULL, NULL), -EINVAL);
	KUNIT_EXPECT_EQ(test, mt_live(), live);

	/* 65,536 valid-looking ranges: one more than any parsed report. */
	big = mt_report(test, NULL, CCDA_REPORT_MAX_RANGES + 1);
	mt_build_fail(test, &in->layout, big, &in->params, -EINVAL, -1,
		      "more ranges than the parser allows");

	/* Freeing nothing is fine. */
	ccda_map_free(NULL);
	KUNIT_EXPECT_EQ(test, mt_live(), live);
}

/* ---- classification ------------------------------------------------- */

struct mt_query {
	u64 addr;
	u64 len;
	int err;
	enum ccda_map_class class;
	const char *what;
};

#define MT_Q(_addr, _len, _class, _what)				\
	{ .addr = (_addr), .len = (_len), .class = (_class), .what = (_what) }
#define MT_QERR(_addr, _len, _err, _what)				\
	{ .addr = (_addr), .len = (_len), .err = (_err), .what = (_what) }

/* Against the GPU map (see ccda_map_test_gpu) */
static const struct mt_query mt_gpu_queries[] = {
	MT_Q(MT_GPU_BAR0 + SZ_4K, SZ_4K, CCDA_CLASS_PRIVATE,
	     "BAR0 registers"),
	MT_Q(MT_GPU_BAR0, 0xb90000, CCDA_CLASS_PRIVATE,
	     "all of BAR0's first register block"),
	MT_Q(MT_GPU_BAR1, SZ_64G, CCDA_CLASS_PRIVATE, "all of BAR1"),
	MT_Q(MT_GPU_BAR1 + SZ_64G - 1, 1, CCDA_CLASS_PRIVATE,
	     "last byte of BAR1"),
	MT_Q(MT_GPU_BAR0 + 0xb90000, 0x400, CCDA_CLASS_SHARED,
	     "the MSI-X table"),
	MT_Q(MT_GPU_BAR0 + 0xba0000, 8, CCDA_CLASS_SHARED, "the MSI-X PBA"),
	MT_Q(MT_GPU_BAR3 + SZ_4K, 8, CCDA_CLASS_SHARED, "a doorbell"),
	MT_Q(MT_GPU_BAR3 + SZ_4M, SZ_4K, CCDA_CLASS_UNREPORTED,
	     "unreported BAR3"),
	MT_Q(MT_GPU_BAR0 + 0xb91000, 0xf000, CCDA_CLASS_UNREPORTED,
	     "unreported gap between table and PBA"),
	MT_QERR(MT_GPU_BAR0 + 0xb8f000, SZ_8K, -EINVAL,
		"private into the MSI-X table"),
	MT_QERR(MT_GPU_BAR0 + 0xba0800, SZ_4K, -EINVAL,
		"MSI-X PBA into private"),
	MT_QERR(MT_GPU_BAR3 + SZ_2M - SZ_4K, SZ_8K, -EINVAL,
		"shared into unreported"),
	MT_QERR(MT_GPU_BAR0 + 0xb90000, 0x2000, -EINVAL,
		"MSI-X table into unreported"),
	MT_QERR(MT_GPU_BAR0 + SZ_16M, 4, -ERANGE,
		"between BAR0 and BAR3"),
	MT_QERR(MT_GPU_BAR0 + SZ_16M - SZ_4K, SZ_8K, -ERANGE,
		"across the end of BAR0"),
	MT_QERR(MT_GPU_BAR3 - SZ_4K, SZ_8K, -ERANGE,
		"across the start of BAR3"),
	MT_QERR(MT_GPU_BAR1 + SZ_64G, 1, -ERANGE, "just past BAR1"),
	MT_QERR(0, SZ_4K, -ERANGE, "address zero"),
	MT_QERR(MT_GPU_BAR0, 0, -EINVAL, "empty"),
	MT_QERR(U64_MAX, 2, -EINVAL, "wraps"),
};

/* Against the all-shared NIC map: shared and MSI-X mix as shared. */
static const struct mt_query mt_nic_queries[] = {
	MT_Q(MT_NIC_BAR0 + 28 * SZ_1K, SZ_8K, CCDA_CLASS_SHARED,
	     "shared into the MSI-X table"),
	MT_Q(MT_NIC_BAR0, SZ_128K, CCDA_CLASS_SHARED, "all of BAR0"),
	MT_Q(MT_NIC_BAR2, SZ_16K, CCDA_CLASS_PRIVATE, "all of BAR2"),
	MT_QERR(MT_NIC_BAR0 + SZ_128K - SZ_4K, SZ_8K, -ERANGE,
		"across BAR0 into BAR2"),
};

static void mt_classify(struct kunit *test, const struct ccda_map *map,
			const struct mt_query *q, u32 nr)
{
	u32 i;

	for (i = 0; i < nr; i++) {
		struct ccda_diag diag = { .reason = "poison", .index = 42 };
		enum ccda_map_class class = 42;
		int ret;

		ret = ccda_map_classify(map, q[i].addr, q[i].len, &class,
					&diag);
		KUNIT_EXPECT_EQ_MSG(test, ret, q[i].err, "%s: %s", q[i].what,
				    diag.reason);
		KUNIT_EXPECT_EQ_MSG(test, diag.index, -1, "%s", q[i].what);
		if (q[i].err) {
			KUNIT_EXPECT_EQ_MSG(test, class, 42, "%s", q[i].what);
			KUNIT_EXPECT_NOT_NULL_MSG(test, diag.reason, "%s",
						  q[i].what);
		} else {
			KUNIT_EXPECT_EQ_MSG(test, class, q[i].class, "%s",
					    q[i].what);
			KUNIT_EXPECT_NULL_MSG(test, diag.reason, "%s",
					      q[i].what);
		}
		KUNIT_EXPECT_EQ_MSG(test, ccda_map_classify(map, q[i].addr,
							    q[i].len, &class,
							    NULL),
				    q[i].err, "%s, no diag", q[i].what);
	}
}

static void ccda_map_test_classify(struct kunit *test)
{
	enum ccda_map_class class;
	const struct ccda_report *report;
	struct ccda_map *map;

	report = mt_report(test, mt_gpu_ranges, ARRAY_SIZE(mt_gpu_ranges));
	map = mt_build_ok(test, &mt_gpu_layout, report, &mt_4k);
	mt_classify(test, map, mt_gpu_queries, ARRAY_SIZE(mt_gpu_queries));

	KUNIT_EXPECT_EQ(test, ccda_map_classify(NULL, MT_GPU_BAR0, 1, &class,
						NULL), -EINVAL);
	KUNIT_EXPECT_EQ(test, ccda_map_classify(map, MT_GPU_BAR0, 1, NULL,
						NULL), -EINVAL);

	report = mt_report(test, mt_nic_shared_ranges,
			   ARRAY_SIZE(mt_nic_shared_ranges));
	map = mt_build_ok(test, &mt_nic_layout, report, &mt_4k);
	mt_classify(test, map, mt_nic_queries, ARRAY_SIZE(mt_nic_queries));
}

/* ---- MSI-X capability ----------------------------------------------- */

struct mt_msix_sample {
	const char *what;
	u16 msg_ctrl;
	u32 table;
	u32 pba;
	struct ccda_msix_layout want;
};

/*
 * Message Control: bits 10:0 Table Size (N - 1), 14 Function Mask,
 * 15 MSI-X Enable.  Table / PBA: bits 2:0 BIR, 31:3 offset (PCIe r6.2
 * 7.7.2.2-4).
 */
static const struct mt_msix_sample mt_msix_samples[] = {
	{
		.what = "GPU: 64 vectors, enabled and masked, BAR0",
		.msg_ctrl = 0xc03f,
		.table = 0x00b90000,
		.pba = 0x00ba0000,
		.want = { .nr_entries = 64, .table_bir = 0,
			  .table_offset = 0xb90000, .pba_bir = 0,
			  .pba_offset = 0xba0000 },
	},
	{
		.what = "NVMe: 65 vectors, table in BAR0, PBA in BAR4",
		.msg_ctrl = 0x0040,
		.table = 0x00002000,
		.pba = 0x00000004,
		.want = { .nr_entries = 65, .table_bir = 0,
			  .table_offset = 0x2000, .pba_bir = 4,
			  .pba_offset = 0 },
	},
	{
		.what = "one vector, BAR5, reserved bits of Message Control set",
		.msg_ctrl = 0x3800,
		.table = 0x00001005,
		.pba = 0x00001805,
		.want = { .nr_entries = 1, .table_bir = 5,
			  .table_offset = 0x1000, .pba_bir = 5,
			  .pba_offset = 0x1800 },
	},
	{
		.what = "2048 vectors, highest offsets, reserved BIR 7",
		.msg_ctrl = 0x07ff,
		.table = 0xfffffffe,
		.pba = 0xffffffff,
		.want = { .nr_entries = 2048, .table_bir = 6,
			  .table_offset = 0xfffffff8, .pba_bir = 7,
			  .pba_offset = 0xfffffff8 },
	},
};

static void ccda_map_test_msix_decode(struct kunit *test)
{
	struct ccda_msix_layout got;
	u32 i;

	for (i = 0; i < ARRAY_SIZE(mt_msix_samples); i++) {
		const struct mt_msix_sample *s = &mt_msix_samples[i];

		memset(&got, 0x5a, sizeof(got));
		ccda_msix_decode(s->msg_ctrl, s->table, s->pba, &got);
		KUNIT_EXPECT_EQ_MSG(test, got.nr_entries, s->want.nr_entries,
				    "%s", s->what);
		KUNIT_EXPECT_EQ_MSG(test, got.table_bir, s->want.table_bir,
				    "%s", s->what);
		KUNIT_EXPECT_EQ_MSG(test, got.table_offset,
				    s->want.table_offset, "%s", s->what);
		KUNIT_EXPECT_EQ_MSG(test, got.pba_bir, s->want.pba_bir, "%s",
				    s->what);
		KUNIT_EXPECT_EQ_MSG(test, got.pba_offset, s->want.pba_offset,
				    "%s", s->what);
	}
}

/*
 * ccda_layout_from_pci() on a software PCI function: a bus whose config
 * accessors read a 256-byte array.
 *
 *   0x06 Status: capabilities list;  0x34 capabilities pointer: 0x40
 *   0x40 Power Management (id 0x01), next 0x50
 *   0x50 MSI-X (id 0x11), next 0: the NVMe's 65 vectors, table BAR0 + 8K,
 *        PBA BAR4 + 0
 *   resources: BAR0+1 64-bit 16 KiB; BAR2 I/O; BAR3 unassigned memory;
 *   BAR4 32-bit prefetchable 8 KiB
 */
#define MT_CFG_SIZE		256

struct mt_cfg {
	u8 space[MT_CFG_SIZE];
	int fail;		/* PCIBIOS_* error for reads ... */
	int fail_from;		/* ... at or above this offset */
};

static int mt_cfg_read(struct pci_bus *bus, unsigned int devfn, int where,
		       int size, u32 *val)
{
	struct mt_cfg *cfg = bus->sysdata;

	if (cfg->fail && where >= cfg->fail_from)
		return cfg->fail;
	if (where < 0 || where + size > MT_CFG_SIZE)
		return PCIBIOS_BAD_REGISTER_NUMBER;
	switch (size) {
	case 1:
		*val = cfg->space[where];
		break;
	case 2:
		*val = get_unaligned_le16(&cfg->space[where]);
		break;
	default:
		*val = get_unaligned_le32(&cfg->space[where]);
		break;
	}
	return PCIBIOS_SUCCESSFUL;
}

static int mt_cfg_write(struct pci_bus *bus, unsigned int devfn, int where,
			int size, u32 val)
{
	return PCIBIOS_SET_FAILED;
}

static struct pci_ops mt_cfg_ops = {
	.read = mt_cfg_read,
	.write = mt_cfg_write,
};

static void mt_set_res(struct pci_dev *pdev, unsigned int i, u64 start,
		       u64 size, unsigned long flags)
{
	pdev->resource[i].start = start;
	pdev->resource[i].end = start + size - 1;
	pdev->resource[i].flags = flags;
}

static void ccda_map_test_layout_from_pci(struct kunit *test)
{
	struct ccda_layout layout;
	struct pci_dev *pdev;
	struct pci_bus *bus;
	struct mt_cfg *cfg;
	const struct ccda_report *report;
	struct ccda_map *map;

	cfg = kunit_kzalloc(test, sizeof(*cfg), GFP_KERNEL);
	bus = kunit_kzalloc(test, sizeof(*bus), GFP_KERNEL);
	pdev = kunit_kzalloc(test, sizeof(*pdev), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, cfg);
	KUNIT_ASSERT_NOT_NULL(test, bus);
	KUNIT_ASSERT_NOT_NULL(test, pdev);

	put_unaligned_le16(PCI_STATUS_CAP_LIST, &cfg->space[PCI_STATUS]);
	cfg->space[PCI_CAPABILITY_LIST] = 0x40;
	cfg->space[0x40 + PCI_CAP_LIST_ID] = PCI_CAP_ID_PM;
	cfg->space[0x40 + PCI_CAP_LIST_NEXT] = 0x50;
	cfg->space[0x50 + PCI_CAP_LIST_ID] = PCI_CAP_ID_MSIX;
	cfg->space[0x50 + PCI_CAP_LIST_NEXT] = 0;
	put_unaligned_le16(0x0040, &cfg->space[0x50 + PCI_MSIX_FLAGS]);
	put_unaligned_le32(0x00002000, &cfg->space[0x50 + PCI_MSIX_TABLE]);
	put_unaligned_le32(0x00000004, &cfg->space[0x50 + PCI_MSIX_PBA]);

	bus->ops = &mt_cfg_ops;
	bus->sysdata = cfg;
	pdev->bus = bus;
	pdev->hdr_type = PCI_HEADER_TYPE_NORMAL;
	mt_set_res(pdev, 0, MT_NVME_BAR0, SZ_16K,
		   IORESOURCE_MEM | IORESOURCE_MEM_64);
	mt_set_res(pdev, 2, 0x1000, 256, IORESOURCE_IO);
	mt_set_res(pdev, 3, 0, SZ_4K, IORESOURCE_MEM | IORESOURCE_UNSET);
	mt_set_res(pdev, 4, MT_NVME_BAR4, SZ_8K,
		   IORESOURCE_MEM | IORESOURCE_PREFETCH);

	memset(&layout, 0x5a, sizeof(layout));
	KUNIT_ASSERT_EQ(test, ccda_layout_from_pci(pdev, &layout), 0);
	KUNIT_EXPECT_EQ(test, layout.bars[0].start, MT_NVME_BAR0);
	KUNIT_EXPECT_EQ(test, layout.bars[0].size, SZ_16K);
	KUNIT_EXPECT_EQ(test, layout.bars[0].flags, MT_MEM64);
	KUNIT_EXPECT_EQ(test, layout.bars[1].size, 0);
	KUNIT_EXPECT_EQ(test, layout.bars[1].flags, 0);
	KUNIT_EXPECT_EQ(test, layout.bars[2].size, 0);
	KUNIT_EXPECT_EQ(test, layout.bars[3].size, 0);
	KUNIT_EXPECT_EQ(test, layout.bars[4].start, MT_NVME_BAR4);
	KUNIT_EXPECT_EQ(test, layout.bars[4].size, SZ_8K);
	KUNIT_EXPECT_EQ(test, layout.bars[4].flags,
			MT_MEM32 | CCDA_BAR_PREFETCH);
	KUNIT_EXPECT_EQ(test, layout.bars[5].size, 0);
	KUNIT_EXPECT_EQ(test, layout.msix.nr_entries, 65);
	KUNIT_EXPECT_EQ(test, layout.msix.table_bir, 0);
	KUNIT_EXPECT_EQ(test, layout.msix.table_offset, SZ_8K);
	KUNIT_EXPECT_EQ(test, layout.msix.pba_bir, 4);
	KUNIT_EXPECT_EQ(test, layout.msix.pba_offset, 0);

	/* It describes the NVMe of ccda_map_test_nvme. */
	report = mt_report(test, mt_nvme_ranges, ARRAY_SIZE(mt_nvme_ranges));
	map = mt_build_ok(test, &layout, report, &mt_4k);
	mt_expect_bar(test, map, 0, mt_nvme_bar0, ARRAY_SIZE(mt_nvme_bar0));
	mt_expect_bar(test, map, 4, mt_nvme_bar4, ARRAY_SIZE(mt_nvme_bar4));

	/*
	 * A config read that fails, for the whole function or just the MSI-X
	 * Table dword, or an all-ones answer, is -EIO and leaves the layout
	 * untouched.
	 */
	cfg->fail = PCIBIOS_DEVICE_NOT_FOUND;
	memset(&layout, 0x5a, sizeof(layout));
	KUNIT_EXPECT_EQ(test, ccda_layout_from_pci(pdev, &layout), -EIO);
	KUNIT_EXPECT_EQ(test, layout.bars[0].size, 0x5a5a5a5a5a5a5a5aULL);
	cfg->fail_from = 0x50 + PCI_MSIX_TABLE;
	KUNIT_EXPECT_EQ(test, ccda_layout_from_pci(pdev, &layout), -EIO);
	KUNIT_EXPECT_EQ(test, layout.bars[0].size, 0x5a5a5a5a5a5a5a5aULL);
	cfg->fail = 0;
	put_unaligned_le32(U32_MAX, &cfg->space[0x50 + PCI_MSIX_TABLE]);
	KUNIT_EXPECT_EQ(test, ccda_layout_from_pci(pdev, &layout), -EIO);
	KUNIT_EXPECT_EQ(test, layout.bars[0].size, 0x5a5a5a5a5a5a5a5aULL);

	/* Without the capability the MSI-X layout is empty. */
	cfg->space[0x40 + PCI_CAP_LIST_NEXT] = 0;
	KUNIT_ASSERT_EQ(test, ccda_layout_from_pci(pdev, &layout), 0);
	KUNIT_EXPECT_EQ(test, layout.msix.nr_entries, 0);
	KUNIT_EXPECT_EQ(test, layout.bars[0].size, SZ_16K);

	KUNIT_EXPECT_EQ(test, ccda_layout_from_pci(NULL, &layout), -EINVAL);
	KUNIT_EXPECT_EQ(test, ccda_layout_from_pci(pdev, NULL), -EINVAL);
}

/* ---- through the parser --------------------------------------------- */

/*
 * The NVMe report as bytes (PCIe r6.2 Table 11-14: 16-byte header with
 * MMIO_RANGE_COUNT at 12, 16-byte ranges, DEVICE_SPECIFIC_INFO_LEN), parsed
 * by ccda_report_parse() and mapped.
 */
#define MT_WIRE_COUNT		12
#define MT_WIRE_HDR		16
#define MT_WIRE_RANGE		16
#define MT_WIRE_ATTR_ID_SHIFT	16

static void ccda_map_test_parsed_report(struct kunit *test)
{
	u32 nr = ARRAY_SIZE(mt_nvme_ranges), i;
	size_t len = MT_WIRE_HDR + nr * MT_WIRE_RANGE + sizeof(u32);
	struct ccda_diag diag = {};
	struct ccda_report *report;
	struct ccda_map *map;
	u8 *buf, *p;

	buf = kunit_kzalloc(test, len, GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, buf);
	put_unaligned_le32(nr, buf + MT_WIRE_COUNT);
	for (i = 0; i < nr; i++) {
		const struct ccda_report_range *r = &mt_nvme_ranges[i];

		p = buf + MT_WIRE_HDR + i * MT_WIRE_RANGE;
		put_unaligned_le64(r->first_page, p);
		put_unaligned_le32(r->nr_pages, p + 8);
		put_unaligned_le32(r->flags |
				   (u32)r->range_id << MT_WIRE_ATTR_ID_SHIFT,
				   p + 12);
	}

	KUNIT_ASSERT_EQ_MSG(test, ccda_report_parse(buf, len, &report, &diag),
			    0, "%s", diag.reason);
	KUNIT_ASSERT_EQ(test, kunit_add_action_or_reset(test, mt_report_free,
							report), 0);

	map = mt_build_ok(test, &mt_nvme_layout, report, &mt_4k);
	mt_expect_bar(test, map, 0, mt_nvme_bar0, ARRAY_SIZE(mt_nvme_bar0));
	mt_expect_bar(test, map, 4, mt_nvme_bar4, ARRAY_SIZE(mt_nvme_bar4));
}

/* ---- scale ---------------------------------------------------------- */

/*
 * The largest report the parser accepts, 65,535 one-page ranges in a
 * 64 GiB BAR (slots 0-1) at 0x10_0000_0000:
 *   alternating: [2i * 4K, +4K) private, [(2i + 1) * 4K, +4K) shared, so
 *   nothing merges: 65,535 segments plus the unreported tail;
 *   all private with contiguous PAs: one segment plus the tail.
 * The build time is logged; the segment count and a classification of the
 * last range are checked.
 */
#define MT_MAX_BAR0		0x1000000000ULL

static void mt_max_build(struct kunit *test, bool alternate)
{
	static const struct ccda_layout layout = {
		.bars = {
			[0] = { .start = MT_MAX_BAR0, .size = SZ_64G,
				.flags = MT_MEM64 },
		},
	};
	u32 nr = CCDA_REPORT_MAX_RANGES, i;
	enum ccda_map_class class;
	struct ccda_report *report;
	struct ccda_map *map;
	ktime_t t0;
	s64 ns;

	report = mt_report(test, NULL, nr);
	for (i = 0; i < nr; i++) {
		report->ranges[i].first_page = (MT_MAX_BAR0 >> MT_UNIT_SHIFT) +
					       i;
		report->ranges[i].nr_pages = 1;
		report->ranges[i].flags = alternate && (i & 1) ? MT_SHARED :
								 MT_TEE;
	}

	t0 = ktime_get();
	map = mt_build_ok(test, &layout, report, &mt_4k);
	ns = ktime_to_ns(ktime_sub(ktime_get(), t0));
	kunit_info(test, "%u ranges, %s: %u segments in %lld us\n", nr,
		   alternate ? "alternating" : "contiguous", map->nr_segs,
		   ns / NSEC_PER_USEC);

	KUNIT_EXPECT_EQ(test, map->nr_segs, alternate ? nr + 1 : 2);
	KUNIT_EXPECT_EQ(test, ccda_map_classify(map, MT_MAX_BAR0 +
						(u64)(nr - 1) * MT_UNIT,
						MT_UNIT, &class, NULL), 0);
	KUNIT_EXPECT_EQ(test, class, CCDA_CLASS_PRIVATE);
	mt_release(test, map);
}

static void ccda_map_test_max_ranges(struct kunit *test)
{
	mt_max_build(test, true);
	mt_max_build(test, false);
}

/* ---- randomised invariants ------------------------------------------ */

/*
 * Random valid layouts and reports, built and checked against an oracle
 * that knows, page by page, what every 4 KiB unit of every BAR must be:
 * the kind of the range covering it (or unreported), overridden by the
 * config-space MSI-X table and PBA pages, and for private pages the PA the
 * range gives it.  On top of mt_check_map() (exact tiling, merging, no
 * private byte on MSI-X, page alignment), every page's kind and PA must
 * match, and random classification queries must agree with the oracle.
 *
 * BARs are 2 KiB to 4 MiB so the oracle stays small; every slot lives in
 * its own 4 GiB region so that BARs never overlap.
 */
#define MT_RND_ROUNDS		150
#define MT_RND_MAX_RANGES	96
#define MT_RND_MIN_BAR_SHIFT	11
#define MT_RND_MAX_BAR_SHIFT	22
#define MT_RND_MAX_PAGES	(BIT(MT_RND_MAX_BAR_SHIFT) >> MT_UNIT_SHIFT)
#define MT_RND_QUERIES		32

struct mt_rnd_page {
	u64 pa;
	enum ccda_seg_kind kind;
};

struct mt_rnd {
	struct rnd_state rnd;
	char tag[48];
	struct ccda_layout layout;
	struct ccda_map_params params;
	struct mt_xlate xlate;
	struct mt_xlate_entry entries[MT_RND_MAX_RANGES];
	struct ccda_report_range ranges[MT_RND_MAX_RANGES];
	u32 nr;
	/* per BAR, before interleaving */
	struct ccda_report_range bar_ranges[CCDA_NR_BARS][MT_RND_MAX_RANGES];
	u64 bar_off[CCDA_NR_BARS][MT_RND_MAX_RANGES];
	u32 bar_nr[CCDA_NR_BARS];
	struct mt_rnd_page pages[MT_RND_MAX_PAGES];
};

static u32 mt_rnd(struct mt_rnd *r, u32 n)
{
	return n ? prandom_u32_state(&r->rnd) % n : 0;
}

static u64 mt_rnd64(struct mt_rnd *r)
{
	return (u64)prandom_u32_state(&r->rnd) << 32 |
	       prandom_u32_state(&r->rnd);
}

static void mt_rnd_bars(struct mt_rnd *r)
{
	struct ccda_layout *l = &r->layout;
	unsigned int i;
	u64 size;

	memset(l, 0, sizeof(*l));
	for (i = 0; i < CCDA_NR_BARS; i++) {
		u32 pick = mt_rnd(r, 5);

		if (pick == 0)
			continue;
		if (pick == 1) {
			l->bars[i].start = 0x1000 + i * 0x100;
			l->bars[i].size = 0x100;
			continue;
		}
		size = BIT_ULL(MT_RND_MIN_BAR_SHIFT +
			       mt_rnd(r, MT_RND_MAX_BAR_SHIFT -
					 MT_RND_MIN_BAR_SHIFT + 1));
		l->bars[i].size = size;
		l->bars[i].start = ((u64)(i + 1) << 32) |
				   (mt_rnd64(r) & (SZ_1G - 1) & ~(size - 1));
		l->bars[i].flags = MT_MEM32;
		if (mt_rnd(r, 2))
			l->bars[i].flags |= CCDA_BAR_PREFETCH;
		if (pick == 4 && i + 1 < CCDA_NR_BARS) {
			l->bars[i].flags |= MT_MEM64;
			i++;
		}
	}
}

/* A memory BAR of at least @bytes, or -1. */
static int mt_rnd_pick_bar(struct mt_rnd *r, u64 bytes)
{
	unsigned int i, start = mt_rnd(r, CCDA_NR_BARS), bar;

	for (i = 0; i < CCDA_NR_BARS; i++) {
		bar = (start + i) % CCDA_NR_BARS;
		if (mt_bar_is_mem(&r->layout, bar) &&
		    r->layout.bars[bar].size >= bytes)
			return bar;
	}
	return -1;
}

static void mt_rnd_msix(struct mt_rnd *r)
{
	struct ccda_msix_layout *m = &r->layout.msix;
	u64 tbytes, pbytes, tsize, psize;
	int tbar, pbar, tries;

	memset(m, 0, sizeof(*m));
	if (!mt_rnd(r, 4))
		return;
	m->nr_entries = 1 + mt_rnd(r, 2048);
	tbytes = m->nr_entries * 16;
	pbytes = DIV_ROUND_UP(m->nr_entries, 64) * 8;
	tbar = mt_rnd_pick_bar(r, tbytes);
	pbar = mt_rnd_pick_bar(r, pbytes);
	if (tbar < 0 || pbar < 0) {
		m->nr_entries = 0;
		return;
	}
	tsize = r->layout.bars[tbar].size;
	psize = r->layout.bars[pbar].size;
	m->table_bir = tbar;
	m->pba_bir = pbar;
	m->table_offset = mt_rnd(r, (tsize - tbytes) / 8 + 1) * 8;
	for (tries = 0; tries < 16; tries++) {
		m->pba_offset = mt_rnd(r, (psize - pbytes) / 8 + 1) * 8;
		if (tbar != pbar ||
		    !mt_overlaps(m->table_offset, m->table_offset + tbytes,
				 m->pba_offset, m->pba_offset + pbytes))
			return;
	}
	m->nr_entries = 0;
}

static bool mt_rnd_hits_msix(struct mt_rnd *r, unsigned int bar, u64 lo,
			     u64 hi)
{
	unsigned int mbar;
	u64 mlo, mhi;

	if (mt_msix_pages(&r->layout, false, &mbar, &mlo, &mhi) &&
	    mbar == bar && mt_overlaps(lo, hi, mlo, mhi))
		return true;
	return mt_msix_pages(&r->layout, true, &mbar, &mlo, &mhi) &&
	       mbar == bar && mt_overlaps(lo, hi, mlo, mhi);
}

/* Ranges of one BAR, ascending, as (offset, length, flags). */
static void mt_rnd_bar_ranges(struct mt_rnd *r, unsigned int bar, u32 max)
{
	u64 size = r->layout.bars[bar].size, page = r->params.page_size;
	u64 pos = 0, lo, hi, plo, phi;
	u32 n = 0, flags;

	while (n < max && size >= MT_UNIT) {
		if (n || r->params.mode != CCDA_OFFSET_RELATIVE)
			pos += mt_rnd(r, 4) * MT_UNIT;
		lo = pos;
		hi = lo + (1 + (mt_rnd(r, 8) ? mt_rnd(r, 8) : mt_rnd(r, 64))) *
			  MT_UNIT;
		if (lo >= size)
			break;
		hi = min(hi, size);

		switch (mt_rnd(r, 4)) {
		case 0:
			flags = MT_SHARED;
			break;
		case 1:
			flags = mt_rnd(r, 2) ? MT_TABLE : MT_PBA;
			break;
		default:
			/* private: whole CPU pages, clear of MSI-X */
			plo = round_up(lo, page);
			phi = min(plo + (1 + mt_rnd(r, 4)) * page,
				  round_down(size, page));
			if (phi > plo && !mt_rnd_hits_msix(r, bar, plo, phi)) {
				lo = plo;
				hi = phi;
				flags = MT_TEE;
			} else {
				flags = MT_SHARED;
			}
			break;
		}
		if (mt_rnd(r, 8) == 0)
			flags |= CCDA_RANGE_MEM_ATTR_UPDATABLE;

		r->bar_off[bar][n] = lo;
		r->bar_ranges[bar][n] = (struct ccda_report_range){
			.nr_pages = (hi - lo) >> MT_UNIT_SHIFT,
			.flags = flags,
			.range_id = bar,
		};
		n++;
		pos = hi;
	}
	r->bar_nr[bar] = n;
}

/* Give every range a PA the chosen mode turns back into its offset. */
static void mt_rnd_pas(struct mt_rnd *r)
{
	u64 base[CCDA_NR_BARS], next_pa = mt_rnd64(r) & GENMASK_ULL(40, 12);
	unsigned int bar;
	u32 j;

	for (bar = 0; bar < CCDA_NR_BARS; bar++) {
		u64 size = r->layout.bars[bar].size;

		if (r->params.mode == CCDA_OFFSET_BAR_ALIGN)
			base[bar] = mt_rnd64(r) & GENMASK_ULL(47, 0) &
				    ~(size - 1);
		else
			base[bar] = mt_rnd64(r) & GENMASK_ULL(47, 12);

		for (j = 0; j < r->bar_nr[bar]; j++) {
			struct ccda_report_range *rr = &r->bar_ranges[bar][j];
			u64 pa = base[bar] + r->bar_off[bar][j];

			if (r->params.mode == CCDA_OFFSET_RELATIVE)
				pa -= r->bar_off[bar][0];
			if (r->params.mode == CCDA_OFFSET_TRANSLATE) {
				/* scattered, sometimes contiguous */
				next_pa += mt_rnd(r, 2) * MT_UNIT *
					   (1 + mt_rnd(r, 16));
				pa = next_pa;
				next_pa += (u64)rr->nr_pages << MT_UNIT_SHIFT;
			}
			rr->first_page = pa >> MT_UNIT_SHIFT;
		}
	}
}

/* Interleave the BARs' ranges randomly, keeping each BAR's order. */
static void mt_rnd_interleave(struct mt_rnd *r)
{
	u32 taken[CCDA_NR_BARS] = {}, left = 0, pick, k;
	unsigned int bar;

	for (bar = 0; bar < CCDA_NR_BARS; bar++)
		left += r->bar_nr[bar];

	r->nr = 0;
	r->xlate = (struct mt_xlate){ .map = r->entries };
	while (left) {
		pick = mt_rnd(r, left);
		for (bar = 0; bar < CCDA_NR_BARS; bar++) {
			k = r->bar_nr[bar] - taken[bar];
			if (pick < k)
				break;
			pick -= k;
		}
		k = taken[bar]++;
		r->ranges[r->nr] = r->bar_ranges[bar][k];
		r->entries[r->nr] = (struct mt_xlate_entry){
			.bar = bar,
			.pa = r->ranges[r->nr].first_page << MT_UNIT_SHIFT,
			.len = (u64)r->ranges[r->nr].nr_pages << MT_UNIT_SHIFT,
			.off = r->bar_off[bar][k],
		};
		r->nr++;
		left--;
	}
	r->xlate.nr = r->nr;
}

static void mt_rnd_input(struct mt_rnd *r)
{
	static const unsigned int sizes[] = { SZ_4K, SZ_16K, SZ_64K };
	unsigned int bar, nr_mem = 0;
	u32 share;

	r->params = (struct ccda_map_params){
		.page_size = sizes[mt_rnd(r, ARRAY_SIZE(sizes))],
		.mode = mt_rnd(r, 3),
		.translate = mt_translate,
		.ctx = &r->xlate,
	};
	mt_rnd_bars(r);
	mt_rnd_msix(r);

	for (bar = 0; bar < CCDA_NR_BARS; bar++)
		nr_mem += mt_bar_is_mem(&r->layout, bar);
	share = nr_mem ? MT_RND_MAX_RANGES / nr_mem : 0;
	for (bar = 0; bar < CCDA_NR_BARS; bar++) {
		r->bar_nr[bar] = 0;
		if (mt_bar_is_mem(&r->layout, bar))
			mt_rnd_bar_ranges(r, bar, mt_rnd(r, share + 1));
	}
	mt_rnd_pas(r);
	mt_rnd_interleave(r);
}

/* What every 4 KiB unit of BAR @bar must be, worked out from the input. */
static u64 mt_rnd_oracle(struct mt_rnd *r, unsigned int bar)
{
	u64 size = r->layout.bars[bar].size, p, lo, hi, pa;
	u64 nr_pages = DIV_ROUND_UP(size, MT_UNIT);
	unsigned int mbar;
	bool pba;
	u32 j;

	for (p = 0; p < nr_pages; p++)
		r->pages[p] = (struct mt_rnd_page){
			.kind = CCDA_SEG_UNREPORTED,
		};
	for (j = 0; j < r->bar_nr[bar]; j++) {
		const struct ccda_report_range *rr = &r->bar_ranges[bar][j];
		enum ccda_seg_kind kind;

		if (rr->flags & CCDA_RANGE_MSIX_TABLE)
			kind = CCDA_SEG_MSIX_TABLE;
		else if (rr->flags & CCDA_RANGE_MSIX_PBA)
			kind = CCDA_SEG_MSIX_PBA;
		else if (rr->flags & CCDA_RANGE_NON_TEE)
			kind = CCDA_SEG_SHARED;
		else
			kind = CCDA_SEG_PRIVATE;
		pa = rr->first_page << MT_UNIT_SHIFT;
		for (p = 0; p < rr->nr_pages; p++) {
			struct mt_rnd_page *pg;

			pg = &r->pages[(r->bar_off[bar][j] >> MT_UNIT_SHIFT) +
				       p];
			pg->kind = kind;
			pg->pa = kind == CCDA_SEG_PRIVATE ?
				 pa + (p << MT_UNIT_SHIFT) : 0;
		}
	}
	/* PBA first, so that the table wins a shared page. */
	for (pba = true; ; pba = false) {
		if (mt_msix_pages(&r->layout, pba, &mbar, &lo, &hi) &&
		    mbar == bar)
			for (p = lo >> MT_UNIT_SHIFT;
			     p < DIV_ROUND_UP(hi, MT_UNIT); p++)
				r->pages[p] = (struct mt_rnd_page){
					.kind = pba ? CCDA_SEG_MSIX_PBA :
						      CCDA_SEG_MSIX_TABLE,
				};
		if (!pba)
			break;
	}
	return nr_pages;
}

static enum ccda_map_class mt_class_of(enum ccda_seg_kind kind)
{
	if (kind == CCDA_SEG_PRIVATE)
		return CCDA_CLASS_PRIVATE;
	if (kind == CCDA_SEG_UNREPORTED)
		return CCDA_CLASS_UNREPORTED;
	return CCDA_CLASS_SHARED;
}

/* Page by page against the oracle, then random queries. */
static int mt_rnd_check_bar(struct kunit *test, struct mt_rnd *r,
			    const struct ccda_map *map, unsigned int bar)
{
	const struct ccda_map_bar *mb = &map->bars[bar];
	u64 nr_pages = mt_rnd_oracle(r, bar), p, q, first, last;
	enum ccda_map_class want, got = CCDA_CLASS_UNREPORTED;
	int bad = 0, ret, i;
	u32 j;

	for (j = 0; j < mb->nr_segs && !bad; j++) {
		const struct ccda_segment *s = &mb->segs[j];

		for (p = s->offset >> MT_UNIT_SHIFT;
		     p < DIV_ROUND_UP(s->offset + s->size, MT_UNIT); p++) {
			u64 pa = s->kind == CCDA_SEG_PRIVATE ?
				 s->pa + (p << MT_UNIT_SHIFT) - s->offset : 0;

			if (r->pages[p].kind == s->kind && r->pages[p].pa == pa)
				continue;
			KUNIT_FAIL(test, "%s: BAR%u page %#llx: want %s pa %#llx, got %s pa %#llx",
				   r->tag, bar, p << MT_UNIT_SHIFT,
				   mt_kind(r->pages[p].kind), r->pages[p].pa,
				   mt_kind(s->kind), pa);
			bad++;
			break;
		}
	}

	for (i = 0; i < MT_RND_QUERIES && !bad; i++) {
		first = mt_rnd(r, nr_pages);
		last = min(first + mt_rnd(r, 4), nr_pages - 1);
		want = mt_class_of(r->pages[first].kind);
		for (q = first + 1; q <= last; q++)
			if (mt_class_of(r->pages[q].kind) != want)
				break;
		ret = ccda_map_classify(map, mb->start +
					(first << MT_UNIT_SHIFT),
					min((last + 1) << MT_UNIT_SHIFT,
					    mb->size) -
					(first << MT_UNIT_SHIFT), &got, NULL);
		if (q <= last ? ret == -EINVAL : !ret && got == want)
			continue;
		KUNIT_FAIL(test, "%s: BAR%u pages [%#llx, %#llx]: classify %d/%d, oracle %s",
			   r->tag, bar, first, last, ret, got,
			   q <= last ? "straddles" : "uniform");
		bad++;
	}
	return bad;
}

static void ccda_map_test_random(struct kunit *test)
{
	u32 seed = get_random_u32(), round, kinds[CCDA_SEG_MSIX_PBA + 1] = {};
	struct ccda_report *report;
	struct ccda_map *map;
	unsigned int bar;
	struct mt_rnd *r;
	int bad;
	u32 j;

	r = kunit_kzalloc(test, sizeof(*r), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, r);
	report = mt_report(test, NULL, MT_RND_MAX_RANGES);

	kunit_info(test, "seed %u\n", seed);
	prandom_seed_state(&r->rnd, seed);

	for (round = 0; round < MT_RND_ROUNDS; round++) {
		scnprintf(r->tag, sizeof(r->tag), "seed %u round %u", seed,
			  round);
		mt_rnd_input(r);
		report->nr_ranges = r->nr;
		memcpy(report->ranges, r->ranges,
		       flex_array_size(report, ranges, r->nr));

		map = mt_build_ok(test, &r->layout, report, &r->params);
		/* Only a map that tiles its BARs can be walked page by page. */
		bad = mt_check_map(test, map, &r->layout, r->tag);
		if (!bad) {
			for (bar = 0; bar < CCDA_NR_BARS; bar++)
				if (mt_bar_is_mem(&r->layout, bar))
					bad += mt_rnd_check_bar(test, r, map,
								bar);
			if (bad)
				mt_dump_map(test, map, r->tag);
		}
		KUNIT_EXPECT_EQ_MSG(test, r->xlate.unknown, 0, "%s", r->tag);
		for (j = 0; !bad && j < map->nr_segs; j++)
			kinds[map->segs[j].kind]++;
		mt_release(test, map);
		KUNIT_ASSERT_EQ_MSG(test, bad, 0, "%s", r->tag);
	}
	kunit_info(test, "%u maps: segments %u unreported, %u private, %u shared, %u MSI-X table, %u MSI-X PBA\n",
		   MT_RND_ROUNDS, kinds[CCDA_SEG_UNREPORTED],
		   kinds[CCDA_SEG_PRIVATE], kinds[CCDA_SEG_SHARED],
		   kinds[CCDA_SEG_MSIX_TABLE], kinds[CCDA_SEG_MSIX_PBA]);
}

static struct kunit_case ccda_map_test_cases[] = {
	KUNIT_CASE(ccda_map_test_gpu),
	KUNIT_CASE(ccda_map_test_nic),
	KUNIT_CASE(ccda_map_test_nvme),
	KUNIT_CASE(ccda_map_test_multi_range),
	KUNIT_CASE(ccda_map_test_no_ranges),
	KUNIT_CASE(ccda_map_test_mode_bar_align),
	KUNIT_CASE(ccda_map_test_mode_relative),
	KUNIT_CASE(ccda_map_test_mode_translate),
	KUNIT_CASE(ccda_map_test_modes_agree),
	KUNIT_CASE(ccda_map_test_first_range_not_at_zero),
	KUNIT_CASE(ccda_map_test_large_pages),
	KUNIT_CASE(ccda_map_test_large_pages_rejected),
	KUNIT_CASE_PARAM(ccda_map_test_reject, mt_reject_gen_params),
	KUNIT_CASE(ccda_map_test_bad_args),
	KUNIT_CASE(ccda_map_test_classify),
	KUNIT_CASE(ccda_map_test_msix_decode),
	KUNIT_CASE(ccda_map_test_layout_from_pci),
	KUNIT_CASE(ccda_map_test_parsed_report),
	KUNIT_CASE(ccda_map_test_max_ranges),
	KUNIT_CASE(ccda_map_test_random),
	{}
};

static struct kunit_suite ccda_map_test_suite = {
	.name = "ccda_mmio_map",
	.init = mt_test_init,
	.test_cases = ccda_map_test_cases,
};

kunit_test_suite(ccda_map_test_suite);

MODULE_IMPORT_NS(EXPORTED_FOR_KUNIT_TESTING);
MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("KUnit tests for the ccda secure MMIO map");
