#!/bin/sh
# deps.sh - make sure the Debian/Ubuntu packages dtk needs are installed.
#
#   scripts/deps.sh          build and test dependencies
#   scripts/deps.sh --bench  also bpftrace and libbpf-tools (benchmarks)
#
# Silent and fast (one dpkg-query) when everything is there.  As root it
# installs what is missing; otherwise it prints the command to run and
# exits 1.
set -eu

PACKAGES="gcc make pkg-config libbpf-dev libelf-dev zlib1g-dev libunwind-dev
	libjson-c-dev bats bats-assert bats-support mandoc clang bpftool strace tmux
	jq debhelper lintian fakeroot bash-completion"
BENCH_PACKAGES="bpftrace libbpf-tools"

case "${1:-}" in
--bench) PACKAGES="$PACKAGES $BENCH_PACKAGES" ;;
"") ;;
*) echo "usage: $0 [--bench]" >&2; exit 2 ;;
esac

# Packages dpkg knows nothing about print no line at all (and an error on
# stderr), so list what is installed and take the difference.
# shellcheck disable=SC2086
installed=$(dpkg-query -W -f='${Package} ${Status}\n' $PACKAGES 2>/dev/null |
	awk '$NF == "installed" { print $1 }') || true
missing=
for p in $PACKAGES; do
	case " $(echo $installed) " in
	*" $p "*) ;;
	*) missing="$missing $p" ;;
	esac
done
[ -z "$missing" ] && exit 0

if [ "$(id -u)" -ne 0 ]; then
	echo "dtk needs these packages:$missing" >&2
	echo "sudo apt-get install -y$missing"
	exit 1
fi

echo "deps.sh: installing$missing"
export DEBIAN_FRONTEND=noninteractive
# Only refresh the package lists when they are empty or the install fails
# without it (a fresh container has no lists; an old one may be stale).
if [ -z "$(ls -A /var/lib/apt/lists 2>/dev/null | grep -v -e '^lock$' -e '^partial$')" ]; then
	apt-get update
fi
# shellcheck disable=SC2086
if ! apt-get install -y $missing; then
	apt-get update
	apt-get install -y $missing
fi
