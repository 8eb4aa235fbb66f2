#!/usr/bin/env bash
# run-all.sh - run every test suite and end with one line:
#	N passed, N failed
#
# Suites (each skipped when absent):
#   build  one failure if DTK_BUILD_OK=0 (set by make check)
#   unit   build/asan/tests/test_* built from tests/unit/test_*.c; one test
#          per binary (it prints its failed checks and "ok N checks")
#   d      tests/d/run.sh, the D corpus; its last line must be its own
#          "N passed, N failed", otherwise its exit status counts as one test
#   bats   bats --tap tests/bats; "ok" lines pass, "not ok" lines fail,
#          skipped tests are reported but counted in neither
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

# --- the build (make check sets DTK_BUILD_OK=0 when `make all` failed) ---
if [[ ${DTK_BUILD_OK:-1} == 0 ]]; then
	echo "FAIL build: make all failed (errors above)"
	((failed++))
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
	rc=${PIPESTATUS[0]}
	summary=$(tail -n 1 "$log")
	if [[ $summary =~ ^([0-9]+)\ passed,\ ([0-9]+)\ failed$ ]]; then
		((passed += BASH_REMATCH[1]))
		((failed += BASH_REMATCH[2]))
		# A runner that dies after its summary still counts as a failure.
		if ((rc != 0 && BASH_REMATCH[2] == 0)); then ((failed++)); fi
	elif ((rc == 0)); then
		((passed++))
	else
		((failed++))
	fi
fi

# --- bats ---
bats_files=(tests/bats/*.bats)
if ((${#bats_files[@]})); then
	echo "== bats (tests/bats)"
	bats --tap tests/bats 2>&1 | tee "$log"
	rc=${PIPESTATUS[0]}
	ok=$(grep -E '^ok ' "$log" | grep -vc -E '^ok [0-9]+ .*# skip')
	skipped=$(grep -c -E '^ok [0-9]+ .*# skip' "$log")
	notok=$(grep -c -E '^not ok ' "$log")
	((passed += ok))
	((failed += notok))
	((skipped)) && echo "($skipped bats tests skipped)"
	# bats failing without a "not ok" line: a broken file or helper.
	if ((rc != 0 && notok == 0)); then ((failed++)); fi
fi

echo "$passed passed, $failed failed"
((failed == 0))
