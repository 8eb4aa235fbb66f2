#!/bin/bash
# load_clauses.sh - time to compile, load and run a D program of N clauses
# (issue 12 item 6: loading must grow linearly with the clauses).
#
# Each clause is `syscall::read:entry /pid == I/ { @c[I] = count(); }`;
# the command traced is `true`, so nearly all of the time is the load.
# Prints one line per N: clauses, programs made, wall seconds.
# Environment: DTRACE (default build/bin/dtrace), NS (default "300 1000 3000").
set -eu
DTRACE=${DTRACE:-build/bin/dtrace}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
printf '%8s %9s %9s\n' clauses programs seconds
for n in ${NS:-300 1000 3000}; do
	for ((i = 0; i < n; i++)); do
		echo "syscall::read:entry /pid == $((i + 1))/ { @c[$i] = count(); }"
	done > "$tmp/p.d"
	progs=$("$DTRACE" -e -S -s "$tmp/p.d" 2>&1 | grep -c '^program' || true)
	/usr/bin/time -o "$tmp/t" -f %e "$DTRACE" -q -s "$tmp/p.d" -c true \
		>/dev/null 2>&1
	s=$(tail -1 "$tmp/t")
	printf '%8d %9d %9s\n' "$n" "$progs" "$s"
done
