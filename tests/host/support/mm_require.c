/* The failure flag behind REQUIRE and the check reporter (mm_require.h). */
#include "tests/host/support/mm_require.h"

int mm_failed;

int mm_check_report(int err, const char *why, uintptr_t where)
{
	if (err)
		printf("#   check: %s at %#lx\n", why, (unsigned long)where);
	return err;
}
