# dt_workloads.bash - the dtrace suites that trace tests/workloads/dt_*.c:
# `load dt_workloads` after `load helper` gives them their setup_file
# (every workload built into $BATS_FILE_TMPDIR, which is $W) and setup
# (dtrace built, BPF usable, $OUT and $ERR the test's files).

setup_file() {
	local src
	for src in "$TOP"/tests/workloads/dt_*.c; do
		build_workload "$(basename "$src" .c)" -std=gnu11 || return 1
	done
}

setup() {
	[[ -x $DTRACE ]] || fail "$DTRACE is not built (run make)"
	need_bpf
	W=$BATS_FILE_TMPDIR
	OUT=$BATS_TEST_TMPDIR/out
	ERR=$BATS_TEST_TMPDIR/err
}
