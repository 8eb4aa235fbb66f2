# Shared by the bats files that run one D program each through dtrace -q -n
# and check what it printed: the setup they all need and dq().

setup() {
	[[ -x $DTRACE ]] || fail "$DTRACE is not built (run make)"
	need_bpf
}

# run D program $1 with dtrace -q -n (further arguments follow it);
# stdout is in $output, stderr in $stderr
dq() {
	run --separate-stderr "$DTRACE" -q -n "$1" "${@:2}"
}
