#!/usr/bin/env bats
# The build's check that a tool's main.c reads the printf records its D
# program sends (scripts/reclayout.c, DTK_RECORD_CHECK in dtk.h): the real
# programs pass, a program whose record changed under main.c fails the
# compile of main.c with the assertion's message, and one whose values
# main.c names moved without changing the layout fails the generation.

load helper

RECLAYOUT=$TOP/build/gen/reclayout

setup() {
	[[ -x $RECLAYOUT ]] || fail "build/gen/reclayout is not built (make all)"
	mkdir -p "$BATS_TEST_TMPDIR/gen"
}

# compile_main TOOL D: generate TOOL's header from D, then compile TOOL's
# main.c against it (syntax and static assertions only).
compile_main() {
	"$RECLAYOUT" "$1" "$2" "$TOP/$1/main.c" >"$BATS_TEST_TMPDIR/gen/$1_rec.h" &&
	gcc -std=gnu11 -fsyntax-only -D_GNU_SOURCE -I"$TOP/common" \
	    -I"$BATS_TEST_TMPDIR/gen" "$TOP/$1/main.c"
}

@test "reclayout: every tool's main.c reads the records its D sends" {
	for t in dtruss execsnoop opensnoop shellsnoop; do
		run compile_main "$t" "$TOP/$t/$t.d"
		assert_success
	done
	run cat "$BATS_TEST_TMPDIR/gen/execsnoop_rec.h"
	assert_line --partial '((n) == 8 && (strs) == 0xc0ULL)'
}

@test "reclayout: a string moved in execsnoop.d's printf fails main.c's build" {
	sed 's/pid, ppid, this->end - this->start, execname,/pid, ppid, execname, this->end - this->start,/
	     s/%d %d %d %d %d %d %s %s/%d %d %d %d %d %s %d %s/' \
	    "$TOP/execsnoop/execsnoop.d" >"$BATS_TEST_TMPDIR/moved.d"
	run ! cmp -s "$TOP/execsnoop/execsnoop.d" "$BATS_TEST_TMPDIR/moved.d"
	run compile_main execsnoop "$BATS_TEST_TMPDIR/moved.d"
	assert_failure
	assert_output --partial 'EXECSNOOP_D_RECORD: the D program sends no printf record of V_N values'
}

@test "reclayout: a value dropped from dtruss.d's lines fails main.c's build" {
	# every plain line (first value 3) without its tid
	sed 's/"%d %d %d %d %d %d %d %d %d %d %d %d %d %d %d", 3, id, pid, tid,/"%d %d %d %d %d %d %d %d %d %d %d %d %d %d", 3, id, pid,/' \
	    "$TOP/dtruss/dtruss.d" >"$BATS_TEST_TMPDIR/dropped.d"
	run grep -c '", 3, id, pid,$' "$BATS_TEST_TMPDIR/dropped.d"
	assert_output 2
	run compile_main dtruss "$BATS_TEST_TMPDIR/dropped.d"
	assert_failure
	assert_output --partial 'DTRUSS_D_RECORD: the D program sends no printf record of 1 + NLINE values'
}

@test "reclayout: two integers swapped in execsnoop.d's printf fail the build" {
	# the same layout (8 values, strings at 6 and 7): only the names tell
	sed 's/^\(\s*\)pid, ppid, this->end - this->start, execname,/\1ppid, pid, this->end - this->start, execname,/' \
	    "$TOP/execsnoop/execsnoop.d" >"$BATS_TEST_TMPDIR/swapped.d"
	run ! cmp -s "$TOP/execsnoop/execsnoop.d" "$BATS_TEST_TMPDIR/swapped.d"
	run compile_main execsnoop "$BATS_TEST_TMPDIR/swapped.d"
	assert_failure
	assert_output --partial "V_PID reads value 3 of the record, but the printf at $BATS_TEST_TMPDIR/swapped.d:"
	assert_output --partial "sends pid as value 4"
}

@test "reclayout: errno and the fd swapped in opensnoop.d fail the build" {
	sed 's/pid, ppid, (int)arg0, errno,/pid, ppid, errno, (int)arg0,/' \
	    "$TOP/opensnoop/opensnoop.d" >"$BATS_TEST_TMPDIR/swapped.d"
	run ! cmp -s "$TOP/opensnoop/opensnoop.d" "$BATS_TEST_TMPDIR/swapped.d"
	run compile_main opensnoop "$BATS_TEST_TMPDIR/swapped.d"
	assert_failure
	assert_output --partial 'V_ERRNO reads value 6 of the record'
}

@test "reclayout: main.c's names swapped fail the build too; the header says what is checked by name" {
	sed 's/enum { V_TS, V_WALLTS, V_UID, V_PID, V_PPID,/enum { V_TS, V_WALLTS, V_UID, V_PPID, V_PID,/' \
	    "$TOP/shellsnoop/main.c" >"$BATS_TEST_TMPDIR/main.c"
	run ! cmp -s "$TOP/shellsnoop/main.c" "$BATS_TEST_TMPDIR/main.c"
	run "$RECLAYOUT" shellsnoop "$TOP/shellsnoop/shellsnoop.d" "$BATS_TEST_TMPDIR/main.c"
	assert_failure
	assert_output --partial 'V_PPID reads value 3 of the record, but the printf at'
	run "$RECLAYOUT" shellsnoop "$TOP/shellsnoop/shellsnoop.d" "$TOP/shellsnoop/main.c"
	assert_success
	assert_line --partial "V_N's values checked by name: V_UID V_PID V_PPID;"
}

@test "reclayout: a D program that does not compile fails the generation" {
	printf 'syscall:::entry { printf("%%d", nosuchvariable); }\n' >"$BATS_TEST_TMPDIR/bad.d"
	run "$RECLAYOUT" execsnoop "$BATS_TEST_TMPDIR/bad.d" "$TOP/execsnoop/main.c"
	assert_failure
	assert_output --partial 'nosuchvariable'
}
