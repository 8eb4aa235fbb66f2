#!/usr/bin/env bats
# dtruss against real commands and tests/workloads/sysload.c, whose calls
# are known.  dtruss prints to stderr; the traced command's output is apart.

bats_require_minimum_version 1.5.0

load helper

DTRUSS=$BIN/dtruss

setup_file() {
	build_sysload
}

setup() {
	[[ -x $DTRUSS ]] || skip "dtruss is not built"
}

# Make the assertions look at what dtruss wrote (run --separate-stderr).
use_stderr() {
	output=$stderr
	lines=("${stderr_lines[@]}")
}

@test "dtruss --help names the options" {
	run "$DTRUSS" --help
	assert_success
	assert_output --partial "-t SYSCALL"
	assert_output --partial "-W NAME"
}

@test "dtruss needs a target" {
	run "$DTRUSS"
	assert_failure
	assert_output --partial "give one of -p PID, -n NAME"
}

@test "dtruss -t refuses an unknown syscall" {
	need_bpf
	run "$DTRUSS" -t nosuchcall true
	assert_failure 2
	assert_output --partial "unknown system call: nosuchcall"
}

@test "dtruss cat /nonexistent: the failed openat, quoted, Err#2, and cat's status" {
	need_bpf
	run --separate-stderr "$DTRUSS" cat /nonexistent
	assert_failure 1
	use_stderr
	assert_line --index 0 $'SYSCALL(args) \t\t = return'
	assert_line $'openat(0xFFFFFF9C, "/nonexistent\\0", 0x0, 0x0)\t\t = -1 Err#2'
	# traced from the exec: our own child's calls before it never show
	first=$(grep -v '^cat:' <<<"$stderr" | sed -n 2p)
	[[ $first =~ ^execve ]]
	assert_line --regexp '^execve\("/(usr/)?bin/cat\\0", 0x[0-9A-F]+, 0x[0-9A-F]+\)'$'\t\t'' = 0 0$'
	# what cat wrote to stderr, as escaped bytes
	assert_line --partial 'write(0x2, "cat: ", 0x5)'
	assert_line $'write(0x2, "\\n", 0x1)\t\t = 1 0'
}

@test "dtruss shows read's buffer as the bytes read, mmap's address in hex" {
	need_bpf
	printf 'a\tb\001c\n' >"$BATS_TEST_TMPDIR/f"
	run --separate-stderr "$DTRUSS" cat "$BATS_TEST_TMPDIR/f"
	assert_success
	use_stderr
	assert_line --regexp '^read\(0x[0-9A-F]+, "a\\tb\\001c\\n", 0x[0-9A-F]+\)'$'\t\t'' = 6 0$'
	assert_line --regexp '^mmap\(.*= 0x[0-9A-F]+ 0$'
}

@test "dtruss decodes alike with -e (arguments kept at the entry) and without (read at the return)" {
	need_bpf
	printf 'a\0b\n' >"$BATS_TEST_TMPDIR/f"
	for flags in "" -e; do
		run --separate-stderr "$DTRUSS" $flags cat "$BATS_TEST_TMPDIR/f" /nonexistent
		assert_failure 1
		use_stderr
		# -e: the elapsed time comes first
		pre=''
		[[ -z $flags ]] || pre=' *[0-9]+ '
		assert_line --regexp "^${pre}"'execve\("/(usr/)?bin/cat\\0", 0x[0-9A-F]+, 0x[0-9A-F]+\)'$'\t\t'' = 0 0$'
		assert_line --regexp "^${pre}"'openat\(0xFFFFFF9C, "[^"]*/f\\0", 0x0, 0x0\)'$'\t\t'' = [0-9]+ 0$'
		assert_line --regexp "^${pre}"'read\(0x[0-9A-F]+, "a\\0b\\n", 0x[0-9A-F]+\)'$'\t\t'' = 4 0$'
		assert_line --regexp "^${pre}"'write\(0x1, "a\\0b\\n", 0x4\)'$'\t\t'' = 4 0$'
		assert_line --regexp "^${pre}"'openat\(0xFFFFFF9C, "/nonexistent\\0", 0x0, 0x0\)'$'\t\t'' = -1 Err#2$'
	done
}

@test "dtruss shows both paths of a rename, with and without -e" {
	need_bpf
	touch "$BATS_TEST_TMPDIR/a"
	for flags in "" -e; do
		run --separate-stderr "$DTRUSS" $flags mv "$BATS_TEST_TMPDIR/a" "$BATS_TEST_TMPDIR/b"
		assert_success
		use_stderr
		assert_line --regexp 'rename(at2?)?\((0xFFFFFF9C, )?"[^"]*/a\\0", (0xFFFFFF9C, )?"[^"]*/b\\0"(, 0x[0-9A-F]+)?\)'$'\t\t'' = 0 0$'
		mv "$BATS_TEST_TMPDIR/b" "$BATS_TEST_TMPDIR/a"
	done
}

@test "dtruss 'cmd args' splits one word as a shell would" {
	need_bpf
	run --separate-stderr "$DTRUSS" -t openat "cat /nonexistent/a"
	assert_failure 1
	use_stderr
	assert_line --partial '"/nonexistent/a\0"'
}

@test "dtruss -f sh -c 'ls; ls' shows the children's calls" {
	need_bpf
	run --separate-stderr "$DTRUSS" -f sh -c 'ls /; ls /'
	assert_success
	use_stderr
	assert_line --index 0 $'PID/LWP    SYSCALL(args) \t\t = return'
	sh_pid=$(sed -n '2s/^ *\([0-9]*\)\/.*/\1/p' <<<"$output")
	# two ls processes, each with its exec and its directory reading
	run grep -E '^ *[0-9]+/[0-9]+:  execve\("/(usr/)?bin/ls\\0"' <<<"$stderr"
	assert_equal "${#lines[@]}" 2
	run grep -cE '^ *[0-9]+/[0-9]+:  getdents64\(0x[0-9A-F]+, .*= [1-9][0-9]* 0$' <<<"$stderr"
	assert_output 2
	run grep -cE "^ *$sh_pid/$sh_pid:  wait4\(" <<<"$stderr"
	[[ $output -ge 2 ]]
}

@test "dtruss without -f shows only the command itself" {
	need_bpf
	run --separate-stderr "$DTRUSS" sh -c 'ls /; ls /'
	assert_success
	refute_line --partial 'getdents64'
	run grep -c 'execve(' <<<"$stderr"
	assert_output 1
}

@test "dtruss -t getppid -c: 1000 calls, each printed and counted" {
	need_bpf
	run --separate-stderr "$DTRUSS" -t getppid -c "$SYSLOAD" 1000
	assert_success
	use_stderr
	run grep -cE '^getppid\(\)'$'\t\t'' = [0-9]+ 0$' <<<"$stderr"
	assert_output 1000
	use_stderr
	assert_line --regexp '^CALL +COUNT$'
	assert_line --regexp '^getppid +1000$'
}

@test "dtruss -c counts every syscall, table sorted ascending" {
	need_bpf
	run --separate-stderr "$DTRUSS" -c "$SYSLOAD" 1000 3
	assert_success
	table=$(sed -n '/^CALL /,$p' <<<"$stderr" | tail -n +2)
	run awk '{ print $2 }' <<<"$table"
	assert_equal "$(sort -n <<<"$output")" "$output"
	assert_line --index $((${#lines[@]} - 1)) 1000
	run grep -E '^openat +' <<<"$table"
	# the 3 failing opens of sysload plus the loader's
	count=$(awk '{ print $2 }' <<<"$output")
	[[ $count -ge 3 ]]
	# and the count agrees with the lines printed
	lines_printed=$(grep -c '^openat(' <<<"$stderr")
	assert_equal "$lines_printed" "$count"
}

@test "dtruss -d -e -o prints the RELATIVE ELAPSD CPU columns" {
	need_bpf
	run --separate-stderr "$DTRUSS" -d -e -o -t nanosleep "$SYSLOAD" 0 0 0 200
	assert_success
	use_stderr
	assert_line --index 0 $'RELATIVE  ELAPSD    CPU SYSCALL(args) \t\t = return'
	# a 200 ms sleep: about 200000 us elapsed, hardly any on CPU
	read -r rel elapsed cpu rest <<<"${lines[1]}"
	[[ $rest == nanosleep\(* ]]
	(( elapsed >= 195000 && elapsed < 1000000 ))
	(( cpu < 50000 ))
	(( rel >= elapsed ))
}

@test "dtruss -p traces a running process until it exits" {
	need_bpf
	sh -c 'sleep 0.5; for i in 1 2 3; do sleep 0.2; done' &
	pid=$!
	sleep 0.2
	run --separate-stderr timeout 10 "$DTRUSS" -p "$pid"
	assert_success
	use_stderr
	assert_line --regexp '^wait4\(0xFFFFFFFF, .*= [0-9]+ 0$'
	assert_line --regexp '^vfork\(\)|^clone'
	# the wait4 in flight when tracing began never prints: every
	# wait4 shown has its entry seen, so the first line is complete
	assert_line --index 0 $'SYSCALL(args) \t\t = return'
}

@test "dtruss -n traces processes by name until Ctrl-C" {
	need_bpf
	# a name of our own: other tests may run sysload at the same time
	cp "$SYSLOAD" "$BATS_TEST_TMPDIR/dtruss_nload"
	"$DTRUSS" -n dtruss_nload -t getppid 2>"$BATS_TEST_TMPDIR/out" &
	pid=$!
	sleep 1.5
	"$BATS_TEST_TMPDIR/dtruss_nload" 5
	sleep 0.5
	kill -INT "$pid"
	wait "$pid"
	run cat "$BATS_TEST_TMPDIR/out"
	assert_line --index 0 $'PID/LWP    SYSCALL(args) \t\t = return'
	run grep -cE '^ *[0-9]+/[0-9]+:  getppid\(\)' "$BATS_TEST_TMPDIR/out"
	assert_output 5
	run grep -vE '^ *[0-9]+/[0-9]+:  getppid\(\)|^PID/LWP' "$BATS_TEST_TMPDIR/out"
	assert_output ""
}

@test "dtruss -W waits for the process to start, traces it, ends when it exits" {
	need_bpf
	# a name of our own: other tests may run sysload at the same time
	cp "$SYSLOAD" "$BATS_TEST_TMPDIR/dtruss_wload"
	timeout 20 "$DTRUSS" -W dtruss_wload -t getppid 2>"$BATS_TEST_TMPDIR/out" &
	pid=$!
	sleep 1.5
	# not started yet: still waiting
	kill -0 "$pid"
	"$BATS_TEST_TMPDIR/dtruss_wload" 4
	# dtruss ends by itself once dtruss_wload has exited
	wait "$pid"
	run cat "$BATS_TEST_TMPDIR/out"
	assert_line --index 0 $'PID/LWP    SYSCALL(args) \t\t = return'
	run grep -cE '^ *[0-9]+/[0-9]+:  getppid\(\)'$'\t\t'' = [0-9]+ 0$' "$BATS_TEST_TMPDIR/out"
	assert_output 4
}

@test "dtruss shows the buffer of a read that moved no bytes as \"\"" {
	need_bpf
	run --separate-stderr "$DTRUSS" -t read cat /dev/null
	assert_success
	use_stderr
	assert_line --regexp '^read\(0x[0-9A-F]+, "", 0x[0-9A-F]+\)'$'\t\t'' = 0 0$'
}

@test "dtruss -L and -l switch the PID/LWP column" {
	need_bpf
	run --separate-stderr "$DTRUSS" -l -t getppid "$SYSLOAD" 1
	use_stderr
	assert_line --regexp '^ *[0-9]+/[0-9]+:  getppid\(\)'
	run --separate-stderr "$DTRUSS" -f -L -t getppid "$SYSLOAD" 1
	use_stderr
	assert_line --regexp '^getppid\(\)'
}

@test "dtruss agrees with strace -f on syscall names and return values" {
	need_bpf
	command -v strace >/dev/null || skip "strace not installed"
	run "$BATS_TEST_DIRNAME/dtruss_vs_strace.sh" "$DTRUSS"
	assert_success
	assert_line --partial "ls /: agree"
	assert_line --partial "cat /etc/passwd: agree"
	assert_line --partial "sh -c echo hi: agree"
	assert_line --partial "date: agree"
}

@test "dtruss cmd: a signal ignored when dtruss starts stays ignored in cmd" {
	need_bpf
	# a background job's SIGINT: the shell cannot undo it, so its own
	# SIGINT must not kill it, as without dtruss
	run --separate-stderr bash -c 'trap "" INT; exec "$1" sh -c "kill -INT \$\$; echo alive"' - "$DTRUSS"
	assert_success
	assert_output alive
	use_stderr
	assert_line --partial 'kill(0x'
}
