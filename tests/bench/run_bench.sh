#!/bin/sh
# Runs bench_alloc for every allocator and workload (tests/bench/bench.mk):
# first natively, one at a time, for time and utilisation; then, BENCH_JOBS
# at a time (default: the number of CPUs), under callgrind (--instr-atstart=no:
# only the phase the program brackets with client requests) for a
# deterministic instruction count, and once more for the slowest single
# call. Prints one line per allocator and workload,
#   bench heap <workload> <allocator> instr_per_pair=.. ns_per_pair=.. util=.. worst_call_instr=.. worst_call=..
# (RG adds copy_instr_per_pair, the memcpy its instr_per_pair leaves out),
# the frame allocator's W2, the slowest calls on a 1 GiB arena, the
# metadata lines, a markdown table of it all, and last pairs per second
# of 1, 2 and 4 threads at once on one allocator,
#   bench threads <allocator> threads=<n> pairs_per_s=..
# usage: run_bench.sh BENCH_ALLOC BENCH_ALLOC_JEMALLOC BENCH_ALLOC_MIMALLOC
set -e
main=$1
jemalloc=$2
mimalloc=$3
big_arena_mib=1024
jobs=${BENCH_JOBS:-$(nproc)}
command -v valgrind >/dev/null || { echo "bench: valgrind is not installed" >&2; exit 1; }
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT

field() {
	sed -n "s/.*$2=\([^ ]*\).*/\1/p" "$1" 2>/dev/null
}

# One line per run: kind binary allocator workload
peers=$("$main" list)
for peer in tlsf zephyr; do
	echo "$peers" | grep -qx "$peer" ||
		echo "bench: $peer skipped: not built (make bench PEERS=DIR, see README, Benchmarks)"
done
for workload in W1 W2 W3 MA FR LB RG; do
	for alloc in $peers; do
		echo "heap $main $alloc $workload"
	done
	echo "heap $jemalloc jemalloc $workload"
	echo "heap $mimalloc mimalloc $workload"
done >"$out/runs"
echo "frames $main frames W2" >>"$out/runs"

echo "bench: native runs (time, utilisation)" >&2
while read -r kind bin alloc workload; do
	"$bin" "$alloc" "$workload" >"$out/$kind.$workload.$alloc.native" 2>/dev/null
done <"$out/runs"

echo "bench: callgrind and slowest-call runs, $jobs at a time" >&2
while read -r kind bin alloc workload; do
	base="$out/$kind.$workload.$alloc"
	echo "valgrind --tool=callgrind --instr-atstart=no --callgrind-out-file=/dev/null $bin $alloc $workload --no-util >/dev/null 2>$base.instr"
	echo "$bin $alloc $workload --worst >$base.worst 2>/dev/null"
	[ "$workload" = RG ] &&
		echo "valgrind --tool=callgrind --instr-atstart=no --callgrind-out-file=/dev/null $bin $alloc RG --copies >/dev/null 2>$base.copies"
	true
done <"$out/runs" >"$out/jobs"
for args in "heap buddymon W1" "heap buddymon W2" "frames frames W2"; do
	set -- $args
	echo "$main $2 $3 --worst --arena-mib $big_arena_mib >$out/big.$1.$3.$2 2>/dev/null"
done >>"$out/jobs"
tr '\n' '\0' <"$out/jobs" | xargs -0 -P "$jobs" -I{} sh -c '{}'

collected() {
	sed -n 's/.*Collected : \([0-9]*\).*/\1/p' "$1"
}

while read -r kind bin alloc workload; do
	base="$out/$kind.$workload.$alloc"
	pairs=$(field "$base.native" pairs)
	instr=$(collected "$base.instr")
	extra=""
	if [ "$workload" = RG ]; then
		copies=$(collected "$base.copies")
		extra=" copy_instr_per_pair=$((copies / pairs))"
		instr=$((instr - copies))
	fi
	worst=$(field "$base.worst" worst_call_instr)
	what=$(field "$base.worst" worst_call)
	echo "bench $kind $workload $alloc instr_per_pair=$((instr / pairs)) ns_per_pair=$(field "$base.native" ns_per_pair) util=$(field "$base.native" util) worst_call_instr=${worst:-failed} worst_call=${what:-none}$extra"
done <"$out/runs" | tee "$out/results"
for f in "$out"/big.*; do
	set -- $(basename "$f" | tr '.' ' ')
	worst=$(field "$f" worst_call_instr)
	what=$(field "$f" worst_call)
	echo "bench $2 $3 $4 arena_mib=$big_arena_mib worst_call_instr=${worst:-failed} worst_call=${what:-none}"
done
"$main" metadata

echo
echo "| workload | allocator | instr/pair | util | slowest call: instr (which) | ns/pair |"
echo "|---|---|---|---|---|---|"
awk '{
	for (i = 5; i <= NF; i++) { split($i, kv, "="); v[kv[1]] = kv[2] }
	name = $4; if ($2 == "frames") name = "frames (4 KiB frames)"
	instr = v["instr_per_pair"]
	if ("copy_instr_per_pair" in v) instr = instr " (+" v["copy_instr_per_pair"] " memcpy)"
	what = v["worst_call"]; sub(/@.*/, "", what)
	printf "| %s | %s | %s | %s | %s (%s) | %s |\n", $3, name, instr, v["util"], v["worst_call_instr"], what, v["ns_per_pair"]
	delete v
}' "$out/results"

# Threads at once on one shared allocator (bench_threads.c), natively, one
# run at a time: pairs per second of all the threads together.
echo
for run in "heap $main buddymon" "frames $main frames" "glibc $main glibc" \
	"jemalloc $jemalloc jemalloc" "mimalloc $mimalloc mimalloc"; do
	set -- $run
	for threads in 1 2 4; do
		"$2" "$3" threads "$threads" >"$out/threads.$1.$threads" 2>/dev/null || true
		rate=$(field "$out/threads.$1.$threads" pairs_per_s)
		fails=$(field "$out/threads.$1.$threads" failures)
		[ "${fails:-0}" = 0 ] && fails="" || fails=" failures=$fails"
		echo "bench threads $1 threads=$threads pairs_per_s=${rate:-failed}$fails"
	done
done
