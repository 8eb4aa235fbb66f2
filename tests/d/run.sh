#!/bin/bash
# run.sh - compile every program of the D corpus with `dtrace -e -s` (TAP).
#
#   valid/*.d     must compile: exit status 0.  A first line
#                 "/* args: 42 foo */" gives the macro arguments $1 $2 ...
#   invalid/*.d   compiled with -x errtags, must fail with status 1 and
#                 print exactly "dtrace: failed to compile script PATH: " +
#                 the .d.err file (DTrace's "[D_TAG] line N: message")
#                 An argument @pid@ is replaced by the runner's own pid (a live
#                 process linked with libc, for the pid provider).
#
# DTRACE=path overrides build/bin/dtrace.  Exits non-zero on any failure.
set -u
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
dtrace=${DTRACE:-$root/build/bin/dtrace}

cd "$here" || exit 1
shopt -s nullglob
progs=(valid/*.d invalid/*.d)
echo "1..${#progs[@]}"
if [ ! -x "$dtrace" ]; then
	for i in "${!progs[@]}"; do
		echo "not ok $((i + 1)) - ${progs[$i]} # $dtrace is not built"
	done
	exit 1
fi

failed=0
n=0
for prog in "${progs[@]}"; do
	n=$((n + 1))
	args=()
	first=$(head -n 1 "$prog")
	if [[ $first =~ ^/\*\ *args:(.*)\*/ ]]; then
		read -r -a args <<< "${BASH_REMATCH[1]}"
		args=("${args[@]//@pid@/$$}")
	fi
	tags=()
	[[ $prog == invalid/* ]] && tags=(-x errtags)
	err=$("$dtrace" "${tags[@]}" -e -s "$prog" "${args[@]}" 2>&1 >/dev/null)
	status=$?
	case $prog in
	valid/*)
		if [ "$status" -eq 0 ]; then
			echo "ok $n - $prog"
		else
			echo "not ok $n - $prog"
			echo "# exit status $status: $err"
			failed=$((failed + 1))
		fi
		;;
	invalid/*)
		want="dtrace: failed to compile script $prog: $(cat "$prog.err" 2>/dev/null)"
		if [ "$status" -eq 1 ] && [ "$err" = "$want" ]; then
			echo "ok $n - $prog"
		else
			echo "not ok $n - $prog"
			echo "# expected status 1: $want"
			echo "# got status $status: $err"
			failed=$((failed + 1))
		fi
		;;
	esac
done
exit $((failed != 0))
