#!/usr/bin/env bash
# layers.sh - the engine's groups (common/lang, cg, prov, run, out, sym) must
# not depend on each other in a cycle.
#
#   tests/layers.sh [OBJDIR]     groups: print "A -> B" edges, fail on a cycle
#   tests/layers.sh --files [OBJDIR]   the same between single object files
#
# An edge A -> B means an object of A names a symbol an object of B
# defines (nm: "U" in A, defined in B).  tsort(1) finds the cycles.  OBJDIR
# is build/obj/common (make all builds it).  Exit status 1 on a cycle, 2 when
# there are no objects to read.
set -u
cd "$(dirname "$0")/.." || exit 2

unit=group
if [[ ${1:-} == --files ]]; then
	unit=file
	shift
fi
objdir=${1:-build/obj/common}
# the objects of the sources there are (a moved file leaves a stale object)
objs=()
for src in common/*/*.c; do
	o=$objdir/${src#common/}
	o=${o%.c}.o
	if [[ ! -f $o ]]; then
		echo "layers.sh: no $o (run make all)" >&2
		exit 2
	fi
	objs+=("$o")
done

# "node kind symbol" lines: kind D (defined) or U (used).
edges=$(for o in "${objs[@]}"; do
	if [[ $unit == group ]]; then
		node=$(basename "$(dirname "$o")")
	else
		node=$(basename "$(dirname "$o")")/$(basename "$o" .o)
	fi
	nm -g "$o" | awk -v n="$node" '
		$1 == "U" { print n, "U", $2; next }
		NF == 3 { print n, "D", $3 }'
done | awk '
	$2 == "D" { def[$3] = $1; next }
	{ use[NR] = $1; sym[NR] = $3 }
	END {
		for (i in use)
			if ((sym[i] in def) && def[sym[i]] != use[i])
				print use[i], def[sym[i]]
	}' | sort -u)

echo "$edges" | awk 'NF == 2 { print "  " $1 " -> " $2 }'
if ! out=$(echo "$edges" | tsort 2>&1 >/dev/null) || [[ -n $out ]]; then
	echo "$out" | sed 's/^tsort: -: /layers.sh: /'
	echo "layers.sh: the ${unit}s above depend on each other in a cycle" >&2
	exit 1
fi
echo "no cycle between the engine's ${unit}s"
