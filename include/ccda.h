/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * ccda - confidential-computing device assignment
 *
 * The one public header of the layer: the TDISP interface report as the
 * core parses it.  Everything a backend or a caller may use is declared
 * here; the core's internals live in core/ccda_private.h.
 */
#ifndef _CCDA_H_
#define _CCDA_H_

#include <linux/bits.h>
#include <linux/cleanup.h>
#include <linux/types.h>

/*
 * TDISP DEVICE_INTERFACE_REPORT (PCIe r6.2 11.3.11, Table 11-14).  All
 * fields are little-endian; MMIO ranges are counted in 4 KiB units whatever
 * the CPU page size is.
 */
#define CCDA_REPORT_UNIT_SHIFT		12
#define CCDA_REPORT_UNIT		BIT_ULL(CCDA_REPORT_UNIT_SHIFT)

#define CCDA_REPORT_HDR_SIZE		16
#define CCDA_REPORT_RANGE_SIZE		16
#define CCDA_REPORT_DSI_LEN_SIZE	4

/*
 * A TDISP report is fetched in portions addressed by a 16-bit offset, so a
 * real device cannot describe more than about 8K ranges.  The parser accepts
 * up to U16_MAX ranges (1 MiB of range entries) to leave room for TSMs that
 * concatenate reports, and refuses anything larger with -E2BIG.
 */
#define CCDA_REPORT_MAX_RANGES		65535U

/* INTERFACE_INFO (offset 0) */
#define CCDA_IFINFO_NO_FW_UPDATE	BIT(0)
#define CCDA_IFINFO_DMA_NO_PASID	BIT(1)
#define CCDA_IFINFO_DMA_PASID		BIT(2)
#define CCDA_IFINFO_ATS			BIT(3)
#define CCDA_IFINFO_PRS			BIT(4)

/* MMIO_RANGE attributes */
#define CCDA_RANGE_MSIX_TABLE		BIT(0)
#define CCDA_RANGE_MSIX_PBA		BIT(1)
#define CCDA_RANGE_NON_TEE		BIT(2)
#define CCDA_RANGE_MEM_ATTR_UPDATABLE	BIT(3)
#define CCDA_RANGE_FLAGS		GENMASK(3, 0)
#define CCDA_RANGE_RESERVED		GENMASK(15, 4)
#define CCDA_RANGE_ID			GENMASK(31, 16)

/**
 * struct ccda_diag - why the core refused an input
 * @reason: one line, static storage, never %NULL after a failure
 * @index: the offending report range, or -1 when the whole input is at fault
 *
 * Every rejection returns a negative errno and fills this in, so that a
 * caller (or a user-space tool built from the same sources) can tell the
 * user exactly what was wrong without parsing the kernel log.
 */
struct ccda_diag {
	const char *reason;
	int index;
};

/**
 * struct ccda_report_range - one MMIO_RANGE of a parsed report
 * @first_page: first 4 KiB page of the range (device PA >> 12, as the TSM
 *	reports it; may include a reporting offset)
 * @nr_pages: length in 4 KiB pages, never zero
 * @flags: %CCDA_RANGE_MSIX_TABLE, %CCDA_RANGE_MSIX_PBA, %CCDA_RANGE_NON_TEE,
 *	%CCDA_RANGE_MEM_ATTR_UPDATABLE
 * @range_id: RANGE_ID, the BAR the range belongs to
 */
struct ccda_report_range {
	u64 first_page;
	u32 nr_pages;
	u16 flags;
	u16 range_id;
};

/**
 * struct ccda_report - a validated TDISP interface report, host-endian
 * @interface_info: INTERFACE_INFO, see %CCDA_IFINFO_*
 * @msix_msg_ctrl: MSI_X_MESSAGE_CONTROL
 * @lnr_ctrl: LNR_CONTROL
 * @tph_ctrl: TPH_CONTROL
 * @dsi_len: DEVICE_SPECIFIC_INFO_LEN
 * @dsi: the device-specific information, @dsi_len bytes owned by the report
 * @nr_ranges: number of entries in @ranges
 * @ranges: the MMIO ranges in report order
 *
 * Produced only by ccda_report_parse(); every range has passed the checks
 * listed there.  Released with ccda_report_free().
 */
struct ccda_report {
	u16 interface_info;
	u16 msix_msg_ctrl;
	u16 lnr_ctrl;
	u32 tph_ctrl;
	u32 dsi_len;
	u8 *dsi;
	u32 nr_ranges;
	struct ccda_report_range ranges[] __counted_by(nr_ranges);
};

/**
 * ccda_range_pa() - first byte of a report range in the TSM's address view
 * @r: the range
 *
 * Return: the physical address, which ccda_report_parse() has proven fits.
 */
static inline u64 ccda_range_pa(const struct ccda_report_range *r)
{
	return r->first_page << CCDA_REPORT_UNIT_SHIFT;
}

/**
 * ccda_range_size() - length in bytes of a report range
 * @r: the range
 *
 * Return: @r->nr_pages 4 KiB units, in bytes.
 */
static inline u64 ccda_range_size(const struct ccda_report_range *r)
{
	return (u64)r->nr_pages << CCDA_REPORT_UNIT_SHIFT;
}

int ccda_report_parse(const void *buf, size_t len, struct ccda_report **out,
		      struct ccda_diag *diag);
void ccda_report_free(struct ccda_report *report);

DEFINE_FREE(ccda_report, struct ccda_report *, ccda_report_free(_T))

#endif /* _CCDA_H_ */
