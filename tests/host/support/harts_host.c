/*
 * lib/harts.h for host builds: one hart, index 0, running the shell. A job
 * for it runs at once in the caller, as on the firmware's own hart.
 */
#include "lib/errors.h"
#include "lib/harts.h"

static uint64_t jobs_done;

unsigned hart_count(void)
{
	return 1;
}

unsigned hart_index(void)
{
	return 0;
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
