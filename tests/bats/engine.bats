#!/usr/bin/env bats
# The engine's shape as seen from dtrace: long programs cut into several
# BPF programs that still run their clauses in order, the pid provider
# attaching a whole library at once, arguments read through the providers,
# and code generation inside the compile's error boundary (-e, -S).

load helper

bats_require_minimum_version 1.5.0

# A D program of $1 clauses on syscall:::entry of $target that advance a
# counter only in order (clause I acts when n == I), with a first clause
# counting the firings and a last one noting the firing that saw n reach $1.
ordered_clauses() {
	echo 'int c, n, at;'
	echo 'syscall:::entry /pid == $target/ { c++; }'
	for ((i = 0; i < $1; i++)); do
		echo "syscall:::entry /pid == \$target && n == $i/ { n = $((i + 1)); }"
	done
	echo "syscall:::entry /pid == \$target && n == $1 && at == 0/ { at = c; }"
	echo 'END { printf("%d %d\n", n, at); }'
}

@test "a long program is cut into programs of bounded size, one per few hundred clauses" {
	ordered_clauses 3000 > "$BATS_TEST_TMPDIR/p.d"
	run -0 "$DTRACE" -e -S -s "$BATS_TEST_TMPDIR/p.d"
	# the count grows with the clauses, each program stays small: the
	# verifier's time is quadratic in one program's size only
	local progs
	progs=$(grep -c '^program [0-9]*: sys_enter' <<<"$output")
	((progs >= 15)) || fail "3000 clauses in $progs sys_enter programs"
	grep '^program' <<<"$output" | awk '{ gsub(/[(,]/, ""); if ($(NF-1) > 9000) { print; bad = 1 } } END { exit bad }' ||
		fail "a program over 9000 instructions"
}

@test "clauses cut across programs run in order within one firing" {
	need_bpf
	ordered_clauses 1500 > "$BATS_TEST_TMPDIR/p.d"
	run -0 "$DTRACE" -q -s "$BATS_TEST_TMPDIR/p.d" -c true
	# n reached 1500 on the target's first system call
	assert_output "1500 1"
}
