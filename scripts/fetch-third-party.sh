#!/bin/sh
# Fetches the third-party sources buddymon builds against, once, into an
# ignored folder: libfdt (scripts/dtc/libfdt), every RISC-V board device tree
# (arch/riscv/boot/dts) and what their #includes reach (include/dt-bindings
# and the uapi header its input.h links to, the arm64 Renesas trees the
# RZ/Five ones build on, and Linux's include-prefixes links that make
# <arm64/...> resolve), all from Debian's
# linux-source-6.12 package. Nothing fetched here is ever committed.
#
# The stamp names the set of files: when the set grows, the stamp's name
# changes (the Makefile's FETCH_STAMP too) and an older fetch is extended.
# Set LINUX_SOURCE_DEB to a downloaded linux-source-6.12_*.deb to skip the
# download.
#
# usage: fetch-third-party.sh DEST     (DEST/linux-source-6.12/... is created)
set -eu

dest=${1:?usage: fetch-third-party.sh DEST}
stamp="$dest/.fetched-all-riscv-dts"
[ -f "$stamp" ] && exit 0

mkdir -p "$dest"
work=$(mktemp -d)
chmod 755 "$work"	# apt downloads as the _apt user
trap 'rm -rf "$work"' EXIT

deb=${LINUX_SOURCE_DEB:-}
if [ -z "$deb" ]; then
	echo "fetch: downloading linux-source-6.12 (about 150 MB)"
	(cd "$work" && apt-get download -q linux-source-6.12 >/dev/null) || {
		apt-get update -qq 2>/dev/null || sudo apt-get update -qq
		(cd "$work" && apt-get download -q linux-source-6.12 >/dev/null)
	}
	deb=$(ls "$work"/linux-source-6.12_*.deb)
fi

echo "fetch: extracting libfdt and the RISC-V board device trees"
dpkg-deb --fsys-tarfile "$deb" | tar -xO ./usr/src/linux-source-6.12.tar.xz | xz -dc |
	tar -x -C "$dest" --wildcards \
		'linux-source-6.12/scripts/dtc/libfdt/*' \
		'linux-source-6.12/scripts/dtc/include-prefixes/*' \
		'linux-source-6.12/arch/riscv/boot/dts/*' \
		'linux-source-6.12/arch/arm64/boot/dts/renesas/*' \
		'linux-source-6.12/include/dt-bindings/*' \
		'linux-source-6.12/include/uapi/linux/input-event-codes.h'
touch "$stamp"
