#!/bin/sh
# buddymon-dt as a command: --help, errors on bad options and on missing,
# unreadable, empty, truncated or malformed files (an error: line, exit 1,
# nothing on stdout), the exit status bits (2 no memory, 4 SBI console), the
# checks of the console node (disabled, no driver, reg-shift, reg-io-width,
# reg in RAM), the --payload, --payload-size, --dtb and --initrd options
# landing in the `mem` rows, and `make run DTB=...` refusing trees whose
# root compatible is not the QEMU machine's. Prints TAP.
#
# usage: test_buddymon_dt.sh [BUILD]
set -u

BUILD=${1:-${BUILD:-build}}
TOOL=$BUILD/host/buddymon-dt
root=$(cd "$(dirname "$0")/../.." && pwd)
VF2=$BUILD/dts/board/jh7110-starfive-visionfive-2-v1.3b.dtb
HOLES=$BUILD/dts/qemu-virt-holes.dtb
n=0
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

tap() {	# tap OK NAME [DETAILS_FILE]
	n=$((n + 1))
	if [ "$1" = 0 ]; then
		echo "ok $n - $2"
	else
		echo "not ok $n - $2"
		[ -n "${3:-}" ] && sed 's/^/#   /' "$3" | head -20
	fi
}

# run ARGS...: the tool's stdout, stderr and status in $work/out, err, status
run() {
	"$TOOL" "$@" >"$work/out" 2>"$work/err"
	echo $? >"$work/status"
}

status() { cat "$work/status"; }

# fails_with NAME PATTERN ARGS...: exit 1, the error on stderr, nothing on stdout
fails_with() {
	name=$1 pattern=$2
	shift 2
	run "$@"
	[ "$(status)" = 1 ] && grep -q "^error: $pattern" "$work/err" && [ ! -s "$work/out" ]
	tap $? "$name" "$work/err"
}

# row OWNER: the `mem` row of that owner, "BASE END"
row() { awk -v o="$1" '$NF == o && $(NF - 1) == "reserved" { print $1, $2 }' "$work/out"; }

run --help
[ "$(status)" = 0 ] && grep -q '^usage: buddymon-dt' "$work/out" && grep -q -- '--boot-firmware' "$work/out"
tap $? "--help prints the usage and exits 0" "$work/out"

fails_with "no file" "FILE.dtb: missing"
fails_with "unknown option" "--frobnicate: unknown option" --frobnicate "$VF2"
fails_with "bad address" "--payload: not an address" --payload 0xzz "$VF2"
fails_with "option without its value" "--dtb: needs a value" "$VF2" --dtb
fails_with "initrd without a size" "--initrd: needs ADDR:SIZE" --initrd 0x48000000 "$VF2"
fails_with "two files" ".*: only one FILE.dtb" "$VF2" "$VF2"
fails_with "missing file" "$work/none.dtb: No such file or directory" "$work/none.dtb"
mkdir "$work/dir.dtb"
fails_with "unreadable file (a directory)" "$work/dir.dtb: cannot read it" "$work/dir.dtb"
: >"$work/empty.dtb"
fails_with "empty file" ".*not a valid device tree blob (FDT_ERR_TRUNCATED)" "$work/empty.dtb"
head -c 4000 "$VF2" >"$work/short.dtb"
fails_with "truncated tree" ".*not a valid device tree blob (FDT_ERR_TRUNCATED)" "$work/short.dtb"
printf 'this is not a device tree, it is a text file of some length\n' >"$work/text.dtb"
fails_with "malformed file" ".*not a valid device tree blob (FDT_ERR_BADMAGIC)" "$work/text.dtb"

run "$HOLES"
[ "$(status)" = 0 ] && grep -q '^verdict: *comes up with its memory and its own console driver' "$work/out"
tap $? "exit 0 when memory and a native console come up" "$work/out"
run "$BUILD/dts/board/sun20i-d1-nezha.dtb"
[ "$(status)" = 2 ] && grep -q '^note: no RAM: the device tree has no enabled memory node' "$work/out" &&
	grep -q '^error: the device tree lists no memory' "$work/out"
tap $? "a tree without a memory node says so and exits 2" "$work/out"
# The registry's checks of the console node, as the firmware makes them
# before touching a register: each refusal is the firmware's error line,
# its banner line with the reason, and exit status 4.
console_case() {	# console_case NODE WHY
	cp "$BUILD/dts/consoles.dtb" "$work/console.dtb"
	fdtput -t s "$work/console.dtb" /chosen stdout-path "$1"
	run "$work/console.dtb"
	[ "$(status)" = 4 ] &&
		grep -qF "error: no usable console in the device tree ($2); using the SBI console" "$work/out" &&
		grep -qF "console:     sbi-dbcn at 0x0 (fallback: $2)" "$work/out" &&
		grep -qF "  driver:       none: $2" "$work/out"
	tap $? "console $1: the SBI fallback because $2, exit 4" "$work/out"
}
console_case /soc/serial@10000000 'status is not "okay"'
console_case /soc/no-driver@10004000 "no driver for its compatible"
console_case /soc/shift5@10002000 "reg-shift outside 0..3"
console_case /soc/width3@10003000 "reg-io-width the driver does not take"
console_case /soc/in-ram@88000000 "its reg lies in RAM"
cp "$BUILD/dts/consoles.dtb" "$work/console.dtb"
fdtput -t s "$work/console.dtb" /chosen stdout-path /soc/width2@10001000
run "$work/console.dtb"
[ "$(status)" = 0 ] && grep -q '^console:     ns16550 at 0x10001000$' "$work/out" &&
	grep -q '^  reg-io-width: 2$' "$work/out"
tap $? "a console of reg-io-width 2 and reg-shift 1 is taken, exit 0" "$work/out"
cat >"$work/bare.dts" <<'DTS'
/dts-v1/;
/ { #address-cells = <2>; #size-cells = <2>; chosen { }; };
DTS
dtc -q -I dts -O dtb -o "$work/bare.dtb" "$work/bare.dts"
run "$work/bare.dtb"
[ "$(status)" = 6 ] && grep -q '^  driver: *none: no /chosen/stdout-path node' "$work/out"
tap $? "no memory and no console exits 6" "$work/out"

run --payload 0x40400000 --payload-size 1M --dtb 0x44000000 "$VF2"
[ "$(row payload)" = "0x0000000040400000 0x0000000040500000" ] &&
	[ "$(row dtb | cut -d' ' -f1)" = "0x0000000044000000" ] && [ -z "$(row boot-stack)" ]
tap $? "--payload, --payload-size and --dtb place the payload and dtb rows" "$work/out"
run "$VF2"
[ "$(row payload | cut -d' ' -f1)" = "0x0000000040200000" ] &&
	[ "$(row dtb | cut -d' ' -f1)" = "0x0000000042200000" ] && [ -n "$(row boot-stack)" ]
tap $? "defaults: payload at RAM + 0x200000 with its boot stack, dtb at RAM + 0x2200000" "$work/out"
run --initrd 0x48000000:0x123000 "$VF2"
[ "$(row initrd)" = "0x0000000048000000 0x0000000048123000" ]
tap $? "--initrd is reserved as U-Boot's booti hands it over" "$work/out"
run --boot-firmware "$BUILD/dts/board/th1520-lichee-pi-4a.dtb"
[ "$(row mmode_resv0)" = "0x0000000000000000 0x0000000000080000" ]
tap $? "--boot-firmware reserves 512 KiB at the RAM base, even at address 0" "$work/out"

# make run DTB=...: trees that are not the machine's are refused at once.
refused() {	# refused NAME PATTERN MAKE_ARGS...
	name=$1 pattern=$2
	shift 2
	timeout 60 make -s --no-print-directory -C "$root" BUILD="$BUILD" run "$@" >"$work/run" 2>&1
	code=$?
	[ "$code" != 0 ] && [ "$code" != 124 ] && grep -q "qemu.sh: error: .*$pattern" "$work/run"
	tap $? "$name" "$work/run"
}
refused "make run refuses a host-test tree without a root compatible" \
	"root compatible is 'absent', QEMU virt needs 'riscv-virtio'" DTB="$BUILD/dts/translated-uart.dtb"
refused "make run refuses a board's tree on virt" \
	"root compatible is 'starfive,visionfive-2-v1.3b starfive,jh7110', QEMU virt needs" DTB="$VF2"
refused "make run refuses a virt tree on sifive_u" \
	"QEMU sifive_u needs 'sifive,hifive-unleashed-a00'" MACHINE=sifive_u DTB="$HOLES"
echo "1..$n"
