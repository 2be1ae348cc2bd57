/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * What the user-space ccda tools share: reading a device directory and a
 * report file, the backends' planning parameters, and output helpers.
 */
#ifndef _CCDA_TOOL_H_
#define _CCDA_TOOL_H_

#include <stdio.h>

#include "ccda.h"

/**
 * struct ccda_tool_backend - how a backend asks for its plan
 * @name: the backend's name on the command line
 * @block_sizes: block sizes its firmware maps, or %CCDA_PLAN_RANGES
 * @call: the firmware call one plan entry stands for
 */
struct ccda_tool_backend {
	const char *name;
	u64 block_sizes;
	const char *call;
};

extern const struct ccda_tool_backend ccda_tool_backends[];
extern const unsigned int ccda_tool_nr_backends;

const struct ccda_tool_backend *ccda_tool_backend(const char *name);
const char *ccda_tool_kind_name(enum ccda_seg_kind kind);
void ccda_tool_print_sizes(FILE *f, u64 block_sizes, bool json);
void ccda_tool_json_string(FILE *f, const char *s);
__printf(1, 2) int ccda_tool_usage_error(const char *fmt, ...);
u8 *ccda_tool_read_file(const char *path, size_t max, size_t *len);
int ccda_tool_read_layout(const char *dir, struct ccda_layout *layout);
int ccda_tool_layout_from_config(const u8 *cfg, size_t len,
				 struct ccda_msix_layout *msix);

#endif /* _CCDA_TOOL_H_ */
