#!/usr/bin/env bats
# dtrace's run-time conventions where DTrace's own behaviour is the
# reference (dtrace-utils): what exit() stops, how a fault is reported and
# what it drops, and the options that tune the consumer.

load helper
load dt_workloads

bats_require_minimum_version 1.5.0

# --- exit() ----------------------------------------------------------------

@test "exit() in BEGIN: the later BEGIN clauses do not run, END does" {
	run --separate-stderr "$DTRACE" -qn '
		int x;
		BEGIN { exit(0); }
		BEGIN { x++; printf("not here\n"); }
		END { printf("end x=%d\n", x); exit(x + 3); }'
	# as in DTrace, the last exit() gives the status: END's
	assert_failure 3
	assert_output "end x=0"
}

@test "exit() inside if: the clauses after it run only when it did not" {
	run --separate-stderr "$DTRACE" -qn '
		int x;
		BEGIN { x = 1; }
		BEGIN { if (x == 1) { exit(4); } }
		BEGIN { x++; }
		END { printf("end x=%d\n", x); }'
	assert_failure 4
	assert_output "end x=1"
	run --separate-stderr "$DTRACE" -qn '
		int x;
		BEGIN { if (x == 1) { exit(4); } }
		BEGIN { x = 5; }
		BEGIN { exit(x); }
		END { printf("end x=%d\n", x); }'
	assert_failure 5
	assert_output "end x=5"
}

@test "exit() under a predicate: the clauses after it run when it is false" {
	run --separate-stderr "$DTRACE" -qn '
		int x;
		BEGIN /x == 1/ { exit(6); }
		BEGIN { x = 7; }
		BEGIN /x == 7/ { exit(x); }
		BEGIN { x = 8; }
		END { printf("end x=%d\n", x); }'
	assert_failure 7
	assert_output "end x=7"
}

@test "exit() from a probe: no later firing prints, END still does" {
	run --separate-stderr "$DTRACE" -n '
		syscall::getppid:entry /pid == $target/ { exit(0); }
		END { }' -c "$W/dt_calls 20000"
	assert_success
	[[ $(grep -c 'getppid:entry' <<<"$output") == 1 ]] ||
		fail "not one getppid:entry line: $output"
	assert_line --partial ':END'
}

# --- faults -----------------------------------------------------------------

@test "a fault is told as dtrace-utils tells it: clause, probe, fault, BPF pc" {
	run --separate-stderr "$DTRACE" -qn '
		BEGIN { x = 1; }
		BEGIN { trace(*(int *)x); }
		BEGIN { exit(0); }'
	assert_success
	[[ $stderr =~ ^"dtrace: error in dt_clause_1 for probe ID 1 (dtrace:::BEGIN): invalid address (0x1) at BPF pc "[0-9]+$ ]] ||
		fail "unexpected stderr: $stderr"
	run --separate-stderr "$DTRACE" -qn '
		BEGIN { y = 0; x = 1 / y; }
		BEGIN { exit(0); }'
	assert_success
	[[ $stderr =~ ^"dtrace: error in dt_clause_0 for probe ID 1 (dtrace:::BEGIN): divide-by-zero at BPF pc "[0-9]+$ ]] ||
		fail "unexpected stderr: $stderr"
}

@test "ERROR: arg3 is the BPF pc the message gives; it prints though BEGIN exited" {
	run --separate-stderr "$DTRACE" -qn '
		ERROR { printf("ERROR arg3=%d arg4=%d\n", arg3, arg4); }
		BEGIN { trace(*(char *)NULL); }
		BEGIN { exit(0); }'
	assert_success
	local pc
	pc=$(sed -n 's/.* at BPF pc \([0-9]*\)$/\1/p' <<<"$stderr")
	[[ -n $pc ]] || fail "no BPF pc in: $stderr"
	# arg4: DTRACEFLT_BADADDR
	assert_output "ERROR arg3=$pc arg4=1"
}

# --- options -----------------------------------------------------------------

@test "-x dynvarsize takes a size as small as DTrace does" {
	run --separate-stderr "$DTRACE" -x dynvarsize=20 -qn '
		BEGIN { a[1] = 1; a[2] = 0; a[3] = 0; printf("%d %d %d\n", a[1], a[2], a[3]); exit(0); }
		ERROR { exit(1); }'
	assert_success
	assert_output "1 0 0"
}

@test "-x cleanrate and dynvarrate are refused, statusrate is a rate" {
	run "$DTRACE" -x cleanrate=50hz -e -n BEGIN
	assert_failure 1
	assert_output "dtrace: failed to set -x cleanrate: option cleanrate is not implemented by dtk: a BPF hash map frees a dynamic variable when it is set to 0: there is nothing to clean"
	run "$DTRACE" -x dynvarrate=50hz -e -n BEGIN
	assert_failure 1
	assert_output "dtrace: failed to set -x dynvarrate: Invalid option name"
	run "$DTRACE" -x statusrate=often -e -n BEGIN
	assert_failure 1
	assert_output "dtrace: failed to set -x statusrate: Invalid value for specified option"
	run "$DTRACE" -x statusrate=10hz -e -n BEGIN
	assert_success
}

@test "-x statusrate: drops are told while tracing, at that rate" {
	# a flood into a 4k buffer for about 2 s; with statusrate=1h the drops
	# are told once, at the end; at the default 1 s, also before
	run --separate-stderr "$DTRACE" -x bufsize=4k -x statusrate=1h -qn '
		syscall::getppid:entry /pid == $target/ { printf("%d %d\n", arg0, timestamp); }' \
		-c "$W/dt_spin 2"
	assert_success
	[[ $(grep -c 'drops on CPU' <<<"$stderr") -le $(nproc) ]] ||
		fail "drops told more than once a CPU: $stderr"
	run --separate-stderr "$DTRACE" -x bufsize=4k -x statusrate=100ms -qn '
		syscall::getppid:entry /pid == $target/ { printf("%d %d\n", arg0, timestamp); }' \
		-c "$W/dt_spin 2"
	assert_success
	[[ $(grep -c 'drops on CPU' <<<"$stderr") -gt 1 ]] ||
		fail "drops told once only: $stderr"
}

@test "-x pspec on the command line: every program item is a probe description" {
	printf 'int*x\n' >"$BATS_TEST_TMPDIR/p.d"
	run "$DTRACE" -x pspec -e -s "$BATS_TEST_TMPDIR/p.d"
	assert_failure 1
	assert_output "dtrace: failed to compile script $BATS_TEST_TMPDIR/p.d: line 1: expected predicate and/or actions following probe description"
	run "$DTRACE" -e -s "$BATS_TEST_TMPDIR/p.d"
	assert_failure 1
	assert_output --partial "syntax error"
}

@test "a fault drops the probe line its firing opened, and what it traced there" {
	run --separate-stderr "$DTRACE" -n '
		BEGIN { trace(1); x = *(int *)8; trace(2); }
		BEGIN { trace(3); }
		BEGIN { y = *(int *)16; }
		BEGIN { exit(0); }'
	assert_success
	# the firing's CPU and ID columns, then the probe: the faulting
	# clause's line is gone; the one that traces nothing had none
	[[ $(sed -E 's/^ +[0-9]+ +[0-9]+ +//' <<<"$output") == $'CPU     ID                    FUNCTION:NAME\n:BEGIN           3\n:BEGIN ' ]] ||
		fail "unexpected output: $output"
	[[ $(grep -c '^dtrace: error in dt_clause_' <<<"$stderr") == 2 ]] ||
		fail "not two faults told: $stderr"
}
