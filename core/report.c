// SPDX-License-Identifier: GPL-2.0-only
/**
 * DOC: TDISP interface report parser
 *
 * ccda_report_parse() turns a DEVICE_INTERFACE_REPORT (PCIe r6.2 11.3.11,
 * Table 11-14) into a &struct ccda_report.  The wire format, little-endian:
 *
 * ======  ======  =====================================================
 * offset  size    field
 * ======  ======  =====================================================
 * 0       u16     INTERFACE_INFO
 * 2       u16     reserved
 * 4       u16     MSI_X_MESSAGE_CONTROL
 * 6       u16     LNR_CONTROL
 * 8       u32     TPH_CONTROL
 * 12      u32     MMIO_RANGE_COUNT (n)
 * 16      16 * n  MMIO_RANGE: u64 first 4K page, u32 number of 4K pages,
 *                 u32 attributes (bits 3:0 flags, 15:4 reserved,
 *                 31:16 RANGE_ID)
 * 16+16n  u32     DEVICE_SPECIFIC_INFO_LEN (m)
 * 20+16n  m       device-specific information
 * ======  ======  =====================================================
 *
 * The rules, in the order they are applied:
 *
 * 1. The buffer is untrusted, may be unaligned and may change under us, so
 *    it is read exactly once: all of it is copied (kvmemdup()) before any
 *    byte is looked at, and only the copy is parsed, with
 *    get_unaligned_le*().  Only its length is checked before the copy: less
 *    than the header is -EBADMSG, more than %CCDA_REPORT_MAX_LEN is -E2BIG.
 * 2. The layout is checked before any range is decoded, a length before
 *    the field it covers, an overflow before the sum that could wrap:
 *    MMIO_RANGE_COUNT above %CCDA_REPORT_MAX_RANGES is -E2BIG; a buffer
 *    ending inside the range table, the DEVICE_SPECIFIC_INFO_LEN field or
 *    the device-specific bytes is -EBADMSG (one reason each); bytes after
 *    the device-specific information are -EMSGSIZE.  The total must be
 *    exactly 16 + 16 * n + 4 + m.
 * 3. Each range, in report order: zero pages is -EINVAL; a range whose end
 *    (first page + pages, in 4 KiB units) lies beyond the 64-bit address
 *    space is -EOVERFLOW, so the PA and the last byte of every accepted
 *    range fit in a u64 (the exclusive end may be exactly 2^64); reserved
 *    attribute bits set is -EINVAL.  Reserved header bits are not checked:
 *    the core never interprets them.
 * 4. Nothing half-built is visible: the report is decoded into a private
 *    allocation and published through @out only when every check passed.
 *    On any failure *@out is %NULL, nothing stays allocated, and
 *    &struct ccda_diag names the reason and the offending range.
 *
 * Rejections are what a device or a TSM can trigger, so they are logged
 * with pr_debug() only; the success path is silent.
 */

#define pr_fmt(fmt) "ccda: " fmt

#include <linux/bitfield.h>
#include <linux/bits.h>
#include <linux/build_bug.h>
#include <linux/cleanup.h>
#include <linux/errno.h>
#include <linux/export.h>
#include <linux/limits.h>
#include <linux/module.h>
#include <linux/overflow.h>
#include <linux/printk.h>
#include <linux/slab.h>
#include <linux/string.h>
#include <linux/unaligned.h>
#include <kunit/static_stub.h>
#include <kunit/visibility.h>

#include "ccda.h"
#include "ccda_private.h"

/* Header field offsets, PCIe r6.2 Table 11-14 */
#define REPORT_OFF_INTERFACE_INFO	0
#define REPORT_OFF_MSIX_MSG_CTRL	4
#define REPORT_OFF_LNR_CTRL		6
#define REPORT_OFF_TPH_CTRL		8
#define REPORT_OFF_RANGE_COUNT		12

/* Field offsets within one MMIO_RANGE entry */
#define RANGE_OFF_FIRST_PAGE		0
#define RANGE_OFF_NR_PAGES		8
#define RANGE_OFF_ATTRIBUTES		12

/* 4 KiB units in the 64-bit address space: no range may end beyond this */
#define REPORT_UNIT_LIMIT		BIT_ULL(64 - CCDA_REPORT_UNIT_SHIFT)

static_assert(REPORT_OFF_RANGE_COUNT + sizeof(u32) == CCDA_REPORT_HDR_SIZE);
static_assert(RANGE_OFF_ATTRIBUTES + sizeof(u32) == CCDA_REPORT_RANGE_SIZE);
static_assert(sizeof(u32) == CCDA_REPORT_DSI_LEN_SIZE);
/* A range index must fit in ccda_diag::index. */
static_assert(CCDA_REPORT_MAX_RANGES <= INT_MAX);
/* So must the whole input, for kvmalloc(). */
static_assert(CCDA_REPORT_MAX_LEN <= INT_MAX);

#if IS_ENABLED(CONFIG_KUNIT)
atomic_t ccda_report_live = ATOMIC_INIT(0);
EXPORT_SYMBOL_IF_KUNIT(ccda_report_live);
#endif

/*
 * The one and only read of the caller's buffer.  The KUnit suite redirects
 * it to scribble over @buf right after the copy (proving nothing reads @buf
 * again) and to fail the allocation.
 */
VISIBLE_IF_KUNIT void *ccda_report_copy(const void *buf, size_t len)
{
	KUNIT_STATIC_STUB_REDIRECT(ccda_report_copy, buf, len);
	return kvmemdup(buf, len, GFP_KERNEL);
}
EXPORT_SYMBOL_IF_KUNIT(ccda_report_copy);

static int ccda_report_reject(struct ccda_diag *diag, int err,
			      const char *reason, int index)
{
	return ccda_reject(diag, err, "report", "range", reason, index);
}

/*
 * Decode and check MMIO_RANGE @index at @p into @r.  @p points into the
 * private copy and has CCDA_REPORT_RANGE_SIZE bytes.
 */
static int ccda_report_decode_range(const u8 *p, int index,
				    struct ccda_report_range *r,
				    struct ccda_diag *diag)
{
	u64 first_page = get_unaligned_le64(p + RANGE_OFF_FIRST_PAGE);
	u32 nr_pages = get_unaligned_le32(p + RANGE_OFF_NR_PAGES);
	u32 attr = get_unaligned_le32(p + RANGE_OFF_ATTRIBUTES);
	u64 end;

	if (!nr_pages)
		return ccda_report_reject(diag, -EINVAL,
					  "MMIO range of zero pages", index);

	if (check_add_overflow(first_page, (u64)nr_pages, &end) ||
	    end > REPORT_UNIT_LIMIT)
		return ccda_report_reject(diag, -EOVERFLOW,
					  "MMIO range ends beyond the 64-bit address space",
					  index);

	if (FIELD_GET(CCDA_RANGE_RESERVED, attr))
		return ccda_report_reject(diag, -EINVAL,
					  "MMIO range has reserved attribute bits set",
					  index);

	r->first_page = first_page;
	r->nr_pages = nr_pages;
	r->flags = FIELD_GET(CCDA_RANGE_FLAGS, attr);
	r->range_id = FIELD_GET(CCDA_RANGE_ID, attr);
	return 0;
}

/*
 * Parse the private copy @p of @len bytes, which holds at least the header
 * and at most CCDA_REPORT_MAX_LEN bytes.
 */
static int ccda_report_decode(const u8 *p, size_t len,
			      struct ccda_report **out, struct ccda_diag *diag)
{
	size_t ranges_len, dsi_off, dsi_at, size;
	u32 count, dsi_len, i;
	int ret;

	count = get_unaligned_le32(p + REPORT_OFF_RANGE_COUNT);
	if (count > CCDA_REPORT_MAX_RANGES)
		return ccda_report_reject(diag, -E2BIG,
					  "MMIO_RANGE_COUNT above the parser's limit",
					  -1);

	if (check_mul_overflow((size_t)count, (size_t)CCDA_REPORT_RANGE_SIZE,
			       &ranges_len) ||
	    check_add_overflow((size_t)CCDA_REPORT_HDR_SIZE, ranges_len,
			       &dsi_off) ||
	    len < dsi_off)
		return ccda_report_reject(diag, -EBADMSG,
					  "report truncated in the MMIO range table",
					  -1);

	if (len - dsi_off < CCDA_REPORT_DSI_LEN_SIZE)
		return ccda_report_reject(diag, -EBADMSG,
					  "report truncated before DEVICE_SPECIFIC_INFO_LEN",
					  -1);

	dsi_len = get_unaligned_le32(p + dsi_off);
	dsi_off += CCDA_REPORT_DSI_LEN_SIZE;

	if (len - dsi_off < dsi_len)
		return ccda_report_reject(diag, -EBADMSG,
					  "report truncated in the device-specific information",
					  -1);

	if (len - dsi_off > dsi_len)
		return ccda_report_reject(diag, -EMSGSIZE,
					  "report longer than its stated length",
					  -1);

	/*
	 * One allocation: the report, its ranges, then the device-specific
	 * bytes.  Both terms are bounded by @len <= CCDA_REPORT_MAX_LEN, so
	 * the sum cannot overflow; the checked add only documents that.
	 */
	dsi_at = struct_size_t(struct ccda_report, ranges, count);
	if (check_add_overflow(dsi_at, (size_t)dsi_len, &size))
		return ccda_report_reject(diag, -E2BIG,
					  "report too large to represent", -1);

	struct ccda_report *report __free(kvfree) = kvzalloc(size, GFP_KERNEL);
	if (!report)
		return ccda_report_reject(diag, -ENOMEM,
					  "out of memory for the parsed report",
					  -1);

	report->nr_ranges = count;
	report->interface_info =
		get_unaligned_le16(p + REPORT_OFF_INTERFACE_INFO);
	report->msix_msg_ctrl = get_unaligned_le16(p + REPORT_OFF_MSIX_MSG_CTRL);
	report->lnr_ctrl = get_unaligned_le16(p + REPORT_OFF_LNR_CTRL);
	report->tph_ctrl = get_unaligned_le32(p + REPORT_OFF_TPH_CTRL);

	for (i = 0; i < count; i++) {
		ret = ccda_report_decode_range(p + CCDA_REPORT_HDR_SIZE +
					       i * CCDA_REPORT_RANGE_SIZE,
					       i, &report->ranges[i], diag);
		if (ret)
			return ret;
	}

	report->dsi_len = dsi_len;
	if (dsi_len) {
		report->dsi = (u8 *)report + dsi_at;
		memcpy(report->dsi, p + dsi_off, dsi_len);
	}

	ccda_report_live_inc();
	*out = no_free_ptr(report);
	return 0;
}

/**
 * ccda_report_parse() - check and decode a TDISP device interface report
 * @buf: the report as the TSM returned it; untrusted, may be unaligned
 * @len: length of @buf in bytes
 * @out: set to the parsed report on success, to %NULL on failure
 * @diag: optional; on failure set to the reason and the offending range
 *	(-1 when the report as a whole is at fault), on success to a %NULL
 *	reason and index -1
 *
 * Copies all @len bytes of @buf once, then checks and decodes only the copy
 * following the rules in "TDISP interface report parser" above.  @buf is not
 * referenced after the call returns; the result owns its device-specific
 * information.  On failure nothing is allocated and *@out is %NULL.
 *
 * Context: Process context; may sleep (GFP_KERNEL allocations).
 * Return: 0 on success, with *@out to be released by ccda_report_free();
 * -EINVAL if @out is %NULL, @buf is %NULL with a non-zero @len, a range has
 * zero pages or reserved attribute bits set; -EBADMSG if @buf ends inside
 * the header, the range table, the DEVICE_SPECIFIC_INFO_LEN field or the
 * device-specific information; -EMSGSIZE if @buf is longer than the report
 * it holds; -E2BIG if MMIO_RANGE_COUNT exceeds %CCDA_REPORT_MAX_RANGES or
 * @len exceeds %CCDA_REPORT_MAX_LEN; -EOVERFLOW if a range ends beyond the
 * 64-bit address space; -ENOMEM on allocation failure.
 */
int ccda_report_parse(const void *buf, size_t len, struct ccda_report **out,
		      struct ccda_diag *diag)
{
	int ret;

	if (!out)
		return ccda_report_reject(diag, -EINVAL,
					  "no pointer for the parsed report", -1);
	*out = NULL;

	if (!buf && len)
		return ccda_report_reject(diag, -EINVAL,
					  "no report buffer", -1);

	if (len < CCDA_REPORT_HDR_SIZE)
		return ccda_report_reject(diag, -EBADMSG,
					  "report shorter than its 16-byte header",
					  -1);

	if (len > CCDA_REPORT_MAX_LEN)
		return ccda_report_reject(diag, -E2BIG,
					  "report longer than the parser accepts",
					  -1);

	u8 *copy __free(kvfree) = ccda_report_copy(buf, len);
	if (!copy)
		return ccda_report_reject(diag, -ENOMEM,
					  "out of memory for the report copy",
					  -1);

	ret = ccda_report_decode(copy, len, out, diag);
	if (ret)
		return ret;

	ccda_diag_clear(diag);
	return 0;
}
EXPORT_SYMBOL_GPL(ccda_report_parse);

/**
 * ccda_report_free() - release a report from ccda_report_parse()
 * @report: the report, or %NULL
 *
 * Releases a report and everything it owns; %NULL is a no-op.
 *
 * Context: Any context except NMI.
 */
void ccda_report_free(struct ccda_report *report)
{
	if (!report)
		return;

	ccda_report_live_dec();
	kvfree(report);
}
EXPORT_SYMBOL_GPL(ccda_report_free);

MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("Confidential-computing device assignment (TDISP) core");
