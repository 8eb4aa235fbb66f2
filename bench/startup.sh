#!/bin/bash
# Start-up cost of dtrace against bpftrace:
#  - wall time and peak RSS of a program that only runs BEGIN and exits
#    (parse, compile, load, run BEGIN, tear down);
#  - attach time: wall time until the first syscall probe fires and the
#    tool exits, on a machine where something always makes a syscall
#    (the tool itself does).
# Targets: BEGIN run <= 20 ms and <= 15 MiB.
# Env: DTRACE, BPFTRACE, N (timed runs of the fast commands, default 20),
# RUNS (runs of the slow bpftrace wildcard, default 3), SKIP_SLOW=1 to skip it.
. "$(dirname "$0")/lib.sh"
bench_preflight
N=${N:-20}

# time_ms NAME RUNS CMD: median wall milliseconds of CMD, on stdout
time_ms() {
	local name=$1 runs=$2 cmd=$3
	if command -v hyperfine >/dev/null; then
		local warm=2
		[ "$runs" -le 3 ] && warm=0
		hyperfine -N -w "$warm" -r "$runs" --style none \
			--export-json "$TMP/$name.json" "$cmd" >/dev/null 2>&1 ||
			{ echo nan; return; }
		jq '.results[0].median * 1000' "$TMP/$name.json"
	else
		local i t0
		for i in $(seq "$runs"); do
			t0=$EPOCHREALTIME
			bash -c "$cmd" >/dev/null 2>&1
			echo "($EPOCHREALTIME - $t0) * 1000" | bc -l
		done | median
	fi
}

# rss_mib RUNS CMD: median peak RSS of CMD in MiB
rss_mib() {
	local i
	for i in $(seq "$1"); do
		/usr/bin/time -f %M -o "$TMP/rss" bash -c "exec $2" >/dev/null 2>&1
		tail -1 "$TMP/rss"
	done | median | awk '{ printf "%.1f", $1 / 1024 }'
}

DT_BEGIN="$DTRACE -n 'BEGIN { exit(0); }'"
BT_BEGIN="$BPFTRACE -e 'BEGIN { exit(); }'"
DT_SYS="$DTRACE -qn 'syscall:::entry { exit(0); }'"
BT_RAW="$BPFTRACE -e 'tracepoint:raw_syscalls:sys_enter { exit(); }'"
BT_WILD="$BPFTRACE -e 'tracepoint:syscalls:sys_enter_* { exit(); }'"

machine
echo "timer:   $(command -v hyperfine >/dev/null && hyperfine --version || echo 'bash loop'), median of $N runs (wildcard: $RUNS)"
echo

dt_begin=$(time_ms dt_begin "$N" "$DT_BEGIN")
bt_begin=$(time_ms bt_begin "$N" "$BT_BEGIN")
dt_rss=$(rss_mib 5 "$DT_BEGIN")
bt_rss=$(rss_mib 5 "$BT_BEGIN")
dt_sys=$(time_ms dt_sys "$N" "$DT_SYS")
bt_raw=$(time_ms bt_raw "$N" "$BT_RAW")
dt_sys_rss=$(rss_mib 5 "$DT_SYS")
bt_raw_rss=$(rss_mib 5 "$BT_RAW")
if [ -z "$SKIP_SLOW" ]; then
	bt_wild=$(time_ms bt_wild "$RUNS" "$BT_WILD")
else
	bt_wild=nan
fi

row() { printf '%-58s %10s %10s\n' "$@"; }
row "command" "wall ms" "peak MiB"
row "dtrace -n 'BEGIN { exit(0); }'" "$(printf %.1f "$dt_begin")" "$dt_rss"
row "bpftrace -e 'BEGIN { exit(); }'" "$(printf %.1f "$bt_begin")" "$bt_rss"
row "dtrace -qn 'syscall:::entry { exit(0); }'" "$(printf %.1f "$dt_sys")" "$dt_sys_rss"
row "bpftrace tracepoint:raw_syscalls:sys_enter { exit(); }" "$(printf %.1f "$bt_raw")" "$bt_raw_rss"
row "bpftrace tracepoint:syscalls:sys_enter_* { exit(); }" "$(printf %.1f "$bt_wild")" "-"
echo
echo "attach (syscall run minus BEGIN run):"
echo "  dtrace syscall:::entry               $(awk -v a="$dt_sys" -v b="$dt_begin" 'BEGIN { printf "%.1f ms", a - b }')"
echo "  bpftrace raw_syscalls:sys_enter      $(awk -v a="$bt_raw" -v b="$bt_begin" 'BEGIN { printf "%.1f ms", a - b }')"
echo "  bpftrace syscalls:sys_enter_*        $(awk -v a="$bt_wild" -v b="$bt_begin" 'BEGIN { printf "%.1f ms", a - b }')"
echo
echo "dtrace BEGIN: $(printf %.1f "$dt_begin") ms (target 20): $(verdict "$dt_begin" 20);" \
	"$dt_rss MiB (target 15): $(verdict "$dt_rss" 15)"
echo "bpftrace/dtrace BEGIN: $(ratio "$bt_begin" "$dt_begin")x time, $(ratio "$bt_rss" "$dt_rss")x memory"
