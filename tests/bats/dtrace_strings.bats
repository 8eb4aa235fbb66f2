#!/usr/bin/env bats
# D's strings as dtrace-utils has them: strsize counts the characters, not
# the NUL; a literal longer than strsize is cut where it is stored; s + i
# moves a string as a char * would; -x rawbytes shows a string's whole
# buffer; a null pointer given as a string faults when it is read.

load helper
load dq

bats_require_minimum_version 1.5.0

@test "strsize=N holds N characters; a longer literal is cut to them" {
	dq 'BEGIN { x = "1234567890"; y = "123456"; this->t = "abcdefgh";
		    printf("%s|%s|%s|%d\n", x, y, this->t, strlen(x)); exit(0); }' \
		-x strsize=6
	assert_success
	assert_output "123456|123456|abcdef|6"
	# the default is 256 characters: a 256-character literal is whole
	long=$(printf 'x%.0s' {1..255})Z
	dq "BEGIN { s = \"$long\"; printf(\"%d %s\\n\", strlen(s), substr(s, 250)); exit(0); }"
	assert_success
	assert_output "256 xxxxxZ"
}

@test "a string plus an integer is the string from that character on" {
	dq 'BEGIN { g = "abcdef"; self->t = "xy"; a[1] = "hello";
		    printf("%s %s %s [%s] %s [%s]\n", g + 1, 2 + g, a[1] + 4,
			   self->t + 2, g + 0, g + 100); exit(0); }'
	assert_success
	assert_output "bcdef cdef o [] abcdef []"
}

@test "-x rawbytes: trace() shows a string's buffer, NULs to strsize + 1, and an int's bytes" {
	dq 'BEGIN { s = "abcdefgh"; trace(s); s = "12"; trace(s);
		    trace((short)0x4142); exit(0); }' -x rawbytes -x strsize=6
	assert_success
	assert_output "
             0  1  2  3  4  5  6  7  8  9  a  b  c  d  e  f  0123456789abcdef
         0: 61 62 63 64 65 66 00                             abcdef.

             0  1  2  3  4  5  6  7  8  9  a  b  c  d  e  f  0123456789abcdef
         0: 31 32 00 00 00 00 00                             12.....

             0  1  2  3  4  5  6  7  8  9  a  b  c  d  e  f  0123456789abcdef
         0: 42 41                                            BA"
}

@test "strlen(0) and substr(NULL, 1) fault on address 0 at run time, and ERROR sees it" {
	dq 'BEGIN { trace(strlen(0)); exit(0); }
	    ERROR { printf("fault %d at %d\n", arg4, arg5); exit(3); }'
	assert_failure 3
	assert_output "fault 1 at 0"
	[[ $stderr == *"invalid address (0x0)"* ]] || fail "stderr: $stderr"
	dq 'BEGIN { trace(substr(NULL, 1)); exit(0); } ERROR { exit(3); }'
	assert_failure 3
	# a non-zero integer is no string
	run -1 "$DTRACE" -e -n 'BEGIN { trace(strlen(1)); }'
	[[ $output == *"strlen( ) argument #1 is incompatible with prototype"* ]] || fail "$output"
}

@test "tracemem(addr, size [, dsize]): the bytes as DTrace dumps them, dsize capping what is shown" {
	dq 'syscall::write:entry /pid == $target/ {
		this->p = copyin(arg1, 20);
		tracemem(this->p, 20); tracemem(this->p, 20, 3);
		tracemem(this->p, 4, arg2 - 1000); }' -c "printf 0123456789ABCDEFGHIJ"
	assert_success
	assert_output "0123456789ABCDEFGHIJ
             0  1  2  3  4  5  6  7  8  9  a  b  c  d  e  f  0123456789abcdef
         0: 30 31 32 33 34 35 36 37 38 39 41 42 43 44 45 46  0123456789ABCDEF
        10: 47 48 49 4a                                      GHIJ

             0  1  2  3  4  5  6  7  8  9  a  b  c  d  e  f  0123456789abcdef
         0: 30 31 32                                         012

             0  1  2  3  4  5  6  7  8  9  a  b  c  d  e  f  0123456789abcdef
         0: 30 31 32 33                                      0123"
}

@test "tracemem: an unreadable address faults; its size must be a positive constant" {
	dq 'BEGIN { tracemem(0, 8); exit(0); } ERROR { printf("fault %d\n", arg4); exit(3); }'
	assert_failure 3
	assert_output "fault 1"
	run -1 "$DTRACE" -x errtags -e -n 'BEGIN { tracemem(0, 0); }'
	[[ $output == *"[D_TRACEMEM_SIZE]"*"must be a non-zero positive integral constant expression"* ]] || fail "$output"
	run -1 "$DTRACE" -x errtags -e -n 'BEGIN { tracemem(0, arg0); }'
	[[ $output == *"[D_TRACEMEM_SIZE]"* ]] || fail "$output"
	run -1 "$DTRACE" -x errtags -e -n 'BEGIN { tracemem("a", 1); }'
	[[ $output == *"[D_TRACEMEM_ADDR]"*"prototype: pointer or integer; argument: string"* ]] || fail "$output"
}
