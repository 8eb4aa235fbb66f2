#!/usr/bin/env bats
# execsnoop against real workloads: execburst runs /bin/true TOKEN I many
# times as fast as it can (tests/workloads/execburst.c).  Lines are counted
# by a token unique to the test, since other runs may exec at the same time.

load helper
load snoop

setup_file() {
	build_workload execburst
}

setup() {
	[[ -x $BIN/execsnoop ]] || skip "execsnoop is not built"
	TOKEN=tok$$x$RANDOM
}

@test "execsnoop --help lists the flags" {
	run "$BIN/execsnoop" --help
	assert_success
	assert_output --partial "-c COMMAND"
	assert_output --partial "-e "
}

@test "execsnoop prints every exec of a burst of 5000, or counts its drops" {
	need_bpf
	snoop_start execsnoop
	"$BATS_FILE_TMPDIR/execburst" 5000 "$TOKEN"
	snoop_stop
	run head -n 1 "$SNOOP_OUT"
	assert_output "  UID    PID   PPID ARGS"
	local seen drops
	seen=$(grep -c "/bin/true $TOKEN " "$SNOOP_OUT")
	drops=$(sed -n 's/.* \([0-9]*\) drops\{0,1\} on CPU.*/\1/p' "$SNOOP_ERR" |
		awk '{ n += $1 } END { print n + 0 }')
	if ((drops == 0)); then
		((seen == 5000)) || { echo "saw $seen of 5000, no drops reported"; false; }
	else
		((seen + drops >= 5000)) || { echo "saw $seen, $drops drops"; false; }
	fi
	# each one once, in order
	run bash -c "grep -o '/bin/true $TOKEN [0-9]*\$' '$SNOOP_OUT' | awk '{print \$3}' | sort -n | uniq | wc -l"
	assert_output "$seen"
}

@test "execsnoop sees execveat (fexecve) too" {
	need_bpf
	snoop_start execsnoop
	"$BATS_FILE_TMPDIR/execburst" 3 "$TOKEN" execveat
	snoop_stop
	run grep -c "/bin/true $TOKEN [0-2]\$" "$SNOOP_OUT"
	assert_output "3"
	run grep "/bin/true $TOKEN 0\$" "$SNOOP_OUT"
	assert_output --regexp '^ +[0-9]+ +[0-9]+ +[0-9]+ /bin/true '
}

@test "execsnoop shows arguments with spaces, quotes, newlines and escapes safely" {
	need_bpf
	snoop_start execsnoop
	/bin/echo "$TOKEN" 'a b' '"q"' $'x\ny' $'\033[31mred' 'typed\033' >/dev/null
	snoop_stop
	# one exec, one line (a newline in an argument cannot forge a line), and
	# a typed backslash is doubled so that it never reads as an escape
	run grep "/bin/echo $TOKEN" "$SNOOP_OUT"
	assert_output --partial "/bin/echo $TOKEN a b \"q\" x\\ny \\033[31mred typed\\\\033"
	run grep -c $'\033' "$SNOOP_OUT"
	assert_output "0"
}

@test "execsnoop -e keeps one exec on one line" {
	need_bpf
	snoop_start execsnoop -e
	/bin/echo "$TOKEN" 'a b' $'x\ny' $'\033[31mred' >/dev/null
	snoop_stop
	run grep "/bin/echo $TOKEN" "$SNOOP_OUT"
	assert_output --regexp "/bin/echo $TOKEN a b x\\\\ny \\\\033\\[31mred\$"
}

@test "execsnoop keeps 1 KiB of arguments and marks a cut with ..." {
	need_bpf
	local long
	long=$(printf '%*s' 3000 '' | tr ' ' y)
	snoop_start execsnoop
	/bin/true "$TOKEN" "$long"
	/bin/true "$TOKEN" short
	snoop_stop
	run grep "/bin/true $TOKEN y" "$SNOOP_OUT"
	assert_output --regexp 'y\.\.\.$'
	local args=${output#*/bin/true}
	((${#args} >= 1024))
	run grep "/bin/true $TOKEN short" "$SNOOP_OUT"
	assert_output --regexp "short\$"
}

@test "execsnoop -c traces one command name" {
	need_bpf
	snoop_start execsnoop -c echo
	/bin/true "$TOKEN"
	/bin/echo "$TOKEN" >/dev/null
	snoop_stop
	run grep -c "$TOKEN" "$SNOOP_OUT"
	assert_output "1"
	run awk 'NR > 1 && $4 !~ /echo$/' "$SNOOP_OUT"
	assert_output ""
}

@test "execsnoop -A and -a lay out every column" {
	need_bpf
	snoop_start execsnoop -A
	/bin/true "$TOKEN"
	snoop_stop
	run head -n 1 "$SNOOP_OUT"
	assert_output "TIME ZONE PROJ UID PID PPID COMM ARGS"
	run grep "$TOKEN" "$SNOOP_OUT"
	assert_output --regexp "^[0-9]+ global 0 [0-9]+ [0-9]+ [0-9]+ true /bin/true $TOKEN\$"

	snoop_start execsnoop -a
	/bin/true "$TOKEN"
	snoop_stop
	run head -n 1 "$SNOOP_OUT"
	assert_output --regexp '^TIME +STRTIME +ZONE +PROJ +UID +PID +PPID ARGS$'
	run grep "$TOKEN" "$SNOOP_OUT"
	assert_output --regexp "^[0-9]+ +$(date +%Y) [A-Z][a-z]{2} [ 0-9][0-9] [0-9:]{8} +global +0 +"
}
