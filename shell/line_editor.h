/*
 * The shell's line editor: turns input bytes, one at a time, into finished
 * command lines while keeping the terminal showing the prompt, the line and
 * the cursor. Every byte is consumed synchronously, so a pasted script at
 * full speed loses nothing: the caller runs each line as soon as
 * editor_feed reports it and keeps feeding the rest.
 *
 * Keys: printable ASCII inserts at the cursor; Backspace (0x08 or 0x7f),
 * Delete or Ctrl-D, Left/Right or Ctrl-B/F, Home/End or Ctrl-A/E; Up/Down
 * or Ctrl-P/N walk the history; Tab completes the word before the cursor
 * from the candidates; Ctrl-C abandons the line, Ctrl-U kills it, Ctrl-K
 * kills from the cursor to the end, Ctrl-W deletes the word before the
 * cursor, Ctrl-L clears the screen. A line longer than LINE_MAX_CHARS
 * loses the extra bytes (the bell rings) and is refused with an error line
 * when Enter arrives, also after a walk through the history back to it.
 *
 * With echo off the editor still prints the prompt, the line break after
 * Enter or Ctrl-C and the too-long error, but not typed characters, "^C",
 * editing redraws or completion lists.
 */
#ifndef SHELL_LINE_EDITOR_H
#define SHELL_LINE_EDITOR_H

#include <stdbool.h>
#include <stddef.h>

#include "shell/history.h"
#include "shell/keys.h"
#include "shell/line_limits.h"

/* The index-th completion candidate (any order), or NULL past the last,
 * for the word starting at line[word_start]: the words before it,
 * line[0, word_start), say which command or argument it is. */
typedef const char *(*editor_candidate_fn)(const void *ctx, const char *line,
					   size_t word_start, size_t index);

enum editor_status {
	EDITOR_EDITING,		/* byte consumed, no line yet */
	EDITOR_LINE_READY,	/* Enter: editor_line() holds the line */
};

struct line_editor {
	const char *prompt;
	bool echo;
	struct history *history;
	editor_candidate_fn candidate;
	const void *candidate_ctx;
	struct key_decoder keys;
	char line[LINE_MAX_CHARS + 1];	/* always NUL-terminated */
	size_t len;
	size_t cursor;
	bool too_long;			/* bytes were dropped from this line */
	size_t history_age;		/* 0: the draft; n: history entry n-1 */
	char draft[LINE_MAX_CHARS + 1];	/* the line being typed before Up */
	bool draft_too_long;		/* too_long of the draft */
};

void editor_init(struct line_editor *ed, const char *prompt,
		 struct history *history, editor_candidate_fn candidate,
		 const void *candidate_ctx);
void editor_set_echo(struct line_editor *ed, bool on);

/* Begin a new, empty line: prints the prompt. */
void editor_start(struct line_editor *ed);

enum editor_status editor_feed(struct line_editor *ed, unsigned char byte);

/* The finished line; the caller may modify it until editor_start. */
char *editor_line(struct line_editor *ed);

#endif
