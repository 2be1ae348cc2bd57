// SPDX-License-Identifier: GPL-2.0-only
/*
 * libFuzzer target over the report -> map -> plan path, built from the
 * kernel core's own sources (see tools/Makefile).
 *
 * Input layout (little-endian), then the report bytes as the TSM would hand
 * them over:
 *
 *   0      u8   page size: 0 4K, 1 16K, 2 64K (mod 3)
 *   1      u8   offset mode: 0 bar-align, 1 relative, 2 translate (mod 3)
 *   2      u8   block sizes: index into fuzz_block_sizes[] (mod its size)
 *   3      u8   bit 0: give guest bases; bits 7:1: their 4K-page skew
 *   4      6 x { u8 log2 size (0: no BAR), u8 flags, u32 start / size }
 *   40     u16 MSI-X entries (0: none), u8 table BIR, u8 PBA BIR,
 *          u32 table offset, u32 PBA offset
 *   52...  the report
 *
 * Every accepted input is checked against an oracle written here, not
 * taken from the core: the segments tile each BAR exactly; every byte of a
 * segment is what the report and config space say it is (private bytes
 * only from TEE ranges, at the PA their range gives; config-space MSI-X
 * pages always MSI-X); no CPU page is split between private and anything
 * else; the plan covers the private segments exactly with supported blocks
 * aligned in both address spaces, and no larger block fitted at any step;
 * classification agrees with the segments.  Every input, accepted or not,
 * must leave no allocation behind.  A violation aborts with a message.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ccda.h"
#include "ccda_private.h"

#define FUZZ_HDR_LEN		52
#define FUZZ_MAX_RANGES		4096

bool ccda_shim_debug;
long ccda_shim_allocs;
size_t ccda_shim_bytes;
size_t ccda_shim_peak;

/*
 * What happened to the inputs, printed at exit when CCDA_FUZZ_STATS is set
 * (the seed corpus must mostly reach the plan, or it seeds nothing).
 */
static struct {
	unsigned long inputs, short_inputs, report_refused, map_refused;
	unsigned long planned, plan_refused;
} stats;

static void print_stats(void)
{
	fprintf(stderr,
		"ccda_fuzz: %lu inputs: %lu short, %lu reports refused, %lu maps refused, %lu plans built, %lu plans refused\n",
		stats.inputs, stats.short_inputs, stats.report_refused,
		stats.map_refused, stats.planned, stats.plan_refused);
}

static const u64 fuzz_block_sizes[] = {
	CCDA_PLAN_RANGES,
	SZ_4K,
	SZ_4K | SZ_2M,
	SZ_4K | SZ_2M | SZ_1G,
	SZ_2M,
	SZ_4K | SZ_16K | SZ_64K,
	SZ_64K | SZ_2M,
	SZ_4K << 1,
};

static const unsigned int fuzz_page_sizes[] = { SZ_4K, SZ_16K, SZ_64K };

__printf(1, 2) static void fail(const char *fmt, ...)
{
	va_list ap;

	fprintf(stderr, "ccda_fuzz: invariant broken: ");
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fprintf(stderr, "\n");
	abort();
}

/*
 * The translate callback of TRANSLATE mode: the BAR offset is the PA modulo
 * a BAR-sized window, except that one page in 97 fails, so that a failing
 * translation is exercised too.
 */
struct fuzz_ctx {
	const struct ccda_layout *layout;
};

static int fuzz_translate(void *ctx, unsigned int bar, u64 pa, u64 len,
			  u64 *offset)
{
	const struct fuzz_ctx *fc = ctx;
	u64 size = fc->layout->bars[bar].size;

	if ((pa >> CCDA_REPORT_UNIT_SHIFT) % 97 == 96)
		return -EIO;
	*offset = size ? pa % size : 0;
	return 0;
}

static void decode_layout(const u8 *d, struct ccda_layout *layout)
{
	unsigned int i;

	memset(layout, 0, sizeof(*layout));
	for (i = 0; i < CCDA_NR_BARS; i++) {
		const u8 *b = d + 4 + 6 * i;
		unsigned int lg = b[0];

		if (!lg)
			continue;
		layout->bars[i].size = lg < 64 ? 1ULL << lg : 0;
		layout->bars[i].flags = b[1] & 0xf;
		layout->bars[i].start = (u64)get_unaligned_le32(b + 2) *
					layout->bars[i].size;
	}
	layout->msix.nr_entries = get_unaligned_le16(d + 40);
	layout->msix.table_bir = d[42];
	layout->msix.pba_bir = d[43];
	layout->msix.table_offset = get_unaligned_le32(d + 44);
	layout->msix.pba_offset = get_unaligned_le32(d + 48);
}

/* The oracle's idea of where each range sits in its BAR. */
static void range_offsets(const struct ccda_layout *layout,
			  const struct ccda_report *report,
			  enum ccda_offset_mode mode, u64 *off)
{
	u64 base[CCDA_NR_BARS];
	bool seen[CCDA_NR_BARS] = { };
	u32 i;

	for (i = 0; i < report->nr_ranges; i++) {
		const struct ccda_report_range *r = &report->ranges[i];
		u64 pa = ccda_range_pa(r), size = layout->bars[r->range_id].size;

		switch (mode) {
		case CCDA_OFFSET_BAR_ALIGN:
		case CCDA_OFFSET_TRANSLATE:
			off[i] = pa % size;
			break;
		case CCDA_OFFSET_RELATIVE:
			if (!seen[r->range_id]) {
				seen[r->range_id] = true;
				base[r->range_id] = pa;
			}
			off[i] = pa - base[r->range_id];
			break;
		}
	}
}

static bool is_tee(const struct ccda_report_range *r)
{
	return !(r->flags & (CCDA_RANGE_NON_TEE | CCDA_RANGE_MSIX_TABLE |
			     CCDA_RANGE_MSIX_PBA));
}

static bool is_msix_range(const struct ccda_report_range *r)
{
	return r->flags & (CCDA_RANGE_MSIX_TABLE | CCDA_RANGE_MSIX_PBA);
}

struct span {
	u64 lo, hi;
};

/* Config-space MSI-X structures of @bar, rounded out to report units. */
static unsigned int msix_spans(const struct ccda_layout *layout,
			       unsigned int bar, struct span *s)
{
	const struct ccda_msix_layout *m = &layout->msix;
	unsigned int n = 0;
	u64 len;

	if (!m->nr_entries)
		return 0;
	if (m->table_bir == bar) {
		len = (u64)CCDA_MSIX_ENTRY_SIZE * m->nr_entries;
		s[n].lo = ALIGN_DOWN((u64)m->table_offset, SZ_4K);
		s[n].hi = ALIGN((u64)m->table_offset + len, SZ_4K);
		n++;
	}
	if (m->pba_bir == bar) {
		len = 8 * DIV_ROUND_UP((u64)m->nr_entries,
				       CCDA_MSIX_PBA_QWORD_ENTRIES);
		s[n].lo = ALIGN_DOWN((u64)m->pba_offset, SZ_4K);
		s[n].hi = ALIGN((u64)m->pba_offset + len, SZ_4K);
		n++;
	}
	return n;
}

static bool overlaps(u64 a_lo, u64 a_hi, u64 b_lo, u64 b_hi)
{
	return a_lo < b_hi && b_lo < a_hi;
}

/*
 * Does the union of the intervals that @pick selects cover [@lo, @hi)?
 * Ranges of one BAR are ascending in an accepted report, and the spans
 * come after them, so a sweep over the sorted candidates does it.
 */
struct cand {
	u64 lo, hi;
};

static int cand_cmp(const void *a, const void *b)
{
	const struct cand *x = a, *y = b;

	return x->lo < y->lo ? -1 : x->lo > y->lo;
}

static bool covered(struct cand *c, unsigned int n, u64 lo, u64 hi)
{
	unsigned int i;
	u64 at = lo;

	qsort(c, n, sizeof(*c), cand_cmp);
	for (i = 0; i < n && at < hi; i++) {
		if (c[i].lo > at)
			return false;
		if (c[i].hi > at)
			at = c[i].hi;
	}
	return at >= hi;
}

/*
 * Every byte of @s must be what the inputs say: a private segment lies in
 * TEE ranges only, at their PA; a shared one in plain non-TEE ranges; an
 * MSI-X one in config-space MSI-X pages or MSI-X-flagged ranges; an
 * unreported one in nothing at all.  Config-space MSI-X pages are never
 * private, shared or unreported.
 */
static void check_segment(const struct ccda_layout *layout,
			  const struct ccda_report *report, const u64 *off,
			  unsigned int bar, const struct ccda_segment *s,
			  struct cand *cand)
{
	bool msix_kind = s->kind == CCDA_SEG_MSIX_TABLE ||
			 s->kind == CCDA_SEG_MSIX_PBA;
	u64 lo = s->offset, hi = s->offset + s->size;
	unsigned int nsp, n = 0, i;
	struct span sp[2];

	nsp = msix_spans(layout, bar, sp);
	for (i = 0; i < nsp; i++) {
		if (!overlaps(lo, hi, sp[i].lo, sp[i].hi))
			continue;
		if (!msix_kind)
			fail("BAR%u kind %d [%llx, %llx) over config-space MSI-X",
			     bar, s->kind, lo, hi);
		cand[n++] = (struct cand){ sp[i].lo, sp[i].hi };
	}

	for (i = 0; i < report->nr_ranges; i++) {
		const struct ccda_report_range *r = &report->ranges[i];
		u64 rlo = off[i], rhi = off[i] + ccda_range_size(r);

		if (r->range_id != bar || !overlaps(lo, hi, rlo, rhi))
			continue;
		switch (s->kind) {
		case CCDA_SEG_PRIVATE:
			if (!is_tee(r))
				fail("BAR%u private [%llx, %llx) meets non-TEE range %u",
				     bar, lo, hi, i);
			if (s->pa - lo != ccda_range_pa(r) - rlo)
				fail("BAR%u private [%llx, %llx) pa %llx disagrees with range %u",
				     bar, lo, hi, s->pa, i);
			cand[n++] = (struct cand){ rlo, rhi };
			break;
		case CCDA_SEG_SHARED:
			if (is_tee(r) || is_msix_range(r))
				fail("BAR%u shared [%llx, %llx) meets range %u",
				     bar, lo, hi, i);
			cand[n++] = (struct cand){ rlo, rhi };
			break;
		case CCDA_SEG_MSIX_TABLE:
		case CCDA_SEG_MSIX_PBA:
			if (is_tee(r))
				fail("BAR%u MSI-X [%llx, %llx) meets TEE range %u",
				     bar, lo, hi, i);
			if (is_msix_range(r))
				cand[n++] = (struct cand){ rlo, rhi };
			break;
		case CCDA_SEG_UNREPORTED:
			fail("BAR%u unreported [%llx, %llx) meets range %u",
			     bar, lo, hi, i);
		}
	}

	if (s->kind != CCDA_SEG_UNREPORTED && !covered(cand, n, lo, hi))
		fail("BAR%u kind %d [%llx, %llx) not covered by what says so",
		     bar, s->kind, lo, hi);
}

static void check_map(const struct ccda_layout *layout,
		      const struct ccda_report *report,
		      const struct ccda_map_params *params,
		      const struct ccda_map *map)
{
	u64 *off = calloc(report->nr_ranges + 1, sizeof(*off));
	struct cand *cand = calloc(report->nr_ranges + 3, sizeof(*cand));
	unsigned int bar, j;
	u32 i;

	if (!off || !cand)
		abort();
	range_offsets(layout, report, params->mode, off);

	/* Every range lies inside a memory BAR the map partitions. */
	for (i = 0; i < report->nr_ranges; i++) {
		const struct ccda_report_range *r = &report->ranges[i];

		if (r->range_id >= CCDA_NR_BARS ||
		    !map->bars[r->range_id].size ||
		    off[i] > map->bars[r->range_id].size ||
		    ccda_range_size(r) > map->bars[r->range_id].size - off[i])
			fail("range %u accepted outside its BAR", i);
	}

	for (bar = 0; bar < CCDA_NR_BARS; bar++) {
		const struct ccda_map_bar *mb = &map->bars[bar];
		u64 at = 0;

		if (!mb->size)
			continue;
		if (mb->size != layout->bars[bar].size ||
		    mb->start != layout->bars[bar].start)
			fail("BAR%u start or size changed", bar);
		for (j = 0; j < mb->nr_segs; j++) {
			const struct ccda_segment *s = &mb->segs[j];

			if (s->offset != at || !s->size)
				fail("BAR%u segment %u does not tile", bar, j);
			at += s->size;
			if (j && s->kind == mb->segs[j - 1].kind &&
			    (s->kind != CCDA_SEG_PRIVATE ||
			     s->pa == mb->segs[j - 1].pa + mb->segs[j - 1].size))
				fail("BAR%u segments %u and %u should merge",
				     bar, j - 1, j);
			if (s->kind == CCDA_SEG_PRIVATE &&
			    (!IS_ALIGNED(s->offset, params->page_size) ||
			     !IS_ALIGNED(s->offset + s->size, params->page_size)))
				fail("BAR%u private segment %u splits a CPU page",
				     bar, j);
			check_segment(layout, report, off, bar, s, cand);
		}
		if (at != mb->size)
			fail("BAR%u tiled to %llx of %llx", bar, at, mb->size);
	}
	free(cand);
	free(off);
}

static void check_classify(const struct ccda_map *map)
{
	struct ccda_diag diag;
	unsigned int bar, j;

	for (bar = 0; bar < CCDA_NR_BARS; bar++) {
		const struct ccda_map_bar *mb = &map->bars[bar];

		for (j = 0; j < mb->nr_segs && j < 64; j++) {
			const struct ccda_segment *s = &mb->segs[j];
			enum ccda_map_class want, got;

			want = s->kind == CCDA_SEG_PRIVATE ? CCDA_CLASS_PRIVATE :
			       s->kind == CCDA_SEG_UNREPORTED ?
			       CCDA_CLASS_UNREPORTED : CCDA_CLASS_SHARED;
			if (ccda_map_classify(map, mb->start + s->offset,
					      s->size, &got, &diag) ||
			    got != want)
				fail("BAR%u segment %u classified wrongly", bar, j);
			if (j && s->kind == CCDA_SEG_PRIVATE &&
			    mb->segs[j - 1].kind != CCDA_SEG_PRIVATE &&
			    ccda_map_classify(map, mb->start + s->offset - 1, 2,
					      &got, &diag) != -EINVAL)
				fail("BAR%u straddle at segment %u accepted", bar, j);
		}
	}
}

/* Greedy property: no supported block larger than @size fitted here. */
static void check_greedy(u32 call, u64 block_sizes, u64 addr, u64 pa,
			 u64 size, u64 left)
{
	u64 t;

	for (t = size << 1; t && t <= block_sizes; t <<= 1)
		if ((block_sizes & t) && !(addr % t) && !(pa % t) && t <= left)
			fail("call %u: a 0x%llx block fitted", call, t);
}

static void check_plan(const struct ccda_map *map, const u64 *guest_base,
		       u64 block_sizes, const struct ccda_plan *plan)
{
	unsigned int bar, j;
	u32 c = 0;

	for (bar = 0; bar < CCDA_NR_BARS; bar++) {
		const struct ccda_map_bar *mb = &map->bars[bar];
		u64 base = guest_base ? guest_base[bar] : mb->start;

		for (j = 0; j < mb->nr_segs; j++) {
			const struct ccda_segment *s = &mb->segs[j];
			u64 addr = base + s->offset, pa = s->pa;
			/* what is left: the segment may end exactly at 2^64 */
			u64 left = s->size;

			if (s->kind != CCDA_SEG_PRIVATE)
				continue;
			for (; left; c++) {
				const struct ccda_plan_call *k;

				if (c >= plan->nr_calls)
					fail("plan ends inside BAR%u segment %u", bar, j);
				k = &plan->calls[c];
				if (k->bar != bar || k->addr != addr || k->pa != pa ||
				    !k->size || k->size > left)
					fail("call %u does not continue BAR%u segment %u",
					     c, bar, j);
				if (block_sizes == CCDA_PLAN_RANGES && k->size != s->size)
					fail("range call %u is not its segment", c);
				if (block_sizes != CCDA_PLAN_RANGES &&
				    (!(block_sizes & k->size) || addr % k->size ||
				     pa % k->size))
					fail("call %u: unsupported or unaligned block", c);
				if (block_sizes != CCDA_PLAN_RANGES)
					check_greedy(c, block_sizes, addr, pa, k->size,
						     left);
				addr += k->size;
				pa += k->size;
				left -= k->size;
			}
		}
	}
	if (c != plan->nr_calls)
		fail("plan has %u calls past the private segments",
		     plan->nr_calls - c);
}

static void run(const u8 *data, size_t size)
{
	struct ccda_map_params params = { };
	struct ccda_diag diag = { .index = -1 };
	struct ccda_report *report = NULL;
	struct ccda_map *map = NULL;
	struct ccda_plan *plan = NULL;
	struct ccda_layout layout;
	struct fuzz_ctx ctx = { .layout = &layout };
	u64 guest_base[CCDA_NR_BARS], *gb = NULL, blocks, count;
	unsigned int i;
	int ret;

	stats.inputs++;
	if (size < FUZZ_HDR_LEN) {
		stats.short_inputs++;
		return;
	}

	decode_layout(data, &layout);
	params.page_size = fuzz_page_sizes[data[0] % ARRAY_SIZE(fuzz_page_sizes)];
	params.mode = data[1] % 3;
	params.translate = fuzz_translate;
	params.ctx = &ctx;
	blocks = fuzz_block_sizes[data[2] % ARRAY_SIZE(fuzz_block_sizes)];
	if (data[3] & 1) {
		for (i = 0; i < CCDA_NR_BARS; i++)
			guest_base[i] = layout.bars[i].start +
					((u64)(data[3] >> 1) << 12);
		gb = guest_base;
	}

	ret = ccda_report_parse(data + FUZZ_HDR_LEN, size - FUZZ_HDR_LEN,
				&report, &diag);
	if (ret) {
		if (report || !diag.reason || ccda_shim_live())
			fail("refused report left state (%d, %ld live)", ret,
			     ccda_shim_live());
		stats.report_refused++;
		return;
	}
	if (report->nr_ranges > FUZZ_MAX_RANGES)
		goto out;

	ret = ccda_map_build(&layout, report, &params, &map, &diag);
	if (ret) {
		if (map || !diag.reason || ccda_shim_live() != 1)
			fail("refused map left state (%d, %ld live)", ret,
			     ccda_shim_live());
		stats.map_refused++;
		goto out;
	}
	check_map(&layout, report, &params, map);
	check_classify(map);

	ret = ccda_plan_count(map, gb, blocks, &count, &diag);
	if (!ret && count <= CCDA_PLAN_MAX_CALLS) {
		ret = ccda_plan_build(map, gb, blocks, &plan, &diag);
		if (ret)
			fail("plan of %llu calls counted but not built (%d)",
			     count, ret);
		if (plan->nr_calls != count)
			fail("plan has %u calls, count said %llu",
			     plan->nr_calls, count);
		check_plan(map, gb, blocks, plan);
		ccda_plan_free(plan);
		stats.planned++;
	} else if (!ret) {
		stats.plan_refused++;
		if (ccda_plan_build(map, gb, blocks, &plan, &diag) != -E2BIG ||
		    plan)
			fail("oversized plan not refused");
	} else {
		if (ccda_plan_build(map, gb, blocks, &plan, &diag) != ret || plan)
			fail("count refused with %d, build did not", ret);
		stats.plan_refused++;
	}
	ccda_map_free(map);
out:
	ccda_report_free(report);
	if (ccda_shim_live())
		fail("%ld allocations left behind", ccda_shim_live());
}

/*
 * libFuzzer's entry point, LLVMFuzzerTestOneInput; the build supplies the
 * name as CCDA_FUZZ_ENTRY.
 */
int CCDA_FUZZ_ENTRY(const u8 *data, size_t size);

int CCDA_FUZZ_ENTRY(const u8 *data, size_t size)
{
	static bool registered;

	if (!registered && getenv("CCDA_FUZZ_STATS")) {
		registered = true;
		atexit(print_stats);
	}
	run(data, size);
	return 0;
}
