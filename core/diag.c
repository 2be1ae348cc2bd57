// SPDX-License-Identifier: GPL-2.0-only
/**
 * DOC: Refusals
 *
 * Every function of the core that takes input from a device, a VMM or a
 * backend refuses bad input the same way: a negative errno that says what
 * kind of fault it is, a one-line reason of static storage in
 * &struct ccda_diag with the index of the offending element, and one
 * pr_debug() line.  Refusals are what a device can trigger at will, so they
 * are never louder than debug; success is silent and clears the diag.
 */

#define pr_fmt(fmt) "ccda: " fmt

#include <linux/printk.h>

#include "ccda.h"
#include "ccda_private.h"

/**
 * ccda_reject() - refuse an input
 * @diag: where to record the refusal, or %NULL
 * @err: the negative errno to return
 * @what: the operation refused ("report", "map", "plan", ...)
 * @unit: what @index counts ("range", "segment", ...)
 * @reason: one line, static storage
 * @index: the offending element, or -1 when the input as a whole is at fault
 *
 * Context: Any context.
 * Return: @err.
 */
int ccda_reject(struct ccda_diag *diag, int err, const char *what,
		const char *unit, const char *reason, int index)
{
	if (index < 0)
		pr_debug("%s refused: %s\n", what, reason);
	else
		pr_debug("%s refused: %s %d: %s\n", what, unit, index, reason);

	if (diag) {
		diag->reason = reason;
		diag->index = index;
	}
	return err;
}

/**
 * ccda_diag_clear() - record that an input was accepted
 * @diag: the diag to clear, or %NULL
 *
 * Context: Any context.
 */
void ccda_diag_clear(struct ccda_diag *diag)
{
	if (diag) {
		diag->reason = NULL;
		diag->index = -1;
	}
}
