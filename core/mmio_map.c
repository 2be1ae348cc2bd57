// SPDX-License-Identifier: GPL-2.0-only
/**
 * DOC: Secure MMIO map
 *
 * ccda_map_build() combines a device layout (&struct ccda_layout), a parsed
 * TDISP interface report (PCIe r6.2 11.3.11) and the CPU page size into a
 * &struct ccda_map: for every memory BAR an ordered partition of
 * [0, BAR size) into segments of one &enum ccda_seg_kind each.
 *
 * Where a report range lands in its BAR depends on how the TSM reports
 * addresses (&enum ccda_offset_mode):
 *
 * - %CCDA_OFFSET_BAR_ALIGN: offset = PA mod BAR size.  Every range of a BAR
 *   must then lie in the same BAR-sized, naturally aligned window of the
 *   TSM's address space as the BAR's first range.
 * - %CCDA_OFFSET_RELATIVE: the BAR's first reported range sits at offset 0,
 *   later ones at their PA minus that first PA.
 * - %CCDA_OFFSET_TRANSLATE: &ccda_map_params.translate computes the offset,
 *   which must be 4 KiB aligned.
 *
 * A range is PRIVATE when it is TEE memory and carries no MSI-X flag, SHARED
 * when it is IS_NON_TEE_MEM, and MSIX_TABLE or MSIX_PBA when flagged so.
 * Config space adds the MSI-X table and PBA, rounded out to whole 4 KiB
 * report units: those pages are MSI-X whether or not a range covers them
 * (where the two structures share a page, the table wins).  What no range
 * and no MSI-X structure covers is UNREPORTED.  Adjacent segments of one
 * kind are merged; PRIVATE ones only where their report PAs are contiguous
 * too.  Every private segment carries the report PA of its first byte.
 *
 * The checks, in the order they are applied; each refusal returns a
 * specific errno, fills &struct ccda_diag with a one-line static reason and
 * the offending report range (-1 for the input as a whole), logs it with
 * pr_debug() and publishes nothing:
 *
 * 1. Arguments: %NULL pointers, a page size other than 4K, 16K or 64K, an
 *    unknown offset mode, %CCDA_OFFSET_TRANSLATE without a callback, or
 *    more ranges than the parser produces: -EINVAL.
 * 2. Layout: a memory BAR whose size is not a power of two or whose start is
 *    not aligned to its size, memory BARs that overlap, unknown BAR flags,
 *    a 64-bit BAR in the last slot or with a non-empty upper slot, more
 *    than 2048 MSI-X entries, an MSI-X BIR naming no memory BAR, an MSI-X
 *    structure that is misaligned or outside its BAR, a table overlapping
 *    the PBA: -EINVAL.  A slot of size zero is unimplemented whatever its
 *    flags say.
 * 3. Each range, in report order: zero pages -EINVAL; a PA beyond the 64-bit
 *    address space -EOVERFLOW; a RANGE_ID that is not an implemented memory
 *    BAR, or that names the upper half of a 64-bit BAR, -EINVAL (one reason
 *    each); an MSI-X flag on TEE memory -EOPNOTSUPP, because secure
 *    interrupts are not supported (the range is refused, never skipped).
 * 4. Each range, in report order, once the above held for all of them: the
 *    BAR offset per the mode (a failing translation returns its errno; a
 *    translated offset that is not 4 KiB aligned, or in RELATIVE mode a PA
 *    below the BAR's first, is -EINVAL); a range outside its BAR, or
 *    outside the window of the BAR's first range, -ERANGE; a range starting
 *    below the end of the previous range of its BAR (out of ascending
 *    order, or overlapping) -EINVAL; a PRIVATE range overlapping a
 *    config-space MSI-X table or PBA page -EINVAL.
 * 5. Segments: a PRIVATE segment that does not start and end on a CPU page
 *    boundary -EINVAL.  With 4 KiB pages that never happens; with larger
 *    pages it refuses every CPU page that would be split between private
 *    MMIO and anything else (including a discontiguous private run, and the
 *    space beyond a BAR smaller than a page).
 *
 * The map is built privately: ranges are bucketed by BAR in one linear pass
 * (they are ascending within a BAR, so no sort is needed), the segments are
 * generated once to count and check them, the map is allocated at exactly
 * that size and generated again into it, then published.  The time is
 * linear in the number of ranges.  A published map never changes.
 */

#define pr_fmt(fmt) "ccda: " fmt

#include <linux/align.h>
#include <linux/bitfield.h>
#include <linux/bsearch.h>
#include <linux/bug.h>
#include <linux/build_bug.h>
#include <linux/cleanup.h>
#include <linux/errno.h>
#include <linux/export.h>
#include <linux/limits.h>
#include <linux/log2.h>
#include <linux/math.h>
#include <linux/minmax.h>
#include <linux/overflow.h>
#include <linux/pci_regs.h>
#include <linux/printk.h>
#include <linux/sizes.h>
#include <linux/slab.h>
#include <linux/string.h>
#include <kunit/visibility.h>

#include "ccda.h"
#include "ccda_private.h"

/* Config-space MSI-X structures are claimed in whole report units. */
#define MAP_MSIX_GRAIN		CCDA_REPORT_UNIT

/* PCIe r6.2 7.7.2.2: Table Size is N - 1 in 11 bits */
#define MAP_MSIX_MAX_ENTRIES	2048

/* MSI-X Table and PBA offsets are QWORD aligned (PCIe r6.2 7.7.2.3/4) */
#define MAP_MSIX_ALIGN		8

/* 4 KiB units in the 64-bit address space: no range may end beyond this */
#define MAP_UNIT_LIMIT		BIT_ULL(64 - CCDA_REPORT_UNIT_SHIFT)

/*
 * Per BAR, the config-space MSI-X pages to impose: the table, and the PBA
 * minus the table (at most two pieces).
 */
#define MAP_MAX_OVERLAYS	3

/* No report range behind a segment (an unreported or config-space piece) */
#define MAP_NO_RANGE		U32_MAX

/* A range index must fit in ccda_diag::index. */
static_assert(CCDA_REPORT_MAX_RANGES <= INT_MAX);

#if IS_ENABLED(CONFIG_KUNIT)
atomic_t ccda_map_live = ATOMIC_INIT(0);
EXPORT_SYMBOL_IF_KUNIT(ccda_map_live);
#endif

/*
 * The MSI-X capability decoder lives here rather than in pci.c so that the
 * user-space tools, which have no struct pci_dev, decode a config space file
 * with the same code.
 */
void ccda_msix_decode(u16 msg_ctrl, u32 table, u32 pba,
		      struct ccda_msix_layout *msix)
{
	msix->nr_entries = FIELD_GET(PCI_MSIX_FLAGS_QSIZE, msg_ctrl) + 1;
	msix->table_bir = FIELD_GET(PCI_MSIX_TABLE_BIR, table);
	msix->table_offset = table & PCI_MSIX_TABLE_OFFSET;
	msix->pba_bir = FIELD_GET(PCI_MSIX_PBA_BIR, pba);
	msix->pba_offset = pba & PCI_MSIX_PBA_OFFSET;
}
EXPORT_SYMBOL_IF_KUNIT(ccda_msix_decode);

/* One report range, placed in its BAR. */
struct map_piece {
	u64 off;
	u64 end;
	u64 pa;
	u32 index;
	enum ccda_seg_kind kind;
};

/* A half-open interval of a BAR: [lo, hi) */
struct map_span {
	u64 lo;
	u64 hi;
	enum ccda_seg_kind kind;
};

struct map_bar {
	u64 start;
	u64 size;
	bool mem;		/* an implemented memory BAR */
	bool upper;		/* the upper half of a 64-bit BAR */

	/* config-space MSI-X pages in this BAR (hi == 0: none) */
	struct map_span msix_table;
	struct map_span msix_pba;
	struct map_span overlays[MAP_MAX_OVERLAYS];
	u32 nr_overlays;

	/* its ranges: pieces[first, first + nr), ascending */
	u32 first;
	u32 nr;
	u32 placed;

	/* RELATIVE: its first range's PA; BAR_ALIGN: that range's window */
	bool have_base;
	u64 base;
};

struct map_builder {
	const struct ccda_layout *layout;
	const struct ccda_report *report;
	const struct ccda_map_params *params;
	struct ccda_diag *diag;
	struct map_piece *pieces;
	struct map_bar bars[CCDA_NR_BARS];
};

/* Segment generation: counts when @segs is NULL, stores otherwise. */
struct map_emit {
	struct ccda_segment *segs;
	u32 max;
	u32 nr;
	bool open;
	struct ccda_segment cur;
	u32 cur_first;		/* first and last report range in @cur */
	u32 cur_last;
};

static int ccda_map_reject(struct ccda_diag *diag, int err,
			   const char *reason, int index)
{
	return ccda_reject(diag, err, "map", "range", reason, index);
}

static int map_classify_reject(struct ccda_diag *diag, int err,
			       const char *reason)
{
	return ccda_reject(diag, err, "classification", "", reason, -1);
}

static int map_reject(struct map_builder *b, int err, const char *reason,
		      u32 index)
{
	return ccda_map_reject(b->diag, err, reason,
			       index == MAP_NO_RANGE ? -1 : (int)index);
}

static bool map_span_overlaps(const struct map_span *s, u64 lo, u64 hi)
{
	return s->hi && lo < s->hi && s->lo < hi;
}

static int map_check_args(const struct ccda_layout *layout,
			  const struct ccda_report *report,
			  const struct ccda_map_params *params,
			  struct ccda_diag *diag)
{
	if (!layout)
		return ccda_map_reject(diag, -EINVAL, "no device layout", -1);
	if (!report)
		return ccda_map_reject(diag, -EINVAL, "no interface report",
				       -1);
	if (!params)
		return ccda_map_reject(diag, -EINVAL, "no map parameters", -1);

	if (params->page_size != SZ_4K && params->page_size != SZ_16K &&
	    params->page_size != SZ_64K)
		return ccda_map_reject(diag, -EINVAL,
				       "page size is not 4K, 16K or 64K", -1);

	switch (params->mode) {
	case CCDA_OFFSET_BAR_ALIGN:
	case CCDA_OFFSET_RELATIVE:
		break;
	case CCDA_OFFSET_TRANSLATE:
		if (!params->translate)
			return ccda_map_reject(diag, -EINVAL,
					       "translate mode without a translate callback",
					       -1);
		break;
	default:
		return ccda_map_reject(diag, -EINVAL, "unknown offset mode",
				       -1);
	}

	if (report->nr_ranges > CCDA_REPORT_MAX_RANGES)
		return ccda_map_reject(diag, -EINVAL,
				       "report has more ranges than the parser allows",
				       -1);
	return 0;
}

/*
 * Memory BARs of one function never share an address: an address must name
 * one BAR, or ccda_map_classify() could not tell which map applies.  Their
 * ends were checked not to wrap.
 */
static int map_check_bar_overlap(struct map_builder *b)
{
	const struct map_bar *x, *y;
	unsigned int i, j;

	for (i = 0; i < CCDA_NR_BARS; i++) {
		x = &b->bars[i];
		for (j = i + 1; x->mem && j < CCDA_NR_BARS; j++) {
			y = &b->bars[j];
			if (y->mem && x->start <= y->start + (y->size - 1) &&
			    y->start <= x->start + (x->size - 1))
				return map_reject(b, -EINVAL,
						  "memory BARs overlap",
						  MAP_NO_RANGE);
		}
	}
	return 0;
}

static int map_check_bars(struct map_builder *b)
{
	const u32 known = CCDA_BAR_MEM | CCDA_BAR_MEM64 | CCDA_BAR_PREFETCH;
	unsigned int i;
	u64 last;

	for (i = 0; i < CCDA_NR_BARS; i++) {
		const struct ccda_bar *bar = &b->layout->bars[i];
		struct map_bar *mb = &b->bars[i];

		if (mb->upper) {
			if (bar->size || bar->flags)
				return map_reject(b, -EINVAL,
						  "upper slot of a 64-bit BAR is not empty",
						  MAP_NO_RANGE);
			continue;
		}
		if (!bar->size)
			continue;

		if (bar->flags & ~known)
			return map_reject(b, -EINVAL, "unknown BAR flags",
					  MAP_NO_RANGE);
		if (!(bar->flags & CCDA_BAR_MEM)) {
			if (bar->flags)
				return map_reject(b, -EINVAL,
						  "memory BAR flags on an I/O BAR",
						  MAP_NO_RANGE);
			continue;
		}

		if (!is_power_of_2(bar->size))
			return map_reject(b, -EINVAL,
					  "BAR size is not a power of two",
					  MAP_NO_RANGE);
		if (!IS_ALIGNED(bar->start, bar->size))
			return map_reject(b, -EINVAL,
					  "BAR start is not aligned to its size",
					  MAP_NO_RANGE);
		if (check_add_overflow(bar->start, bar->size - 1, &last))
			return map_reject(b, -EINVAL,
					  "BAR ends beyond the 64-bit address space",
					  MAP_NO_RANGE);

		if (bar->flags & CCDA_BAR_MEM64) {
			if (i + 1 == CCDA_NR_BARS)
				return map_reject(b, -EINVAL,
						  "64-bit BAR in the last slot",
						  MAP_NO_RANGE);
			b->bars[i + 1].upper = true;
		}

		mb->mem = true;
		mb->start = bar->start;
		mb->size = bar->size;
	}
	return map_check_bar_overlap(b);
}

/*
 * Check one MSI-X structure of @bytes bytes at @offset in BAR @bir and
 * return the 4 KiB pages it occupies in @span.  @pba picks the reasons.
 */
static int map_check_msix_struct(struct map_builder *b, bool pba, u8 bir,
				 u32 offset, u64 bytes, struct map_span *span)
{
	const struct map_bar *mb;
	u64 end;

	if (bir >= CCDA_NR_BARS || !b->bars[bir].mem)
		return map_reject(b, -EINVAL,
				  pba ? "MSI-X PBA BIR names no memory BAR" :
					"MSI-X table BIR names no memory BAR",
				  MAP_NO_RANGE);
	if (!IS_ALIGNED(offset, MAP_MSIX_ALIGN))
		return map_reject(b, -EINVAL,
				  pba ? "MSI-X PBA offset is not QWORD aligned" :
					"MSI-X table offset is not QWORD aligned",
				  MAP_NO_RANGE);

	mb = &b->bars[bir];
	if (check_add_overflow((u64)offset, bytes, &end) || end > mb->size)
		return map_reject(b, -EINVAL,
				  pba ? "MSI-X PBA lies outside its BAR" :
					"MSI-X table lies outside its BAR",
				  MAP_NO_RANGE);

	/*
	 * @end <= BAR size <= 2^63, so rounding up cannot wrap; a BAR smaller
	 * than a report unit is claimed up to its end only.
	 */
	span->lo = round_down((u64)offset, MAP_MSIX_GRAIN);
	span->hi = min(round_up(end, MAP_MSIX_GRAIN), mb->size);
	span->kind = pba ? CCDA_SEG_MSIX_PBA : CCDA_SEG_MSIX_TABLE;
	return 0;
}

static void map_add_overlay(struct map_bar *mb, u64 lo, u64 hi,
			    enum ccda_seg_kind kind)
{
	struct map_span *o;
	u32 i;

	if (lo >= hi)
		return;

	/* Keep them sorted; there are at most three. */
	for (i = mb->nr_overlays; i > 0 && mb->overlays[i - 1].lo > lo; i--)
		mb->overlays[i] = mb->overlays[i - 1];
	o = &mb->overlays[i];
	o->lo = lo;
	o->hi = hi;
	o->kind = kind;
	mb->nr_overlays++;
}

static int map_check_msix(struct map_builder *b)
{
	const struct ccda_msix_layout *msix = &b->layout->msix;
	struct map_span table, pba;
	struct map_bar *tb, *pb;
	u64 table_bytes, pba_bytes;
	int ret;

	if (!msix->nr_entries)
		return 0;
	if (msix->nr_entries > MAP_MSIX_MAX_ENTRIES)
		return map_reject(b, -EINVAL,
				  "MSI-X table has more than 2048 entries",
				  MAP_NO_RANGE);

	table_bytes = (u64)msix->nr_entries * CCDA_MSIX_ENTRY_SIZE;
	pba_bytes = DIV_ROUND_UP(msix->nr_entries,
				 CCDA_MSIX_PBA_QWORD_ENTRIES) * sizeof(u64);

	ret = map_check_msix_struct(b, false, msix->table_bir,
				    msix->table_offset, table_bytes, &table);
	if (ret)
		return ret;
	ret = map_check_msix_struct(b, true, msix->pba_bir, msix->pba_offset,
				    pba_bytes, &pba);
	if (ret)
		return ret;

	/* Sums cannot wrap: both were checked against a BAR size above. */
	if (msix->table_bir == msix->pba_bir &&
	    msix->table_offset < msix->pba_offset + pba_bytes &&
	    msix->pba_offset < msix->table_offset + table_bytes)
		return map_reject(b, -EINVAL, "MSI-X table and PBA overlap",
				  MAP_NO_RANGE);

	tb = &b->bars[msix->table_bir];
	pb = &b->bars[msix->pba_bir];
	tb->msix_table = table;
	pb->msix_pba = pba;

	/* Where the two share a page, the table wins. */
	map_add_overlay(tb, table.lo, table.hi, CCDA_SEG_MSIX_TABLE);
	if (tb == pb && map_span_overlaps(&table, pba.lo, pba.hi)) {
		map_add_overlay(pb, pba.lo, min(pba.hi, table.lo),
				CCDA_SEG_MSIX_PBA);
		map_add_overlay(pb, max(pba.lo, table.hi), pba.hi,
				CCDA_SEG_MSIX_PBA);
	} else {
		map_add_overlay(pb, pba.lo, pba.hi, CCDA_SEG_MSIX_PBA);
	}
	return 0;
}

/*
 * First pass over the report: what can be said of a range on its own.
 * Counts each BAR's ranges and hands out their slots in b->pieces.
 */
static int map_check_ranges(struct map_builder *b)
{
	const struct ccda_report *report = b->report;
	u32 i, next = 0;
	u64 end;

	for (i = 0; i < report->nr_ranges; i++) {
		const struct ccda_report_range *r = &report->ranges[i];
		bool msix = r->flags & (CCDA_RANGE_MSIX_TABLE |
					CCDA_RANGE_MSIX_PBA);

		if (!r->nr_pages)
			return map_reject(b, -EINVAL,
					  "MMIO range of zero pages", i);
		if (check_add_overflow(r->first_page, (u64)r->nr_pages, &end) ||
		    end > MAP_UNIT_LIMIT)
			return map_reject(b, -EOVERFLOW,
					  "MMIO range ends beyond the 64-bit address space",
					  i);

		if (r->range_id >= CCDA_NR_BARS)
			return map_reject(b, -EINVAL, "RANGE_ID is not a BAR",
					  i);
		if (b->bars[r->range_id].upper)
			return map_reject(b, -EINVAL,
					  "RANGE_ID names the upper half of a 64-bit BAR",
					  i);
		if (!b->bars[r->range_id].mem)
			return map_reject(b, -EINVAL,
					  "RANGE_ID names no implemented memory BAR",
					  i);

		if (msix && !(r->flags & CCDA_RANGE_NON_TEE))
			return map_reject(b, -EOPNOTSUPP,
					  "MSI-X range is TEE memory: secure interrupts are not supported",
					  i);

		b->bars[r->range_id].nr++;
	}

	for (i = 0; i < CCDA_NR_BARS; i++) {
		b->bars[i].first = next;
		next += b->bars[i].nr;
	}
	return 0;
}

/* Where range @i (@pa, @len bytes) starts in its BAR, per the mode. */
static int map_range_offset(struct map_builder *b, u32 i, u64 pa, u64 len,
			    u64 *off)
{
	const struct ccda_map_params *params = b->params;
	unsigned int bar = b->report->ranges[i].range_id;
	struct map_bar *mb = &b->bars[bar];
	u64 window;
	int ret;

	switch (params->mode) {
	case CCDA_OFFSET_BAR_ALIGN:
		window = pa & ~(mb->size - 1);
		if (!mb->have_base) {
			mb->base = window;
			mb->have_base = true;
		} else if (window != mb->base) {
			return map_reject(b, -ERANGE,
					  "range outside the BAR window of the BAR's first range",
					  i);
		}
		*off = pa & (mb->size - 1);
		return 0;

	case CCDA_OFFSET_RELATIVE:
		if (!mb->have_base) {
			mb->base = pa;
			mb->have_base = true;
		} else if (pa < mb->base) {
			return map_reject(b, -EINVAL,
					  "range below the first range of its BAR",
					  i);
		}
		*off = pa - mb->base;
		return 0;

	case CCDA_OFFSET_TRANSLATE:
		ret = params->translate(params->ctx, bar, pa, len, off);
		if (ret)
			return map_reject(b, ret < 0 ? ret : -EINVAL,
					  "offset translation failed", i);
		if (!IS_ALIGNED(*off, CCDA_REPORT_UNIT))
			return map_reject(b, -EINVAL,
					  "translated offset is not 4 KiB aligned",
					  i);
		return 0;
	}

	/* map_check_args() refused every other mode. */
	return map_reject(b, -EINVAL, "unknown offset mode", i);
}

static enum ccda_seg_kind map_range_kind(const struct ccda_report_range *r)
{
	if (r->flags & CCDA_RANGE_MSIX_TABLE)
		return CCDA_SEG_MSIX_TABLE;
	if (r->flags & CCDA_RANGE_MSIX_PBA)
		return CCDA_SEG_MSIX_PBA;
	if (r->flags & CCDA_RANGE_NON_TEE)
		return CCDA_SEG_SHARED;
	return CCDA_SEG_PRIVATE;
}

/* Second pass: place every range in its BAR, in report order. */
static int map_place_ranges(struct map_builder *b)
{
	const struct ccda_report *report = b->report;
	u32 i;
	int ret;

	for (i = 0; i < report->nr_ranges; i++) {
		const struct ccda_report_range *r = &report->ranges[i];
		struct map_bar *mb = &b->bars[r->range_id];
		struct map_piece *p = &b->pieces[mb->first + mb->placed];
		u64 len = ccda_range_size(r);

		p->pa = ccda_range_pa(r);
		p->index = i;
		p->kind = map_range_kind(r);

		ret = map_range_offset(b, i, p->pa, len, &p->off);
		if (ret)
			return ret;

		if (check_add_overflow(p->off, len, &p->end) ||
		    p->end > mb->size)
			return map_reject(b, -ERANGE,
					  "range lies outside its BAR", i);

		if (mb->placed && p->off < p[-1].end)
			return map_reject(b, -EINVAL,
					  p->off < p[-1].off ?
					  "ranges of a BAR out of ascending order" :
					  "range overlaps the previous range of its BAR",
					  i);

		if (p->kind == CCDA_SEG_PRIVATE) {
			if (map_span_overlaps(&mb->msix_table, p->off, p->end))
				return map_reject(b, -EINVAL,
						  "TEE range overlaps the MSI-X table",
						  i);
			if (map_span_overlaps(&mb->msix_pba, p->off, p->end))
				return map_reject(b, -EINVAL,
						  "TEE range overlaps the MSI-X PBA",
						  i);
		}
		mb->placed++;
	}
	return 0;
}

/* Close the open segment: check it, then count or store it. */
static int map_flush(struct map_builder *b, struct map_emit *e)
{
	const struct ccda_segment *s = &e->cur;
	unsigned int page = b->params->page_size;

	if (!e->open)
		return 0;
	e->open = false;

	if (s->kind == CCDA_SEG_PRIVATE) {
		if (!IS_ALIGNED(s->offset, page))
			return map_reject(b, -EINVAL,
					  "private MMIO starts inside a CPU page",
					  e->cur_first);
		if (!IS_ALIGNED(s->offset + s->size, page))
			return map_reject(b, -EINVAL,
					  "private MMIO ends inside a CPU page",
					  e->cur_last);
	}

	if (e->segs) {
		if (WARN_ON_ONCE(e->nr >= e->max))
			return map_reject(b, -EINVAL,
					  "map changed between count and fill",
					  MAP_NO_RANGE);
		e->segs[e->nr] = *s;
	}
	e->nr++;
	return 0;
}

/* Append [@off, @off + @size) of @kind, merging where the rules allow. */
static int map_emit(struct map_builder *b, struct map_emit *e,
		    enum ccda_seg_kind kind, u64 off, u64 size, u64 pa,
		    u32 index)
{
	struct ccda_segment *s = &e->cur;
	u64 next_pa;
	int ret;

	if (e->open && s->kind == kind &&
	    (kind != CCDA_SEG_PRIVATE ||
	     (!check_add_overflow(s->pa, s->size, &next_pa) &&
	      next_pa == pa))) {
		s->size += size;
		if (index != MAP_NO_RANGE) {
			if (e->cur_first == MAP_NO_RANGE)
				e->cur_first = index;
			e->cur_last = index;
		}
		return 0;
	}

	ret = map_flush(b, e);
	if (ret)
		return ret;

	e->open = true;
	s->offset = off;
	s->size = size;
	s->pa = kind == CCDA_SEG_PRIVATE ? pa : 0;
	s->kind = kind;
	e->cur_first = index;
	e->cur_last = index;
	return 0;
}

/*
 * Append [@lo, @hi) of @kind with the BAR's config-space MSI-X pages cut
 * out of it.  PRIVATE pieces never meet them (map_place_ranges() refused
 * that), so @pa only ever describes an uncut piece.
 */
static int map_emit_cut(struct map_builder *b, struct map_emit *e,
			const struct map_bar *mb, enum ccda_seg_kind kind,
			u64 lo, u64 hi, u64 pa, u32 index)
{
	u64 pos = lo, cut, end;
	u32 i;
	int ret;

	for (i = 0; i < mb->nr_overlays; i++) {
		const struct map_span *o = &mb->overlays[i];

		if (!map_span_overlaps(o, pos, hi))
			continue;
		cut = max(o->lo, pos);
		end = min(o->hi, hi);
		if (cut > pos) {
			ret = map_emit(b, e, kind, pos, cut - pos, pa, index);
			if (ret)
				return ret;
		}
		ret = map_emit(b, e, o->kind, cut, end - cut, 0, index);
		if (ret)
			return ret;
		pos = end;
	}
	if (pos < hi)
		return map_emit(b, e, kind, pos, hi - pos, pa, index);
	return 0;
}

/*
 * Generate every BAR's segments.  With @map NULL this only counts and
 * checks them; otherwise it fills @map, which has room for exactly as many.
 */
static int map_generate(struct map_builder *b, struct ccda_map *map, u32 *nr)
{
	struct map_emit e = {
		.segs = map ? map->segs : NULL,
		.max = map ? map->nr_segs : 0,
	};
	unsigned int i;
	u32 j, start;
	u64 cursor;
	int ret;

	for (i = 0; i < CCDA_NR_BARS; i++) {
		const struct map_bar *mb = &b->bars[i];

		if (!mb->mem)
			continue;

		start = e.nr;
		cursor = 0;
		for (j = mb->first; j < mb->first + mb->nr; j++) {
			const struct map_piece *p = &b->pieces[j];

			if (p->off > cursor) {
				ret = map_emit_cut(b, &e, mb,
						   CCDA_SEG_UNREPORTED, cursor,
						   p->off, 0, MAP_NO_RANGE);
				if (ret)
					return ret;
			}
			ret = map_emit_cut(b, &e, mb, p->kind, p->off, p->end,
					   p->pa, p->index);
			if (ret)
				return ret;
			cursor = p->end;
		}
		if (cursor < mb->size) {
			ret = map_emit_cut(b, &e, mb, CCDA_SEG_UNREPORTED,
					   cursor, mb->size, 0, MAP_NO_RANGE);
			if (ret)
				return ret;
		}
		ret = map_flush(b, &e);
		if (ret)
			return ret;

		if (map) {
			map->bars[i].start = mb->start;
			map->bars[i].size = mb->size;
			map->bars[i].nr_segs = e.nr - start;
			map->bars[i].segs = &map->segs[start];
		}
	}
	*nr = e.nr;
	return 0;
}

/* The checks that need no BAR offsets (rules 2 and 3). */
static int map_check_input(struct map_builder *b)
{
	int ret;

	ret = map_check_bars(b);
	if (ret)
		return ret;
	ret = map_check_msix(b);
	if (ret)
		return ret;
	return map_check_ranges(b);
}

/**
 * ccda_map_build() - build a device's secure MMIO map
 * @layout: the device's BARs and MSI-X structures
 * @report: the device's interface report, from ccda_report_parse()
 * @params: page size, offset mode and, for %CCDA_OFFSET_TRANSLATE, the
 *	translation callback
 * @out: set to the map on success, to %NULL on failure
 * @diag: optional; on failure set to the reason and the offending report
 *	range (-1 when the input as a whole is at fault), on success to a
 *	%NULL reason and index -1
 *
 * Partitions every memory BAR of @layout following the rules in "Secure
 * MMIO map" above.  Nothing is published unless every check passed: on
 * failure *@out is %NULL and nothing stays allocated.  Neither @layout nor
 * @report is referenced after the call returns.
 *
 * Context: Process context; may sleep (GFP_KERNEL allocations and
 * @params->translate).
 * Return: 0 on success, with *@out to be released by ccda_map_free();
 * -EINVAL for a %NULL argument, a bad page size or offset mode, a missing
 * translate callback, a report of more than %CCDA_REPORT_MAX_RANGES ranges,
 * an inconsistent layout (BAR size, alignment, overlap or flags, MSI-X
 * size, BIR, alignment or placement), a RANGE_ID that is not an implemented memory BAR
 * or is the upper half of a 64-bit BAR, a range of zero pages, ranges of one
 * BAR out of order or overlapping, a TEE range overlapping the MSI-X table
 * or PBA, a translated offset that is not 4 KiB aligned, or a private
 * segment splitting a CPU page; -ERANGE for a range outside its BAR (or, in
 * %CCDA_OFFSET_BAR_ALIGN mode, outside the window of the BAR's first range);
 * -EOPNOTSUPP for an MSI-X range that is TEE memory; -EOVERFLOW for a range
 * beyond the 64-bit address space; -ENOMEM on allocation failure; the
 * negative errno @params->translate returned, or -EINVAL if it returned a
 * positive value.
 */
int ccda_map_build(const struct ccda_layout *layout,
		   const struct ccda_report *report,
		   const struct ccda_map_params *params,
		   struct ccda_map **out, struct ccda_diag *diag)
{
	u32 nr_segs, check;
	int ret;

	if (!out)
		return ccda_map_reject(diag, -EINVAL, "no pointer for the map",
				       -1);
	*out = NULL;

	ret = map_check_args(layout, report, params, diag);
	if (ret)
		return ret;

	struct map_builder *b __free(kfree) = kzalloc(sizeof(*b), GFP_KERNEL);
	if (!b)
		return ccda_map_reject(diag, -ENOMEM,
				       "out of memory for the map builder", -1);
	b->layout = layout;
	b->report = report;
	b->params = params;
	b->diag = diag;

	ret = map_check_input(b);
	if (ret)
		return ret;

	struct map_piece *pieces __free(kvfree) =
		kvmalloc_array(report->nr_ranges, sizeof(*pieces), GFP_KERNEL);
	if (!pieces)
		return ccda_map_reject(diag, -ENOMEM,
				       "out of memory for the range table", -1);
	b->pieces = pieces;

	ret = map_place_ranges(b);
	if (ret)
		return ret;
	ret = map_generate(b, NULL, &nr_segs);
	if (ret)
		return ret;

	struct ccda_map *map __free(kvfree) =
		kvzalloc(struct_size(map, segs, nr_segs), GFP_KERNEL);
	if (!map)
		return ccda_map_reject(diag, -ENOMEM,
				       "out of memory for the map", -1);
	map->nr_segs = nr_segs;
	map->page_size = params->page_size;

	/* The same input, generated again: it cannot fail or change size. */
	ret = map_generate(b, map, &check);
	if (ret)
		return ret;
	if (WARN_ON_ONCE(check != nr_segs))
		return ccda_map_reject(diag, -EINVAL,
				       "map changed between count and fill",
				       -1);

	ccda_diag_clear(diag);
	ccda_map_live_inc();
	*out = no_free_ptr(map);
	return 0;
}
EXPORT_SYMBOL_GPL(ccda_map_build);

/**
 * ccda_map_free() - release a map from ccda_map_build()
 * @map: the map, or %NULL
 *
 * %NULL is a no-op.
 *
 * Context: Any context except NMI.
 */
void ccda_map_free(struct ccda_map *map)
{
	if (!map)
		return;

	ccda_map_live_dec();
	kvfree(map);
}
EXPORT_SYMBOL_GPL(ccda_map_free);

static enum ccda_map_class map_seg_class(enum ccda_seg_kind kind)
{
	switch (kind) {
	case CCDA_SEG_PRIVATE:
		return CCDA_CLASS_PRIVATE;
	case CCDA_SEG_UNREPORTED:
		return CCDA_CLASS_UNREPORTED;
	default:
		return CCDA_CLASS_SHARED;
	}
}

/* bsearch() key: a BAR offset; a segment matches when it holds it. */
static int map_seg_cmp(const void *key, const void *elt)
{
	u64 off = *(const u64 *)key;
	const struct ccda_segment *s = elt;

	if (off < s->offset)
		return -1;
	if (off - s->offset >= s->size)
		return 1;
	return 0;
}

/**
 * ccda_map_classify() - what an address range of a device is
 * @map: a published map
 * @addr: CPU physical address of the first byte (BAR start + offset)
 * @len: length in bytes
 * @class: set to the class on success
 * @diag: optional; on failure set to the reason (index -1), on success to
 *	a %NULL reason and index -1
 *
 * Finds the BAR holding [@addr, @addr + @len) and, by binary search, the
 * segment holding @addr, then walks the segments the range covers.
 * MSI-X segments count as shared.
 *
 * Context: Any context; does not sleep or allocate.
 * Return: 0 with *@class set when the whole range is of one class
 * (%CCDA_CLASS_PRIVATE, %CCDA_CLASS_SHARED or %CCDA_CLASS_UNREPORTED);
 * -EINVAL for a %NULL @map or @class, a zero @len, a range that wraps the
 * 64-bit address space, or one that straddles classes; -ERANGE when the
 * range does not lie inside one memory BAR.
 */
int ccda_map_classify(const struct ccda_map *map, u64 addr, u64 len,
		      enum ccda_map_class *class, struct ccda_diag *diag)
{
	const struct ccda_map_bar *mb = NULL;
	const struct ccda_segment *s, *end;
	enum ccda_map_class c;
	u64 last, off, off_last;
	unsigned int i;

	if (!map || !class)
		return map_classify_reject(diag, -EINVAL,
					   "no map or no result pointer");
	if (!len)
		return map_classify_reject(diag, -EINVAL,
					   "empty address range");
	if (check_add_overflow(addr, len - 1, &last))
		return map_classify_reject(diag, -EINVAL,
					   "address range wraps the 64-bit address space");

	for (i = 0; i < CCDA_NR_BARS; i++) {
		const struct ccda_map_bar *bar = &map->bars[i];

		if (bar->size && addr >= bar->start &&
		    addr - bar->start < bar->size) {
			mb = bar;
			break;
		}
	}
	if (!mb || last - mb->start >= mb->size)
		return map_classify_reject(diag, -ERANGE,
					   "address range is not inside one BAR");

	off = addr - mb->start;
	off_last = last - mb->start;
	s = bsearch(&off, mb->segs, mb->nr_segs, sizeof(*s), map_seg_cmp);
	if (WARN_ON_ONCE(!s))
		return map_classify_reject(diag, -EINVAL,
					   "map does not tile its BAR");

	c = map_seg_class(s->kind);
	end = mb->segs + mb->nr_segs;
	while (off_last - s->offset >= s->size) {
		if (WARN_ON_ONCE(++s == end))
			return map_classify_reject(diag, -EINVAL,
						   "map does not tile its BAR");
		if (map_seg_class(s->kind) != c)
			return map_classify_reject(diag, -EINVAL,
						   "address range straddles MMIO of different kinds");
	}

	ccda_diag_clear(diag);
	*class = c;
	return 0;
}
EXPORT_SYMBOL_GPL(ccda_map_classify);
