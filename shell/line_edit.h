/*
 * The line editor's edits that keep the screen in step (line_edit.c): the
 * screen always shows prompt + line with the terminal cursor at
 * ed->cursor, and each of these keeps that true with plain VT100 output.
 * The keys (line_editor.c) and Tab completion (line_complete.c) are built
 * from them. Output is dropped when echo is off.
 */
#ifndef SHELL_LINE_EDIT_H
#define SHELL_LINE_EDIT_H

#include <stdbool.h>
#include <stddef.h>

#include "shell/line_editor.h"

#define EDIT_NEWLINE		"\n"	/* console_write sends "\r\n" */
#define EDIT_WORD_SEPARATOR	' '

void edit_echo(struct line_editor *ed, const char *s, size_t n);
void edit_echo_str(struct line_editor *ed, const char *s);
void edit_ring_bell(struct line_editor *ed);

/* Whether n more characters fit in the line. */
bool edit_has_room(const struct line_editor *ed, size_t n);
void edit_move_cursor_to(struct line_editor *ed, size_t pos);
/* Insert at the cursor; the caller checked edit_has_room. */
void edit_insert(struct line_editor *ed, const char *text, size_t n);
/* Remove line[from, to) and leave the cursor at from. */
void edit_delete_range(struct line_editor *ed, size_t from, size_t to);
/* Prompt, line and cursor from column 0 of a fresh line. */
void edit_redraw(struct line_editor *ed);

/* Tab (line_complete.c). */
void edit_complete(struct line_editor *ed);

#endif
