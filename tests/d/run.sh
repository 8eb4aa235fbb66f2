#!/bin/bash
# run.sh - compile every program of the D corpus with `dtrace -e -s` (TAP).
#
#   valid/*.d     must compile and generate code (`-e -S`): exit status 0,
#                 and no more BPF instructions, all programs together, than
#                 its budget in insns.budget ("valid/NAME.d N"; a program
#                 without a line there is only generated).  A first line
#                 "/* args: 42 foo */" gives the macro arguments $1 $2 ...
#   invalid/*.d   compiled with -x errtags, must fail with status 1 and
#                 print exactly "dtrace: failed to compile script PATH: " +
#                 the .d.err file (DTrace's "[D_TAG] line N: message")
#                 An argument @pid@ is replaced by the runner's own pid (a live
#                 process linked with libc, for the pid provider).
#
# DTRACE=path overrides build/bin/dtrace.  Exits non-zero on any failure.
#
#   run.sh --budget   prints a fresh insns.budget instead: each valid
#                     program's instructions today plus 10% (rounded up),
#                     for when code generation changes on purpose.
set -u
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
dtrace=${DTRACE:-$root/build/bin/dtrace}

cd "$here" || exit 1
shopt -s nullglob
progs=(valid/*.d invalid/*.d)
[ "${1:-}" = --budget ] || echo "1..${#progs[@]}"
if [ ! -x "$dtrace" ]; then
	for i in "${!progs[@]}"; do
		echo "not ok $((i + 1)) - ${progs[$i]} # $dtrace is not built"
	done
	exit 1
fi

# The instructions of every program dtrace -S printed (on stdin), summed.
insns() {
	sed -n 's/^program [0-9]*: .*, \([0-9]*\) instructions)$/\1/p' |
		awk '{ n += $1 } END { print n + 0 }'
}
declare -A budget=()
if [ -f insns.budget ]; then
	while read -r name max; do
		[[ $name == \#* || -z $name ]] || budget[$name]=$max
	done < insns.budget
fi
make_budget=0
if [ "${1:-}" = --budget ]; then
	make_budget=1
	echo "# BPF instructions each valid program may generate, all its programs"
	echo "# together (tests/d/run.sh); rewritten by: bash tests/d/run.sh --budget"
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
	dump=()
	[[ $prog == valid/* ]] && dump=(-S)
	err=$("$dtrace" "${tags[@]}" -e "${dump[@]}" -s "$prog" "${args[@]}" 2>&1 >/dev/null)
	status=$?
	case $prog in
	valid/*)
		count=$(insns <<< "$err")
		max=${budget[$prog]:-}
		if [ "$make_budget" = 1 ]; then
			echo "$prog $(( (count * 11 + 9) / 10 ))"
		elif [ "$status" -ne 0 ]; then
			echo "not ok $n - $prog"
			echo "# exit status $status: $(grep -v '^[0-9]*: \|^program ' <<< "$err")"
			failed=$((failed + 1))
		elif [ -n "$max" ] && [ "$count" -gt "$max" ]; then
			echo "not ok $n - $prog"
			echo "# $count instructions, over its budget of $max (tests/d/insns.budget;"
			echo "# bash tests/d/run.sh --budget rewrites it when the growth is meant)"
			failed=$((failed + 1))
		else
			echo "ok $n - $prog # $count instructions${max:+ of $max}"
		fi
		;;
	invalid/*)
		[ "$make_budget" = 1 ] && continue
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
