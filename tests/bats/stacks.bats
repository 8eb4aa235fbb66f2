#!/usr/bin/env bats
# Stacks and the pid provider against tests/workloads/callchain.c, whose
# call chain is main -> a -> b -> c -> write(2), built twice: without frame
# pointers (-O2 -fomit-frame-pointer: the kernel's walk fails there, the
# DWARF unwind must not) and with them.  callchain's second argument keeps
# it alive a while after its writes; without it the process is gone before
# its record is read, and its stack must still come out whole (the kernel
# sends the mappings at the event).

load helper

bats_require_minimum_version 1.5.0

setup_file() {
	local src=$BATS_TEST_DIRNAME/../workloads/callchain.c
	gcc -std=gnu11 -O2 -fomit-frame-pointer -o "$BATS_FILE_TMPDIR/cc_nofp" "$src" || return 1
	gcc -std=gnu11 -O2 -fno-omit-frame-pointer -o "$BATS_FILE_TMPDIR/cc_fp" "$src" || return 1
	gcc -std=gnu11 -O2 -fomit-frame-pointer -o "$BATS_FILE_TMPDIR/openchain" \
		"$BATS_TEST_DIRNAME/../workloads/openchain.c" || return 1
	gcc -std=gnu11 -O2 -fomit-frame-pointer -pthread -o "$BATS_FILE_TMPDIR/stackshapes" \
		"$BATS_TEST_DIRNAME/../workloads/stackshapes.c" || return 1
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

@test "a process that exits right after its write still gets c, b, a, main" {
	# no linger, and a consumer that polls once a second: the process is
	# gone long before its record is read; the kernel sent its mappings
	for i in 1 2 3; do
		run -0 "$DTRACE" -x switchrate=1hz -qn "syscall::write:entry /pid == \$target/ { ustack(); }" \
			-c "$W/cc_nofp 1"
		frames=$(echo "$output" | workload_frames cc_nofp | head -4 | tr '\n' ' ')
		assert_equal "$frames" "c b a main "
		refute_output --partial 'exited before'
	done
}

@test "trace(ustack()) prints the stack as ustack() does" {
	run -0 "$DTRACE" -qn "syscall::write:entry /pid == \$target/ { trace(ustack(4)); }" \
		-c "$W/cc_nofp 1"
	frames=$(echo "$output" | workload_frames cc_nofp | tr '\n' ' ')
	assert_equal "$frames" "c b a "
}

@test "stacks that outrun the buffer are reported as drops" {
	# 200,000 stacks of ~12 KiB outrun any buffer: the drops must be said
	run -0 "$DTRACE" -x bufsize=1m -qn "syscall::write:entry /pid == \$target/ { @[ustack()] = count(); }" \
		-c "$W/cc_nofp 200000"
	assert_output --regexp 'dtrace: [0-9]+ drops? on CPU'
}

@test "two call paths with the same pc and stack pointer are two stacks" {
	# left and right have the same frame: at write only the return
	# address into them differs, and a stack reused for the other path
	# would count 1000 under one of them
	run -0 "$DTRACE" -qn "syscall::write:entry /pid == \$target/ { @[ustack(3)] = count(); }" \
		-c "$W/stackshapes twopaths 1000"
	[[ $(echo "$output" | grep -A1 -E '`left\+0x' | tail -1) =~ ^\ +500$ ]] || fail "left: $output"
	[[ $(echo "$output" | grep -A1 -E '`right\+0x' | tail -1) =~ ^\ +500$ ]] || fail "right: $output"
	# and printed one by one, they alternate as the loop does
	run -0 "$DTRACE" -qn "syscall::write:entry /pid == \$target/ { ustack(3); }" \
		-c "$W/stackshapes twopaths 200"
	callers=$(echo "$output" | workload_frames stackshapes | grep -vx leaf | uniq -c | wc -l)
	assert_equal "$callers" 200
	assert_equal "$(echo "$output" | workload_frames stackshapes | grep -m1 -vx leaf)" left
}

@test "each stack of a thread deeper than the last comes out whole" {
	# the i-th write is i frames of recurse() down (the 0th is a tail
	# call): the copy of each must reach main although the thread's
	# first stack, which told how much to copy, was shallow
	run -0 "$DTRACE" -qn "syscall::write:entry /pid == \$target/ { ustack(); }" \
		-c "$W/stackshapes deeper 40"
	depths=$(echo "$output" | awk '/^$/ { if (s) print n "," m; n = m = 0; s = 1; next }
		/`recurse\+/ { n++ } /stackshapes`main\+/ { m++ } END { print n "," m }' | tr '\n' ' ')
	want=$(for ((i = 0; i < 40; i++)); do printf '%d,1 ' "$i"; done)
	assert_equal "$depths" "$want"
}

@test "threads one after another: every stack under worker, all counted" {
	run -0 "$DTRACE" -qn "syscall::write:entry /pid == \$target/ { @[ustack()] = count(); }" \
		-c "$W/stackshapes threads 500"
	assert_line --regexp '^ {14}stackshapes`leaf\+0x[0-9a-f]+$'
	assert_line --regexp '^ {14}stackshapes`worker\+0x[0-9a-f]+$'
	assert_line --regexp '^ +2000$'
}

@test "printa sees every @[ustack()] event that came before it" {
	# the consumer sums the events of a batch before writing them into
	# the map: the printa at the 100th write must still count 100
	run -0 "$DTRACE" -qn '
	    syscall::write:entry /pid == $target/ { @[ustack(2)] = count(); }
	    syscall::write:return /pid == $target/ { i++; }
	    syscall::write:return /pid == $target && i == 100/ { printa(@); }
	    END { printa(@); }' \
		-c "$W/cc_nofp 300"
	# the printa at the 100th write, then END's
	counts=$(echo "$output" | grep -E '^ +[0-9]+$' | tr -d ' ' | tr '\n' ' ')
	assert_equal "$counts" "100 300 "
}

@test "dtruss -s: the stack under each call, names right without frame pointers" {
	run -0 "$BIN/dtruss" -s -t write "$W/cc_nofp" 1
	assert_line --regexp '^write\(0x1, "callchain\\n", 0xA\)'
	frames=$(echo "$output" | workload_frames cc_nofp | head -4 | tr '\n' ' ')
	assert_equal "$frames" "c b a main "
	# the stack comes right after its call's line
	after=$(echo "$output" | grep -A2 '^write(' | sed -n 3p)
	[[ $after =~ libc\.so\.6\`(__)?write\+ ]] || fail "frame after the line: $after"
}

@test "opensnoop -t: the stack under each open of a process gone at once" {
	[[ -x $W/openchain ]] || gcc -O2 -fomit-frame-pointer -o "$W/openchain" \
		"$BATS_TEST_DIRNAME/../workloads/openchain.c"
	"$BIN/opensnoop" -t -n openchain >"$BATS_TEST_TMPDIR/out" 2>"$BATS_TEST_TMPDIR/err" 3>&- &
	local pid=$! i
	for ((i = 0; i < 200; i++)); do
		[[ -s $BATS_TEST_TMPDIR/out ]] && break
		sleep 0.05
	done
	"$W/openchain" /etc/hostname
	sleep 0.5
	kill -INT "$pid"
	wait "$pid"
	run cat "$BATS_TEST_TMPDIR/out"
	assert_line --regexp 'openchain +[0-9]+ /etc/hostname$'
	# under the /etc/hostname line: libc's open, then c, b, a, main
	frames=$(sed -n '/\/etc\/hostname$/,/^ *[0-9]/p' "$BATS_TEST_TMPDIR/out" |
		workload_frames openchain | head -4 | tr '\n' ' ')
	assert_equal "$frames" "c b a main "
	refute_output --partial 'exited before'
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

@test "pid provider: an instruction offset probe (function:0) with its ustack()" {
	run -0 "$DTRACE" -qn 'pid$target::c:0 { printf("c+0 %d\n", arg0); ustack(3); }' \
		-c "$W/cc_nofp 2 300"
	assert_line "c+0 2"
	assert_line "c+0 3"
	assert_line --regexp '^ {14}cc_nofp`c$'
	assert_line --regexp '^ {14}cc_nofp`b\+0x[0-9a-f]+$'
}
