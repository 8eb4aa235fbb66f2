#!/bin/bash
# Cost of dtruss against strace -f: dd copying 200,000 single bytes makes
# ~400,000 syscalls, each a line of output with its arguments.
#   untraced   dd if=/dev/zero of=/dev/null bs=1 count=200000
#   dtruss     dtruss dd ... 2>FILE          (its lines go to stderr)
#   strace     strace -f -o FILE dd ...
# Wall time of the whole command (start-up, dd, tear-down); CPU is user +
# system of the tool and dd together.  Medians of RUNS rounds for untraced
# and dtruss, interleaved so that machine noise hits both; strace (tens of
# seconds a run) STRACE_RUNS rounds.  Lines written and drops ("dtrace: N
# drops on CPU n") are checked: every syscall of dd must be printed.
# Targets: dtruss <= 3x untraced, no drops at the default settings.
# Then one profile pass with kernel.bpf_stats_enabled=1: ns in BPF per
# probe run and per traced syscall (entry and return programs together).
# Env: RUNS (3), STRACE_RUNS (1; 0 skips strace), DTRUSS, STRACE,
# DTRUSS_DD_COUNT (200000).
DD_COUNT=${DTRUSS_DD_COUNT:-200000}
. "$(dirname "$0")/lib.sh"
bench_preflight

DTRUSS=${DTRUSS:-$ROOT/build/bin/dtruss}
STRACE=${STRACE:-$(command -v strace)}
STRACE_RUNS=${STRACE_RUNS:-1}
[ -x "$DTRUSS" ] || die "no $DTRUSS: run make first"
[ -n "$STRACE" ] || STRACE_RUNS=0

run_dtruss() { exec "$DTRUSS" $DD_CMD 2>"$1"; }
run_strace() { exec "$STRACE" -f -o "$1" $DD_CMD 2>/dev/null; }
export -f run_dtruss run_strace
export DTRUSS STRACE DD_CMD

# lines that are calls: dtruss's after its header, strace's "name(" ones
dtruss_lines() { grep -cE '^[a-z_0-9]+\(' "$1"; }
strace_lines() { grep -cE '^[0-9]+ +[a-z_0-9]+\(' "$1"; }
drops_of() { grep -oE '[0-9]+ (dynamic variable )?drops?' "$1" | awk '{ s += $1 } END { print s + 0 }'; }

machine
echo "workload: $DD_CMD; $RUNS rounds, strace $STRACE_RUNS"
echo

for r in $(seq "$RUNS"); do
	timed "$TMP/untraced" $DD_CMD 2>/dev/null
	timed "$TMP/dtruss" bash -c 'run_dtruss "$@"' - "$TMP/dt.out"
	echo "$(dtruss_lines "$TMP/dt.out") $(drops_of "$TMP/dt.out")" >> "$TMP/dtruss.lines"
	echo "round $r: untraced $(tail -1 "$TMP/untraced" | cut -d' ' -f1) s," \
		"dtruss $(tail -1 "$TMP/dtruss" | cut -d' ' -f1) s"
done
for r in $(seq "$STRACE_RUNS"); do
	timed "$TMP/strace" bash -c 'run_strace "$@"' - "$TMP/st.out"
	echo "$(strace_lines "$TMP/st.out") 0" >> "$TMP/strace.lines"
	echo "strace round $r: $(tail -1 "$TMP/strace" | cut -d' ' -f1) s"
done
echo

base_wall=$(column 1 "$TMP/untraced"); base_cpu=$(column 2 "$TMP/untraced")
printf '%-10s %9s %8s %9s %8s %10s %7s\n' tool "wall s" ratio "cpu s" ratio lines drops
printf '%-10s %9s %8s %9s %8s %10s %7s\n' untraced "$base_wall" 1.00 "$base_cpu" 1.00 - -
for t in dtruss strace; do
	[ -f "$TMP/$t" ] || continue
	w=$(column 1 "$TMP/$t"); c=$(column 2 "$TMP/$t")
	printf '%-10s %9s %8s %9s %8s %10s %7s\n' "$t" "$w" "$(ratio "$w" "$base_wall")" \
		"$c" "$(ratio "$c" "$base_cpu")" "$(column 1 "$TMP/$t.lines")" \
		"$(awk '{ s += $2 } END { print s + 0 }' "$TMP/$t.lines")"
done
echo "(lines: median per run, calls printed; drops: total over all runs)"

dt_ratio=$(ratio "$(column 1 "$TMP/dtruss")" "$base_wall")
dt_drops=$(awk '{ s += $2 } END { print s + 0 }' "$TMP/dtruss.lines")
dt_lines=$(column 1 "$TMP/dtruss.lines")
echo
echo "dtruss $dt_ratio x untraced (target 3): $(verdict "$dt_ratio" 3);" \
	"drops $dt_drops (target 0): $(verdict "$dt_drops" 0);" \
	"$dt_lines calls printed (dd makes $((2 * DD_COUNT)) and its start-up)"
[ -f "$TMP/strace" ] && echo "strace $(ratio "$(column 1 "$TMP/strace")" "$base_wall") x untraced"

# Profile pass: BPF time of dtruss's programs, sampled until it ends.
stats_on
bash -c 'run_dtruss "$@"' - "$TMP/dt.out" &
pid=$! last="0 0"
while kill -0 "$pid" 2>/dev/null; do
	s=$(prog_stats "$pid")
	[ "${s%% *}" -gt 0 ] 2>/dev/null && last=$s
	sleep 0.1
done
wait "$pid"
stats_off
set -- $last
calls=$(dtruss_lines "$TMP/dt.out")
echo
echo "profile (kernel.bpf_stats_enabled=1, one run): $1 probe runs" \
	"(every syscall on the machine, entry and return)," \
	"$(awk -v c="$1" -v n="$2" 'BEGIN { printf "%.0f", c ? n / c : 0 }') ns each;" \
	"$(awk -v c="$calls" -v n="$2" 'BEGIN { printf "%.0f", c ? n / c : 0 }') ns per call printed"
exit 0
