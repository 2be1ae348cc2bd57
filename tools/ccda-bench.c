// SPDX-License-Identifier: GPL-2.0-only
/*
 * ccda-bench - what the secure map and the call plan cost, in figures.
 *
 * For realistic layouts and for reports of 1, 64, 4096 and 65535 ranges it
 * prints: the time to parse the report, build the map and build the plan
 * (median of repeated runs, CLOCK_MONOTONIC), the peak memory the core
 * allocated, and the firmware calls each backend's plan makes, next to two
 * baselines: one call per 4 KiB page (what the TDX and SEV RFCs did) and one
 * call per private report range.  Built from the kernel's own core sources.
 *
 *   ccda-bench [--quick]
 *
 * Exit status: 0, or 1 when a layout that must be accepted is refused or
 * the core leaked an allocation.
 */
#define _GNU_SOURCE
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "ccda.h"
#include "ccda_private.h"
#include "ccda-tool.h"

#define MSIX_TABLE	CCDA_RANGE_MSIX_TABLE
#define MSIX_PBA	CCDA_RANGE_MSIX_PBA
#define NON_TEE		CCDA_RANGE_NON_TEE

struct bench_range {
	u64 pa;
	u64 size;
	u16 flags;
	u16 bar;
};

struct bench_case {
	const char *name;
	struct ccda_layout layout;
	struct bench_range *ranges;
	u32 nr_ranges;
};

static u8 *report_bytes(const struct bench_case *bc, size_t *len)
{
	size_t n = CCDA_REPORT_HDR_SIZE +
		   (size_t)bc->nr_ranges * CCDA_REPORT_RANGE_SIZE +
		   CCDA_REPORT_DSI_LEN_SIZE;
	u8 *buf = calloc(1, n), *p;
	u32 i;

	if (!buf)
		return NULL;
	p = buf + 12;
	memcpy(p, &(u32){ htole32(bc->nr_ranges) }, 4);
	p = buf + CCDA_REPORT_HDR_SIZE;
	for (i = 0; i < bc->nr_ranges; i++, p += CCDA_REPORT_RANGE_SIZE) {
		const struct bench_range *r = &bc->ranges[i];
		u64 page = htole64(r->pa >> CCDA_REPORT_UNIT_SHIFT);
		u32 pages = htole32(r->size >> CCDA_REPORT_UNIT_SHIFT);
		u32 attr = htole32(r->flags | (u32)r->bar << 16);

		memcpy(p, &page, 8);
		memcpy(p + 8, &pages, 4);
		memcpy(p + 12, &attr, 4);
	}
	*len = n;
	return buf;
}

static double now_us(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1e6 + ts.tv_nsec / 1e3;
}

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return x < y ? -1 : x > y;
}

#define RUNS_MAX 64

struct figures {
	double parse_us, map_us, plan_us;
	size_t peak;
	u32 segs;
};

/* Median of repeated parse / map / plan runs, and the peak memory of one. */
static int measure(const struct bench_case *bc, unsigned int runs,
		   struct figures *fig)
{
	double t_parse[RUNS_MAX], t_map[RUNS_MAX], t_plan[RUNS_MAX];
	struct ccda_map_params params = { .page_size = 4096 };
	struct ccda_diag diag = { .index = -1 };
	unsigned int r;
	size_t len;
	u8 *buf = report_bytes(bc, &len);

	if (!buf)
		return -1;
	for (r = 0; r < runs; r++) {
		struct ccda_report *report;
		struct ccda_map *map;
		struct ccda_plan *plan;
		double t0, t1, t2, t3;

		ccda_shim_peak = ccda_shim_bytes;
		t0 = now_us();
		if (ccda_report_parse(buf, len, &report, &diag))
			goto refused;
		t1 = now_us();
		if (ccda_map_build(&bc->layout, report, &params, &map, &diag)) {
			ccda_report_free(report);
			goto refused;
		}
		t2 = now_us();
		if (ccda_plan_build(map, NULL, SZ_4K | SZ_2M | SZ_1G, &plan, &diag)) {
			ccda_map_free(map);
			ccda_report_free(report);
			goto refused;
		}
		t3 = now_us();
		fig->peak = ccda_shim_peak;
		fig->segs = map->nr_segs;
		ccda_plan_free(plan);
		ccda_map_free(map);
		ccda_report_free(report);
		t_parse[r] = t1 - t0;
		t_map[r] = t2 - t1;
		t_plan[r] = t3 - t2;
	}
	free(buf);
	qsort(t_parse, runs, sizeof(double), cmp_double);
	qsort(t_map, runs, sizeof(double), cmp_double);
	qsort(t_plan, runs, sizeof(double), cmp_double);
	fig->parse_us = t_parse[runs / 2];
	fig->map_us = t_map[runs / 2];
	fig->plan_us = t_plan[runs / 2];
	return 0;
refused:
	fprintf(stderr, "ccda-bench: %s refused: %s (range %d)\n", bc->name,
		diag.reason, diag.index);
	free(buf);
	return -1;
}

/* Firmware calls per backend, and the two baselines. */
static int calls(const struct bench_case *bc, u64 *per_backend,
		 u64 *per_page, u64 *per_range)
{
	struct ccda_map_params params = { .page_size = 4096 };
	struct ccda_diag diag = { .index = -1 };
	struct ccda_report *report;
	struct ccda_map *map;
	unsigned int i;
	size_t len;
	u8 *buf = report_bytes(bc, &len);
	int ret = -1;

	if (!buf || ccda_report_parse(buf, len, &report, &diag))
		goto out;
	if (ccda_map_build(&bc->layout, report, &params, &map, &diag))
		goto out_report;
	for (i = 0; i < ccda_tool_nr_backends; i++)
		if (ccda_plan_count(map, NULL, ccda_tool_backends[i].block_sizes,
				    &per_backend[i], &diag))
			goto out_map;
	if (ccda_plan_count(map, NULL, SZ_4K, per_page, &diag))
		goto out_map;
	*per_range = 0;
	for (i = 0; i < report->nr_ranges; i++)
		if (!(report->ranges[i].flags & (NON_TEE | MSIX_TABLE | MSIX_PBA)))
			(*per_range)++;
	ret = 0;
out_map:
	ccda_map_free(map);
out_report:
	ccda_report_free(report);
out:
	if (ret)
		fprintf(stderr, "ccda-bench: %s: %s\n", bc->name,
			diag.reason ? diag.reason : "out of memory");
	free(buf);
	return ret;
}

static void set_bar(struct ccda_layout *l, unsigned int i, u64 start,
		    u64 size, u32 flags)
{
	l->bars[i].start = start;
	l->bars[i].size = size;
	l->bars[i].flags = CCDA_BAR_MEM | flags;
}

#define R(pa, size, flags, bar) { pa, size, flags, bar }

/*
 * GPU: BAR0 16M, MSI-X table at 8M and PBA at 8M + 4K; BAR1 64G 64-bit
 * prefetchable; BAR3 32M.  All private but the MSI-X pages.
 */
static struct bench_range gpu_ranges[] = {
	R(0xf0000000, SZ_8M, 0, 0),
	R(0xf0000000 + SZ_8M, SZ_4K, MSIX_TABLE | NON_TEE, 0),
	R(0xf0000000 + SZ_8M + SZ_4K, SZ_4K, MSIX_PBA | NON_TEE, 0),
	R(0xf0000000 + SZ_8M + SZ_8K, SZ_8M - SZ_8K, 0, 0),
	R(0x4000000000ULL, 64ULL * SZ_1G, 0, 1),
	R(0xe0000000, SZ_32M, 0, 3),
};

/* NIC: registers, MSI-X table and PBA in the middle of BAR0, registers. */
static struct bench_range nic_ranges[] = {
	R(0xfe000000, SZ_256K, 0, 0),
	R(0xfe000000 + SZ_256K, SZ_4K, MSIX_TABLE | NON_TEE, 0),
	R(0xfe000000 + SZ_256K + SZ_4K, SZ_4K, MSIX_PBA | NON_TEE, 0),
	R(0xfe000000 + SZ_256K + SZ_8K, SZ_1M - SZ_256K - SZ_8K, 0, 0),
	R(0xfe100000, SZ_16K, NON_TEE, 2),
};

/* NVMe: BAR0 16K, table at 0x2000; PBA at 0 of BAR4. */
static struct bench_range nvme_ranges[] = {
	R(0xfebf0000, SZ_8K, 0, 0),
	R(0xfebf0000 + SZ_8K, SZ_4K, MSIX_TABLE | NON_TEE, 0),
	R(0xfebf0000 + SZ_8K + SZ_4K, SZ_4K, 0, 0),
	R(0xfebf4000, SZ_4K, MSIX_PBA | NON_TEE, 4),
};

/* Several ranges per BAR, non-TEE ones between private ones. */
static struct bench_range multi_ranges[] = {
	R(0xc0000000, SZ_64K, 0, 0),
	R(0xc0000000 + SZ_64K, SZ_64K, NON_TEE, 0),
	R(0xc0000000 + SZ_128K, SZ_512K, 0, 0),
	R(0xc0000000 + SZ_1M, SZ_4K, NON_TEE, 0),
	R(0xc0000000 + SZ_1M + SZ_4K, SZ_1M - SZ_4K, 0, 0),
};

static void fixed_cases(struct bench_case *bc)
{
	memset(bc, 0, 4 * sizeof(*bc));

	bc[0].name = "gpu";
	set_bar(&bc[0].layout, 0, 0xf0000000, SZ_16M, 0);
	set_bar(&bc[0].layout, 1, 0x4000000000ULL, 64ULL * SZ_1G,
		CCDA_BAR_MEM64 | CCDA_BAR_PREFETCH);
	set_bar(&bc[0].layout, 3, 0xe0000000, SZ_32M, 0);
	bc[0].layout.msix = (struct ccda_msix_layout){
		.nr_entries = 64, .table_bir = 0, .table_offset = SZ_8M,
		.pba_bir = 0, .pba_offset = SZ_8M + SZ_4K };
	bc[0].ranges = gpu_ranges;
	bc[0].nr_ranges = ARRAY_SIZE(gpu_ranges);

	bc[1].name = "nic";
	set_bar(&bc[1].layout, 0, 0xfe000000, SZ_1M, 0);
	set_bar(&bc[1].layout, 2, 0xfe100000, SZ_16K, 0);
	bc[1].layout.msix = (struct ccda_msix_layout){
		.nr_entries = 128, .table_bir = 0, .table_offset = SZ_256K,
		.pba_bir = 0, .pba_offset = SZ_256K + SZ_4K };
	bc[1].ranges = nic_ranges;
	bc[1].nr_ranges = ARRAY_SIZE(nic_ranges);

	bc[2].name = "nvme";
	set_bar(&bc[2].layout, 0, 0xfebf0000, SZ_16K, CCDA_BAR_MEM64);
	set_bar(&bc[2].layout, 4, 0xfebf4000, SZ_4K, 0);
	bc[2].layout.msix = (struct ccda_msix_layout){
		.nr_entries = 32, .table_bir = 0, .table_offset = SZ_8K,
		.pba_bir = 4, .pba_offset = 0 };
	bc[2].ranges = nvme_ranges;
	bc[2].nr_ranges = ARRAY_SIZE(nvme_ranges);

	bc[3].name = "multi-range";
	set_bar(&bc[3].layout, 0, 0xc0000000, SZ_2M, 0);
	bc[3].ranges = multi_ranges;
	bc[3].nr_ranges = ARRAY_SIZE(multi_ranges);
}

/*
 * N ranges in one 64 GiB 64-bit BAR: range i is private when i is even and
 * non-TEE when odd, 4K..16K long, with 4K holes, so nothing merges and the
 * map has about 2N segments.  N == 1 is the whole BAR, private.
 */
static int synthetic_case(struct bench_case *bc, u32 n)
{
	u64 base = 0x4000000000ULL, at = 0;
	u32 i;

	memset(bc, 0, sizeof(*bc));
	bc->name = NULL;
	set_bar(&bc->layout, 0, base, 64ULL * SZ_1G,
		CCDA_BAR_MEM64 | CCDA_BAR_PREFETCH);
	bc->ranges = calloc(n, sizeof(*bc->ranges));
	if (!bc->ranges)
		return -1;
	bc->nr_ranges = n;
	if (n == 1) {
		bc->ranges[0] = (struct bench_range)R(base, 64ULL * SZ_1G, 0, 0);
		return 0;
	}
	for (i = 0; i < n; i++) {
		u64 size = SZ_4K * (1 + i % 4);

		bc->ranges[i] = (struct bench_range)R(base + at, size,
						     i % 2 ? NON_TEE : 0, 0);
		at += size + SZ_4K;
	}
	return 0;
}

static int run(struct bench_case *bc, unsigned int runs)
{
	u64 per_backend[8], per_page, per_range;
	struct figures fig;
	unsigned int i;

	if (measure(bc, runs, &fig) ||
	    calls(bc, per_backend, &per_page, &per_range))
		return -1;
	printf("%-12s %6u %6u %9.1f %9.1f %9.1f %10zu", bc->name,
	       bc->nr_ranges, fig.segs, fig.parse_us, fig.map_us,
	       fig.plan_us, fig.peak);
	for (i = 0; i < ccda_tool_nr_backends; i++)
		printf(" %8llu", (unsigned long long)per_backend[i]);
	printf(" %10llu %8llu\n", (unsigned long long)per_page,
	       (unsigned long long)per_range);
	return 0;
}

int main(int argc, char **argv)
{
	static const u32 sizes[] = { 1, 64, 4096, 65535 };
	bool quick = argc > 1 && !strcmp(argv[1], "--quick");
	unsigned int runs = quick ? 3 : 21, i;
	struct bench_case fixed[4];
	char names[4][24];
	int ret = 0;

	printf("ccda-bench: medians of %u runs; times in microseconds; memory is the\n"
	       "peak the core allocated (report + map + plan); calls are firmware calls\n"
	       "planned per backend, then one call per 4 KiB page and per private range.\n\n",
	       runs);
	printf("%-12s %6s %6s %9s %9s %9s %10s", "layout", "ranges", "segs",
	       "parse", "map", "plan", "peak B");
	for (i = 0; i < ccda_tool_nr_backends; i++)
		printf(" %8s", ccda_tool_backends[i].name);
	printf(" %10s %8s\n", "4K-pages", "ranges");

	fixed_cases(fixed);
	for (i = 0; i < ARRAY_SIZE(fixed); i++)
		if (run(&fixed[i], runs))
			ret = 1;

	for (i = 0; i < ARRAY_SIZE(sizes); i++) {
		struct bench_case bc;

		if (synthetic_case(&bc, sizes[i]))
			return 1;
		snprintf(names[i], sizeof(names[i]), "synth-%u", sizes[i]);
		bc.name = names[i];
		if (run(&bc, runs))
			ret = 1;
		free(bc.ranges);
	}
	if (ccda_shim_live()) {
		fprintf(stderr, "ccda-bench: %ld allocations leaked\n",
			ccda_shim_live());
		ret = 1;
	}
	return ret;
}
