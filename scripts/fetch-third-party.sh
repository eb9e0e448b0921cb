#!/bin/sh
# Fetches the third-party sources buddymon builds against, once, into an
# ignored folder: libfdt (scripts/dtc/libfdt), the RISC-V board device trees
# and the dt-bindings headers they include, all from Debian's
# linux-source-6.12 package. Nothing fetched here is ever committed.
#
# usage: fetch-third-party.sh DEST     (DEST/linux-source-6.12/... is created)
set -eu

dest=${1:?usage: fetch-third-party.sh DEST}
stamp="$dest/.fetched"
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

echo "fetch: extracting libfdt and board device trees"
dpkg-deb --fsys-tarfile "$deb" | tar -xO ./usr/src/linux-source-6.12.tar.xz | xz -dc |
	tar -x -C "$dest" --wildcards \
		'linux-source-6.12/scripts/dtc/libfdt/*' \
		'linux-source-6.12/arch/riscv/boot/dts/sifive/*' \
		'linux-source-6.12/arch/riscv/boot/dts/starfive/*' \
		'linux-source-6.12/arch/riscv/boot/dts/renesas/*' \
		'linux-source-6.12/arch/arm64/boot/dts/renesas/*' \
		'linux-source-6.12/scripts/dtc/include-prefixes/*' \
		'linux-source-6.12/include/dt-bindings/*'
touch "$stamp"
