#!/usr/bin/env bats
# dtrace -x oformat=json: a corpus of one-liners run twice, as text and as
# JSON Lines; every JSON line must parse (jq) and say what the text says.

load helper

setup() {
	[[ -x $DTRACE ]] || skip "dtrace is not built"
	command -v jq >/dev/null || skip "jq is not installed"
}

# json ARGS...: run dtrace -x oformat=json ARGS into $BATS_TEST_TMPDIR/json
# (stderr into .../jerr); fail unless it succeeds and every line parses as
# one JSON object.
json() {
	J=$BATS_TEST_TMPDIR/json
	"$DTRACE" -x oformat=json "$@" >"$J" 2>"$BATS_TEST_TMPDIR/jerr" ||
		{ cat "$BATS_TEST_TMPDIR/jerr"; fail "dtrace -x oformat=json $* failed"; }
	[[ -s $J ]] || fail "no JSON output"
	local n lines
	n=$(jq -c 'select(type == "object")' "$J" | wc -l) ||
		fail "a line does not parse: $(cat "$J")"
	lines=$(wc -l <"$J")
	((n == lines)) || fail "$lines lines, $n JSON objects: $(cat "$J")"
}

# text ARGS...: the same run as text, into $T
text() {
	T=$BATS_TEST_TMPDIR/text
	"$DTRACE" "$@" >"$T" 2>"$BATS_TEST_TMPDIR/terr" ||
		fail "dtrace $* failed: $(cat "$BATS_TEST_TMPDIR/terr")"
}

# An aggregation's entries as text prints them with -q, non-empty rows of
# histograms only: "keys... value" or "label count" lines.
agg_json_rows() {
	jq -r --arg n "$1" 'select(."aggregation-name" == $n) | ."aggregation-data"[] |
		(.keys | map(tostring) | join(" ")) as $k |
		if .buckets then
			(if $k != "" then $k else empty end),
			(.buckets[] | (if .below != null then "< \(.below)"
				elif .atleast != null then ">= \(.atleast)" else "\(.value)" end) + " \(.count)")
		else
			([$k, (.count // .sum // .avg // .min // .max // .stddev | tostring)]
			 | map(select(. != "")) | join(" "))
		end' "$J"
}

# The text rows of the same, from the -q text: blanks squeezed, the empty
# histogram rows and headers left out.
agg_text_rows() {
	awk '/------------- Distribution/ { next }
	     /\|/ { split($0, a, "|"); lab = a[1]; gsub(/^ +| +$/, "", lab)
		    n = $NF; if (n != 0) print lab " " n; next }
	     NF { $1 = $1; print }' "$T"
}

@test "oformat=json: printf gives its message and its values, typed" {
	json -q -n 'BEGIN { printf("%d %s|%x\n", -42, "a \"b\"\tc", 255); exit(0) }'
	text -q -n 'BEGIN { printf("%d %s|%x\n", -42, "a \"b\"\tc", 255); exit(0) }'
	run jq -r '.output[0].message' "$J"
	assert_output "$(cat "$T")"
	run jq -c '.output[0].values' "$J"
	assert_output '[-42,"a \"b\"\tc",255]'
	run jq -r '[.provider, .module, .function, .name, (.cpu|type), (.timestamp|type), (.id|type)] | join(" ")' "$J"
	assert_output "dtrace   BEGIN number number number"
}

@test "oformat=json: a firing is one object with each trace() in order" {
	json -n 'BEGIN { trace(1); trace("two"); trace(3 + 4); exit(0) }'
	text -q -n 'BEGIN { trace(1); trace("two"); trace(3 + 4); exit(0) }'
	run jq -c '[.output[].value]' "$J"
	assert_output '[1,"two",7]'
	assert_equal "$(cat "$T")" "1two7"
}

@test "oformat=json: the timestamp is the firing's, as D's timestamp reads it" {
	json -q -n 'BEGIN { trace(timestamp); exit(0) }'
	run jq -r 'select(.output) | .timestamp == .output[0].value' "$J"
	assert_output true
}

@test "oformat=json: syscall firings carry their probe and cpu" {
	need_bpf
	json -q -n 'syscall::execve:return /pid == $target/ { trace(arg0); }' -c /bin/true
	run jq -r 'select(.output) | [.provider, .function, .name, (.output[0].value|tostring)] | join(":")' "$J"
	assert_output "syscall:execve:return:0"
	run jq -r 'select(.output) | .cpu >= 0 and .id > 0' "$J"
	assert_output true
}

@test "oformat=json: every aggregating function says what the text says" {
	local p='BEGIN { @c = count(); @s = sum(7); @a = avg(4); @a = avg(8);
		@mi = min(3); @mi = min(5); @mx = max(9); @mx = max(-1);
		@sd = stddev(2); @sd = stddev(6); @q = quantize(5); @q = quantize(-3);
		@q = quantize(1000); @l = lquantize(3, 0, 10, 2); @l = lquantize(-5, 0, 10, 2);
		@l = lquantize(99, 0, 10, 2); @ll = llquantize(150, 10, 0, 3, 10);
		@ll = llquantize(7, 10, 0, 3, 10); @k["x y", 2] = count(); @k["z", 3] = count();
		exit(0) }'
	json -q -n "$p"
	text -q -n "$p"
	local agg
	for agg in c s a mi mx sd q l ll k; do
		run jq -r --arg n "$agg" 'select(."aggregation-name" == $n) | ."aggregation-name"' "$J"
		assert_output "$agg"
	done
	run jq -r '."aggregation-function" // empty' "$J"
	assert_output "$(printf '%s\n' count sum avg min max stddev quantize lquantize llquantize count)"
	# the same values, in the same order, as the text
	diff -u <(agg_text_rows) <(for agg in c s a mi mx sd q l ll k; do agg_json_rows "$agg"; done) ||
		fail "JSON and text aggregations differ"
}

@test "oformat=json: printa prints the aggregation when it is called, keys typed" {
	local p='BEGIN { @[execname, 7] = count(); @[execname, 7] = count();
		printf("before\n"); printa("%s %d %@d\n", @); printf("after\n"); exit(0) }'
	json -q -n "$p"
	run jq -c 'select(."aggregation-name" != null) | ."aggregation-data"' "$J"
	assert_output '[{"keys":["dtrace",7],"count":2}]'
	# what the firing printed before printa comes first, then the
	# aggregation, then the rest of the firing
	run jq -r 'if .output then .output[].message | rtrimstr("\n") else "agg" end' "$J"
	assert_output "$(printf 'before\nagg\nafter')"
	text -q -n "$p"
	assert_equal "$(sed -n 2p "$T")" "dtrace 7 2"
}

@test "oformat=json: printa of two aggregations gives one object each" {
	json -q -n 'BEGIN { @a["k"] = count(); @b["k"] = sum(5); printa(@a, @b); exit(0) }'
	run jq -c 'select(."aggregation-name" != null) | [."aggregation-name", ."aggregation-data"[0]]' "$J"
	assert_output "$(printf '%s\n' '["a",{"keys":["k"],"count":1}]' '["b",{"keys":["k"],"sum":5}]')"
}

@test "oformat=json: stack() is an array of the frames the text prints" {
	json -q -n 'BEGIN { stack(); exit(0) }'
	text -q -n 'BEGIN { stack(); exit(0) }'
	run jq -r '.output[0]."stack-frames"[].symbol' "$J"
	assert_output "$(sed -n 's/^ *//p' "$T" | grep -v '^$')"
	run jq -r '.output[0]."stack-frames"[0] | [.module, .name, .offset] | map(type) | join(",")' "$J"
	assert_output "string,string,string"
}

@test "oformat=json: a stack key is an array of frames" {
	json -q -n 'BEGIN { @[stack()] = count(); exit(0) }'
	run jq -r 'select(."aggregation-data") | ."aggregation-data"[0].keys[0] | type, length > 0' "$J"
	assert_output "$(printf 'array\ntrue')"
}

@test "oformat=json: a fault is an ERROR record and tracing goes on" {
	json -q -n 'BEGIN { trace(*(int *)8); } BEGIN { x = 0; trace(1 / x); } BEGIN { trace("on"); exit(0) }'
	run jq -r 'select(.name == "ERROR") | [.provider, .module, .probe.name, .fault, (.address|tostring), (.line|tostring)] | join(" ")' "$J"
	assert_output "$(printf '%s\n' 'dtrace INTERNAL BEGIN invalid address 8 1' 'dtrace INTERNAL BEGIN divide-by-zero null 1')"
	run jq -r 'select(.output) | .output[] | .value' "$J"
	assert_output "on"
	# the message for eyes stays on stderr
	run grep -c "^dtrace: error in dt_clause_" "$BATS_TEST_TMPDIR/jerr"
	assert_output 2
}

@test "oformat=json: drops are DROP records that add up to what stderr says" {
	need_bpf
	json -q -x bufsize=4k -n 'profile-997 { printf("%s %s %s %s\n", execname, execname, execname, execname);
		printf("%s %s %s %s\n", execname, execname, execname, execname);
		printf("%s %s %s %s\n", execname, execname, execname, execname); }
		tick-400ms { exit(0) }'
	local said recorded
	said=$(sed -n 's/^dtrace: \([0-9]*\) drops\{0,1\} on CPU.*/\1/p' "$BATS_TEST_TMPDIR/jerr" |
		awk '{ n += $1 } END { print n + 0 }')
	recorded=$(jq -r 'select(.name == "DROP" and .kind == "principal") | .count' "$J" |
		awk '{ n += $1 } END { print n + 0 }')
	((said > 0)) || skip "no drops this time (a fast consumer)"
	assert_equal "$recorded" "$said"
}

@test "oformat=json: strings that are not UTF-8 still make valid JSON" {
	json -q -n 'BEGIN { printf("%s\n", "\xff\xfe ok"); exit(0) }'
	run jq -r '.output[0].values[0]' "$J"
	assert_output "$(printf '\xef\xbf\xbd\xef\xbf\xbd ok')"
}

@test "oformat=text is the text output; a bad oformat is refused" {
	text -q -n 'BEGIN { trace(1); @ = count(); exit(0) }'
	run bash -c "'$DTRACE' -x oformat=text -q -n 'BEGIN { trace(1); @ = count(); exit(0) }' 2>/dev/null"
	assert_success
	assert_output "$(cat "$T")"
	run "$DTRACE" -x oformat=xml -n 'BEGIN { exit(0) }'
	assert_failure
	assert_output --partial "oformat to xml: Invalid value"
}

@test "--libxo json and -O, FreeBSD's spellings, give the same JSON" {
	run "$DTRACE" --libxo json -O -q -n 'BEGIN { @ = count(); exit(0) }'
	assert_success
	assert_output --partial '"aggregation-data":[{"keys":[],"count":1}]'
	run "$DTRACE" --libxo=json -q -n 'BEGIN { @ = count(); exit(0) }'
	assert_output --partial '"aggregation-data":[{"keys":[],"count":1}]'
	run "$DTRACE" -q -n '#pragma D option oformat=json
		BEGIN { printf("p"); exit(0) }'
	assert_output --partial '"message":"p"'
}

@test "oformat=json: Ctrl-C ends the JSON Lines without a blank line" {
	need_bpf
	local out=$BATS_TEST_TMPDIR/out
	"$DTRACE" -x oformat=json -q -n 'tick-10ms { @n = count(); trace(1) }' >"$out" 2>/dev/null &
	local pid=$! i
	for ((i = 0; i < 100; i++)); do
		[[ -s $out ]] && break
		sleep 0.05
	done
	kill -INT "$pid"
	wait "$pid"
	J=$out
	run grep -c '^$' "$out"
	assert_output 0
	run jq -r '."aggregation-name" // empty' "$out"
	assert_output "n"
}
