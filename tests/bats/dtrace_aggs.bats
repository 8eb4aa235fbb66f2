#!/usr/bin/env bats
# Aggregations, exact text: each aggregating function on known values
# (BEGIN-only programs of constants, and dt_calls' write() sizes), each
# printing path (at exit, printa with and without a format, printa of
# several aggregations joined by key, trunc, clear, normalize and
# denormalize), the aggsort* options, keys of int and string, key sizes
# in the kernel, and drops when the aggregation space runs out.
# (dtrace_run.bats has count/sum/avg/min/max, quantize and lquantize of
# write sizes at exit; these do not repeat them.)

load helper
load dt_workloads

bats_require_minimum_version 1.5.0

# --- the functions ----------------------------------------------------------

@test "count, sum, avg (integer mean), min, max, stddev of constants" {
	"$DTRACE" -qn 'BEGIN {
		@c = count(); @c = count();
		@s = sum(5); @s = sum(-2);
		@a = avg(1); @a = avg(4);
		@mi = min(7); @mi = min(-3);
		@ma = max(7); @ma = max(-3);
		@sd = stddev(2); @sd = stddev(4); @sd = stddev(4); @sd = stddev(4);
		@sd = stddev(5); @sd = stddev(5); @sd = stddev(7); @sd = stddev(9);
		exit(0); }' >"$OUT"
	expect_file "$OUT" <<-'EOF'

		                2
		                3
		                2
		               -3
		                7
		                2
	EOF
}

@test "quantize: negative buckets, zero, and one row either side of the data" {
	"$DTRACE" -qn 'BEGIN { @q = quantize(-5); @q = quantize(0);
		@q = quantize(3); @q = quantize(3); @q = quantize(1000); exit(0); }' >"$OUT"
	expect_file "$OUT" <<-'EOF'


		           value  ------------- Distribution ------------- count    
		              -8 |                                         0        
		              -4 |@@@@@@@@                                 1        
		              -2 |                                         0        
		              -1 |                                         0        
		               0 |@@@@@@@@                                 1        
		               1 |                                         0        
		               2 |@@@@@@@@@@@@@@@@                         2        
		               4 |                                         0        
		               8 |                                         0        
		              16 |                                         0        
		              32 |                                         0        
		              64 |                                         0        
		             128 |                                         0        
		             256 |                                         0        
		             512 |@@@@@@@@                                 1        
		            1024 |                                         0        

	EOF
}

@test "lquantize(x, 0, 20, 5): below, inside and above the range" {
	"$DTRACE" -qn 'BEGIN { @l = lquantize(-1, 0, 20, 5); @l = lquantize(7, 0, 20, 5);
		@l = lquantize(7, 0, 20, 5); @l = lquantize(25, 0, 20, 5); exit(0); }' >"$OUT"
	expect_file "$OUT" <<-'EOF'


		           value  ------------- Distribution ------------- count    
		             < 0 |@@@@@@@@@@                               1        
		               0 |                                         0        
		               5 |@@@@@@@@@@@@@@@@@@@@                     2        
		              10 |                                         0        
		              15 |                                         0        
		           >= 20 |@@@@@@@@@@                               1        

	EOF
}

@test "llquantize(x, 10, 0, 2, 10): steps within each power of ten, and above" {
	"$DTRACE" -qn 'BEGIN { @ll = llquantize(5, 10, 0, 2, 10);
		@ll = llquantize(42, 10, 0, 2, 10); @ll = llquantize(42, 10, 0, 2, 10);
		@ll = llquantize(150, 10, 0, 2, 10); @ll = llquantize(5000, 10, 0, 2, 10);
		exit(0); }' >"$OUT"
	expect_file "$OUT" <<-'EOF'


		           value  ------------- Distribution ------------- count    
		               4 |                                         0        
		               5 |@@@@@@@@                                 1        
		               6 |                                         0        
		               7 |                                         0        
		               8 |                                         0        
		               9 |                                         0        
		              10 |                                         0        
		              20 |                                         0        
		              30 |                                         0        
		              40 |@@@@@@@@@@@@@@@@                         2        
		              50 |                                         0        
		              60 |                                         0        
		              70 |                                         0        
		              80 |                                         0        
		              90 |                                         0        
		             100 |@@@@@@@@                                 1        
		             200 |                                         0        
		             300 |                                         0        
		             400 |                                         0        
		             500 |                                         0        
		             600 |                                         0        
		             700 |                                         0        
		             800 |                                         0        
		             900 |                                         0        
		         >= 1000 |@@@@@@@@                                 1        

	EOF
}

@test "llquantize with fewer steps than the factor, and its increment (was SIGFPE)" {
	"$DTRACE" -qn 'BEGIN { @ = llquantize(320, 10, 0, 5, 5, 8); printa("%@d\n", @);
		@f = llquantize(3, 4, 0, 3, 2); @f = llquantize(17, 4, 0, 3, 2);
		@f = llquantize(60, 4, 0, 3, 2); @f = llquantize(1000, 4, 0, 3, 2);
		exit(0); }' >"$OUT"
	expect_file "$OUT" <<-'EOF'

		           value  ------------- Distribution ------------- count    
		             100 |                                         0        
		             200 |@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@ 8        
		             400 |                                         0        



		           value  ------------- Distribution ------------- count    
		               1 |                                         0        
		               2 |@@@@@@@@@@                               1        
		               4 |                                         0        
		               8 |                                         0        
		              16 |@@@@@@@@@@                               1        
		              32 |@@@@@@@@@@                               1        
		              64 |                                         0        
		             128 |                                         0        
		          >= 256 |@@@@@@@@@@                               1        

	EOF
}

@test "llquantize parameters are checked by dtrace-utils' rules, one line each" {
	run -1 "$DTRACE" -en 'BEGIN { @ = llquantize(1, 10, 0, 5, 3); }'
	assert_output "dtrace: invalid probe specifier BEGIN { @ = llquantize(1, 10, 0, 5, 3); }: in action list: llquantize() argument #4 (steps) must evenly divide argument #1 (factor) when steps<factor"
	run -1 "$DTRACE" -en 'BEGIN { @ = llquantize(1, 4, 0, 3, 6); }'
	assert_output --partial "must be a multiple of argument #1 (factor) when steps>factor"
	run -1 "$DTRACE" -en 'BEGIN { @ = llquantize(1, 10, 0, 19, 10); }'
	assert_output --partial "llquantize( ) argument #3 (high magnitude) will cause overflow of 64 bits"
	run -1 "$DTRACE" -en 'BEGIN { @ = llquantize(1, 1, 0, 3, 10); }'
	assert_output --partial "argument #1 must be an unsigned 16-bit quantity greater than or equal to 2"
	run -1 "$DTRACE" -en 'BEGIN { @ = llquantize(1, 65535, 0, 3, 65535); }'
	assert_output --partial "llquantize( ) has too many buckets"
}

# --- keys -------------------------------------------------------------------

@test "keys of int and string at exit, and printa with and without a format" {
	"$DTRACE" -qn '
		syscall::write:entry /pid == $target/ {
			@n[arg2, execname] = count(); @b[execname, arg2] = sum(arg2);
			@q[execname] = quantize(arg2); }
		END { printa(@b); printa("%s %d: %@d\n", @b); printa("%s %@d\n", @q); }' \
		-c "$W/dt_calls 0 1 2 2 3 3 3" >"$OUT"
	expect_file "$OUT" <<-'EOF'

		  dt_calls                                                          1                1
		  dt_calls                                                          2                4
		  dt_calls                                                          3                9
		dt_calls 1: 1
		dt_calls 2: 4
		dt_calls 3: 9
		dt_calls 
		           value  ------------- Distribution ------------- count    
		               0 |                                         0        
		               1 |@@@@@@@                                  1        
		               2 |@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@        5        
		               4 |                                         0        


		                1  dt_calls                                                          1
		                2  dt_calls                                                          2
		                3  dt_calls                                                          3
	EOF
}

@test "probefunc keys: syscall:::entry and a one-probe clause share the keys" {
	"$DTRACE" -qn '
		syscall:::entry /pid == $target && (probefunc == "getppid" ||
		    probefunc == "write")/ { @[probefunc] = count(); }
		syscall::write:entry /pid == $target/ { @[probefunc] = count(); }' \
		-c "$W/dt_calls 3 10 20" >"$OUT"
	expect_file "$OUT" <<-'EOF'

		  getppid                                                           3
		  write                                                             4
	EOF
}

@test "keys are as small as their values: execname 16 bytes, probefunc a number" {
	"$DTRACE" -qn 'syscall:::entry /pid == 1 / { @e[execname] = count();
		@f[probefunc] = count(); @ef[execname, probefunc] = count(); }' \
		>"$OUT" 2>&1 &
	local dpid=$! i sizes=
	for ((i = 0; i < 200; i++)); do
		grep -qs '^map_id:' /proc/"$dpid"/fdinfo/* && break
		sleep 0.05
	done
	sleep 0.5
	for id in $(grep -hs '^map_id:' /proc/"$dpid"/fdinfo/* | awk '{ print $2 }' | sort -un); do
		sizes+=$(bpftool map show id "$id" |
			awk '$4 ~ /^agg_/ { n = $4; getline; sub(/B$/, "", $2); print n, $2 }')
		sizes+=$'\n'
	done
	kill -INT "$dpid"
	wait "$dpid" || true
	assert_equal "$(grep . <<<"$sizes" | sort)" $'agg_e 16\nagg_ef 24\nagg_f 8'
}

# --- printing ---------------------------------------------------------------

@test "printa of two aggregations: joined by key, sorted by the first or by aggsortpos" {
	local prog='BEGIN { @a[1] = sum(10); @a[2] = sum(30); @a[3] = sum(20);
		@b[1] = sum(3); @b[2] = sum(1); @b[3] = sum(2); @b[4] = sum(7);
		printa("%d %@d %@d\n", @a, @b); exit(0); }'
	"$DTRACE" -qn "$prog" >"$OUT"
	"$DTRACE" -x aggsortpos=1 -qn "$prog" >>"$OUT"
	expect_file "$OUT" <<-'EOF'
		4 0 7
		1 10 3
		3 20 2
		2 30 1

		2 30 1
		3 20 2
		1 10 3
		4 0 7

	EOF
}

@test "aggsortkey, aggsortrev and aggsortkeypos order the rows at exit" {
	local prog='BEGIN { @[3, "c"] = sum(10); @[1, "z"] = sum(30);
		@[2, "a"] = sum(20); @[4, "b"] = sum(20); exit(0); }' o
	for o in "" "-x aggsortkey" "-x aggsortrev" "-x aggsortkey -x aggsortrev" \
		"-x aggsortkey -x aggsortkeypos=1" \
		"-x aggsortkey -x aggsortkeypos=1 -x aggsortrev"; do
		echo "$o:"
		# shellcheck disable=SC2086
		"$DTRACE" -q $o -n "$prog" | awk 'NF { printf " %s%s", $1, $2 } END { print "" }'
	done >"$OUT"
	expect_file "$OUT" <<-'EOF'
		:
		 3c 2a 4b 1z
		-x aggsortkey:
		 1z 2a 3c 4b
		-x aggsortrev:
		 1z 4b 2a 3c
		-x aggsortkey -x aggsortrev:
		 4b 3c 2a 1z
		-x aggsortkey -x aggsortkeypos=1:
		 2a 4b 3c 1z
		-x aggsortkey -x aggsortkeypos=1 -x aggsortrev:
		 1z 3c 4b 2a
	EOF
}

@test "trunc(@a, 2) keeps the two largest, trunc(@a) empties; normalize, denormalize" {
	"$DTRACE" -qn 'BEGIN {
		@a["x"] = sum(10); @a["y"] = sum(30); @a["z"] = sum(20); @a["w"] = sum(5);
		trunc(@a, 2); printa(@a); trunc(@a); printa("%s %@d\n", @a);
		@n["p"] = sum(1000); @n["q"] = sum(3000);
		normalize(@n, 100); printa(@n); denormalize(@n); printa(@n);
		exit(0); }' >"$OUT"
	expect_file "$OUT" <<-'EOF'

		  z                                                                20
		  y                                                                30

		  p                                                                10
		  q                                                                30

		  p                                                              1000
		  q                                                              3000

	EOF
}

@test "clear() zeroes the values between writes, keeping the keys" {
	# 200 ms between the writes, the consumer polling at 100 Hz: each
	# printa and clear is seen before the next write
	"$DTRACE" -x switchrate=100hz -qn '
		syscall::write:entry /pid == $target/ { @s[execname] = sum(arg2); }
		syscall::write:entry /pid == $target && arg2 == 2/ { printa(@s); clear(@s); }
		syscall::write:entry /pid == $target && arg2 == 3/ { printa(@s); }
		END { printa(@s); }' \
		-c "$W/dt_ticker 4 200" >"$OUT"
	expect_file "$OUT" <<-'EOF'

		  dt_ticker                                                         3

		  dt_ticker                                                         3

		  dt_ticker                                                         7

	EOF
}

@test "trunc(@s, 1) mid-run: only the largest key stays, later keys come back" {
	"$DTRACE" -x switchrate=100hz -qn '
		syscall::write:entry /pid == $target/ { @s[arg2] = sum(arg2); }
		syscall::write:entry /pid == $target && arg2 == 3/ { trunc(@s, 1); }' \
		-c "$W/dt_ticker 4 200" >"$OUT"
	expect_file "$OUT" <<-'EOF'

		                3                3
		                4                4
	EOF
}

# --- running out of space ---------------------------------------------------

@test "-x aggsize=1k: 40 keys into 16 slots, 24 drops reported" {
	run --separate-stderr "$DTRACE" -x aggsize=1k -qn \
		'syscall::write:entry /pid == $target/ { @[arg2] = count(); }' \
		-c "$W/dt_calls 0 $(seq -s ' ' 1 40)"
	assert_success
	assert_equal "$(grep -c . <<<"$output")" 16
	[[ $stderr =~ ^dtrace:\ 24\ aggregation\ drops\ on\ CPU\ [0-9]+$ ]] ||
		fail "unexpected stderr: $stderr"
}

@test "lquantize: the increment may differ between uses, the range may not" {
	# the increment is not part of the aggregation's kind: 3 + 2 at 2, 5 at 3
	"$DTRACE" -qn 'BEGIN {
		@a = lquantize(2, 0, 4, 1, 3); @a = lquantize(2, 0, 4, 1, 2);
		@a = lquantize(3, 0, 4, 1, 5); @b = lquantize(7, 0, 100, 50);
		printa(@a); exit(0); }' >"$OUT"
	expect_file "$OUT" <<-'EOF'


		           value  ------------- Distribution ------------- count    
		               1 |                                         0        
		               2 |@@@@@@@@@@@@@@@@@@@@                     5        
		               3 |@@@@@@@@@@@@@@@@@@@@                     5        
		            >= 4 |                                         0        



		           value  ------------- Distribution ------------- count    
		             < 0 |                                         0        
		               0 |@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@ 1        
		              50 |                                         0        

	EOF
	run "$DTRACE" -e -n 'BEGIN { @a = lquantize(2, 0, 4, 1); @a = lquantize(2, 0, 8, 1); }'
	assert_failure 1
	assert_output --partial "@a is used with lquantize( ) and with lquantize( ): an aggregation has one function"
}

@test "more aggregations than a program may have maps: each keeps its own values" {
	# 150 aggregations of one shape, one of another, in one clause: the
	# kernel allows 64 maps a program
	local i prog='BEGIN {'
	for ((i = 0; i < 150; i++)); do
		prog+=" @s$i[$i] = sum($i * 3);"
	done
	prog+=' @q = quantize(4); @c[1, "x"] = count(); exit(0); }
	END { printa("%d %@d\n", @s0); printa("%d %@d\n", @s77); printa("%d %@d\n", @s149);
	      printa(@q); printa("%d %s %@d\n", @c); }'
	run --separate-stderr "$DTRACE" -qn "$prog"
	assert_success
	assert_line --index 0 "0 0"
	assert_line --index 1 "77 231"
	assert_line --index 2 "149 447"
	assert_line --regexp '^ +4 \|@+ +1 +$'
	assert_line "1 x 1"
}
