/*
 * Command history as a ring of fixed-size lines (see history.h): no
 * allocation, so it works before and without the heap.
 */
#include <string.h>

#include "shell/history.h"

void history_init(struct history *h)
{
	h->newest = 0;
	h->count = 0;
}

static int is_blank(const char *line)
{
	return line[strspn(line, " \t")] == '\0';
}

void history_add(struct history *h, const char *line)
{
	const char *newest = history_get(h, 0);

	if (is_blank(line) || (newest && strcmp(newest, line) == 0))
		return;
	h->newest = (h->newest + 1) % HISTORY_DEPTH;
	size_t len = strnlen(line, LINE_MAX_CHARS);
	memcpy(h->lines[h->newest], line, len);
	h->lines[h->newest][len] = '\0';
	if (h->count < HISTORY_DEPTH)
		h->count++;
}

size_t history_count(const struct history *h)
{
	return h->count;
}

const char *history_get(const struct history *h, size_t age)
{
	if (age >= h->count)
		return NULL;
	return h->lines[(h->newest + HISTORY_DEPTH - age) % HISTORY_DEPTH];
}
