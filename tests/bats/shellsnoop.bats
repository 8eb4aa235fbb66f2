#!/usr/bin/env bats
# shellsnoop against a real interactive bash on a pseudo-terminal: tmux
# runs the shell in a detached session, send-keys types into it, and
# shellsnoop must show the keystrokes, the shell's own output and that of
# the commands it runs.  Other shells may run on the machine at the same
# time: lines are picked by the pane's pid or by a token unique to the test.

load helper
load snoop

setup() {
	[[ -x $BIN/shellsnoop ]] || skip "shellsnoop is not built"
	TOKEN=tok$$x$RANDOM
	TMUX_SOCK=$BATS_TEST_TMPDIR/tmux.sock	# removed with the test's directory
}

# The test's tmux server, and its background jobs that still run (a
# shellsnoop left by a failed check).
teardown() {
	tmux -S "$TMUX_SOCK" kill-server 2>/dev/null || true
	local p
	for p in $(jobs -p); do
		kill -INT "$p" 2>/dev/null || true
	done
}

# shell_start [PREFIX...]: an interactive bash without start-up files in a
# tmux pane (run through PREFIX, e.g. setpriv), its pid in $SHELL_PID, once
# it shows its prompt.
shell_start() {
	command -v tmux >/dev/null || skip "tmux is not installed"
	tmux -S "$TMUX_SOCK" new-session -d -x 200 -y 50 \
		"$* env -i HOME=/ TERM=xterm PATH=/usr/bin:/bin PS1='ps1> ' bash --norc --noprofile -i" 3>&-
	SHELL_PID=$(tmux -S "$TMUX_SOCK" list-panes -F '#{pane_pid}')
	pane_wait 'ps1>'
}

# pane_wait TEXT: wait until a line of the pane is TEXT, trailing blanks
# aside (at most 10 s).
pane_wait() {
	local i
	for ((i = 0; i < 200; i++)); do
		tmux -S "$TMUX_SOCK" capture-pane -p | sed 's/ *$//' |
			grep -qxF -- "$1" && return 0
		sleep 0.05
	done
	echo "the pane never showed '$1':" >&2
	tmux -S "$TMUX_SOCK" capture-pane -p >&2
	return 1
}

# type_line TEXT: type TEXT and Enter into the shell.
type_line() {
	tmux -S "$TMUX_SOCK" send-keys -l -- "$1"
	tmux -S "$TMUX_SOCK" send-keys Enter
}

# The TEXT column of $SNOOP_OUT's lines of pid $1 going direction $2 (R/W):
# the columns are "%5s %5s %8s %3s  ", 26 characters.
text_of() {
	awk -v p="$1" -v d="$2" '$1 == p && $4 == d' "$SNOOP_OUT" | cut -c27-
}

@test "shellsnoop --help lists the flags" {
	run "$BIN/shellsnoop" --help
	assert_success
	assert_output --partial "-p PID"
	assert_output --partial "-u UID"
	assert_output --partial "-q"
	assert_output --partial "-r"
}

@test "shellsnoop rejects a bad PID or UID" {
	run "$BIN/shellsnoop" -p nope
	assert_failure
	assert_output --partial "invalid PID"
	run "$BIN/shellsnoop" -u -3
	assert_failure
	assert_output --partial "invalid UID"
}

@test "shellsnoop -p shows the keystrokes, the shell's output and its command's" {
	need_bpf
	shell_start
	snoop_start shellsnoop -p "$SHELL_PID"
	run head -n 1 "$SNOOP_OUT"
	assert_output "  PID  PPID      CMD DIR  TEXT"
	type_line "echo $TOKEN-builtin; /bin/echo $TOKEN-child"
	pane_wait "$TOKEN-child"
	snoop_stop
	# one key a read, as readline reads them
	run bash -c "$(declare -f text_of); SNOOP_OUT=$SNOOP_OUT text_of $SHELL_PID R | tr -d '\n'"
	assert_output --partial "echo $TOKEN-builtin; /bin/echo $TOKEN-child"
	# the builtin's output is the shell's write
	run grep -E "^ *$SHELL_PID +[0-9]+ +bash +W  $TOKEN-builtin\$" "$SNOOP_OUT"
	assert_success
	# /bin/echo is a command of this shell: its pid is new, its parent the shell
	run grep -E "^ *[0-9]+ +$SHELL_PID +echo +W  $TOKEN-child\$" "$SNOOP_OUT"
	assert_success
	# nothing from other processes
	run awk -v p="$SHELL_PID" 'NR > 1 && /^ *[0-9]+ +[0-9]+ / && $1 != p && $2 != p' "$SNOOP_OUT"
	assert_output ""
}

@test "shellsnoop follows a command run by a script the shell runs" {
	need_bpf
	shell_start
	snoop_start shellsnoop -p "$SHELL_PID"
	type_line "bash -c '/bin/echo $TOKEN-nested; true'"
	pane_wait "$TOKEN-nested"
	snoop_stop
	run grep -E "^ *[0-9]+ +[0-9]+ +echo +W  $TOKEN-nested\$" "$SNOOP_OUT"
	assert_success
}

@test "shellsnoop -q prints only the text, as the user saw it" {
	need_bpf
	shell_start
	"$BIN/shellsnoop" -q -p "$SHELL_PID" >"$BATS_TEST_TMPDIR/out" 2>"$BATS_TEST_TMPDIR/err" 3>&- &
	SNOOP_PID=$!
	SNOOP_OUT=$BATS_TEST_TMPDIR/out
	# -q prints no header: type until the tracing shows
	local i
	for ((i = 0; i < 100; i++)); do
		type_line ": $TOKEN-ready"
		sleep 0.1
		grep -q "$TOKEN-ready" "$SNOOP_OUT" && break
	done
	type_line "/bin/echo $TOKEN-q"
	pane_wait "$TOKEN-q"
	snoop_stop
	run grep -c "PID" "$SNOOP_OUT"
	assert_output "0"
	# the echoed command line and the command's output, as on the screen
	# (after bash's bracketed-paste switches, escaped: \033[?2004l\r)
	run grep -c "ps1> /bin/echo $TOKEN-q\$" "$SNOOP_OUT"
	assert_output "1"
	run grep -c "[^ ]$TOKEN-q\$" "$SNOOP_OUT"
	assert_output "1"
	run grep -c $'\033' "$SNOOP_OUT"
	assert_output "0"
}

@test "shellsnoop -u traces one user's shells only" {
	need_bpf
	command -v setpriv >/dev/null || skip "setpriv is not installed"
	shell_start setpriv --reuid=65534 --regid=65534 --clear-groups
	snoop_start shellsnoop -u 65534
	local out65534=$SNOOP_OUT pid65534=$SNOOP_PID
	SNOOP_OUT=$BATS_TEST_TMPDIR/out0
	"$BIN/shellsnoop" -u 0 -p "$SHELL_PID" >"$SNOOP_OUT" 2>/dev/null 3>&- &
	local pid0=$!
	sleep 1
	type_line "/bin/echo $TOKEN-nobody"
	pane_wait "$TOKEN-nobody"
	SNOOP_PID=$pid0 snoop_stop
	SNOOP_PID=$pid65534 snoop_stop
	run grep -cE "^ *[0-9]+ +$SHELL_PID +echo +W  $TOKEN-nobody\$" "$out65534"
	assert_output "1"
	run grep -c "$TOKEN" "$SNOOP_OUT"
	assert_output "0"
}

@test "shellsnoop shows an escape sequence escaped, -r passes it raw" {
	need_bpf
	shell_start
	snoop_start shellsnoop -p "$SHELL_PID"
	type_line "/usr/bin/printf '\\033[31m$TOKEN-red\\033[0m\\n'"
	pane_wait "$TOKEN-red"
	snoop_stop
	run grep -E " +printf +W  " "$SNOOP_OUT"
	assert_output --partial "\\033[31m$TOKEN-red\\033[0m"
	# no escape byte reaches the watcher's terminal, from any line
	run grep -c $'\033' "$SNOOP_OUT"
	assert_output "0"

	snoop_start shellsnoop -r -p "$SHELL_PID"
	type_line "/usr/bin/printf '\\033[32m$TOKEN-green\\n'"
	pane_wait "$TOKEN-green"
	snoop_stop
	run grep -c $'\033\\[32m'"$TOKEN-green" "$SNOOP_OUT"
	assert_output "1"
}

@test "shellsnoop -s and -v add the time columns" {
	need_bpf
	shell_start
	snoop_start shellsnoop -s -v -p "$SHELL_PID"
	type_line "/bin/echo $TOKEN-time"
	pane_wait "$TOKEN-time"
	snoop_stop
	run head -n 1 "$SNOOP_OUT"
	assert_output --regexp '^TIME +STRTIME +PID +PPID +CMD DIR  TEXT$'
	run grep " echo  *W  $TOKEN-time" "$SNOOP_OUT"
	assert_output --regexp "^[0-9]+ +$(date +%Y) [A-Z][a-z]{2} [ 0-9][0-9] [0-9:]{8} +[0-9]+ +$SHELL_PID +echo +W  $TOKEN-time\$"
}

@test "shellsnoop marks a write cut at 4095 bytes with ..." {
	need_bpf
	shell_start
	head -c 6000 /dev/zero | tr '\0' y >"$BATS_TEST_TMPDIR/long"
	snoop_start shellsnoop -p "$SHELL_PID"
	type_line "dd if=$BATS_TEST_TMPDIR/long bs=6000 count=1 status=none; echo; echo $TOKEN-done"
	pane_wait "$TOKEN-done"
	snoop_stop
	run grep -E "^ *[0-9]+ +$SHELL_PID +dd +W  y+\\.\\.\\.\$" "$SNOOP_OUT"
	assert_success
	local text=${output##* W  }
	((${#text} == 4095 + 3))
}
