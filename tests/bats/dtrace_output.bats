#!/usr/bin/env bats
# dtrace's output conventions, as dtrace(1) prints them: the blank line
# when tracing stops (before the aggregations, -q or not), trace()'s
# widths and signedness by type, aggregation keys printed by the size of
# their type, the types of integer literals with l/ul suffixes, and exit
# statuses (1 for a program that does not compile, 2 for usage).

load helper

bats_require_minimum_version 1.5.0

setup() {
	OUT=$BATS_TEST_TMPDIR/out
}

@test "-q: a blank line ends the output when tracing stops, with no aggregations" {
	need_bpf
	"$DTRACE" -qn 'BEGIN { printf("a\n"); exit(0); } END { printf("end\n"); }' >"$OUT"
	expect_file "$OUT" <<-'EOF'
		a
		end

	EOF
}

@test "-q: one blank line between END's output and the aggregations" {
	need_bpf
	"$DTRACE" -qn 'BEGIN { @ = count(); exit(0); } END { printf("end\n"); }' >"$OUT"
	printf 'end\n\n                1\n' | expect_file "$OUT"
}

@test "trace() of integers: signed and unsigned, widths by size" {
	need_bpf
	"$DTRACE" -qn 'BEGIN {
		trace((char)-2); trace(" "); trace((unsigned char)254); trace(" ");
		trace((short)-1); trace(" "); trace((unsigned short)65535); trace(" ");
		trace(-1); trace(" "); trace((unsigned)-1); trace(" ");
		trace(-1l); trace(" "); trace(-1ul); exit(0); }' >"$OUT"
	printf -- '-2 254 -1 65535 -1 4294967295 -1 18446744073709551615\n' |
		expect_file "$OUT"
	"$DTRACE" -n 'BEGIN { trace((char)-2); trace((unsigned short)7);
		trace(-5); trace(5u); trace(-1ll); trace(1ull); exit(0); }' \
		2>/dev/null >"$OUT"
	# dtrace-utils' widths: signed 3 5 10 19, unsigned 3 5 10 20, after
	# the space that ends the probe's column
	assert_equal "$(sed -n '2s/^.*:BEGIN//p' "$OUT")" \
		"$(printf '  %3d %5u %10d %10u %19d %20u' -2 7 -5 5 -1 1)"
}

@test "aggregation keys print by their type's size: char, short, int, long" {
	need_bpf
	"$DTRACE" -qn 'BEGIN {
		@c[(char)-2] = sum(-2); @s[(short)-1] = sum(-1);
		@i[-3] = sum(-3); @l[(long)-4] = sum(-4); exit(0); }' >"$OUT"
	# 1- and 2-byte keys print unsigned (" %3d" " %5d"), int " %8d",
	# 64-bit " %16lld"; the values are 64-bit sums.  No blank line
	# between aggregations (dtrace-utils prints them as one walk).
	expect_file "$OUT" <<-'EOF'

		 254               -2
		 65535               -1
		       -3               -3
		               -4               -4
	EOF
}

@test "a variable assigned an int constant keys an aggregation as int" {
	need_bpf
	"$DTRACE" -qn 'BEGIN { i = 7; @[i] = count(); exit(0); }' >"$OUT"
	printf '\n        7                1\n' | expect_file "$OUT"
}

@test "exit statuses: compile error 1, usage error 2, exit(N) N" {
	run "$DTRACE" -e -n 'BEGIN { trace(nosuchvar); }'
	assert_failure 1
	run "$DTRACE" -e -s /dev/null --no-such-option
	assert_failure 2
	need_bpf
	run "$DTRACE" -qn 'BEGIN { exit(5); }'
	assert_failure 5
}

@test "-F indents entries and returns per call depth, as DTrace's flowindent" {
	need_bpf
	build_workload callchain
	"$DTRACE" -F -n 'pid$target:a.out:a:entry,pid$target:a.out:b:entry,
		pid$target:a.out:c:entry,pid$target:a.out:c:return,
		pid$target:a.out:b:return,pid$target:a.out:a:return,
		syscall::write:entry,syscall::write:return /pid == $target/ {}' \
		-c "$BATS_FILE_TMPDIR/callchain 1" 2>/dev/null | grep -v '^callchain' |
		sed -E 's/^ *([0-9]+|CPU) //; s/ +$//' >"$OUT"
	# the CPU column and trailing blanks dropped; syscalls are => and <=
	expect_file "$OUT" <<-'EOF'
		FUNCTION
		 -> a
		   -> b
		     -> c
		       => write
		       <= write
		     <- c
		   <- b
		 <- a

	EOF
}

@test "stddev() of values whose squares pass 2^64: 128-bit sums of squares" {
	need_bpf
	"$DTRACE" -qn 'BEGIN {
		@a = stddev(5000000000); @a = stddev(5000000100);
		@a = stddev(5000000200); @a = stddev(5000000300);
		@b = stddev(-5000000000); @b = stddev(-5000000100);
		@b = stddev(-5000000200); @b = stddev(-5000000300);
		exit(0); }' >"$OUT"
	# sqrt(12500) for both: the spread, whatever the offset and sign
	printf '\n              111\n              111\n' | expect_file "$OUT"
}
