// SPDX-License-Identifier: GPL-2.0-only
/*
 * ccda-map - show the secure MMIO map and firmware call plan the ccda core
 * builds for a device and its TDISP interface report.
 *
 *   ccda-map --device DIR --report FILE [--backend arm-cca|tdx|sev-tio|cove]
 *            [--offset-mode bar-align|relative] [--page-size 4096|16384|65536]
 *            [--json] [--debug]
 *
 * DIR holds "resource" (the sysfs format: one "0x%016llx 0x%016llx
 * 0x%016llx" line of start, end and flags per resource) and "config" (binary
 * config space, 256 or 4096 bytes), so a real /sys/bus/pci/devices/<bdf>
 * directory works as it is when read as root.  The report, the map and the
 * plan come from the kernel's own core .c files, compiled here against
 * tools/include/ccda-shim.h.
 *
 * Exit status: 0 map built, 1 input rejected by the core, 2 usage or I/O.
 */
#define _GNU_SOURCE
#include <getopt.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ccda.h"
#include "ccda_private.h"
#include "ccda-tool.h"

static void print_usage(FILE *f)
{
	fprintf(f,
		"usage: ccda-map --device DIR --report FILE\n"
		"                [--backend arm-cca|tdx|sev-tio|cove]\n"
		"                [--offset-mode bar-align|relative]\n"
		"                [--page-size 4096|16384|65536] [--json] [--debug]\n");
}

static void print_text(const struct ccda_layout *layout,
		       const struct ccda_map *map,
		       const struct ccda_tool_backend *be,
		       const struct ccda_plan *plan)
{
	unsigned int i, j, n;

	printf("page size %u, %u segments\n\n", map->page_size, map->nr_segs);
	for (i = 0; i < CCDA_NR_BARS; i++) {
		const struct ccda_map_bar *bar = &map->bars[i];

		if (!bar->size)
			continue;
		printf("BAR%u  start 0x%016llx  size 0x%llx%s%s\n", i,
		       (unsigned long long)bar->start,
		       (unsigned long long)bar->size,
		       layout->bars[i].flags & CCDA_BAR_MEM64 ? "  64-bit" : "",
		       layout->bars[i].flags & CCDA_BAR_PREFETCH ?
		       "  prefetchable" : "");
		printf("  %-18s  %-18s  %-10s  %s\n", "offset", "size", "kind",
		       "report PA");
		for (j = 0; j < bar->nr_segs; j++) {
			const struct ccda_segment *s = &bar->segs[j];

			printf("  0x%016llx  0x%016llx  ",
			       (unsigned long long)s->offset,
			       (unsigned long long)s->size);
			if (s->kind == CCDA_SEG_PRIVATE)
				printf("%-10s  0x%016llx\n",
				       ccda_tool_kind_name(s->kind),
				       (unsigned long long)s->pa);
			else
				printf("%s\n", ccda_tool_kind_name(s->kind));
		}
		printf("\n");
	}

	printf("plan for %s (", be->name);
	ccda_tool_print_sizes(stdout, be->block_sizes, false);
	printf("): %u call%s of %s\n", plan->nr_calls,
	       plan->nr_calls == 1 ? "" : "s", be->call);

	/* Runs of equal, contiguous blocks are shown once, with a count. */
	for (i = 0; i < plan->nr_calls; i += n) {
		const struct ccda_plan_call *c = &plan->calls[i];

		for (n = 1; i + n < plan->nr_calls; n++) {
			const struct ccda_plan_call *d = &plan->calls[i + n];

			if (d->bar != c->bar || d->size != c->size ||
			    d->addr != c->addr + n * c->size ||
			    d->pa != c->pa + n * c->size)
				break;
		}
		printf("  BAR%u  addr 0x%016llx  pa 0x%016llx  size 0x%llx",
		       c->bar, (unsigned long long)c->addr,
		       (unsigned long long)c->pa, (unsigned long long)c->size);
		if (n > 1)
			printf(" x %u", n);
		printf("\n");
	}
}

static void print_json(const struct ccda_map *map,
		       const struct ccda_tool_backend *be,
		       const struct ccda_plan *plan)
{
	const char *sep = "";
	unsigned int i, j;

	printf("{\"bars\":[");
	for (i = 0; i < CCDA_NR_BARS; i++) {
		const struct ccda_map_bar *bar = &map->bars[i];

		if (!bar->size)
			continue;
		printf("%s{\"index\":%u,", sep, i);
		printf("\"start\":\"0x%llx\",", (unsigned long long)bar->start);
		printf("\"size\":\"0x%llx\",", (unsigned long long)bar->size);
		printf("\"segments\":[");
		sep = ",";
		for (j = 0; j < bar->nr_segs; j++) {
			const struct ccda_segment *s = &bar->segs[j];

			printf("%s{\"offset\":\"0x%llx\",", j ? "," : "",
			       (unsigned long long)s->offset);
			printf("\"size\":\"0x%llx\",", (unsigned long long)s->size);
			printf("\"kind\":\"%s\",\"pa\":",
			       ccda_tool_kind_name(s->kind));
			if (s->kind == CCDA_SEG_PRIVATE)
				printf("\"0x%llx\"}", (unsigned long long)s->pa);
			else
				printf("null}");
		}
		printf("]}");
	}
	printf("],\"plan\":{\"backend\":\"%s\",\"block_sizes\":[", be->name);
	ccda_tool_print_sizes(stdout, be->block_sizes, true);
	printf("],\"calls\":[");
	for (i = 0; i < plan->nr_calls; i++) {
		const struct ccda_plan_call *c = &plan->calls[i];

		printf("%s{\"bar\":%u,", i ? "," : "", c->bar);
		printf("\"addr\":\"0x%llx\",", (unsigned long long)c->addr);
		printf("\"pa\":\"0x%llx\",", (unsigned long long)c->pa);
		printf("\"size\":\"0x%llx\"}", (unsigned long long)c->size);
	}
	printf("],\"count\":%u},\"error\":null}\n", plan->nr_calls);
}

static int reject(bool json, const char *stage, int err,
		  const struct ccda_diag *diag)
{
	const char *name = strerrorname_np(-err);
	const char *reason = diag->reason ? diag->reason : "no reason given";

	if (json) {
		printf("{\"bars\":[],\"plan\":null,");
		printf("\"error\":{\"errno\":\"%s\",", name ? name : "?");
		printf("\"stage\":\"%s\",\"reason\":", stage);
		ccda_tool_json_string(stdout, reason);
		if (diag->index >= 0)
			printf(",\"range\":%d}}\n", diag->index);
		else
			printf(",\"range\":null}}\n");
	} else {
		fprintf(stderr, "ccda-map: %s rejected (%s): ", stage,
			name ? name : "?");
		if (diag->index >= 0)
			fprintf(stderr, "range %d: ", diag->index);
		fprintf(stderr, "%s\n", reason);
	}
	return 1;
}

int main(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "device", required_argument, NULL, 'd' },
		{ "report", required_argument, NULL, 'r' },
		{ "backend", required_argument, NULL, 'b' },
		{ "offset-mode", required_argument, NULL, 'o' },
		{ "page-size", required_argument, NULL, 'p' },
		{ "json", no_argument, NULL, 'j' },
		{ "debug", no_argument, NULL, 'D' },
		{ "help", no_argument, NULL, 'h' },
		{ }
	};
	struct ccda_map_params params = {
		.page_size = 4096,
		.mode = CCDA_OFFSET_BAR_ALIGN,
	};
	const struct ccda_tool_backend *be = ccda_tool_backend("tdx");
	const char *device = NULL, *report_path = NULL;
	struct ccda_diag diag = { .index = -1 };
	struct ccda_layout layout;
	bool json = false;
	int c, ret;

	while ((c = getopt_long(argc, argv, "d:r:b:o:p:jDh", opts, NULL)) != -1) {
		switch (c) {
		case 'd':
			device = optarg;
			break;
		case 'r':
			report_path = optarg;
			break;
		case 'b':
			be = ccda_tool_backend(optarg);
			if (!be)
				return ccda_tool_usage_error("unknown backend '%s'", optarg);
			break;
		case 'o':
			if (!strcmp(optarg, "bar-align"))
				params.mode = CCDA_OFFSET_BAR_ALIGN;
			else if (!strcmp(optarg, "relative"))
				params.mode = CCDA_OFFSET_RELATIVE;
			else
				return ccda_tool_usage_error("unknown offset mode '%s'",
							     optarg);
			break;
		case 'p':
			if (!strcmp(optarg, "4096") || !strcmp(optarg, "16384") ||
			    !strcmp(optarg, "65536"))
				params.page_size = strtoul(optarg, NULL, 10);
			else
				return ccda_tool_usage_error("page size %s: not 4096, 16384, 65536",
							     optarg);
			break;
		case 'j':
			json = true;
			break;
		case 'D':
			ccda_shim_debug = true;
			break;
		case 'h':
			print_usage(stdout);
			return 0;
		default:
			print_usage(stderr);
			return 2;
		}
	}
	if (optind != argc || !device || !report_path) {
		print_usage(stderr);
		return 2;
	}

	if (ccda_tool_read_layout(device, &layout))
		return 2;

	size_t len;
	u8 *buf = ccda_tool_read_file(report_path, CCDA_REPORT_MAX_LEN + 1, &len);

	if (!buf)
		return 2;

	struct ccda_report *report;

	ret = ccda_report_parse(buf, len, &report, &diag);
	free(buf);
	if (ret)
		return reject(json, "report", ret, &diag);

	struct ccda_map *map;

	ret = ccda_map_build(&layout, report, &params, &map, &diag);
	ccda_report_free(report);
	if (ret)
		return reject(json, "map", ret, &diag);

	struct ccda_plan *plan;

	ret = ccda_plan_build(map, NULL, be->block_sizes, &plan, &diag);
	if (ret) {
		ccda_map_free(map);
		return reject(json, "plan", ret, &diag);
	}

	if (json)
		print_json(map, be, plan);
	else
		print_text(&layout, map, be, plan);

	ccda_plan_free(plan);
	ccda_map_free(map);
	if (ccda_shim_live()) {
		fprintf(stderr, "ccda-map: %ld allocations leaked\n",
			ccda_shim_live());
		return 2;
	}
	return 0;
}
