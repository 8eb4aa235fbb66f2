#!/bin/bash
# How many opens and execs per second opensnoop and execsnoop keep up with,
# next to the libbpf-tools programs of the same names on the same flood.
#
# bench/flood.c makes opens (of missing files) or execs (of /bin/true) at a
# set rate for a few seconds and says how many it made; the tool traces
# the whole machine, unfiltered, its output going to a file; the lines
# carrying the flood's directory or token are counted.  A rate is
# sustained when every event made was printed and the tool reported no
# loss (ours: "dtrace: N drops on CPU C"; libbpf-tools: "Lost N events").
# The last rate of each ladder is 0: as fast as the flood's workers go.
#
# Env: SECS (seconds a step, default 3), OPEN_RATES, EXEC_RATES (the
# ladders), WORKERS (flood processes, default 2), OPENSNOOP, EXECSNOOP (ours,
# default build/bin), LIBBPF_OPENSNOOP, LIBBPF_EXECSNOOP (/usr/sbin).
# Our build/bin names are the libbpf-tools' names: always full paths.
. "$(dirname "$0")/lib.sh"
bench_preflight
SECS=${SECS:-3}
WORKERS=${WORKERS:-2}
OPEN_RATES=${OPEN_RATES:-"25000 50000 100000 200000 400000 0"}
EXEC_RATES=${EXEC_RATES:-"250 500 1000 2000 0"}
OPENSNOOP=${OPENSNOOP:-$ROOT/build/bin/opensnoop}
EXECSNOOP=${EXECSNOOP:-$ROOT/build/bin/execsnoop}
LIBBPF_OPENSNOOP=${LIBBPF_OPENSNOOP:-/usr/sbin/opensnoop}
LIBBPF_EXECSNOOP=${LIBBPF_EXECSNOOP:-/usr/sbin/execsnoop}

FLOOD=$TMP/flood
gcc -std=gnu11 -O2 -Wall -Wextra -o "$FLOOD" "$BENCH_DIR/flood.c" || die "cannot build flood"

# step TOOL KIND RATE: one run of the flood under TOOL; prints
# "made seen lost rate_made"
step() {
	local tool=$1 kind=$2 rate=$3 out=$TMP/out err=$TMP/err arg pat
	if [ "$kind" = open ]; then
		arg=$TMP/flood-dir-$RANDOM; pat="$arg/missing-"
	else
		arg=tok$$x$RANDOM; pat="/bin/true $arg "
	fi
	: >"$out"
	# line-buffered, so that the header shows when the tool is ready
	stdbuf -oL "$tool" >"$out" 2>"$err" &
	local pid=$!
	wait_for . "$out" || { kill "$pid"; return 1; }
	"$FLOOD" "$kind" "$rate" "$SECS" "$arg" "$WORKERS" >"$TMP/made" ||
		die "flood failed"
	sleep 1
	kill -INT "$pid"
	wait "$pid"
	local made seen lost
	made=$(awk '{ print $2 }' "$TMP/made")
	seen=$(grep -c -F -- "$pat" "$out")
	lost=$(sed -n -e 's/^dtrace: \([0-9]*\) drops\{0,1\} on CPU.*/\1/p' \
		-e 's/^Lost \([0-9]*\) events.*/\1/p' "$err" |
		awk '{ n += $1 } END { print n + 0 }')
	echo "$made $seen $lost $(awk '{ print $6 }' "$TMP/made")"
}

# ladder NAME TOOL KIND RATES...: a table row per rate, then the best
# rate sustained with nothing lost.
ladder() {
	local name=$1 tool=$2 kind=$3 rate best=0; shift 3
	[ -x "$tool" ] || { echo "$name: $tool not found, skipped"; return; }
	printf '%-22s %8s %9s %9s %9s %9s  %s\n' "$name" target "made/s" made seen lost ok
	for rate in "$@"; do
		read -r made seen lost achieved < <(step "$tool" "$kind" "$rate") || continue
		local ok=no
		if [ "$seen" -eq "$made" ] && [ "$lost" -eq 0 ]; then
			ok=yes
			[ "$achieved" -gt "$best" ] && best=$achieved
		fi
		printf '%-22s %8s %9s %9s %9s %9s  %s\n' "" \
			"$([ "$rate" = 0 ] && echo max || echo "$rate")" \
			"$achieved" "$made" "$seen" "$lost" "$ok"
	done
	echo "$name: sustained $best ${kind}s/s with every event printed and none lost"
	echo
}

machine
echo "flood:   $WORKERS workers, $SECS s a step; output to a file on $(df --output=fstype "$TMP" | tail -1)"
echo
# shellcheck disable=SC2086
ladder "dtk opensnoop" "$OPENSNOOP" open $OPEN_RATES
# shellcheck disable=SC2086
ladder "libbpf-tools opensnoop" "$LIBBPF_OPENSNOOP" open $OPEN_RATES
# shellcheck disable=SC2086
ladder "dtk execsnoop" "$EXECSNOOP" exec $EXEC_RATES
# shellcheck disable=SC2086
ladder "libbpf-tools execsnoop" "$LIBBPF_EXECSNOOP" exec $EXEC_RATES
