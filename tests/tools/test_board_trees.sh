#!/bin/sh
# Runs build/host/buddymon-dt on every board tree in build/dts/board/ (all of
# Linux 6.12's arch/riscv/boot/dts, built by `make board-dtbs`), with and
# without --boot-firmware, and checks its RAM banks, reserved rows and
# console against what dt_expect.awk reads from the same .dtb through
# fdtdump (not buddymon's DT code). tool_facts.awk puts the tool's output
# in the same form and compare.awk compares them. The drivers' compatible
# strings come from the tables in drivers/uart/*.c. Prints TAP: per tree,
# one line each for RAM banks, reserved rows, console (with the exit
# status), and --boot-firmware.
#
# usage: test_board_trees.sh [BUILD]
set -u

BUILD=${1:-${BUILD:-build}}
TOOL=$BUILD/host/buddymon-dt
here=$(dirname "$0")
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

# "DRIVER COMPATIBLE" for every entry of the drivers' compatible tables.
driver_table() {
	for f in "$here"/../../drivers/uart/*.c; do
		awk '/\.name = "/ { split($0, q, "\""); name = q[2] }
		     /compatible\[\] = \{/ { table = 1 }
		     table { line = $0
			     while (match(line, /"[^"]*"/)) {
				     c[++n] = substr(line, RSTART + 1, RLENGTH - 2)
				     line = substr(line, RSTART + RLENGTH) } }
		     table && /\};/ { table = 0 }
		     END { if (name != "") for (i = 1; i <= n; i++) print name, c[i] }' "$f"
	done
}

# Exit status bits as the output explains them: 2 no memory, 4 SBI console.
explained_status() {
	s=0
	grep -q '^  not up:' "$1" && s=$((s + 2))
	grep -q '^error: no usable console in the device tree.*using the SBI console' "$1" && s=$((s + 4))
	echo $s
}

check_tree() {
	fdtdump "$1" 2>/dev/null | awk -f "$here/hex.awk" -f "$here/dt_expect.awk" >"$work/dt"
	"$TOOL" "$1" >"$work/plain" 2>&1
	status=$?
	awk -f "$here/hex.awk" -f "$here/tool_facts.awk" "$work/plain" >"$work/tool"
	"$TOOL" --boot-firmware "$1" 2>&1 | awk -f "$here/hex.awk" -f "$here/tool_facts.awk" >"$work/firmware"
	awk -v name="$(basename "$1" .dtb)" -v status="$status" \
	    -v explained="$(explained_status "$work/plain")" -f "$here/compare.awk" \
	    "$work/drivers" "$work/dt" "$work/tool" "$work/firmware"
}

# Numbers the TAP lines and adds the plan.
number() {
	awk '/^(not )?ok / { n++; sub(/ok /, "ok " n " ") } { print } END { print "1.." n }'
}

if [ ! -x "$TOOL" ]; then
	echo "not ok 1 - $TOOL is missing (make host-tools)"
	exit 1
fi
driver_table >"$work/drivers"
{
	trees=0
	for dtb in "$BUILD"/dts/board/*.dtb; do
		[ -f "$dtb" ] || continue
		check_tree "$dtb"
		trees=$((trees + 1))
	done
	if [ "$trees" -ge 36 ]; then
		echo "ok - all $trees board trees of Linux 6.12 checked"
	else
		echo "not ok - only $trees trees in $BUILD/dts/board, Linux 6.12 has 36 (make board-dtbs)"
	fi
} | number
