#!/usr/bin/env bats
# The dtrace front end's command line: help, version, usage errors, probe
# listing and compile errors.  None of these need BPF.

load helper

HEADER='   ID   PROVIDER            MODULE                          FUNCTION NAME'

setup() {
	[[ -x $DTRACE ]] || fail "$DTRACE is not built (run make)"
}

@test "--help describes the options and exits 0" {
	run "$DTRACE" --help
	assert_success
	assert_line --partial "Usage: dtrace"
	assert_output --partial "-n PROBESPEC"
	assert_output --partial "-s FILE"
	assert_output --partial "-x OPT[=VAL]"
}

@test "--version and -V print the version" {
	run "$DTRACE" --version
	assert_success
	assert_output --regexp '^dtrace: dtk [0-9]+\.[0-9]+\.[0-9]+$'
	run "$DTRACE" -V
	assert_success
	assert_output --regexp '^dtrace: dtk [0-9]+\.[0-9]+\.[0-9]+$'
}

@test "no arguments: usage, exit 2" {
	run "$DTRACE"
	assert_failure 2
	assert_output --partial "Usage: dtrace"
}

@test "an unknown option: exit 2" {
	run "$DTRACE" -k
	assert_failure 2
	assert_output --partial "invalid option"
}

@test "-c and -p together: exit 2" {
	run "$DTRACE" -c true -p 1 -n BEGIN
	assert_failure 2
	assert_output --partial "only one -c or -p"
}

@test "-l lists every probe in dtrace(1M)'s layout" {
	run "$DTRACE" -l
	assert_success
	assert_line --index 0 "$HEADER"
	((${#lines[@]} > 700))
	assert_line --regexp '^ *[0-9]+ +dtrace +BEGIN$'
	assert_line --regexp '^ *[0-9]+ +dtrace +END$'
	assert_line --regexp '^ *[0-9]+ +syscall +openat entry$'
	assert_line --regexp '^ *[0-9]+ +syscall +openat return$'
	assert_line --regexp '^ *[0-9]+ +proc +exec-success$'
	assert_line --regexp '^ *[0-9]+ +proc +exit$'
	# Every row has the fixed columns: "%5d %10s %17s %33s %s".
	run bash -c "'$DTRACE' -l | tail -n +2 | grep -v -E '^ *[0-9]{1,5} [ a-z0-9_-]{10} .{17} .{33} [^ ]+$' | head -3"
	assert_output ""
}

@test "-l -n 'syscall::open*:entry' lists exactly the open* entry probes" {
	run dtrace_rows -l -n 'syscall::open*:entry'
	assert_success
	[[ -n $output ]]
	want=$("$DTRACE" -l | probe_rows | grep -E '^syscall::open[^:]*:entry$')
	assert_equal "$(sort <<<"$output")" "$(sort <<<"$want")"
	assert_line "syscall::openat:entry"
	# The same names as the kernel's syscall tracepoints, where tracefs is
	# there to ask.
	dir=$(tracefs_dir)
	if [[ -n $dir && -d $dir/events/syscalls ]]; then
		kernel=$(ls "$dir/events/syscalls" | sed -n 's/^sys_enter_\(open.*\)$/syscall::\1:entry/p' | sort)
		assert_equal "$(sort <<<"$output")" "$kernel"
	fi
}

@test "-l descriptions fill fields from the right, as in DTrace" {
	run dtrace_rows -l -n openat:entry
	assert_success
	assert_output "syscall::openat:entry"
	run dtrace_rows -l -f openat
	assert_success
	assert_output "syscall::openat:entry
syscall::openat:return"
	run dtrace_rows -l -n BEGIN
	assert_output "dtrace:::BEGIN"
}

@test "-l -P proc lists only the proc provider" {
	run dtrace_rows -l -P proc
	assert_success
	assert_line --regexp '^proc:'
	refute_line --regexp '^[^p]|^p[^r]'
	assert_equal "$(printf '%s\n' "${lines[@]}" | cut -d: -f1 | sort -u)" proc
}

@test "-l -i ID lists that probe" {
	id=$("$DTRACE" -l -n syscall::openat:entry | awk 'NR == 2 { print $1 }')
	[[ -n $id ]]
	run dtrace_rows -l -i "$id"
	assert_success
	assert_output "syscall::openat:entry"
}

@test "-lv shows argument types" {
	run "$DTRACE" -lv -n syscall::openat:entry
	assert_success
	assert_line --index 0 "$HEADER"
	assert_line "	Argument Types"
	assert_line --regexp $'^\t\targs\\[1\\]: .*char \\*$'
}

@test "-s of a missing file: a clear error, exit 1" {
	run "$DTRACE" -s /nonexistent/script.d
	assert_failure 1
	assert_output "dtrace: failed to open /nonexistent/script.d: No such file or directory"
}

@test "-n with a syntax error: invalid probe specifier, no line, exit 1" {
	run "$DTRACE" -e -n 'BEGIN { trace(1 }'
	assert_failure 1
	assert_output 'dtrace: invalid probe specifier BEGIN { trace(1 }: syntax error near "}"'
}

@test "-s with an error: failed to compile script, with the line, exit 1" {
	script=$BATS_TEST_TMPDIR/bad.d
	printf 'BEGIN\n{\n\ttrace(1 +);\n}\n' >"$script"
	run "$DTRACE" -e -s "$script"
	assert_failure 1
	assert_output "dtrace: failed to compile script $script: line 3: syntax error near \")\""
}

@test "-x errtags: the D error tag before the place of the error" {
	script=$BATS_TEST_TMPDIR/bad.d
	printf 'BEGIN\n{\n\tx = y;\n}\n' >"$script"
	run "$DTRACE" -x errtags -e -s "$script"
	assert_failure 1
	assert_output "dtrace: failed to compile script $script: [D_IDENT_UNDEF] line 3: failed to resolve y: Unknown variable name"
	run "$DTRACE" -x errtags -e -n 'BEGIN / y / { x = 1; }'
	assert_failure 1
	assert_output "dtrace: invalid probe specifier BEGIN / y / { x = 1; }: [D_IDENT_UNDEF] in predicate: failed to resolve y: Unknown variable name"
	run "$DTRACE" -x errtags -e -n 'BEGIN { x = 1 +; }'
	assert_failure 1
	assert_output 'dtrace: invalid probe specifier BEGIN { x = 1 +; }: [D_SYNTAX] syntax error near ";"'
}

@test "-e -s compiles a script with a #! line and exits 0" {
	script=$BATS_TEST_TMPDIR/ok.d
	printf '#!/usr/sbin/dtrace -qs\nBEGIN\n{\n\ttrace($1);\n\texit(0);\n}\n' >"$script"
	run "$DTRACE" -e -s "$script" 42
	assert_success
	assert_output ""
}

@test "-p with a bad pid: exit 1" {
	run "$DTRACE" -p abc -n BEGIN
	assert_failure 1
	assert_output "dtrace: invalid pid: abc"
}

@test "-x with an unknown option: exit 1" {
	run "$DTRACE" -x nosuchoption=1 -n BEGIN
	assert_failure 1
	assert_output --partial "dtrace: failed to set -x nosuchoption"
}

@test "-x with a bad value or an option dtk does not implement: refused, exit 1" {
	run "$DTRACE" -x bufsize=-1 -e -n BEGIN
	assert_failure 1
	assert_output "dtrace: failed to set -x bufsize: Invalid value for specified option"
	run "$DTRACE" -x quiet=please -e -n BEGIN
	assert_failure 1
	assert_output "dtrace: failed to set -x quiet: Invalid value for specified option"
	run "$DTRACE" -x evaltime=never -e -n BEGIN
	assert_failure 1
	assert_output "dtrace: failed to set -x evaltime: Invalid value for specified option"
	run "$DTRACE" -x bufpolicy=ring -e -n BEGIN
	assert_failure 1
	assert_output "dtrace: failed to set -x bufpolicy: bufpolicy=ring is not implemented by dtk (only bufpolicy=switch)"
	run "$DTRACE" -x cpu=0 -e -n BEGIN
	assert_failure 1
	assert_output "dtrace: failed to set -x cpu: option cpu is not implemented by dtk"
	run "$DTRACE" -x quiet=off -x bufpolicy=switch -x evaltime=exec -e -n BEGIN
	assert_success
}

@test "macro arguments: an unused one is refused, -x defaultargs supplies 0 and \"\"" {
	run "$DTRACE" -e -n 'BEGIN { trace($1); }' 1 2
	assert_failure 1
	assert_output "dtrace: invalid probe specifier BEGIN { trace(\$1); }: extraneous argument '2' (\$2 is not referenced)"
	run "$DTRACE" -x argref -e -n 'BEGIN { trace($1); }' 1 2
	assert_success
	need_bpf
	run "$DTRACE" -q -x defaultargs -n 'BEGIN { printf("[%d][%s][%d]\n", $1, $$2, $3); exit(0); }' 7
	assert_success
	assert_output "[7][][0]"
}

@test "an escape D does not know stays in the string, backslash and all" {
	need_bpf
	run "$DTRACE" -q -n 'BEGIN { printf("a\!b\tc\n"); exit(0); }'
	assert_success
	assert_output $'a\\!b\tc'
}

@test "-C runs scripts through cpp: -D, -U, -I, -x define, and the lines stay the script's" {
	command -v cpp >/dev/null || skip "no cpp"
	script=$BATS_TEST_TMPDIR/cpp.d
	mkdir -p "$BATS_TEST_TMPDIR/inc"
	printf '#define EXTRA 2\n' >"$BATS_TEST_TMPDIR/inc/extra.h"
	printf '#include "extra.h"\n#if defined(__SUNW_D) && defined(__linux)\nBEGIN { x = VALUE + EXTRA; exit(0); }\n#endif\n' >"$script"
	run "$DTRACE" -C -D VALUE=40 -I "$BATS_TEST_TMPDIR/inc" -e -s "$script"
	assert_success
	run "$DTRACE" -x define=VALUE=40 -x incdir="$BATS_TEST_TMPDIR/inc" -C -e -s "$script"
	assert_success
	run "$DTRACE" -C -D VALUE=40 -U VALUE -I "$BATS_TEST_TMPDIR/inc" -e -s "$script"
	assert_failure 1
	assert_output "dtrace: failed to compile script $script: line 3: failed to resolve VALUE: Unknown variable name"
	# without -C the directives are D's: #include is not one
	run "$DTRACE" -e -s "$script"
	assert_failure 1
	assert_output "dtrace: failed to compile script $script: line 1: invalid control directive: #include"
}

@test "-i: a number is a probe id, anything else a probe name, as in DTrace" {
	run "$DTRACE" -e -i 0
	assert_failure 1
	assert_output "dtrace: invalid probe specifier 0: invalid probe identifier 0: Unknown probe identifier"
	run "$DTRACE" -e -i 4000000000
	assert_failure 1
	run "$DTRACE" -e -i no_such_probe_name
	assert_failure 1
	assert_output "dtrace: invalid probe specifier no_such_probe_name: probe description :::no_such_probe_name does not match any probes"
	# -l: a name that matches nothing is reported, and dtrace still exits 0
	run --separate-stderr "$DTRACE" -l -i -3
	assert_success
	assert_output "   ID   PROVIDER            MODULE                          FUNCTION NAME"
	assert_equal "$stderr" "dtrace: failed to match :::-3: No probe matches description"
	run "$DTRACE" -l -i BEGIN
	assert_success
	assert_line --index 1 --regexp '^ +[0-9]+ +dtrace +BEGIN$'
}

@test "-l with a description of too many fields: an error before any heading" {
	run --separate-stderr "$DTRACE" -l -P profile:::profile-97
	assert_failure 1
	assert_output ""
	assert_equal "$stderr" 'dtrace: invalid probe specifier profile:::profile-97: invalid probe description "profile:::profile-97": Overspecified probe description'
	run --separate-stderr "$DTRACE" -l -n 'syscall::read:entry' -n 'BEGIN { trace(nosuch); }'
	assert_failure 1
	assert_output ""
}

@test "a description that matches nothing is named with its four fields" {
	run "$DTRACE" -e -n 'nosuch:probe'
	assert_failure 1
	assert_output "dtrace: invalid probe specifier nosuch:probe: probe description ::nosuch:probe does not match any probes"
}
