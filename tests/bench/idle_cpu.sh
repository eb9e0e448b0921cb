#!/bin/sh
# Host CPU time QEMU spends while buddymon waits at its prompt: boots
# BINARY with scripts/qemu.sh (MACHINE and the other variables pass
# through), waits for the first prompt, then reads QEMU's utime+stime from
# /proc/PID/stat over SECONDS of wall time. Prints
# "bench idle MACHINE cpu_ms=.. wall_ms=.. percent=..".
#
# usage: idle_cpu.sh BINARY [SECONDS]
set -eu
bin=${1:?usage: idle_cpu.sh BINARY [SECONDS]}
seconds=${2:-10}
root=$(cd "$(dirname "$0")/../.." && pwd)
out=$(mktemp)
fifo=$(mktemp -u)
mkfifo "$fifo"
pid=""
holder=""
trap 'kill $pid $holder 2>/dev/null; rm -f "$out" "$fifo"' EXIT

# stdin is a FIFO kept open (not /dev/null) so QEMU's console sees no end of input.
sleep $((seconds + 60)) >"$fifo" &
holder=$!
"$root/scripts/qemu.sh" "$bin" <"$fifo" >"$out" 2>&1 &
pid=$!
tries=0
until grep -q 'buddymon> ' "$out"; do
	tries=$((tries + 1))
	[ "$tries" -lt 300 ] || { echo "idle_cpu: no prompt" >&2; exit 1; }
	sleep 0.1
done
sleep 1	# let the boot's last output settle

ticks() { awk '{ print $14 + $15 }' "/proc/$pid/stat"; }
hz=$(getconf CLK_TCK)
t0=$(date +%s%N)
c0=$(ticks)
sleep "$seconds"
c1=$(ticks)
t1=$(date +%s%N)
cpu_ms=$(( (c1 - c0) * 1000 / hz ))
wall_ms=$(( (t1 - t0) / 1000000 ))
echo "bench idle ${MACHINE:-virt} cpu_ms=$cpu_ms wall_ms=$wall_ms percent=$(( cpu_ms * 100 / wall_ms ))"
