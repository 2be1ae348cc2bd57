#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-only
#
# `make demo`: boot the UML kernel of the kunit-um stage with ccda.demo=1
# and print what the layer did with a sample GPU-like device: bind ->
# accept -> RUN -> unbind, the secure MMIO map, the firmware call plan and
# the ordered backend steps (core/demo.c).
#
#   scripts/ccda-demo.sh
#
# The kernel is (re)built incrementally first with the same kunit.py
# command as scripts/ccda-test.sh's kunit-um stage (.kunitconfig enables
# CONFIG_CCDA_DEMO).  kunit.enable=0 runs no suite; kunit_shutdown=halt
# still halts the kernel afterwards (lib/kunit/executor.c).  The exit
# status is non-zero when the demo printed nothing or reported a failure.
# Environment: CCDA_JOBS, CCDA_CACHE (see scripts/ccda-kernel.sh),
# CCDA_DEMO_TIMEOUT (seconds, default 120).
set -uo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
jobs=${CCDA_JOBS:-$(nproc)}
t=$("$here/scripts/ccda-kernel.sh" tree) || exit 1
logs=$("$here/scripts/ccda-kernel.sh" cache)/logs
mkdir -p "$logs"

(cd "$t" && python3 tools/testing/kunit/kunit.py build \
	--kunitconfig=drivers/virt/coco/ccda/.kunitconfig \
	--build_dir=.kunit-um --arch=um --jobs="$jobs") >"$logs/demo-build.log" 2>&1 || {
	tail -n 30 "$logs/demo-build.log"
	echo "ccda demo: building the UML kernel failed"
	exit 1
}

timeout "${CCDA_DEMO_TIMEOUT:-120}" "$t/.kunit-um/linux" ccda.demo=1 \
	kunit.enable=0 kunit_shutdown=halt mem=256M console=tty \
	</dev/null >"$logs/demo.raw" 2>&1
rc=$?
out=$(sed -n 's/^.*ccda demo: //p' "$logs/demo.raw")
if [ -z "$out" ]; then
	tail -n 30 "$logs/demo.raw"
	echo "ccda demo: no output (kernel exit status $rc; log: $logs/demo.raw)"
	exit 1
fi
printf '%s\n' "$out"
if [ $rc -ne 0 ] || ! grep -qx 'PASS' <<<"$out" || grep -q '^FAIL' <<<"$out"; then
	echo "ccda demo: failed (kernel exit status $rc; log: $logs/demo.raw)"
	exit 1
fi
