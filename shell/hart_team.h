/*
 * One piece of work on several harts at once, for shell commands
 * (`stress -s`, `bench -s`, `memtest`): the shell's hart (index 0) hands
 * job(arg of hart i) to harts 1..size-1 with hart_run (lib/harts.h), runs
 * its own share job(arg of hart 0), then waits for the others. The console
 * belongs to the shell's hart, so it alone looks for Ctrl-C and prints the
 * command's progress line about once a second (shell/progress.h), both
 * inside team_should_stop while it works on its share and while it waits;
 * a Ctrl-C, or any member that calls team_stop, makes team_should_stop
 * true on every hart.
 *
 *	struct team t;
 *	team_init(&t, hart_count(), print_progress, &state);
 *	team_run(&t, "stress", stress_job, runs, sizeof(runs[0]));
 *	in stress_job:  while (steps left && !team_should_stop(run->team)) ...
 */
#ifndef SHELL_HART_TEAM_H
#define SHELL_HART_TEAM_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "lib/harts.h"
#include "shell/progress.h"

/* Per-hart data that one hart writes often and another reads (progress
 * counters) is aligned to this, so that two harts' data share no cache
 * line. */
#define TEAM_CACHE_LINE_BYTES 64

/* A hart that could not run its share: hart_run's or hart_wait's error. */
struct team_failure {
	int err;			/* 0: none */
	unsigned hart;			/* its index */
};

struct team {
	unsigned size;			/* harts 0..size-1 take part */
	uint32_t stop;			/* read and written atomically */
	bool interrupted;		/* a Ctrl-C stopped it */
	struct team_failure failure;	/* the first */
	struct progress progress;	/* hart 0's */
	void (*report)(void *ctx);	/* prints a progress line; may be NULL */
	void *ctx;
};

void team_init(struct team *t, unsigned size, void (*report)(void *ctx), void *ctx);

/* Runs the shares (args: an array of size elements of arg_size bytes) and
 * waits for all of them: 0, or the first error, also in t->failure. A
 * hart that cannot take its share (busy, halted by a trap) stops the
 * others. */
int team_run(struct team *t, const char *name, hart_job job, void *args, size_t arg_size);

/* In a job: whether to stop now (Ctrl-C, or team_stop). On hart 0 it is
 * also where the console is polled and progress is printed: call it often
 * (every step is fine: it looks at the console every PROGRESS_POLL_STEPS). */
bool team_should_stop(struct team *t);

/* Any member: asks every member to stop (e.g. it found a violation). */
void team_stop(struct team *t);

/* "error: CMD: hart ID (index I): WHY" for a failure (nothing for none). */
void team_print_failure(const char *cmd, const struct team_failure *f);

#endif
