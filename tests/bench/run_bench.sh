#!/bin/sh
# Runs bench_alloc for every allocator and workload: natively for time and
# utilisation, under callgrind (--instr-atstart=no: only the phase the
# program brackets with client requests) for a deterministic instruction
# count. Prints "bench <allocator> <workload> instr_per_pair=.. ns_per_pair=..
# util=.." lines and the metadata lines.
set -e
bin=$1
command -v valgrind >/dev/null || { echo "bench: valgrind is not installed" >&2; exit 1; }

instructions() {
	valgrind --tool=callgrind --instr-atstart=no --callgrind-out-file=/dev/null \
		"$bin" "$1" "$2" --no-util 2>&1 >/dev/null |
		sed -n 's/.*Collected : \([0-9]*\).*/\1/p'
}

run() {
	native=$("$bin" "$1" "$2")
	pairs=$(echo "$native" | sed -n 's/.*pairs=\([0-9]*\).*/\1/p')
	ns=$(echo "$native" | sed -n 's/.*ns_per_pair=\([0-9.]*\).*/\1/p')
	util=$(echo "$native" | sed -n 's/.*util=\([0-9.]*\).*/\1/p')
	instr=$(instructions "$1" "$2")
	echo "bench $1 $2 instr_per_pair=$((instr / pairs)) ns_per_pair=$ns util=$util"
}

for workload in W1 W2 W3; do
	run buddymon $workload
	run glibc $workload
done
run frames W2
"$bin" metadata
