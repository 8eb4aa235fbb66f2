# Shared helpers for the bench/ scripts: sourced, not run.
# These are measurements to read, not tests: nothing here fails on a
# slow figure, it only prints "target met" or "target missed".

BENCH_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
ROOT=$(cd "$BENCH_DIR/.." && pwd)
DTRACE=${DTRACE:-$ROOT/build/bin/dtrace}
BPFTRACE=${BPFTRACE:-$(command -v bpftrace)}
RUNS=${RUNS:-3}
# bpftrace -c wants a path that names one binary
DD=${DD:-$(command -v dd)}
DD_COUNT=${DD_COUNT:-2000000}
DD_CMD="$DD if=/dev/zero of=/dev/null bs=1 count=$DD_COUNT"

TMP=$(mktemp -d /tmp/dtk-bench.XXXXXX)
trap 'stats_off; rm -rf "$TMP"' EXIT

die() { echo "$0: $*" >&2; exit 1; }

bench_preflight() {
	[ "$(id -u)" = 0 ] || die "needs root (BPF)"
	[ -x "$DTRACE" ] || die "no $DTRACE: run make first"
	if [ ! -d /sys/kernel/tracing/events ]; then
		mount -t tracefs nodev /sys/kernel/tracing 2>/dev/null
	fi
}

# The median of the numbers on stdin, one a line.
median() {
	sort -g | awk '{ v[NR] = $1 }
		END { if (NR == 0) { print "nan"; exit }
		      if (NR % 2) print v[(NR + 1) / 2];
		      else print (v[NR / 2] + v[NR / 2 + 1]) / 2 }'
}

# ratio A B: A/B to two decimals
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { if (b > 0) printf "%.2f", a / b; else print "nan" }'; }

# le A B: true when A <= B (floating point)
le() { awk -v a="$1" -v b="$2" 'BEGIN { exit !(a <= b) }'; }

verdict() { if le "$1" "$2"; then echo "target met"; else echo "target missed"; fi; }

# timed OUT CMD...: runs CMD, appends "wall cpu maxrss_kib" to OUT
# (cpu = user + system of CMD and the children it waited for).
timed() {
	local out=$1; shift
	/usr/bin/time -f '%e %U %S %M' -o "$TMP/time" "$@"
	local rc=$?
	awk '{ printf "%s %.2f %s\n", $1, $2 + $3, $4 }' "$TMP/time" >> "$out"
	return $rc
}

# column N FILE: the median of column N of FILE
column() { awk -v n="$1" '{ print $n }' "$2" | median; }

# Sum run_cnt and run_time_ns over the BPF programs process PID holds
# open (kernel.bpf_stats_enabled=1 must be on). Prints "cnt ns".
prog_stats() {
	local pid=$1 cnt=0 ns=0 fd
	for fd in /proc/"$pid"/fd/*; do
		[ "$(readlink "$fd" 2>/dev/null)" = "anon_inode:bpf-prog" ] || continue
		read -r c n < <(awk '/^run_cnt:/ { c = $2 } /^run_time_ns:/ { n = $2 }
			END { print c + 0, n + 0 }' /proc/"$pid"/fdinfo/"${fd##*/}" 2>/dev/null)
		cnt=$((cnt + c)); ns=$((ns + n))
	done
	echo "$cnt $ns"
}

# Turn BPF run-time statistics on for the profile pass; bench_exit puts
# the old value back. They cost two clock reads per program run, so the
# timed runs happen with them off.
STATS_WAS=$(sysctl -n kernel.bpf_stats_enabled 2>/dev/null || echo 0)
stats_on() { sysctl -q kernel.bpf_stats_enabled=1; }
stats_off() { sysctl -q kernel.bpf_stats_enabled="$STATS_WAS"; }

# wait_for RE FILE...: wait until a FILE has a line matching RE (the
# tool says it is tracing), at most 30 s; then give the attach a moment.
wait_for() {
	local re=$1 i; shift
	for i in $(seq 300); do
		cat "$@" 2>/dev/null | grep -qE "$re" && { sleep 1; return 0; }
		sleep 0.1
	done
	echo "$0: timed out waiting for /$re/ in $*" >&2
	cat "$@" >&2
	return 1
}

machine() {
	echo "date:    $(date -u '+%Y-%m-%d %H:%M UTC')"
	echo "machine: $(nproc) CPUs, $(awk -F': ' '/model name/ { print $2; exit }' /proc/cpuinfo), kernel $(uname -r)"
	echo "tools:   dtk $(git -C "$ROOT" rev-parse --short HEAD 2>/dev/null), $("$BPFTRACE" --version 2>/dev/null)"
	echo "load:    $(cut -d' ' -f1-3 /proc/loadavg) (1/5/15 min, at start)"
	foreign_tracers
}

# Other tracers make every syscall dearer, "untraced" runs included:
# say so, since the figures are then inflated.
foreign_tracers() {
	local p f n=0 who=
	for p in /proc/[0-9]*; do
		for f in "$p"/fdinfo/*; do
			grep -qs '^prog_id:' "$f" || continue
			n=$((n + 1))
			who="$who $(cat "$p"/comm 2>/dev/null)(${p#/proc/})"
			break
		done
	done
	[ "$n" = 0 ] && return
	echo "WARNING: $n other processes hold BPF programs:$who;"
	echo "         if they trace syscalls, every figure below is inflated"
}
