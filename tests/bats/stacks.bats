#!/usr/bin/env bats
# Stacks and the pid provider against tests/workloads/callchain.c, whose
# call chain is main -> a -> b -> c -> write(2), built twice: without frame
# pointers (-O2 -fomit-frame-pointer: the kernel's walk fails there, the
# DWARF unwind must not) and with them.  callchain's second argument keeps
# it alive a while after its writes: the consumer reads a process's
# mappings at its first record, and one gone by then cannot be symbolized
# (tested too: the stack says so).

load helper

bats_require_minimum_version 1.5.0

setup_file() {
	local src=$BATS_TEST_DIRNAME/../workloads/callchain.c
	gcc -std=gnu11 -O2 -fomit-frame-pointer -o "$BATS_FILE_TMPDIR/cc_nofp" "$src" || return 1
	gcc -std=gnu11 -O2 -fno-omit-frame-pointer -o "$BATS_FILE_TMPDIR/cc_fp" "$src" || return 1
}

setup() {
	[[ -x $DTRACE ]] || fail "$DTRACE is not built (run make)"
	need_bpf
	W=$BATS_FILE_TMPDIR
}

# The frames of ustack() output (on stdin) whose module is the workload,
# as "function" one a line, in order.
workload_frames() {
	sed -n "s/^ \{14\}$1\`\([a-z_]*\)+0x[0-9a-f]*\$/\1/p"
}

chain_at_write() {
	local prog=$1
	run -0 "$DTRACE" -qn "syscall::write:entry /pid == \$target/ { ustack(); }" \
		-c "$W/$prog 1 300"
	# the frame below the syscall is libc's write
	assert_line --regexp '^ {14}libc\.so\.6`(__)?write\+0x[0-9a-f]+$'
	frames=$(echo "$output" | workload_frames "$prog" | head -4 | tr '\n' ' ')
	assert_equal "$frames" "c b a main "
	# and the first frame is libc's write, right after the leading newline
	first=$(echo "$output" | sed -n '3p')
	[[ $first =~ write ]] || fail "first frame: $first"
}

@test "ustack() at write: c, b, a, main without frame pointers" {
	chain_at_write cc_nofp
	# no frame needed the frame-pointer fallback
	refute_output --partial '[fp]'
}

@test "ustack() at write: c, b, a, main with frame pointers" {
	chain_at_write cc_fp
}

@test "ustack(n) prints at most n frames, indented by stackindent" {
	run -0 "$DTRACE" -x stackindent=4 -qn "syscall::write:entry /pid == \$target/ { ustack(3); }" \
		-c "$W/cc_nofp 1 300"
	frames=$(echo "$output" | grep -c '^    [a-z]')
	assert_equal "$frames" 3
	assert_line --regexp '^    cc_nofp`b\+0x[0-9a-f]+$'
	refute_line --regexp 'cc_nofp`a\+'
}

@test "@[ustack(5)] = count() counts each stack of a loop" {
	run -0 "$DTRACE" -qn "syscall::write:entry /pid == \$target/ { @[ustack(5)] = count(); }" \
		-c "$W/cc_nofp 25 300"
	# one distinct stack: write c b a main, counted 25 times
	assert_line --regexp '^ {14}cc_nofp`main\+0x[0-9a-f]+$'
	assert_line --regexp '^ +25$'
	[[ $(echo "$output" | grep -c 'cc_nofp`c+') -eq 1 ]] || fail "stack printed more than once"
}

@test "stack() prints the kernel's stack of a syscall" {
	run -0 "$DTRACE" -qn "syscall::write:entry /pid == \$target/ { stack(); }" \
		-c "$W/cc_fp 1"
	assert_line --regexp '^ {14}vmlinux`[a-z_0-9.]+\+0x[0-9a-f]+$'
}

@test "jstack() is ustack()" {
	run -0 "$DTRACE" -qn "syscall::write:entry /pid == \$target/ { jstack(); }" \
		-c "$W/cc_nofp 1 300"
	assert_line --regexp '^ {14}cc_nofp`a\+0x[0-9a-f]+$'
}

@test "a process gone before its first record is read says so" {
	# no linger: by the time the record is read the process has exited
	# (when the consumer wins the race the stack is whole: both are fine)
	run -0 "$DTRACE" -x switchrate=1hz -qn "syscall::write:entry /pid == \$target/ { ustack(); }" \
		-c "$W/cc_nofp 1"
	if ! echo "$output" | grep -q 'cc_nofp`c+'; then
		assert_output --partial 'process exited before its mappings were read'
	fi
}

@test "pid provider: entry and return of a function of the program" {
	run -0 "$DTRACE" -qn '
	    pid$target::c:entry { printf("c(%d)\n", arg0); }
	    pid$target:a.out:c:return { printf("c -> %d\n", arg1); }' \
		-c "$W/cc_nofp 3"
	# c(n) is called with i + 2 and returns write's 10 plus n
	assert_line "c(2)"
	assert_line "c -> 12"
	assert_line "c(4)"
	assert_line "c -> 14"
}

@test "pid provider: malloc in libc, its size and its returned pointer" {
	run -0 "$DTRACE" -qn '
	    pid$target:libc.so.6:malloc:entry /arg0 == 4242/ { self->in = 1; printf("malloc(%d)\n", arg0); }
	    pid$target:libc:malloc:return /self->in/ { self->in = 0; printf("ret %s\n", arg1 != 0 ? "ok" : "NULL"); }
	    pid$target::free:entry /arg0 != 0/ { @frees = count(); }' \
		-c "$W/cc_nofp 1"
	assert_line "malloc(4242)"
	assert_line "ret ok"
}

@test "pid provider: ustack() from a uprobe" {
	run -0 "$DTRACE" -qn 'pid$target::b:entry { ustack(); }' -c "$W/cc_nofp 1 300"
	assert_line --regexp '^ {14}cc_nofp`b$'
	assert_line --regexp '^ {14}cc_nofp`a\+0x[0-9a-f]+$'
	assert_line --regexp '^ {14}cc_nofp`main\+0x[0-9a-f]+$'
}

@test "dtrace -l lists pid\$target probes of a -c command" {
	run -0 "$DTRACE" -l -n 'pid$target::malloc*:entry' -c ls
	assert_line --regexp '^ +[0-9]+ +pid[0-9]+ +libc\.so\.6 +malloc entry$'
	run -0 "$DTRACE" -l -n 'pid$target:a.out:c:' -c "$W/cc_nofp"
	assert_line --regexp 'cc_nofp +c entry$'
	assert_line --regexp 'cc_nofp +c return$'
}
