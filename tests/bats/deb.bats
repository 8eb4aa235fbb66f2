#!/usr/bin/env bats
# The Debian package: `make deb` once, lintian, then dpkg -i beside
# libbpf-tools (installed first), the tools, their man pages and their
# completion from the installed package, and dpkg --purge: the machine is
# left as it was found (libbpf-tools removed again if this test added it).
# Skipped, with the reason, where dpkg cannot be used (not root, not
# Debian, no debhelper).  Runs under a lock: helpers share this machine.

load helper

setup_file() {
	DEB_SKIP=
	if [[ $EUID -ne 0 ]]; then
		DEB_SKIP="needs root for dpkg -i"
	elif ! command -v dpkg-buildpackage >/dev/null || ! dpkg -s debhelper >/dev/null 2>&1; then
		DEB_SKIP="dpkg-buildpackage or debhelper is not installed"
	elif ! command -v lintian >/dev/null; then
		DEB_SKIP="lintian is not installed"
	fi
	export DEB_SKIP
	[[ -n $DEB_SKIP ]] && return 0
	exec 9>/tmp/dtk-deb.lock
	flock 9
	if dpkg -s dtk >/dev/null 2>&1; then
		export DEB_SKIP="a dtk package is installed here already: not replacing it"
		return 0
	fi
	export ADDED_LIBBPF_TOOLS=
	if ! dpkg -s libbpf-tools 2>/dev/null | grep -q '^Status: install ok installed'; then
		DEBIAN_FRONTEND=noninteractive apt-get install -y -q libbpf-tools >&3 2>&1 ||
			{ export DEB_SKIP="libbpf-tools cannot be installed"; return 0; }
		ADDED_LIBBPF_TOOLS=1
	fi
	make -s -C "$TOP" deb >"$BATS_FILE_TMPDIR/build.log" 2>&1 ||
		{ cat "$BATS_FILE_TMPDIR/build.log" >&3; return 1; }
	export DEB
	DEB=$(ls "$TOP"/build/deb/dtk_*.deb)
	# dpkg -i, waiting a while for the dpkg lock (an apt-get elsewhere)
	local i
	for ((i = 0; i < 30; i++)); do
		dpkg -i "$DEB" >"$BATS_FILE_TMPDIR/install.log" 2>&1 && break
		grep -q "lock" "$BATS_FILE_TMPDIR/install.log" || break
		sleep 2
	done
}

teardown_file() {
	[[ -n ${DEB_SKIP:-} ]] && return 0
	dpkg --purge dtk >/dev/null 2>&1 || true
	if [[ -n ${ADDED_LIBBPF_TOOLS:-} ]]; then
		DEBIAN_FRONTEND=noninteractive apt-get purge -y -q libbpf-tools >/dev/null 2>&1 || true
	fi
	flock -u 9 2>/dev/null || true
}

setup() {
	[[ -z $DEB_SKIP ]] || skip "$DEB_SKIP"
}

@test "deb: lintian reports no error" {
	run lintian "$DEB"
	refute_line --regexp '^E: '
}

@test "deb: it depends on the runtime libraries only" {
	run dpkg-deb -f "$DEB" Depends
	assert_output --partial "libbpf1"
	assert_output --partial "libelf1"
	assert_output --partial "libunwind8"
	assert_output --partial "libjson-c5"
	refute_output --partial -- "-dev"
}

@test "deb: it installs beside libbpf-tools, which keeps its own tools" {
	run cat "$BATS_FILE_TMPDIR/install.log"
	refute_output --partial "trying to overwrite"
	run dpkg -s dtk
	assert_output --partial "Status: install ok installed"
	local t
	for t in opensnoop execsnoop syscount; do
		run dpkg -S "/usr/sbin/$t"
		assert_output "libbpf-tools: /usr/sbin/$t"
	done
	# and no file of ours is anyone else's
	run bash -c "dpkg -L dtk | while read -r f; do [[ -f \$f ]] && dpkg -S \"\$f\"; done | grep -v '^dtk: '"
	assert_output ""
}

@test "deb: every tool under its dtk- name; the DTraceToolkit names nobody else has" {
	local t
	for t in dtrace dtruss opensnoop execsnoop shellsnoop procsystime syscount; do
		run "/usr/sbin/dtk-$t" -h
		assert_success
	done
	for t in dtrace dtruss shellsnoop procsystime; do
		run readlink -f "/usr/sbin/$t"
		assert_output "/usr/sbin/dtk-$t"
	done
	run /usr/sbin/dtruss -h
	assert_success
	assert_output --partial "dtruss"
}

@test "deb: the man pages, under both names where the name is ours" {
	command -v man >/dev/null || skip "man is not installed"
	run env MANPAGER=cat man -P cat dtk-opensnoop
	assert_success
	assert_output --partial "opensnoop"
	run env MANPAGER=cat man -P cat dtruss
	assert_success
	assert_output --partial "dtruss"
}

@test "deb: the installed execsnoop traces, with --json" {
	need_bpf
	local out=$BATS_TEST_TMPDIR/out token=tok$$x$RANDOM i
	/usr/sbin/dtk-execsnoop --json >"$out" 2>"$BATS_TEST_TMPDIR/err" 3>&- &
	local pid=$!
	# up to 30 s for the probes to be enabled on a busy machine
	for ((i = 0; i < 600; i++)); do
		/bin/true "$token"
		grep -q "$token" "$out" && break
		kill -0 "$pid" 2>/dev/null || break
		sleep 0.05
	done
	kill -INT "$pid"
	wait "$pid" || fail "dtk-execsnoop failed: $(cat "$BATS_TEST_TMPDIR/err")"
	[[ -s $out ]] || fail "nothing traced in 30 s: $(cat "$BATS_TEST_TMPDIR/err")"
	run jq -r --arg t "$token" 'select(.args == "/bin/true \($t)") | .comm' "$out"
	assert_line "true"
}

@test "deb: the completion is found under a tool's name" {
	[[ -f /usr/share/bash-completion/bash_completion ]] || skip "bash-completion is not installed"
	run bash -c 'source /usr/share/bash-completion/bash_completion
		_completion_loader dtk-dtruss; complete -p dtk-dtruss'
	assert_output --partial "_dtk"
}
