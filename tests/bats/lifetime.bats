#!/usr/bin/env bats
# The life of what the tools trace and start, and how they end, the same in
# all seven:
#   * a -p target that exits ends tracing at once, even unreaped (a zombie),
#     and its pid, given to another process, is never traced;
#   * a command they start (-c, `dtruss cmd`...) never outlives them,
#     whatever signal ends them (INT, TERM, HUP, PIPE; KILL through
#     PR_SET_PDEATHSIG), and a stop during loading never lets it run;
#   * Ctrl-C, SIGTERM and a closed pipe end every tool with status 0; a
#     failed write (a full disk) with a one-line error and status 1; a usage
#     error with 2; -h and --version work everywhere;
#   * a command's first traced system call is its own execve (the PATH
#     search is done before), and it does not inherit the -o file.

load helper

bats_require_minimum_version 1.5.0

TOOLS=(dtrace dtruss execsnoop opensnoop procsystime shellsnoop syscount)

setup_file() {
	build_workload reuse_pid
}

setup() {
	need_bpf
	KILL_AT_END=()
}

teardown() {
	local p
	for p in "${KILL_AT_END[@]}"; do
		kill -KILL "$p" 2>/dev/null || true
		wait "$p" 2>/dev/null || true	# no "Killed" from the shell
	done
}

# wait_for CMD...: until CMD succeeds, for 10 s at most.
wait_for() {
	local i
	for ((i = 0; i < 200; i++)); do
		"$@" && return 0
		sleep 0.05
	done
	return 1
}

# gone PID: the process runs no more (exited; a zombie runs nothing).
gone() {
	[[ ! -e /proc/$1 ]] || grep -q '^State:[[:space:]]*Z' "/proc/$1/status" 2>/dev/null
}

# running_child PID NAME: PID has a child that has exec'd NAME (a held
# command still bears its tracer's name); it is left in $CHILD.
running_child() {
	CHILD=$(pgrep -P "$1" | head -1)
	[[ -n $CHILD && $(cat "/proc/$CHILD/comm" 2>/dev/null) == "$2" ]]
}

# has_text FILE TEXT
has_text() {
	grep -q -- "$2" "$1" 2>/dev/null
}

# A process that is about to exit, and whose parent will never reap it:
# $ZOMBIE (sleep 60, to be killed by the test) and $ZPARENT (which execs
# sleep 60 itself, and so never waits).
start_zombie_to_be() {
	local f=$BATS_TEST_TMPDIR/zombie.pid
	sh -c 'sleep 60 & echo $! >"$1"; exec sleep 60' sh "$f" 3>&- &
	ZPARENT=$!
	KILL_AT_END+=("$ZPARENT")
	wait_for test -s "$f"
	ZOMBIE=$(cat "$f")
	KILL_AT_END+=("$ZOMBIE")
}

# zombie_ends TOOL ARGS...: TOOL ARGS -p $ZOMBIE (ARGS may place it with
# PID), started once it traces (its output holds READY), must end within
# 3 s of the target's exit with status 0, while the target is a zombie.
zombie_ends() {
	local ready=$1 out=$BATS_TEST_TMPDIR/out t
	shift
	: >"$out"
	start_zombie_to_be
	"$BIN/$1" "${@:2}" -p "$ZOMBIE" >"$out" 2>&1 3>&- &
	t=$!
	KILL_AT_END+=("$t")
	wait_for has_text "$out" "$ready" || fail "$1 did not start: $(cat "$out")"
	sleep 0.3
	kill "$ZOMBIE"
	wait_for grep -q '^State:[[:space:]]*Z' "/proc/$ZOMBIE/status" ||
		fail "the target did not become a zombie"
	local i
	for ((i = 0; i < 60; i++)); do
		gone "$t" && break
		sleep 0.05
	done
	gone "$t" || fail "$1 -p still runs 3 s after its target exited (a zombie)"
	wait "$t" || fail "$1 -p exited $? when its target exited: $(cat "$out")"
}

# --- -p: a target that exits, and its pid reused ------------------------------

@test "dtruss -p: a target that exits unreaped ends tracing at once" {
	zombie_ends "SYSCALL" dtruss
}

@test "dtrace -p: a target that exits unreaped ends tracing at once" {
	zombie_ends "ready" dtrace -qn 'BEGIN { printf("ready\n"); }
		syscall:::entry /pid == $target/ { @ = count(); }'
}

@test "procsystime -p: a target that exits unreaped ends tracing at once" {
	zombie_ends "Tracing" procsystime
}

@test "syscount -p: a target that exits unreaped ends tracing at once" {
	zombie_ends "Tracing" syscount
}

@test "opensnoop -p and shellsnoop -p: a target that exits unreaped ends tracing at once" {
	zombie_ends "PATH" opensnoop
	zombie_ends "TEXT" shellsnoop
}

@test "dtruss -p: the target's pid, reused by another process, is not traced" {
	local out=$BATS_TEST_TMPDIR/out t
	start_zombie_to_be
	"$BIN/dtruss" -p "$ZOMBIE" >"$out" 2>&1 3>&- &
	t=$!
	KILL_AT_END+=("$t")
	wait_for has_text "$out" SYSCALL
	sleep 0.3
	kill "$ZOMBIE"
	# dtruss ends, and is reaped here, before the pids wrap around: after
	# reuse_pid the pids next to $ZOMBIE, dtruss's among them, are handed
	# out again, so "is $t gone" would then ask about another process
	wait_for gone "$t" || fail "dtruss -p still runs after its target exited"
	wait "$t" || fail "dtruss -p exited $? when its target exited: $(cat "$out")"
	# reaped (its parent dies), then the same pid runs something else
	kill "$ZPARENT"
	wait_for test ! -e "/proc/$ZOMBIE"
	run "$BATS_FILE_TMPDIR/reuse_pid" "$ZOMBIE" cat /nonexistent/reused-pid-marker
	assert_failure 1	# cat's status (99: the pid was taken)
	run ! grep -c reused-pid-marker "$out"
}

@test "opensnoop -p and shellsnoop -p refuse a pid that does not exist, in one line" {
	local pid
	sh -c 'exit 0' & pid=$!
	wait "$pid"
	for tool in opensnoop shellsnoop dtruss syscount procsystime; do
		run timeout 10 "$BIN/$tool" -p "$pid"
		assert_failure 1
		assert_output "$tool: failed to grab pid $pid: No such process"
	done
	run timeout 10 "$DTRACE" -p "$pid" -n 'BEGIN { exit(0); }'
	assert_failure 1
	assert_output "dtrace: failed to grab pid $pid: No such process"
}

# --- commands started never outlive the tracer --------------------------------

# signalled SIG CMD...: CMD starts `sleep 60`; once sleep runs, SIG to the
# tracer alone ends it (status 0; 137 for KILL) and the sleep with it.
signalled() {
	local sig=$1 t want=0
	shift
	"$@" >/dev/null 2>&1 3>&- &
	t=$!
	KILL_AT_END+=("$t")
	wait_for running_child "$t" sleep || fail "$1 did not start its command"
	KILL_AT_END+=("$CHILD")
	kill "-$sig" "$t"
	[[ $sig == KILL ]] && want=137
	wait "$t" && rc=0 || rc=$?
	((rc == want)) || fail "$1 exited $rc after SIG$sig, not $want"
	wait_for gone "$CHILD" || fail "$1 left its command $CHILD running after SIG$sig"
}

@test "dtruss cmd: INT, TERM, HUP, PIPE or KILL to dtruss ends its command too" {
	for sig in INT TERM HUP PIPE KILL; do
		signalled "$sig" "$BIN/dtruss" sleep 60
	done
}

@test "dtrace -c: INT, TERM, HUP, PIPE or KILL to dtrace ends its command too" {
	for sig in INT TERM HUP PIPE KILL; do
		signalled "$sig" "$DTRACE" -qn 'syscall::read:entry /pid == $target/ {}' \
			-c "sleep 60"
	done
}

@test "syscount cmd and procsystime cmd: INT, TERM, HUP, PIPE or KILL end the command too" {
	for sig in INT TERM HUP PIPE KILL; do
		signalled "$sig" "$BIN/syscount" sleep 60
		signalled "$sig" "$BIN/procsystime" sleep 60
	done
}

@test "dtrace -c: a stop while loading (BEGIN raises SIGINT) never runs the command" {
	local mark=$BATS_TEST_TMPDIR/ran
	run "$DTRACE" -qwn 'BEGIN { raise(SIGINT); } END { printf("end\n"); }
		syscall::openat:entry /pid == $target/ { @ = count(); }' \
		-c "touch $mark"
	assert_success
	assert_output "end"		# BEGIN ran, so END does
	[[ ! -e $mark ]] || fail "the held command ran after the stop"
	run pgrep -x touch
	assert_failure
}

@test "dtrace -c: Ctrl-C while loading many programs stops the load at once" {
	local mark=$BATS_TEST_TMPDIR/ran d=$BATS_TEST_TMPDIR/many.d t i start
	for ((i = 200; i < 500; i++)); do
		echo "profile-$i { @c[probefunc, arg0, arg1] = count();" \
			"@d[execname] = quantize(arg0); @e[execname] = lquantize(arg1, 0, 100, 1); }"
	done >"$d"
	"$DTRACE" -q -s "$d" -c "touch $mark" >/dev/null 2>&1 3>&- &
	t=$!
	KILL_AT_END+=("$t")
	sleep 1
	gone "$t" && skip "the load took under a second: nothing to interrupt"
	kill -INT "$t"
	start=$SECONDS
	wait "$t" || fail "dtrace exited $? after Ctrl-C while loading"
	((SECONDS - start <= 2)) || fail "dtrace took $((SECONDS - start)) s to stop loading"
	[[ ! -e $mark ]] || fail "the held command ran after Ctrl-C"
}

# --- one way to end for all seven tools ---------------------------------------

# The command line of each tool for the tests below: traces until stopped,
# prints READY (a line of $READY[tool]) once tracing, then more output.
declare -gA CMDLINE READY
CMDLINE=(
	[dtrace]="$DTRACE -qn 'BEGIN { printf(\"ready\\n\"); } tick-100ms { printf(\"tick\\n\"); }'"
	[dtruss]="$BIN/dtruss sh -c 'exec >/dev/null 2>&1; while :; do sleep 0.1; done'"
	[execsnoop]="$BIN/execsnoop"
	[opensnoop]="$BIN/opensnoop"
	[procsystime]="$BIN/procsystime"
	[shellsnoop]="$BIN/shellsnoop"
	[syscount]="$BIN/syscount -i 1"
)
READY=([dtrace]=ready [dtruss]=wait4 [execsnoop]=ARGS [opensnoop]=PATH
       [procsystime]=Tracing [shellsnoop]=TEXT [syscount]=Tracing)

# A shell that runs, opens, writes and calls all the time: something for
# every tool to print.
start_busy() {
	sh -c 'while :; do echo tick; cat /etc/hostname; sleep 0.1; done' >/dev/null 3>&- &
	KILL_AT_END+=($!)
}

# stop_with SIG TOOL: TOOL, once it traces, ends with status 0 at SIG.
stop_with() {
	local out=$BATS_TEST_TMPDIR/out.$2 t
	: >"$out"	# not READY from the run before
	eval "exec ${CMDLINE[$2]}" >"$out" 2>&1 3>&- &
	t=$!
	KILL_AT_END+=("$t")
	wait_for has_text "$out" "${READY[$2]}" || fail "$2 did not start: $(cat "$out")"
	kill "-$1" "$t"
	wait "$t" || fail "$2 exited $? after SIG$1: $(cat "$out")"
}

# pipe_closed TOOL: TOOL's output read up to its first line, then the pipe
# closed: TOOL ends by itself, quietly, with status 0 at its next write
# (procsystime, which writes only at the end, is stopped with SIGINT).
pipe_closed() {
	local status=$BATS_TEST_TMPDIR/status stop="--preserve-status -s KILL 8"
	[[ $1 == procsystime ]] && stop="--preserve-status -s INT 1"
	{
		local rc=0
		eval "timeout $stop ${CMDLINE[$1]}" 2>&1 3>&- || rc=$?
		echo $rc >"$status"
	} | { read -r _; exec 0<&-; sleep 0.1; }
	[[ $(cat "$status") == 0 ]] || fail "$1 exited $(cat "$status") when its pipe closed"
}

@test "Ctrl-C, SIGTERM and a closed pipe end all seven tools with status 0" {
	start_busy
	for tool in "${TOOLS[@]}"; do
		stop_with INT "$tool"
		stop_with TERM "$tool"
		pipe_closed "$tool"
	done
}

# timeout(1) sends its signal to the command and then to its process group:
# the command gets it twice, at once.  A tool taking the two as one stop
# request prints its summary and exits 0.  Stopped while both arrive, the
# tool sees two signals in a row, always (two of one kind would merge).
@test "two stop signals at once are one request: the summary is printed, status 0" {
	local out=$BATS_TEST_TMPDIR/out t
	start_busy
	eval "exec ${CMDLINE[procsystime]}" >"$out" 2>&1 3>&- &
	t=$!
	KILL_AT_END+=("$t")
	wait_for has_text "$out" "${READY[procsystime]}" || fail "procsystime did not start: $(cat "$out")"
	sleep 0.3	# some calls to sum
	kill -STOP "$t"
	kill -INT "$t"
	kill -TERM "$t"
	kill -CONT "$t"
	wait "$t" || fail "procsystime exited $? after SIGINT and SIGTERM together: $(cat "$out")"
	grep -q 'SYSCALL' "$out" || fail "no summary: $(cat "$out")"
}

# --- write errors ----------------------------------------------------------------

# full TOOL REDIR: TOOL (its command line above) writing to a full device
# ends at once with status 1 and a one-line error.
full() {
	local err=$BATS_TEST_TMPDIR/err.$1 stream=stdout rc=0
	[[ $2 == 2 ]] && stream=stderr
	if [[ $2 == 2 ]]; then
		eval "timeout 10 ${CMDLINE[$1]}" 2>/dev/full 3>&- || rc=$?
	else
		eval "timeout 10 ${CMDLINE[$1]}" >/dev/full 2>"$err" 3>&- || rc=$?
	fi
	((rc == 1)) || fail "$1 exited $rc writing to a full $stream"
	if [[ $2 == 1 ]]; then
		run cat "$err"
		assert_output "$1: write error on stdout: No space left on device"
	fi
}

@test "a full stdout or stderr: every tool ends with status 1 and a one-line error" {
	start_busy
	for tool in dtrace execsnoop opensnoop shellsnoop syscount; do
		full "$tool" 1
	done
	# dtruss and procsystime write their lines to stderr
	full dtruss 2
	full procsystime 2
}

# on_full_fs CMD: run CMD (a string for bash) with $FULL a directory on a
# small tmpfs that is already full, in a mount namespace of its own.
on_full_fs() {
	local dir=$BATS_TEST_TMPDIR/full
	mkdir -p "$dir"
	run --separate-stderr unshare -m bash -c '
		mount -t tmpfs -o size=64k tmpfs "$1" || exit 99
		cat /dev/zero >"$1/fill" 2>/dev/null
		FULL=$1 eval "$2"' bash "$dir" "$1"
}

@test "dtrace -o and opensnoop > onto a full file system: status 1 and a one-line error" {
	on_full_fs "$DTRACE -q -o \$FULL/out -n 'BEGIN { printf(\"hello\\n\"); exit(0); }'"
	assert_failure 1
	assert_equal "$stderr" "dtrace: write error on $BATS_TEST_TMPDIR/full/out: No space left on device"
	on_full_fs "timeout 10 $BIN/opensnoop >\$FULL/out"
	assert_failure 1
	assert_equal "$stderr" "opensnoop: write error on stdout: No space left on device"
}

# --- the command as traced --------------------------------------------------------

@test "dtrace -c: the command's first system call is its own execve, PATH searched before" {
	mkdir -p "$BATS_TEST_TMPDIR/a" "$BATS_TEST_TMPDIR/b"
	# (one line: lines from several CPUs may come out of order)
	PATH=$BATS_TEST_TMPDIR/a:$BATS_TEST_TMPDIR/b:$PATH run "$DTRACE" -qn '
		syscall:::entry /pid == $target && !seen/ {
			seen = 1; printf("%s\n", probefunc); }' -c true
	assert_success
	assert_output "execve"
}

@test "syscount -x cmd shows no failed execve; syscount cmd counts one execve" {
	mkdir -p "$BATS_TEST_TMPDIR/a" "$BATS_TEST_TMPDIR/b"
	PATH=$BATS_TEST_TMPDIR/a:$BATS_TEST_TMPDIR/b:$PATH run "$BIN/syscount" -x cat /dev/null
	assert_success
	refute_line --regexp '^execve '
	PATH=$BATS_TEST_TMPDIR/a:$BATS_TEST_TMPDIR/b:$PATH run "$BIN/syscount" -T 100 true
	assert_success
	assert_line --regexp '^execve +1$'
	PATH=$BATS_TEST_TMPDIR/a:$BATS_TEST_TMPDIR/b:$PATH run "$BIN/procsystime" -c true
	assert_success
	assert_line --regexp '^ +execve +1$'
}

@test "dtrace -c: the command does not inherit the -o file" {
	local o=$BATS_TEST_TMPDIR/o.txt t
	"$DTRACE" -q -o "$o" -n 'syscall::read:entry /pid == $target/ {}' \
		-c "sleep 60" 3>&- &
	t=$!
	KILL_AT_END+=("$t")
	wait_for running_child "$t" sleep || fail "dtrace did not start its command"
	run ls -l "/proc/$CHILD/fd"
	refute_output --partial "$o"
	kill -INT "$t"
	wait "$t"
}

# --- the command line -------------------------------------------------------------

@test "-h and --help print the usage, --version the version, in all seven tools" {
	for tool in "${TOOLS[@]}"; do
		run "$BIN/$tool" -h
		assert_success
		assert_line --index 0 --partial "Usage: $tool"
		run "$BIN/$tool" --version
		assert_success
		assert_output --regexp "^$tool: dtk [0-9]+\.[0-9]+\.[0-9]+$"
	done
}

@test "a usage error exits 2 in all seven tools" {
	for tool in "${TOOLS[@]}"; do
		run "$BIN/$tool" --no-such-flag
		assert_failure 2
	done
}

@test "every man page gives the exit statuses" {
	for tool in "${TOOLS[@]}"; do
		run sed -n '/^\.Sh EXIT STATUS/,/^\.Sh [A-Z]/p' "$TOP/man/man1/$tool.1"
		assert_output --partial "Ctrl-C"
		assert_line ".It 1"
		assert_line ".It 2"
		assert_output --partial "a full disk"
	done
}
