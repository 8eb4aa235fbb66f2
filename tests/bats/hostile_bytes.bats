#!/usr/bin/env bats
# Bytes from a traced process or binary never reach the terminal raw: one
# process whose file name (so its comm), arguments, the path it opens and
# the symbol of the function that opens it carry ESC sequences, newlines
# and backslashes, traced by every tool that prints such data.  Each test
# checks the escaped form is printed and that no ESC byte and no forged
# line (a line starting with what followed a newline) came out.

load helper
load snoop

bats_require_minimum_version 1.5.0

# A tool a failed check left running is ended, so no tracer outlives its test.
teardown() {
	[[ -n ${SNOOP_PID:-} ]] && kill -INT "$SNOOP_PID" 2>/dev/null
	return 0
}

setup_file() {
	build_workload hostile_names -fno-omit-frame-pointer || return 1
	# the comm: h b ESC [7m \ newline z (9 bytes, under 15)
	export HNAME=$'hb\e[7m\\\nz'
	export HNAME_ESC='hb\033[7m\\\nz'
	export HBIN=$BATS_FILE_TMPDIR/$HNAME
	cp "$BATS_FILE_TMPDIR/hostile_names" "$HBIN"
	# a path with an OSC title sequence, a backslash and a newline
	export HPATH=$BATS_FILE_TMPDIR/$'p\e]0;x\a\\\nFORGED'
	export HPATH_ESC='p\033]0;x\a\\\nFORGED'
	export HSYM_ESC='evil\033[7m_open'
}

# No ESC byte, and no line begins with what followed a newline.
assert_clean() {
	run grep -c $'\e' "$1"
	assert_output 0
	run grep -c -E '^(z|FORGED|y )' "$1"
	assert_output 0
}

@test "syscount -P: the process name escaped" {
	need_bpf
	run --separate-stderr "$BIN/syscount" -P "$HBIN" "$HPATH"
	assert_success
	printf '%s\n' "$output" >"$BATS_TEST_TMPDIR/out"
	assert_output --partial "$HNAME_ESC"
	assert_clean "$BATS_TEST_TMPDIR/out"
}

@test "dtrace ustack(): symbol and file names from the binary escaped" {
	need_bpf
	"$DTRACE" -qn 'syscall::openat:entry /pid == $target && basename(copyinstr(arg1)) != "ld.so.cache"/ { ustack(); }' \
		-c "'$HBIN' '$HPATH'" >"$BATS_TEST_TMPDIR/out"
	run cat "$BATS_TEST_TMPDIR/out"
	assert_output --partial "$HNAME_ESC\`$HSYM_ESC+0x"
	assert_clean "$BATS_TEST_TMPDIR/out"
}

@test "dtruss -s: the stack's symbols and the path escaped" {
	need_bpf
	run --separate-stderr "$BIN/dtruss" -s -t openat "$HBIN" "$HPATH"
	printf '%s\n' "$stderr" >"$BATS_TEST_TMPDIR/out"
	run cat "$BATS_TEST_TMPDIR/out"
	assert_output --partial "$HSYM_ESC"
	assert_output --partial "$HPATH_ESC"
	assert_clean "$BATS_TEST_TMPDIR/out"
}

@test "opensnoop -t: name, path and stack escaped" {
	need_bpf
	snoop_start opensnoop -t -n "$HNAME"
	"$HBIN" "$HPATH" >/dev/null
	snoop_stop
	run cat "$SNOOP_OUT"
	assert_output --partial "$HPATH_ESC"
	assert_output --partial "$HSYM_ESC"
	assert_output --partial "${HNAME_ESC:0:12}"
	assert_clean "$SNOOP_OUT"
}

@test "dtrace -l and a pid probe's FUNCTION:NAME: names from the binary escaped" {
	need_bpf
	# no newline in this file name: /proc/PID/maps shows one as \012, and
	# the pid provider finds a binary by its maps line
	local bin=$BATS_TEST_TMPDIR/$'hl\e[7m\\w'
	cp "$BATS_FILE_TMPDIR/hostile_names" "$bin"
	"$bin" "$HPATH" 3000 >/dev/null &
	local pid=$!
	sleep 0.3
	run -0 "$DTRACE" -l -n "pid$pid:::entry"
	printf '%s\n' "$output" >"$BATS_TEST_TMPDIR/out"
	assert_output --regexp 'hl\\033\[7m\\\\w +evil\\033\[7m_open entry'
	assert_clean "$BATS_TEST_TMPDIR/out"
	kill "$pid"
	wait "$pid" || true

	"$DTRACE" -n 'pid$target::evil*:entry {}' -c "'$bin' '$HPATH'" >"$BATS_TEST_TMPDIR/out2"
	run cat "$BATS_TEST_TMPDIR/out2"
	assert_output --partial "$HSYM_ESC:entry"
	assert_clean "$BATS_TEST_TMPDIR/out2"
}

@test "execsnoop, plain and -e: comm and arguments escaped, one exec one line" {
	need_bpf
	snoop_start execsnoop
	"$HBIN" "$HPATH" $'y \\033 typed' >/dev/null
	snoop_stop
	run grep -F "$HPATH_ESC" "$SNOOP_OUT"
	assert_output --partial "$HPATH_ESC y \\\\033 typed"
	assert_clean "$SNOOP_OUT"

	snoop_start execsnoop -A
	"$HBIN" "$HPATH" $'y \\033 typed' >/dev/null
	snoop_stop
	run grep -F "$HNAME_ESC" "$SNOOP_OUT"
	assert_output --partial "$HPATH_ESC"
	assert_clean "$SNOOP_OUT"
}

@test "shellsnoop: a typed \\033 is shown doubled, a real ESC escaped" {
	need_bpf
	# -q prints no header, so the run is known to be tracing once a shell's
	# own write of "ready" shows up
	SNOOP_OUT=$BATS_TEST_TMPDIR/out
	"$BIN/shellsnoop" -q >"$SNOOP_OUT" 2>"$BATS_TEST_TMPDIR/err" 3>&- &
	SNOOP_PID=$!
	local i
	for ((i = 0; i < 200; i++)); do
		bash -c 'echo ready' >/dev/null
		grep -q ready "$SNOOP_OUT" && break
		sleep 0.05
	done
	grep -q ready "$SNOOP_OUT" || fail "shellsnoop -q never showed a shell's write"
	bash -c 'printf "%s\n" "$1"' sh $'hostile'$$$' \\033 and \e[31m red' >/dev/null
	snoop_stop
	run grep -F "hostile$$" "$SNOOP_OUT"
	assert_output --partial "hostile$$ \\\\033 and \\033[31m red"
	assert_clean "$SNOOP_OUT"
}

@test "a -n name longer than a comm warns and matches the 15 characters a process has" {
	need_bpf
	local long=$BATS_TEST_TMPDIR/hostile_names_long_name
	cp "$BATS_FILE_TMPDIR/hostile_names" "$long"
	snoop_start opensnoop -n hostile_names_long_name
	"$long" /nonexistent-$$ >/dev/null
	snoop_stop
	run cat "$SNOOP_ERR"
	assert_output --partial 'warning: -n names are at most 15 characters'
	run grep -c "/nonexistent-$$" "$SNOOP_OUT"
	assert_output 1
}
