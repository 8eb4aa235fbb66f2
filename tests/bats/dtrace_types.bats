#!/usr/bin/env bats
# D's types as dtrace-utils has them: integer arithmetic without C's
# promotion to int, struct and union declarations in programs, and print().

load helper

bats_require_minimum_version 1.5.0

setup() {
	[[ -x $DTRACE ]] || fail "$DTRACE is not built (run make)"
	need_bpf
}

dq() {
	run --separate-stderr "$DTRACE" -q -n "$1" "${@:2}"
}

@test "arithmetic takes the operand type of higher rank, with no promotion to int" {
	# rank: width in bits, plus one if unsigned.  uchar + char is an
	# unsigned char (-2 + 3 = 1, -2 - 3 = 251), char + char a char,
	# short + uchar a short, int + uint an unsigned int.
	dq 'signed char c; unsigned char C; short s; unsigned short S;
	    int i; unsigned int I;
	    BEGIN { C = -2; c = 3; printf("%d ", C + c);
		    c = -3; printf("%d ", C + c);
		    c = 100; printf("%d ", c + c);
		    s = -2; C = 3; printf("%d ", s + C);
		    S = -2; s = 3; printf("%d ", S + s);
		    i = -2; I = 1; printf("%u ", i + I);
		    printf("%d %d\n", sizeof (c + c), sizeof (c + 1));
		    exit(0); }'
	assert_success
	assert_output "1 251 -56 1 1 4294967295 1 4"
}
