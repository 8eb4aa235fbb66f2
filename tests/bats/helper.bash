# helper.bash - common setup for the bats tests: `load helper` first.
#
# Tests that trace call need_bpf first; tests of argument handling, listing
# and compiling need no privileges.

load /usr/lib/bats/bats-support/load
load /usr/lib/bats/bats-assert/load

# run -N / run ! (status checks inside run) need bats 1.5; Debian 12 has 1.8
bats_require_minimum_version 1.5.0

TOP=$(cd "$BATS_TEST_DIRNAME/../.." && pwd)
BIN=$TOP/build/bin
DTRACE=$BIN/dtrace

# Skip unless we can load and attach BPF programs: root, and a kernel and
# bpftool that answer (a container without CAP_BPF fails here).
need_bpf() {
	[[ $EUID -eq 0 ]] || skip "needs root for BPF"
	command -v bpftool >/dev/null || skip "bpftool not installed"
	bpftool prog list >/dev/null 2>&1 || skip "BPF is not usable here"
}

# build_workload NAME [GCC FLAGS...]: compile tests/workloads/NAME.c into
# $BATS_FILE_TMPDIR/NAME (for setup_file).
build_workload() {
	gcc -O2 -Wall -Wextra "${@:2}" -o "$BATS_FILE_TMPDIR/$1" "$TOP/tests/workloads/$1.c"
}

# setup_file of the tools' suites that trace a command whose calls are
# known: tests/workloads/sysload.c, as $SYSLOAD.
build_sysload() {
	export SYSLOAD=$BATS_FILE_TMPDIR/sysload
	build_workload sysload
}

# Compare file $1 with the text on stdin, byte for byte (blank lines too).
expect_file() {
	diff -u - "$1" || fail "$1 differs from what was expected (diff above)"
}

# The tracefs directory, mounting it when we may; empty if unavailable.
tracefs_dir() {
	local d
	for d in /sys/kernel/tracing /sys/kernel/debug/tracing; do
		[[ -d $d/events ]] && { echo "$d"; return; }
	done
	if [[ $EUID -eq 0 ]] && mount -t tracefs nodev /sys/kernel/tracing 2>/dev/null; then
		echo /sys/kernel/tracing
	fi
}

# The rows of `dtrace -l` output (on stdin) as "prov:mod:func:name", read
# by column as dtrace(1M) lays them out ("%5d %10s %17s %33s %s").
probe_rows() {
	awk 'NR > 1 {
		prov = substr($0, 7, 10); mod = substr($0, 18, 17)
		fn = substr($0, 36, 33); name = substr($0, 70)
		gsub(/^ +/, "", prov); gsub(/^ +/, "", mod); gsub(/^ +/, "", fn)
		print prov ":" mod ":" fn ":" name
	}'
}

# `dtrace ARGS` | probe_rows, failing if dtrace fails: for `run dtrace_rows`.
dtrace_rows() {
	set -o pipefail
	"$DTRACE" "$@" | probe_rows
}
