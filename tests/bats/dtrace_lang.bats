#!/usr/bin/env bats
# D as DTrace users write it: declarations wherever a program is given,
# variables that ++/-- create, the order a clause is checked in, string
# comparisons, and the language features real scripts use.  Each test runs
# a BEGIN program and checks what it printed.

load helper
load dq

bats_require_minimum_version 1.5.0

@test "-n takes declarations: inline, int, self int, this, and a bare storage class" {
	dq 'inline int LIM = 7; int g; self int s; this x; self y;
	    BEGIN { g = LIM; self->s = g + 1; this->x = 3; self->y = 4;
		    printf("%d %d %d %d\n", g, self->s, this->x, self->y); exit(0); }'
	assert_success
	assert_output "7 8 3 4"
	assert_equal "$stderr" ""
}

@test "self-> variables set to 0 go one by one: the others keep their values, and a new one starts from 0" {
	# one value holds all of a thread's scalar self-> variables; it is
	# freed when a 0 stored leaves every word of it 0, so zeroing the
	# first one must not lose the later ones
	dq 'self int a, b, c;
	    BEGIN { self->a = 1; self->b = 2; self->c = 3; self->a = 0;
		    printf("%d %d %d\n", self->a, self->b, self->c);
		    self->c = 0; printf("%d %d %d\n", self->a, self->b, self->c);
		    self->b = 0; self->a = 5; }
	    BEGIN { printf("%d %d %d\n", self->a, self->b, self->c); exit(0); }'
	assert_success
	assert_output "0 2 3
0 2 0
5 0 0"
}

@test "++ and -- create the variable they are applied to, from 0" {
	dq 'BEGIN { a = x++; b = ++y; c = this->t--; d = self->u++;
		    printf("%d %d %d %d %d %d %d\n", a, b, c, d, x, y, this->t);
		    exit(0); }'
	assert_success
	assert_output "0 1 0 0 1 1 -1"
}

@test "a subscript may create its index variable with ++" {
	dq 'BEGIN { p[i++] = "a"; p[i++] = "b"; p[i++] = "c";
		    printf("%d %s%s%s\n", i, p[0], p[1], p[2]); exit(0); }'
	assert_success
	assert_output "3 abc"
}

@test "a predicate may define what the actions read, and the reverse" {
	dq 'BEGIN /n++ == 0/ { printf("first %d\n", n); }
	    BEGIN /m == 0/ { printf("last %d\n", m++); }
	    BEGIN { printf("%d %d\n", n, m); exit(0); }'
	assert_success
	assert_output $'first 1\nlast 0\n1 1'
}

@test "a clause comparing many strings under ternaries loads" {
	dq 'BEGIN { a = "abc"; b = "abd"; c = "ab"; e = 0;
		e += a < b ? 0 : 1; e += a <= b ? 0 : 1; e += a == b ? 1 : 0;
		e += a != b ? 0 : 1; e += a > b ? 1 : 0; e += a >= b ? 1 : 0;
		e += c < a ? 0 : 1; e += c <= a ? 0 : 1; e += c == a ? 1 : 0;
		e += c != a ? 0 : 1; e += c > a ? 1 : 0; e += c >= a ? 1 : 0;
		e += b > c ? 0 : 1; e += b >= c ? 0 : 1; e += b == c ? 1 : 0;
		e += b != c ? 0 : 1; e += b < c ? 1 : 0; e += b <= c ? 1 : 0;
		e += a == a ? 0 : 1; e += a <= a ? 0 : 1; e += a < a ? 1 : 0;
		printf("errors %d\n", e); exit(0); }'
	assert_success
	assert_output "errors 0"
}

@test "a string function's result compared with NULL; NULL assigned to a string" {
	dq 'BEGIN { s = "foobar";
		printf("%d %d %d %d\n", strstr(s, "bar") != NULL,
		       strstr(s, "baz") != NULL, strchr(s, 120) == NULL,
		       NULL != strrchr(s, 111));
		s = NULL; printf("[%s] %d\n", s, s == NULL); exit(0); }'
	assert_success
	assert_output $'1 0 1 1\n[] 1'
}

@test "several strstr( ) and index( ) calls in one clause load" {
	dq 'BEGIN { s = "foobarbarbazbarbop";
		printf("%s|%s|%s|%s\n", strstr(s, "bar"), strstr(s, "baz"),
		       strstr(strstr(s, "baz"), strstr(s, "bop")), strstr(s, "barf"));
		printf("%d %d %d %d\n", index(s, "baz"), rindex(s, "bar"),
		       index(s, "x"), index(s, "bar", 4)); exit(0); }'
	assert_success
	assert_output $'barbarbazbarbop|bazbarbop|bop|\n9 12 -1 6'
}

@test "strtok: tokens, NULL to go on with new delimiters, NULL at the end" {
	dq 'BEGIN { x = "  alpha, beta;gamma delta";
		printf("[%s]", strtok(x, " ,;"));
		printf("[%s]", strtok(NULL, " ,;"));
		printf("[%s]", strtok(NULL, "d"));
		printf("[%s]", strtok(NULL, "x"));
		printf("[%d]\n", strtok(NULL, "x") == NULL);
		printf("[%s]\n", strtok("abc", "b")); exit(0); }'
	assert_success
	assert_output $'[alpha][beta][;gamma ][delta][1]\n[a]'
}

@test "signed / and % at run time as dtrace-utils; ul constants are 64-bit" {
	dq 'BEGIN { x = 19; y = 5;
		printf("%d %d %d %d %d %d %d %d\n", x / y, x % y, x / -y, x % -y,
		       -x / y, -x % y, -x / -y, -x % -y);
		n = 2147483648ul; printf("%d %d\n", n, sizeof (1ul)); exit(0); }'
	assert_success
	assert_output $'3 4 -3 -4 -3 -4 3 4\n2147483648 8'
}

@test "copyin( ) of a run-time size, stores into its buffer, a cast dereference" {
	run --separate-stderr "$DTRACE" -q -n 'syscall::write:entry /pid == $target/ {
		this->t = (char *)copyin(arg1, arg2);
		this->t[arg2 - 1] = 0; this->t[0] = 88;
		printf("[%s] %x\n", stringof(this->t), *(int *)copyin(arg1, 4)); }' \
		-c 'echo hello'
	assert_success
	assert_line "[Xello] 6c6c6568"
}

@test "copyin( ) of 7, 10, 13, 64, 65 and 100 bytes: every byte, zeros past a short one" {
	# up to 64 bytes are read through the stack, more straight into
	# scratch: each side of that edge, constant and run-time sizes, sizes
	# not a multiple of 8
	data=$(printf '%s' {a..j}{0..9} | cut -c1-100)	# 100 bytes, one write
	run --separate-stderr "$DTRACE" -q -n 'syscall::write:entry /pid == $target/ {
		this->a = (char *)copyin(arg1, 13);
		this->b = (char *)copyin(arg1, arg2 - 90);
		this->c = (char *)copyin(arg1, arg2 - 36);
		this->d = (char *)copyin(arg1, arg2 - 35);
		this->e = (char *)copyin(arg1, arg2);
		printf("\n%c%c %c%c%d %c%c%d %c%c %c%c\n", this->a[0], this->a[12],
		       this->b[0], this->b[9], this->b[10],
		       this->c[0], this->c[63], this->c[64],
		       this->d[0], this->d[64], this->e[0], this->e[99]);
		printf("[%s] [%s] [%s]\n", stringof(copyin(arg1, 7)),
		       stringof(copyin(arg1, arg2 - 35)), stringof(copyin(arg1, arg2))); }' \
		-c "printf %s $data"
	assert_success
	assert_line "a${data:12:1} a${data:9:1}0 a${data:63:1}0 a${data:64:1} a${data:99:1}"
	assert_line "[${data:0:7}] [${data:0:65}] [$data]"
}

@test "a store through a pointer outside the program's memory is a fault" {
	dq 'BEGIN { this->p = (char *)0x1000; this->p[0] = 1; printf("stored\n"); }
	    BEGIN { exit(0); }'
	assert_success
	refute_output --partial "stored"
	assert_equal "$(grep -c 'invalid address (0x1000)' <<<"$stderr")" 1
}

@test "thread-local associative arrays: self->a[k], declared or not, per thread" {
	dq 'self int d[string];
	    BEGIN { self->x[1, "a"] = 5; self->depth = 2; self->e[self->depth] = 7;
		    self->e[self->depth]++; self->d["k"] = 9;
		    printf("%d %d %d %d %d\n", self->x[1, "a"], self->x[2, "a"],
			   self->e[2], self->e[3], self->d["k"]);
		    self->e[2] = 0; printf("%d\n", self->e[2]); exit(0); }'
	assert_success
	assert_output $'5 0 8 0 9\n0'
}

@test "self->p[i] still subscripts a thread-local pointer" {
	run --separate-stderr "$DTRACE" -q -n 'syscall::write:entry /pid == $target/ {
		self->t = (char *)copyin(arg1, 4); printf("%c%c\n", self->t[0], self->t[1]); }' \
		-c 'echo hello'
	assert_success
	assert_line "he"
}

@test "declared arrays: int a[5] holds 5 ints; an index outside is a fault" {
	dq 'int a[5];
	    BEGIN { i = 0; a[i] = 12345678; a[4] = 3; a[4] += 2; a[1]++;
		    printf("%d %d %d %d\n", a[i], a[4], a[1], a[2]);
		    i = 5; a[i] = 1; printf("stored\n"); }
	    BEGIN { exit(0); }'
	assert_success
	assert_output "12345678 5 1 0"
	assert_equal "$(grep -c 'index out of bounds (5)' <<<"$stderr")" 1
}

@test "declared arrays: a constant index outside the bound is a compile error" {
	run "$DTRACE" -e -n 'int a[5]; BEGIN { a[5] = 1; }'
	assert_failure 1
	assert_output --partial "index outside array bounds: 5, max is 5"
}

@test "typedef and enum declarations: named types, enumerators as int constants" {
	dq 'typedef unsigned char u8_t; typedef int quad_t[4];
	    enum color { RED, GREEN = 5, BLUE }; enum { ONE = 1 }; enum color c;
	    BEGIN { x = (u8_t)257; c = BLUE;
		    printf("%d %d %d %d %d %d %d\n", x, RED, GREEN, BLUE, ONE, c,
			   sizeof (quad_t)); exit(0); }'
	assert_success
	assert_output "1 0 5 6 1 6 16"
}

@test "uregs[] with DTrace's R_* names: a write's registers at syscall entry" {
	[[ $(uname -m) == x86_64 ]] || skip "the register names checked are x86_64's"
	run --separate-stderr "$DTRACE" -q -n 'syscall::write:entry /pid == $target/ {
		printf("%d %d %d %d\n", uregs[R_RDI], uregs[R_RDX], uregs[R_ERR],
		       uregs[R_PC] == uregs[R_RIP] && uregs[R_RIP] != 0); }' \
		-c 'echo hi'
	assert_success
	assert_line "1 3 1 1"
}

@test "alloca( ): zeroed memory the clause may store into; too much is a fault" {
	dq 'BEGIN { this->p = (int *)alloca(16);
		    printf("%d %d ", this->p[0], this->p[3]);
		    this->p[3] = 42; *this->p = 7;
		    printf("%d %d\n", this->p[3], *this->p);
		    n = 100000; this->q = alloca(n); printf("allocated\n"); }
	    BEGIN { exit(0); }'
	assert_success
	assert_output "0 0 42 7"
	assert_equal "$(grep -c 'out of scratch space at BPF pc' <<<"$stderr")" 1
}
