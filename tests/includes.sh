#!/usr/bin/env bash
# includes.sh - the engine's groups include each other's headers in the
# order they call each other (tests/layers.sh: run > prov > cg > lang > sym
# > out).  A file of common/G/ may include
#   * G's own headers,
#   * the public headers of a group below G: its group header (lang/lang.h,
#     cg/cg.h, prov/provider.h, sym/sym.h, out/out.h) and those of the
#     group's own headers that it includes, directly or through another,
#   * common/dtk.h, the library's public header;
# never a header of a group above G (run/ has no group header: its
# headers, dtk_impl.h among them, are run/'s alone).
#
#   tests/includes.sh    print each group's public headers; exit 1 on an
#                        include that breaks the rule (one line each: the
#                        file, the header, why), 2 when a tree is missing
#
# A quoted include is found as the compiler finds it: beside the file,
# then in common/ ("prov/provider.h", "dtk.h"), then in each group's folder
# in the Makefile's order; a header found nowhere there (build/gen's, a
# system one) is not the engine's and not checked.  INCLUDES_SRC names
# another tree laid out like common/ (the tests' made-up ones).
set -u
cd "$(dirname "$0")/.." || exit 2

GROUPS_ORDER="run prov cg lang sym out"	# each calls only those after it
SEARCH="lang cg prov run out sym"		# the Makefile's -I order
declare -A HEADER=([lang]=lang.h [cg]=cg.h [prov]=provider.h [sym]=sym.h
		   [out]=out.h)
src=${INCLUDES_SRC:-common}
[[ -d $src ]] || { echo "includes.sh: no $src" >&2; exit 2; }

declare -A rank
i=0
for g in $GROUPS_ORDER; do rank[$g]=$((i++)); done

# includes FILE: the quoted includes of FILE, one a line
includes() {
	sed -n 's/^[[:space:]]*#[[:space:]]*include[[:space:]]*"\([^"]*\)".*/\1/p' "$1"
}

# resolve FILE NAME: the path (under $src) an include of NAME in FILE
# finds, empty when it is not the engine's
resolve() {
	local dir g
	dir=$(dirname "$1")
	if [[ -f $dir/$2 ]]; then
		echo "${dir#"$src"/}/$2"
		return
	fi
	if [[ -f $src/$2 ]]; then
		echo "$2"
		return
	fi
	for g in $SEARCH; do
		[[ -f $src/$g/$2 ]] && { echo "$g/$2"; return; }
	done
}

# public[g/h]=1 for every public header: the group header, then what it
# includes of its own group, and so on
declare -A public
for g in $GROUPS_ORDER; do
	h=${HEADER[$g]:-}
	[[ -n $h && -f $src/$g/$h ]] || continue
	todo=("$g/$h")
	while ((${#todo[@]})); do
		cur=${todo[0]}
		todo=("${todo[@]:1}")
		[[ -n ${public[$cur]:-} ]] && continue
		public[$cur]=1
		while read -r inc; do
			[[ -z $inc ]] && continue
			r=$(resolve "$src/$cur" "$inc")
			[[ $r == "$g"/* ]] && todo+=("$r")
		done < <(includes "$src/$cur")
	done
	echo "  $g: $(for k in "${!public[@]}"; do
		[[ $k == "$g"/* ]] && echo "${k#"$g"/}"; done | sort | tr '\n' ' ')"
done

status=0
for f in "$src"/*/*.[ch]; do
	rel=${f#"$src"/}
	g=${rel%%/*}
	[[ -n ${rank[$g]:-} ]] || continue
	while read -r inc; do
		[[ -z $inc ]] && continue
		r=$(resolve "$f" "$inc")
		[[ -z $r || $r != */* ]] && continue	# dtk.h, or not the engine's
		hg=${r%%/*}
		[[ $hg == "$g" || -z ${rank[$hg]:-} ]] && continue
		if ((rank[$hg] < rank[$g])); then
			echo "includes.sh: $rel includes $r: $hg/ is above $g/"
			status=1
		elif [[ -z ${public[$r]:-} ]]; then
			echo "includes.sh: $rel includes $r: not one of $hg/'s public headers (${HEADER[$hg]:-none})"
			status=1
		fi
	done < <(includes "$f")
done
((status == 0)) &&
	echo "every group includes only its own headers and the public ones of the groups below it"
exit $status
