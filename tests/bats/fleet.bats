#!/usr/bin/env bats
# The fleet case, small: a collector (jq here) reads execsnoop --json
# through a pipe while a workload runs, and must find every exec of the
# workload in what it selects.  README.md, "Running on a fleet".

load helper

setup_file() {
	build_workload execburst
}

setup() {
	[[ -x $BIN/execsnoop ]] || skip "execsnoop is not built"
	command -v jq >/dev/null || skip "jq is not installed"
	TOKEN=tok$$x$RANDOM
}

teardown() {
	[[ -n ${ES:-} ]] && kill -INT "$ES" 2>/dev/null || true
	[[ -n ${JQ:-} ]] && kill "$JQ" 2>/dev/null || true
}

@test "execsnoop --json | jq finds every exec of a workload" {
	need_bpf
	local fifo=$BATS_TEST_TMPDIR/pipe out=$BATS_TEST_TMPDIR/selected i
	mkfifo "$fifo"
	# the collector: what a shipper would forward, one object a line
	jq -c --unbuffered --arg t "$TOKEN" \
		'select(.args | contains($t)) | {pid, ppid, comm, args}' <"$fifo" >"$out" &
	JQ=$!
	"$BIN/execsnoop" --json >"$fifo" 2>"$BATS_TEST_TMPDIR/err" 3>&- &
	ES=$!
	# tracing has begun once an exec made now comes out of the pipe
	for ((i = 0; i < 200; i++)); do
		/bin/true "$TOKEN" ready
		grep -q ready "$out" && break
		sleep 0.05
	done
	grep -q ready "$out" || fail "nothing came through the pipe: $(cat "$BATS_TEST_TMPDIR/err")"
	"$BATS_FILE_TMPDIR/execburst" 200 "$TOKEN"
	sleep 0.5
	kill -INT "$ES"
	wait "$ES"
	ES=
	wait "$JQ"
	JQ=
	# /bin/true TOKEN 0 .. /bin/true TOKEN 199, each exactly once
	run jq -r 'select(.comm == "true" and (.args | test(" [0-9]+$"))) | .args | split(" ")[2]' "$out"
	assert_equal "$(sort -n <<<"$output" | uniq | wc -l)" 200
	assert_equal "$(wc -l <<<"$output")" 200
	run jq -r 'select(.comm == "true") | .args | split(" ")[0]' "$out"
	assert_equal "$(sort -u <<<"$output")" /bin/true
}
