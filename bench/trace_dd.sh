#!/bin/bash
# Cost of printing every syscall of a process: dd copying 2,000,000
# single bytes makes ~4,000,000 syscalls, each one a line of output.
#   untraced   dd ...
#   dtrace     dtrace -qn 'syscall:::entry /pid == $target/
#                  { printf("%s\n", probefunc); }' -c 'dd ...' -o FILE
#   bpftrace   bpftrace -e 'tracepoint:raw_syscalls:sys_enter
#                  /pid == cpid/ { printf("%d\n", args->id); }' -c 'dd ...' -o FILE
# bpftrace prints the syscall number (it has no cheap name lookup in the
# probe); dtrace sends the number too and names it in user space, so both
# move the same 8 bytes of payload per event.
# Wall time is of the whole command (start-up, dd, tear-down); CPU is
# user + system of the tool and dd together. Medians of RUNS rounds, the
# three commands interleaved in each round so machine noise hits all.
# Targets: dtrace <= 3x untraced, no drops at the default buffer size.
# Then one profile pass with kernel.bpf_stats_enabled=1: ns per probe run.
# Env: RUNS (3), DTRACE, BPFTRACE, DD_COUNT, SKIP_BPFTRACE=1 (it takes
# over a minute a run).
. "$(dirname "$0")/lib.sh"
bench_preflight

DT_PROG='syscall:::entry /pid == $target/ { printf("%s\n", probefunc); }'
BT_PROG='tracepoint:raw_syscalls:sys_enter /pid == cpid/ { printf("%d\n", args->id); }'

# -o appends, as in DTrace: each run starts a new file
run_dtrace() { rm -f "$1"; exec "$DTRACE" -qn "$DT_PROG" -c "$DD_CMD" -o "$1" 2>"$2"; }
run_bpftrace() { rm -f "$1"; exec "$BPFTRACE" -e "$BT_PROG" -c "$DD_CMD" -o "$1" 2>"$2" >/dev/null; }
# /usr/bin/time runs them through bash
export -f run_dtrace run_bpftrace
export DTRACE BPFTRACE DT_PROG BT_PROG DD_CMD

# dtrace: "dtrace: N drops on CPU n"; bpftrace: "Lost N events"
drops_of() { grep -oE '[0-9]+ drops|Lost [0-9]+' "$1" | grep -oE '[0-9]+' | awk '{ s += $1 } END { print s + 0 }'; }

machine
echo "workload: $DD_CMD; $RUNS rounds"
echo

for r in $(seq "$RUNS"); do
	timed "$TMP/untraced" $DD_CMD 2>/dev/null
	timed "$TMP/dtrace" bash -c 'run_dtrace "$@"' - "$TMP/dt.out" "$TMP/dt.err"
	echo "$(wc -l < "$TMP/dt.out") $(drops_of "$TMP/dt.err")" >> "$TMP/dtrace.lines"
	if [ -z "$SKIP_BPFTRACE" ]; then
		timed "$TMP/bpftrace" bash -c 'run_bpftrace "$@"' - "$TMP/bt.out" "$TMP/bt.err"
		echo "$(grep -c '^[0-9]' "$TMP/bt.out") $(drops_of "$TMP/bt.err")" >> "$TMP/bpftrace.lines"
	fi
	echo "round $r: untraced $(tail -1 "$TMP/untraced" | cut -d' ' -f1) s," \
		"dtrace $(tail -1 "$TMP/dtrace" | cut -d' ' -f1) s$([ -z "$SKIP_BPFTRACE" ] &&
		echo ", bpftrace $(tail -1 "$TMP/bpftrace" | cut -d' ' -f1) s")"
done
echo

base_wall=$(column 1 "$TMP/untraced"); base_cpu=$(column 2 "$TMP/untraced")
printf '%-10s %9s %7s %9s %7s %12s %8s\n' tool "wall s" ratio "cpu s" ratio "lines" drops
printf '%-10s %9s %7s %9s %7s %12s %8s\n' untraced "$base_wall" 1.00 "$base_cpu" 1.00 - -
for t in dtrace bpftrace; do
	[ -f "$TMP/$t" ] || continue
	w=$(column 1 "$TMP/$t"); c=$(column 2 "$TMP/$t")
	printf '%-10s %9s %7s %9s %7s %12s %8s\n' "$t" "$w" "$(ratio "$w" "$base_wall")" \
		"$c" "$(ratio "$c" "$base_cpu")" "$(column 1 "$TMP/$t.lines")" \
		"$(awk '{ s += $2 } END { print s + 0 }' "$TMP/$t.lines")"
done
echo "(lines: median per run; drops: total over all runs)"

dt_ratio=$(ratio "$(column 1 "$TMP/dtrace")" "$base_wall")
dt_drops=$(awk '{ s += $2 } END { print s + 0 }' "$TMP/dtrace.lines")
echo
echo "dtrace $dt_ratio x untraced (target 3): $(verdict "$dt_ratio" 3);" \
	"drops $dt_drops (target 0): $(verdict "$dt_drops" 0)"

# Profile pass: in-kernel time per probe run, sampled until the tool ends.
profile() {
	local name=$1; shift
	stats_on
	"$@" &
	local pid=$! last="0 0" s
	while kill -0 "$pid" 2>/dev/null; do
		s=$(prog_stats "$pid")
		[ "${s%% *}" -gt 0 ] 2>/dev/null && last=$s
		sleep 0.2
	done
	wait "$pid"
	stats_off
	set -- $last
	echo "$name: $1 probe runs, $(awk -v c="$1" -v n="$2" 'BEGIN { printf "%.0f", c ? n / c : 0 }') ns each in BPF"
}
echo
echo "profile (kernel.bpf_stats_enabled=1, one run):"
profile "  dtrace  " run_dtrace "$TMP/dt.out" "$TMP/dt.err"
[ -z "$SKIP_BPFTRACE" ] && profile "  bpftrace" run_bpftrace "$TMP/bt.out" "$TMP/bt.err"
exit 0
