/*
 * Line editor state machine (see line_editor.h): keys in, edits out. The
 * edits that keep the screen in step are in line_edit.c, Tab completion in
 * line_complete.c.
 */
#include <string.h>

#include "lib/console.h"
#include "shell/line_edit.h"

#define PRINTABLE_FIRST		0x20
#define PRINTABLE_LAST		0x7e
#define VT100_CLEAR_SCREEN	"\x1b[H\x1b[2J"

static void replace_line(struct line_editor *ed, const char *text)
{
	edit_delete_range(ed, 0, ed->len);
	edit_insert(ed, text, strlen(text));
}

static void reset_line(struct line_editor *ed)
{
	ed->line[0] = '\0';
	ed->len = 0;
	ed->cursor = 0;
	ed->too_long = false;
	ed->history_age = 0;
}

/* --- history --------------------------------------------------------------- */

static void show_history_entry(struct line_editor *ed, size_t age)
{
	const char *text = age == 0 ? ed->draft : history_get(ed->history, age - 1);

	if (!text) {
		edit_ring_bell(ed);
		return;
	}
	if (ed->history_age == 0) {
		memcpy(ed->draft, ed->line, ed->len + 1);
		ed->draft_too_long = ed->too_long;
	}
	ed->history_age = age;
	replace_line(ed, text);
	/* a history entry is whole; the draft keeps the bytes it lost */
	ed->too_long = age == 0 && ed->draft_too_long;
}

static void key_up(struct line_editor *ed)
{
	show_history_entry(ed, ed->history_age + 1);
}

static void key_down(struct line_editor *ed)
{
	if (ed->history_age == 0)
		edit_ring_bell(ed);
	else
		show_history_entry(ed, ed->history_age - 1);
}

/* --- editing keys ---------------------------------------------------------- */

static void insert_char(struct line_editor *ed, char c)
{
	if (!edit_has_room(ed, 1)) {
		ed->too_long = true;
		edit_ring_bell(ed);
		return;
	}
	edit_insert(ed, &c, 1);
}

static void key_backspace(struct line_editor *ed)
{
	if (ed->cursor > 0)
		edit_delete_range(ed, ed->cursor - 1, ed->cursor);
}

static void key_delete(struct line_editor *ed)
{
	if (ed->cursor < ed->len)
		edit_delete_range(ed, ed->cursor, ed->cursor + 1);
}

static void key_left(struct line_editor *ed)
{
	if (ed->cursor > 0)
		edit_move_cursor_to(ed, ed->cursor - 1);
}

static void key_right(struct line_editor *ed)
{
	if (ed->cursor < ed->len)
		edit_move_cursor_to(ed, ed->cursor + 1);
}

static void key_home(struct line_editor *ed)
{
	edit_move_cursor_to(ed, 0);
}

static void key_end(struct line_editor *ed)
{
	edit_move_cursor_to(ed, ed->len);
}

static void key_kill_line(struct line_editor *ed)
{
	replace_line(ed, "");
	ed->too_long = false;
}

static void key_kill_to_end(struct line_editor *ed)
{
	edit_delete_range(ed, ed->cursor, ed->len);
}

static void key_delete_word(struct line_editor *ed)
{
	size_t from = ed->cursor;

	while (from > 0 && ed->line[from - 1] == EDIT_WORD_SEPARATOR)
		from--;
	while (from > 0 && ed->line[from - 1] != EDIT_WORD_SEPARATOR)
		from--;
	edit_delete_range(ed, from, ed->cursor);
}

static void key_clear_screen(struct line_editor *ed)
{
	edit_echo_str(ed, VT100_CLEAR_SCREEN);
	edit_redraw(ed);
}

static void key_cancel(struct line_editor *ed)
{
	edit_echo_str(ed, "^C");
	console_puts(EDIT_NEWLINE);
	editor_start(ed);
}

static const struct {
	int key;
	void (*action)(struct line_editor *ed);
} keymap[] = {
	{ KEY_BACKSPACE, key_backspace },
	{ KEY_DEL, key_backspace },
	{ KEY_DELETE, key_delete },
	{ KEY_LEFT, key_left },
	{ KEY_RIGHT, key_right },
	{ KEY_HOME, key_home },
	{ KEY_END, key_end },
	{ KEY_UP, key_up },
	{ KEY_DOWN, key_down },
	{ KEY_TAB, edit_complete },
	{ KEY_CTRL('C'), key_cancel },
	/* the Emacs keys of U-Boot's, Zephyr's and readline's editors */
	{ KEY_CTRL('A'), key_home },
	{ KEY_CTRL('E'), key_end },
	{ KEY_CTRL('B'), key_left },
	{ KEY_CTRL('F'), key_right },
	{ KEY_CTRL('D'), key_delete },
	{ KEY_CTRL('K'), key_kill_to_end },
	{ KEY_CTRL('P'), key_up },
	{ KEY_CTRL('N'), key_down },
	{ KEY_CTRL('U'), key_kill_line },
	{ KEY_CTRL('W'), key_delete_word },
	{ KEY_CTRL('L'), key_clear_screen },
};

static void handle_key(struct line_editor *ed, int key)
{
	if (key >= PRINTABLE_FIRST && key <= PRINTABLE_LAST) {
		insert_char(ed, (char)key);
		return;
	}
	for (size_t i = 0; i < sizeof(keymap) / sizeof(keymap[0]); i++) {
		if (keymap[i].key == key) {
			keymap[i].action(ed);
			return;
		}
	}
}

/* Enter: hand the line over, or refuse it if bytes were dropped. */
static enum editor_status finish_line(struct line_editor *ed)
{
	console_puts(EDIT_NEWLINE);
	if (ed->too_long) {
		console_printf("error: line too long (max %d characters)\n",
			       LINE_MAX_CHARS);
		editor_start(ed);
		return EDITOR_EDITING;
	}
	history_add(ed->history, ed->line);
	return EDITOR_LINE_READY;
}

/* --- public ---------------------------------------------------------------- */

void editor_init(struct line_editor *ed, const char *prompt,
		 struct history *history, editor_candidate_fn candidate,
		 const void *candidate_ctx)
{
	ed->prompt = prompt;
	ed->echo = true;
	ed->history = history;
	ed->candidate = candidate;
	ed->candidate_ctx = candidate_ctx;
	key_decoder_init(&ed->keys);
	reset_line(ed);
	ed->draft[0] = '\0';
	ed->draft_too_long = false;
}

void editor_set_echo(struct line_editor *ed, bool on)
{
	ed->echo = on;
}

void editor_start(struct line_editor *ed)
{
	reset_line(ed);
	console_puts(ed->prompt);
}

enum editor_status editor_feed(struct line_editor *ed, unsigned char byte)
{
	int key = key_decode(&ed->keys, byte);

	if (key == KEY_ENTER)
		return finish_line(ed);
	handle_key(ed, key);
	return EDITOR_EDITING;
}

char *editor_line(struct line_editor *ed)
{
	return ed->line;
}
