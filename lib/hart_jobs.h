/*
 * A hart's job slot: how one hart hands a job to another (lib/harts.h's
 * hart_run and hart_wait), apart from how the hart is woken. Portable, so
 * the protocol is tested on the host with threads under ThreadSanitizer
 * (tests/host/tsan/test_hart_jobs.c); the firmware adds the IPI and wfi
 * (arch/riscv/hart.c).
 *
 * One state word says where the hart is. A caller moves it IDLE -> POSTING
 * with a compare-and-swap, so two callers cannot both post; it writes the
 * job and publishes it with a release store of POSTED. The hart sees
 * POSTED (acquire), runs the job in RUNNING, and stores IDLE (release), so
 * the job's writes are visible to whoever then sees IDLE.
 */
#ifndef LIB_HART_JOBS_H
#define LIB_HART_JOBS_H

#include <stdbool.h>
#include <stdint.h>

#include "lib/harts.h"

enum hart_state {
	HART_STARTING,		/* asked to start, not arrived yet */
	HART_IDLE,		/* waiting for a job */
	HART_POSTING,		/* a caller is writing a job in */
	HART_POSTED,		/* a job waits for the hart */
	HART_RUNNING,		/* running its job */
	HART_SHELL,		/* the boot hart: runs the shell, takes no jobs */
	HART_TRAPPED,		/* halted after a trap report */
};

struct hart_jobs {
	uint32_t state;		/* enum hart_state, read and written atomically */
	hart_job job;
	void *arg;
	const char *name;
	uint64_t done;		/* jobs finished */
};

enum hart_state hart_jobs_state(const struct hart_jobs *j);
void hart_jobs_set_state(struct hart_jobs *j, enum hart_state state);

/* Any hart: hands the job over; -E_BUSY unless the hart is idle. */
int hart_jobs_post(struct hart_jobs *j, const char *name, hart_job job, void *arg);
/* The hart itself: runs a posted job, if there is one, and says whether. */
bool hart_jobs_run_posted(struct hart_jobs *j);
/* The hart itself: runs a job of its own now, and counts it. */
void hart_jobs_run_here(struct hart_jobs *j, hart_job job, void *arg);
/* Any hart: whether the hart has a job it has not finished. */
bool hart_jobs_busy(const struct hart_jobs *j);
/* Any hart: what it does, as hart_doing() says it. */
const char *hart_jobs_doing(const struct hart_jobs *j);
uint64_t hart_jobs_done_count(const struct hart_jobs *j);

#endif
