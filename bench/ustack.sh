#!/bin/bash
# Cost of a user stack per syscall, and how many frames come out right.
#   workload   callchain N: main -> a -> b -> c -> write(2), N times, built
#              -O2 -fomit-frame-pointer (tests/workloads/callchain.c)
#   dtrace     syscall::write:entry /pid == $target/ { ustack(); }
#              (registers + the stack up to what the thread's unwinding reads,
#              DWARF unwind in user space, once per distinct stack)
#   bpftrace   tracepoint:syscalls:sys_enter_write /pid == cpid/
#                  { printf("%s\n", ustack); }   (the kernel's frame-pointer walk)
# Cost per event: (traced wall - untraced wall) / N, medians of RUNS rounds.
# Then the same with the stacks counted, @[ustack()] = count() (bpftrace's
# @[ustack] = count()): the events counted and the drops.
# Frames right: one write, the process kept alive 300 ms so both tools can
# read its mappings; counts which of write, c, b, a, main are the first five
# frames in order.
# Env: RUNS (3), N (100000), DTRACE, BPFTRACE, SKIP_BPFTRACE=1.
. "$(dirname "$0")/lib.sh"
bench_preflight
N=${N:-100000}
CC_BIN=$TMP/callchain
gcc -O2 -fomit-frame-pointer -o "$CC_BIN" "$ROOT/tests/workloads/callchain.c" || die "gcc failed"

DT_PROG='syscall::write:entry /pid == $target/ { ustack(); }'
BT_PROG='tracepoint:syscalls:sys_enter_write /pid == cpid/ { printf("%s\n", ustack); }'
# the same stacks counted: dtk unwinds in user space and sums there
DT_AGG='syscall::write:entry /pid == $target/ { @[ustack()] = count(); }'
BT_AGG='tracepoint:syscalls:sys_enter_write /pid == cpid/ { @[ustack] = count(); }'

run_untraced() { exec "$CC_BIN" "$N" >/dev/null; }
run_dtrace() { rm -f "$1"; exec "$DTRACE" -qn "$DT_PROG" -c "$CC_BIN $N" -o "$1" 2>"$2" >/dev/null; }
run_bpftrace() { rm -f "$1"; exec "$BPFTRACE" -e "$BT_PROG" -c "$CC_BIN $N" -o "$1" 2>"$2" >/dev/null; }
run_dtrace_agg() { exec "$DTRACE" -qn "$DT_AGG" -c "$CC_BIN $N" -o "$1" 2>"$2" >/dev/null; }
run_bpftrace_agg() { exec "$BPFTRACE" -e "$BT_AGG" -c "$CC_BIN $N" -o "$1" 2>"$2" >/dev/null; }
export -f run_untraced run_dtrace run_bpftrace run_dtrace_agg run_bpftrace_agg
export DTRACE BPFTRACE DT_PROG BT_PROG DT_AGG BT_AGG CC_BIN N

drops_of() { grep -oE '[0-9]+ drops|Lost [0-9]+' "$1" | grep -oE '[0-9]+' | awk '{ s += $1 } END { print s + 0 }'; }

machine
echo "workload: callchain $N (-fomit-frame-pointer); $RUNS rounds"
echo
for r in $(seq "$RUNS"); do
	timed "$TMP/untraced" bash -c run_untraced
	timed "$TMP/dtrace" bash -c 'run_dtrace "$@"' - "$TMP/dt.out" "$TMP/dt.err"
	echo "$(grep -c 'callchain`main+' "$TMP/dt.out") $(drops_of "$TMP/dt.err")" >> "$TMP/dtrace.stacks"
	if [ -z "$SKIP_BPFTRACE" ]; then
		timed "$TMP/bpftrace" bash -c 'run_bpftrace "$@"' - "$TMP/bt.out" "$TMP/bt.err"
		echo "$(grep -c 'write+' "$TMP/bt.out") $(drops_of "$TMP/bt.err")" >> "$TMP/bpftrace.stacks"
	fi
	rm -f "$TMP/dta.out"
	timed "$TMP/dtrace_agg" bash -c 'run_dtrace_agg "$@"' - "$TMP/dta.out" "$TMP/dta.err"
	# the events counted: the counts printed under a stack with main
	echo "$(awk '/callchain`main\+/ { m = 1; next } m && /^ *[0-9]+$/ { s += $1; m = 0 } END { print s + 0 }' \
		"$TMP/dta.out") $(drops_of "$TMP/dta.err")" >> "$TMP/dtrace_agg.stacks"
	if [ -z "$SKIP_BPFTRACE" ]; then
		timed "$TMP/bpftrace_agg" bash -c 'run_bpftrace_agg "$@"' - "$TMP/bta.out" "$TMP/bta.err"
		echo "$(grep -oE '\]: [0-9]+$' "$TMP/bta.out" | awk '{ s += $2 } END { print s + 0 }') $(drops_of "$TMP/bta.err")" \
			>> "$TMP/bpftrace_agg.stacks"
	fi
done
u=$(column 1 "$TMP/untraced")
per_event() { awk -v t="$1" -v u="$u" -v n="$N" 'BEGIN { printf "%.2f", (t - u) * 1e6 / n }'; }
printf '%-10s %8s %8s %14s %s\n' tool wall_s cpu_s us/event "stacks (with main) / drops"
printf '%-10s %8s %8s %14s\n' untraced "$u" "$(column 2 "$TMP/untraced")" -
d=$(column 1 "$TMP/dtrace")
printf '%-10s %8s %8s %14s %s\n' dtrace "$d" "$(column 2 "$TMP/dtrace")" "$(per_event "$d")" "$(tail -1 "$TMP/dtrace.stacks")"
if [ -z "$SKIP_BPFTRACE" ]; then
	b=$(column 1 "$TMP/bpftrace")
	printf '%-10s %8s %8s %14s %s\n' bpftrace "$b" "$(column 2 "$TMP/bpftrace")" "$(per_event "$b")" "$(tail -1 "$TMP/bpftrace.stacks") (stacks with write)"
fi
echo
echo "@[ustack()] = count() on each write: counted / drops"
d=$(column 1 "$TMP/dtrace_agg")
printf '%-10s %8s %8s %14s %s\n' dtrace "$d" "$(column 2 "$TMP/dtrace_agg")" "$(per_event "$d")" "$(tail -1 "$TMP/dtrace_agg.stacks") (want $N, 0)"
if [ -z "$SKIP_BPFTRACE" ]; then
	b=$(column 1 "$TMP/bpftrace_agg")
	printf '%-10s %8s %8s %14s %s\n' bpftrace "$b" "$(column 2 "$TMP/bpftrace_agg")" "$(per_event "$b")" "$(tail -1 "$TMP/bpftrace_agg.stacks") (all stacks)"
fi

# frames right: the first five frames' function names against the chain
expected="write c b a main"
score() { # names on stdin, one a line
	head -5 | tr '\n' ' ' | awk -v want="$expected" '{ n = split(want, w, " "); k = 0
		for (i = 1; i <= n; i++) if ($i == w[i] || $i == "__" w[i]) k++; else break
		print k }'
}
echo
"$DTRACE" -qn "$DT_PROG" -c "$CC_BIN 1 300" 2>/dev/null |
	sed -n 's/^ *[^ `]*`\([A-Za-z_0-9]*\).*/\1/p' > "$TMP/dt.frames"
echo "dtrace frames right: $(score < "$TMP/dt.frames")/5 ($(tr '\n' ' ' < "$TMP/dt.frames"))"
if [ -z "$SKIP_BPFTRACE" ]; then
	"$BPFTRACE" -e "$BT_PROG" -c "$CC_BIN 1 300" 2>/dev/null |
		sed -n 's/^ *\([A-Za-z_0-9]*\)+[0-9]*$/\1/p; s/^ *\(0x[0-9a-f]*\)$/\1/p' > "$TMP/bt.frames"
	echo "bpftrace frames right: $(score < "$TMP/bt.frames")/5 ($(tr '\n' ' ' < "$TMP/bt.frames"))"
fi
