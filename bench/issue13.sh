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
#             the seven tools until its programs are attached, beside
#             libbpf-tools' opensnoop, execsnoop and syscount
#
# The syscall rows trace bench/ddloop.c: dd bs=1's loop (read one byte of
# /dev/zero, write it to /dev/null; 2 calls a byte) timing itself, so a
# per-call cost is (loop time traced - loop time untraced) / calls with the
# tracer's start-up and tear-down left out (start-up has its own rows).
# Two figures each: from the loop's wall time (what the traced program
# feels, the consumer's share of 2 CPUs included) and from its CPU time
# (the probes' cost in the traced thread alone, steadier on a loaded
# machine: the wall time also waits for a CPU).
# Rounds are interleaved (untraced, then each tool) so that the machine's
# load hits all alike; medians of RUNS rounds are printed.  The ratio is
# against the untraced loop, or for dtruss against the floor per call.
#
# Last, the same figures as a markdown table, one row a line of the
# issue's table (MD=FILE also writes it to FILE), to paste into the
# README's and bench/README.md's tables.
#
# Env: RUNS (3), SRUNS (start-up rounds, 3 * RUNS), N (ddloop bytes,
# 500000), BT_N (bpftrace printf bytes, 100000: ~10 us an event), STRACE_N
# (100000), STACK_N (100000),
# SKIP_BPFTRACE=1, SKIP_PEERS=1 (dtk only), DTRACE (the other tools are
# taken from its directory), DTRUSS, BPFTRACE, SYSCOUNT, STRACE, PEERBIN
# (libbpf-tools' directory, /usr/sbin), MD.
# Nothing here fails on a slow figure: it prints the figures and which of
# the issue's targets they meet.
. "$(dirname "$0")/lib.sh"
bench_preflight
N=${N:-500000}
BT_N=${BT_N:-100000}
STRACE_N=${STRACE_N:-100000}
STACK_N=${STACK_N:-100000}
BIN=$(dirname "$DTRACE")	# the tools beside it: DTRACE=old/build/bin/dtrace
DTRUSS=${DTRUSS:-$BIN/dtruss}
SYSCOUNT=${SYSCOUNT:-/usr/sbin/syscount}
STRACE=${STRACE:-$(command -v strace)}
[ -x "$BPFTRACE" ] && [ -z "$SKIP_BPFTRACE$SKIP_PEERS" ] || BPFTRACE=
[ -x "$SYSCOUNT" ] && [ -z "$SKIP_PEERS" ] || SYSCOUNT=
[ -z "$SKIP_PEERS" ] || STRACE=

gcc -O2 -o "$TMP/ddloop" "$BENCH_DIR/ddloop.c" || die "gcc failed"
gcc -O2 -o "$TMP/ready" "$BENCH_DIR/ready.c" || die "gcc failed"
LOOP=$TMP/ddloop
R=$TMP/r			# per-row results: "label value" lines

# loop_ns OUT: ddloop's "wall cpu" ns a call from its output file OUT
loop_ns() { awk '{ printf "%.1f %.1f\n", $3 / $1, $2 / $1 }' "$1"; }

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
# Each tool from its fork until its programs are attached (bench/ready.c:
# its first traced event follows at once), or to its end for BEGIN-only
# programs, beside the peers doing the same job.  Start-ups are short and
# noisier than the loops: SRUNS rounds of them.
SRUNS=${SRUNS:-$((3 * RUNS))}
PEERBIN=${PEERBIN:-/usr/sbin}	# libbpf-tools
TOOLS="dtruss execsnoop opensnoop shellsnoop syscount procsystime"
STARTS="dtrace-BEGIN dtrace-syscall $TOOLS"
if [ -z "$SKIP_PEERS" ]; then
	[ -n "$BPFTRACE" ] && STARTS="$STARTS bpftrace-BEGIN"
	for t in execsnoop opensnoop syscount; do
		[ -x "$PEERBIN/$t" ] && STARTS="$STARTS libbpf-$t"
	done
fi
for r in $(seq "$SRUNS"); do
	for s in $STARTS; do
		case $s in
		dtrace-BEGIN) set -- "$DTRACE" -n 'BEGIN { exit(0); }' ;;
		dtrace-syscall) set -- "$DTRACE" -qn 'syscall:::entry { @ = count(); }' ;;
		bpftrace-BEGIN) set -- "$BPFTRACE" -e 'BEGIN { exit(); }' ;;
		dtruss) set -- "$DTRUSS" true ;;
		libbpf-*) set -- "$PEERBIN/${s#libbpf-}" ;;
		*) set -- "$BIN/$s" ;;
		esac
		"$TMP/ready" "$@" >> "$R.start_$s"
	done
done

# ---- the figures -----------------------------------------------------------
med() { [ -s "$R.$1" ] && awk -v c="${2:-1}" '{ print $c }' "$R.$1" | median || echo nan; }
sub() { awk -v a="$1" -v b="$2" 'BEGIN { if (a == "nan" || b == "nan") print "nan"; else printf "%.0f", a - b }'; }
# per ROW UNTRACED COL: ns a call over the untraced loop
per() { sub "$(med "$1" "$3")" "$(med "$2" "$3")"; }
# twice ROW UNTRACED COL: ns an event for an event every other call (ustack)
twice() { awk -v d="$(per "$@")" 'BEGIN { if (d == "nan") print d; else printf "%.0f", 2 * d }'; }
# wc ROW UNTRACED: "W / C ns" a call, wall and CPU
wc_ns() { echo "$(per "$1" "$2" 1) / $(per "$1" "$2" 2) ns"; }
# ms ROW: "W / C ms" of a start-up
ms() { printf '%.1f / %.1f ms' "$(med "start_$1" 1)" "$(med "start_$1" 2)"; }
over() { awk -v a="$(med "start_$1" "$2")" -v b="$(med start_dtrace-BEGIN "$2")" \
	'BEGIN { printf "%+.1f", a - b }'; }

# paired_ratios ROW BASE UNTRACED: (ROW - UNTRACED) / (BASE - UNTRACED) of
# each round's CPU figures, "min-max, median M": the rounds' spread, each
# ratio from runs a few seconds apart (the targets use the medians' ratio)
paired_ratios() {
	paste -d' ' "$R.$1" "$R.$2" "$R.$3" |
		awk '{ b = $4 - $6; if (b > 0) print ($2 - $6) / b }' | sort -g |
		awk '{ v[NR] = $1 } END { if (!NR) { print "nan"; exit }
			m = NR % 2 ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2
			printf "%.2f-%.2f, median %.2f\n", v[1], v[NR], m }'
}

fl=$(per floor untraced 1); flc=$(per floor untraced 2)
dt=$(per dtruss untraced 1); dtc=$(per dtruss untraced 2)
sd=$(twice s_dtrace s_untraced 1); sdc=$(twice s_dtrace s_untraced 2)
sb=nan; sbc=nan
if [ -n "$BPFTRACE" ]; then
	sb=$(twice s_bpftrace s_untraced 1); sbc=$(twice s_bpftrace s_untraced 2)
fi

echo
echo "Per call: ns a syscall over the untraced loop, from the loop's wall time / CPU time"
echo "(untraced: $(med untraced 1) / $(med untraced 2) ns a call); ratio: traced / untraced (wall)"
echo "  floor: empty entry+return /pid==\$target/   $(wc_ns floor untraced), $(ratio "$(med floor)" "$(med untraced)")x"
echo "  one printf per syscall                      $(wc_ns printf untraced), $(ratio "$(med printf)" "$(med untraced)")x," \
	"lines/drops $(tail -1 "$R.printf.lines")"
[ -n "$BPFTRACE" ] && echo "     bpftrace                                 $(wc_ns bt_printf bt_untraced)," \
	"$(ratio "$(med bt_printf)" "$(med bt_untraced)")x, lines/lost $(tail -1 "$R.bt_printf.lines")"
echo "  dtruss                                      $(wc_ns dtruss untraced), $(ratio "$(med dtruss)" "$(med untraced)")x;" \
	"$(ratio "$dt" "$fl")x / $(ratio "$dtc" "$flc")x the floor; read/write lines, drops $(tail -1 "$R.dtruss.lines") (want $((2 * N)), 0)"
echo "     the floor ratio round by round (CPU): $(paired_ratios dtruss floor untraced)"
[ -n "$STRACE" ] && echo "     strace -f                                $(wc_ns strace st_untraced), $(ratio "$(med strace)" "$(med st_untraced)")x"
echo "  count every syscall by execname, system-wide:"
for t in $COUNTERS; do
	echo "     $t $(wc_ns "count_$t" c_untraced), $(ratio "$(med "count_$t")" "$(med c_untraced)")x (counted $(med "count_$t.n" 1))"
done
echo "  ustack() printed on each write, ns an event: dtrace $sd / $sdc, stacks with main/drops $(tail -1 "$R.s_dtrace.lines") (want $STACK_N, 0)"
[ -n "$BPFTRACE" ] && echo "     bpftrace $sb / $sbc (lost $(tail -1 "$R.s_bpftrace.lost"))"
echo
echo "Start-up, median of $SRUNS (wall to the last program attached, or to the end for BEGIN; CPU used):"
for s in $STARTS; do
	printf '  %-16s %s\n' "$s" "$(ms "$s")"
done

echo
echo "targets:"
echo "  dtruss <= 2x the floor per call: wall $(verdict "$(ratio "$dt" "$fl")" 2), cpu $(verdict "$(ratio "$dtc" "$flc")" 2)"
[ -n "$SYSCOUNT" ] && echo "  counting below syscount: wall $(verdict "$(med count_dtrace)" "$(med count_syscount)"), cpu $(verdict "$(med count_dtrace 2)" "$(med count_syscount 2)")"
[ -n "$BPFTRACE" ] && echo "  ustack <= 3/4 of bpftrace's: wall $(verdict "$(ratio "$sd" "$sb")" 0.75), cpu $(verdict "$(ratio "$sdc" "$sbc")" 0.75)"
for s in $TOOLS; do
	echo "  $s start-up within 20 ms of dtrace BEGIN: wall $(verdict "$(over "$s" 1)" 20), cpu $(verdict "$(over "$s" 2)" 20)"
done

# ---- the markdown table (README / closing note) ----------------------------
# One row a line of issue 13's table: dtk's ratio, its cost (ns a call or
# an event, from the loop's wall / CPU time; start-ups in ms), the peers'.
md() {
	local peers
	echo "| work | dtk | dtk wall / CPU | peers, same run (wall / CPU) |"
	echo "|---|---:|---:|---|"
	peers=
	for t in $COUNTERS; do
		[ "$t" = dtrace ] && continue
		peers="$peers${peers:+; }$t $(ratio "$(med "count_$t")" "$(med c_untraced)")x, $(wc_ns "count_$t" c_untraced)"
	done
	echo "| count every syscall by execname, system-wide | $(ratio "$(med count_dtrace)" "$(med c_untraced)")x | $(wc_ns count_dtrace c_untraced) | ${peers:-–} |"
	peers=–
	[ -n "$BPFTRACE" ] && peers="bpftrace $(ratio "$(med bt_printf)" "$(med bt_untraced)")x, $(wc_ns bt_printf bt_untraced)"
	echo "| one printf per syscall of a process | $(ratio "$(med printf)" "$(med untraced)")x | $(wc_ns printf untraced) | $peers |"
	echo "| empty \`syscall:::entry, syscall:::return /pid == \$target/ {}\` (the floor) | $(ratio "$(med floor)" "$(med untraced)")x | $(wc_ns floor untraced) | |"
	peers=–
	[ -n "$STRACE" ] && peers="strace -f $(ratio "$(med strace)" "$(med st_untraced)")x untraced, $(wc_ns strace st_untraced)"
	echo "| \`dtruss\` of a command | $(ratio "$dt" "$fl")x / $(ratio "$dtc" "$flc")x the floor ($(ratio "$(med dtruss)" "$(med untraced)")x untraced) | $dt / $dtc ns | $peers |"
	peers=–
	[ -n "$BPFTRACE" ] && peers="bpftrace $sb / $sbc ns, $(tail -1 "$R.s_bpftrace.lost") lost (frame-pointer stacks only)"
	echo "| \`ustack()\` printed on each of $STACK_N events | $(ratio "$sdc" "$sbc")x bpftrace's CPU, $(tail -1 "$R.s_dtrace.lines" | awk '{ print $2 }') drops | $sd / $sdc ns | $peers |"
	peers=–
	[ -n "$BPFTRACE" ] && peers="bpftrace $(ms bpftrace-BEGIN)"
	echo "| start-up, \`dtrace -n 'BEGIN { exit(0); }'\` | | $(ms dtrace-BEGIN) | $peers |"
	echo "| start-up, \`dtrace -n 'syscall:::entry { @ = count(); }'\` | $(over dtrace-syscall 2) ms CPU | $(ms dtrace-syscall) | |"
	for s in $TOOLS; do
		peers=–
		[ -s "$R.start_libbpf-$s" ] && peers="libbpf-tools $s $(ms "libbpf-$s")"
		local name=$s
		[ "$s" = dtruss ] && name="dtruss true"
		echo "| start-up, \`$name\` | $(over "$s" 2) ms CPU over dtrace's | $(ms "$s") | $peers |"
	done
}
echo
echo "Markdown ($(date -u '+%Y-%m-%d %H:%M UTC'), dtk $(git -C "$ROOT" rev-parse --short HEAD 2>/dev/null)," \
	"load $(cut -d' ' -f1 /proc/loadavg); medians of $RUNS rounds, start-ups of $SRUNS):"
echo
md | tee ${MD:+"$MD"}
exit 0
