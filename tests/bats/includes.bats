#!/usr/bin/env bats
# tests/includes.sh: a group of the engine includes its own headers, the
# public headers of the groups below it and dtk.h, nothing else.

load helper

# files PATH[:INCLUDE...]... : sources under $BATS_TEST_TMPDIR/src, each
# PATH holding the quoted includes named after it.
files() {
	local spec p inc
	for spec in "$@"; do
		p=$BATS_TEST_TMPDIR/src/${spec%%:*}
		mkdir -p "$(dirname "$p")"
		: >"$p"
		[[ $spec == *:* ]] || continue
		for inc in ${spec#*:}; do echo "#include \"$inc\"" >>"$p"; done
	done
}

includes() {
	INCLUDES_SRC=$BATS_TEST_TMPDIR/src "$TOP/tests/includes.sh"
}

# a small engine in order: run's handle over lang's public header, lang
# over sym's; lang.h offers ast.h and compile.h, not parse.h
engine() {
	files dtk.h run/dtk_impl.h:compile.h run/dtk.c:dtk_impl.h \
		lang/lang.h:ast.h\ compile.h lang/ast.h lang/parse.h lang/compile.h:ast.h \
		lang/sema.c:compile.h\ parse.h\ kbtf.h\ dtk.h \
		sym/sym.h:kbtf.h sym/kbtf.h sym/kbtf.c:kbtf.h
}

@test "includes: the engine's groups include in order" {
	run "$TOP/tests/includes.sh"
	assert_success
	assert_line --partial '  lang: '
	assert_line --partial 'every group includes only its own headers'
	refute_output --partial 'dtk_impl.h'
}

@test "includes: own headers, public ones below and dtk.h pass" {
	engine
	run includes
	assert_success
	assert_line "  lang: ast.h compile.h lang.h "
}

@test "includes: a lower group including a higher group's header fails" {
	engine
	files lang/sema.c:compile.h\ dtk_impl.h
	run includes
	assert_failure
	assert_line 'includes.sh: lang/sema.c includes run/dtk_impl.h: run/ is above lang/'
	files lang/sema.c sym/kbtf.c:ast.h
	run includes
	assert_failure
	assert_line 'includes.sh: sym/kbtf.c includes lang/ast.h: lang/ is above sym/'
}

@test "includes: a header a group keeps to itself fails from above" {
	engine
	files run/dtk.c:dtk_impl.h\ parse.h
	run includes
	assert_failure
	assert_line "includes.sh: run/dtk.c includes lang/parse.h: not one of lang/'s public headers (lang.h)"
	# through a folder, as "lang/parse.h", the same
	files run/dtk.c:lang/parse.h
	run includes
	assert_failure
	assert_line --partial 'run/dtk.c includes lang/parse.h'
	# offered by the group header: passes
	files lang/lang.h:ast.h\ compile.h\ parse.h
	run includes
	assert_success
}
