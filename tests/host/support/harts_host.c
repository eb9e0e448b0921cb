/*
 * lib/harts.h for host builds: one hart, index 0, running the shell. A job
 * for it runs at once in the caller, as on the firmware's own hart. Tests
 * with threads give each thread a hart index of its own and say how many
 * harts there are (harts_host.h).
 */
#include <stdbool.h>

#include "lib/errors.h"
#include "lib/harts.h"
#include "tests/host/support/harts_host.h"

static uint64_t jobs_done;
__thread unsigned hart_self_index;
unsigned harts_counted = 1;

/* A hart is counted before it runs, as on the firmware: the allocators
 * rely on it (mm/buddy.h). */
void harts_host_set_index(unsigned index)
{
	unsigned count = __atomic_load_n(&harts_counted, __ATOMIC_RELAXED);

	while (count <= index &&
	       !__atomic_compare_exchange_n(&harts_counted, &count, index + 1, true, __ATOMIC_RELAXED,
					    __ATOMIC_RELAXED))
		;
	hart_self_index = index;
}

unsigned long hart_id_at(unsigned index)
{
	(void)index;
	return 0;
}

const char *hart_doing(unsigned index)
{
	return index == 0 ? "shell" : "-";
}

uint64_t hart_jobs_done(unsigned index)
{
	return index == 0 ? jobs_done : 0;
}

uint64_t hart_wakeups(unsigned index)
{
	(void)index;
	return 0;
}

int hart_run(unsigned index, const char *name, hart_job job, void *arg)
{
	(void)name;
	if (index != 0)
		return -E_RANGE;
	job(arg);
	jobs_done++;
	return 0;
}

int hart_wait(unsigned index)
{
	return index == 0 ? 0 : -E_RANGE;
}

bool hart_busy(unsigned index)
{
	(void)index;
	return false;
}
