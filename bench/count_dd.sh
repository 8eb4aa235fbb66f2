#!/bin/bash
# Overhead of counting syscalls in the kernel, system-wide, on the dd of
# trace_dd.sh (~4,000,000 syscalls). The tracer starts before dd and is
# stopped with SIGINT after it; only dd is timed.
#   untraced   dd ...
#   dtrace     dtrace -n 'syscall:::entry { @[execname] = count(); }'
#   bpftrace   bpftrace -e 'tracepoint:raw_syscalls:sys_enter { @[comm] = count(); }'
#   syscount   libbpf-tools syscount -P (counts per process)
# Medians of RUNS rounds, the four interleaved in each round. A count is
# checked: the tracer must report dd with at least 2 * DD_COUNT calls.
# Target: dtrace <= 1.25x untraced.
# Then one profile pass with kernel.bpf_stats_enabled=1: ns per probe run.
# Env: RUNS (3), DTRACE, BPFTRACE, SYSCOUNT, DD_COUNT.
. "$(dirname "$0")/lib.sh"
bench_preflight
SYSCOUNT=${SYSCOUNT:-/usr/sbin/syscount}

TOOLS="dtrace bpftrace"
[ -x "$SYSCOUNT" ] && TOOLS="$TOOLS syscount"

# start_tool NAME: run the tracer in the background; sets TOOL_PID and
# the line that says it is tracing
start_tool() {
	local out=$TMP/$1.out err=$TMP/$1.err
	case $1 in
	dtrace)
		"$DTRACE" -n 'syscall:::entry { @[execname] = count(); }' >"$out" 2>"$err" &
		READY='matched';;
	bpftrace)
		"$BPFTRACE" -e 'tracepoint:raw_syscalls:sys_enter { @[comm] = count(); }' >"$out" 2>"$err" &
		READY='Attaching';;
	syscount)
		# its "Tracing" line would wait in a stdio buffer
		stdbuf -oL "$SYSCOUNT" -P >"$out" 2>"$err" &
		READY='Tracing';;
	esac
	TOOL_PID=$!
	wait_for "$READY" "$out" "$err" || { kill -INT "$TOOL_PID"; return 1; }
}

stop_tool() {
	kill -INT "$TOOL_PID"
	wait "$TOOL_PID"
}

# dd_count NAME: the count the tracer reported for dd
dd_count() {
	awk '/(^|[ \[])dd([ \]]|$)/ { for (i = NF; i > 0; i--) if ($i ~ /^[0-9]+$/) { print $i; exit } }' \
		"$TMP/$1.out"
}

machine
echo "workload: $DD_CMD; $RUNS rounds; tracers: $TOOLS"
echo

for r in $(seq "$RUNS"); do
	timed "$TMP/untraced" $DD_CMD 2>/dev/null
	line="round $r: untraced $(tail -1 "$TMP/untraced" | cut -d' ' -f1) s"
	for t in $TOOLS; do
		start_tool "$t" || exit 1
		timed "$TMP/$t" $DD_CMD 2>/dev/null
		stop_tool
		echo "$(dd_count "$t")" >> "$TMP/$t.counts"
		line="$line, $t $(tail -1 "$TMP/$t" | cut -d' ' -f1) s"
	done
	echo "$line"
done
echo

base_wall=$(column 1 "$TMP/untraced"); base_cpu=$(column 2 "$TMP/untraced")
printf '%-10s %9s %7s %9s %7s %14s\n' tool "dd wall s" ratio "dd cpu s" ratio "dd's count"
printf '%-10s %9s %7s %9s %7s %14s\n' untraced "$base_wall" 1.00 "$base_cpu" 1.00 -
for t in $TOOLS; do
	w=$(column 1 "$TMP/$t"); c=$(column 2 "$TMP/$t")
	printf '%-10s %9s %7s %9s %7s %14s\n' "$t" "$w" "$(ratio "$w" "$base_wall")" \
		"$c" "$(ratio "$c" "$base_cpu")" "$(median < "$TMP/$t.counts")"
done
want=$((2 * DD_COUNT))
for t in $TOOLS; do
	le "$want" "$(median < "$TMP/$t.counts")" ||
		echo "warning: $t counted fewer than $want calls for dd"
done

dt_ratio=$(ratio "$(column 1 "$TMP/dtrace")" "$base_wall")
echo
echo "dtrace $dt_ratio x untraced (target 1.25): $(verdict "$dt_ratio" 1.25)"

echo
echo "profile (kernel.bpf_stats_enabled=1, one run; every process's syscalls count):"
stats_on
for t in $TOOLS; do
	start_tool "$t" || exit 1
	$DD_CMD 2>/dev/null
	set -- $(prog_stats "$TOOL_PID")
	stop_tool
	printf '  %-9s %9s probe runs, %4s ns each in BPF\n' "$t" "$1" \
		"$(awk -v c="$1" -v n="$2" 'BEGIN { printf "%.0f", c ? n / c : 0 }')"
done
stats_off
exit 0
