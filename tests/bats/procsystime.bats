#!/usr/bin/env bats
# procsystime against tests/workloads/sysload.c, whose calls are known.

bats_require_minimum_version 1.5.0

load helper

PROCSYSTIME=$BIN/procsystime

setup_file() {
	build_sysload
}

setup() {
	[[ -x $PROCSYSTIME ]] || skip "procsystime is not built"
}

# The value of row $1 in report $2 ("Elapsed Times", "CPU Times",
# "Syscall Counts") of $output.
value_of() {
	awk -v k="$1" -v r="$2" 'index($0, r " for ") == 1 { on = 1; next }
		/ for / { on = 0 } on && $1 == k { print $2; exit }' <<<"$output"
}

@test "procsystime --help lists -a -c -e -o -T -p -n" {
	run "$PROCSYSTIME" --help
	assert_success
	for f in -a -c -e -o -T -p -n; do
		assert_output --partial -- "  $f"
	done
}

@test "procsystime -c counts equal what the workload did" {
	need_bpf
	run "$PROCSYSTIME" -c "$SYSLOAD" 1000 7
	assert_success
	assert_line "Syscall Counts for command $SYSLOAD 1000 7,"
	assert_line "$(printf '%16s %18s' SYSCALL COUNT)"
	assert_line "$(printf '%16s %18s' getppid 1000)"
	refute_output --partial "Elapsed Times"
	refute_output --partial "Tracing..."
	(($(value_of openat "Syscall Counts") >= 7))
}

@test "procsystime prints to stderr, leaving stdout to the command" {
	need_bpf
	run --separate-stderr "$PROCSYSTIME" -c echo hello
	assert_success
	[[ $output == hello ]]
	[[ $stderr == *"Syscall Counts for command echo hello,"* ]]
}

@test "procsystime -T adds a TOTAL: row equal to the sum" {
	need_bpf
	run "$PROCSYSTIME" -cT "$SYSLOAD" 1000 7
	assert_success
	sum=$(awk '/^Syscall Counts/ { on = 1; next } on && $2 ~ /^[0-9]+$/ && $1 != "TOTAL:" { s += $2 } END { print s }' <<<"$output")
	assert_line "$(printf '%16s %18s' TOTAL: "$sum")"
	# TOTAL: is the last row
	[[ $(tail -n 1 <<<"$output") == "$(printf '%16s %18s' TOTAL: "$sum")" ]]
}

@test "procsystime rows are sorted ascending" {
	need_bpf
	run "$PROCSYSTIME" -c "$SYSLOAD" 1000 7
	vals=$(awk '/^Syscall Counts/ { on = 1; next } on && $2 ~ /^[0-9]+$/ { print $2 }' <<<"$output")
	[[ $vals == "$(sort -n <<<"$vals")" ]]
}

@test "procsystime: elapsed by default; -o on-CPU; -a all three in order" {
	need_bpf
	run "$PROCSYSTIME" "$SYSLOAD" 10 0 0 300
	assert_success
	assert_line "Elapsed Times for command $SYSLOAD 10 0 0 300,"
	assert_line "$(printf '%16s %18s' SYSCALL 'TIME (ns)')"
	refute_output --partial "CPU Times"
	# the 300 ms sleep is elapsed time ...
	(($(value_of nanosleep "Elapsed Times") >= 300000000))
	run "$PROCSYSTIME" -a "$SYSLOAD" 10 0 0 300
	assert_success
	titles=$(grep -E '^(Elapsed Times|CPU Times|Syscall Counts) for ' <<<"$output" | cut -d' ' -f1)
	[[ $(echo $titles) == "Elapsed CPU Syscall" ]]
	# ... but not time on the CPU
	oncpu=$(value_of nanosleep "CPU Times")
	((oncpu > 0 && oncpu < 30000000))
	assert_line "$(printf '%16s %18s' getppid 10)"
}

@test "vtimestamp advances with time on the CPU (a busy loop)" {
	need_bpf
	# getppid, a spin until 300 ms on the CPU, then nanosleep
	run "$DTRACE" -qn 'syscall::getppid:return /pid == $target/ { self->v = vtimestamp; self->t = timestamp; }
		syscall::nanosleep:entry /self->v/ { printf("%d %d\n", (vtimestamp - self->v) / 1000000, (timestamp - self->t) / 1000000); }' \
		-c "$SYSLOAD 1 0 300 1"
	assert_success
	read -r oncpu elapsed <<<"$output"
	# the workload spins on its own CPU clock (the scheduler's task clock);
	# vtimestamp counts ktime between context switches: a few percent
	# apart on a loaded VM
	((oncpu >= 285 && oncpu <= elapsed + 1))
}

@test "procsystime -p traces a running process until it exits" {
	need_bpf
	sh -c "sleep 1; exec '$SYSLOAD' 1000" &
	pid=$!
	run timeout 20 "$PROCSYSTIME" -c -p "$pid"
	assert_success
	assert_line "Tracing... Hit Ctrl-C to end..."
	assert_line "Syscall Counts for PID $pid,"
	assert_line "$(printf '%16s %18s' getppid 1000)"
	wait "$pid"
}

@test "procsystime -n traces processes by name until Ctrl-C" {
	need_bpf
	"$PROCSYSTIME" -c -n sysload 2>"$BATS_TEST_TMPDIR/out" &
	tracer=$!
	sleep 2
	"$SYSLOAD" 1000
	"$SYSLOAD" 500
	kill -INT "$tracer"
	wait "$tracer"
	run cat "$BATS_TEST_TMPDIR/out"
	assert_line "Syscall Counts for processes sysload,"
	assert_line "$(printf '%16s %18s' getppid 1500)"
}
