#!/usr/bin/env bats
# syscount against a workload that makes known system calls:
# tests/workloads/sysload.c (N getppid calls, M failing openat calls, a
# spin on the CPU and a sleep).

load helper

SYSCOUNT=$BIN/syscount

setup_file() {
	build_sysload
}

setup() {
	[[ -x $SYSCOUNT ]] || skip "syscount is not built"
}

# The COUNT column of the row for syscall (or pid) $1 in $output.
count_of() {
	awk -v k="$1" '$1 == k { print $2; exit }' <<<"$output"
}

@test "syscount --help names the libbpf-tools flags" {
	run "$SYSCOUNT" --help
	assert_success
	for f in --pid --interval --duration --top --cgroup --failures \
		--latency --milliseconds --process --errno --list --verbose; do
		assert_output --partial -- "$f"
	done
}

@test "syscount -l lists syscall names" {
	run "$SYSCOUNT" -l
	assert_success
	assert_line getppid
	assert_line openat
}

@test "syscount -e rejects an unknown errno name" {
	run "$SYSCOUNT" -e ENOTANERRNO true
	assert_failure
	assert_output --partial "invalid errno"
}

@test "syscount command: counts equal what the workload did" {
	need_bpf
	run "$SYSCOUNT" "$SYSLOAD" 1000 7
	assert_success
	assert_line --index 0 "Tracing syscalls, printing top 10... Ctrl+C to quit."
	assert_line --index 1 --regexp '^\[[0-9]{2}:[0-9]{2}:[0-9]{2}\]$'
	assert_line --index 2 "$(printf '%-22s %8s' SYSCALL COUNT)"
	assert_line --index 3 "$(printf '%-22s %8s' getppid 1000)"
	# 7 failing opens and the loader's own
	(($(count_of openat) >= 7))
}

@test "syscount sorts descending and -T limits the rows" {
	need_bpf
	run "$SYSCOUNT" -T 3 "$SYSLOAD" 1000 50
	assert_success
	assert_line --index 3 --regexp '^getppid +1000$'
	assert_line --index 4 --regexp '^openat +5[0-9]$'
	rows=$(grep -cE '^[a-z_0-9]+ +[0-9]+$' <<<"$output")
	[[ $rows == 3 ]]
}

@test "syscount -x counts only failed calls" {
	need_bpf
	run "$SYSCOUNT" -x "$SYSLOAD" 1000 7
	assert_success
	refute_line --regexp '^getppid '
	assert_line "$(printf '%-22s %8s' openat 7)"
}

@test "syscount -e ENOENT and -e 2 count the failing opens" {
	need_bpf
	run "$SYSCOUNT" -e ENOENT "$SYSLOAD" 10 13
	assert_success
	assert_line "$(printf '%-22s %8s' openat 13)"
	refute_line --regexp '^getppid '
	run "$SYSCOUNT" -e 2 "$SYSLOAD" 10 13
	assert_line "$(printf '%-22s %8s' openat 13)"
	# nothing fails with EPERM: no table at all
	run "$SYSCOUNT" -e EPERM "$SYSLOAD" 10 13
	assert_success
	refute_output --partial COUNT
}

@test "syscount -L adds a TIME (us) column, sorted by time; -m in ms" {
	need_bpf
	run "$SYSCOUNT" -L "$SYSLOAD" 1000 0 0 300
	assert_success
	assert_line --index 2 "$(printf '%-22s %8s %16s' SYSCALL COUNT 'TIME (us)')"
	# the 300 ms nanosleep leads
	assert_line --index 3 --regexp '^nanosleep +1 +3[0-9]{5}\.[0-9]{3}$'
	assert_line --regexp '^getppid +1000 +[0-9]+\.[0-9]{3}$'
	run "$SYSCOUNT" -L -m "$SYSLOAD" 10 0 0 300
	assert_line --index 2 "$(printf '%-22s %8s %16s' SYSCALL COUNT 'TIME (ms)')"
	assert_line --index 3 --regexp '^nanosleep +1 +3[0-9]{2}\.[0-9]{3}$'
}

@test "syscount -P counts by process" {
	need_bpf
	run "$SYSCOUNT" -P "$SYSLOAD" 1000 7
	assert_success
	assert_line --index 2 "$(printf '%-22s %8s' 'PID    COMM' COUNT)"
	assert_line --index 3 --regexp '^[0-9]+ +sysload +10[0-9]{2}$'
}

@test "syscount -p counts one running process" {
	need_bpf
	# a shell that keeps calling getppid-free builtins would be noisy:
	# trace a sysload started after a pause, by pid
	sh -c "sleep 1; exec '$SYSLOAD' 1000 3" &
	pid=$!
	run timeout 20 "$SYSCOUNT" -p "$pid"
	assert_success
	assert_line "$(printf '%-22s %8s' getppid 1000)"
	wait "$pid"
}

@test "syscount -d ends after the duration" {
	need_bpf
	start=$SECONDS
	run timeout 20 "$SYSCOUNT" -d 1
	assert_success
	((SECONDS - start < 5))
	assert_line --index 0 "Tracing syscalls, printing top 10... Ctrl+C to quit."
	assert_line --index 2 "$(printf '%-22s %8s' SYSCALL COUNT)"
}

@test "syscount -i prints each interval, and the intervals add up" {
	need_bpf
	# 1000 getppid, a 1.5 s spin, then (exec) 1000 more: two reports
	run "$SYSCOUNT" -i 1 "$SYSLOAD" 1000 0 1500 0 "$SYSLOAD" 1000
	assert_success
	stamps=$(grep -cE '^\[[0-9:]{8}\]$' <<<"$output")
	((stamps >= 2))
	total=$(awk '$1 == "getppid" { n += $2 } END { print n }' <<<"$output")
	[[ $total == 2000 ]]
}

@test "syscount -c counts the processes of a cgroup only" {
	need_bpf
	root=$(awk '$3 == "cgroup2" { print $2; exit }' /proc/mounts)
	[[ -n $root ]] || skip "no cgroup v2 hierarchy mounted"
	cg=$root/dtk-syscount-$$
	mkdir "$cg" 2>/dev/null || skip "cannot create a cgroup v2 group"
	sh -c "echo \$\$ > '$cg/cgroup.procs'; sleep 1; exec '$SYSLOAD' 1000" &
	pid=$!
	run timeout 20 "$SYSCOUNT" -c "$cg" -d 3
	wait "$pid"
	# the group empties a moment after its last process is reaped
	for _ in 1 2 3 4 5 6 7 8 9 10; do rmdir "$cg" 2>/dev/null && break; sleep 0.2; done
	assert_success
	assert_line "$(printf '%-22s %8s' getppid 1000)"
}

@test "syscount -c refuses a path that is not a cgroup v2 directory" {
	need_bpf
	run "$SYSCOUNT" -c /tmp -d 1
	assert_failure
	assert_output --partial "not a cgroup v2 directory"
}
