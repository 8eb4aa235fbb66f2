#!/usr/bin/env bats
# opensnoop against a real workload: openload opens NFOUND existing files
# and NMISSING missing ones at full speed (tests/workloads/openload.c).
# Other test runs may trace their own openload at the same time: lines are
# counted by this test's own directory, $WORK.

load helper
load snoop

NFOUND=3000
NMISSING=2000

setup_file() {
	build_workload openload
}

setup() {
	[[ -x $BIN/opensnoop ]] || skip "opensnoop is not built"
	WORK=$BATS_TEST_TMPDIR/files
	mkdir -p "$WORK"
}

load_run() {
	"$BATS_FILE_TMPDIR/openload" "$WORK" "$@"
}

@test "opensnoop --help lists the flags" {
	run "$BIN/opensnoop" --help
	assert_success
	assert_output --partial "-x"
	assert_output --partial "--help"
}

@test "opensnoop rejects a bad PID" {
	run "$BIN/opensnoop" -p nope
	assert_failure
	assert_output --partial "invalid PID"
}

@test "opensnoop -x prints exactly the failed opens of a flood" {
	need_bpf
	snoop_start opensnoop -x -n openload
	load_run $NFOUND $NMISSING
	snoop_stop
	run cat "$SNOOP_ERR"
	refute_output --partial drop
	[[ $(head -n 1 "$SNOOP_OUT") =~ ^\ +UID\ +PID\ COMM\ +FD\ PATH$ ]]
	run grep -c "$WORK/missing-" "$SNOOP_OUT"
	assert_output "$NMISSING"
	run grep -c "$WORK/found-" "$SNOOP_OUT"
	assert_output "0"
	# each missing file once, with FD -1
	run bash -c "grep -o '$WORK/missing-[0-9]*' '$SNOOP_OUT' | sort -u | wc -l"
	assert_output "$NMISSING"
	run grep -c " -1 $WORK/" "$SNOOP_OUT"
	assert_output "$NMISSING"
}

@test "opensnoop sees every open of the flood, found and missing" {
	need_bpf
	snoop_start opensnoop -n openload
	load_run $NFOUND $NMISSING
	snoop_stop
	run grep -c "$WORK/found-" "$SNOOP_OUT"
	# created once, then opened again: twice each
	assert_output "$((2 * NFOUND))"
	run grep -c "$WORK/missing-" "$SNOOP_OUT"
	assert_output "$NMISSING"
}

@test "opensnoop -e shows errno 2 for a missing file" {
	need_bpf
	snoop_start opensnoop -e -n openload
	load_run 1 1
	snoop_stop
	run grep "$WORK/missing-0" "$SNOOP_OUT"
	assert_output --regexp '^ +[0-9]+ +[0-9]+ openload +-1   2 /'
	run grep "$WORK/found-0" "$SNOOP_OUT"
	assert_output --regexp ' +[0-9]+   0 /'
	head -n 1 "$SNOOP_OUT" | grep -q ' FD ERR PATH$'
}

@test "opensnoop -f matches one path exactly" {
	need_bpf
	snoop_start opensnoop -f "$WORK/missing-7"
	load_run 10 10
	snoop_stop
	run grep -c "/missing-7\$" "$SNOOP_OUT"
	assert_output "1"
	run grep -c "/missing-" "$SNOOP_OUT"
	assert_output "1"
}

@test "opensnoop -p traces one process, -n or -p either matches" {
	need_bpf
	"$BATS_FILE_TMPDIR/openload" "$WORK" 5 5 1500 3>&- &
	local pid=$!
	snoop_start opensnoop -p "$pid" -n no-such-command
	cat /etc/hostname >/dev/null
	wait "$pid"
	snoop_stop
	run awk -v p="$pid" 'NR > 1 && $2 != p' "$SNOOP_OUT"
	assert_output ""
	run grep -c "/missing-" "$SNOOP_OUT"
	assert_output "5"
}

@test "opensnoop -c shows the working directory" {
	need_bpf
	snoop_start opensnoop -c -n openload
	(cd "$WORK" && "$BATS_FILE_TMPDIR/openload" . 1 1)
	snoop_stop
	head -n 1 "$SNOOP_OUT" | grep -q ' CWD  *PATH$'
	run grep " $WORK  *\./missing-0" "$SNOOP_OUT"
	assert_output --regexp "^ +[0-9]+ +[0-9]+ openload +-1 $WORK +\./missing-0\$"
}

@test "opensnoop -g shows the arguments instead of the name" {
	need_bpf
	snoop_start opensnoop -g -n openload
	load_run 1 1
	snoop_stop
	head -n 1 "$SNOOP_OUT" | grep -q 'PATH  *ARGS$'
	run grep "$WORK/missing-0" "$SNOOP_OUT"
	assert_output --partial "openload $WORK 1 1"
}

@test "opensnoop -A dumps every field, space delimited" {
	need_bpf
	snoop_start opensnoop -A -n openload
	load_run 1 1
	snoop_stop
	run head -n 1 "$SNOOP_OUT"
	assert_output "ZONE TIME UID PID PPID COMM FD ERR CWD PATH ARGS"
	run grep " $WORK/missing-0 " "$SNOOP_OUT"
	assert_output --regexp "^global [0-9]+ [0-9]+ [0-9]+ [0-9]+ openload -1 2 /[^ ]* $WORK/missing-0 .*openload $WORK 1 1\$"
}

@test "opensnoop -v -s print the date and the time in us" {
	need_bpf
	snoop_start opensnoop -v -s -n openload
	load_run 1 1
	snoop_stop
	head -n 1 "$SNOOP_OUT" | grep -q '^TIME  *STRTIME  *UID'
	run grep "$WORK/missing-0" "$SNOOP_OUT"
	assert_output --regexp "^[0-9]+ +$(date +%Y) [A-Z][a-z][a-z] [ 0-9][0-9] [0-9][0-9]:[0-9][0-9]:[0-9][0-9] "
}

@test "opensnoop prints an unreadable path as such, not nothing" {
	need_bpf
	"$BATS_FILE_TMPDIR/openload" "$WORK" 0 0 1500 3 3>&- &
	local pid=$!
	snoop_start opensnoop -e -p "$pid"
	wait "$pid"
	snoop_stop
	run grep -c "<unreadable 0x8>" "$SNOOP_OUT"
	assert_output "3"
	run grep "<unreadable" "$SNOOP_OUT"
	assert_line --index 0 --regexp ' -1  14 <unreadable 0x8>$'
}

@test "opensnoop -F decodes the open flags" {
	need_bpf
	snoop_start opensnoop -F -n openload
	load_run 1 0
	snoop_stop
	run grep "$WORK/found-0" "$SNOOP_OUT"
	assert_line --index 0 --partial "O_WRONLY|O_CREAT|O_TRUNC"
	assert_line --index 1 --partial "O_RDONLY "
}
