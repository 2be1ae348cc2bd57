/* SPDX-License-Identifier: GPL-2.0-only */
/* Also reached from libc headers: keep the uapi one, add the shim. */
#include_next <linux/module.h>
#include "../ccda-shim.h"
