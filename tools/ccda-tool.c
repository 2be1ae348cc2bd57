// SPDX-License-Identifier: GPL-2.0-only
/*
 * Helpers shared by the user-space ccda tools.  Files given on the command
 * line are input like any other: every length is checked before use, and a
 * bad file is a clear message and exit status 2, never a crash.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ccda.h"
#include "ccda_private.h"
#include "ccda-tool.h"

bool ccda_shim_debug;
long ccda_shim_allocs;
size_t ccda_shim_bytes;
size_t ccda_shim_peak;

/* include/linux/ioport.h */
#define IORESOURCE_IO		0x00000100
#define IORESOURCE_MEM		0x00000200
#define IORESOURCE_PREFETCH	0x00002000
#define IORESOURCE_MEM_64	0x00100000

/* include/uapi/linux/pci_regs.h */
#define PCI_STATUS		0x06
#define PCI_STATUS_CAP_LIST	0x10
#define PCI_CAPABILITY_LIST	0x34
#define PCI_CAP_ID_MSIX		0x11
#define PCI_MSIX_FLAGS		2
#define PCI_MSIX_TABLE		4
#define PCI_MSIX_PBA		8
#define PCI_MSIX_CAP_SIZE	12
#define PCI_CFG_SPACE_SIZE	256
#define PCI_EXT_CFG_SPACE_SIZE	4096
/* 256 bytes hold at most 48 dword-aligned capabilities past the header. */
#define PCI_FIND_CAP_TTL	48

const struct ccda_tool_backend ccda_tool_backends[] = {
	{ "arm-cca", CCDA_PLAN_RANGES, "RSI_VDEV_VALIDATE_MAPPING" },
	{ "tdx", SZ_4K | SZ_2M | SZ_1G, "TDH.MMIO.MAP" },
	{ "sev-tio", SZ_4K | SZ_2M, "RMPUPDATE" },
	{ "cove", CCDA_PLAN_RANGES, "map_interface_mmio" },
};

const unsigned int ccda_tool_nr_backends = ARRAY_SIZE(ccda_tool_backends);

const struct ccda_tool_backend *ccda_tool_backend(const char *name)
{
	unsigned int i;

	for (i = 0; i < ccda_tool_nr_backends; i++)
		if (!strcmp(ccda_tool_backends[i].name, name))
			return &ccda_tool_backends[i];
	return NULL;
}

const char *ccda_tool_kind_name(enum ccda_seg_kind kind)
{
	switch (kind) {
	case CCDA_SEG_UNREPORTED:
		return "unreported";
	case CCDA_SEG_PRIVATE:
		return "private";
	case CCDA_SEG_SHARED:
		return "shared";
	case CCDA_SEG_MSIX_TABLE:
		return "msix-table";
	case CCDA_SEG_MSIX_PBA:
		return "msix-pba";
	}
	return "?";
}

void ccda_tool_print_sizes(FILE *f, u64 block_sizes, bool json)
{
	const char *sep = "";
	u64 s;

	if (block_sizes == CCDA_PLAN_RANGES) {
		if (!json)
			fprintf(f, "one call per private range");
		return;
	}
	for (s = SZ_4K; s; s <<= 1) {
		if (!(block_sizes & s))
			continue;
		if (json)
			fprintf(f, "%s\"0x%llx\"", sep, s);
		else if (s >= SZ_1G)
			fprintf(f, "%s%lluG", sep, s / SZ_1G);
		else if (s >= SZ_1M)
			fprintf(f, "%s%lluM", sep, s / SZ_1M);
		else
			fprintf(f, "%s%lluK", sep, s / 1024);
		sep = json ? "," : "|";
	}
}

void ccda_tool_json_string(FILE *f, const char *s)
{
	fputc('"', f);
	for (; *s; s++) {
		unsigned char c = *s;

		if (c == '"' || c == '\\')
			fprintf(f, "\\%c", c);
		else if (c < 0x20)
			fprintf(f, "\\u%04x", c);
		else
			fputc(c, f);
	}
	fputc('"', f);
}

int ccda_tool_usage_error(const char *fmt, ...)
{
	va_list ap;

	fprintf(stderr, "ccda: ");
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fprintf(stderr, "\n");
	return 2;
}

/*
 * Read a whole file of at most @max bytes (a longer one is read up to
 * @max, so the caller sees that it is too long).  The buffer comes from
 * malloc(), outside the shim's allocation count.
 */
u8 *ccda_tool_read_file(const char *path, size_t max, size_t *len)
{
	FILE *f = fopen(path, "rb");
	size_t cap = 4096, n = 0;
	u8 *buf = NULL, *nbuf;

	if (!f) {
		ccda_tool_usage_error("cannot open %s: %s", path, strerror(errno));
		return NULL;
	}
	for (;;) {
		size_t got;

		if (!buf || n == cap) {
			if (buf)
				cap *= 2;
			if (cap > max)
				cap = max;
			nbuf = realloc(buf, cap ? cap : 1);
			if (!nbuf) {
				ccda_tool_usage_error("out of memory reading %s", path);
				goto fail;
			}
			buf = nbuf;
		}
		if (n == max)
			break;
		got = fread(buf + n, 1, cap - n, f);
		n += got;
		if (got == 0) {
			if (ferror(f)) {
				ccda_tool_usage_error("cannot read %s: %s", path,
						      strerror(errno));
				goto fail;
			}
			break;
		}
	}
	fclose(f);
	*len = n;
	return buf;
fail:
	free(buf);
	fclose(f);
	return NULL;
}

static int read_resources(const char *dir, struct ccda_layout *layout)
{
	char path[4096], line[256];
	unsigned int i;
	FILE *f;

	snprintf(path, sizeof(path), "%s/resource", dir);
	f = fopen(path, "r");
	if (!f)
		return ccda_tool_usage_error("cannot open %s: %s", path,
					     strerror(errno));

	for (i = 0; i < CCDA_NR_BARS; i++) {
		unsigned long long start, end, flags;
		struct ccda_bar *bar = &layout->bars[i];
		int n = 0;

		if (!fgets(line, sizeof(line), f) ||
		    sscanf(line, "%llx %llx %llx %n", &start, &end, &flags, &n) != 3 ||
		    line[n] != '\0') {
			fclose(f);
			return ccda_tool_usage_error("%s: line %u is not \"start end flags\"",
						     path, i + 1);
		}
		if (!start && !end)
			continue;
		if (end < start || end - start == UINT64_MAX) {
			fclose(f);
			return ccda_tool_usage_error("%s: line %u ends before it starts",
						     path, i + 1);
		}
		bar->start = start;
		bar->size = end - start + 1;
		if (flags & IORESOURCE_MEM)
			bar->flags |= CCDA_BAR_MEM;
		if (flags & IORESOURCE_MEM_64)
			bar->flags |= CCDA_BAR_MEM64;
		if (flags & IORESOURCE_PREFETCH)
			bar->flags |= CCDA_BAR_PREFETCH;
	}
	fclose(f);
	return 0;
}

/*
 * Find the MSI-X capability in @cfg and decode it with the core's own
 * decoder.  No capability means no MSI-X structures.
 */
int ccda_tool_layout_from_config(const u8 *cfg, size_t len,
				 struct ccda_msix_layout *msix)
{
	unsigned int pos, ttl = PCI_FIND_CAP_TTL;

	memset(msix, 0, sizeof(*msix));
	if (len != PCI_CFG_SPACE_SIZE && len != PCI_EXT_CFG_SPACE_SIZE)
		return ccda_tool_usage_error("config: %zu bytes, not 256/4096 (read it as root)",
					     len);

	if (!(get_unaligned_le16(cfg + PCI_STATUS) & PCI_STATUS_CAP_LIST))
		return 0;

	pos = cfg[PCI_CAPABILITY_LIST] & ~3U;
	while (pos >= 0x40 && ttl--) {
		if (pos + PCI_MSIX_CAP_SIZE > PCI_CFG_SPACE_SIZE)
			break;
		if (cfg[pos] == PCI_CAP_ID_MSIX) {
			ccda_msix_decode(get_unaligned_le16(cfg + pos + PCI_MSIX_FLAGS),
					 get_unaligned_le32(cfg + pos + PCI_MSIX_TABLE),
					 get_unaligned_le32(cfg + pos + PCI_MSIX_PBA),
					 msix);
			return 0;
		}
		pos = cfg[pos + 1] & ~3U;
	}
	return 0;
}

int ccda_tool_read_layout(const char *dir, struct ccda_layout *layout)
{
	char path[4096];
	size_t len;
	u8 *cfg;
	int ret;

	memset(layout, 0, sizeof(*layout));
	ret = read_resources(dir, layout);
	if (ret)
		return ret;

	snprintf(path, sizeof(path), "%s/config", dir);
	cfg = ccda_tool_read_file(path, PCI_EXT_CFG_SPACE_SIZE + 1, &len);
	if (!cfg)
		return 2;
	ret = ccda_tool_layout_from_config(cfg, len, &layout->msix);
	free(cfg);
	return ret;
}
