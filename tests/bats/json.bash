# json.bash - running a tool with --json beside the same tool printing
# text, so that both see the same events: `load json` after `load helper`.

# warm_up: one command that every snooper sees (an exec, its opens, a
# shell writing to its stdout).
warm_up() {
	bash -c 'echo warm-up' >/dev/null
}

# tool_start NAME TOOL ARGS...: start TOOL ARGS in the background, stdout in
# $BATS_TEST_TMPDIR/NAME.out, stderr in .../NAME.err, its pid in
# ${PIDS[NAME]}; return once it traces: its text header is out, or (for
# --json, which has none) once it has seen what warm_up does.
declare -gA PIDS
tool_start() {
	local name=$1 out=$BATS_TEST_TMPDIR/$1.out i
	: >"$out"
	"$BIN/$2" "${@:3}" >"$out" 2>"$BATS_TEST_TMPDIR/$name.err" 3>&- &
	PIDS[$name]=$!
	for ((i = 0; i < 200; i++)); do
		[[ -s $out ]] && return 0
		kill -0 "${PIDS[$name]}" 2>/dev/null || break
		[[ " $* " == *" --json "* ]] && warm_up
		sleep 0.05
	done
	cat "$BATS_TEST_TMPDIR/$name.err" >&2
	return 1
}

# tool_stop NAME: let the last records arrive, Ctrl-C, and wait: exit 0.
tool_stop() {
	sleep 0.5
	kill -INT "${PIDS[$1]}"
	wait "${PIDS[$1]}"
}

# all_json FILE: every line of FILE is one JSON object.
all_json() {
	local n lines
	n=$(jq -c 'select(type == "object")' "$1" | wc -l) ||
		fail "a line of $1 does not parse as JSON"
	lines=$(wc -l <"$1")
	((lines > 0 && n == lines)) || fail "$1: $lines lines, $n JSON objects"
}
