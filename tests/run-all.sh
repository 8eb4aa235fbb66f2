#!/usr/bin/env bash
# run-all.sh - run every test suite and end with one line:
#	N passed, N failed
#
# Suites (each skipped when absent):
#   build  one failure if DTK_BUILD_OK=0 (set by make check)
#   layers tests/layers.sh: no link cycle between the engine's groups
#          (common/run > prov > cg > lang > sym > out), nor between the
#          files of a group, one test
#   includes tests/includes.sh: each group includes only its own headers
#          and the public ones of the groups below it, one test
#   unit   build/asan/tests/test_* built from tests/unit/test_*.c; one test
#          per binary (it prints its failed checks and "ok N checks")
#   d      tests/d/run.sh, the D corpus (TAP)
#   bats   bats --tap tests/bats (TAP)
#
# Exit status: 0 when nothing failed.  `make check` builds first, then runs
# this from the top directory.
set -u
cd "$(dirname "$0")/.." || exit 1

passed=0
failed=0
log=$(mktemp)
trap 'rm -f "$log"' EXIT

export ASAN_OPTIONS=${ASAN_OPTIONS:-abort_on_error=0:detect_leaks=1}
export UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}

# Add up the TAP output in $log of a suite that exited with status $1:
# "ok" lines pass, "not ok" lines fail, "# skip" is reported but counted in
# neither.  A runner that fails without a "not ok" line (a broken file or
# helper) counts as one failure; one without TAP output counts as one test.
count_tap() {
	local rc=$1 ok notok skipped
	ok=$(grep -E '^ok ' "$log" | grep -vc -E '^ok [0-9]+ .*# (skip|SKIP)')
	skipped=$(grep -c -E '^ok [0-9]+ .*# (skip|SKIP)' "$log")
	notok=$(grep -c -E '^not ok ' "$log")
	((passed += ok))
	((failed += notok))
	((skipped)) && echo "($skipped skipped)"
	if ((rc != 0 && notok == 0)); then
		((failed++))
	elif ((ok + notok + skipped == 0)); then
		((passed++))
	fi
}

# --- the build (make check sets DTK_BUILD_OK=0 when `make all` failed) ---
if [[ ${DTK_BUILD_OK:-1} == 0 ]]; then
	echo "FAIL build: make all failed (errors above)"
	((failed++))
fi

# one_check NAME TITLE CMD...: a check that is one test, its last line told
one_check() {
	local name=$1 title=$2
	shift 2
	echo "== $title"
	if "$@" >"$log" 2>&1; then
		echo "ok   $name: $(tail -n 1 "$log")"
		((passed++))
	else
		cat "$log"
		echo "FAIL $name"
		((failed++))
	fi
}

# --- the engine's groups depend on each other in one order ---
if [[ ${DTK_BUILD_OK:-1} != 0 && -x tests/layers.sh ]]; then
	one_check layers "engine groups (tests/layers.sh)" tests/layers.sh
fi

# --- and include each other's headers in that order ---
if [[ -x tests/includes.sh ]]; then
	one_check includes "engine headers (tests/includes.sh)" tests/includes.sh
fi

# --- unit ---
shopt -s nullglob
units=(tests/unit/test_*.c)
if ((${#units[@]})); then
	echo "== unit tests (ASan+UBSan)"
	for src in "${units[@]}"; do
		name=$(basename "$src" .c)
		bin=build/asan/tests/$name
		if [[ ! -x $bin ]]; then
			echo "FAIL $name: not built"
			((failed++))
			continue
		fi
		if "$bin" >"$log" 2>&1; then
			echo "ok   $name: $(tail -n 1 "$log")"
			((passed++))
		else
			cat "$log"
			echo "FAIL $name"
			((failed++))
		fi
	done
fi

# --- D corpus ---
if [[ -f tests/d/run.sh ]]; then
	echo "== D programs (tests/d)"
	bash tests/d/run.sh 2>&1 | tee "$log"
	count_tap "${PIPESTATUS[0]}"
fi

# --- bats ---
bats_files=(tests/bats/*.bats)
if ((${#bats_files[@]})); then
	echo "== bats (tests/bats)"
	bats --tap tests/bats 2>&1 | tee "$log"
	count_tap "${PIPESTATUS[0]}"
fi

echo "$passed passed, $failed failed"
((failed == 0))
