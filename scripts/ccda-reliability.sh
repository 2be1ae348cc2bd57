#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-only
#
# Print the README's reliability table from the sources and from the logs
# of the last `make test` (scripts/ccda-test.sh writes them to the cache's
# logs/ directory).  Every figure is counted here, none is typed in.
#
#   scripts/ccda-reliability.sh [LOGDIR]
set -uo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
logs=${1:-${CCDA_LOGS:-$("$here/scripts/ccda-kernel.sh" cache)/logs}}

for f in san.raw san.log fuzz.log; do
	[ -f "$logs/$f" ] || { echo "no $logs/$f: run make test first" >&2; exit 1; }
done

# Distinct one-line refusal reasons per core file: every string literal in
# a call of that file's reject helper.
reasons() {
	python3 - "$here" <<'EOF'
import re, sys
root = sys.argv[1]
files = [("report", r"ccda_report_reject"),
         ("mmio_map", r"(?:ccda_map_reject|map_reject|map_classify_reject)"),
         ("plan", r"ccda_plan_reject"),
         ("tdi", r"(?:ccda_refuse|ccda_diag_set|ccda_reject)")]
total, parts = 0, []
for name, fn in files:
    src = open("%s/core/%s.c" % (root, name)).read()
    lits = set()
    for call in re.findall(r"\b%s\((.*?)\);" % fn, src, flags=re.S):
        lits.update(re.findall(r'"([^"]+)"', call))
    total += len(lits)
    parts.append("%s %d" % (name, len(lits)))
print("%d (%s)" % (total, ", ".join(parts)))
EOF
}

# A KUnit diagnostic line of the sanitizer run, e.g. "... = 21 cases".
san_line() {
	grep -hoE "$1" "$logs/san.raw" | tail -n 1
}

cases=$(grep -oE 'Ran [0-9]+ tests: passed: [0-9]+$' "$logs/san.log" | tail -n 1 |
	grep -oE '[0-9]+$')
faults_host=$(san_line 'host: fault injected at [0-9]+ steps x positions = [0-9]+ cases' |
	grep -oE '[0-9]+ cases' | grep -oE '[0-9]+')
faults_guest=$(san_line 'guest: fault injected at [0-9]+ steps x positions = [0-9]+ cases' |
	grep -oE '[0-9]+ cases' | grep -oE '[0-9]+')
storm=$(san_line '[0-9]+ TDIs on [0-9]+ kthreads, [0-9]+ more raising ERROR')
# ccda_stress: operations, injected faults that fired, recoveries, summed
# over its storm cases.
sum_field() {
	grep -hoE "# st_storm_[a-z]+: .*$1 [0-9]+" "$logs/san.raw" |
		grep -oE "$1 [0-9]+$" | awk '{ s += $NF } END { print s + 0 }'
}
stress_ops=$(grep -hoE '# st_storm_[a-z]+: seed [0-9]+: [0-9]+ ops' "$logs/san.raw" |
	grep -oE '[0-9]+ ops$' | awk '{ s += $1 } END { print s + 0 }')
stress=
[ "$stress_ops" -gt 0 ] &&
	stress="$stress_ops operations on 32 TDIs from 4 kthreads, $(sum_field fired) injected faults fired, $(sum_field recoveries) RAS recoveries"
san_reports=$(grep -cE 'possible circular locking|possible recursive locking|inconsistent lock state|BUG: |UBSAN: ' "$logs/san.raw")
execs=$(grep -oE 'stat::number_of_executed_units: [0-9]+' "$logs/fuzz.log" | tail -n 1 | grep -oE '[0-9]+$')
crashes=$(grep -cE 'invariant broken|ERROR: (AddressSanitizer|libFuzzer)|runtime error' "$logs/fuzz.log")
kept=$(find "$here/tools/fuzz/regress" -type f | wc -l)

printf '| what | figure |\n| --- | --- |\n'
printf '| distinct refusal reasons in the core (each an errno + one line) | %s |\n' "$(reasons)"
printf '| KUnit cases passed under KASAN + UBSAN + lockdep | %s |\n' "${cases:-0}"
printf '| fault-injection points survived (steps x positions) | host %s, guest %s |\n' \
	"${faults_host:-?}" "${faults_guest:-?}"
printf '| concurrent TDIs (lifecycle storm) | %s |\n' "${storm:-?}"
[ -n "$stress" ] && printf '| randomized lifecycle stress (ccda_stress) | %s |\n' "$stress"
printf '| fuzz executions in the bounded make test run, crashes | %s, %s |\n' \
	"${execs:-?}" "$crashes"
printf '| crash inputs kept and replayed | %s |\n' "$kept"
printf '| sanitizer and lockdep reports in the log | %s |\n' "$san_reports"
