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

@test "struct and union declarations: C's layout, sizeof, offsetof, typedef, anonymous" {
	dq 'struct in { short x; int y; };
	    struct out { char tag; struct in pos; struct in *next; int arr[3]; };
	    union u { int i; unsigned char c[4]; long l; };
	    typedef struct out out_t;
	    typedef struct { short a, b; char n[3]; } pt_t;
	    BEGIN { printf("%d %d %d %d %d\n", sizeof (struct in),
			   sizeof (struct out), sizeof (union u), sizeof (out_t),
			   sizeof (pt_t));
		    printf("%d %d %d %d\n", offsetof(struct out, pos),
			   offsetof(struct out, next), offsetof(out_t, arr),
			   offsetof(pt_t, n));
		    exit(0); }'
	assert_success
	assert_output $'8 40 8 40 8\n4 16 24 4'
}

@test "a struct read through a pointer: copyin of what the workload wrote, cast to the struct" {
	dq 'struct rec { char a, b; short c; int d; };
	    syscall::write:entry /pid == $target/ {
		this->r = (struct rec *)copyin(arg1, sizeof (struct rec));
		printf("|%c%c %x %x %d|\n", this->r->a, this->r->b, this->r->c,
		       this->r->d, sizeof (*this->r)); }' -c "printf ABCDEFGH"
	assert_success
	assert_output "ABCDEFGH|AB 4443 48474645 8|"
}

@test "members written and read through this-> pointers: nested, arrays, unions, (*p).m" {
	dq 'struct in { short x; int y; };
	    struct out { char tag; struct in pos; struct in *next; int arr[3];
			 char name[8]; };
	    union u { int i; unsigned char c[4]; };
	    typedef struct out *outp;
	    BEGIN {
		this->o = (outp)alloca(sizeof (struct out));
		this->o->pos.y = 42; this->o->arr[2] = 7; this->o->tag = 65;
		this->o->name[0] = 104; this->o->name[1] = 105;
		this->o->next = (struct in *)this->o;
		(*this->o).pos.x = -3;
		this->u = (union u *)alloca(sizeof (union u));
		this->u->i = 0x01020304;
		printf("%d %d %c %s %d %d %d %d\n", this->o->pos.y,
		       this->o->arr[2], this->o->tag, this->o->name,
		       (*this->o).pos.x, this->o->next == (struct in *)this->o,
		       this->u->c[0], this->u->c[3]);
		exit(0); }'
	assert_success
	assert_output "42 7 A hi -3 1 4 1"
}

@test "struct declaration errors: unknown member, duplicate member, redefinition, incomplete member" {
	run -1 "$DTRACE" -x errtags -e -n 'struct a { int x; };
	    BEGIN { this->p = (struct a *)alloca(4); trace(this->p->y); }'
	[[ $output == *"[D_TYPE_MEMBER]"*"y is not a member of struct a"* ]] || fail "$output"
	run -1 "$DTRACE" -x errtags -e -n 'struct a { int x; char x; };'
	[[ $output == *"[D_DECL_IDRED]"*"identifier redeclared: x"* ]] || fail "$output"
	run -1 "$DTRACE" -x errtags -e -n 'struct a { int x; }; union a { int y; }; struct a { int y; };'
	[[ $output == *"[D_DECL_IDRED]"*"struct a redeclared"* ]] || fail "$output"
	run -1 "$DTRACE" -x errtags -e -n 'struct a { void v; };'
	[[ $output == *"[D_DECL_INCOMPLETE]"* ]] || fail "$output"
}
