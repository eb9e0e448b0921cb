/*
 * The shell's command history: the last HISTORY_DEPTH lines typed, oldest
 * dropped first. Blank lines and a repeat of the newest entry are not
 * stored. The line editor walks it with Up/Down; the `history` command
 * lists it.
 */
#ifndef SHELL_HISTORY_H
#define SHELL_HISTORY_H

#include <stddef.h>

#include "shell/line_limits.h"

#define HISTORY_DEPTH 32

struct history {
	char lines[HISTORY_DEPTH][LINE_MAX_CHARS + 1];
	size_t newest;		/* slot of the newest entry */
	size_t count;		/* entries held, at most HISTORY_DEPTH */
};

void history_init(struct history *h);

/* Store a line (truncated to LINE_MAX_CHARS); blank lines and repeats skipped. */
void history_add(struct history *h, const char *line);

size_t history_count(const struct history *h);

/* Entry by age: 0 is the newest; NULL past the oldest. */
const char *history_get(const struct history *h, size_t age);

#endif
