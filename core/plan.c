// SPDX-License-Identifier: GPL-2.0-only
/**
 * DOC: Firmware call plan
 *
 * ccda_plan_build() turns the PRIVATE segments of a secure MMIO map into
 * the firmware calls a backend makes to establish them (TDX: one
 * TDH.MMIO.MAP per block; SEV-TIO: one RMPUPDATE per block; Arm CCA: one
 * RSI_VDEV_VALIDATE_MAPPING range per segment).  ccda_plan_count() says how
 * many calls that would be, without allocating anything.  Both are pure
 * functions of their arguments, so they are tested and benchmarked alone.
 *
 * The rules:
 *
 * 1. Only %CCDA_SEG_PRIVATE segments produce calls, BAR by BAR, then in
 *    offset order; SHARED, MSI-X and UNREPORTED segments produce none.
 * 2. A segment's guest address is @guest_base[bar] + offset when the caller
 *    gives guest bases, else the BAR's CPU address + offset; its PA is the
 *    segment's report PA.  The segment's last byte must be addressable in
 *    both spaces (-EOVERFLOW otherwise; the exclusive end may be 2^64).
 * 3. Block mode: @block_sizes is a bitmask of the block sizes, in bytes,
 *    that the firmware maps; each set bit is a power of two, and bits below
 *    4 KiB are refused (-EINVAL).  Each segment is covered exactly by the
 *    fewest blocks of supported sizes whose guest address and PA are both
 *    aligned to their size (a proof that the greedy choice is the fewest is
 *    at ccda_plan_blocks()).  A segment that no such blocks cover is refused
 *    (-EINVAL) and named in &struct ccda_diag.
 * 4. Range mode (@block_sizes == %CCDA_PLAN_RANGES): one call per segment
 *    covering all of it.  Its guest address, PA and size must be multiples
 *    of the firmware's 4 KiB granule (-EINVAL otherwise); the backend walks
 *    the range and checks the firmware's progress.
 * 5. The map is checked as it is walked: within a BAR, segments must be
 *    non-empty, in ascending order, disjoint and inside the BAR (-EINVAL).
 *    So calls come out in address order, and no plan can count more than
 *    six BARs' worth of 4 KiB pages: the count cannot overflow a u64.
 * 6. ccda_plan_count() has no limit: it is what benchmarks use for
 *    baselines.  ccda_plan_build() refuses plans of more than
 *    %CCDA_PLAN_MAX_CALLS calls (-E2BIG), allocates exactly the calls it
 *    fills, and publishes the plan through @out only when it is complete;
 *    on failure *@out is %NULL and nothing stays allocated.
 * 7. No loop runs once per 4 KiB page: a segment is planned in runs of
 *    equal blocks, at most two per supported size (so at most 104), so
 *    counting costs O(segments) and building O(segments + calls).
 *
 * Rejections are what a caller's input can trigger, so they are logged with
 * pr_debug() only; the success path is silent.
 */

#define pr_fmt(fmt) "ccda: " fmt

#include <linux/bits.h>
#include <linux/bug.h>
#include <linux/build_bug.h>
#include <linux/cleanup.h>
#include <linux/errno.h>
#include <linux/export.h>
#include <linux/limits.h>
#include <linux/log2.h>
#include <linux/overflow.h>
#include <linux/printk.h>
#include <linux/slab.h>
#include <kunit/visibility.h>

#include "ccda.h"
#include "ccda_private.h"

/* The firmware granule: the smallest block, and the range-call unit */
#define PLAN_GRANULE		CCDA_REPORT_UNIT
/* Bits of @block_sizes that would be blocks smaller than the granule */
#define PLAN_SUBGRANULE_SIZES	(PLAN_GRANULE - 1)

/* &struct ccda_plan counts its calls in a u32. */
static_assert(CCDA_PLAN_MAX_CALLS <= U32_MAX);
/*
 * Range mode is the empty mask: no block size, so it passes the
 * sub-granule check and can never be mistaken for a block mask.
 */
static_assert(CCDA_PLAN_RANGES == 0);

#if IS_ENABLED(CONFIG_KUNIT)
atomic_t ccda_plan_live = ATOMIC_INIT(0);
EXPORT_SYMBOL_IF_KUNIT(ccda_plan_live);
#endif

/**
 * struct ccda_plan_walk - one pass over a map
 * @block_sizes: the supported block sizes, or %CCDA_PLAN_RANGES
 * @calls: where to write the calls, or %NULL to count only
 * @room: entries in @calls
 * @nr: calls planned so far
 * @diag: where rejections go
 */
struct ccda_plan_walk {
	u64 block_sizes;
	struct ccda_plan_call *calls;
	u64 room;
	u64 nr;
	struct ccda_diag *diag;
};

static int ccda_plan_reject(struct ccda_diag *diag, int err,
			    const char *reason, int index)
{
	return ccda_reject(diag, err, "plan", "segment", reason, index);
}

/*
 * Plan @n consecutive calls of @size bytes each, the first at guest address
 * @addr and PA @pa.  The caller has proven that the last of them ends
 * inside the segment, so no address computed here wraps.
 */
static int ccda_plan_emit(struct ccda_plan_walk *w, u32 bar, u64 addr,
			  u64 pa, u64 size, u64 n)
{
	struct ccda_plan_call *call;
	u64 i;

	if (w->calls) {
		/*
		 * The calls were counted by an identical walk, so only a map
		 * changed under us (it must be immutable) gets here.
		 */
		if (WARN_ON_ONCE(n > w->room - w->nr))
			return ccda_plan_reject(w->diag, -EINVAL,
						"map changed while the plan was built",
						-1);
		for (i = 0; i < n; i++) {
			call = &w->calls[w->nr + i];
			call->bar = bar;
			call->addr = addr + i * size;
			call->pa = pa + i * size;
			call->size = size;
		}
	}
	w->nr += n;
	return 0;
}

/*
 * ccda_plan_blocks() - cover [@addr, @addr + @size) and [@pa, @pa + @size)
 * with the fewest blocks from @w->block_sizes aligned in both.
 *
 * Usable sizes.  A power of two t divides both x and y iff it divides x
 * and x - y.  Guest address and PA advance together, so their difference
 * is the same at every block of the segment, and its lowest set bit is the
 * lowest set bit of @addr ^ @pa.  A size above that bit is never aligned in
 * both anywhere in the segment; for every size up to it, alignment of the
 * guest address implies alignment of the PA.  Dropping the larger sizes
 * leaves a problem in the guest address alone: tile [A, E) with blocks
 * [x, x + t), t usable, t dividing x.
 *
 * Greedy is the fewest.  Greedy takes, at the current position x, the
 * largest usable t that divides x and fits before E.  Every usable size
 * divides every larger one, so aligned blocks are laminar: two of them are
 * either disjoint or nested.  Take any tiling T of [x, E) and greedy's
 * block G = [x, x + g).  T has a block starting at x, of some usable size
 * b that divides x and fits, so b <= g.  A block of T meeting G is nested
 * with G; one containing G would start at or before x, hence at x, and be
 * larger than g: impossible.  So the blocks of T meeting G lie inside G and
 * tile it: at least one of them.  Replacing them by G gives a tiling no
 * larger than T that starts like greedy; by induction on the rest,
 * [x + g, E), greedy needs no more blocks than T.  The same argument shows
 * greedy fails (no usable t divides x and fits) only if no tiling of
 * [x, E) exists, since every tiling has a block starting at x.
 *
 * Runs.  Greedy is not executed block by block.  Having chosen t at x, let
 * t' be the next larger usable size.  Greedy keeps choosing t until x
 * reaches a multiple of t' with at least t' left (then it chooses t' or
 * more), or until less than t is left (then it chooses less).  Both points
 * are computed directly, so each run is one iteration.  The runs first
 * grow in size (each ends on a larger alignment) and then shrink (each
 * ends with less than its size left), so a segment takes at most two runs
 * per usable size, whatever its length.
 */
static int ccda_plan_blocks(struct ccda_plan_walk *w, u32 bar, u64 addr,
			    u64 pa, u64 size, int index)
{
	u64 usable = w->block_sizes;
	u64 done = 0;
	int ret;

	if (addr != pa)
		usable &= GENMASK_ULL(__ffs64(addr ^ pa), 0);

	while (done < size) {
		u64 at = addr + done, left = size - done;
		u64 fit, bigger, next, misalign, gap, n;
		unsigned int shift;

		/* Usable sizes that fit in what is left and divide @at */
		fit = usable & GENMASK_ULL(ilog2(left), 0);
		if (at)
			fit &= GENMASK_ULL(__ffs64(at), 0);
		if (!fit)
			return ccda_plan_reject(w->diag, -EINVAL,
						"private segment cannot be covered by the supported block sizes",
						index);

		shift = ilog2(fit);
		n = left >> shift;

		bigger = usable & ~GENMASK_ULL(shift, 0);
		if (bigger) {
			next = BIT_ULL(__ffs64(bigger));
			misalign = at & (next - 1);
			if (misalign) {
				gap = next - misalign;
				if ((gap >> shift) < n && left - gap >= next)
					n = gap >> shift;
			}
		}

		ret = ccda_plan_emit(w, bar, at, pa + done, BIT_ULL(shift), n);
		if (ret)
			return ret;
		done += n << shift;
	}
	return 0;
}

static int ccda_plan_segment(struct ccda_plan_walk *w,
			     const struct ccda_map *map, const u64 *guest_base,
			     u32 bar, const struct ccda_segment *seg, int index)
{
	u64 base = guest_base ? guest_base[bar] : map->bars[bar].start;
	u64 addr, last;

	if (check_add_overflow(base, seg->offset, &addr) ||
	    check_add_overflow(addr, seg->size - 1, &last))
		return ccda_plan_reject(w->diag, -EOVERFLOW,
					"private segment's guest address overflows",
					index);

	if (check_add_overflow(seg->pa, seg->size - 1, &last))
		return ccda_plan_reject(w->diag, -EOVERFLOW,
					"private segment's PA overflows", index);

	if (w->block_sizes == CCDA_PLAN_RANGES) {
		if (!IS_ALIGNED(addr | seg->pa | seg->size, PLAN_GRANULE))
			return ccda_plan_reject(w->diag, -EINVAL,
						"private segment not 4 KiB aligned for a range call",
						index);
		return ccda_plan_emit(w, bar, addr, seg->pa, seg->size, 1);
	}

	return ccda_plan_blocks(w, bar, addr, seg->pa, seg->size, index);
}

/*
 * Walk every segment of @map, checking the map as it goes, and plan the
 * PRIVATE ones.  A segment's index is its position in @map->segs, counting
 * BAR by BAR, which is what &struct ccda_diag names.
 */
static int ccda_plan_walk(struct ccda_plan_walk *w, const struct ccda_map *map,
			  const u64 *guest_base)
{
	const struct ccda_segment *seg;
	u32 bar, i, seen = 0;
	u64 next, end;
	int ret;

	if (map->nr_segs > INT_MAX)
		return ccda_plan_reject(w->diag, -EINVAL,
					"map has more segments than a diagnostic can name",
					-1);

	for (bar = 0; bar < CCDA_NR_BARS; bar++) {
		const struct ccda_map_bar *mb = &map->bars[bar];

		if (mb->nr_segs > map->nr_segs - seen)
			return ccda_plan_reject(w->diag, -EINVAL,
						"BARs hold more segments than the map",
						-1);
		if (mb->nr_segs && !mb->segs)
			return ccda_plan_reject(w->diag, -EINVAL,
						"BAR has segments but no segment array",
						-1);

		next = 0;
		for (i = 0; i < mb->nr_segs; i++, seen++) {
			seg = &mb->segs[i];

			if (!seg->size)
				return ccda_plan_reject(w->diag, -EINVAL,
							"empty segment", seen);
			if (seg->offset < next)
				return ccda_plan_reject(w->diag, -EINVAL,
							"segment out of order or overlapping the previous one",
							seen);
			if (check_add_overflow(seg->offset, seg->size, &end) ||
			    end > mb->size)
				return ccda_plan_reject(w->diag, -EINVAL,
							"segment extends past its BAR",
							seen);
			next = end;

			if (seg->kind != CCDA_SEG_PRIVATE)
				continue;

			ret = ccda_plan_segment(w, map, guest_base, bar, seg,
						seen);
			if (ret)
				return ret;
		}
	}
	return 0;
}

static int ccda_plan_check_args(const struct ccda_map *map, u64 block_sizes,
				struct ccda_diag *diag)
{
	if (!map)
		return ccda_plan_reject(diag, -EINVAL, "no map", -1);

	if (block_sizes & PLAN_SUBGRANULE_SIZES)
		return ccda_plan_reject(diag, -EINVAL,
					"block size below 4 KiB", -1);
	return 0;
}

/**
 * ccda_plan_count() - count the calls that would establish a map
 * @map: the secure MMIO map
 * @guest_base: %NULL to use each BAR's CPU address, or %CCDA_NR_BARS guest
 *	addresses, one per BAR slot, at which the guest sees the BARs
 * @block_sizes: bitmask of the block sizes in bytes the firmware maps
 *	(e.g. ``SZ_4K | SZ_2M | SZ_1G``), or %CCDA_PLAN_RANGES for one range
 *	call per private segment
 * @count: set to the number of calls on success, to 0 on failure
 * @diag: optional; on failure set to the reason and the offending segment
 *	(its index in @map->segs, or -1 when the input as a whole is at
 *	fault), on success to a %NULL reason and index -1
 *
 * Plans @map following the rules in "Firmware call plan" above without
 * writing the plan down.  Unlike ccda_plan_build() there is no upper limit
 * on the count, and the cost does not grow with it.
 *
 * Context: Any context; does not sleep or allocate.
 * Return: 0 on success; -EINVAL if @map or @count is %NULL, a bit below
 * 4 KiB is set in @block_sizes, the segments of a BAR are empty, out of
 * order, overlapping or outside the BAR, a private segment cannot be
 * covered by the block sizes, or (range mode) is not 4 KiB aligned;
 * -EOVERFLOW if a private segment's guest address or PA passes the end of
 * the 64-bit address space.
 */
int ccda_plan_count(const struct ccda_map *map, const u64 *guest_base,
		    u64 block_sizes, u64 *count, struct ccda_diag *diag)
{
	struct ccda_plan_walk w = { .block_sizes = block_sizes, .diag = diag };
	int ret;

	if (!count)
		return ccda_plan_reject(diag, -EINVAL,
					"no pointer for the count", -1);
	*count = 0;

	ret = ccda_plan_check_args(map, block_sizes, diag);
	if (ret)
		return ret;

	ret = ccda_plan_walk(&w, map, guest_base);
	if (ret)
		return ret;

	*count = w.nr;
	ccda_diag_clear(diag);
	return 0;
}
EXPORT_SYMBOL_GPL(ccda_plan_count);

/**
 * ccda_plan_build() - plan the calls that establish a map's private MMIO
 * @map: the secure MMIO map
 * @guest_base: %NULL to use each BAR's CPU address, or %CCDA_NR_BARS guest
 *	addresses, one per BAR slot, at which the guest sees the BARs
 * @block_sizes: bitmask of the block sizes in bytes the firmware maps
 *	(e.g. ``SZ_4K | SZ_2M | SZ_1G``), or %CCDA_PLAN_RANGES for one range
 *	call per private segment
 * @out: set to the plan on success, to %NULL on failure
 * @diag: optional; on failure set to the reason and the offending segment
 *	(its index in @map->segs, or -1 when the input as a whole is at
 *	fault), on success to a %NULL reason and index -1
 *
 * Plans @map following the rules in "Firmware call plan" above: for each
 * private segment, BAR by BAR in address order, the fewest naturally
 * aligned blocks that cover it exactly, or one range.  The plan is built
 * privately and published through @out only when complete; @map and
 * @guest_base are not referenced after the call returns.
 *
 * Context: Process context; may sleep (GFP_KERNEL allocation).
 * Return: 0 on success, with *@out to be released by ccda_plan_free();
 * -EINVAL if @map or @out is %NULL, a bit below 4 KiB is set in
 * @block_sizes, the segments of a BAR are empty, out of order, overlapping
 * or outside the BAR, a private segment cannot be covered by the block
 * sizes, or (range mode) is not 4 KiB aligned; -EOVERFLOW if a private
 * segment's guest address or PA passes the end of the 64-bit address
 * space; -E2BIG if the plan needs more than %CCDA_PLAN_MAX_CALLS calls
 * (ccda_plan_count() still counts them); -ENOMEM on allocation failure.
 */
int ccda_plan_build(const struct ccda_map *map, const u64 *guest_base,
		    u64 block_sizes, struct ccda_plan **out,
		    struct ccda_diag *diag)
{
	struct ccda_plan_walk w = { .block_sizes = block_sizes, .diag = diag };
	u64 count;
	int ret;

	if (!out)
		return ccda_plan_reject(diag, -EINVAL,
					"no pointer for the plan", -1);
	*out = NULL;

	/* First pass: check everything and count, allocating nothing. */
	ret = ccda_plan_count(map, guest_base, block_sizes, &count, diag);
	if (ret)
		return ret;

	if (count > CCDA_PLAN_MAX_CALLS)
		return ccda_plan_reject(diag, -E2BIG,
					"plan needs more than CCDA_PLAN_MAX_CALLS calls",
					-1);

	struct ccda_plan *plan __free(kvfree) =
		kvzalloc(struct_size_t(struct ccda_plan, calls, count),
			 GFP_KERNEL);
	if (!plan)
		return ccda_plan_reject(diag, -ENOMEM,
					"out of memory for the plan", -1);

	plan->block_sizes = block_sizes;
	plan->nr_calls = count;

	/* Second pass: the same walk, writing the calls down. */
	w.calls = plan->calls;
	w.room = count;
	w.nr = 0;
	ret = ccda_plan_walk(&w, map, guest_base);
	if (ret)
		return ret;
	if (WARN_ON_ONCE(w.nr != count))
		return ccda_plan_reject(diag, -EINVAL,
					"map changed while the plan was built",
					-1);

	ccda_plan_live_inc();
	*out = no_free_ptr(plan);
	ccda_diag_clear(diag);
	return 0;
}
EXPORT_SYMBOL_GPL(ccda_plan_build);

/**
 * ccda_plan_free() - release a plan from ccda_plan_build()
 * @plan: the plan, or %NULL
 *
 * Context: Any context except NMI.
 */
void ccda_plan_free(struct ccda_plan *plan)
{
	if (!plan)
		return;

	ccda_plan_live_dec();
	kvfree(plan);
}
EXPORT_SYMBOL_GPL(ccda_plan_free);
