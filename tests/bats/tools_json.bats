#!/usr/bin/env bats
# --json on every tool: each line parses as one JSON object and says what
# the text says.  The snoopers run twice at once, as text and as JSON, so
# both see the same events of a workload, picked out by a token unique to
# the test; the tools that trace a command run it once each way.

bats_require_minimum_version 1.5.0

load helper
load json

setup_file() {
	build_sysload
	build_workload execburst
}

setup() {
	command -v jq >/dev/null || skip "jq is not installed"
	TOKEN=tok$$x$RANDOM
}

teardown() {
	local p
	for p in "${PIDS[@]}"; do
		kill -INT "$p" 2>/dev/null || true
	done
}

@test "every tool's --help offers --json" {
	local t
	for t in dtruss opensnoop execsnoop shellsnoop procsystime syscount; do
		run "$BIN/$t" --help
		assert_output --partial "--json"
	done
}

@test "execsnoop --json: the execs the text shows, uid pid ppid args alike" {
	need_bpf
	tool_start text execsnoop
	tool_start json execsnoop --json
	"$BATS_FILE_TMPDIR/execburst" 20 "$TOKEN"
	/bin/echo "$TOKEN" 'a b' '"q"' >/dev/null
	tool_stop text
	tool_stop json
	all_json "$BATS_TEST_TMPDIR/json.out"
	local t j
	t=$(grep -F "$TOKEN" "$BATS_TEST_TMPDIR/text.out" | awk '{ $1 = $1; print }' | sort)
	j=$(jq -r --arg t "$TOKEN" 'select(.args | contains($t)) |
		"\(.uid) \(.pid) \(.ppid) \(.args)"' "$BATS_TEST_TMPDIR/json.out" | sort)
	# execburst's own exec, its 20 and echo's
	[[ $(wc -l <<<"$t") -eq 22 ]] || fail "text saw $(wc -l <<<"$t") of 22 execs"
	assert_equal "$j" "$t"
	run jq -r --arg t "$TOKEN" 'select(.args | contains($t)) | select(.comm == "echo") |
		[(.time_ns|type), (.walltime_ns|type), (.args_truncated|tostring)] | join(" ")' \
		"$BATS_TEST_TMPDIR/json.out"
	assert_output "number number false"
}

@test "opensnoop --json: pid comm fd errno path as the text, a path with spaces whole" {
	need_bpf
	local f="$BATS_TEST_TMPDIR/a b $TOKEN"
	echo x >"$f"
	tool_start text opensnoop -e
	tool_start json opensnoop --json
	cat "$f" "/nonexistent/$TOKEN" >/dev/null 2>&1 || true
	tool_stop text
	tool_stop json
	all_json "$BATS_TEST_TMPDIR/json.out"
	local t j
	# text: UID PID COMM FD ERR PATH (the path is the rest of the line)
	t=$(grep -F "$TOKEN" "$BATS_TEST_TMPDIR/text.out" |
		awk '{ p = $0; sub(/^ *[^ ]+ +[^ ]+ +[^ ]+ +[^ ]+ +[^ ]+ /, "", p);
		       print $2, $3, $4, $5, p }' | sort)
	j=$(jq -r --arg t "$TOKEN" 'select(.path != null and (.path | contains($t))) |
		"\(.pid) \(.comm) \(.fd) \(.errno) \(.path)"' "$BATS_TEST_TMPDIR/json.out" | sort)
	[[ $(wc -l <<<"$t") -eq 2 ]] || fail "text: $t"
	assert_equal "$j" "$t"
	run jq -r --arg t "$TOKEN" 'select(.path == "/nonexistent/\($t)") | "\(.fd) \(.errno) \(.errname)"' \
		"$BATS_TEST_TMPDIR/json.out"
	assert_output "-1 2 ENOENT"
	run jq -r --arg f "$f" 'select(.path == $f) | "\(.errno) \(.errname) \(.fd >= 0)"' \
		"$BATS_TEST_TMPDIR/json.out"
	assert_output "0 null true"
}

@test "shellsnoop --json: a shell's writes as the text shows them" {
	need_bpf
	tool_start text shellsnoop
	tool_start json shellsnoop --json
	bash -c "echo $TOKEN-one; echo '$TOKEN two'" >/dev/null
	tool_stop text
	tool_stop json
	all_json "$BATS_TEST_TMPDIR/json.out"
	local t j
	# each snooper sees the other print the token too: the shell's only
	t=$(grep -F "$TOKEN" "$BATS_TEST_TMPDIR/text.out" | awk '$3 == "bash" { $1 = $1; print }' | sort)
	j=$(jq -r --arg t "$TOKEN" 'select(.cmd == "bash" and (.text | contains($t))) |
		"\(.pid) \(.ppid) \(.cmd) \(.dir) \(.text | rtrimstr("\n"))"' \
		"$BATS_TEST_TMPDIR/json.out" | sort)
	[[ $(wc -l <<<"$t") -eq 2 ]] || fail "text: $t"
	assert_equal "$j" "$t"
}

@test "dtruss --json: the calls of the text, arguments as an array, errno named" {
	need_bpf
	run --separate-stderr "$BIN/dtruss" "$SYSLOAD" 7 3
	assert_success
	local t j
	t=$(grep -E '^(getppid|openat)\(' <<<"$stderr" | grep -E 'getppid|sysload' |
		sed 's/\t\t//')
	run --separate-stderr "$BIN/dtruss" --json "$SYSLOAD" 7 3
	assert_success
	printf '%s\n' "$output" >"$BATS_TEST_TMPDIR/json.out"
	all_json "$BATS_TEST_TMPDIR/json.out"
	[[ -z $(grep -E '^(getppid|openat)\(' <<<"$stderr") ]] || fail "text on stderr with --json"
	# the same calls, rebuilt from the JSON in the text's layout
	j=$(jq -r 'select(.syscall == "getppid" or (.args[1]? == "/nonexistent/sysload")) |
		"\(.syscall)(" + (.args | map(if type == "string" then "\"\(.)\\0\""
			elif . == 4294967196 then "0xFFFFFF9C" else "0x\(.)" end) | join(", ")) + ") = " +
		(if .errno != 0 then "-1 Err#\(.errno)" else "\(.return) 0" end)' \
		"$BATS_TEST_TMPDIR/json.out")
	[[ $(grep -c getppid <<<"$t") -eq 7 ]] || fail "text: $t"
	assert_equal "$(sed -E 's/^getppid\(\) = [0-9]+/getppid() = PPID/' <<<"$j")" \
		"$(sed -E 's/^getppid\(\) = [0-9]+/getppid() = PPID/; s/^getppid\(0x0\)/getppid()/' <<<"$t")"
	run jq -r 'select(.syscall == "openat" and .errno != 0) | .errname' "$BATS_TEST_TMPDIR/json.out"
	assert_output --partial ENOENT
}

@test "dtruss --json -c: the counts as one object, equal to the text's" {
	need_bpf
	run --separate-stderr "$BIN/dtruss" -c "$SYSLOAD" 50 4
	assert_success
	local tg to
	tg=$(awk '$1 == "getppid" { print $2 }' <<<"$stderr")
	to=$(awk '$1 == "openat" { print $2 }' <<<"$stderr")
	run --separate-stderr "$BIN/dtruss" --json -c "$SYSLOAD" 50 4
	assert_success
	printf '%s\n' "$output" >"$BATS_TEST_TMPDIR/json.out"
	all_json "$BATS_TEST_TMPDIR/json.out"
	run jq -r 'select(.counts) | "\(.counts.getppid) \(.counts.openat)"' "$BATS_TEST_TMPDIR/json.out"
	assert_output "50 $to"
	assert_equal "$tg" 50
}

@test "syscount --json: a report is an object whose rows are the text's" {
	need_bpf
	run "$BIN/syscount" -T 40 "$SYSLOAD" 300 5
	assert_success
	local tg to
	tg=$(awk '$1 == "getppid" { print $2 }' <<<"$output")
	to=$(awk '$1 == "openat" { print $2 }' <<<"$output")
	run "$BIN/syscount" --json -T 40 "$SYSLOAD" 300 5
	assert_success
	printf '%s\n' "$output" >"$BATS_TEST_TMPDIR/json.out"
	all_json "$BATS_TEST_TMPDIR/json.out"
	run jq -r '.syscalls[] | select(.syscall == "getppid" or .syscall == "openat") |
		"\(.syscall) \(.count)"' "$BATS_TEST_TMPDIR/json.out"
	assert_output "$(printf 'getppid %s\nopenat %s' "$tg" "$to")"
	assert_equal "$tg" 300
	run "$BIN/syscount" --json -L -P "$SYSLOAD" 10
	assert_success
	run jq -r '.processes[0] | [(.pid|type), .comm, (.count > 10), (.time_ns|type)] | join(" ")' <<<"$output"
	assert_output "number sysload true number"
}

@test "procsystime --json: the reports as one object of syscall: value" {
	need_bpf
	run --separate-stderr "$BIN/procsystime" -cT "$SYSLOAD" 200 2
	assert_success
	local tg tt
	tg=$(awk '$1 == "getppid" { print $2 }' <<<"$stderr")
	tt=$(awk '$1 == "TOTAL:" { print $2 }' <<<"$stderr")
	run --separate-stderr "$BIN/procsystime" --json -aT "$SYSLOAD" 200 2
	assert_success
	printf '%s\n' "$output" >"$BATS_TEST_TMPDIR/json.out"
	all_json "$BATS_TEST_TMPDIR/json.out"
	run jq -r '"\(.counts.getppid) \(.counts.openat) \(.counts_total > 200) \(.elapsed_ns.getppid > 0) \(.oncpu_total_ns > 0)"' \
		"$BATS_TEST_TMPDIR/json.out"
	assert_output "200 $(jq -r '.counts.openat' "$BATS_TEST_TMPDIR/json.out") true true true"
	assert_equal "$tg" 200
	# the same kinds of rows: the syscalls counted are the text's
	(( $(jq -r '.counts | length' "$BATS_TEST_TMPDIR/json.out") > 5 ))
	((tt > 200))
}

@test "opensnoop -t --json: each open's user stack follows it as a line of its own" {
	need_bpf
	local comm=oc$RANDOM
	cp /bin/cat "$BATS_TEST_TMPDIR/$comm"
	"$BIN/opensnoop" -t --json -n "$comm" >"$BATS_TEST_TMPDIR/json.out" \
		2>"$BATS_TEST_TMPDIR/json.err" 3>&- &
	PIDS[json]=$!
	# only this command is traced: run it until its open comes out
	local i
	for ((i = 0; i < 200; i++)); do
		"$BATS_TEST_TMPDIR/$comm" "/nonexistent/$TOKEN" 2>/dev/null || true
		grep -q "$TOKEN" "$BATS_TEST_TMPDIR/json.out" && break
		sleep 0.05
	done
	tool_stop json
	all_json "$BATS_TEST_TMPDIR/json.out"
	# every open line of the command is followed by its stack
	run jq -rs --arg t "$TOKEN" '. as $a | [range(length)] |
		map(select($a[.].path == "/nonexistent/\($t)")) | .[0] as $i |
		($a[$i + 1].ustack | type), ($a[$i + 1].ustack | length > 0),
		($a[$i + 1].ustack[0].symbol | type)' "$BATS_TEST_TMPDIR/json.out"
	assert_output "$(printf 'array\ntrue\nstring')"
}

@test "dtruss -s --json: a ustack line after every call" {
	need_bpf
	run --separate-stderr "$BIN/dtruss" -s --json "$SYSLOAD" 3 1
	assert_success
	printf '%s\n' "$output" >"$BATS_TEST_TMPDIR/json.out"
	all_json "$BATS_TEST_TMPDIR/json.out"
	local calls stacks
	calls=$(jq -r 'select(.syscall) | .syscall' "$BATS_TEST_TMPDIR/json.out" | wc -l)
	stacks=$(jq -r 'select(.ustack) | "s"' "$BATS_TEST_TMPDIR/json.out" | wc -l)
	((calls > 10)) || fail "only $calls calls"
	assert_equal "$stacks" "$calls"
	run jq -r 'select(.ustack) | .ustack | map(.symbol) | join(" ") | select(test("sysload`main"))' \
		"$BATS_TEST_TMPDIR/json.out"
	assert_line --partial "sysload\`main"
}
