/*
 * A very small TAP producer for the host unit tests. Each test binary prints
 * "ok N - name" / "not ok N - name" lines and a plan; tests/run.sh counts
 * them across all binaries and expect scripts into one summary line.
 *
 *   static void test_x(void) { TAP_CHECK(1 + 1 == 2); }
 *   int main(void) { TAP_RUN(test_x); return tap_done(); }
 */
#ifndef TESTS_HOST_TAP_H
#define TESTS_HOST_TAP_H

#include <stdio.h>

extern int tap_failures_in_test;
extern int tap_test_count;
extern int tap_failed_count;

/* Records a failed condition in the running test, with its place. */
#define TAP_CHECK(cond) do { \
	if (!(cond)) { \
		tap_failures_in_test++; \
		printf("#   %s:%d: check failed: %s\n", __FILE__, __LINE__, #cond); \
	} \
} while (0)

/* Like TAP_CHECK, and prints two integer values on failure. */
#define TAP_CHECK_EQ(a, b) do { \
	long long __a = (long long)(a), __b = (long long)(b); \
	if (__a != __b) { \
		tap_failures_in_test++; \
		printf("#   %s:%d: %s == %s failed: %lld != %lld\n", \
		       __FILE__, __LINE__, #a, #b, __a, __b); \
	} \
} while (0)

#define TAP_RUN(fn) tap_run(#fn, fn)

void tap_run(const char *name, void (*fn)(void));
int tap_done(void);

#endif
