/* The TAP producer behind tap.h. */
#include "tap.h"

int tap_failures_in_test;
int tap_test_count;
int tap_failed_count;

void tap_run(const char *name, void (*fn)(void))
{
	tap_failures_in_test = 0;
	fn();
	tap_test_count++;
	if (tap_failures_in_test) {
		tap_failed_count++;
		printf("not ok %d - %s\n", tap_test_count, name);
	} else {
		printf("ok %d - %s\n", tap_test_count, name);
	}
	fflush(stdout);
}

int tap_done(void)
{
	printf("1..%d\n", tap_test_count);
	return tap_failed_count ? 1 : 0;
}
