#!/bin/bash
# pid_libc.sh - the pid provider over a whole library (issue 12, item 8):
#   dtrace -n 'pid$target:libc.so.6::entry { @[probefunc] = count(); }' -c ls
# Prints the probes matched, the ones skipped, and the wall time of the
# whole command (compile, load, attach every probe, run ls, print), median
# of RUNS (default 3).  Environment: DTRACE (default build/bin/dtrace).
set -eu
DTRACE=${DTRACE:-build/bin/dtrace}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
times=()
for ((r = 0; r < ${RUNS:-3}; r++)); do
	/usr/bin/time -o "$tmp/t" -f %e "$DTRACE" \
		-n 'pid$target:libc.so.6::entry { @[probefunc] = count(); }' \
		-c ls >"$tmp/out" 2>"$tmp/err"
	times+=("$(tail -1 "$tmp/t")")
done
grep -o 'matched [0-9]* probes' "$tmp/err" | head -1
grep -o '[0-9]* of [0-9]* probes skipped[^(]*' "$tmp/err" | head -1 || echo "none skipped"
printf '%s\n' "${times[@]}" | sort -n | awk '{ t[NR] = $1 } END { printf "median %s s of %d runs\n", t[int((NR + 1) / 2)], NR }'
