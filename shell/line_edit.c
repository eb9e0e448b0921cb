/*
 * Edits that keep the screen in step (see line_edit.h): backspace or
 * ESC [ n D to move left, rewriting characters to move right, ESC [ K to
 * erase the tail.
 */
#include <string.h>

#include "lib/console.h"
#include "shell/line_edit.h"

#define VT100_ERASE_TO_EOL	"\x1b[K"

void edit_echo(struct line_editor *ed, const char *s, size_t n)
{
	if (ed->echo)
		console_write(s, n);
}

void edit_echo_str(struct line_editor *ed, const char *s)
{
	edit_echo(ed, s, strlen(s));
}

static void echo_cursor_left(struct line_editor *ed, size_t n)
{
	if (!ed->echo || n == 0)
		return;
	if (n == 1)
		console_putc('\b');
	else
		console_printf("\x1b[%uD", (unsigned)n);
}

void edit_ring_bell(struct line_editor *ed)
{
	if (ed->echo)
		console_putc(KEY_BELL);
}

bool edit_has_room(const struct line_editor *ed, size_t n)
{
	return n <= LINE_MAX_CHARS - ed->len;
}

void edit_move_cursor_to(struct line_editor *ed, size_t pos)
{
	if (pos < ed->cursor)
		echo_cursor_left(ed, ed->cursor - pos);
	else
		edit_echo(ed, ed->line + ed->cursor, pos - ed->cursor);
	ed->cursor = pos;
}

void edit_insert(struct line_editor *ed, const char *text, size_t n)
{
	memmove(ed->line + ed->cursor + n, ed->line + ed->cursor,
		ed->len - ed->cursor + 1);
	memcpy(ed->line + ed->cursor, text, n);
	ed->len += n;
	edit_echo(ed, ed->line + ed->cursor, ed->len - ed->cursor);
	ed->cursor += n;
	echo_cursor_left(ed, ed->len - ed->cursor);
}

void edit_delete_range(struct line_editor *ed, size_t from, size_t to)
{
	edit_move_cursor_to(ed, from);
	memmove(ed->line + from, ed->line + to, ed->len - to + 1);
	ed->len -= to - from;
	edit_echo(ed, ed->line + from, ed->len - from);
	edit_echo_str(ed, VT100_ERASE_TO_EOL);
	echo_cursor_left(ed, ed->len - from);
}

void edit_redraw(struct line_editor *ed)
{
	edit_echo_str(ed, ed->prompt);
	edit_echo(ed, ed->line, ed->len);
	echo_cursor_left(ed, ed->len - ed->cursor);
}
