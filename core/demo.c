// SPDX-License-Identifier: GPL-2.0-only
/**
 * DOC: Boot-time demo
 *
 * With CONFIG_CCDA_DEMO=y and ``ccda.demo=1`` on the command line, a late
 * initcall assigns a sample GPU-like function through a built-in demo
 * backend that only records the steps it is asked for: bind, accept (the
 * report is parsed, the secure MMIO map built and the firmware calls
 * planned), RUN, unbind.  It prints the published map, the plan and the
 * ordered step trace, then "ccda demo: PASS" or "ccda demo: FAIL ...".
 * ``make demo`` boots the UML kernel with it.  Without the parameter it
 * does nothing; it is the one place where info output is the point.
 *
 * The sample device (CPU addresses are the guest addresses here):
 *
 * - BAR0 0xf0000000, 16M registers: [0, 0xa04000) private,
 *   [0xa04000, 0xb90000) unreported, MSI-X table at 0xb90000 and PBA at
 *   0xba0000 (64 vectors), [0xc00000, 16M) shared doorbells
 * - BAR1 0x4000000000 (64-bit, prefetchable), 1G VRAM aperture: private
 * - BAR3 0x4040000000 (64-bit), 32M: [0, 4M) private, the rest unreported
 *
 * The demo backend maps 4K, 2M and 1G blocks, like a TDX Connect host.
 */

#define pr_fmt(fmt) "ccda demo: " fmt

#include <linux/init.h>
#include <linux/moduleparam.h>
#include <linux/printk.h>
#include <linux/sizes.h>
#include <linux/slab.h>
#include <linux/sprintf.h>
#include <linux/string.h>
#include <linux/unaligned.h>

#include "ccda.h"
#include "ccda_private.h"

static bool demo;
module_param(demo, bool, 0444);
MODULE_PARM_DESC(demo, "run the TDI lifecycle demo at boot");

#define DEMO_BAR0		0xf0000000ULL
#define DEMO_BAR1		0x4000000000ULL
#define DEMO_BAR3		0x4040000000ULL
#define DEMO_NR_RANGES		6
#define DEMO_REPORT_LEN		(CCDA_REPORT_HDR_SIZE +			\
				 DEMO_NR_RANGES * CCDA_REPORT_RANGE_SIZE + \
				 CCDA_REPORT_DSI_LEN_SIZE)
#define DEMO_MAX_STEPS		64

struct demo_step {
	enum ccda_step step;
	u64 addr;
	u64 size;
};

struct demo_fw {
	u8 report[DEMO_REPORT_LEN];
	struct demo_step steps[DEMO_MAX_STEPS];
	unsigned int nr_steps;
	unsigned int phase[3];
	unsigned int mapped;
};

static int demo_log(struct ccda_tdi *tdi, enum ccda_step step,
		    const struct ccda_plan_call *call)
{
	struct demo_fw *fw = ccda_tdi_priv(tdi);
	struct demo_step *s;

	if (fw->nr_steps == DEMO_MAX_STEPS)
		return -ENOSPC;
	s = &fw->steps[fw->nr_steps++];
	s->step = step;
	s->addr = call ? call->addr : 0;
	s->size = call ? call->size : 0;
	return 0;
}

static int demo_lock(struct ccda_tdi *tdi)
{
	return demo_log(tdi, CCDA_STEP_LOCK, NULL);
}

static int demo_fetch(struct ccda_tdi *tdi, void *buf, size_t size,
		      size_t *len)
{
	struct demo_fw *fw = ccda_tdi_priv(tdi);

	if (size < sizeof(fw->report))
		return -ENOSPC;
	memcpy(buf, fw->report, sizeof(fw->report));
	*len = sizeof(fw->report);
	return demo_log(tdi, CCDA_STEP_FETCH_REPORT, NULL);
}

static int demo_establish(struct ccda_tdi *tdi,
			  const struct ccda_plan_call *call)
{
	struct demo_fw *fw = ccda_tdi_priv(tdi);

	fw->mapped++;
	return demo_log(tdi, CCDA_STEP_ESTABLISH, call);
}

static int demo_revoke(struct ccda_tdi *tdi, const struct ccda_plan_call *call)
{
	struct demo_fw *fw = ccda_tdi_priv(tdi);

	fw->mapped--;
	return demo_log(tdi, CCDA_STEP_REVOKE, call);
}

static int demo_return(struct ccda_tdi *tdi, const struct ccda_plan_call *call)
{
	return demo_log(tdi, CCDA_STEP_RETURN_PAGES, call);
}

#define DEMO_SIMPLE(name, step)						\
static int demo_##name(struct ccda_tdi *tdi)				\
{									\
	return demo_log(tdi, step, NULL);				\
}

DEMO_SIMPLE(enable_dma, CCDA_STEP_ENABLE_DMA)
DEMO_SIMPLE(start, CCDA_STEP_START)
DEMO_SIMPLE(stop, CCDA_STEP_STOP)
DEMO_SIMPLE(disable_dma, CCDA_STEP_DISABLE_DMA)
DEMO_SIMPLE(flush, CCDA_STEP_FLUSH)
DEMO_SIMPLE(reclaim, CCDA_STEP_RECLAIM)
DEMO_SIMPLE(restore, CCDA_STEP_RESTORE_SHARED)

static const struct ccda_backend_ops demo_ops = {
	.lock = demo_lock,
	.fetch_report = demo_fetch,
	.establish = demo_establish,
	.enable_dma = demo_enable_dma,
	.start = demo_start,
	.stop = demo_stop,
	.disable_dma = demo_disable_dma,
	.revoke = demo_revoke,
	.flush = demo_flush,
	.reclaim = demo_reclaim,
	.return_pages = demo_return,
	.restore_shared = demo_restore,
};

static struct ccda_backend demo_backend = {
	.name = "demo",
	.ops = &demo_ops,
	.block_sizes = SZ_4K | SZ_2M | SZ_1G,
	.offset_mode = CCDA_OFFSET_BAR_ALIGN,
};

static u8 *demo_range(u8 *p, u64 pa, u64 len, u16 flags, u16 bar)
{
	put_unaligned_le64(pa >> CCDA_REPORT_UNIT_SHIFT, p);
	put_unaligned_le32(len >> CCDA_REPORT_UNIT_SHIFT, p + 8);
	put_unaligned_le32(flags | ((u32)bar << 16), p + 12);
	return p + CCDA_REPORT_RANGE_SIZE;
}

static void demo_device(struct demo_fw *fw, struct ccda_layout *l)
{
	const u16 msix = CCDA_RANGE_NON_TEE;
	u8 *p = fw->report + CCDA_REPORT_HDR_SIZE;

	memset(l, 0, sizeof(*l));
	l->bars[0] = (struct ccda_bar){ DEMO_BAR0, SZ_16M, CCDA_BAR_MEM };
	l->bars[1] = (struct ccda_bar){ DEMO_BAR1, SZ_1G,
		CCDA_BAR_MEM | CCDA_BAR_MEM64 | CCDA_BAR_PREFETCH };
	l->bars[3] = (struct ccda_bar){ DEMO_BAR3, SZ_32M,
		CCDA_BAR_MEM | CCDA_BAR_MEM64 };
	l->msix = (struct ccda_msix_layout){
		.nr_entries = 64, .table_bir = 0, .pba_bir = 0,
		.table_offset = 0xb90000, .pba_offset = 0xba0000,
	};

	put_unaligned_le16(CCDA_IFINFO_DMA_NO_PASID | CCDA_IFINFO_ATS,
			   fw->report);
	put_unaligned_le32(DEMO_NR_RANGES, fw->report + 12);
	p = demo_range(p, DEMO_BAR0, 0xa04000, 0, 0);
	p = demo_range(p, DEMO_BAR0 + 0xb90000, SZ_4K,
		       msix | CCDA_RANGE_MSIX_TABLE, 0);
	p = demo_range(p, DEMO_BAR0 + 0xba0000, SZ_4K,
		       msix | CCDA_RANGE_MSIX_PBA, 0);
	p = demo_range(p, DEMO_BAR0 + 0xc00000, SZ_4M, CCDA_RANGE_NON_TEE, 0);
	p = demo_range(p, DEMO_BAR1, SZ_1G, 0, 1);
	demo_range(p, DEMO_BAR3, SZ_4M, 0, 3);
}

static __printf(2, 3) void demo_line(void *ctx, const char *fmt, ...)
{
	struct va_format vaf;
	va_list args;

	va_start(args, fmt);
	vaf.fmt = fmt;
	vaf.va = &args;
	pr_info("%pV", &vaf);
	va_end(args);
}

static int demo_step(struct ccda_tdi *tdi, const char *what, int ret,
		     const struct ccda_diag *diag)
{
	if (ret) {
		pr_err("FAIL: %s: %d (%s)\n", what, ret,
		       diag->reason ?: "no reason");
		return ret;
	}
	pr_info("%-7s -> %s\n", what,
		ccda_tdi_state_name(ccda_tdi_state(tdi)));
	return 0;
}

/* Which teardown position (DOC "Teardown ordering") a step is */
static int demo_teardown_pos(enum ccda_step step)
{
	switch (step) {
	case CCDA_STEP_STOP:
		return 1;
	case CCDA_STEP_DISABLE_DMA:
		return 2;
	case CCDA_STEP_REVOKE:
	case CCDA_STEP_FLUSH:
		return 3;
	case CCDA_STEP_RECLAIM:
		return 4;
	case CCDA_STEP_RETURN_PAGES:
		return 5;
	case CCDA_STEP_RESTORE_SHARED:
		return 6;
	default:
		return 0;
	}
}

static void demo_trace(struct demo_fw *fw)
{
	unsigned int i;

	pr_info("backend steps, in order (unbind: [n] = teardown step n):\n");
	for (i = 0; i < fw->nr_steps; i++) {
		const struct demo_step *s = &fw->steps[i];
		const char *phase = i == fw->phase[0] ? "bind   " :
				    i == fw->phase[1] ? "accept " :
				    i == fw->phase[2] ? "unbind " : "       ";
		int pos = i >= fw->phase[2] ? demo_teardown_pos(s->step) : 0;
		char tag[8] = "   ";

		if (pos)
			snprintf(tag, sizeof(tag), "[%d]", pos);
		if (s->size)
			pr_info("  %s%2u %s %-14s %#llx +%#llx\n", phase, i + 1,
				tag, ccda_step_name(s->step), s->addr, s->size);
		else
			pr_info("  %s%2u %s %s\n", phase, i + 1, tag,
				ccda_step_name(s->step));
	}
	pr_info("  [7] only now may BME/MSE clear, FLR or VM destroy proceed\n");
}

static int demo_run(struct demo_fw *fw)
{
	static const u8 digest[32] = { 0x5e, 0xc0, 0xde };
	struct ccda_tdi_info info = { .role = CCDA_TDI_HOST, .id = 0x0100 };
	struct ccda_diag diag = {};
	struct ccda_layout layout;
	struct ccda_tdi *tdi;
	int ret;

	demo_device(fw, &layout);
	info.layout = &layout;
	info.priv = fw;
	ret = ccda_tdi_create(&demo_backend, &info, &tdi);
	if (ret) {
		pr_err("FAIL: create: %d\n", ret);
		return ret;
	}
	pr_info("device 0000:01:00.0 (GPU-like, 3 memory BARs, 64 MSI-X vectors), host role, backend %s\n",
		demo_backend.name);

	fw->phase[0] = 0;
	fw->phase[1] = DEMO_MAX_STEPS;
	fw->phase[2] = DEMO_MAX_STEPS;
	ret = demo_step(tdi, "bind", ccda_tdi_bind(tdi, &diag), &diag);
	fw->phase[1] = fw->nr_steps;
	if (!ret)
		ret = demo_step(tdi, "accept",
				ccda_tdi_accept(tdi, digest, sizeof(digest),
						&diag), &diag);
	if (!ret) {
		ccda_tdi_dump(tdi, demo_line, NULL);
		fw->phase[2] = fw->nr_steps;
		ret = demo_step(tdi, "unbind", ccda_tdi_unbind(tdi, &diag),
				&diag);
	}
	if (!ret && fw->mapped) {
		pr_err("FAIL: %u blocks still mapped after unbind\n",
		       fw->mapped);
		ret = -EIO;
	}
	demo_trace(fw);
	if (ccda_tdi_state(tdi) != CCDA_TDI_CONFIG_UNLOCKED)
		ccda_tdi_unbind(tdi, NULL);
	ccda_tdi_put(tdi);
	return ret;
}

static int __init ccda_demo_init(void)
{
	int ret;

	if (!demo)
		return 0;

	pr_info("TDI lifecycle demo: bind -> accept -> RUN -> unbind\n");
	ret = ccda_backend_register(&demo_backend);
	if (ret) {
		pr_err("FAIL: backend registration: %d\n", ret);
		return 0;
	}
	struct demo_fw *fw __free(kfree) = kzalloc(sizeof(*fw), GFP_KERNEL);
	ret = fw ? demo_run(fw) : -ENOMEM;
	ccda_backend_unregister(&demo_backend);
	if (ret)
		pr_err("FAIL: %d\n", ret);
	else
		pr_info("PASS\n");
	return 0;
}
late_initcall(ccda_demo_init);
