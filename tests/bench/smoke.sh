#!/bin/sh
# Smoke check of the allocator benchmark for `make test` (bench.mk,
# bench-smoke): every workload runs briefly (--quick: a hundredth of the
# steps) on buddymon's heap and must report the expected pair count and a
# utilisation in range; the slowest-call probe must count a function of
# known length exactly and find a plausible slowest call; four threads at
# once on the heap and on the frames must do all their pairs. Prints TAP.
# usage: smoke.sh BENCH_ALLOC
bin=$1
n=0
failed=0

check() {
	n=$((n + 1))
	if [ "$1" = ok ]; then
		echo "ok $n - $2"
	else
		echo "not ok $n - $2"
		failed=1
	fi
}

field() {
	echo "$1" | sed -n "s/.*$2=\([^ ]*\).*/\1/p"
}

# $1 workload, $2 expected pairs (0: any positive count), $3 least util
workload() {
	out=$("$bin" buddymon "$1" --quick 2>/dev/null)
	pairs=$(field "$out" pairs)
	util=$(field "$out" util)
	verdict=not
	if [ -n "$pairs" ] && [ -n "$util" ] &&
	   { [ "$2" -eq 0 ] && [ "$pairs" -gt 0 ] || [ "$pairs" -eq "$2" ]; } &&
	   awk -v u="$util" -v least="$3" 'BEGIN { exit !(u >= least && u <= 1) }'; then
		verdict=ok
	fi
	check $verdict "bench_alloc buddymon $1 --quick: pairs=$pairs (want ${2#0}) util=$util (want $3..1)"
}

workload W1 10000 0.85
workload W2 16384 1
workload W3 10000 0.85
workload MA 1000 0.5
workload FR 0 0
workload LB 500 0.5
workload RG 1000 0.5

out=$("$bin" selftest 2>&1)
[ $? -eq 0 ] && verdict=ok || verdict=not
check $verdict "slowest-call probe counts a known function exactly: $out"

worst=$(field "$("$bin" buddymon W1 --quick --worst 2>/dev/null)" worst_call_instr)
[ -n "$worst" ] && [ "$worst" -gt 50 ] && [ "$worst" -lt 1000000 ] && verdict=ok || verdict=not
check $verdict "slowest call of buddymon W1 --quick is plausible: ${worst:-none} instructions"

out=$("$bin" frames W2 2>/dev/null)
[ "$(field "$out" pairs)" = 16384 ] && [ "$(field "$out" util)" = 1.000 ] && verdict=ok || verdict=not
check $verdict "bench_alloc frames W2: $out"

# threads at once on one allocator: every pair done, no allocation failed
for alloc in buddymon frames; do
	out=$("$bin" $alloc threads 4 --quick 2>/dev/null)
	[ "$(field "$out" pairs)" = 80000 ] && [ "$(field "$out" failures)" = 0 ] && verdict=ok || verdict=not
	check $verdict "bench_alloc $alloc threads 4 --quick: $out"
done

echo "1..$n"
exit $failed
