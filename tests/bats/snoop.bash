# snoop.bash - running a snooper (opensnoop, execsnoop) around a workload:
# `load snoop` after `load helper`.

# snoop_start TOOL ARGS...: start the tool in the background, its stdout in
# $SNOOP_OUT and stderr in $SNOOP_ERR, and return once it traces (its
# header line is printed after every probe is enabled).
snoop_start() {
	SNOOP_OUT=$BATS_TEST_TMPDIR/out
	SNOOP_ERR=$BATS_TEST_TMPDIR/err
	: >"$SNOOP_OUT"		# a second run in one test waits for its own header
	"$BIN/$1" "${@:2}" >"$SNOOP_OUT" 2>"$SNOOP_ERR" 3>&- &
	SNOOP_PID=$!
	local i
	for ((i = 0; i < 200; i++)); do
		[[ -s $SNOOP_OUT ]] && return 0
		kill -0 "$SNOOP_PID" 2>/dev/null || break
		sleep 0.05
	done
	cat "$SNOOP_ERR" >&2
	return 1
}

# snoop_stop: let the last records arrive, end the tool with Ctrl-C (unless
# it has ended by itself: the process of its -p exited) and wait for it;
# its exit status must be 0.
snoop_stop() {
	sleep 0.5
	kill -INT "$SNOOP_PID" 2>/dev/null || true
	wait "$SNOOP_PID"
}
