#!/usr/bin/env bats
# func()/sym()/mod() and ufunc()/usym()/umod() as aggregation keys: DTrace
# groups by what the address names (the function, the module) and prints
# that name, one row per function, not one per sampled instruction.

load helper
load dt_workloads

bats_require_minimum_version 1.5.0

# Fail unless every row of aggregation output file $1 is a key matching
# ERE $2 then a count, and no key appears twice.
assert_rows() {
	local bad
	bad=$(grep -v '^$' "$1" | grep -Ev "^  $2 +[0-9]+\$") &&
		fail "rows not like '$2 count': $bad"
	bad=$(grep -v '^$' "$1" | awk '{ print $1 }' | sort | uniq -d)
	[[ -z $bad ]] || fail "keys printed twice: $bad"
}

@test "@[func(arg0)] on profile-997: kernel function names, one row each" {
	"$DTRACE" -qn 'profile-997 /pid == $target && arg0/ { @[func(arg0)] = count(); }' \
		-c "$W/dt_spin 1" >"$OUT"
	assert_rows "$OUT" '[a-z_0-9]+`[A-Za-z_0-9.]+'
	grep -q '^  vmlinux`' "$OUT" || fail "no kernel function in: $(cat "$OUT")"
	# sym() is func(), mod() the module alone
	"$DTRACE" -qn 'profile-997 /pid == $target && arg0/ {
		@[sym(arg0)] = count(); @m[mod(arg0)] = count(); }' \
		-c "$W/dt_spin 1" >"$OUT"
	grep -q '^  vmlinux`' "$OUT" || fail "no vmlinux\` key from sym(): $(cat "$OUT")"
	grep -Eq '^  vmlinux +[0-9]+$' "$OUT" || fail "no vmlinux row from mod(): $(cat "$OUT")"
}

@test "ufunc()/umod()/uaddr() keys of a live process name its functions" {
	"$W/dt_proc" spin 5000 &
	local p=$!
	"$DTRACE" -qn 'profile-997 /pid == $target && arg1/ { @[ufunc(arg1)] = count(); }
		tick-1s { exit(0); }' -p "$p" >"$OUT"
	"$DTRACE" -qn 'profile-997 /pid == $target && arg1/ { @[umod(arg1)] = count(); }
		tick-1s { exit(0); }' -p "$p" >"$OUT.mod"
	"$DTRACE" -qn 'profile-997 /pid == $target && arg1/ { @[uaddr(arg1)] = count(); }
		tick-1s { exit(0); }' -p "$p" >"$OUT.addr"
	kill "$p"
	# the vDSO has no file to name its functions: its addresses stay hex
	assert_rows "$OUT" '([A-Za-z_0-9.+-]+`[A-Za-z_0-9.]+|0x[0-9a-f]+)'
	grep -q '^  dt_proc`' "$OUT" || fail "no dt_proc function in: $(cat "$OUT")"
	assert_rows "$OUT.mod" '([A-Za-z_0-9.+-]+|0x[0-9a-f]+)'
	grep -Eq '^  dt_proc +[0-9]+$' "$OUT.mod" || fail "no dt_proc module in: $(cat "$OUT.mod")"
	assert_rows "$OUT.addr" '([A-Za-z_0-9.+-]+`[A-Za-z_0-9.]+(\+0x[0-9a-f]+)?|0x[0-9a-f]+)'
}
