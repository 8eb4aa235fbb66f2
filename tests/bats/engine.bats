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
	# verifier's time is quadratic in one program's size only (a clause
	# here is ~20 instructions, so ~400 fill a program)
	local progs
	progs=$(grep -c '^program [0-9]*: sys_enter' <<<"$output")
	((progs >= 6)) || fail "3000 clauses in $progs sys_enter programs"
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

# tests/workloads/callchain.c: main -> a(i) -> b(i+1) -> c(i+2) -> write
build_callchain() {
	gcc -O2 -o "$BATS_TEST_TMPDIR/callchain" "$TOP/tests/workloads/callchain.c"
}

@test "pid probes sharing their clauses share one program and each names itself" {
	need_bpf
	build_callchain
	local d='pid$target:a.out:[abc]:entry { printf("%s %s %s %d\n", probemod, probefunc, probename, arg0); }
		pid$target:a.out:[abc]:return { printf("%s %s %d\n", probefunc, probename, arg1); }'
	run -0 "$DTRACE" -e -S -n "$d" -c "$BATS_TEST_TMPDIR/callchain 2"
	# one program for the three entries, one for the three returns
	assert_equal "$(grep -c '^program' <<<"$output")" 2
	run -0 "$DTRACE" -q -o "$BATS_TEST_TMPDIR/out" -n "$d" -c "$BATS_TEST_TMPDIR/callchain 2"
	expect_file "$BATS_TEST_TMPDIR/out" <<'OUT'
callchain a entry 0
callchain b entry 1
callchain c entry 2
c return 12
b return 37
a return 185
callchain a entry 1
callchain b entry 2
callchain c entry 3
c return 13
b return 41
a return 206

OUT
}

@test "pid\$target:libc.so.6::entry attaches the whole library and counts every call" {
	need_bpf
	build_callchain
	run -0 --separate-stderr "$DTRACE" -n 'pid$target:libc.so.6::entry { @[probefunc] = count(); }' \
		-c "$BATS_TEST_TMPDIR/callchain 3"
	# thousands of probes, on a few links (fdinfo is not needed: the
	# count of matched probes and the counts of calls say it)
	[[ $stderr =~ matched\ ([0-9]+)\ probes ]] || fail "no 'matched N probes' in: $stderr"
	((BASH_REMATCH[1] > 1000)) || fail "only ${BASH_REMATCH[1]} libc probes"
	# functions the kernel cannot probe are skipped with one line
	(($(grep -c 'skipped' <<<"$stderr") <= 1)) || fail "more than one skip warning: $stderr"
	# the three write()s of c(), and the one malloc() of main
	assert_line --regexp '^ +write +3$'
	assert_line --regexp '^ +malloc +[1-9][0-9]*$'
}

@test "-e refuses a program that fails in code generation, with its line, and -e -S does not crash" {
	printf '#pragma D option quiet\n\nsyscall::execve:entry, proc:::exec\n{ trace(1); }\n' \
		> "$BATS_TEST_TMPDIR/mix.d"
	local want="dtrace: failed to compile script $BATS_TEST_TMPDIR/mix.d: line 3: a clause may not mix syscall and proc probes on the same attachment point"
	run -1 --separate-stderr "$DTRACE" -e -s "$BATS_TEST_TMPDIR/mix.d"
	assert_equal "$stderr" "$want"
	run -1 --separate-stderr "$DTRACE" -e -S -s "$BATS_TEST_TMPDIR/mix.d"
	assert_equal "$stderr" "$want"
	assert_output ""
}

@test "profile's arg0/arg1: the kernel or the user pc of the interrupted CPU" {
	need_bpf
	# a CPU-bound shell: its samples interrupt user code (arg1 the user
	# pc, arg0 0), the few in the kernel have it the other way round
	run -0 "$DTRACE" -qn 'profile-997 /pid == $target/ {
			@[arg0 != 0 && arg1 == 0 ? "kernel" : arg1 != 0 && arg0 == 0 ? "user" : "bad"] = count(); }' \
		-c "sh -c 'i=0; while [ \$i -lt 200000 ]; do i=\$((i + 1)); done'"
	refute_output --partial bad
	assert_output --regexp 'user +[0-9]+'
}

@test "libdtk.a defines only dtk_* names: the engine's internals are local" {
	command -v nm >/dev/null || skip "nm not installed"
	run -0 nm -g --defined-only "$TOP/build/libdtk.a"
	local names
	names=$(awk 'NF == 3 { print $3 }' <<<"$output")
	[[ -n $names ]] || fail "no global names at all"
	run grep -v '^dtk_' <<<"$names"
	assert_output ""
}

@test "clauses naming one or two system calls ride those calls' own trace events; more calls, or proc's exec beside them, the raw tracepoint" {
	[[ -n $(tracefs_dir) ]] || skip "no tracefs: every syscall program rides the raw tracepoints"
	run -0 "$DTRACE" -e -S -n 'syscall::openat:entry, syscall::close:entry { trace(arg0); }'
	assert_line --regexp '^program [0-9]+: syscalls:(sys_enter_openat,sys_enter_close|sys_enter_close,sys_enter_openat) \('
	refute_line --regexp '^program [0-9]+: sys_(enter|exit) '
	run -0 "$DTRACE" -e -S -n 'syscall::openat:entry { trace(arg0); } syscall::openat:return { trace(arg0); }'
	assert_line --regexp '^program [0-9]+: syscalls:sys_enter_openat \('
	assert_line --regexp '^program [0-9]+: syscalls:sys_exit_openat \('
	# each trace event costs the tool's exit a kernel grace period or
	# two: two in all, the rest on the raw tracepoints
	run -0 "$DTRACE" -e -S -n 'syscall::openat:entry, syscall::close:entry { trace(arg0); }
		syscall::openat:return { trace(arg0); }'
	assert_line --regexp '^program [0-9]+: syscalls:(sys_enter_openat,sys_enter_close|sys_enter_close,sys_enter_openat) \('
	assert_line --regexp '^program [0-9]+: sys_exit \('
	# three calls; every call; proc's exec on the same point
	local d
	for d in 'syscall::openat:entry, syscall::close:entry, syscall::read:entry { trace(arg0); }' \
		 'syscall::openat:entry { trace(arg0); } syscall:::entry { trace(1); }' \
		 'syscall::execve:entry { trace(arg0); } proc:::exec { trace(1); }'; do
		run -0 "$DTRACE" -e -S -n "$d"
		assert_line --regexp '^program [0-9]+: sys_enter \('
		refute_line --partial 'syscalls:'
	done
}

@test "on trace events each clause fires for its own call alone, with its arguments, return value and errno, on every CPU" {
	need_bpf
	build_workload dt_open
	local cpu ncpu
	ncpu=$(nproc)
	((ncpu > 2)) && ncpu=2
	for ((cpu = 0; cpu < ncpu; cpu++)); do
		run -0 "$DTRACE" -qn '
			syscall::openat:entry /pid == $target/ { printf("open %s\n", copyinstr(arg1)); }
			syscall::close:entry /pid == $target/ { printf("close %d\n", arg0); }
			syscall::openat:return, syscall::close:return /pid == $target/ {
				printf("%s %d %d\n", probefunc, arg0, errno); }' \
			-c "taskset -c $cpu $BATS_FILE_TMPDIR/dt_open /nonexistent-dtk-$cpu /etc/hostname"
		# dt_open's own calls, after the loader's and taskset's
		local tail fd
		tail=$(sed -n "/^open \/nonexistent-dtk-$cpu\$/,\$p" <<<"$output")
		fd=$(awk '$1 == "openat" && $3 == 0 { fd = $2 } END { print fd }' <<<"$tail")
		[[ $fd =~ ^[0-9]+$ ]] || fail "CPU $cpu: no successful openat in: $output"
		assert_equal "$tail" "open /nonexistent-dtk-$cpu
openat -1 2
open /etc/hostname
openat $fd 0
close $fd
close 0 0"
	done
}
