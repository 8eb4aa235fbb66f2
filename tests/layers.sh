#!/usr/bin/env bash
# layers.sh - the engine's groups (common/lang, cg, prov, run, out, sym) call
# each other in one direction only, and so do the files inside a group.
#
#   tests/layers.sh [OBJDIR]          print the groups' "A -> B" edges; fail
#                                     on a cycle between groups, or between
#                                     files of a group
#   tests/layers.sh --files [OBJDIR]  print the cycles between files (all
#                                     groups); fail if there is one
#
# An edge A -> B means an object of A names a symbol an object of B defines
# (nm: "U" in A, defined in B); tsort(1) finds the cycles.  OBJDIR is
# build/obj/common (make all builds it).  Exit status 1 on a cycle, 2 when
# an object is missing.  LAYERS_SRC names another tree of sources laid out
# like common/ (the tests' made-up ones).
set -u
cd "$(dirname "$0")/.." || exit 2

files_only=0
if [[ ${1:-} == --files ]]; then
	files_only=1
	shift
fi
objdir=${1:-build/obj/common}
srcdir=${LAYERS_SRC:-common}

# "group/file kind symbol" for every global symbol of the sources there are
# (a moved file leaves a stale object behind: it is not read).
syms=$(for src in "$srcdir"/*/*.c; do
	rel=${src#"$srcdir"/}
	o=$objdir/${rel%.c}.o
	if [[ ! -f $o ]]; then
		echo "layers.sh: no $o (run make all)" >&2
		exit 2
	fi
	nm -g "$o" | awk -v n="${rel%.c}" '
		$1 == "U" { print n, "U", $2; next }
		NF == 3 { print n, "D", $3 }'
done) || exit 2

# file edges "a/x b/y" (distinct files)
file_edges=$(echo "$syms" | awk '
	$2 == "D" { def[$3] = $1; next }
	{ use[NR] = $1; sym[NR] = $3 }
	END {
		for (i in use)
			if ((sym[i] in def) && def[sym[i]] != use[i])
				print use[i], def[sym[i]]
	}' | sort -u)

# loops EDGES: tsort's report of the cycles in EDGES, empty when none
loops() {
	local out
	out=$(tsort 2>&1 >/dev/null <<<"$1") && [[ -z $out ]] && return
	echo "$out" | sed 's/^tsort: -: /layers.sh: /'
}

if ((files_only)); then
	out=$(loops "$file_edges")
	[[ -z $out ]] && { echo "no cycle between the engine's files"; exit 0; }
	echo "$out"
	exit 1
fi

group_edges=$(echo "$file_edges" | awk '{
	split($1, a, "/"); split($2, b, "/")
	if (a[1] != b[1]) print a[1], b[1]
}' | sort -u)
echo "$group_edges" | awk 'NF == 2 { print "  " $1 " -> " $2 }'
status=0
out=$(loops "$group_edges")
if [[ -n $out ]]; then
	echo "$out"
	echo "layers.sh: the groups above depend on each other in a cycle" >&2
	status=1
fi
for g in lang cg prov run out sym; do
	out=$(loops "$(echo "$file_edges" | awk -v g="$g" '
		index($1, g "/") == 1 && index($2, g "/") == 1')")
	if [[ -n $out ]]; then
		echo "$out"
		echo "layers.sh: files of $g/ depend on each other in a cycle" >&2
		status=1
	fi
done
((status == 0)) &&
	echo "no cycle between the engine's groups, nor between the files of each"
exit $status
