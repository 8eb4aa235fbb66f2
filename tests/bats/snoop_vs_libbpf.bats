#!/usr/bin/env bats
# opensnoop and execsnoop side by side with the libbpf-tools programs of the
# same names (Debian's libbpf-tools, in /usr/sbin): both trace one run of
# the same workload at the same time, and must report the same events.
# Our binaries have the same names, so every tool is called by full path.
#
# The libbpf-tools see less than dtk by design (opensnoop: open and openat
# only, no openat2 or creat; execsnoop: execve only, 20 arguments of 128
# bytes), so the workloads stay inside what both can see: openat() opens,
# and execve() of three short arguments.

load helper
load snoop

LIBBPF_OPENSNOOP=${LIBBPF_OPENSNOOP:-/usr/sbin/opensnoop}
LIBBPF_EXECSNOOP=${LIBBPF_EXECSNOOP:-/usr/sbin/execsnoop}

setup_file() {
	build_workload openload
	build_workload execburst
}

setup() {
	need_bpf
	TOKEN=tok$$x$RANDOM
	WORK=$BATS_TEST_TMPDIR/files
	mkdir -p "$WORK"
	# libbpf-tools attach to syscalls:* tracepoints through tracefs
	[[ -n $(tracefs_dir) ]] || skip "tracefs is not available"
}

# Nothing a test starts outlives it, whatever failed: its background jobs
# that still run (never a pid that may have been reused) are ended.
teardown() {
	touch "$BATS_TEST_TMPDIR/go"
	local p
	for p in $(jobs -p); do
		kill "$p" 2>/dev/null || true
	done
}

# libbpf_start NAME PROGRAM ARGS...: start a libbpf-tools program in the
# background, its output in $BATS_TEST_TMPDIR/NAME.out (.err), its pid in
# LIBBPF_PID; return once it prints its header, which it does after it
# has attached.
libbpf_start() {
	local name=$1 prog=$2
	[[ -x $prog ]] || skip "libbpf-tools' $prog is not installed"
	LIBBPF_OUT=$BATS_TEST_TMPDIR/$name.out
	LIBBPF_ERR=$BATS_TEST_TMPDIR/$name.err
	# line-buffered, or the header that says it is ready stays in stdio
	stdbuf -oL "$prog" "${@:3}" >"$LIBBPF_OUT" 2>"$LIBBPF_ERR" 3>&- &
	LIBBPF_PID=$!
	local i
	for ((i = 0; i < 200; i++)); do
		[[ -s $LIBBPF_OUT ]] && return 0
		kill -0 "$LIBBPF_PID" 2>/dev/null || break
		sleep 0.05
	done
	cat "$LIBBPF_ERR" >&2
	kill "$LIBBPF_PID" 2>/dev/null
	return 1
}

libbpf_stop() {
	kill -INT "$LIBBPF_PID"
	wait "$LIBBPF_PID" || true	# some exit 1 on SIGINT; their output counts
}

# Events lost by either side make the comparison meaningless: say so.
no_losses() {
	! grep -Ei 'lost|drop' "$SNOOP_ERR" "$LIBBPF_ERR" || {
		echo "events were lost: the comparison is void"
		return 1
	}
}

# openload_held ARGS...: an openload whose pid is known before it starts
# (a subshell that waits for a file to appear, then execs it), so that both
# tools can trace it by -p from its first open: libbpf-tools opensnoop
# filters -n in user space, after every open on the machine has gone
# through its buffer, but -p in the kernel.  openload_go lets it run and
# waits for it.  (No FIFO: a writer would hang if the reader died.)
openload_held() {
	(while [[ ! -e $BATS_TEST_TMPDIR/go ]]; do sleep 0.01; done
	 exec "$BATS_FILE_TMPDIR/openload" "$WORK" "$@") 3>&- &
	LOAD_PID=$!
}

openload_go() {
	touch "$BATS_TEST_TMPDIR/go"
	wait "$LOAD_PID"
}

@test "opensnoop and libbpf-tools opensnoop see the same opens of a flood" {
	[[ -x $BIN/opensnoop ]] || skip "opensnoop is not built"
	openload_held 2000 1000
	libbpf_start libbpf-opensnoop "$LIBBPF_OPENSNOOP" -p "$LOAD_PID"
	snoop_start opensnoop -p "$LOAD_PID"
	openload_go
	snoop_stop
	libbpf_stop
	no_losses
	# the multiset of paths this run opened, with the result of each:
	# FD -1 or not.  Ours: "UID PID COMM FD PATH"; theirs: "PID COMM FD ERR PATH"
	awk -v w="$WORK/" 'index($NF, w) == 1 { print ($4 < 0 ? "fail" : "ok"), $NF }' \
		"$SNOOP_OUT" | sort >"$BATS_TEST_TMPDIR/ours"
	awk -v w="$WORK/" 'index($NF, w) == 1 { print ($3 < 0 ? "fail" : "ok"), $NF }' \
		"$LIBBPF_OUT" | sort >"$BATS_TEST_TMPDIR/theirs"
	# 2000 created and reopened, 1000 missing
	run wc -l <"$BATS_TEST_TMPDIR/ours"
	assert_output "5000"
	run diff "$BATS_TEST_TMPDIR/ours" "$BATS_TEST_TMPDIR/theirs"
	assert_success
}

@test "opensnoop and libbpf-tools opensnoop -x agree on the failed opens" {
	[[ -x $BIN/opensnoop ]] || skip "opensnoop is not built"
	openload_held 500 1500
	libbpf_start libbpf-opensnoop "$LIBBPF_OPENSNOOP" -x -p "$LOAD_PID"
	snoop_start opensnoop -x -p "$LOAD_PID"
	openload_go
	snoop_stop
	libbpf_stop
	no_losses
	awk -v w="$WORK/" 'index($NF, w) == 1 { print $NF }' "$SNOOP_OUT" |
		sort >"$BATS_TEST_TMPDIR/ours"
	awk -v w="$WORK/" 'index($NF, w) == 1 { print $NF }' "$LIBBPF_OUT" |
		sort >"$BATS_TEST_TMPDIR/theirs"
	run wc -l <"$BATS_TEST_TMPDIR/ours"
	assert_output "1500"
	run diff "$BATS_TEST_TMPDIR/ours" "$BATS_TEST_TMPDIR/theirs"
	assert_success
}

@test "execsnoop and libbpf-tools execsnoop see the same burst of execs" {
	[[ -x $BIN/execsnoop ]] || skip "execsnoop is not built"
	libbpf_start libbpf-execsnoop "$LIBBPF_EXECSNOOP"
	snoop_start execsnoop
	"$BATS_FILE_TMPDIR/execburst" 3000 "$TOKEN"
	snoop_stop
	libbpf_stop
	no_losses
	# the set of argument lists: "/bin/true TOKEN I", once each I (theirs
	# end with a blank)
	grep -o "/bin/true $TOKEN [0-9]*" "$SNOOP_OUT" | sort >"$BATS_TEST_TMPDIR/ours"
	grep -o "/bin/true $TOKEN [0-9]*" "$LIBBPF_OUT" | sort >"$BATS_TEST_TMPDIR/theirs"
	run wc -l <"$BATS_TEST_TMPDIR/ours"
	assert_output "3000"
	run diff "$BATS_TEST_TMPDIR/ours" "$BATS_TEST_TMPDIR/theirs"
	assert_success
	# and the same pids
	awk -v t="$TOKEN" '$5 == t { print $2, $6 }' "$SNOOP_OUT" | sort >"$BATS_TEST_TMPDIR/ours"
	awk -v t="$TOKEN" '$6 == t { print $2, $7 }' "$LIBBPF_OUT" | sort >"$BATS_TEST_TMPDIR/theirs"
	run diff "$BATS_TEST_TMPDIR/ours" "$BATS_TEST_TMPDIR/theirs"
	assert_success
}

@test "execsnoop sees the execveat (fexecve) calls libbpf-tools execsnoop misses" {
	[[ -x $BIN/execsnoop ]] || skip "execsnoop is not built"
	libbpf_start libbpf-execsnoop "$LIBBPF_EXECSNOOP"
	snoop_start execsnoop
	"$BATS_FILE_TMPDIR/execburst" 20 "$TOKEN" execveat
	snoop_stop
	libbpf_stop
	run grep -c "/bin/true $TOKEN [0-9]*\$" "$SNOOP_OUT"
	assert_output "20"
	# not a requirement on libbpf-tools: a record of what it sees
	echo "# libbpf-tools execsnoop saw $(grep -c "/bin/true $TOKEN" "$LIBBPF_OUT") of 20 execveat" >&3
}
