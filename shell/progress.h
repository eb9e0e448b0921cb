/*
 * Pacing for commands that can run long (stress, bench): a loop calls
 * progress_tick() once per step of its work; every PROGRESS_POLL_STEPS
 * steps it looks at the console for Ctrl-C (shell/interrupt.h) and at the
 * clock, and says when the command should print a progress line (about
 * once a second) or stop. A stopped command frees what it holds and
 * returns progress_interrupted(), which prints the line scripts look for.
 *
 *   struct progress p;
 *   progress_start(&p);
 *   for (i = 0; i < n; i++) {
 *           enum progress_event e = progress_tick(&p);
 *           if (e == PROGRESS_STOP) break;
 *           if (e == PROGRESS_REPORT) console_printf("x: %llu of %llu\n", i, n);
 *           ...one step...
 *   }
 */
#ifndef SHELL_PROGRESS_H
#define SHELL_PROGRESS_H

#include <stdint.h>

#include "shell/command.h"

#define PROGRESS_INTERVAL_NS 1000000000ull	/* one progress line a second */
#define PROGRESS_POLL_STEPS 256u		/* steps between looks (power of two) */

enum progress_event {
	PROGRESS_CONTINUE,
	PROGRESS_REPORT,	/* a second has passed: print where the work is */
	PROGRESS_STOP,		/* Ctrl-C: clean up, return progress_interrupted() */
};

struct progress {
	uint64_t steps;
	uint64_t next_report_ns;
};

void progress_start(struct progress *p);
enum progress_event progress_tick(struct progress *p);

/* Prints "error: interrupted" and returns CMD_FAIL. */
enum cmd_result progress_interrupted(void);

#endif
