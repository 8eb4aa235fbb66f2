#!/bin/bash
# Every row of issue 13's table in one run, dtk beside its peers:
#
#   count     @[execname] = count() of every syscall, system-wide, against
#             libbpf-tools syscount -P and bpftrace @[comm] = count()
#   printf    one printf per syscall of the traced process, against bpftrace
#   floor     the empty syscall:::entry, syscall:::return /pid == $target/ {}
#   dtruss    dtruss of the process, against strace -f
#   ustack    ustack() printed on each write of the loop below (built
#             -O2: no frame pointers), against bpftrace's ustack
#   start-up  dtrace -n 'BEGIN { exit(0); }' and bpftrace's, then each of
#             the seven tools until its programs are attached
#
# The syscall rows trace bench/ddloop.c: dd bs=1's loop (read one byte of
# /dev/zero, write it to /dev/null; 2 calls a byte) timing itself, so a
# per-call cost is (loop time traced - loop time untraced) / calls with the
# tracer's start-up and tear-down left out (start-up has its own rows).
# Rounds are interleaved (untraced, then each tool) so that the machine's
# load hits all alike; medians of RUNS rounds are printed.  The ratio is
# against the untraced loop, or for dtruss against the floor per call.
#
# Env: RUNS (3), N (ddloop bytes, 500000), BT_N (bpftrace printf bytes,
# 100000: ~10 us an event), STRACE_N (100000), STACK_N (100000),
# SKIP_BPFTRACE=1, DTRACE, DTRUSS, BPFTRACE, SYSCOUNT, STRACE.
# Nothing here fails on a slow figure: it prints the figures and which of
# the issue's targets they meet.
. "$(dirname "$0")/lib.sh"
bench_preflight
N=${N:-500000}
BT_N=${BT_N:-100000}
STRACE_N=${STRACE_N:-100000}
STACK_N=${STACK_N:-100000}
BIN=$ROOT/build/bin
DTRUSS=${DTRUSS:-$BIN/dtruss}
SYSCOUNT=${SYSCOUNT:-/usr/sbin/syscount}
STRACE=${STRACE:-$(command -v strace)}
[ -x "$BPFTRACE" ] && [ -z "$SKIP_BPFTRACE" ] || BPFTRACE=
[ -x "$SYSCOUNT" ] || SYSCOUNT=

gcc -O2 -o "$TMP/ddloop" "$BENCH_DIR/ddloop.c" || die "gcc failed"
gcc -O2 -o "$TMP/ready" "$BENCH_DIR/ready.c" || die "gcc failed"
LOOP=$TMP/ddloop
R=$TMP/r			# per-row results: "label value" lines

# loop OUT: run ddloop N under the rest of the arguments' tracer, append
# "ns_per_call" (the loop's wall time over its calls) to $R.OUT
loop_ns() { awk '{ printf "%.1f\n", $3 / $1 }' "$1"; }

machine
echo "ddloop: $N bytes ($((2 * N)) syscalls) a run; $RUNS rounds, interleaved"
echo

# ---- the per-process rows: untraced, floor, printf, dtruss --------------
drops_dt() { grep -oE '[0-9]+ (dynamic variable )?drops?' "$@" 2>/dev/null |
	awk '{ s += $1 } END { print s + 0 }'; }
for r in $(seq "$RUNS"); do
	"$LOOP" "$N" "$TMP/o"; loop_ns "$TMP/o" >> "$R.untraced"
	"$DTRACE" -qn 'syscall:::entry, syscall:::return /pid == $target/ {}' \
		-c "$LOOP $N $TMP/o" >/dev/null 2>&1
	loop_ns "$TMP/o" >> "$R.floor"
	rm -f "$TMP/p.out"
	"$DTRACE" -qn 'syscall:::entry /pid == $target/ { printf("%s\n", probefunc); }' \
		-c "$LOOP $N $TMP/o" -o "$TMP/p.out" 2>"$TMP/p.err" >/dev/null
	loop_ns "$TMP/o" >> "$R.printf"
	echo "$(grep -cE '^(read|write)$' "$TMP/p.out") $(drops_dt "$TMP/p.err")" >> "$R.printf.lines"
	"$DTRUSS" "$LOOP" "$N" "$TMP/o" 2>"$TMP/t.out" >/dev/null
	loop_ns "$TMP/o" >> "$R.dtruss"
	echo "$(grep -cE '^(read|write)\(' "$TMP/t.out") $(drops_dt "$TMP/t.out")" >> "$R.dtruss.lines"
	echo "round $r: ns a call: untraced $(tail -1 "$R.untraced"), floor $(tail -1 "$R.floor")," \
		"printf $(tail -1 "$R.printf"), dtruss $(tail -1 "$R.dtruss")"
done
if [ -n "$BPFTRACE" ]; then
	# bpftrace's printf costs ~10 us an event: fewer of them
	for r in $(seq "$RUNS"); do
		"$LOOP" "$BT_N" "$TMP/o"; loop_ns "$TMP/o" >> "$R.bt_untraced"
		rm -f "$TMP/b.out"
		"$BPFTRACE" -e 'tracepoint:raw_syscalls:sys_enter /pid == cpid/ { printf("%d\n", args->id); }' \
			-c "$LOOP $BT_N $TMP/o" -o "$TMP/b.out" >/dev/null 2>"$TMP/b.err"
		loop_ns "$TMP/o" >> "$R.bt_printf"
		echo "$(grep -cE '^(0|1)$' "$TMP/b.out") $(grep -oE 'Lost [0-9]+' "$TMP/b.err" |
			awk '{ s += $2 } END { print s + 0 }')" >> "$R.bt_printf.lines"
		echo "bpftrace round $r: untraced $(tail -1 "$R.bt_untraced"), printf $(tail -1 "$R.bt_printf")"
	done
fi
if [ -n "$STRACE" ]; then
	"$LOOP" "$STRACE_N" "$TMP/o"; loop_ns "$TMP/o" >> "$R.st_untraced"
	"$STRACE" -f -o "$TMP/s.out" "$LOOP" "$STRACE_N" "$TMP/o" >/dev/null 2>&1
	loop_ns "$TMP/o" >> "$R.strace"
fi

# ---- counting, system-wide ----------------------------------------------
# start_counter NAME: the tracer in the background, once it is attached
start_counter() {
	case $1 in
	dtrace) "$DTRACE" -qn 'syscall:::entry { @[execname] = count(); }' >"$TMP/c.out" 2>&1 & ;;
	syscount) "$SYSCOUNT" -P >"$TMP/c.out" 2>&1 & ;;
	bpftrace) "$BPFTRACE" -e 'tracepoint:raw_syscalls:sys_enter { @[comm] = count(); }' \
		>"$TMP/c.out" 2>&1 & ;;
	esac
	CPID=$!
	local i n last=-1 same=0
	for i in $(seq 600); do		# attached: its link count steady for 0.5 s
		n=$(ls -l /proc/"$CPID"/fd 2>/dev/null | grep -cE 'bpf_link|perf_event|bpf-raw')
		if [ "$n" -gt 0 ] && [ "$n" = "$last" ]; then
			same=$((same + 1)); [ "$same" -ge 10 ] && return 0
		else
			same=0
		fi
		last=$n
		sleep 0.05
	done
	echo "$0: $1 did not attach" >&2
	return 1
}
COUNTERS="dtrace${SYSCOUNT:+ syscount}${BPFTRACE:+ bpftrace}"
for r in $(seq "$RUNS"); do
	"$LOOP" "$N" "$TMP/o"; loop_ns "$TMP/o" >> "$R.c_untraced"
	line="count round $r: untraced $(tail -1 "$R.c_untraced")"
	for t in $COUNTERS; do
		start_counter "$t" || continue
		"$LOOP" "$N" "$TMP/o"; loop_ns "$TMP/o" >> "$R.count_$t"
		kill -INT "$CPID"; wait "$CPID"
		# the count it printed for the loop (ddloop's name in comm)
		awk '/ddloop/ { for (i = NF; i > 0; i--) if ($i ~ /^[0-9]+$/) { print $i; exit } }' \
			"$TMP/c.out" >> "$R.count_$t.n"
		line="$line, $t $(tail -1 "$R.count_$t")"
	done
	echo "$line"
done

# ---- ustack() -------------------------------------------------------------
# ddloop (-O2: no frame pointers) with a user stack printed at each write:
# the loop's time per write less the untraced loop's, so start-up is left
# out here too.  Frames coming out right without frame pointers is
# tests/bats/stacks.bats' and bench/ustack.sh's business.
for r in $(seq "$RUNS"); do
	"$LOOP" "$STACK_N" "$TMP/o"; loop_ns "$TMP/o" >> "$R.s_untraced"
	rm -f "$TMP/us.out"
	"$DTRACE" -qn 'syscall::write:entry /pid == $target/ { ustack(); }' \
		-c "$LOOP $STACK_N $TMP/o" -o "$TMP/us.out" 2>"$TMP/us.err" >/dev/null
	loop_ns "$TMP/o" >> "$R.s_dtrace"
	echo "$(grep -c 'ddloop`main+' "$TMP/us.out") $(drops_dt "$TMP/us.err")" >> "$R.s_dtrace.lines"
	line="ustack round $r: untraced $(tail -1 "$R.s_untraced"), dtrace $(tail -1 "$R.s_dtrace")"
	if [ -n "$BPFTRACE" ]; then
		rm -f "$TMP/ub.out"
		"$BPFTRACE" -e 'tracepoint:syscalls:sys_enter_write /pid == cpid/ { printf("%s\n", ustack); }' \
			-c "$LOOP $STACK_N $TMP/o" -o "$TMP/ub.out" 2>"$TMP/ub.err" >/dev/null
		loop_ns "$TMP/o" >> "$R.s_bpftrace"
		echo "$(grep -oE 'Lost [0-9]+' "$TMP/ub.err" | awk '{ s += $2 } END { print s + 0 }')" >> "$R.s_bpftrace.lost"
		line="$line, bpftrace $(tail -1 "$R.s_bpftrace")"
	fi
	echo "$line"
done

# ---- start-up -------------------------------------------------------------
STARTS="dtrace-BEGIN dtruss execsnoop opensnoop shellsnoop syscount procsystime dtrace-syscall"
[ -n "$BPFTRACE" ] && STARTS="$STARTS bpftrace-BEGIN"
for r in $(seq "$RUNS"); do
	for s in $STARTS; do
		case $s in
		dtrace-BEGIN) set -- "$DTRACE" -n 'BEGIN { exit(0); }' ;;
		dtrace-syscall) set -- "$DTRACE" -qn 'syscall:::entry { @ = count(); }' ;;
		bpftrace-BEGIN) set -- "$BPFTRACE" -e 'BEGIN { exit(); }' ;;
		dtruss) set -- "$DTRUSS" true ;;
		*) set -- "$BIN/$s" ;;
		esac
		"$TMP/ready" "$@" >> "$R.start_$s"
	done
done

# ---- the table -------------------------------------------------------------
med() { [ -s "$R.$1" ] && awk -v c="${2:-1}" '{ print $c }' "$R.$1" | median || echo nan; }
sub() { awk -v a="$1" -v b="$2" 'BEGIN { if (a == "nan" || b == "nan") print "nan"; else printf "%.0f", a - b }'; }
u=$(med untraced); fl=$(sub "$(med floor)" "$u")
pf=$(sub "$(med printf)" "$u"); dt=$(sub "$(med dtruss)" "$u")
echo
echo "Per call (ns a syscall, loop time traced - untraced; untraced $u ns a call):"
printf '%-46s %10s %8s   %s\n' row "dtk ns" ratio peers
printf '%-46s %10s %8s   %s\n' "empty entry+return /pid == \$target/ (floor)" "$fl" \
	"$(ratio "$(med floor)" "$u")x" ""
peer=
if [ -n "$BPFTRACE" ]; then
	bu=$(med bt_untraced); bp=$(sub "$(med bt_printf)" "$bu")
	peer="bpftrace $bp ns, $(ratio "$(med bt_printf)" "$bu")x, lines/lost $(tail -1 "$R.bt_printf.lines")"
fi
printf '%-46s %10s %8s   %s\n' "one printf per syscall of a process" "$pf" \
	"$(ratio "$(med printf)" "$u")x" "$peer"
peer=
if [ -n "$STRACE" ]; then
	su=$(med st_untraced)
	peer="strace -f $(sub "$(med strace)" "$su") ns, $(ratio "$(med strace)" "$su")x untraced"
fi
printf '%-46s %10s %8s   %s\n' "dtruss (ratio: to the floor per call)" "$dt" \
	"$(ratio "$dt" "$fl")x" "$peer"
echo "   dtruss: $(ratio "$(med dtruss)" "$u")x untraced; read/write lines, drops (last round): $(tail -1 "$R.dtruss.lines")" \
	"(want $((2 * N)), 0); printf lines, drops: $(tail -1 "$R.printf.lines")"
cu=$(med c_untraced)
line=
for t in $COUNTERS; do
	line="$line $t $(sub "$(med "count_$t")" "$cu") ns $(ratio "$(med "count_$t")" "$cu")x (counted $(med "count_$t.n"));"
done
echo "count every syscall by execname, system-wide (untraced $cu ns a call):$line"
su=$(med s_untraced)
# a write is every other call of the loop: per event, twice the per-call difference
sd=$(awk -v t="$(med s_dtrace)" -v u="$su" 'BEGIN { printf "%.0f", 2 * (t - u) }')
line="ustack() printed on each write, ns an event: dtrace $sd ns, stacks with main/drops $(tail -1 "$R.s_dtrace.lines") (want $STACK_N, 0)"
if [ -n "$BPFTRACE" ]; then
	sb=$(awk -v t="$(med s_bpftrace)" -v u="$su" 'BEGIN { printf "%.0f", 2 * (t - u) }')
	line="$line; bpftrace $sb ns (lost $(tail -1 "$R.s_bpftrace.lost")); dtrace/bpftrace $(ratio "$sd" "$sb")"
fi
echo "$line"
echo
echo "Start-up, ms (wall to the last program attached, or to the end for BEGIN; CPU used):"
for s in $STARTS; do
	printf '  %-16s wall %7s  cpu %7s\n' "$s" "$(med "start_$s" 1)" "$(med "start_$s" 2)"
done
echo
b=$(med start_dtrace-BEGIN 1); bc=$(med start_dtrace-BEGIN 2)
echo "targets:"
echo "  dtruss <= 2x the floor per call: $(verdict "$(ratio "$dt" "$fl")" 2)"
[ -n "$SYSCOUNT" ] && echo "  counting below syscount: $(verdict "$(med count_dtrace)" "$(med count_syscount)")"
[ -n "$BPFTRACE" ] && echo "  ustack <= 3/4 of bpftrace's: $(verdict "$(ratio "$sd" "$sb")" 0.75)"
for s in dtruss execsnoop opensnoop shellsnoop syscount procsystime; do
	echo "  $s start-up within 20 ms of dtrace BEGIN: wall $(verdict "$(med "start_$s" 1)" "$(awk -v b="$b" 'BEGIN { print b + 20 }')")," \
		"cpu $(verdict "$(med "start_$s" 2)" "$(awk -v b="$bc" 'BEGIN { print b + 20 }')")"
done
exit 0
