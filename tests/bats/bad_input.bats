#!/usr/bin/env bats
# The bad-input campaign: hostile programs, macro values and tool flags.
# Every case runs under `timeout`; a case passes when the tool gives a
# one-line error on stderr (argp's "Try `TOOL --help'" hint may follow a
# flag error) and a non-zero exit status that is not a signal or the
# timeout: never a crash, a hang or a silent success.  Cases that a valid
# program may produce (a truncation that ends on a clause boundary) may
# instead succeed with nothing on stderr.  Each test ends by printing its
# counts ("# N cases") to the TAP stream.
#
# Compiling needs no BPF (dtrace -e generates the code and stops before
# loading), so these run everywhere the tools are built.

load helper

bats_require_minimum_version 1.5.0

setup() {
	W=$BATS_TEST_TMPDIR
	NCASES=0
	NBAD=0
}

# case_check STATUS ERRFILE ALLOW_OK NAME: one case's verdict.
case_check() {
	local st=$1 err=$2 allow_ok=$3 name=$4 lines
	NCASES=$((NCASES + 1))
	lines=$(grep -vc "^Try \`" "$err" || true)
	if ((st == 0)) && [[ $allow_ok == 1 ]] && ((lines == 0)); then
		return 0
	fi
	if ((st == 0 || st >= 124)) || ((lines != 1)); then
		NBAD=$((NBAD + 1))
		echo "FAILED: $name: status $st, $lines stderr lines:" >&3
		head -c 400 "$err" | sed 's/^/#   /' >&3
		return 0
	fi
}

# run_case ALLOW_OK NAME CMD...: run one case and check it.
run_case() {
	local allow_ok=$1 name=$2 st=0
	timeout 20 "${@:3}" >"$W/out" 2>"$W/err" </dev/null || st=$?
	case_check "$st" "$W/err" "$allow_ok" "$name"
}

# compile_file ALLOW_OK NAME FILE: dtrace -e -s FILE
compile_file() {
	run_case "$1" "$2" "$DTRACE" -e -s "$3"
}

finish() {
	echo "# $NCASES cases, $((NCASES - NBAD)) passed" >&3
	((NBAD == 0)) || fail "$NBAD of $NCASES cases failed (above)"
}

@test "random bytes as a D script: 80 seeded inputs" {
	local i
	for ((i = 0; i < 80; i++)); do
		# a seeded generator: the same inputs every run
		awk -v seed="$i" 'BEGIN { srand(seed); n = int(rand() * 400) + 1;
			for (j = 0; j < n; j++) printf "%c", int(rand() * 255) + 1 }' \
			>"$W/rand.d"
		compile_file 0 "random $i" "$W/rand.d"
	done
	finish
}

@test "random printable D-like tokens: 80 seeded inputs" {
	local i
	for ((i = 0; i < 80; i++)); do
		awk -v seed="$i" 'BEGIN { srand(seed);
			split("BEGIN END syscall::: { } ( ) [ ] / ; = == + - * & -> . @ $1 self-> this-> printf( \"%d\" , ) trace( count() quantize( lquantize( llquantize( stringof( copyinstr( arg0 execname pid tid probefunc 0x7fffffffffffffff 9999999999999999999999 ? : ! ~ << >> int char* string struct sizeof( #pragma D option bufsize=-1 \n", t, " ");
			n = int(rand() * 60) + 1;
			for (j = 0; j < n; j++) printf "%s ", t[int(rand() * length(t)) + 1] }' \
			>"$W/tok.d"
		compile_file 1 "tokens $i" "$W/tok.d"
	done
	finish
}

@test "every valid corpus program truncated at several points" {
	local f len cut
	for f in "$TOP"/tests/d/valid/*.d; do
		len=$(wc -c <"$f")
		for cut in 7 $((len / 2)) $((len - 2)); do
			((cut > 0 && cut < len)) || continue
			head -c "$cut" "$f" >"$W/trunc.d"
			# the corpus's macro arguments: none given, so $1 fails too
			compile_file 1 "$(basename "$f") cut at $cut" "$W/trunc.d"
		done
	done
	finish
}

@test "deep nesting and long chains: an error, not a blown stack" {
	local n=100000
	gen() { python3 -c "$1" >"$W/deep.d"; }
	gen "print('BEGIN { x = ' + '('*$n + '1' + ')'*$n + '; }')";		compile_file 0 parens "$W/deep.d"
	gen "print('BEGIN { x = ' + '!'*$n + '1; }')";				compile_file 0 nots "$W/deep.d"
	gen "print('BEGIN { x = ' + '-'*$n + '1; }')";				compile_file 0 negs "$W/deep.d"
	gen "print('BEGIN ' + '{'*$n + '}'*$n)";					compile_file 0 blocks "$W/deep.d"
	gen "print('BEGIN { ' + 'if (1) {'*$n + '}'*$n + '}')";			compile_file 0 ifs "$W/deep.d"
	gen "print('BEGIN { x = ' + '1?'*$n + '1' + ':1'*$n + '; }')";		compile_file 0 ternaries "$W/deep.d"
	gen "print('BEGIN { x = a' + '[a'*$n + ']'*$n + '; }')";			compile_file 0 subscripts "$W/deep.d"
	gen "print('BEGIN { x = ' + '*'*$n + 'curthread; }')";			compile_file 0 derefs "$W/deep.d"
	gen "print('BEGIN { x = curthread' + '->parent'*$n + '; }')";		compile_file 0 members "$W/deep.d"
	gen "print('BEGIN { x = ' + '(int)'*$n + '1; }')";			compile_file 0 casts "$W/deep.d"
	gen "print('BEGIN { x = ' + 'strlen('*$n + '\"\"' + ')'*$n + '; }')";	compile_file 0 calls "$W/deep.d"
	gen "print('BEGIN { x = ' + '+'.join(['timestamp']*200000) + '; }')";	compile_file 0 'long + chain' "$W/deep.d"
	gen "print('BEGIN { x = ' + '=='.join(['1']*200000) + '; }')";		compile_file 0 'long == chain' "$W/deep.d"
	gen "print('BEGIN { x = 1' + ',1'*200000 + '; }')";			compile_file 0 commas "$W/deep.d"
	gen "print('/* ' * 100000)";						compile_file 0 'open comments' "$W/deep.d"
	finish
}

@test "huge literals and identifiers: one-line errors" {
	local lit
	for lit in 99999999999999999999999 0xfffffffffffffffffffff 0777777777777777777777777 \
		1e999 1.5 0x 09 "'abcdefghi'" "''" '"unterminated'; do
		printf 'BEGIN { x = %s; }\n' "$lit" >"$W/lit.d"
		compile_file 0 "literal ${lit:0:30}" "$W/lit.d"
	done
	# a string literal longer than strsize is cut to it, as DTrace does
	printf 'BEGIN { x = "%s"; }\n' "$(head -c 300000 /dev/zero | tr '\0' a)" >"$W/lit.d"
	compile_file 1 "a 300000-character string literal" "$W/lit.d"
	python3 -c "print('BEGIN { ' + 'a'*200000 + ' = 1; x = ' + 'b'*200000 + '; }')" >"$W/lit.d"
	compile_file 0 'huge undefined identifier' "$W/lit.d"
	printf 'BEGIN { x = $%s; }\n' 99999999999999999999 >"$W/lit.d"
	compile_file 0 'huge macro number' "$W/lit.d"
	finish
}

@test "NUL bytes, a script of endless zeros, an endless script" {
	printf 'BEGIN { x = 1; }\0 END { }\n' >"$W/nul.d"
	compile_file 0 'NUL between clauses' "$W/nul.d"
	printf 'BEGIN { x = "a\0b"; }\n' >"$W/nul.d"
	compile_file 0 'NUL in a string' "$W/nul.d"
	printf '/* \0 */ BEGIN { }\n' >"$W/nul.d"
	compile_file 0 'NUL in a comment' "$W/nul.d"
	printf '\0' >"$W/nul.d"
	compile_file 0 'only a NUL' "$W/nul.d"
	run_case 0 '-s /dev/zero' "$DTRACE" -e -s /dev/zero
	run_case 0 'endless comment on stdin' sh -c "yes '/* comment */' | '$DTRACE' -e -s -"
	run -1 "$DTRACE" -e -s "$W/nul.d"
	assert_output "dtrace: failed to compile script $W/nul.d: line 1: invalid character: a NUL byte (\\0) in the program text"
	finish
}

@test "hostile macro argument values: strings, never D text; numbers checked" {
	local v
	# each is a string or a number, never parsed as D: 'trace($1)' compiles
	for v in '1;exit(0)' '1)' '"' 'a b' $'x\ny' '`' '$2' '0x' 'exit(0)' '-' '+' '1x'; do
		run_case 1 "macro value ${v:0:20}" "$DTRACE" -e -n 'BEGIN { trace($1); }' "$v"
		# and as an integer it is refused ($1 + 1 would be a string
		# moved by one character, as in DTrace)
		run_case 0 "macro value ${v:0:20} as an integer" "$DTRACE" -e -n 'BEGIN { x = $1 * 2; }' "$v"
	done
	run_case 0 'overflowing number' "$DTRACE" -e -n 'BEGIN { trace($1); }' 99999999999999999999999
	run_case 0 'undefined $2' "$DTRACE" -e -n 'BEGIN { trace($2); }' 1
	run_case 0 'huge $N' "$DTRACE" -e -n 'BEGIN { trace($99999999999999999999); }' 1
	run_case 1 'huge string value' "$DTRACE" -e -n 'BEGIN { trace($1); }' "$(head -c 100000 /dev/zero | tr '\0' x)"
	finish
}

@test "hostile -x options: every size and count bounded" {
	local o
	for o in bufsize=-1 bufsize=0 bufsize=1 bufsize=2g bufsize=1t bufsize=99999999999999999999 \
		bufsize=16q bufsize= bufsize aggsize=-1 aggsize=0 aggsize=16t dynvarsize=-1 \
		dynvarsize=0 dynvarsize=99999999999t strsize=-1 strsize=0 strsize=1 strsize=1g \
		nspec=-1 nspec=0 specsize=-1 stackframes=-1 stackframes=0 stackframes=100000 \
		ustackframes=-1 ustackframes=0 ustackframes=9999 ustacksize=-1 ustacksize=1 \
		stackindent=-1 stackindent=99999 aggsortpos=-1 jstackframes=-1 \
		switchrate=-1 switchrate=0 switchrate=0hz switchrate=99999999999999999999s \
		aggrate=-5 cleanrate=x statusrate=-1 bufpolicy=x bufresize=x evaltime=x \
		quiet=maybe cpu=-2 nosuchoption=1 '=1'; do
		run_case 0 "-x $o" "$DTRACE" -x "$o" -e -n 'BEGIN { }'
	done
	printf '#pragma D option bufsize=-1\nBEGIN { }\n' >"$W/p.d"
	compile_file 0 'pragma bufsize=-1' "$W/p.d"
	printf '#pragma D option strsize=99999999\nBEGIN { }\n' >"$W/p.d"
	compile_file 0 'pragma strsize huge' "$W/p.d"
	finish
}

@test "hostile tool flags: PIDs, sizes, counts, errnos and names" {
	local pid
	for pid in 0 -1 99999999999 abc '' 1x 2147483648; do
		run_case 0 "dtrace -p '$pid'" "$DTRACE" -p "$pid" -n 'BEGIN { }'
		run_case 0 "dtruss -p '$pid'" "$BIN/dtruss" -p "$pid"
		run_case 0 "opensnoop -p '$pid'" "$BIN/opensnoop" -p "$pid"
		run_case 0 "shellsnoop -p '$pid'" "$BIN/shellsnoop" -p "$pid"
		run_case 0 "syscount -p '$pid'" "$BIN/syscount" -p "$pid"
		run_case 0 "procsystime -p '$pid'" "$BIN/procsystime" -p "$pid"
	done
	local e
	for e in 999999 4096 0 -1 EFOO '' 1x; do
		run_case 0 "syscount -e '$e'" "$BIN/syscount" -e "$e" true
	done
	local n
	for n in -1 abc 99999999999 ''; do
		run_case 0 "syscount -i '$n'" "$BIN/syscount" -i "$n" true
		run_case 0 "syscount -d '$n'" "$BIN/syscount" -d "$n" true
		run_case 0 "syscount -T '$n'" "$BIN/syscount" -T "$n" true
	done
	run_case 0 'syscount -d 0' "$BIN/syscount" -d 0 true
	run_case 0 'syscount -T 0' "$BIN/syscount" -T 0 true
	local b
	# (any size from 1 byte is a dynvarsize, as in DTrace)
	for b in -1 0 99999999999999999999 1t 16q 0x ''; do
		run_case 0 "dtruss -b '$b'" "$BIN/dtruss" -b "$b" true
	done
	run_case 0 'dtruss -t nosuchcall' "$BIN/dtruss" -t nosuchcall true
	run_case 0 "dtruss -t ''" "$BIN/dtruss" -t '' true
	run_case 0 "opensnoop -n ''" "$BIN/opensnoop" -n ''
	run_case 0 "procsystime -n ''" "$BIN/procsystime" -n ''
	run_case 0 "dtruss -n ''" "$BIN/dtruss" -n ''
	run_case 0 "execsnoop -c ''" "$BIN/execsnoop" -c ''
	run_case 0 'shellsnoop -u -1' "$BIN/shellsnoop" -u -1
	run_case 0 'shellsnoop -u abc' "$BIN/shellsnoop" -u abc
	# (-l -i abc is DTrace's "failed to match :::abc", and exit 0)
	run_case 0 'dtrace -i abc' "$DTRACE" -i abc
	run_case 0 'dtrace -i 99999999999999' "$DTRACE" -l -i 99999999999999
	run_case 0 'dtrace -s missing' "$DTRACE" -s "$W/missing.d"
	run_case 0 'dtrace -s a directory' "$DTRACE" -e -s "$W"
	finish
}
