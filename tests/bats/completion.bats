#!/usr/bin/env bats
# Bash completion (completion/dtk): the file is sourced and its function
# called as bash calls it, with COMP_LINE, COMP_POINT, COMP_WORDS and
# COMP_CWORD set for a command line typed up to the cursor.

load helper

setup() {
	[[ -x $DTRACE ]] || skip "the tools are not built"
	PATH=$BIN:$PATH
	# shellcheck source=../../completion/dtk
	source "$TOP/completion/dtk"
}

# comp LINE: what _dtk offers for LINE with the cursor at its end, one
# candidate a line, sorted.
comp() {
	COMP_LINE=$1
	COMP_POINT=${#1}
	COMP_WORDBREAKS=$' \t\n"\'><=;|&(:'
	read -r -a COMP_WORDS <<<"$1"
	[[ $1 == *" " ]] && COMP_WORDS+=("")
	COMP_CWORD=$((${#COMP_WORDS[@]} - 1))
	COMPREPLY=()
	_dtk "${COMP_WORDS[0]}" "${COMP_WORDS[COMP_CWORD]}" "${COMP_WORDS[COMP_CWORD-1]}"
	printf '%s\n' "${COMPREPLY[@]}" | sort
}

@test "completion: every tool's flags, from its --help" {
	local t
	for t in dtrace dtruss opensnoop execsnoop shellsnoop procsystime syscount; do
		run comp "$t -"
		[[ $t == dtrace ]] || assert_line -- "--json"
		assert_line -- "--help"
	done
	run comp "dtrace -"
	assert_line -- "-n"
	assert_line -- "-l"
	assert_line -- "-x"
	assert_line -- "--libxo"
	run comp "dtruss -"
	assert_line -- "-f"
	assert_line -- "-t"
	run comp "syscount --l"
	assert_output "$(printf '%s\n' --latency --list)"
}

@test "completion: dtrace -n completes the provider, then the function, then the name" {
	run comp "dtrace -n sys"
	assert_output "syscall:"
	run comp "dtrace -n syscall:"
	assert_output ":"			# syscall:: -- no module
	run comp "dtrace -n syscall::opena"
	assert_output "$(printf '%s\n' openat: openat2: | sort)"
	run comp "dtrace -l -n syscall::openat:"
	assert_output "$(printf '%s\n' entry return)"
	run comp "dtrace -n proc:::exec-s"
	assert_output "exec-success"
	run comp "dtrace -P pro"
	assert_output "$(printf '%s\n' proc: profile:)"
}

@test "completion: the probes offered are those dtrace -l lists" {
	run comp "dtrace -n syscall::"
	local n
	n=$("$DTRACE" -l -P syscall | awk 'NR > 1 { print $3 }' | sort -u | wc -l)
	assert_equal "${#lines[@]}" "$n"
}

@test "completion: flag arguments: -x options, -t syscalls, -p pids, files" {
	run comp "dtrace -x ofor"
	assert_output "$(printf '%s\n' oformat=json oformat=text)"
	run comp "dtruss -t getpp"
	assert_output "getppid"
	run comp "opensnoop -p $$"
	assert_line "$$"
	mkdir "$BATS_TEST_TMPDIR/dir"
	touch "$BATS_TEST_TMPDIR/dir/script.d"
	run comp "dtrace -s $BATS_TEST_TMPDIR/dir/scr"
	assert_output "$BATS_TEST_TMPDIR/dir/script.d"
}

@test "completion: the command dtruss, syscount and procsystime run" {
	run comp "dtruss -f whoam"
	assert_line "whoami"
	run comp "procsystime whoam"
	assert_line "whoami"
}

@test "completion: make install puts it where bash-completion finds each tool" {
	local dest=$BATS_TEST_TMPDIR/root
	make -s -C "$TOP" install DESTDIR="$dest" PREFIX=/usr >/dev/null
	local t
	for t in dtrace dtruss opensnoop execsnoop shellsnoop procsystime syscount; do
		[[ -e $dest/usr/share/bash-completion/completions/$t ]] || fail "no completion for $t"
	done
	run bash -c "source '$dest/usr/share/bash-completion/completions/opensnoop'; complete -p opensnoop"
	assert_output "complete -F _dtk opensnoop"
}
