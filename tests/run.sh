#!/bin/sh
# Runs every test program and counts their TAP lines into one summary:
# host unit tests (build/host/tests/test_*), QEMU expect scripts
# (tests/expect/test_*.exp) and extra suites named in EXTRA_SUITES (make
# targets that print TAP, such as fuzz-smoke). A program that fails without
# a "not ok" line (a crash, a timeout) counts as one failure.
# The last line is "N passed, N failed".
set -u

BUILD=${BUILD:-build}
export BUILD
root=$(cd "$(dirname "$0")/.." && pwd)
logs="$BUILD/test-logs"
mkdir -p "$logs"
passed=0
failed=0

run_suite() {
	name=$1
	shift
	log="$logs/$(echo "$name" | tr '/ ' '__').log"
	timeout "${TEST_TIMEOUT:-900}" "$@" >"$log" 2>&1 </dev/null
	status=$?
	ok=$(grep -c '^ok ' "$log")
	bad=$(grep -c '^not ok ' "$log")
	if [ "$status" -ne 0 ] && [ "$bad" -eq 0 ]; then
		bad=1
		echo "not ok - $name exited with status $status" >>"$log"
	fi
	passed=$((passed + ok))
	failed=$((failed + bad))
	if [ "$bad" -eq 0 ]; then
		echo "PASS  $name ($ok)"
	else
		echo "FAIL  $name ($ok passed, $bad failed; log: $log)"
		grep -A3 '^not ok' "$log" | sed 's/^/      /' | head -40
	fi
}

for t in "$BUILD"/host/tests/test_*; do
	[ -x "$t" ] && run_suite "host/$(basename "$t")" "$t"
done
for t in "$root"/tests/expect/test_*.exp; do
	[ -f "$t" ] && run_suite "expect/$(basename "$t" .exp)" expect "$t"
done
for target in ${EXTRA_SUITES:-}; do
	run_suite "make/$target" make -s --no-print-directory "$target"
done

echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
