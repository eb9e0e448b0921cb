/*
 * The harts as portable code sees them. Started harts are numbered by index:
 * 0 is the boot hart (it runs the shell), 1..hart_count()-1 the harts
 * buddymon started itself; the index is not the hart id the firmware uses.
 * A started hart waits, idle, until it is handed a job with hart_run(); it
 * runs it, then goes back to waiting.
 *
 * The firmware implements this in arch/riscv/hart*.c; host builds have one
 * hart (tests/host/support/harts_host.c).
 *
 *	for (unsigned i = 1; i < hart_count(); i++)
 *		hart_run(i, "stress", stress_job, &arg[i]);
 *	stress_job(&arg[0]);		(the caller's own share)
 *	for (unsigned i = 1; i < hart_count(); i++)
 *		hart_wait(i);
 */
#ifndef LIB_HARTS_H
#define LIB_HARTS_H

#include <stdbool.h>
#include <stdint.h>

/* Harts buddymon runs on, at most: the size for per-hart arrays. */
#define HARTS_MAX 32

typedef void (*hart_job)(void *arg);

/* Harts running buddymon, the boot hart included: at least 1. A hart is
 * counted before it starts (arch/riscv/hart.c; harts_host.c on the host).
 * Read inline: the allocators' drains and sweeps read it on every call. */
extern unsigned harts_counted;

static inline unsigned hart_count(void)
{
	return __atomic_load_n(&harts_counted, __ATOMIC_ACQUIRE);
}

/* Index of the calling hart, below hart_count(): a hart-local variable
 * that the hart's start sets (arch/riscv/hart.c; harts_host.c on the
 * host), read inline as the allocators' fast paths look up their hart's
 * cache on every call. */
extern __thread unsigned hart_self_index;

static inline unsigned hart_index(void)
{
	return hart_self_index;
}
/* The firmware's id (the /cpus reg) of the hart at `index`. */
unsigned long hart_id_at(unsigned index);
/* What it is doing: "shell", "idle", the name of its job, ... */
const char *hart_doing(unsigned index);
/* Jobs it has finished, and times it woke up from its idle wait. */
uint64_t hart_jobs_done(unsigned index);
uint64_t hart_wakeups(unsigned index);

/*
 * Runs job(arg) on the hart at `index` and returns at once; `name` is what
 * hart_doing() says meanwhile. On the calling hart itself the job runs
 * before hart_run returns. -E_RANGE for no such hart, -E_BUSY while it
 * still runs an earlier job.
 */
int hart_run(unsigned index, const char *name, hart_job job, void *arg);
/* Waits until the hart at `index` has no job; -E_RANGE for no such hart. */
int hart_wait(unsigned index);
/* Whether it has a job it has not finished: hart_wait would wait. */
bool hart_busy(unsigned index);

#endif
