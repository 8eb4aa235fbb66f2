#!/usr/bin/env bats
# dtrace at run time, as root, against workloads whose system calls are
# known (tests/workloads/dt_*.c, compiled here into $BATS_FILE_TMPDIR):
# BEGIN/END and exit(), syscall entry/return with errno, each kind of
# variable, strings, printf conversions, the default output, the ERROR
# path, drops, -c/-p, signals and a closed stdout (nothing left in the
# kernel afterwards), and aggregations as printed at exit.

load helper
load dt_workloads

bats_require_minimum_version 1.5.0

# The probe ID of a probe description, as dtrace -l numbers it.
probe_id() {
	"$DTRACE" -l -n "$1" | awk 'NR == 2 { print $1 }'
}

# Wait until process $1 holds at least $2 BPF links (its probes are
# attached); fail after 10 seconds.
wait_attached() {
	local i
	for ((i = 0; i < 200; i++)); do
		(($(grep -hs '^link_id:' /proc/"$1"/fdinfo/* | wc -l) >= $2)) && return 0
		sleep 0.05
	done
	fail "pid $1 did not attach $2 probes in 10 s"
}

# The BPF objects process $1 holds, one "prog ID", "map ID" or "link ID" a
# line.
bpf_objects() {
	grep -hs -E '^(prog|map|link)_id:' /proc/"$1"/fdinfo/* |
		sed -E 's/^(prog|map|link)_id:[[:space:]]*/\1 /' | sort -u
}

# Fail if any object listed in file $1 (from bpf_objects) is still in the
# kernel 3 seconds on: bpftool must no longer find it by ID.  (The kernel
# frees programs and maps after an RCU grace period and from a work queue,
# so an object can outlive its last fd by a moment.)
assert_gone() {
	local kind id left i
	for ((i = 0; i < 30; i++)); do
		left=
		while read -r kind id; do
			bpftool "$kind" show id "$id" >/dev/null 2>&1 && left+=" $kind $id"
		done <"$1"
		[[ -z $left ]] && return 0
		sleep 0.1
	done
	fail "left in the kernel:$left"
}

# Wait up to $2 seconds for process $1 to end; fail if it does not.
wait_gone() {
	local i
	for ((i = 0; i < $2 * 20; i++)); do
		kill -0 "$1" 2>/dev/null || return 0
		sleep 0.05
	done
	fail "pid $1 still running after $2 s"
}

# --- BEGIN, END and exit() ------------------------------------------------

@test "BEGIN clauses run in order, then END; exit(0) exits 0" {
	run --separate-stderr "$DTRACE" -qn '
		END { printf("end\n"); }
		BEGIN { printf("begin 1\n"); }
		BEGIN { printf("begin 2\n"); exit(0); }'
	assert_success
	assert_output $'begin 1\nbegin 2\nend'
	assert_equal "$stderr" ""
}

@test "exit(3) makes dtrace exit 3, after END" {
	run --separate-stderr "$DTRACE" -qn 'BEGIN { exit(3); } END { printf("end\n"); }'
	assert_failure 3
	assert_output "end"
}

# --- syscall entry and return ---------------------------------------------

@test "syscall entry: exactly 1000 getppid calls of the -c target" {
	"$DTRACE" -qn 'syscall::getppid:entry /pid == $target/ { @ = count(); }' \
		-c "$W/dt_calls 1000" >"$OUT"
	expect_file "$OUT" <<-'EOF'

		             1000
	EOF
}

@test "printf of probefunc and execname in syscall:::entry: every line whole" {
	# probefunc travels as the syscall number, strings after it: a record
	# is cut after its last string, never inside a number
	"$DTRACE" -qn 'syscall:::entry /pid == $target/ {
		printf("%s %s\n", probefunc, execname); }' \
		-c "$W/dt_calls 300" >"$OUT"
	[ "$(grep -c '^getppid dt_calls$' "$OUT")" -eq 300 ]
	[ "$(grep -vc '^[a-z0-9_]* [a-z_]*$' "$OUT")" -eq 1 ]	# and the last blank
}

@test "syscall return: the value in arg0 and arg1, errno 0" {
	"$DTRACE" -qn 'syscall::write:return /pid == $target/ {
		printf("%d %d %d\n", arg0, arg1, errno); }' \
		-c "$W/dt_calls 0 5 17 0" >"$OUT"
	expect_file "$OUT" <<-'EOF'
		5 5 0
		17 17 0
		0 0 0

	EOF
}

@test "syscall return: a failed call is arg0 -1 and its errno, a large result is itself" {
	# dd skipping on a pipe: lseek fails with ESPIPE (29); seeking its
	# output 1 TiB on: lseek returns the offset (no -errno: errno 0)
	"$DTRACE" -qn 'syscall::lseek:return /progenyof($target)/ {
		printf("%d %d\n", arg0, errno); }' \
		-c "sh -c 'echo x | dd bs=1 skip=1 count=0 status=none;
			dd if=/dev/zero of=$W/sparse bs=1 seek=1099511627776 count=0 status=none'" \
		>"$OUT"
	grep -qx -- '-1 29' "$OUT"
	grep -qx '1099511627776 0' "$OUT"
	[ "$(grep -vcE '^(-1 29|0 0|1099511627776 0)?$' "$OUT")" -eq 0 ]
}

@test "stringof(copyin(p, n)) with n known at run time: n bytes, none for n < 0, at most the string's size" {
	"$DTRACE" -qn 'syscall::write:entry /pid == $target/ {
		printf("[%s] [%s] %d\n", stringof(copyin(arg1, arg2 - 1)),
		    stringof(copyin(arg1, arg2 - 100)),
		    strlen(stringof(copyin(arg1, arg2 + 100000)))); }' \
		-c "sh -c 'echo hello'" >"$OUT"
	# the 100006 bytes asked for are cut to strsize less one: they read
	# "hello\n" and whatever follows it, up to a NUL
	run grep -c '^\[hello\] \[\] [0-9]*$' "$OUT"
	assert_output 1
	n=$(sed -n 's/^\[hello\] \[\] \([0-9]*\)$/\1/p' "$OUT")
	[ "$n" -le 255 ]
}

@test "syscall return of a failed open: arg0 < 0 and errno 2 (ENOENT)" {
	touch "$W/present"
	"$DTRACE" -qn '
		syscall::openat:entry /pid == $target/ {
			self->path = copyinstr(arg1); self->in = 1; }
		syscall::openat:return /self->in/ {
			printf("%s neg=%d errno=%d\n", self->path, arg0 < 0, errno);
			self->in = 0; }' \
		-c "$W/dt_open $W/missing $W/present" >"$OUT"
	# the dynamic loader's own opens come first
	grep -F "$W/" "$OUT" >"$OUT.ours"
	expect_file "$OUT.ours" <<-EOF
		$W/missing neg=1 errno=2
		$W/present neg=0 errno=0
	EOF
}

# --- variables ------------------------------------------------------------

@test "self-> times each sleep from entry to return and is cleared after" {
	"$DTRACE" -qn '
		BEGIN { n = 0; cleared = 0; shortest = 0; }
		syscall::clock_nanosleep:entry /pid == $target/ { self->ts = timestamp; }
		syscall::clock_nanosleep:return /self->ts/ {
			this->ns = timestamp - self->ts;
			shortest = n == 0 || this->ns < shortest ? this->ns : shortest;
			n++;
			self->ts = 0; }
		syscall::write:entry /pid == $target && self->ts == 0/ { cleared++; }
		END { printf("%d sleeps, %d writes after, all >= 50ms: %d\n",
			n, cleared, shortest >= 50000000); }' \
		-c "$W/dt_ticker 3 50" >"$OUT"
	expect_file "$OUT" <<-'EOF'
		3 sleeps, 3 writes after, all >= 50ms: 1

	EOF
}

@test "this->, globals and an associative array keyed by string and int" {
	cat >"$BATS_TEST_TMPDIR/vars.d" <<-'EOF'
		int seen[string, int];
		syscall::write:entry /pid == $target/ {
			this->twice = arg2 * 2;
			seen[execname, arg2]++;
			total += this->twice;
		}
		END {
			printf("%d %d %d %d %d\n", seen["dt_calls", 10],
			    seen["dt_calls", 20], seen["dt_calls", 30],
			    seen["other", 10], total);
		}
	EOF
	"$DTRACE" -qs "$BATS_TEST_TMPDIR/vars.d" -c "$W/dt_calls 0 10 20 10" >"$OUT"
	expect_file "$OUT" <<-'EOF'
		2 1 0 0 80

	EOF
}

# --- strings --------------------------------------------------------------

@test "strings: copyinstr, execname == in a predicate, strlen, strjoin" {
	"$DTRACE" -qn '
		syscall::openat:entry /execname == "dt_open"/ {
			this->p = copyinstr(arg1);
			printf("%s %d %s\n", this->p, strlen(this->p),
			    strjoin(execname, strjoin(":", this->p))); }
		syscall::openat:entry /execname == "dt_openX"/ { printf("wrong\n"); }' \
		-c "$W/dt_open $W/abc" >"$OUT"
	grep -F "$W/abc" "$OUT" >"$OUT.ours"
	local len=$((${#W} + 4))
	expect_file "$OUT.ours" <<-EOF
		$W/abc $len dt_open:$W/abc
	EOF
}

# --- printf ---------------------------------------------------------------

@test "printf conversions, widths and flags" {
	"$DTRACE" -qn 'BEGIN {
		printf("%d|%i|%u|%o|%x|%X|%c|%s|%S|\n",
		    -5, 42, 7, 8, 255, 255, 65, "str", "a\tb\n");
		printf("[%5d][%-5d][%05d][%+d][%%][%p]\n", 42, 42, 42, 42, 0x1234);
		printf("[%10s][%-10s][%.2s][%x]\n", "ab", "ab", "abcdef", -1);
		printf("%x %d\n", (int64_t)-1, (char)300);
		exit(0); }' >"$OUT"
	expect_file "$OUT" <<-'EOF'
		-5|42|7|10|ff|FF|A|str|a\tb\n|
		[   42][42   ][00042][+42][%][1234]
		[        ab][ab        ][ab][ffffffff]
		ffffffffffffffff 44

	EOF
}

# --- default output -------------------------------------------------------

@test "without -q: the CPU/ID/FUNCTION:NAME header and a line a firing" {
	local id
	id=$(probe_id syscall::getppid:entry)
	run --separate-stderr "$DTRACE" -n \
		'syscall::getppid:entry /pid == $target/ { trace(execname); }' \
		-c "$W/dt_calls 2"
	assert_success
	assert_equal "${#lines[@]}" 3
	assert_equal "${lines[0]}" "CPU     ID                    FUNCTION:NAME"
	assert_line --index 1 --regexp "^ +[0-9]+ +$id +getppid:entry   dt_calls +\$"
	assert_line --index 2 --regexp "^ +[0-9]+ +$id +getppid:entry   dt_calls +\$"
	[[ $stderr =~ "dtrace: description 'syscall::getppid:entry"" "?"' matched 1 probe" ]] ||
		fail "no 'matched 1 probe' in: $stderr"
}

@test "-q: no header, no probe lines, no notices" {
	run --separate-stderr "$DTRACE" -qn \
		'syscall::getppid:entry /pid == $target/ { printf("%s\n", execname); }' \
		-c "$W/dt_calls 2"
	assert_success
	assert_output $'dt_calls\ndt_calls'
	assert_equal "$stderr" ""
}

# --- the ERROR path -------------------------------------------------------

@test "copyinstr(0x1): an error on stderr, then tracing goes on" {
	run --separate-stderr "$DTRACE" -qn '
		BEGIN { printf("%s\n", copyinstr(0x1)); }
		BEGIN { printf("after\n"); exit(0); }
		END { printf("end\n"); }'
	assert_success
	assert_output $'after\nend'
	[[ $stderr =~ "dtrace: error in dt_clause_0 for probe ID 1 (dtrace:::BEGIN): invalid address (0x1) at BPF pc "[0-9]+ ]] ||
		fail "unexpected stderr: $stderr"
}

@test "copyinstr(arg2) of a write's size: an error each time, returns still print" {
	local id
	id=$(probe_id syscall::write:entry)
	run --separate-stderr "$DTRACE" -qn '
		syscall::write:entry /pid == $target/ { printf("%s\n", copyinstr(arg2)); }
		syscall::write:return /pid == $target/ { printf("returned %d\n", arg0); }' \
		-c "$W/dt_calls 0 5 6"
	assert_success
	assert_output $'returned 5\nreturned 6'
	local re="dtrace: error in dt_clause_0 for probe ID $id \\(syscall::write:entry\\): invalid address \\(0x"
	assert_equal "${#stderr_lines[@]}" 2
	[[ ${stderr_lines[0]} =~ ${re}5\) && ${stderr_lines[1]} =~ ${re}6\) ]] ||
		fail "unexpected stderr: $stderr"
}

# --- drops ----------------------------------------------------------------

@test "a flood into a 4k buffer: drops are reported per CPU" {
	run --separate-stderr "$DTRACE" -x bufsize=4k -qn \
		'syscall::getppid:entry /pid == $target/ {
			printf("%d %d %d %d\n", arg0, arg1, timestamp, walltimestamp); }' \
		-c "$W/dt_spin 1"
	assert_success
	[[ $stderr =~ dtrace:\ [0-9]+\ drops\ on\ CPU\ [0-9]+ ]] ||
		fail "no drops reported: $stderr"
}

# --- -c and -p ------------------------------------------------------------

@test "-c: \$target is the command's pid; its end ends tracing with status 0" {
	run --separate-stderr "$DTRACE" -n 'BEGIN { printf("target %d\n", $target); }' \
		-c "$W/dt_calls 10"
	assert_success
	local pid
	pid=$(sed -n 's/.*target \([0-9]*\)$/\1/p' <<<"$output")
	[[ -n $pid ]] || fail "no target line in: $output"
	[[ $stderr == *"dtrace: pid $pid has exited"* ]] || fail "unexpected stderr: $stderr"
}

@test "-c: a failing command still ends dtrace with status 0, reported" {
	run --separate-stderr "$DTRACE" -n 'BEGIN { printf("target %d\n", $target); }' \
		-c "sh -c 'exit 3'"
	assert_success
	local pid
	pid=$(sed -n 's/.*target \([0-9]*\)$/\1/p' <<<"$output")
	[[ $stderr == *"dtrace: pid $pid exited with status 3"* ]] ||
		fail "unexpected stderr: $stderr"
}

@test "-c: a command killed by a signal: dtrace says which, exits 0" {
	run --separate-stderr "$DTRACE" -n 'BEGIN { printf("target %d\n", $target); }' \
		-c "sh -c 'kill -KILL \$\$'"
	assert_success
	local pid
	pid=$(sed -n 's/.*target \([0-9]*\)$/\1/p' <<<"$output")
	[[ $stderr == *"dtrace: pid $pid terminated by SIGKILL"* ]] ||
		fail "unexpected stderr: $stderr"
}

@test "-p: a running loop is traced from the grab on without a gap, until it exits" {
	"$W/dt_ticker" 20 100 &
	local tpid=$!
	sleep 0.3
	run --separate-stderr "$DTRACE" -n '
		BEGIN { first = 0; n = 0; last = 0; }
		syscall::write:entry /pid == $target && first == 0/ { first = arg2; }
		syscall::write:entry /pid == $target/ { n++; last = arg2; }
		END { printf("%d %d %d\n", first, n, last); }' -p "$tpid"
	wait "$tpid"
	assert_success
	local first n last
	# the END line: "CPU ID :END FIRST N LAST"
	read -r first n last < <(awk 'END { print $(NF - 2), $(NF - 1), $NF }' <<<"$output")
	assert_equal "$last" 20
	assert_equal "$n" $((last - first + 1))
	((first > 1)) || fail "the grab saw the loop from its start: $output"
	[[ $stderr == *"dtrace: pid $tpid has exited"* ]] || fail "unexpected stderr: $stderr"
}

# --- ending: signals and a closed stdout ----------------------------------

# Start dtrace on a counting program in the background, wait for it to
# attach, note its BPF objects, run dt_calls 10 and send signal $1: END runs,
# dtrace exits 0 and nothing of it stays in the kernel.
end_by_signal() {
	"$DTRACE" -qn '
		BEGIN { n = 0; }
		syscall::getppid:entry /execname == "dt_calls"/ { n++; }
		END { printf("end %d\n", n); }' >"$OUT" 2>"$ERR" &
	local dpid=$! status=0
	wait_attached "$dpid" 1
	bpf_objects "$dpid" >"$BATS_TEST_TMPDIR/objects"
	grep -q '^prog ' "$BATS_TEST_TMPDIR/objects" || fail "no programs seen"
	"$W/dt_calls" 10
	kill "-$1" "$dpid"
	wait "$dpid" || status=$?
	assert_equal "$status" 0
	# the newline dtrace prints on the interrupt, END's line, the newline
	# when tracing stops
	printf '\nend 10\n\n' | expect_file "$OUT"
	assert_gone "$BATS_TEST_TMPDIR/objects"
}

@test "SIGINT ends tracing: END runs, nothing is left in the kernel" {
	end_by_signal INT
}

@test "SIGTERM ends tracing: END runs, nothing is left in the kernel" {
	end_by_signal TERM
}

@test "dtrace | head -1 ends promptly, nothing is left in the kernel" {
	local fifo=$BATS_TEST_TMPDIR/fifo
	mkfifo "$fifo"
	head -1 <"$fifo" >"$OUT" &
	local hpid=$!
	"$DTRACE" -qn 'BEGIN { n = 0; } syscall::getppid:entry /execname == "dt_spin"/ {
		printf("line %d\n", n++); }' >"$fifo" 2>"$ERR" &
	local dpid=$!
	wait_attached "$dpid" 1
	bpf_objects "$dpid" >"$BATS_TEST_TMPDIR/objects"
	"$W/dt_spin" 6 &
	local spid=$!
	wait "$hpid"
	wait_gone "$dpid" 5
	kill "$spid" 2>/dev/null || true
	wait "$spid" || true
	expect_file "$OUT" <<-'EOF'
		line 0
	EOF
	assert_gone "$BATS_TEST_TMPDIR/objects"
}

# --- aggregations ---------------------------------------------------------

@test "count, sum, avg, min and max of known write sizes" {
	"$DTRACE" -qn 'syscall::write:entry /pid == $target/ {
		@c = count(); @s = sum(arg2); @a = avg(arg2);
		@mi = min(arg2); @ma = max(arg2); }' \
		-c "$W/dt_calls 0 1 2 3 8 100" >"$OUT"
	expect_file "$OUT" <<-'EOF'

		                5
		              114
		               22
		                1
		              100
	EOF
}

@test "quantize: power-of-two buckets at exit" {
	"$DTRACE" -qn 'syscall::write:entry /pid == $target/ { @q = quantize(arg2); }' \
		-c "$W/dt_calls 0 1 2 3 8 100" >"$OUT"
	expect_file "$OUT" <<-'EOF'


		           value  ------------- Distribution ------------- count    
		               0 |                                         0        
		               1 |@@@@@@@@                                 1        
		               2 |@@@@@@@@@@@@@@@@                         2        
		               4 |                                         0        
		               8 |@@@@@@@@                                 1        
		              16 |                                         0        
		              32 |                                         0        
		              64 |@@@@@@@@                                 1        
		             128 |                                         0        

	EOF
}

@test "lquantize keyed by execname: linear buckets, under and over" {
	"$DTRACE" -qn 'syscall::write:entry /pid == $target/ {
		@l[execname] = lquantize(arg2, 0, 10, 2); }' \
		-c "$W/dt_calls 0 1 2 3 8 100" >"$OUT"
	expect_file "$OUT" <<-'EOF'

		  dt_calls                                          
		           value  ------------- Distribution ------------- count    
		             < 0 |                                         0        
		               0 |@@@@@@@@                                 1        
		               2 |@@@@@@@@@@@@@@@@                         2        
		               4 |                                         0        
		               6 |                                         0        
		               8 |@@@@@@@@                                 1        
		           >= 10 |@@@@@@@@                                 1        

	EOF
}

@test "keys by probefunc: sorted by value at exit" {
	"$DTRACE" -qn 'syscall::getppid:entry,syscall::write:entry
		/pid == $target/ { @[probefunc] = count(); }' \
		-c "$W/dt_calls 7 10 20" >"$OUT"
	expect_file "$OUT" <<-'EOF'

		  write                                                             2
		  getppid                                                           7
	EOF
}

@test "printa with a format, keys by execname and probefunc" {
	"$DTRACE" -qn '
		syscall::getppid:entry,syscall::write:entry /pid == $target/ {
			@c[execname, probefunc] = count(); }
		syscall::write:entry /pid == $target/ {
			@w[execname] = sum(arg2); @s[execname] = sum(arg2 * 2); }
		END {
			printa("%s %s %@d\n", @c);
			printa("%-10s|%@8d|\n", @w);
		}' \
		-c "$W/dt_calls 3 10 20" >"$OUT"
	expect_file "$OUT" <<-'EOF'
		dt_calls write 2
		dt_calls getppid 3
		dt_calls  |      30|

		  dt_calls                                                         60
	EOF
}
