#!/bin/sh
# Installs the Debian packages buddymon builds and tests with.
# Idempotent: does nothing when every package is already installed.
# Called by the Makefile when a tool is missing, and by .ci/run.
set -eu

PACKAGES="make gcc libc6-dev gcc-riscv64-linux-gnu picolibc-riscv64-unknown-elf
qemu-system-misc opensbi u-boot-qemu device-tree-compiler expect gdb-multiarch
xz-utils valgrind clang libjemalloc-dev libmimalloc-dev"

missing=""
for p in $PACKAGES; do
	dpkg-query -W -f='${Status}\n' "$p" 2>/dev/null | grep -q 'install ok installed' ||
		missing="$missing $p"
done
[ -z "$missing" ] && exit 0

echo "install-deps: installing:$missing"
SUDO=""
[ "$(id -u)" -eq 0 ] || SUDO=sudo
$SUDO apt-get update -qq
DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends $missing
