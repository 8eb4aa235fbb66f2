#!/usr/bin/env bats
# D's types as dtrace-utils has them: integer arithmetic without C's
# promotion to int, struct and union declarations in programs, and print().

load helper
load dq

bats_require_minimum_version 1.5.0

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

@test "print(p): the object p points to with its type, zero members left out, as dtrace-utils shows it" {
	dq 'struct rec { int a; char b[5]; union { uint8_t c; uint64_t d; } u;
			 struct { void *e; uint64_t f; } s; bool g; int h; };
	    BEGIN { t = (struct rec *)alloca(sizeof (struct rec));
		    t->a = 1; t->b[0] = 116; t->b[1] = 101; t->u.d = 123456789;
		    t->s.e = (void *)0xffff9b7aca7e0000; t->g = 1;
		    print(t); exit(0); }'
	assert_success
	local i=$(printf '%44s' '')
	assert_output --regexp "^0x[0-9a-f]+ = \\*
$i\\(struct rec\\) \\{
$i \\.a = \\(int\\)1,
$i \\.b = \\(char \\[5\\]\\) \\[
$i  \\(char\\)'t',
$i  \\(char\\)'e',
$i \\],
$i \\.u = \\(union\\) \\{
$i  \\.c = \\(uint8_t\\)21,
$i  \\.d = \\(uint64_t\\)123456789,
$i \\},
$i \\.s = \\(struct\\) \\{
$i  \\.e = \\(void \\*\\)0xffff9b7aca7e0000,
$i \\},
$i \\.g = \\(bool\\)1,
$i\\}\$"
}

@test "print() of what a process wrote, read with copyin; print() of a non-pointer or a kernel struct is refused" {
	dq 'struct two { short x; short y; int z; };
	    syscall::write:entry /pid == $target/ {
		print((struct two *)copyin(arg1, sizeof (struct two))); }' -c "printf ABCDEFGH"
	assert_success
	local i=$(printf '%44s' '')
	assert_output --regexp "^ABCDEFGH0x[0-9a-f]+ = \\*
$i\\(struct two\\) \\{
$i \\.x = \\(short\\)16961,
$i \\.y = \\(short\\)17475,
$i \\.z = \\(int\\)1212630597,
$i\\}\$"
	run -1 "$DTRACE" -x errtags -e -n 'BEGIN { print(1); }'
	[[ $output == *"[D_PROTO_ARG]"*"print( ) argument #1 is incompatible with prototype: prototype: void *; argument: int"* ]] || fail "$output"
	run -1 "$DTRACE" -x errtags -e -n 'BEGIN { print(curthread); }'
	[[ $output == *"[D_PROTO_ARG]"*"not struct task_struct"* ]] || fail "$output"
}
