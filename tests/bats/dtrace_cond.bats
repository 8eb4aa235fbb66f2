#!/usr/bin/env bats
# Conditions, which the code generator compiles as jumps (cg/codegen_expr.c):
# comparisons with a constant on either side (signed, unsigned, beyond 32
# bits), strings against literals and strings, ! && || ^^ and ?: as values,
# as predicates and in if, short-circuits, and constants (a tool's flags)
# anywhere in them.  Each test runs BEGIN clauses and checks what they print.

load helper
load dq

bats_require_minimum_version 1.5.0

DECLS='int x; unsigned long u; int z; string s; string t; char c;
	BEGIN { x = -5; u = 18446744073709551611; z = 0; s = "hello";
		t = "help"; c = -1; }'

@test "comparisons as values: constants on either side, signed and unsigned, wide" {
	dq "$DECLS"'
	BEGIN {
		printf("%d %d %d %d %d %d\n", x < 3, x > -6, 3 > x, -6 < x,
		       x == -5, -5 != x);
		printf("%d %d %d %d\n", u > 3, u < 3, 3 < u,
		       u == 18446744073709551611);
		printf("%d %d %d %d\n", x <= -5, x >= -4, 2147483647 < x,
		       x > -2147483648);
		printf("%d %d %d %d\n", x < 4294967296, u > 4294967295,
		       u >= 0x80000000, x != 0x7fffffff);
		printf("%d %d %d %d\n", c < 0, c == -1, c == 255, c != 0);
		exit(0);
	}'
	assert_success
	assert_output $'1 1 1 1 1 0\n1 0 1 1\n1 0 0 1\n1 1 1 1\n1 1 0 1'
}

@test "! && || ^^ and ?: as values, and && || short-circuit" {
	dq "$DECLS"'
	BEGIN {
		printf("%d %d %d %d %d\n", !x, !z, !!x, !(x < 0),
		       !(x < 0 && u > 0));
		printf("%d %d %d %d\n", x && z, x || z, z || z, (x && u) || z);
		printf("%d %d %d %d\n", x ^^ z, x ^^ u, z ^^ z, !x ^^ !z);
		printf("%d %d\n", x < 0 ? 10 : 20, (x > 0 ? u : z) ? 1 : 2);
		printf("%d %d\n", (x < 0 ? 256 : 0) ? 1 : 2, (z ? 0 : 300) ? 3 : 4);
		n = 0;
		a = (n++ > 0) && (n++ > 0);
		b = (n++ > 5) || (n++ > 5);
		printf("%d %d %d\n", a, b, n);
		printf("%d %d %d %d\n", x && 0, x || 0, 0 || x, 1 && !x);
		exit(0);
	}'
	assert_success
	assert_output $'0 1 1 0 0\n0 1 0 1\n1 0 0 1\n10 2\n1 3\n0 0 3\n0 1 1 0'
}

@test "string comparisons: literals either side, longer than the string can be" {
	dq "$DECLS"'
	BEGIN {
		printf("%d %d %d %d %d %d\n", s == "hello", s != "hello",
		       s == "hell", s < t, s > t, "hello" == s);
		printf("%d %d %d\n", s == "hellohellohello", s != "", t == "help");
		printf("%d %d\n", execname == "this-name-is-longer-than-16",
		       execname != "this-name-is-longer-than-16");
		exit(0);
	}'
	assert_success
	assert_output $'1 0 0 1 0 1\n0 1 1\n0 1'
}

@test "conditions in if and in predicates, with constants anywhere in them" {
	dq "$DECLS"'
	BEGIN {
		if (x < 0 && !(u < 5) || z) printf("if1\n"); else printf("else1\n");
		if (!(x < 0) || z) printf("if2\n"); else printf("else2\n");
		if (x ? z : u) printf("if3\n"); else printf("else3\n");
		if (s == "hello" && t != "hello") printf("if4\n");
	}
	BEGIN /x < 0 && u > 5/ { printf("p1\n"); }
	BEGIN /!(x < 0 && u > 5)/ { printf("p2\n"); }
	BEGIN /x < 0 ? z : 1/ { printf("p3\n"); }
	BEGIN /x > 0 ? z : 1/ { printf("p4\n"); }
	BEGIN /s == "hello"/ { printf("p5\n"); }
	BEGIN /s != "hello"/ { printf("p6\n"); }
	BEGIN /s < t || z/ { printf("p7\n"); }
	BEGIN /c/ { printf("p8\n"); }
	BEGIN /!c/ { printf("p9\n"); }
	BEGIN /x == -5 && c == -1 && u != 0/ { printf("p10\n"); }
	BEGIN /execname != "this-name-is-longer-than-16"/ { printf("p11\n"); }
	BEGIN /execname == "this-name-is-longer-than-16"/ { printf("p12\n"); }
	BEGIN /x < 0 && 0/ { printf("p13\n"); if (x) { printf("p13a\n"); } }
	BEGIN /x < 0 || 1/ { printf("p14\n"); }
	BEGIN /(x > 0 || 0) && (z || 1)/ { printf("p15\n"); }
	BEGIN /0 || x < 0/ { printf("p16\n"); }
	BEGIN { exit(0); }'
	assert_success
	assert_output $'if1\nelse2\nelse3\nif4\np1\np4\np5\np7\np8\np10\np11\np14\np16'
}

@test "arithmetic and compound assignment with constants keep D's types" {
	dq 'int x; BEGIN { x = -5;
		k = 7; k += 3; k -= 20; k *= -3; k &= 0x1c; k |= 1; k ^= 2;
		printf("%d ", k);
		k <<= 28; k >>= 29;
		m = x + 7 - 1; m = m * 3 & 0xff | 0x100 ^ 1; m = (m << 3) >> 1;
		m = -m >> 2;
		v = (unsigned int)0xfffffff0 + 0x20;
		w = (char)(x + 300);
		printf("%d %d %d %d %d %d\n", k, m, x / 2, x % 3, v, w);
		exit(0); }'
	assert_success
	assert_output "31 -1 -259 -2 -2 16 39"
}

@test "stores into narrow types truncate what does not fit and keep what does" {
	dq 'unsigned char uc; char ch; short sh; unsigned short us; int i;
	    unsigned int ui;
	BEGIN {
		uc = 300; ch = -1; sh = 70000; us = -1; i = 4294967297; ui = -2;
		printf("%d %d %d %d %d %d\n", uc, ch, sh, us, i, ui);
		uc = 255; ch = 127; sh = -32768; us = 65535; i = -2147483648;
		ui = 4294967295;
		printf("%d %d %d %d %d %d\n", uc, ch, sh, us, i, ui);
		uc = uc > 3; ch = !ch; i = ch || uc;
		printf("%d %d %d\n", uc, ch, i);
		exit(0);
	}'
	assert_success
	assert_output $'44 -1 4464 65535 1 4294967294\n255 127 -32768 65535 -2147483648 4294967295\n1 0 1'
}
