/*
 * Checks for the allocator tests. REQUIRE, for the randomized runs: the
 * first failed condition of a run is reported once through TAP, sets
 * mm_failed and leaves the current operation, so a broken run stops
 * instead of printing thousands of follow-on failures (the run loop tests
 * mm_failed between operations). mm_check_report prints what a *_check()
 * walker found.
 */
#ifndef TESTS_HOST_SUPPORT_MM_REQUIRE_H
#define TESTS_HOST_SUPPORT_MM_REQUIRE_H

#include <stdint.h>

#include "tests/host/tap.h"

extern int mm_failed;

/* Passes err through, printing why and where as a TAP comment if set. */
int mm_check_report(int err, const char *why, uintptr_t where);

#define REQUIRE(cond) do { \
	if (!(cond)) { \
		TAP_CHECK(cond); \
		mm_failed = 1; \
		return; \
	} \
} while (0)

#endif
