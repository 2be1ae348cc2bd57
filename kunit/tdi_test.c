// SPDX-License-Identifier: GPL-2.0-only
/*
 * KUnit tests for the TDI object and the policy (core/tdi.c): backend
 * registration checks, the transition table, driver binding, the
 * config-write filter, device and host events, the VM rule and the RAS
 * path.  Every negative case first proves that the valid path passes, and
 * every case checks at its end that nothing leaked and that the firmware
 * model (kunit/test_backend.c) is clean.
 */

#include <kunit/test.h>
#include <linux/module.h>
#include <linux/pci_regs.h>
#include <linux/sizes.h>
#include <linux/slab.h>

#include "ccda.h"
#include "test_backend.h"

#define TT_BLOCKS		((u64)SZ_4K | SZ_2M)
#define TT_MSE_BME		(PCI_COMMAND_MEMORY | PCI_COMMAND_MASTER)

static const u8 tt_digest[32] = { 0xd1, 0x6e, 0x57 };

static struct tb_ctx *tt_host(struct kunit *test)
{
	tb_live_check_start(test);
	return tb_setup(test, &tb_host_ops, TT_BLOCKS, CCDA_TDI_HOST, NULL);
}

static struct tb_ctx *tt_guest(struct kunit *test)
{
	tb_live_check_start(test);
	return tb_setup(test, &tb_guest_ops, CCDA_PLAN_RANGES, CCDA_TDI_GUEST,
			NULL);
}

static void tt_run(struct kunit *test, struct tb_ctx *c)
{
	KUNIT_ASSERT_EQ(test, ccda_tdi_bind(c->tdi, NULL), 0);
	KUNIT_ASSERT_EQ(test, ccda_tdi_accept(c->tdi, tt_digest,
					      sizeof(tt_digest), NULL), 0);
	KUNIT_ASSERT_EQ(test, ccda_tdi_state(c->tdi), CCDA_TDI_RUN);
}

/* --- registration --------------------------------------------------------- */

static int tt_translate(struct ccda_tdi *tdi, unsigned int bar, u64 pa,
			u64 len, u64 *offset)
{
	*offset = 0;
	return 0;
}

static int tt_register(struct ccda_backend_ops *ops, u64 blocks,
		       enum ccda_offset_mode mode)
{
	struct ccda_backend be = {
		.name = "reg", .ops = ops, .block_sizes = blocks,
		.offset_mode = mode,
	};
	int ret = ccda_backend_register(&be);

	if (!ret)
		ret = ccda_backend_unregister(&be);
	return ret;
}

static void tt_register_checks(struct kunit *test)
{
	struct ccda_backend_ops ops = tb_host_ops;

	/* valid first: blocks, ranges, translate with its op */
	KUNIT_EXPECT_EQ(test, tt_register(&ops, TT_BLOCKS,
					  CCDA_OFFSET_BAR_ALIGN), 0);
	KUNIT_EXPECT_EQ(test, tt_register(&ops, CCDA_PLAN_RANGES,
					  CCDA_OFFSET_RELATIVE), 0);
	ops.translate = tt_translate;
	KUNIT_EXPECT_EQ(test, tt_register(&ops, TT_BLOCKS,
					  CCDA_OFFSET_TRANSLATE), 0);

	/* a block size below 4K, an unknown offset mode */
	KUNIT_EXPECT_EQ(test, tt_register(&ops, SZ_2K | SZ_4K,
					  CCDA_OFFSET_BAR_ALIGN), -EINVAL);
	KUNIT_EXPECT_EQ(test, tt_register(&ops, TT_BLOCKS, 3), -EINVAL);
	/* TRANSLATE without a translate op */
	ops.translate = NULL;
	KUNIT_EXPECT_EQ(test, tt_register(&ops, TT_BLOCKS,
					  CCDA_OFFSET_TRANSLATE), -EINVAL);
	/* enable_dma without disable_dma */
	ops.disable_dma = NULL;
	KUNIT_EXPECT_EQ(test, tt_register(&ops, TT_BLOCKS,
					  CCDA_OFFSET_BAR_ALIGN), -EINVAL);
	/* every required op, one at a time */
	ops = tb_host_ops;
	ops.lock = NULL;
	KUNIT_EXPECT_EQ(test, tt_register(&ops, TT_BLOCKS, 0), -EINVAL);
	ops = tb_host_ops;
	ops.fetch_report = NULL;
	KUNIT_EXPECT_EQ(test, tt_register(&ops, TT_BLOCKS, 0), -EINVAL);
	ops = tb_host_ops;
	ops.establish = NULL;
	KUNIT_EXPECT_EQ(test, tt_register(&ops, TT_BLOCKS, 0), -EINVAL);
	ops = tb_host_ops;
	ops.start = NULL;
	KUNIT_EXPECT_EQ(test, tt_register(&ops, TT_BLOCKS, 0), -EINVAL);
	ops = tb_host_ops;
	ops.stop = NULL;
	KUNIT_EXPECT_EQ(test, tt_register(&ops, TT_BLOCKS, 0), -EINVAL);
	ops = tb_host_ops;
	ops.revoke = NULL;
	KUNIT_EXPECT_EQ(test, tt_register(&ops, TT_BLOCKS, 0), -EINVAL);
	KUNIT_EXPECT_EQ(test, ccda_backend_register(NULL), -EINVAL);
}

/* A backend is not withdrawn while a TDI uses it, nor registered twice */
static void tt_register_busy(struct kunit *test)
{
	struct tb_ctx *c = tt_host(test);

	KUNIT_EXPECT_EQ(test, ccda_backend_register(c->backend), -EBUSY);
	KUNIT_EXPECT_EQ(test, ccda_backend_unregister(c->backend), -EBUSY);
}

/* --- state ------------------------------------------------------------------ */

static void tt_transitions(struct kunit *test)
{
	struct tb_ctx *c = tt_host(test);

	/* accept needs CONFIG_LOCKED */
	KUNIT_EXPECT_EQ(test, ccda_tdi_accept(c->tdi, NULL, 0, NULL), -EBUSY);
	KUNIT_ASSERT_EQ(test, ccda_tdi_bind(c->tdi, NULL), 0);
	KUNIT_EXPECT_EQ(test, ccda_tdi_bind(c->tdi, NULL), -EBUSY);
	KUNIT_ASSERT_EQ(test, ccda_tdi_accept(c->tdi, NULL, 0, NULL), 0);
	/* RUN: no second accept, no bind: no way back to CONFIG_LOCKED */
	KUNIT_EXPECT_EQ(test, ccda_tdi_accept(c->tdi, NULL, 0, NULL), -EBUSY);
	KUNIT_EXPECT_EQ(test, ccda_tdi_bind(c->tdi, NULL), -EBUSY);
	KUNIT_EXPECT_EQ(test, ccda_tdi_state(c->tdi), CCDA_TDI_RUN);
	/* ERROR: only unbind leaves it */
	KUNIT_EXPECT_EQ(test, ccda_tdi_error(c->tdi), 0);
	KUNIT_EXPECT_EQ(test, ccda_tdi_state(c->tdi), CCDA_TDI_ERROR);
	KUNIT_EXPECT_EQ(test, ccda_tdi_accept(c->tdi, NULL, 0, NULL), -EBUSY);
	KUNIT_EXPECT_EQ(test, ccda_tdi_bind(c->tdi, NULL), -EBUSY);
	KUNIT_EXPECT_EQ(test, ccda_tdi_unbind(c->tdi, NULL), 0);
	KUNIT_EXPECT_EQ(test, ccda_tdi_state(c->tdi),
			CCDA_TDI_CONFIG_UNLOCKED);
	KUNIT_EXPECT_TRUE(test, tb_clean(c->tb));
}

static void tt_digest_too_long(struct kunit *test)
{
	static const u8 big[CCDA_DIGEST_MAX + 1];
	struct tb_ctx *c = tt_host(test);

	KUNIT_ASSERT_EQ(test, ccda_tdi_bind(c->tdi, NULL), 0);
	KUNIT_EXPECT_EQ(test, ccda_tdi_accept(c->tdi, big, sizeof(big), NULL),
			-EINVAL);
	KUNIT_EXPECT_EQ(test, ccda_tdi_accept(c->tdi, big, CCDA_DIGEST_MAX,
					      NULL), 0);
}

static void tt_refcount(struct kunit *test)
{
	struct tb_ctx *c = tt_host(test);

	KUNIT_EXPECT_PTR_EQ(test, ccda_tdi_get(c->tdi), c->tdi);
	ccda_tdi_put(c->tdi);
	KUNIT_EXPECT_PTR_EQ(test, ccda_tdi_priv(c->tdi), (void *)c->tb);
	KUNIT_EXPECT_EQ(test, ccda_tdi_id(c->tdi), 0x100);
	KUNIT_EXPECT_EQ(test, ccda_tdi_role(c->tdi), CCDA_TDI_HOST);
	KUNIT_EXPECT_STREQ(test, ccda_tdi_state_name(CCDA_TDI_RUN), "RUN");
	KUNIT_EXPECT_STREQ(test, ccda_step_name(CCDA_STEP_NR), "?");
}

/* --- drivers ---------------------------------------------------------------- */

/* A T=1 device is not probed before accept; a bound driver blocks */
static void tt_guest_probe(struct kunit *test)
{
	struct tb_ctx *c = tt_guest(test);

	KUNIT_EXPECT_FALSE(test, ccda_tdi_may_probe(c->tdi));
	KUNIT_EXPECT_EQ(test, ccda_tdi_driver_bound(c->tdi), -EBUSY);
	KUNIT_ASSERT_EQ(test, ccda_tdi_bind(c->tdi, NULL), 0);
	KUNIT_EXPECT_FALSE(test, ccda_tdi_may_probe(c->tdi));
	KUNIT_ASSERT_EQ(test, ccda_tdi_accept(c->tdi, NULL, 0, NULL), 0);
	KUNIT_EXPECT_TRUE(test, ccda_tdi_may_probe(c->tdi));
	KUNIT_EXPECT_EQ(test, ccda_tdi_driver_bound(c->tdi), 0);
	KUNIT_EXPECT_EQ(test, ccda_tdi_driver_bound(c->tdi), -EBUSY);
	KUNIT_EXPECT_EQ(test, ccda_tdi_unbind(c->tdi, NULL), -EBUSY);
	KUNIT_EXPECT_EQ(test, ccda_tdi_state(c->tdi), CCDA_TDI_RUN);
}

/* A guest driver unbind leaves the TDI in RUN */
static void tt_guest_driver_unbind(struct kunit *test)
{
	struct tb_ctx *c = tt_guest(test);

	tt_run(test, c);
	KUNIT_ASSERT_EQ(test, ccda_tdi_driver_bound(c->tdi), 0);
	tb_reset_log(c->tb);
	ccda_tdi_driver_unbound(c->tdi);
	KUNIT_EXPECT_EQ(test, ccda_tdi_state(c->tdi), CCDA_TDI_RUN);
	KUNIT_EXPECT_EQ(test, c->tb->nr_log, 0);
	KUNIT_EXPECT_EQ(test, tb_nr_mapped(c->tb), 2);
}

/* Host: lock, accept and unbind refuse while a driver is bound */
static void tt_host_driver_bound(struct kunit *test)
{
	struct tb_ctx *c = tt_host(test);

	KUNIT_EXPECT_TRUE(test, ccda_tdi_may_probe(c->tdi));
	KUNIT_ASSERT_EQ(test, ccda_tdi_driver_bound(c->tdi), 0);
	KUNIT_EXPECT_EQ(test, ccda_tdi_bind(c->tdi, NULL), -EBUSY);
	KUNIT_EXPECT_EQ(test, c->tb->calls[CCDA_STEP_LOCK], 0);
	ccda_tdi_driver_unbound(c->tdi);
	KUNIT_ASSERT_EQ(test, ccda_tdi_bind(c->tdi, NULL), 0);
	KUNIT_EXPECT_FALSE(test, ccda_tdi_may_probe(c->tdi));
	KUNIT_EXPECT_EQ(test, ccda_tdi_driver_bound(c->tdi), -EBUSY);
}

/* --- the config-write filter ------------------------------------------------ */

static enum ccda_cfg_verdict tt_cfg(struct tb_ctx *c, unsigned int off,
				    unsigned int size, u32 val)
{
	return ccda_tdi_config_write(c->tdi, off, size, val, true, NULL);
}

static void tt_cfg_command(struct kunit *test)
{
	struct tb_ctx *c = tt_host(test);
	u16 cmd = TT_MSE_BME | PCI_COMMAND_INTX_DISABLE;

	/* unlocked: anything goes */
	KUNIT_EXPECT_EQ(test, tt_cfg(c, PCI_COMMAND, 2, 0), CCDA_CFG_ALLOW);
	tt_run(test, c);
	/* valid: keeping MSE and BME, status, the command's high byte */
	KUNIT_EXPECT_EQ(test, tt_cfg(c, PCI_COMMAND, 2, cmd), CCDA_CFG_ALLOW);
	KUNIT_EXPECT_EQ(test, tt_cfg(c, PCI_STATUS, 2, 0), CCDA_CFG_ALLOW);
	KUNIT_EXPECT_EQ(test, tt_cfg(c, PCI_COMMAND + 1, 1, 0),
			CCDA_CFG_ALLOW);
	KUNIT_EXPECT_EQ(test, tt_cfg(c, PCI_COMMAND, 4, 0xffff0000 | cmd),
			CCDA_CFG_ALLOW);
	/* read-modify-write clearing MSE, BME; a byte and a dword write */
	KUNIT_EXPECT_EQ(test, tt_cfg(c, PCI_COMMAND, 2,
				     cmd & ~PCI_COMMAND_MEMORY),
			CCDA_CFG_BLOCKED);
	KUNIT_EXPECT_EQ(test, tt_cfg(c, PCI_COMMAND, 2,
				     cmd & ~PCI_COMMAND_MASTER),
			CCDA_CFG_BLOCKED);
	KUNIT_EXPECT_EQ(test, tt_cfg(c, PCI_COMMAND, 1, PCI_COMMAND_MASTER),
			CCDA_CFG_BLOCKED);
	KUNIT_EXPECT_EQ(test, tt_cfg(c, PCI_COMMAND, 4, 0xffff0000),
			CCDA_CFG_BLOCKED);
	/* malformed: an odd size, an unaligned dword */
	KUNIT_EXPECT_EQ(test, tt_cfg(c, PCI_COMMAND, 3, ~0U), CCDA_CFG_BLOCKED);
	KUNIT_EXPECT_EQ(test, tt_cfg(c, PCI_COMMAND - 2, 4, ~0U),
			CCDA_CFG_BLOCKED);
	/* blocked writes leave the TDI alone */
	KUNIT_EXPECT_EQ(test, ccda_tdi_state(c->tdi), CCDA_TDI_RUN);
}

/* The INTx-disable test writes the command value it read back, toggled */
static void tt_cfg_intx_test(struct kunit *test)
{
	struct tb_ctx *c = tt_host(test);
	u16 orig = TT_MSE_BME;

	tt_run(test, c);
	KUNIT_EXPECT_EQ(test, tt_cfg(c, PCI_COMMAND, 2,
				     orig ^ PCI_COMMAND_INTX_DISABLE),
			CCDA_CFG_ALLOW);
	/* the same test on a command value without BME is reported */
	orig = PCI_COMMAND_MEMORY;
	KUNIT_EXPECT_EQ(test, tt_cfg(c, PCI_COMMAND, 2,
				     orig ^ PCI_COMMAND_INTX_DISABLE),
			CCDA_CFG_BLOCKED);
}

/* A 64-bit BAR sizing sequence: decode off, all-ones to both halves */
static void tt_cfg_bar_sizing(struct kunit *test)
{
	struct tb_ctx *c = tt_host(test);
	struct ccda_diag diag = {};

	KUNIT_EXPECT_EQ(test, tt_cfg(c, PCI_BASE_ADDRESS_0, 4, ~0U),
			CCDA_CFG_ALLOW);
	KUNIT_ASSERT_EQ(test, ccda_tdi_bind(c->tdi, NULL), 0);
	KUNIT_EXPECT_EQ(test, tt_cfg(c, PCI_COMMAND, 2,
				     TT_MSE_BME & ~PCI_COMMAND_MEMORY),
			CCDA_CFG_BLOCKED);
	KUNIT_EXPECT_EQ(test, tt_cfg(c, PCI_BASE_ADDRESS_0, 4, ~0U),
			CCDA_CFG_BLOCKED);
	KUNIT_EXPECT_EQ(test, tt_cfg(c, PCI_BASE_ADDRESS_1, 4, ~0U),
			CCDA_CFG_BLOCKED);
	KUNIT_EXPECT_EQ(test, tt_cfg(c, PCI_BASE_ADDRESS_5 + 2, 2, 0),
			CCDA_CFG_BLOCKED);
	KUNIT_EXPECT_EQ(test, tt_cfg(c, PCI_CARDBUS_CIS, 4, ~0U),
			CCDA_CFG_ALLOW);
	/* let through: reported, and the TDI goes to ERROR */
	KUNIT_EXPECT_EQ(test, ccda_tdi_config_write(c->tdi, PCI_BASE_ADDRESS_0,
						    4, ~0U, false, &diag),
			CCDA_CFG_ERRORED);
	KUNIT_EXPECT_STREQ(test, diag.reason,
			   "config write to a BAR of a locked TDI");
	KUNIT_EXPECT_EQ(test, ccda_tdi_state(c->tdi), CCDA_TDI_ERROR);
}

static void tt_cfg_let_through(struct kunit *test)
{
	struct tb_ctx *c = tt_host(test);

	tt_run(test, c);
	KUNIT_EXPECT_EQ(test, ccda_tdi_config_write(c->tdi, PCI_COMMAND, 2,
						    PCI_COMMAND_MEMORY, false,
						    NULL),
			CCDA_CFG_ERRORED);
	KUNIT_EXPECT_EQ(test, ccda_tdi_state(c->tdi), CCDA_TDI_ERROR);
	/* after unbind BME/MSE may be cleared */
	KUNIT_ASSERT_EQ(test, ccda_tdi_unbind(c->tdi, NULL), 0);
	KUNIT_EXPECT_EQ(test, tt_cfg(c, PCI_COMMAND, 2, 0), CCDA_CFG_ALLOW);
}

/* --- events ------------------------------------------------------------------ */

static const enum ccda_tdi_event tt_dev_events[] = {
	CCDA_EVENT_FLR, CCDA_EVENT_D3HOT, CCDA_EVENT_BUS_RESET,
	CCDA_EVENT_MSE_CLEAR,
};

static void tt_event_desc(const enum ccda_tdi_event *e, char *desc)
{
	static const char * const names[] = {
		"FLR", "D3hot", "bus reset", "MSE clear",
		"VM destroy", "vdev destroy", "VFIO close",
	};

	strscpy(desc, names[*e], KUNIT_PARAM_DESC_SIZE);
}

KUNIT_ARRAY_PARAM(tt_dev_event, tt_dev_events, tt_event_desc);

/* The event unbinds first (with a driver bound), then may proceed; no rebind */
static void tt_device_event(struct kunit *test)
{
	const enum ccda_tdi_event *ev = test->param_value;
	struct tb_ctx *c = tt_guest(test);

	tt_run(test, c);
	KUNIT_ASSERT_EQ(test, ccda_tdi_driver_bound(c->tdi), 0);
	tb_reset_log(c->tb);
	KUNIT_EXPECT_EQ(test, ccda_tdi_event(c->tdi, *ev, NULL), 0);
	KUNIT_EXPECT_EQ(test, ccda_tdi_state(c->tdi),
			CCDA_TDI_CONFIG_UNLOCKED);
	KUNIT_EXPECT_TRUE(test, tb_clean(c->tb));
	KUNIT_EXPECT_EQ(test, c->tb->calls[CCDA_STEP_STOP], 1);
	KUNIT_EXPECT_EQ(test, c->tb->calls[CCDA_STEP_LOCK], 0);
	/* on an unbound TDI the event just proceeds */
	KUNIT_EXPECT_EQ(test, ccda_tdi_event(c->tdi, *ev, NULL), 0);
}

static const enum ccda_tdi_event tt_host_events[] = {
	CCDA_EVENT_VM_DESTROY, CCDA_EVENT_VDEV_DESTROY, CCDA_EVENT_VFIO_CLOSE,
};

KUNIT_ARRAY_PARAM(tt_host_event, tt_host_events, tt_event_desc);

/* Host: RUN ends at VM destroy, vdev destroy or VFIO close; then BME/MSE */
static void tt_host_event(struct kunit *test)
{
	const enum ccda_tdi_event *ev = test->param_value;
	struct tb_ctx *c = tt_host(test);

	tt_run(test, c);
	KUNIT_EXPECT_EQ(test, tt_cfg(c, PCI_COMMAND, 2, 0), CCDA_CFG_BLOCKED);
	KUNIT_EXPECT_EQ(test, ccda_tdi_event(c->tdi, *ev, NULL), 0);
	KUNIT_EXPECT_EQ(test, ccda_tdi_state(c->tdi),
			CCDA_TDI_CONFIG_UNLOCKED);
	KUNIT_EXPECT_TRUE(test, tb_clean(c->tb));
	KUNIT_EXPECT_EQ(test, tt_cfg(c, PCI_COMMAND, 2, 0), CCDA_CFG_ALLOW);
}

static void tt_host_event_on_guest(struct kunit *test)
{
	struct tb_ctx *c = tt_guest(test);

	tt_run(test, c);
	KUNIT_EXPECT_EQ(test, ccda_tdi_event(c->tdi, CCDA_EVENT_FLR, NULL), 0);
	tt_run(test, c);
	KUNIT_EXPECT_EQ(test, ccda_tdi_event(c->tdi, CCDA_EVENT_VFIO_CLOSE,
					     NULL), -EINVAL);
	KUNIT_EXPECT_EQ(test, ccda_tdi_event(c->tdi, 99, NULL), -EINVAL);
	KUNIT_EXPECT_EQ(test, ccda_tdi_state(c->tdi), CCDA_TDI_RUN);
}

/* A VM is destroyed only once all its TDIs are unbound */
static void tt_vm_destroy(struct kunit *test)
{
	struct ccda_vm *vm;
	struct tb_ctx *c;

	tb_live_check_start(test);
	KUNIT_ASSERT_EQ(test, ccda_vm_create(&vm), 0);
	c = tb_setup(test, &tb_host_ops, TT_BLOCKS, CCDA_TDI_HOST, vm);
	tt_run(test, c);
	KUNIT_EXPECT_EQ(test, ccda_vm_destroy(vm), -EBUSY);
	KUNIT_EXPECT_EQ(test, ccda_tdi_state(c->tdi), CCDA_TDI_RUN);
	KUNIT_ASSERT_EQ(test, ccda_tdi_event(c->tdi, CCDA_EVENT_VM_DESTROY,
					     NULL), 0);
	KUNIT_EXPECT_EQ(test, ccda_vm_destroy(vm), 0);
}

/* --- RAS ---------------------------------------------------------------------- */

static void tt_ras_same_digest(struct kunit *test)
{
	struct tb_ctx *c = tt_host(test);

	tt_run(test, c);
	/* not after an ERROR: nothing to recover; in RUN: unbind first */
	KUNIT_EXPECT_EQ(test, ccda_tdi_recover(c->tdi, tt_digest,
					       sizeof(tt_digest), NULL),
			-EBUSY);
	KUNIT_ASSERT_EQ(test, ccda_tdi_error(c->tdi), 0);
	KUNIT_EXPECT_EQ(test, ccda_tdi_recover(c->tdi, tt_digest,
					       sizeof(tt_digest), NULL),
			-EBUSY);
	KUNIT_ASSERT_EQ(test, ccda_tdi_unbind(c->tdi, NULL), 0);
	/* the reset happens here; the measurement is unchanged */
	KUNIT_EXPECT_EQ(test, ccda_tdi_recover(c->tdi, tt_digest,
					       sizeof(tt_digest), NULL), 0);
	KUNIT_EXPECT_EQ(test, ccda_tdi_state(c->tdi), CCDA_TDI_RUN);
	KUNIT_EXPECT_EQ(test, tb_nr_mapped(c->tb), 4);
}

static void tt_ras_changed_digest(struct kunit *test)
{
	struct tb_ctx *c = tt_host(test);
	struct ccda_diag diag = {};
	u8 other[sizeof(tt_digest)];

	memcpy(other, tt_digest, sizeof(other));
	other[31] ^= 1;
	tt_run(test, c);
	KUNIT_ASSERT_EQ(test, ccda_tdi_error(c->tdi), 0);
	KUNIT_ASSERT_EQ(test, ccda_tdi_unbind(c->tdi, NULL), 0);
	tb_reset_log(c->tb);
	KUNIT_EXPECT_EQ(test, ccda_tdi_recover(c->tdi, other, sizeof(other),
					       &diag), -EACCES);
	KUNIT_EXPECT_NOT_NULL(test, diag.reason);
	KUNIT_EXPECT_EQ(test, ccda_tdi_state(c->tdi),
			CCDA_TDI_CONFIG_UNLOCKED);
	KUNIT_EXPECT_EQ(test, c->tb->nr_log, 0);
	/* and it is not armed any more: no second chance */
	KUNIT_EXPECT_EQ(test, ccda_tdi_recover(c->tdi, tt_digest,
					       sizeof(tt_digest), NULL),
			-EINVAL);
}

/* An ERROR before RUN, or a TDI never accepted, is not recovered */
static void tt_ras_not_armed(struct kunit *test)
{
	struct tb_ctx *c = tt_host(test);

	KUNIT_ASSERT_EQ(test, ccda_tdi_bind(c->tdi, NULL), 0);
	KUNIT_ASSERT_EQ(test, ccda_tdi_error(c->tdi), 0);
	KUNIT_ASSERT_EQ(test, ccda_tdi_unbind(c->tdi, NULL), 0);
	KUNIT_EXPECT_EQ(test, ccda_tdi_recover(c->tdi, tt_digest,
					       sizeof(tt_digest), NULL),
			-EINVAL);
}

static struct kunit_case ccda_tdi_cases[] = {
	KUNIT_CASE(tt_register_checks),
	KUNIT_CASE(tt_register_busy),
	KUNIT_CASE(tt_transitions),
	KUNIT_CASE(tt_digest_too_long),
	KUNIT_CASE(tt_refcount),
	KUNIT_CASE(tt_guest_probe),
	KUNIT_CASE(tt_guest_driver_unbind),
	KUNIT_CASE(tt_host_driver_bound),
	KUNIT_CASE(tt_cfg_command),
	KUNIT_CASE(tt_cfg_intx_test),
	KUNIT_CASE(tt_cfg_bar_sizing),
	KUNIT_CASE(tt_cfg_let_through),
	KUNIT_CASE_PARAM(tt_device_event, tt_dev_event_gen_params),
	KUNIT_CASE_PARAM(tt_host_event, tt_host_event_gen_params),
	KUNIT_CASE(tt_host_event_on_guest),
	KUNIT_CASE(tt_vm_destroy),
	KUNIT_CASE(tt_ras_same_digest),
	KUNIT_CASE(tt_ras_changed_digest),
	KUNIT_CASE(tt_ras_not_armed),
	{}
};

static struct kunit_suite ccda_tdi_suite = {
	.name = "ccda_tdi",
	.test_cases = ccda_tdi_cases,
};

kunit_test_suite(ccda_tdi_suite);

MODULE_IMPORT_NS(EXPORTED_FOR_KUNIT_TESTING);
MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("KUnit tests for the ccda TDI state and policy");
