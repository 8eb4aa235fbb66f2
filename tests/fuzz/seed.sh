#!/bin/sh
# seed.sh DIR - copy the D corpus (tests/d/*/*.d) and the fuzzer's past
# findings (tests/fuzz/regress/*) into DIR as fuzzing seeds.
set -eu
dir=${1:?usage: seed.sh DIR}
root=$(cd "$(dirname "$0")/../.." && pwd)
mkdir -p "$dir"
n=0
for f in "$root"/tests/d/*/*.d "$root"/tests/fuzz/regress/*; do
	[ -f "$f" ] || continue
	sub=$(basename "$(dirname "$f")")
	cp "$f" "$dir/$sub-$(basename "$f")"
	n=$((n + 1))
done
echo "seed.sh: $n programs in $dir"
