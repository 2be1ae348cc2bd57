/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * ccda - confidential-computing device assignment
 *
 * The one public header of the layer: the TDISP interface report as the
 * core parses it, the device layout, the secure MMIO map built from both and
 * the firmware call plan derived from the map.  Everything a backend or a
 * caller may use is declared here; the core's internals live in
 * core/ccda_private.h.
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
 * @index: the offending report range (ccda_report_parse(), ccda_map_build())
 *	or map segment (ccda_plan_build(), ccda_plan_count()), or -1 when the
 *	whole input is at fault
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

/*
 * The device as the core sees it: up to six BARs and where config space puts
 * the MSI-X table and PBA.  Built from a struct pci_dev by
 * ccda_layout_from_pci(), or by hand in tests and tools.
 */
#define CCDA_NR_BARS			6

#define CCDA_BAR_MEM			BIT(0)
#define CCDA_BAR_MEM64			BIT(1)
#define CCDA_BAR_PREFETCH		BIT(2)

/* MSI-X structure sizes (PCIe r6.2 7.7.2): 16 bytes a vector, 1 bit a PBA entry */
#define CCDA_MSIX_ENTRY_SIZE		16
#define CCDA_MSIX_PBA_QWORD_ENTRIES	64

/**
 * struct ccda_bar - one BAR slot of a device
 * @start: CPU physical address of the BAR
 * @size: length in bytes, a power of two; 0 for an unimplemented slot and
 *	for the upper half of a 64-bit BAR
 * @flags: %CCDA_BAR_MEM for a memory BAR, %CCDA_BAR_MEM64 when it also
 *	takes the next slot, %CCDA_BAR_PREFETCH
 */
struct ccda_bar {
	u64 start;
	u64 size;
	u32 flags;
};

/**
 * struct ccda_msix_layout - MSI-X structures from the capability
 * @nr_entries: table size (N - 1 decoded, so 1..2048); 0 when the function
 *	has no MSI-X capability
 * @table_bir: BAR indicator of the table
 * @pba_bir: BAR indicator of the PBA
 * @table_offset: table offset in its BAR (8-byte aligned)
 * @pba_offset: PBA offset in its BAR (8-byte aligned)
 *
 * The table spans 16 * @nr_entries bytes, the PBA 8 * DIV_ROUND_UP(
 * @nr_entries, 64) bytes.
 */
struct ccda_msix_layout {
	u16 nr_entries;
	u8 table_bir;
	u8 pba_bir;
	u32 table_offset;
	u32 pba_offset;
};

/**
 * struct ccda_layout - the device's BARs and MSI-X structures
 * @bars: the six BAR slots
 * @msix: where the MSI-X table and PBA live
 */
struct ccda_layout {
	struct ccda_bar bars[CCDA_NR_BARS];
	struct ccda_msix_layout msix;
};

/**
 * enum ccda_offset_mode - how a report range's PA becomes a BAR offset
 * @CCDA_OFFSET_BAR_ALIGN: offset = PA mod BAR size (BARs are naturally
 *	aligned, and so is the TSM's view of them)
 * @CCDA_OFFSET_RELATIVE: the first reported range of a BAR starts at BAR
 *	offset 0; later ranges of that BAR sit at their PA minus that first PA
 * @CCDA_OFFSET_TRANSLATE: the backend's &ccda_map_params.translate does it
 */
enum ccda_offset_mode {
	CCDA_OFFSET_BAR_ALIGN,
	CCDA_OFFSET_RELATIVE,
	CCDA_OFFSET_TRANSLATE,
};

/**
 * struct ccda_map_params - how to build a secure MMIO map
 * @page_size: the CPU page size to respect (4K, 16K or 64K; a parameter so
 *	that 64K behaviour is tested on a 4K kernel)
 * @mode: offset mode
 * @translate: for %CCDA_OFFSET_TRANSLATE: store in *@offset the BAR offset
 *	of the @len bytes at report PA @pa of BAR @bar; return 0 or a negative
 *	errno, which fails the build.  Context: may sleep, no core lock held.
 * @ctx: passed to @translate
 */
struct ccda_map_params {
	unsigned int page_size;
	enum ccda_offset_mode mode;
	int (*translate)(void *ctx, unsigned int bar, u64 pa, u64 len,
			 u64 *offset);
	void *ctx;
};

/**
 * enum ccda_seg_kind - what a piece of a BAR is
 * @CCDA_SEG_UNREPORTED: covered by no report range: mapped nowhere
 * @CCDA_SEG_PRIVATE: TEE memory: validated / mapped private
 * @CCDA_SEG_SHARED: reported IS_NON_TEE_MEM
 * @CCDA_SEG_MSIX_TABLE: MSI-X table (from the report or config space);
 *	always shared
 * @CCDA_SEG_MSIX_PBA: MSI-X PBA; always shared
 */
enum ccda_seg_kind {
	CCDA_SEG_UNREPORTED,
	CCDA_SEG_PRIVATE,
	CCDA_SEG_SHARED,
	CCDA_SEG_MSIX_TABLE,
	CCDA_SEG_MSIX_PBA,
};

/**
 * struct ccda_segment - a run of one kind inside a BAR
 * @offset: start, in bytes from the BAR start
 * @size: length in bytes, never zero
 * @pa: for %CCDA_SEG_PRIVATE, the report PA of @offset; 0 otherwise
 * @kind: what it is
 */
struct ccda_segment {
	u64 offset;
	u64 size;
	u64 pa;
	enum ccda_seg_kind kind;
};

/**
 * struct ccda_map_bar - the partition of one BAR
 * @start: CPU physical address of the BAR
 * @size: BAR size; 0 when the slot is not a memory BAR
 * @nr_segs: number of segments
 * @segs: ordered segments tiling [0, @size) exactly; adjacent segments
 *	differ in kind, or are PRIVATE with discontiguous PAs
 */
struct ccda_map_bar {
	u64 start;
	u64 size;
	u32 nr_segs;
	const struct ccda_segment *segs;
};

/**
 * struct ccda_map - a device's published secure MMIO map
 * @page_size: the CPU page size it was built for
 * @bars: one partition per BAR slot
 * @nr_segs: total segments
 * @segs: all segments, BAR by BAR (what the @bars point into)
 *
 * Built by ccda_map_build() and immutable from then on; released with
 * ccda_map_free().
 */
struct ccda_map {
	unsigned int page_size;
	struct ccda_map_bar bars[CCDA_NR_BARS];
	u32 nr_segs;
	struct ccda_segment segs[] __counted_by(nr_segs);
};

/**
 * enum ccda_map_class - what an address range of a device is
 * @CCDA_CLASS_PRIVATE: entirely private
 * @CCDA_CLASS_SHARED: entirely shared (non-TEE or MSI-X)
 * @CCDA_CLASS_UNREPORTED: entirely outside every report range
 */
enum ccda_map_class {
	CCDA_CLASS_PRIVATE,
	CCDA_CLASS_SHARED,
	CCDA_CLASS_UNREPORTED,
};

/*
 * The firmware call plan: for each PRIVATE segment the fewest naturally
 * aligned blocks (guest address and PA both aligned) of the sizes a backend
 * supports that cover it exactly.  Range-call backends ask for
 * CCDA_PLAN_RANGES and get one call per private segment.
 */
#define CCDA_PLAN_RANGES		0ULL
#define CCDA_PLAN_MAX_CALLS		BIT(20)

/**
 * struct ccda_plan_call - one firmware call
 * @bar: BAR the block belongs to
 * @addr: guest address of the block
 * @pa: report PA of the block
 * @size: bytes
 */
struct ccda_plan_call {
	u32 bar;
	u64 addr;
	u64 pa;
	u64 size;
};

/**
 * struct ccda_plan - the calls that establish a map's private MMIO
 * @block_sizes: the sizes it was planned for, or %CCDA_PLAN_RANGES
 * @nr_calls: number of calls
 * @calls: the calls, BAR by BAR, in address order
 */
struct ccda_plan {
	u64 block_sizes;
	u32 nr_calls;
	struct ccda_plan_call calls[] __counted_by(nr_calls);
};

struct pci_dev;

int ccda_layout_from_pci(struct pci_dev *pdev, struct ccda_layout *layout);

int ccda_map_build(const struct ccda_layout *layout,
		   const struct ccda_report *report,
		   const struct ccda_map_params *params,
		   struct ccda_map **out, struct ccda_diag *diag);
void ccda_map_free(struct ccda_map *map);
int ccda_map_classify(const struct ccda_map *map, u64 addr, u64 len,
		      enum ccda_map_class *class, struct ccda_diag *diag);

int ccda_plan_count(const struct ccda_map *map, const u64 *guest_base,
		    u64 block_sizes, u64 *count, struct ccda_diag *diag);
int ccda_plan_build(const struct ccda_map *map, const u64 *guest_base,
		    u64 block_sizes, struct ccda_plan **out,
		    struct ccda_diag *diag);
void ccda_plan_free(struct ccda_plan *plan);

DEFINE_FREE(ccda_map, struct ccda_map *, ccda_map_free(_T))
DEFINE_FREE(ccda_plan, struct ccda_plan *, ccda_plan_free(_T))

/*
 * TDI objects, backends and the lifecycle.  A TDI (TDISP Device Interface)
 * is one assigned function; the core owns its state, the policy and the
 * order of every firmware step, and a backend only performs the steps.
 */
struct ccda_tdi;
struct ccda_vm;
struct module;

/* The longest measurement digest the core keeps for the RAS path (SHA-512) */
#define CCDA_DIGEST_MAX			64

/**
 * enum ccda_tdi_role - which side of the assignment this kernel is
 * @CCDA_TDI_HOST: the host (or its TSM driver) assigns the TDI to a VM
 * @CCDA_TDI_GUEST: the confidential guest accepts the TDI
 */
enum ccda_tdi_role {
	CCDA_TDI_HOST,
	CCDA_TDI_GUEST,
};

/**
 * enum ccda_tdi_state - TDISP interface state (PCIe r6.2 11.3.4)
 * @CCDA_TDI_CONFIG_UNLOCKED: not bound; the host may reconfigure the device
 * @CCDA_TDI_CONFIG_LOCKED: bound (locked); the report may be fetched
 * @CCDA_TDI_RUN: accepted and started; private MMIO and trusted DMA live
 * @CCDA_TDI_ERROR: a device event or a failed teardown; only unbind leaves it
 * @CCDA_TDI_NR_STATES: number of states
 */
enum ccda_tdi_state {
	CCDA_TDI_CONFIG_UNLOCKED,
	CCDA_TDI_CONFIG_LOCKED,
	CCDA_TDI_RUN,
	CCDA_TDI_ERROR,
	CCDA_TDI_NR_STATES,
};

/**
 * enum ccda_step - the backend steps, as traced and counted
 * @CCDA_STEP_LOCK: &ccda_backend_ops.lock
 * @CCDA_STEP_FETCH_REPORT: &ccda_backend_ops.fetch_report
 * @CCDA_STEP_ESTABLISH: &ccda_backend_ops.establish (one planned call)
 * @CCDA_STEP_ENABLE_DMA: &ccda_backend_ops.enable_dma
 * @CCDA_STEP_START: &ccda_backend_ops.start
 * @CCDA_STEP_STOP: &ccda_backend_ops.stop
 * @CCDA_STEP_DISABLE_DMA: &ccda_backend_ops.disable_dma
 * @CCDA_STEP_REVOKE: &ccda_backend_ops.revoke (one planned call)
 * @CCDA_STEP_FLUSH: &ccda_backend_ops.flush
 * @CCDA_STEP_RECLAIM: &ccda_backend_ops.reclaim
 * @CCDA_STEP_RETURN_PAGES: &ccda_backend_ops.return_pages (one planned call)
 * @CCDA_STEP_RESTORE_SHARED: &ccda_backend_ops.restore_shared
 * @CCDA_STEP_NR: number of steps
 */
enum ccda_step {
	CCDA_STEP_LOCK,
	CCDA_STEP_FETCH_REPORT,
	CCDA_STEP_ESTABLISH,
	CCDA_STEP_ENABLE_DMA,
	CCDA_STEP_START,
	CCDA_STEP_STOP,
	CCDA_STEP_DISABLE_DMA,
	CCDA_STEP_REVOKE,
	CCDA_STEP_FLUSH,
	CCDA_STEP_RECLAIM,
	CCDA_STEP_RETURN_PAGES,
	CCDA_STEP_RESTORE_SHARED,
	CCDA_STEP_NR,
};

/*
 * How often the core calls a step again when the backend answers -EBUSY
 * or -EAGAIN (TDX OPERAND_BUSY, SEV-TIO FAIL_OVERLAP) before it gives up
 * and treats the answer as a failure.
 */
#define CCDA_STEP_RETRIES		8

/**
 * struct ccda_backend_ops - the firmware steps of one platform
 *
 * The ops are the steps, not the policy: the core decides their order,
 * retries, rollback and the TDI state, and calls each op with the TDI's
 * mutex held, so calls for one TDI never overlap; calls for different TDIs
 * may run in parallel.  Every op returns 0 or a negative errno: -EBUSY or
 * -EAGAIN ask for a retry (at most %CCDA_STEP_RETRIES calls in all), -EIO
 * means the firmware refused, anything else is passed to the caller.  An
 * op that fails must leave the firmware as it was before the call.  The
 * backend reaches its own per-TDI data with ccda_tdi_priv().
 *
 * Required: @lock, @fetch_report, @establish, @start, @stop, @revoke; and
 * @translate when the backend's offset mode is %CCDA_OFFSET_TRANSLATE;
 * @disable_dma whenever @enable_dma is given.  The rest may be %NULL where
 * a platform has no such step; the core skips them.
 *
 * @lock: bind the TDI: TDISP LOCK_INTERFACE (host: TDX TDH.DEVIF.CREATE,
 *	SEV-TIO TDI_BIND; guest: ask the host through the TSM).  May assume
 *	the TDI is CONFIG_UNLOCKED and no driver is bound.  Context: process
 *	context, may sleep, TDI mutex held.
 * @fetch_report: copy the TDISP DEVICE_INTERFACE_REPORT into @buf, at most
 *	@size bytes, and store the length in *@len.  May assume the TDI is
 *	locked.  The core parses the copy with ccda_report_parse(); the
 *	backend must not.  -ENOSPC if @size is too small.  Context: as @lock.
 * @establish: make the one planned block or range @call private in the
 *	guest's view (TDX TDH.MMIO.MAP, SEV-TIO RMPUPDATE assign, Arm
 *	RSI_VDEV_VALIDATE_MAPPING loop checking progress).  May assume @call
 *	is not established yet and lies in a PRIVATE segment of the published
 *	map.  Context: as @lock.
 * @enable_dma: enable trusted (T=1) DMA for the TDI.  May assume every
 *	call of the plan is established.  Context: as @lock.
 * @start: TDISP START_INTERFACE: the TDI goes to RUN.  May assume every
 *	call is established and DMA enabled.  Context: as @lock.
 * @stop: TDISP STOP_INTERFACE: the TDI leaves RUN or CONFIG_LOCKED and its
 *	DMA is quiesced.  Called first in every teardown while the TDI is
 *	locked in firmware, whether or not it was started.  Context: as @lock.
 * @disable_dma: undo @enable_dma.  Context: as @lock.
 * @revoke: remove the one planned block or range @call from the guest's
 *	private view (TDX TDH.MMIO.BLOCK, Arm RSI_IPA_STATE_SET EMPTY).  May
 *	assume @call is established and the TDI stopped or, when a failed
 *	accept is rolled back, locked but never started.  The revocation need
 *	only be complete after @flush.  Context: as @lock.
 * @flush: make every @revoke so far effective (TDX TDH.MEM.TRACK, vCPU
 *	kick and the UNMAPs).  Called once after all revokes of a teardown.
 *	Context: as @lock.
 * @reclaim: free the TDI in firmware (TDX DEVIF removal, SEV-TIO reclaim
 *	and fence).  May assume nothing is mapped.  Context: as @lock.
 * @return_pages: give the pages of one planned @call back to the host
 *	(SEV-TIO RMPUPDATE shared).  May assume the TDI is reclaimed, or was
 *	never started, and @call is revoked.  Context: as @lock.
 * @restore_shared: restore the shared (T=0) view of the device's MMIO.
 *	Last step of every teardown.  Context: as @lock.
 * @translate: for %CCDA_OFFSET_TRANSLATE: the BAR offset of the @len bytes
 *	at report PA @pa of BAR @bar, into *@offset.  Context: as @lock.
 */
struct ccda_backend_ops {
	int (*lock)(struct ccda_tdi *tdi);
	int (*fetch_report)(struct ccda_tdi *tdi, void *buf, size_t size,
			    size_t *len);
	int (*establish)(struct ccda_tdi *tdi,
			 const struct ccda_plan_call *call);
	int (*enable_dma)(struct ccda_tdi *tdi);
	int (*start)(struct ccda_tdi *tdi);
	int (*stop)(struct ccda_tdi *tdi);
	int (*disable_dma)(struct ccda_tdi *tdi);
	int (*revoke)(struct ccda_tdi *tdi, const struct ccda_plan_call *call);
	int (*flush)(struct ccda_tdi *tdi);
	int (*reclaim)(struct ccda_tdi *tdi);
	int (*return_pages)(struct ccda_tdi *tdi,
			    const struct ccda_plan_call *call);
	int (*restore_shared)(struct ccda_tdi *tdi);
	int (*translate)(struct ccda_tdi *tdi, unsigned int bar, u64 pa,
			 u64 len, u64 *offset);
};

/**
 * struct ccda_backend - a platform backend as the core knows it
 * @name: short name for messages and traces ("tdx", "sev-tio", ...)
 * @ops: the steps; const, checked once by ccda_backend_register()
 * @block_sizes: the block sizes the firmware maps (each a power of two of
 *	at least 4 KiB), or %CCDA_PLAN_RANGES for range calls
 * @offset_mode: how report PAs become BAR offsets
 * @owner: the module holding @ops, pinned while a TDI uses the backend
 * @nr_tdis: core private: TDIs created on this backend
 * @registered: core private: set by ccda_backend_register()
 *
 * The backend fills in the first five fields and keeps the structure alive
 * until ccda_backend_unregister() has returned 0.
 */
struct ccda_backend {
	const char *name;
	const struct ccda_backend_ops *ops;
	u64 block_sizes;
	enum ccda_offset_mode offset_mode;
	struct module *owner;
	unsigned int nr_tdis;
	bool registered;
};

/**
 * struct ccda_tdi_info - what a TDI is created with
 * @role: host or guest
 * @id: the caller's name for the TDI (e.g. the routing ID); traces use it
 * @layout: the device's BARs and MSI-X structures (copied)
 * @guest_base: per-BAR guest addresses (copied), or %NULL to plan with the
 *	BARs' CPU addresses
 * @vm: host role: the VM the TDI is assigned to, or %NULL
 * @priv: the backend's per-TDI data, returned by ccda_tdi_priv()
 */
struct ccda_tdi_info {
	enum ccda_tdi_role role;
	u32 id;
	const struct ccda_layout *layout;
	const u64 *guest_base;
	struct ccda_vm *vm;
	void *priv;
};

/**
 * enum ccda_tdi_event - device events that need the TDI unbound first
 * @CCDA_EVENT_FLR: function level reset
 * @CCDA_EVENT_D3HOT: transition to D3hot
 * @CCDA_EVENT_BUS_RESET: secondary bus reset
 * @CCDA_EVENT_MSE_CLEAR: Memory Space Enable about to be cleared
 * @CCDA_EVENT_VM_DESTROY: host: the VM is being destroyed
 * @CCDA_EVENT_VDEV_DESTROY: host: the virtual device is being destroyed
 * @CCDA_EVENT_VFIO_CLOSE: host: the VFIO device is being closed
 */
enum ccda_tdi_event {
	CCDA_EVENT_FLR,
	CCDA_EVENT_D3HOT,
	CCDA_EVENT_BUS_RESET,
	CCDA_EVENT_MSE_CLEAR,
	CCDA_EVENT_VM_DESTROY,
	CCDA_EVENT_VDEV_DESTROY,
	CCDA_EVENT_VFIO_CLOSE,
};

/**
 * enum ccda_cfg_verdict - what the config-write filter says
 * @CCDA_CFG_ALLOW: harmless to the TDI: let it through
 * @CCDA_CFG_BLOCKED: would clear MSE/BME or touch a locked BAR; the caller
 *	asked to block it, the TDI is unchanged, drop the write
 * @CCDA_CFG_ERRORED: the same, let through: the TDI is now in ERROR
 */
enum ccda_cfg_verdict {
	CCDA_CFG_ALLOW,
	CCDA_CFG_BLOCKED,
	CCDA_CFG_ERRORED,
};

int ccda_backend_register(struct ccda_backend *backend);
int ccda_backend_unregister(struct ccda_backend *backend);

int ccda_vm_create(struct ccda_vm **out);
int ccda_vm_destroy(struct ccda_vm *vm);

int ccda_tdi_create(struct ccda_backend *backend,
		    const struct ccda_tdi_info *info, struct ccda_tdi **out);
struct ccda_tdi *ccda_tdi_get(struct ccda_tdi *tdi);
void ccda_tdi_put(struct ccda_tdi *tdi);
void *ccda_tdi_priv(const struct ccda_tdi *tdi);
u32 ccda_tdi_id(const struct ccda_tdi *tdi);
enum ccda_tdi_role ccda_tdi_role(const struct ccda_tdi *tdi);
enum ccda_tdi_state ccda_tdi_state(struct ccda_tdi *tdi);
const char *ccda_tdi_state_name(enum ccda_tdi_state state);
const char *ccda_step_name(enum ccda_step step);

int ccda_tdi_bind(struct ccda_tdi *tdi, struct ccda_diag *diag);
int ccda_tdi_accept(struct ccda_tdi *tdi, const u8 *digest, size_t len,
		    struct ccda_diag *diag);
int ccda_tdi_unbind(struct ccda_tdi *tdi, struct ccda_diag *diag);
int ccda_tdi_driver_bound(struct ccda_tdi *tdi);
void ccda_tdi_driver_unbound(struct ccda_tdi *tdi);
bool ccda_tdi_may_probe(struct ccda_tdi *tdi);
int ccda_tdi_error(struct ccda_tdi *tdi);
int ccda_tdi_event(struct ccda_tdi *tdi, enum ccda_tdi_event event,
		   struct ccda_diag *diag);
int ccda_tdi_recover(struct ccda_tdi *tdi, const u8 *digest, size_t len,
		     struct ccda_diag *diag);
enum ccda_cfg_verdict ccda_tdi_config_write(struct ccda_tdi *tdi,
					    unsigned int offset,
					    unsigned int size, u32 value,
					    bool block,
					    struct ccda_diag *diag);

DEFINE_FREE(ccda_tdi, struct ccda_tdi *, if (_T) ccda_tdi_put(_T))

#endif /* _CCDA_H_ */
