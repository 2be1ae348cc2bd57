#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-only
#
# Everything `make test` checks, in one run:
#
#   scripts/ccda-test.sh [STAGE...]
#
# Stages (default: all, in this order):
#   deps          install what is missing (apt, by package name)
#   kunit-um      every KUnit suite on UML
#   demo          make demo: boot that UML kernel with ccda.demo=1 and check
#                 that the lifecycle demo passes (scripts/ccda-demo.sh)
#   kunit-san     every KUnit suite on UML with KASAN, UBSAN and lockdep;
#                 the log is scanned for reports that do not fail a test
#   kunit-x86_64  every KUnit suite under QEMU, per architecture
#   kunit-arm64
#   kunit-riscv
#   checkpatch    scripts/checkpatch.pl --strict on every .c/.h
#   kernel-doc    scripts/kernel-doc -none -Wall on every .c/.h
#   build-x86_64  compile-only build of the whole layer with W=1, and with
#   build-arm64   sparse (C=2) on x86_64 and arm64; any warning in our
#   build-riscv   files fails
#   release       out-of-tree build with KUnit off against Debian's own
#                 6.12 amd64 headers, warnings as errors
#   tools         build the user-space tools from the core sources and run
#                 their tests (tools/tests/)
#   fuzz          replay the fuzzer's seeds and every kept crash
#                 (tools/fuzz/regress/), then fuzz report -> map -> plan for
#                 CCDA_FUZZ_SECONDS (default 30) under ASan and UBSan
#
# Environment: CCDA_JOBS (default: nproc), CCDA_CACHE (see
# scripts/ccda-kernel.sh), CCDA_SUITE (a kunit.py filter_glob, e.g.
# 'ccda_report'), CCDA_LOGS (default: the cache's logs/ directory).
# The last line is "ccda: N passed, M failed"; the exit status is non-zero
# when anything failed.
set -uo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
jobs=${CCDA_JOBS:-$(nproc)}
suite=${CCDA_SUITE:-}
all_stages="deps kunit-um demo kunit-san kunit-x86_64 kunit-arm64 kunit-riscv
	checkpatch kernel-doc build-x86_64 build-arm64 build-riscv release tools fuzz"

passed=0
failed=0
failed_names=
kunit_cases=0

say() { printf '%s\n' "$*"; }

# --- dependencies ---------------------------------------------------------

deps_pkgs() {
	local need=() c p
	while read -r c p; do
		command -v "$c" >/dev/null 2>&1 || need+=("$p")
	done <<-EOF
		gcc gcc
		make make
		bc bc
		flex flex
		bison bison
		python3 python3
		perl perl
		xz xz-utils
		flock util-linux
		sparse sparse
		pahole dwarves
		qemu-system-x86_64 qemu-system-x86
		qemu-system-aarch64 qemu-system-arm
		qemu-system-riscv64 qemu-system-misc
		aarch64-linux-gnu-gcc gcc-aarch64-linux-gnu
		riscv64-linux-gnu-gcc gcc-riscv64-linux-gnu
		clang clang
	EOF
	[ -f /usr/include/libelf.h ] || need+=(libelf-dev)
	compgen -G '/usr/lib/llvm-*/lib/clang/*/lib/linux/libclang_rt.fuzzer-x86_64.a' \
		>/dev/null || need+=(libclang-rt-14-dev)
	[ -f /usr/include/openssl/ssl.h ] || need+=(libssl-dev)
	[ -f /usr/src/linux-source-6.12.tar.xz ] || need+=(linux-source-6.12)
	[ -f /usr/share/qemu/opensbi-riscv64-generic-fw_dynamic.bin ] ||
		need+=(qemu-system-data)
	[ -f /usr/share/qemu/qboot.rom ] || need+=(qemu-system-data)
	printf '%s\n' "${need[@]}" | sort -u
}

stage_deps() {
	local need sudo=
	need=$(deps_pkgs)
	[ -z "$need" ] && { say "all build dependencies present"; return 0; }
	[ "$(id -u)" = 0 ] || sudo=sudo
	say "installing: $need"
	$sudo apt-get update -qq &&
	# shellcheck disable=SC2086
	DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq $need
}

# --- KUnit ----------------------------------------------------------------

tree() { "$here/scripts/ccda-kernel.sh" tree; }

# kunit.py prints "Testing complete. Ran N tests: passed: N, ..." at the end.
count_kunit() {
	local n
	n=$(sed -n 's/.*Testing complete\. Ran \([0-9]*\) tests.*/\1/p' "$1" | tail -1)
	[ -n "$n" ] && kunit_cases=$((kunit_cases + n))
	[ -n "$n" ] && [ "$n" -gt 0 ]
}

# kunit.py exits non-zero on any failed, crashed or missing case; it keeps
# the raw kernel log in the build directory's test.log.
run_kunit() {
	local name=$1 arch=$2 cross=$3
	shift 3
	local t log rc
	t=$(tree) || return 1
	log=$logs/$name.log
	(cd "$t" && python3 tools/testing/kunit/kunit.py run \
		--kunitconfig=drivers/virt/coco/ccda/.kunitconfig \
		--build_dir=".kunit-$name" --arch="$arch" \
		${cross:+--cross_compile="$cross"} --jobs="$jobs" \
		"$@" ${suite:+"$suite"}) >"$log" 2>&1
	rc=$?
	cp "$t/.kunit-$name/test.log" "$logs/$name.raw" 2>/dev/null
	grep -E '^\[..:..:..\] (Testing complete|=+ \[(PASSED|FAILED|CRASHED)\])' "$log" |
		sed 's/^\[..:..:..\] //'
	count_kunit "$log" || { tail -n 30 "$log"; say "no KUnit test ran"; return 1; }
	[ $rc -eq 0 ] || tail -n 40 "$log"
	return $rc
}

stage_kunit-um() { run_kunit um um ""; }

# The demo boots the kunit-um kernel; keep its output in the log.
stage_demo() {
	"$here/scripts/ccda-demo.sh" >"$logs/demo.log" 2>&1
	local rc=$?
	grep -E '^(PASS|FAIL)|failed|no output' "$logs/demo.log"
	[ $rc -eq 0 ] && say "$(wc -l <"$logs/demo.log") lines of demo output"
	return $rc
}

# Reports that do not fail a KUnit case by themselves.  UML logs one
# harmless virt-pci WARNING, so a plain "WARNING:" is not one of them.
san_patterns='possible circular locking|possible recursive locking|inconsistent lock state|BUG: |UBSAN: '

stage_kunit-san() {
	run_kunit san um "" \
		--kconfig_add CONFIG_DEBUG_KERNEL=y \
		--kconfig_add CONFIG_KASAN=y \
		--kconfig_add CONFIG_UBSAN=y \
		--kconfig_add CONFIG_UBSAN_SHIFT=y \
		--kconfig_add CONFIG_UBSAN_ALIGNMENT=n \
		--kconfig_add CONFIG_PROVE_LOCKING=y \
		--kconfig_add CONFIG_DEBUG_ATOMIC_SLEEP=y || return 1
	if grep -E "$san_patterns" "$logs/san.raw"; then
		say "sanitizer or lockdep report in $logs/san.raw"
		return 1
	fi
}

stage_kunit-x86_64() { run_kunit x86_64 x86_64 ""; }
stage_kunit-arm64() { run_kunit arm64 arm64 aarch64-linux-gnu-; }
stage_kunit-riscv() { run_kunit riscv riscv riscv64-linux-gnu-; }

# --- static checks --------------------------------------------------------

sources() {
	(cd "$here" && { git ls-files -co --exclude-standard '*.c' '*.h' 2>/dev/null ||
		find . -name '*.[ch]' -not -path './.git/*'; }) | sed 's|^\./||' | sort -u
}

stage_checkpatch() {
	local t out
	t=$(tree) || return 1
	out=$(cd "$here" && sources | xargs perl "$t/scripts/checkpatch.pl" \
		--strict --no-tree --terse --show-types -f 2>&1 |
		grep -E ': (ERROR|WARNING|CHECK):')
	[ -z "$out" ] && { say "$(sources | wc -l) files clean"; return 0; }
	say "$out"
	return 1
}

stage_kernel-doc() {
	local t out
	t=$(tree) || return 1
	out=$(cd "$here" && sources | xargs perl "$t/scripts/kernel-doc" -none -Wall 2>&1)
	[ -z "$out" ] && { say "$(sources | wc -l) files clean"; return 0; }
	say "$out"
	return 1
}

# Compile only drivers/virt/coco/ccda/ in a modules_prepare'd tree, with
# W=1 and, where sparse understands the architecture's flags, sparse on
# every file (C=2); any diagnostic in our files fails.  Debian 12's sparse
# 0.6.4 rejects riscv's -march=..._zicsr_zifencei, so riscv is W=1 only;
# x86_64 and arm64 give sparse every arch-neutral file anyway.
build_arch() {
	local arch=$1 cross=$2 check=$3 t b log
	t=$(tree) || return 1
	b=$("$here/scripts/ccda-kernel.sh" kdir "$arch") || return 1
	log=$logs/build-$arch.raw
	make -C "$t" O="$b" ARCH="$arch" CROSS_COMPILE="$cross" -j"$jobs" \
		${check:+C=2} W=1 drivers/virt/coco/ccda/ >"$log" 2>&1 || {
		tail -n 30 "$log"
		return 1
	}
	if grep -E 'drivers/virt/coco/ccda/.*(warning|error):' "$log"; then
		return 1
	fi
	say "$(grep -c '^  CHECK' "$log") files checked by sparse, $(grep -c '^  CC' "$log") compiled"
}

stage_build-x86_64() { build_arch x86_64 "" sparse; }
stage_build-arm64() { build_arch arm64 aarch64-linux-gnu- sparse; }
stage_build-riscv() { build_arch riscv riscv64-linux-gnu- ""; }

# A release build: KUnit off, Debian's own headers, -Werror, in a copy so the
# checkout stays clean.
stage_release() {
	local h w log
	h=$("$here/scripts/ccda-kernel.sh" headers) || return 1
	w=$(mktemp -d)
	(cd "$here" && tar --exclude=.git -cf - .) | tar -xf - -C "$w"
	log=$logs/release.raw
	make -C "$h" M="$w" CONFIG_CCDA=m CCDA_WERROR=y -j"$jobs" modules \
		>"$log" 2>&1
	local rc=$?
	grep -E 'warning|error' "$log"
	[ $rc -eq 0 ] && say "built: $(cd "$w" && find . -name '*.ko' | sort | tr '\n' ' ')"
	rm -rf "$w"
	return $rc
}

# The user-space tools, built from the same core sources, in the cache.
stage_tools() {
	local o=$cache/tools-build
	make -s -C "$here/tools" O="$o" >"$logs/tools.log" 2>&1 || {
		cat "$logs/tools.log"
		return 1
	}
	python3 "$here/tools/tests/test_ccda_map.py" "$o/ccda-map" >>"$logs/tools.log" 2>&1
	local rc=$?
	grep -E '^(FAIL|SKIP)|passed' "$logs/tools.log"
	return $rc
}

# libFuzzer over the user-space build of parser + map + plan.  New inputs
# go to a corpus in the cache, never into the checkout; a crash input is
# kept in the logs, to be added to tools/fuzz/regress/ with its fix.
stage_fuzz() {
	local o=$cache/tools-build secs=${CCDA_FUZZ_SECONDS:-30} rc
	make -s -C "$here/tools" O="$o" "$o/ccda-fuzz" >"$logs/fuzz.log" 2>&1 || {
		cat "$logs/fuzz.log"
		return 1
	}
	CCDA_FUZZ_STATS=1 "$o/ccda-fuzz" "$here"/tools/fuzz/corpus/* \
		"$here"/tools/fuzz/regress/* >>"$logs/fuzz.log" 2>&1 || {
		tail -n 30 "$logs/fuzz.log"
		say "replay of the seeds and kept crashes failed"
		return 1
	}
	grep '^ccda_fuzz:' "$logs/fuzz.log" | tail -n 1
	mkdir -p "$cache/fuzz-corpus"
	"$o/ccda-fuzz" -max_total_time="$secs" -print_final_stats=1 \
		-artifact_prefix="$logs/fuzz-" "$cache/fuzz-corpus" \
		"$here/tools/fuzz/corpus" >>"$logs/fuzz.log" 2>&1
	rc=$?
	grep -E 'stat::number_of_executed_units|stat::average_exec_per_sec|invariant broken|SUMMARY' \
		"$logs/fuzz.log"
	return $rc
}

# --- driver ---------------------------------------------------------------

run_stage() {
	local s=$1 start rc
	start=$(date +%s)
	say "=== $s"
	"stage_$s"
	rc=$?
	if [ $rc -eq 0 ]; then
		passed=$((passed + 1))
		say "PASS $s ($(($(date +%s) - start)) s)"
	else
		failed=$((failed + 1))
		failed_names="$failed_names $s"
		say "FAIL $s ($(($(date +%s) - start)) s)"
	fi
}

stages=${*:-$all_stages}
for s in $stages; do
	declare -F "stage_$s" >/dev/null || { say "unknown stage: $s"; exit 2; }
done

cache=$("$here/scripts/ccda-kernel.sh" cache)
logs=${CCDA_LOGS:-$cache/logs}
mkdir -p "$logs"
begin=$(date +%s)
for s in $stages; do
	run_stage "$s"
done
say "logs: $logs"
say "KUnit test cases run: $kunit_cases; wall time $(($(date +%s) - begin)) s"
[ -n "$failed_names" ] && say "failed stages:$failed_names"
say "ccda: $passed passed, $failed failed"
[ $failed -eq 0 ]
