#!/usr/bin/env bats
# tests/layers.sh: the engine's groups call each other in one order, and
# the files of a group (but those it lists as left) in one order too.

load helper

# tree GROUP/FILE:CALLS... : sources under $BATS_TEST_TMPDIR/src where
# GROUP/FILE.c defines FILE() and calls each of CALLS, compiled to obj/.
tree() {
	local spec g f c
	for spec in "$@"; do
		g=${spec%%/*} f=${spec#*/} f=${f%%:*}
		mkdir -p "$BATS_TEST_TMPDIR/src/$g" "$BATS_TEST_TMPDIR/obj/$g"
		{
			for c in ${spec#*:}; do echo "void $c(void);"; done
			echo "void $f(void) {"
			for c in ${spec#*:}; do echo "	$c();"; done
			echo "}"
		} >"$BATS_TEST_TMPDIR/src/$g/$f.c"
		gcc -c -o "$BATS_TEST_TMPDIR/obj/$g/$f.o" "$BATS_TEST_TMPDIR/src/$g/$f.c"
	done
}

layers() {
	LAYERS_SRC=$BATS_TEST_TMPDIR/src "$TOP/tests/layers.sh" "$@" "$BATS_TEST_TMPDIR/obj"
}

@test "layers: the engine's groups and files are in order" {
	run "$TOP/tests/layers.sh"
	assert_success
	assert_line '  run -> prov'
	refute_line '  lang -> cg'
	assert_line --partial "no cycle between the engine's groups"
}

@test "layers: groups in one order pass" {
	tree run/dtk:codegen lang/sema:probes cg/codegen:sema lang/probes:
	run layers
	assert_success
	assert_line '  cg -> lang'
	assert_line '  run -> cg'
}

@test "layers: a call back up between groups fails" {
	tree run/dtk:codegen cg/codegen:sema lang/sema:load run/load:
	run layers
	assert_failure
	assert_output --partial 'depend on each other in a cycle'
	assert_line '  lang -> run'
}

@test "layers: a cycle between two files of a group fails" {
	tree run/dtk:load run/load:consume run/consume:dtk
	run layers
	assert_failure
	assert_output --partial 'files of run/ depend on each other in a cycle'
	rm -rf "$BATS_TEST_TMPDIR/src" "$BATS_TEST_TMPDIR/obj"
	tree cg/codegen:codegen_agg cg/codegen_agg:codegen
	run layers
	assert_failure
	assert_output --partial 'files of cg/ depend on each other in a cycle'
	run layers --files
	assert_failure
	assert_output --partial 'cg/codegen'
}
