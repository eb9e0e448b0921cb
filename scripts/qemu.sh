#!/bin/sh
# Boots a buddymon binary in QEMU. Used by `make run`, `make debug` and the
# expect tests, so every path boots the same way.
#
# usage: qemu.sh BINARY
# environment:
#   MACHINE=virt|sifive_u   QEMU machine (default virt)
#   MEM=256M                RAM size
#   SMP=1                   hart count (sifive_u needs at least 2)
#   BOOT=opensbi|fw_jump|uboot
#       opensbi: QEMU's own OpenSBI (fw_dynamic) loads BINARY at 0x80200000
#       fw_jump: Debian's OpenSBI fw_jump.elf, same load address
#       uboot:   U-Boot in S-mode; BINARY is placed at 0x84000000, type
#                `booti 0x84000000 - ${fdtcontroladdr}` at the => prompt
#   DTB=file.dtb            hand this device tree to the firmware instead; refused
#                           unless its root compatible names MACHINE (virt:
#                           riscv-virtio, sifive_u: sifive,hifive-unleashed-a00)
#   QEMU_EXTRA="..."        more QEMU arguments (e.g. -s -S for gdb)
#   V=1                     print the QEMU command line first (to stderr)
#   RUN="cmd; cmd"          shell commands to run after the banner, passed
#                           as buddymon.run="..." in -append (/chosen/bootargs;
#                           no double quotes inside); not with BOOT=uboot
#   ONERROR=poweroff        with RUN: the first failing command powers off
#                           with status 1 (buddymon.onerror); ONERROR= keeps
#                           the shell going
# sifive_u runs with -no-reboot: its firmware cannot power off, so poweroff
# falls back to a reset, and the reset ends QEMU.
set -eu

bin=${1:?usage: qemu.sh BINARY}
MACHINE=${MACHINE:-virt}
MEM=${MEM:-256M}
SMP=${SMP:-1}
BOOT=${BOOT:-opensbi}
QEMU_EXTRA=${QEMU_EXTRA:-}
RUN=${RUN:-}
ONERROR=${ONERROR-poweroff}

OPENSBI_FW_JUMP=/usr/lib/riscv64-linux-gnu/opensbi/generic/fw_jump.elf
UBOOT_SMODE=/usr/lib/u-boot/qemu-riscv64_smode/uboot.elf
UBOOT_LOAD_ADDR=0x84000000

if [ "$MACHINE" = sifive_u ] && [ "$SMP" -lt 2 ]; then
	SMP=2	# one E51 monitor core and at least one U54
fi
reboot_args=""
[ "$MACHINE" = sifive_u ] && reboot_args="-no-reboot"
bootargs=""
if [ -n "$RUN" ]; then
	case "$RUN" in *\"*) echo "qemu.sh: RUN cannot hold double quotes" >&2; exit 2 ;; esac
	bootargs="buddymon.run=\"$RUN\""
	[ -n "$ONERROR" ] && bootargs="$bootargs buddymon.onerror=$ONERROR"
fi

case "$BOOT" in
opensbi) boot_args="-bios default -kernel $bin" ;;
fw_jump) boot_args="-bios $OPENSBI_FW_JUMP -kernel $bin" ;;
uboot)   boot_args="-bios default -kernel $UBOOT_SMODE -device loader,file=$bin,addr=$UBOOT_LOAD_ADDR" ;;
*) echo "qemu.sh: unknown BOOT=$BOOT" >&2; exit 2 ;;
esac

# A tree made for another machine (a board's, a host-test input) leaves
# QEMU silent: refuse it unless its root compatible names this machine, as
# QEMU's own tree does.
case "$MACHINE" in
virt)     machine_compatible=riscv-virtio ;;
sifive_u) machine_compatible=sifive,hifive-unleashed-a00 ;;
*)        machine_compatible= ;;	# QEMU says what it cannot run
esac
dtb_args=""
if [ -n "${DTB:-}" ] && [ ! -r "$DTB" ]; then
	echo "qemu.sh: error: cannot read the device tree $DTB" >&2
	exit 2
fi
if [ -n "${DTB:-}" ] && [ -n "$machine_compatible" ]; then
	root_compatible=$(fdtget "$DTB" / compatible 2>/dev/null) || root_compatible=""
	case " $root_compatible " in
	*" $machine_compatible "*) ;;
	*)
		echo "qemu.sh: error: $DTB is not a tree for QEMU $MACHINE: its root compatible is" \
			"'${root_compatible:-absent}', QEMU $MACHINE needs '$machine_compatible'" \
			"(trees for boards and host tests: check them with build/host/buddymon-dt)" >&2
		exit 2
		;;
	esac
fi
[ -n "${DTB:-}" ] && dtb_args="-dtb $DTB"

# -append only when there is something to pass: an empty one still adds
# an empty /chosen/bootargs.
set --
[ -n "$bootargs" ] && set -- -append "$bootargs"

# shellcheck disable=SC2086
[ "${V:-0}" = 1 ] && echo "qemu-system-riscv64 -machine $MACHINE -m $MEM -smp $SMP -nographic" \
	$boot_args $dtb_args $QEMU_EXTRA >&2
# shellcheck disable=SC2086
exec qemu-system-riscv64 -machine "$MACHINE" -m "$MEM" -smp "$SMP" \
	-nographic $reboot_args \
	$boot_args $dtb_args $QEMU_EXTRA "$@"
