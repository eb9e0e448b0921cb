/*
 * `memtest` on every hart: one test of lib/memtest.h run by harts
 * 0..harts-1 at once, each over its share of the ranges (memtest_share),
 * through shell/hart_team.h. The caller's struct memtest gives the ranges,
 * the seed and the hooks: its fault hook is called under a lock, so it
 * may record bad frames (only the shell's hart gives frames back to the
 * allocator, after the run); its keep_going hook prints the progress line
 * on the shell's hart with every share's work added up. A Ctrl-C stops
 * every share.
 */
#ifndef SHELL_MEMTEST_HARTS_H
#define SHELL_MEMTEST_HARTS_H

#include <stdbool.h>

#include "lib/memtest.h"
#include "shell/hart_team.h"

/* Runs `test`; afterwards mt->done and mt->total are the shares' sums and
 * mt->errors counts theirs too. False when it was stopped: by Ctrl-C, or
 * by a hart that could not run its share (then *failure says which). */
bool memtest_run_on_harts(struct memtest *mt, enum memtest_test test, unsigned harts,
			  struct team_failure *failure);

#endif
