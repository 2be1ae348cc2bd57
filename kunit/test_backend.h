/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * A recording test backend shared by the ccda_tdi and ccda_lifecycle
 * suites.  It logs every step with its argument, keeps per-TDI firmware
 * state (locked, started, DMA, each block mapped / blocked / assigned) and
 * fails the running test loudly on any call a real TSM would reject.  It
 * can fail the n-th call of a step, or answer -EBUSY a number of times.
 */
#ifndef _CCDA_TEST_BACKEND_H_
#define _CCDA_TEST_BACKEND_H_

#include <kunit/test.h>
#include <linux/mutex.h>

#include "ccda.h"

#define TB_LOG_MAX		256
#define TB_BLOCKS_MAX		64

/* One logged backend call */
struct tb_entry {
	enum ccda_step step;
	u64 addr;
	u64 size;
	int ret;
};

/* One block the firmware knows about */
struct tb_block {
	u64 addr;
	u64 size;
	bool mapped;		/* established and not flushed away */
	bool blocked;		/* revoked, waiting for the flush */
	bool assigned;		/* pages owned by the guest until returned */
};

/**
 * struct tb_tdi - the test firmware's view of one TDI (ccda_tdi_priv())
 * @test: the test that fails on an illegal call
 * @report: the report fetch_report hands out
 * @report_len: its length
 * @lock: protects the fields below against the test reading them
 * @locked: LOCK_INTERFACE done, not reclaimed
 * @started: START_INTERFACE done, not stopped
 * @dma: trusted DMA on
 * @shared_lost: the shared view was changed by an establish
 * @blocks: the blocks ever established
 * @nr_blocks: entries in @blocks
 * @log: the calls, in order
 * @nr_log: entries in @log (capped at %TB_LOG_MAX; @lost counts the rest)
 * @lost: calls not logged
 * @calls: calls per step
 * @fail_step: step to fail, or %CCDA_STEP_NR
 * @fail_nth: fail the @fail_nth call (1-based) of @fail_step; 0: every call
 * @fail_seen: calls of @fail_step since tb_fail()
 * @fail_err: what the failing call returns
 * @busy: answer -EBUSY this many more times to @fail_step first
 * @quiet: do not log (concurrency storms)
 */
struct tb_tdi {
	struct kunit *test;
	const u8 *report;
	size_t report_len;
	/* the model's state below, against the test reading it */
	struct mutex lock;
	bool locked;
	bool started;
	bool dma;
	bool shared_lost;
	struct tb_block blocks[TB_BLOCKS_MAX];
	unsigned int nr_blocks;
	struct tb_entry log[TB_LOG_MAX];
	unsigned int nr_log;
	unsigned int lost;
	unsigned int calls[CCDA_STEP_NR];
	enum ccda_step fail_step;
	unsigned int fail_nth;
	unsigned int fail_seen;
	int fail_err;
	unsigned int busy;
	bool quiet;
};

extern const struct ccda_backend_ops tb_host_ops;
extern const struct ccda_backend_ops tb_guest_ops;

/* The sample device: a 4 MiB 64-bit BAR0 and a 64 KiB BAR2 with MSI-X */
#define TB_BAR0			0xc0000000ULL
#define TB_BAR2			0xd0000000ULL

void tb_sample_layout(struct ccda_layout *layout);
size_t tb_sample_report(u8 *buf, size_t size);

struct tb_tdi *tb_tdi_new(struct kunit *test);
void tb_reset_log(struct tb_tdi *tb);
void tb_fail(struct tb_tdi *tb, enum ccda_step step, unsigned int nth,
	     int err);
unsigned int tb_nr_mapped(struct tb_tdi *tb);
unsigned int tb_nr_assigned(struct tb_tdi *tb);
bool tb_clean(struct tb_tdi *tb);
int tb_format(struct tb_tdi *tb, char *buf, size_t size);

/**
 * struct tb_ctx - one backend and one TDI of a test case
 * @test: the test
 * @backend: registered by tb_setup(), unregistered at the case's end
 * @tb: the firmware model of the TDI
 * @tdi: the TDI; at the case's end it is unbound and put, and the model
 *	must be clean
 */
struct tb_ctx {
	struct kunit *test;
	struct ccda_backend *backend;
	struct tb_tdi *tb;
	struct ccda_tdi *tdi;
};

struct tb_ctx *tb_setup(struct kunit *test, const struct ccda_backend_ops *ops,
			u64 block_sizes, enum ccda_tdi_role role,
			struct ccda_vm *vm);
void tb_live_check_start(struct kunit *test);

#endif /* _CCDA_TEST_BACKEND_H_ */
