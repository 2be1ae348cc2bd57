/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Helpers shared by the ccda KUnit suites.
 */
#ifndef _CCDA_KUNIT_H_
#define _CCDA_KUNIT_H_

#include <kunit/resource.h>
#include <kunit/test.h>
#include <linux/atomic.h>

/**
 * struct ccda_kunit_live - a live-object counter watched by one case
 * @test: the case
 * @counter: the core's counter (ccda_report_live, ccda_map_live, ...)
 * @start: its value when the case began
 * @what: the objects it counts, for the failure message
 */
struct ccda_kunit_live {
	struct kunit *test;
	const atomic_t *counter;
	int start;
	const char *what;
};

static inline void ccda_kunit_live_check(void *data)
{
	struct ccda_kunit_live *live = data;

	KUNIT_EXPECT_EQ_MSG(live->test, atomic_read(live->counter), live->start,
			    "%s leaked or freed twice", live->what);
}

/**
 * ccda_kunit_track_live() - fail the case if a live-object counter moved
 * @test: the case
 * @counter: the core's live-object counter
 * @what: the objects it counts, for the failure message
 *
 * Call it first in a suite's init, so that its check runs after every other
 * cleanup action of the case: every object the case created must be gone.
 *
 * Return: 0, or -ENOMEM.
 */
static inline int ccda_kunit_track_live(struct kunit *test,
					const atomic_t *counter,
					const char *what)
{
	struct ccda_kunit_live *live;

	live = kunit_kzalloc(test, sizeof(*live), GFP_KERNEL);
	if (!live)
		return -ENOMEM;
	live->test = test;
	live->counter = counter;
	live->start = atomic_read(counter);
	live->what = what;
	return kunit_add_action_or_reset(test, ccda_kunit_live_check, live);
}

#endif /* _CCDA_KUNIT_H_ */
