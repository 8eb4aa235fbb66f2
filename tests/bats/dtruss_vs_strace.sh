#!/bin/bash
# dtruss_vs_strace.sh DTRUSS - do dtruss and strace -f see the same calls?
#
# For a few commands, the sequence of (syscall name, return value) of each
# process as dtruss prints it must equal strace -f's, after removing what
# tracing itself changes:
#   - exit_group never returns: strace prints it with "= ?", dtruss cannot;
#   - addresses (mmap, brk: ASLR) and pids/tids differ from run to run;
#   - strace's own notes (+++ exited +++, --- SIG ---) are not calls.
# Processes are matched by the order in which they first appear.  Prints
# "CMD: agree (N calls)" or the differences; exits 1 if any command differs.
set -u
DTRUSS=${1:?usage: dtruss_vs_strace.sh path/to/dtruss}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

normalize() {	# $1: dtruss|strace, stdin: its output
	python3 -c '
import errno, re, sys
kind = sys.argv[1]
varying = {"set_tid_address", "getpid", "getppid", "gettid", "clone",
           "clone3", "vfork", "fork", "wait4"}
order, seqs = [], {}
for line in sys.stdin:
    line = line.rstrip("\n")
    if kind == "dtruss":
        m = re.match(r"^\s*(\d+)/\d+:  (\w+)\(.*\)\t\t = (\S+) (\S+)$", line)
        if not m:
            continue
        pid, name, ret, err = m.groups()
        if err.startswith("Err#"):
            ret = "-1 " + errno.errorcode.get(int(err[4:]), err)
    else:
        m = re.match(r"^(\d+)\s+(\w+)\(.*\)\s+= (\S+)(?: (E[A-Z0-9]+))?", line)
        if not m:
            continue
        pid, name, ret, err = m.groups()
        if ret == "?":
            continue
        if err:
            ret = "-1 " + err
    if name == "exit_group":
        continue
    if ret.startswith("0x"):
        ret = "ADDR"
    elif name in varying and not ret.startswith("-1"):
        ret = "PID"
    if pid not in seqs:
        order.append(pid)
        seqs[pid] = []
    seqs[pid].append(name + " " + ret)
for i, pid in enumerate(order):
    for call in seqs[pid]:
        print("p%d %s" % (i, call))
' "$1"
}

rc=0
check() {	# a label, then the command
	local label=$1
	shift
	"$DTRUSS" -f "$@" 2>"$tmp/d.raw" >/dev/null </dev/null
	strace -f -qq -o "$tmp/s.raw" "$@" >/dev/null </dev/null
	normalize dtruss <"$tmp/d.raw" >"$tmp/d"
	normalize strace <"$tmp/s.raw" >"$tmp/s"
	if cmp -s "$tmp/d" "$tmp/s"; then
		echo "$label: agree ($(wc -l <"$tmp/d") calls)"
	else
		echo "$label: DIFFER (dtruss $(wc -l <"$tmp/d"), strace $(wc -l <"$tmp/s") calls)"
		diff "$tmp/d" "$tmp/s" | head -20
		rc=1
	fi
}

check "ls /" ls /
check "cat /etc/passwd" cat /etc/passwd
check "sh -c echo hi" sh -c 'echo hi'
check "date" date
exit $rc
