// SPDX-License-Identifier: GPL-2.0-only
/*
 * KUnit tests for the TDISP interface report parser (core/report.c).
 *
 * The suite encodes its reports itself, from PCIe r6.2 11.3.11 Table 11-14,
 * with its own offsets: a wrong constant in the parser cannot hide behind
 * the same wrong constant here.
 *
 * Every case ends with a leak check: the number of live parsed reports must
 * be back where it was when the case started.
 */

#include <kunit/resource.h>
#include <kunit/static_stub.h>
#include <kunit/test.h>
#include <linux/bitfield.h>
#include <linux/bits.h>
#include <linux/cleanup.h>
#include <linux/limits.h>
#include <linux/module.h>
#include <linux/prandom.h>
#include <linux/random.h>
#include <linux/slab.h>
#include <linux/sprintf.h>
#include <linux/string.h>
#include <linux/unaligned.h>
#include <linux/vmalloc.h>

#include "ccda.h"
#include "../core/ccda_private.h"
#include "ccda_kunit.h"

/*
 * DEVICE_INTERFACE_REPORT as this suite encodes it:
 *
 *   0        2        4        6        8             12            16
 *   +--------+--------+--------+--------+-------------+-------------+
 *   | IFINFO |  rsvd  | MSI-X  |  LNR   |     TPH     |    COUNT    |
 *   +--------+--------+--------+--------+-------------+-------------+
 *
 *   16 + 16 * i, for each of COUNT ranges:
 *   +---------------------------+-------------+-------------+
 *   | first 4K page (u64)       | nr_pages    | attributes  |
 *   +---------------------------+-------------+-------------+
 *   0                           8             12            16
 *
 *   16 + 16 * COUNT: DSI_LEN (u32), then DSI_LEN bytes
 */
#define RPT_OFF_IFINFO		0
#define RPT_OFF_RSVD		2
#define RPT_OFF_MSIX		4
#define RPT_OFF_LNR		6
#define RPT_OFF_TPH		8
#define RPT_OFF_COUNT		12
#define RPT_HDR_LEN		16
#define RPT_RANGE_LEN		16
#define RPT_RANGE_FIRST		0
#define RPT_RANGE_PAGES		8
#define RPT_RANGE_ATTR		12
#define RPT_DSI_LEN_LEN		4
#define RPT_OFF_RANGE(i)	(RPT_HDR_LEN + RPT_RANGE_LEN * (size_t)(i))
#define RPT_OFF_DSI_LEN(n)	RPT_OFF_RANGE(n)

/* Attribute word: bits 3:0 flags, 15:4 reserved, 31:16 RANGE_ID */
#define RPT_ATTR_ID_SHIFT	16
#define RPT_ATTR_FLAGS_MASK	0xfU
#define RPT_ATTR_RSVD_LOW	BIT(4)
#define RPT_ATTR_RSVD_HIGH	BIT(15)
#define RPT_ATTR_RSVD_ALL	0xfff0U

/* Report units are 4 KiB; the first one past the 64-bit address space */
#define RPT_UNIT_SHIFT		12
#define RPT_UNIT_END		BIT_ULL(64 - RPT_UNIT_SHIFT)

/* A pointer value the parser must overwrite on every path */
#define RPT_POISON		((struct ccda_report *)0x5a5a5a5aUL)

struct rpt_range {
	u64 first_page;
	u32 nr_pages;
	u32 attr;
};

/*
 * What to encode.  @ranges may be NULL, leaving the range table zeroed for
 * the caller to fill; @dsi may be NULL, leaving @dsi_len zero bytes.
 */
struct rpt_desc {
	u16 interface_info;
	u16 reserved;
	u16 msix_msg_ctrl;
	u16 lnr_ctrl;
	u32 tph_ctrl;
	u32 nr_ranges;
	const struct rpt_range *ranges;
	u32 dsi_len;
	const u8 *dsi;
};

static size_t rpt_size(const struct rpt_desc *d)
{
	return RPT_OFF_DSI_LEN(d->nr_ranges) + RPT_DSI_LEN_LEN + d->dsi_len;
}

static void rpt_put_range(u8 *p, u32 i, const struct rpt_range *r)
{
	u8 *e = p + RPT_OFF_RANGE(i);

	put_unaligned_le64(r->first_page, e + RPT_RANGE_FIRST);
	put_unaligned_le32(r->nr_pages, e + RPT_RANGE_PAGES);
	put_unaligned_le32(r->attr, e + RPT_RANGE_ATTR);
}

/* Encode @d into @p, which has rpt_size(@d) bytes, at any alignment. */
static void rpt_encode(u8 *p, const struct rpt_desc *d)
{
	size_t dsi_len_off = RPT_OFF_DSI_LEN(d->nr_ranges);
	u32 i;

	memset(p, 0, rpt_size(d));
	put_unaligned_le16(d->interface_info, p + RPT_OFF_IFINFO);
	put_unaligned_le16(d->reserved, p + RPT_OFF_RSVD);
	put_unaligned_le16(d->msix_msg_ctrl, p + RPT_OFF_MSIX);
	put_unaligned_le16(d->lnr_ctrl, p + RPT_OFF_LNR);
	put_unaligned_le32(d->tph_ctrl, p + RPT_OFF_TPH);
	put_unaligned_le32(d->nr_ranges, p + RPT_OFF_COUNT);
	for (i = 0; d->ranges && i < d->nr_ranges; i++)
		rpt_put_range(p, i, &d->ranges[i]);
	put_unaligned_le32(d->dsi_len, p + dsi_len_off);
	if (d->dsi)
		memcpy(p + dsi_len_off + RPT_DSI_LEN_LEN, d->dsi, d->dsi_len);
}

/* Build @d into a test-managed buffer of exactly rpt_size(@d) bytes. */
static u8 *rpt_build(struct kunit *test, const struct rpt_desc *d,
		     size_t *len)
{
	u8 *buf;

	*len = rpt_size(d);
	buf = kunit_kzalloc(test, *len, GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, buf);
	rpt_encode(buf, d);
	return buf;
}

KUNIT_DEFINE_ACTION_WRAPPER(rpt_vfree, vfree, const void *);

/* For the inputs too big for kmalloc on a small UML machine */
static u8 *rpt_vzalloc(struct kunit *test, size_t len)
{
	u8 *buf = vzalloc(len);

	KUNIT_ASSERT_NOT_NULL(test, buf);
	KUNIT_ASSERT_EQ(test, kunit_add_action_or_reset(test, rpt_vfree, buf),
			0);
	return buf;
}

/*
 * The reference report, 57 bytes:
 *
 *   range 0: [0x80000000, 0x80002000) TEE memory,             RANGE_ID 0
 *   range 1: [0x80002000, 0x80003000) MSI-X table, non-TEE,   RANGE_ID 2
 *   DSI:     de ad be ef 5a
 *
 * Its first pages are large enough that, read as DEVICE_SPECIFIC_INFO_LEN,
 * their low words exceed anything left in the buffer (see the COUNT table).
 */
static const struct rpt_range rpt_ref_ranges[] = {
	{ .first_page = 0x80000, .nr_pages = 2, .attr = 0 },
	{
		.first_page = 0x80002,
		.nr_pages = 1,
		.attr = CCDA_RANGE_MSIX_TABLE | CCDA_RANGE_NON_TEE |
			(2U << RPT_ATTR_ID_SHIFT),
	},
};

static const u8 rpt_ref_dsi[] = { 0xde, 0xad, 0xbe, 0xef, 0x5a };

static const struct rpt_desc rpt_ref = {
	.interface_info = CCDA_IFINFO_DMA_NO_PASID | CCDA_IFINFO_ATS,
	.msix_msg_ctrl = 0x8003,
	.lnr_ctrl = 0x0001,
	.tph_ctrl = 0x00010002,
	.nr_ranges = ARRAY_SIZE(rpt_ref_ranges),
	.ranges = rpt_ref_ranges,
	.dsi_len = sizeof(rpt_ref_dsi),
	.dsi = rpt_ref_dsi,
};

#define RPT_REF_LEN		57
#define RPT_REF_DSI_LEN_OFF	RPT_OFF_DSI_LEN(ARRAY_SIZE(rpt_ref_ranges))

static int rpt_live(void)
{
	return atomic_read(&ccda_report_live);
}

/* Per-case leak check, registered first so that it runs last. */
static int rpt_init(struct kunit *test)
{
	return ccda_kunit_track_live(test, &ccda_report_live, "parsed reports");
}

KUNIT_DEFINE_ACTION_WRAPPER(rpt_free, ccda_report_free, struct ccda_report *);

/*
 * Parse what must be valid; the result is freed when the case ends, or
 * earlier by rpt_release().
 */
static struct ccda_report *rpt_parse_ok(struct kunit *test, const void *buf,
					size_t len)
{
	struct ccda_diag diag = { .reason = "poison", .index = 42 };
	struct ccda_report *report = RPT_POISON;
	int live = rpt_live();
	int ret;

	ret = ccda_report_parse(buf, len, &report, &diag);
	KUNIT_ASSERT_EQ_MSG(test, ret, 0, "valid report refused: %s (range %d)",
			    diag.reason, diag.index);
	KUNIT_ASSERT_NOT_ERR_OR_NULL(test, report);
	KUNIT_ASSERT_PTR_NE(test, report, RPT_POISON);
	KUNIT_ASSERT_EQ(test, kunit_add_action_or_reset(test, rpt_free, report),
			0);
	KUNIT_ASSERT_NULL(test, diag.reason);
	KUNIT_ASSERT_EQ(test, diag.index, -1);
	KUNIT_ASSERT_EQ(test, rpt_live(), live + 1);
	return report;
}

static void rpt_release(struct kunit *test, struct ccda_report *report)
{
	int live = rpt_live();

	kunit_release_action(test, rpt_free, report);
	KUNIT_EXPECT_EQ(test, rpt_live(), live - 1);
}

/* Every negative case starts here: the unbroken input must parse. */
static void rpt_prove_valid(struct kunit *test, const void *buf, size_t len)
{
	rpt_release(test, rpt_parse_ok(test, buf, len));
}

/*
 * Parse what must be refused with @err, blaming range @index (-1 for the
 * whole report): *out must be NULL, the diag filled in, nothing allocated.
 * The same verdict must come back without a diag.  Stores the reason in
 * *@reason if @reason is not NULL; returns true if all of that held.
 */
static bool rpt_parse_fail(struct kunit *test, const void *buf, size_t len,
			   int err, int index, const char **reason)
{
	struct ccda_diag diag = { .reason = NULL, .index = 42 };
	struct ccda_report *report = RPT_POISON;
	int live = rpt_live();
	bool ok;
	int ret;

	ret = ccda_report_parse(buf, len, &report, &diag);
	if (report && report != RPT_POISON)
		kunit_add_action_or_reset(test, rpt_free, report);
	ok = ret == err && !report && diag.reason && diag.index == index &&
	     rpt_live() == live;
	KUNIT_EXPECT_EQ_MSG(test, ret, err, "len %zu: %s", len, diag.reason);
	KUNIT_EXPECT_NULL_MSG(test, report, "len %zu", len);
	KUNIT_EXPECT_NOT_NULL_MSG(test, diag.reason, "len %zu", len);
	KUNIT_EXPECT_EQ_MSG(test, diag.index, index, "len %zu: %s", len,
			    diag.reason);
	KUNIT_EXPECT_EQ_MSG(test, rpt_live(), live, "len %zu", len);
	if (reason)
		*reason = diag.reason;

	report = RPT_POISON;
	ret = ccda_report_parse(buf, len, &report, NULL);
	if (report && report != RPT_POISON)
		kunit_add_action_or_reset(test, rpt_free, report);
	ok = ok && ret == err && !report && rpt_live() == live;
	KUNIT_EXPECT_EQ_MSG(test, ret, err, "len %zu, no diag", len);
	KUNIT_EXPECT_NULL_MSG(test, report, "len %zu, no diag", len);
	KUNIT_EXPECT_EQ_MSG(test, rpt_live(), live, "len %zu, no diag", len);

	return ok;
}

/* One field of rpt_compare(): @index is the range, or -1 for the header. */
static int rpt_cmp(struct kunit *test, const char *tag, const char *what,
		   int index, u64 want, u64 got)
{
	if (want == got)
		return 0;
	if (index < 0)
		KUNIT_FAIL(test, "%s: %s: want %#llx, got %#llx", tag, what,
			   want, got);
	else
		KUNIT_FAIL(test, "%s: range %d %s: want %#llx, got %#llx", tag,
			   index, what, want, got);
	return 1;
}

/*
 * Compare a parsed report with what was encoded, field by field, with @tag
 * (e.g. the random seed) in every failure.  Returns the number of
 * mismatches.
 */
static int rpt_compare(struct kunit *test, const struct rpt_desc *d,
		       const struct ccda_report *r, const char *tag)
{
	int bad = 0;
	u32 i;

	bad += rpt_cmp(test, tag, "INTERFACE_INFO", -1, d->interface_info,
		       r->interface_info);
	bad += rpt_cmp(test, tag, "MSI_X_MESSAGE_CONTROL", -1,
		       d->msix_msg_ctrl, r->msix_msg_ctrl);
	bad += rpt_cmp(test, tag, "LNR_CONTROL", -1, d->lnr_ctrl, r->lnr_ctrl);
	bad += rpt_cmp(test, tag, "TPH_CONTROL", -1, d->tph_ctrl, r->tph_ctrl);
	bad += rpt_cmp(test, tag, "MMIO_RANGE_COUNT", -1, d->nr_ranges,
		       r->nr_ranges);
	bad += rpt_cmp(test, tag, "DEVICE_SPECIFIC_INFO_LEN", -1, d->dsi_len,
		       r->dsi_len);
	if (bad)
		return bad;

	for (i = 0; i < d->nr_ranges; i++) {
		const struct rpt_range *w = &d->ranges[i];
		const struct ccda_report_range *g = &r->ranges[i];

		bad += rpt_cmp(test, tag, "first page", i, w->first_page,
			       g->first_page);
		bad += rpt_cmp(test, tag, "pages", i, w->nr_pages, g->nr_pages);
		bad += rpt_cmp(test, tag, "flags", i,
			       w->attr & RPT_ATTR_FLAGS_MASK, g->flags);
		bad += rpt_cmp(test, tag, "RANGE_ID", i,
			       w->attr >> RPT_ATTR_ID_SHIFT, g->range_id);
		bad += rpt_cmp(test, tag, "PA", i,
			       w->first_page << RPT_UNIT_SHIFT,
			       ccda_range_pa(g));
		bad += rpt_cmp(test, tag, "size", i,
			       (u64)w->nr_pages << RPT_UNIT_SHIFT,
			       ccda_range_size(g));
	}

	if (!d->dsi_len) {
		if (r->dsi) {
			bad++;
			KUNIT_FAIL(test, "%s: empty DSI has a pointer", tag);
		}
	} else if (!r->dsi) {
		bad++;
		KUNIT_FAIL(test, "%s: DSI missing", tag);
	} else if (memcmp(d->dsi, r->dsi, d->dsi_len)) {
		bad++;
		KUNIT_FAIL(test, "%s: DSI bytes differ", tag);
	}
	return bad;
}

/* Two parses of the same bytes must agree on everything but addresses. */
static void rpt_expect_same(struct kunit *test, const struct ccda_report *a,
			    const struct ccda_report *b, const char *tag)
{
	KUNIT_EXPECT_EQ_MSG(test, a->interface_info, b->interface_info, "%s",
			    tag);
	KUNIT_EXPECT_EQ_MSG(test, a->msix_msg_ctrl, b->msix_msg_ctrl, "%s",
			    tag);
	KUNIT_EXPECT_EQ_MSG(test, a->lnr_ctrl, b->lnr_ctrl, "%s", tag);
	KUNIT_EXPECT_EQ_MSG(test, a->tph_ctrl, b->tph_ctrl, "%s", tag);
	KUNIT_ASSERT_EQ_MSG(test, a->nr_ranges, b->nr_ranges, "%s", tag);
	KUNIT_EXPECT_MEMEQ_MSG(test, a->ranges, b->ranges,
			       a->nr_ranges * sizeof(a->ranges[0]), "%s", tag);
	KUNIT_ASSERT_EQ_MSG(test, a->dsi_len, b->dsi_len, "%s", tag);
	if (a->dsi_len)
		KUNIT_EXPECT_MEMEQ_MSG(test, a->dsi, b->dsi, a->dsi_len, "%s",
				       tag);
}

static void ccda_report_test_decode(struct kunit *test)
{
	struct ccda_report *r;
	size_t len;
	u8 *buf;

	buf = rpt_build(test, &rpt_ref, &len);
	KUNIT_ASSERT_EQ(test, len, RPT_REF_LEN);

	r = rpt_parse_ok(test, buf, len);
	KUNIT_EXPECT_EQ(test, rpt_compare(test, &rpt_ref, r, "reference"), 0);

	/* The same, spelled out against the spec's numbers. */
	KUNIT_EXPECT_EQ(test, r->interface_info, 0x000a);
	KUNIT_EXPECT_EQ(test, r->ranges[0].flags, 0);
	KUNIT_EXPECT_EQ(test, r->ranges[0].range_id, 0);
	KUNIT_EXPECT_EQ(test, ccda_range_pa(&r->ranges[0]), 0x80000000ULL);
	KUNIT_EXPECT_EQ(test, ccda_range_size(&r->ranges[0]), 0x2000ULL);
	KUNIT_EXPECT_EQ(test, r->ranges[1].flags,
			CCDA_RANGE_MSIX_TABLE | CCDA_RANGE_NON_TEE);
	KUNIT_EXPECT_EQ(test, r->ranges[1].range_id, 2);
	KUNIT_EXPECT_EQ(test, ccda_range_pa(&r->ranges[1]), 0x80002000ULL);
	KUNIT_EXPECT_EQ(test, ccda_range_size(&r->ranges[1]), 0x1000ULL);
	KUNIT_ASSERT_NOT_NULL(test, r->dsi);
	KUNIT_EXPECT_EQ(test, r->dsi[0], 0xde);
	KUNIT_EXPECT_EQ(test, r->dsi[4], 0x5a);
}

static void ccda_report_test_flags(struct kunit *test)
{
	struct rpt_range ranges[RPT_ATTR_FLAGS_MASK + 1];
	struct rpt_desc d = rpt_ref;
	struct ccda_report *r;
	size_t len;
	u32 i;
	u8 *buf;

	/* Every flag combination, each on its own range and RANGE_ID. */
	for (i = 0; i < ARRAY_SIZE(ranges); i++) {
		ranges[i].first_page = 0x100 + i;
		ranges[i].nr_pages = 1;
		ranges[i].attr = i | ((5 - i % 6) << RPT_ATTR_ID_SHIFT);
	}
	d.ranges = ranges;
	d.nr_ranges = ARRAY_SIZE(ranges);

	buf = rpt_build(test, &d, &len);
	r = rpt_parse_ok(test, buf, len);
	KUNIT_EXPECT_EQ(test, rpt_compare(test, &d, r, "flags"), 0);
	KUNIT_EXPECT_EQ(test, r->ranges[1].flags, CCDA_RANGE_MSIX_TABLE);
	KUNIT_EXPECT_EQ(test, r->ranges[2].flags, CCDA_RANGE_MSIX_PBA);
	KUNIT_EXPECT_EQ(test, r->ranges[4].flags, CCDA_RANGE_NON_TEE);
	KUNIT_EXPECT_EQ(test, r->ranges[8].flags,
			CCDA_RANGE_MEM_ATTR_UPDATABLE);
}

static void ccda_report_test_empty(struct kunit *test)
{
	const struct rpt_desc d = { .tph_ctrl = 1 };
	struct ccda_report *r;
	size_t len;
	u8 *buf;

	buf = rpt_build(test, &d, &len);
	KUNIT_ASSERT_EQ(test, len, RPT_HDR_LEN + RPT_DSI_LEN_LEN);

	r = rpt_parse_ok(test, buf, len);
	KUNIT_EXPECT_EQ(test, r->nr_ranges, 0);
	KUNIT_EXPECT_EQ(test, r->dsi_len, 0);
	KUNIT_EXPECT_NULL(test, r->dsi);
	KUNIT_EXPECT_EQ(test, r->tph_ctrl, 1);
}

static void ccda_report_test_bad_args(struct kunit *test)
{
	struct ccda_diag diag = { };
	int live = rpt_live();
	size_t len;
	u8 *buf;

	buf = rpt_build(test, &rpt_ref, &len);
	rpt_prove_valid(test, buf, len);

	/* Nowhere to put the result */
	KUNIT_EXPECT_EQ(test, ccda_report_parse(buf, len, NULL, &diag),
			-EINVAL);
	KUNIT_EXPECT_NOT_NULL(test, diag.reason);
	KUNIT_EXPECT_EQ(test, diag.index, -1);
	KUNIT_EXPECT_EQ(test, ccda_report_parse(buf, len, NULL, NULL),
			-EINVAL);
	KUNIT_EXPECT_EQ(test, rpt_live(), live);

	/* No buffer behind a length */
	rpt_parse_fail(test, NULL, len, -EINVAL, -1, NULL);
	/* No buffer and no length: an empty report, too short */
	rpt_parse_fail(test, NULL, 0, -EBADMSG, -1, NULL);
}

/*
 * Every proper prefix of the reference report is refused with -EBADMSG, and
 * the reason names the part it ends in:
 *
 *   [0, 16)   header
 *   [16, 48)  range table
 *   [48, 52)  DEVICE_SPECIFIC_INFO_LEN
 *   [52, 57)  device-specific information
 *
 * Each prefix is copied to an allocation of exactly its length, so that
 * KASAN sees any read past it.
 */
static const size_t rpt_ref_zone_start[] = {
	0, RPT_HDR_LEN, RPT_REF_DSI_LEN_OFF,
	RPT_REF_DSI_LEN_OFF + RPT_DSI_LEN_LEN,
};

static unsigned int rpt_ref_zone(size_t n)
{
	unsigned int z = ARRAY_SIZE(rpt_ref_zone_start) - 1;

	while (rpt_ref_zone_start[z] > n)
		z--;
	return z;
}

static void ccda_report_test_truncated(struct kunit *test)
{
	const char *zone_reason[ARRAY_SIZE(rpt_ref_zone_start)] = { };
	const char *reason;
	unsigned int z;
	size_t len, n;
	u8 *buf, *cut;

	buf = rpt_build(test, &rpt_ref, &len);
	rpt_prove_valid(test, buf, len);

	for (n = 0; n < len; n++) {
		cut = NULL;
		if (n) {
			cut = kunit_kmalloc(test, n, GFP_KERNEL);
			KUNIT_ASSERT_NOT_NULL(test, cut);
			memcpy(cut, buf, n);
		}

		reason = NULL;
		rpt_parse_fail(test, cut, n, -EBADMSG, -1, &reason);
		if (cut)
			kunit_kfree(test, cut);
		if (!reason)
			continue;

		z = rpt_ref_zone(n);
		if (!zone_reason[z])
			zone_reason[z] = reason;
		KUNIT_EXPECT_STREQ_MSG(test, reason, zone_reason[z],
				       "len %zu", n);
	}

	for (z = 0; z < ARRAY_SIZE(zone_reason); z++) {
		KUNIT_ASSERT_NOT_NULL(test, zone_reason[z]);
		if (z)
			KUNIT_EXPECT_STRNEQ(test, zone_reason[z],
					    zone_reason[z - 1]);
	}
}

/* One byte, or seven, after the device-specific information */
static void ccda_report_test_overlong(struct kunit *test)
{
	size_t len, extra;
	u8 *buf, *big;

	buf = rpt_build(test, &rpt_ref, &len);
	rpt_prove_valid(test, buf, len);

	for (extra = 1; extra <= 7; extra += 6) {
		big = kunit_kmalloc(test, len + extra, GFP_KERNEL);
		KUNIT_ASSERT_NOT_NULL(test, big);
		memcpy(big, buf, len);
		memset(big + len, 0, extra);
		rpt_parse_fail(test, big, len + extra, -EMSGSIZE, -1, NULL);
	}
}

/*
 * A report of exactly CCDA_REPORT_MAX_LEN bytes (no ranges, all the rest
 * device-specific information) parses; one byte more is refused before it
 * is read, with -E2BIG, although it would otherwise be merely over-long.
 */
static void ccda_report_test_max_len(struct kunit *test)
{
	const size_t max = CCDA_REPORT_MAX_LEN;
	struct rpt_desc d = {
		.dsi_len = max - RPT_HDR_LEN - RPT_DSI_LEN_LEN,
	};
	struct ccda_report *r;
	u8 *buf;

	buf = rpt_vzalloc(test, max + 1);
	KUNIT_ASSERT_EQ(test, rpt_size(&d), max);
	rpt_encode(buf, &d);
	buf[max - 1] = 0x77;

	r = rpt_parse_ok(test, buf, max);
	KUNIT_EXPECT_EQ(test, r->dsi_len, d.dsi_len);
	KUNIT_ASSERT_NOT_NULL(test, r->dsi);
	KUNIT_EXPECT_EQ(test, r->dsi[d.dsi_len - 1], 0x77);
	rpt_release(test, r);

	rpt_parse_fail(test, buf, max + 1, -E2BIG, -1, NULL);
}

/* CCDA_REPORT_MAX_RANGES ranges (1 MiB of them) parse. */
static void ccda_report_test_max_ranges(struct kunit *test)
{
	const struct rpt_desc d = { .nr_ranges = CCDA_REPORT_MAX_RANGES };
	struct rpt_range range = { .nr_pages = 1 };
	struct ccda_report *r;
	size_t len = rpt_size(&d);
	u32 i;
	u8 *buf;

	buf = rpt_vzalloc(test, len);
	rpt_encode(buf, &d);
	for (i = 0; i < d.nr_ranges; i++) {
		range.first_page = i;
		range.attr = (u32)(u16)~i << RPT_ATTR_ID_SHIFT;
		rpt_put_range(buf, i, &range);
	}

	r = rpt_parse_ok(test, buf, len);
	KUNIT_ASSERT_EQ(test, r->nr_ranges, CCDA_REPORT_MAX_RANGES);
	for (i = 0; i < d.nr_ranges; i++) {
		if (r->ranges[i].first_page != i ||
		    r->ranges[i].nr_pages != 1 ||
		    r->ranges[i].range_id != (u16)~i) {
			KUNIT_FAIL(test, "range %u decoded wrong", i);
			break;
		}
	}
	KUNIT_EXPECT_NULL(test, r->dsi);
}

/* Parameters: break one field of the reference report to @value. */
struct rpt_field_case {
	const char *desc;
	unsigned int range;
	u64 value;
	int err;
};

/*
 * Build the reference report, prove it valid, set one field with @set, and
 * parse.  Returns the parsed report when @p->err is 0, otherwise checks the
 * refusal (blaming @index) and returns NULL.
 */
static struct ccda_report *
rpt_field_run(struct kunit *test, const struct rpt_field_case *p,
	      void (*set)(u8 *buf, const struct rpt_field_case *p), int index)
{
	size_t len;
	u8 *buf;

	buf = rpt_build(test, &rpt_ref, &len);
	rpt_prove_valid(test, buf, len);
	set(buf, p);
	if (!p->err)
		return rpt_parse_ok(test, buf, len);
	rpt_parse_fail(test, buf, len, p->err, index, NULL);
	return NULL;
}

/*
 * MMIO_RANGE_COUNT.  The buffer holds two ranges: a count of 0 or 1 makes
 * the parser read a first page as DEVICE_SPECIFIC_INFO_LEN (0x80000,
 * 0x80002), far more than is left, and 3 up to the limit runs past the end.
 */
static const struct rpt_field_case rpt_count_cases[] = {
	{ "0", 0, 0, -EBADMSG },
	{ "1", 0, 1, -EBADMSG },
	{ "2 (as built)", 0, 2, 0 },
	{ "3", 0, 3, -EBADMSG },
	{ "MAX_RANGES", 0, CCDA_REPORT_MAX_RANGES, -EBADMSG },
	{ "MAX_RANGES + 1", 0, CCDA_REPORT_MAX_RANGES + 1, -E2BIG },
	{ "0x7fffffff", 0, 0x7fffffff, -E2BIG },
	{ "0x80000000", 0, 0x80000000, -E2BIG },
	{ "U32_MAX - 1", 0, U32_MAX - 1, -E2BIG },
	{ "U32_MAX", 0, U32_MAX, -E2BIG },
};

KUNIT_ARRAY_PARAM_DESC(rpt_count, rpt_count_cases, desc);

static void rpt_set_count(u8 *buf, const struct rpt_field_case *p)
{
	put_unaligned_le32(p->value, buf + RPT_OFF_COUNT);
}

static void ccda_report_test_count(struct kunit *test)
{
	const struct rpt_field_case *p = test->param_value;
	struct ccda_report *r;

	r = rpt_field_run(test, p, rpt_set_count, -1);
	if (r)
		KUNIT_EXPECT_EQ(test, r->nr_ranges, p->value);
}

/* Number of pages, in range 1 (first page 0x80002) unless said otherwise */
static const struct rpt_field_case rpt_nr_pages_cases[] = {
	{ "range 0: 0", 0, 0, -EINVAL },
	{ "0", 1, 0, -EINVAL },
	{ "1", 1, 1, 0 },
	{ "0x7fffffff", 1, 0x7fffffff, 0 },
	{ "0x80000000", 1, 0x80000000, 0 },
	{ "U32_MAX - 1", 1, U32_MAX - 1, 0 },
	{ "U32_MAX", 1, U32_MAX, 0 },
};

KUNIT_ARRAY_PARAM_DESC(rpt_nr_pages, rpt_nr_pages_cases, desc);

static void rpt_set_nr_pages(u8 *buf, const struct rpt_field_case *p)
{
	put_unaligned_le32(p->value,
			   buf + RPT_OFF_RANGE(p->range) + RPT_RANGE_PAGES);
}

static void ccda_report_test_nr_pages(struct kunit *test)
{
	const struct rpt_field_case *p = test->param_value;
	struct ccda_report *r;

	r = rpt_field_run(test, p, rpt_set_nr_pages, p->range);
	if (!r)
		return;
	KUNIT_EXPECT_EQ(test, r->ranges[p->range].nr_pages, p->value);
	KUNIT_EXPECT_EQ(test, ccda_range_size(&r->ranges[p->range]),
			p->value << RPT_UNIT_SHIFT);
}

/*
 * First page.  Range 0 has two pages, range 1 one; a range may end at the
 * very end of the 64-bit address space (first page + pages == 2^52), not
 * one 4K page later:
 *
 *   range 1 at 2^52 - 1: [0xfffffffffffff000, 2^64)   accepted
 *   range 0 at 2^52 - 1: [0xfffffffffffff000, 2^64 + 4K)  overflow
 */
static const struct rpt_field_case rpt_first_page_cases[] = {
	{ "0", 1, 0, 0 },
	{ "1", 1, 1, 0 },
	{ "0x7fffffff", 1, 0x7fffffff, 0 },
	{ "0x80000000", 1, 0x80000000, 0 },
	{ "U32_MAX", 1, U32_MAX, 0 },
	{ "2^52 - 2", 1, RPT_UNIT_END - 2, 0 },
	{ "2^52 - 1, 1 page", 1, RPT_UNIT_END - 1, 0 },
	{ "2^52 - 2, 2 pages", 0, RPT_UNIT_END - 2, 0 },
	{ "2^52 - 1, 2 pages", 0, RPT_UNIT_END - 1, -EOVERFLOW },
	{ "2^52", 1, RPT_UNIT_END, -EOVERFLOW },
	{ "0x7fffffffffffffff", 1, 0x7fffffffffffffffULL, -EOVERFLOW },
	{ "0x8000000000000000", 1, 0x8000000000000000ULL, -EOVERFLOW },
	{ "U64_MAX - 1, 2 pages", 0, U64_MAX - 1, -EOVERFLOW },
	{ "U64_MAX - 1", 1, U64_MAX - 1, -EOVERFLOW },
	{ "U64_MAX", 1, U64_MAX, -EOVERFLOW },
};

KUNIT_ARRAY_PARAM_DESC(rpt_first_page, rpt_first_page_cases, desc);

static void rpt_set_first_page(u8 *buf, const struct rpt_field_case *p)
{
	put_unaligned_le64(p->value,
			   buf + RPT_OFF_RANGE(p->range) + RPT_RANGE_FIRST);
}

static void ccda_report_test_first_page(struct kunit *test)
{
	const struct rpt_field_case *p = test->param_value;
	const struct ccda_report_range *g;
	struct ccda_report *r;

	r = rpt_field_run(test, p, rpt_set_first_page, p->range);
	if (!r)
		return;
	g = &r->ranges[p->range];
	KUNIT_EXPECT_EQ(test, g->first_page, p->value);
	KUNIT_EXPECT_EQ(test, ccda_range_pa(g), p->value << RPT_UNIT_SHIFT);
	/* The last byte is addressable. */
	KUNIT_EXPECT_GE(test, ccda_range_pa(g) + (ccda_range_size(g) - 1),
			ccda_range_pa(g));
}

/* DEVICE_SPECIFIC_INFO_LEN; the buffer holds five bytes after it. */
static const struct rpt_field_case rpt_dsi_len_cases[] = {
	{ "0", 0, 0, -EMSGSIZE },
	{ "1", 0, 1, -EMSGSIZE },
	{ "4", 0, 4, -EMSGSIZE },
	{ "5 (as built)", 0, 5, 0 },
	{ "6", 0, 6, -EBADMSG },
	{ "0x7fffffff", 0, 0x7fffffff, -EBADMSG },
	{ "0x80000000", 0, 0x80000000, -EBADMSG },
	{ "U32_MAX - 1", 0, U32_MAX - 1, -EBADMSG },
	{ "U32_MAX", 0, U32_MAX, -EBADMSG },
};

KUNIT_ARRAY_PARAM_DESC(rpt_dsi_len, rpt_dsi_len_cases, desc);

static void rpt_set_dsi_len(u8 *buf, const struct rpt_field_case *p)
{
	put_unaligned_le32(p->value, buf + RPT_REF_DSI_LEN_OFF);
}

static void ccda_report_test_dsi_len(struct kunit *test)
{
	const struct rpt_field_case *p = test->param_value;
	struct ccda_report *r;

	r = rpt_field_run(test, p, rpt_set_dsi_len, -1);
	if (!r)
		return;
	KUNIT_EXPECT_EQ(test, r->dsi_len, p->value);
	KUNIT_EXPECT_MEMEQ(test, r->dsi, rpt_ref_dsi, sizeof(rpt_ref_dsi));
}

/* The whole attribute word of range 0: reserved bits 15:4 must be clear. */
static const struct rpt_field_case rpt_attr_cases[] = {
	{ "0", 0, 0, 0 },
	{ "1 (MSI-X table)", 0, 1, 0 },
	{ "all flags", 0, RPT_ATTR_FLAGS_MASK, 0 },
	{ "lowest reserved bit", 0, RPT_ATTR_RSVD_LOW, -EINVAL },
	{ "highest reserved bit", 0, RPT_ATTR_RSVD_HIGH, -EINVAL },
	{ "all reserved bits", 0, RPT_ATTR_RSVD_ALL, -EINVAL },
	{ "all but reserved", 0, ~RPT_ATTR_RSVD_ALL, 0 },
	{ "0x7fffffff", 0, 0x7fffffff, -EINVAL },
	{ "0x80000000", 0, 0x80000000, 0 },
	{ "U32_MAX - 1", 0, U32_MAX - 1, -EINVAL },
	{ "U32_MAX", 0, U32_MAX, -EINVAL },
};

KUNIT_ARRAY_PARAM_DESC(rpt_attr, rpt_attr_cases, desc);

static void rpt_set_attr(u8 *buf, const struct rpt_field_case *p)
{
	put_unaligned_le32(p->value,
			   buf + RPT_OFF_RANGE(p->range) + RPT_RANGE_ATTR);
}

static void ccda_report_test_attributes(struct kunit *test)
{
	const struct rpt_field_case *p = test->param_value;
	struct ccda_report *r;

	r = rpt_field_run(test, p, rpt_set_attr, p->range);
	if (!r)
		return;
	KUNIT_EXPECT_EQ(test, r->ranges[p->range].flags,
			p->value & RPT_ATTR_FLAGS_MASK);
	KUNIT_EXPECT_EQ(test, r->ranges[p->range].range_id,
			p->value >> RPT_ATTR_ID_SHIFT);
}

/* RANGE_ID of range 1, keeping its flags: any BAR number parses. */
static const struct rpt_field_case rpt_range_id_cases[] = {
	{ "0", 1, 0, 0 },
	{ "1", 1, 1, 0 },
	{ "0x7fff", 1, 0x7fff, 0 },
	{ "0x8000", 1, 0x8000, 0 },
	{ "U16_MAX - 1", 1, U16_MAX - 1, 0 },
	{ "U16_MAX", 1, U16_MAX, 0 },
};

KUNIT_ARRAY_PARAM_DESC(rpt_range_id, rpt_range_id_cases, desc);

static void rpt_set_range_id(u8 *buf, const struct rpt_field_case *p)
{
	u8 *attr = buf + RPT_OFF_RANGE(p->range) + RPT_RANGE_ATTR;

	put_unaligned_le16(p->value, attr + RPT_ATTR_ID_SHIFT / 8);
}

static void ccda_report_test_range_id(struct kunit *test)
{
	const struct rpt_field_case *p = test->param_value;
	struct ccda_report *r;

	r = rpt_field_run(test, p, rpt_set_range_id, p->range);
	KUNIT_ASSERT_NOT_NULL(test, r);
	KUNIT_EXPECT_EQ(test, r->ranges[p->range].range_id, p->value);
	KUNIT_EXPECT_EQ(test, r->ranges[p->range].flags,
			rpt_ref_ranges[p->range].attr & RPT_ATTR_FLAGS_MASK);
}

/* Header fields round-trip at their edges; the reserved word is ignored. */
struct rpt_header_case {
	const char *desc;
	u16 v16;
	u32 v32;
};

static const struct rpt_header_case rpt_header_cases[] = {
	{ "0", 0, 0 },
	{ "1", 1, 1 },
	{ "MAX - 1", U16_MAX - 1, U32_MAX - 1 },
	{ "MAX", U16_MAX, U32_MAX },
	{ "0x7fff, 0x7fffffff", 0x7fff, 0x7fffffff },
	{ "0x8000, 0x80000000", 0x8000, 0x80000000 },
};

KUNIT_ARRAY_PARAM_DESC(rpt_header, rpt_header_cases, desc);

static void ccda_report_test_header(struct kunit *test)
{
	const struct rpt_header_case *p = test->param_value;
	struct rpt_desc d = rpt_ref;
	struct ccda_report *r;
	size_t len;
	u8 *buf;

	d.interface_info = p->v16;
	d.reserved = p->v16;
	d.msix_msg_ctrl = p->v16;
	d.lnr_ctrl = p->v16;
	d.tph_ctrl = p->v32;
	buf = rpt_build(test, &d, &len);

	r = rpt_parse_ok(test, buf, len);
	KUNIT_EXPECT_EQ(test, rpt_compare(test, &d, r, p->desc), 0);
}

/* The same bytes at offsets 1..7 of a larger buffer parse identically. */
static void ccda_report_test_unaligned(struct kunit *test)
{
	struct ccda_report *ref, *r;
	size_t len, off;
	char tag[16];
	u8 *buf, *big;

	buf = rpt_build(test, &rpt_ref, &len);
	ref = rpt_parse_ok(test, buf, len);
	KUNIT_ASSERT_EQ(test, rpt_compare(test, &rpt_ref, ref, "aligned"), 0);

	big = kunit_kmalloc(test, len + 8, GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, big);

	for (off = 1; off < 8; off++) {
		memset(big, 0xff, len + 8);
		memcpy(big + off, buf, len);
		scnprintf(tag, sizeof(tag), "offset %zu", off);

		r = rpt_parse_ok(test, big + off, len);
		rpt_expect_same(test, ref, r, tag);
		KUNIT_EXPECT_EQ(test, rpt_compare(test, &rpt_ref, r, tag), 0);
		rpt_release(test, r);

		/* Truncated by one at the same offset: still refused */
		rpt_parse_fail(test, big + off, len - 1, -EBADMSG, -1, NULL);
	}
}

/* Stand-in for ccda_report_copy(): copy, then scribble over the original. */
static void *rpt_copy_then_scribble(const void *buf, size_t len)
{
	void *copy = kvmemdup(buf, len, GFP_KERNEL);

	/* The suite's own, writable buffer */
	memset((void *)buf, 0xa5, len);
	return copy;
}

/*
 * The input is read exactly once: with the original scribbled over right
 * after the parser's copy, the result is still the report that was there.
 * Nor is it referenced afterwards: scribbling over the input after the parse
 * changes nothing in the result, DSI included.
 */
static void ccda_report_test_read_once(struct kunit *test)
{
	struct ccda_report *r;
	size_t len;
	u8 *buf;

	buf = rpt_build(test, &rpt_ref, &len);
	rpt_prove_valid(test, buf, len);

	kunit_activate_static_stub(test, ccda_report_copy,
				   rpt_copy_then_scribble);
	r = rpt_parse_ok(test, buf, len);
	kunit_deactivate_static_stub(test, ccda_report_copy);
	KUNIT_EXPECT_NULL_MSG(test, memchr_inv(buf, 0xa5, len),
			      "the copy was not redirected");
	KUNIT_EXPECT_EQ(test, rpt_compare(test, &rpt_ref, r, "during"), 0);
	/* What the parser would have seen, had it read the input again */
	rpt_parse_fail(test, buf, len, -E2BIG, -1, NULL);
	rpt_release(test, r);

	rpt_encode(buf, &rpt_ref);
	r = rpt_parse_ok(test, buf, len);
	KUNIT_ASSERT_NOT_NULL(test, r->dsi);
	KUNIT_EXPECT_TRUE(test,
			  r->dsi + r->dsi_len <= buf || r->dsi >= buf + len);
	memset(buf, 0x5a, len);
	KUNIT_EXPECT_EQ(test, rpt_compare(test, &rpt_ref, r, "after"), 0);
}

static void *rpt_copy_fails(const void *buf, size_t len)
{
	return NULL;
}

/* A failed copy is -ENOMEM, with a reason and nothing left allocated. */
static void ccda_report_test_nomem(struct kunit *test)
{
	size_t len;
	u8 *buf;

	buf = rpt_build(test, &rpt_ref, &len);
	rpt_prove_valid(test, buf, len);

	kunit_activate_static_stub(test, ccda_report_copy, rpt_copy_fails);
	rpt_parse_fail(test, buf, len, -ENOMEM, -1, NULL);
}

static int rpt_scoped_parse(const void *buf, size_t len)
{
	struct ccda_report *r __free(ccda_report) = NULL;

	if (ccda_report_parse(buf, len, &r, NULL))
		return -1;
	return rpt_live();
}

/*
 * ccda_report_free() balances exactly one successful parse; NULL and the
 * header's __free(ccda_report) class behave.
 */
static void ccda_report_test_free(struct kunit *test)
{
	int live = rpt_live();
	struct ccda_report *r;
	size_t len;
	u8 *buf;

	buf = rpt_build(test, &rpt_ref, &len);

	ccda_report_free(NULL);
	KUNIT_EXPECT_EQ(test, rpt_live(), live);

	KUNIT_EXPECT_EQ(test, ccda_report_parse(buf, len, &r, NULL), 0);
	KUNIT_EXPECT_EQ(test, rpt_live(), live + 1);
	ccda_report_free(r);
	KUNIT_EXPECT_EQ(test, rpt_live(), live);

	KUNIT_EXPECT_EQ(test, rpt_scoped_parse(buf, len), live + 1);
	KUNIT_EXPECT_EQ(test, rpt_live(), live);

	buf[RPT_OFF_COUNT] = 3;
	KUNIT_EXPECT_EQ(test, rpt_scoped_parse(buf, len), -1);
	KUNIT_EXPECT_EQ(test, rpt_live(), live);
}

#define RPT_RANDOM_REPORTS	256
#define RPT_RANDOM_MAX_RANGES	64
#define RPT_RANDOM_MAX_DSI	256

static unsigned int rpt_seed;
module_param_named(seed, rpt_seed, uint, 0444);
MODULE_PARM_DESC(seed, "Seed for ccda_report_test_random (0: pick one)");

static u64 rpt_rand64(struct rnd_state *rnd)
{
	return (u64)prandom_u32_state(rnd) << 32 | prandom_u32_state(rnd);
}

/* Any valid range, with the edges (1 page, U32_MAX pages, end 2^52) likely */
static void rpt_random_range(struct rnd_state *rnd, struct rpt_range *r)
{
	u32 pick = prandom_u32_state(rnd);

	switch (pick % 4) {
	case 0:
		r->nr_pages = 1;
		break;
	case 1:
		r->nr_pages = U32_MAX;
		break;
	default:
		r->nr_pages = prandom_u32_state(rnd) ?: 1;
		break;
	}

	r->first_page = rpt_rand64(rnd) & (RPT_UNIT_END - 1);
	if (pick & BIT(8) || r->first_page > RPT_UNIT_END - r->nr_pages)
		r->first_page = RPT_UNIT_END - r->nr_pages;

	r->attr = prandom_u32_state(rnd) & ~RPT_ATTR_RSVD_ALL;
}

static void rpt_random_desc(struct rnd_state *rnd, struct rpt_desc *d,
			    struct rpt_range *ranges, u8 *dsi)
{
	u32 i;

	d->interface_info = prandom_u32_state(rnd);
	d->reserved = prandom_u32_state(rnd);
	d->msix_msg_ctrl = prandom_u32_state(rnd);
	d->lnr_ctrl = prandom_u32_state(rnd);
	d->tph_ctrl = prandom_u32_state(rnd);
	d->nr_ranges = prandom_u32_state(rnd) % (RPT_RANDOM_MAX_RANGES + 1);
	for (i = 0; i < d->nr_ranges; i++)
		rpt_random_range(rnd, &ranges[i]);
	d->ranges = ranges;
	d->dsi_len = prandom_u32_state(rnd) % (RPT_RANDOM_MAX_DSI + 1);
	prandom_bytes_state(rnd, dsi, d->dsi_len);
	d->dsi = dsi;
}

/*
 * Random valid reports round-trip field by field, and a random proper prefix
 * of each is refused.  The seed is logged, and repeated in every failure;
 * ccda_report_test.seed=<seed> replays a run.
 */
static void ccda_report_test_random(struct kunit *test)
{
	const struct rpt_desc biggest = {
		.nr_ranges = RPT_RANDOM_MAX_RANGES,
		.dsi_len = RPT_RANDOM_MAX_DSI,
	};
	u32 seed = rpt_seed ?: get_random_u32();
	struct rpt_range *ranges;
	struct rnd_state rnd;
	struct rpt_desc d;
	struct ccda_report *r;
	char tag[48];
	size_t len, cut;
	u8 *buf, *dsi;
	int i;

	kunit_info(test, "seed %u\n", seed);
	prandom_seed_state(&rnd, seed);

	ranges = kunit_kcalloc(test, RPT_RANDOM_MAX_RANGES, sizeof(*ranges),
			       GFP_KERNEL);
	dsi = kunit_kzalloc(test, RPT_RANDOM_MAX_DSI, GFP_KERNEL);
	buf = kunit_kzalloc(test, rpt_size(&biggest), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, ranges);
	KUNIT_ASSERT_NOT_NULL(test, dsi);
	KUNIT_ASSERT_NOT_NULL(test, buf);

	for (i = 0; i < RPT_RANDOM_REPORTS; i++) {
		scnprintf(tag, sizeof(tag), "seed %u report %d", seed, i);
		rpt_random_desc(&rnd, &d, ranges, dsi);
		len = rpt_size(&d);
		rpt_encode(buf, &d);

		r = rpt_parse_ok(test, buf, len);
		KUNIT_ASSERT_EQ_MSG(test, rpt_compare(test, &d, r, tag), 0,
				    "%s", tag);
		rpt_release(test, r);

		cut = prandom_u32_state(&rnd) % len;
		KUNIT_ASSERT_TRUE_MSG(test,
				      rpt_parse_fail(test, buf, cut, -EBADMSG,
						     -1, NULL),
				      "%s, cut at %zu", tag, cut);
	}
}

static struct kunit_case ccda_report_test_cases[] = {
	KUNIT_CASE(ccda_report_test_decode),
	KUNIT_CASE(ccda_report_test_flags),
	KUNIT_CASE(ccda_report_test_empty),
	KUNIT_CASE(ccda_report_test_bad_args),
	KUNIT_CASE(ccda_report_test_truncated),
	KUNIT_CASE(ccda_report_test_overlong),
	KUNIT_CASE(ccda_report_test_max_len),
	KUNIT_CASE(ccda_report_test_max_ranges),
	KUNIT_CASE_PARAM(ccda_report_test_count, rpt_count_gen_params),
	KUNIT_CASE_PARAM(ccda_report_test_nr_pages, rpt_nr_pages_gen_params),
	KUNIT_CASE_PARAM(ccda_report_test_first_page,
			 rpt_first_page_gen_params),
	KUNIT_CASE_PARAM(ccda_report_test_dsi_len, rpt_dsi_len_gen_params),
	KUNIT_CASE_PARAM(ccda_report_test_attributes, rpt_attr_gen_params),
	KUNIT_CASE_PARAM(ccda_report_test_range_id, rpt_range_id_gen_params),
	KUNIT_CASE_PARAM(ccda_report_test_header, rpt_header_gen_params),
	KUNIT_CASE(ccda_report_test_unaligned),
	KUNIT_CASE(ccda_report_test_read_once),
	KUNIT_CASE(ccda_report_test_nomem),
	KUNIT_CASE(ccda_report_test_free),
	KUNIT_CASE(ccda_report_test_random),
	{}
};

static struct kunit_suite ccda_report_test_suite = {
	.name = "ccda_report",
	.init = rpt_init,
	.test_cases = ccda_report_test_cases,
};

kunit_test_suite(ccda_report_test_suite);

MODULE_IMPORT_NS(EXPORTED_FOR_KUNIT_TESTING);
MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("KUnit tests for the ccda TDISP interface report parser");
