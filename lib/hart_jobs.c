/* A hart's job slot (see hart_jobs.h). */
#include "lib/errors.h"
#include "lib/hart_jobs.h"

enum hart_state hart_jobs_state(const struct hart_jobs *j)
{
	return (enum hart_state)__atomic_load_n(&j->state, __ATOMIC_ACQUIRE);
}

void hart_jobs_set_state(struct hart_jobs *j, enum hart_state state)
{
	__atomic_store_n(&j->state, state, __ATOMIC_RELEASE);
}

int hart_jobs_post(struct hart_jobs *j, const char *name, hart_job job, void *arg)
{
	uint32_t idle = HART_IDLE;

	if (!__atomic_compare_exchange_n(&j->state, &idle, HART_POSTING, false,
					 __ATOMIC_ACQUIRE, __ATOMIC_RELAXED))
		return -E_BUSY;
	j->job = job;
	j->arg = arg;
	__atomic_store_n(&j->name, name, __ATOMIC_RELAXED);	/* read by hart_jobs_doing */
	hart_jobs_set_state(j, HART_POSTED);
	return 0;
}

static void count_done(struct hart_jobs *j)
{
	__atomic_store_n(&j->done, __atomic_load_n(&j->done, __ATOMIC_RELAXED) + 1,
			 __ATOMIC_RELAXED);
}

void hart_jobs_run_here(struct hart_jobs *j, hart_job job, void *arg)
{
	job(arg);
	count_done(j);
}

bool hart_jobs_run_posted(struct hart_jobs *j)
{
	if (hart_jobs_state(j) != HART_POSTED)
		return false;
	hart_jobs_set_state(j, HART_RUNNING);
	j->job(j->arg);
	count_done(j);
	hart_jobs_set_state(j, HART_IDLE);
	return true;
}

bool hart_jobs_busy(const struct hart_jobs *j)
{
	enum hart_state state = hart_jobs_state(j);

	return state == HART_POSTING || state == HART_POSTED || state == HART_RUNNING;
}

/* Racy by nature: the job may end, and another start, meanwhile. */
const char *hart_jobs_doing(const struct hart_jobs *j)
{
	static const char *const names[] = {
		[HART_STARTING] = "starting", [HART_IDLE] = "idle",
		[HART_POSTING] = "taking a job", [HART_SHELL] = "shell",
		[HART_TRAPPED] = "halted after a trap",
	};
	enum hart_state state = hart_jobs_state(j);

	if (state == HART_POSTED || state == HART_RUNNING)
		return __atomic_load_n(&j->name, __ATOMIC_RELAXED);
	return names[state];
}

uint64_t hart_jobs_done_count(const struct hart_jobs *j)
{
	return __atomic_load_n(&j->done, __ATOMIC_RELAXED);
}
