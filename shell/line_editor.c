/*
 * Line editor state machine (see line_editor.h). The screen always shows
 * prompt + line with the terminal cursor at ed->cursor; every edit below
 * keeps that true with plain VT100 output: backspace or ESC [ n D to move
 * left, rewriting characters to move right, ESC [ K to erase the tail.
 */
#include <string.h>

#include "lib/console.h"
#include "shell/line_editor.h"

#define PRINTABLE_FIRST		0x20
#define PRINTABLE_LAST		0x7e
#define VT100_ERASE_TO_EOL	"\x1b[K"
#define VT100_CLEAR_SCREEN	"\x1b[H\x1b[2J"
#define NEWLINE			"\n"	/* console_write sends "\r\n" */
#define WORD_SEPARATOR		' '

/* --- output, dropped when echo is off ----------------------------------- */

static void echo_bytes(struct line_editor *ed, const char *s, size_t n)
{
	if (ed->echo)
		console_write(s, n);
}

static void echo_str(struct line_editor *ed, const char *s)
{
	echo_bytes(ed, s, strlen(s));
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

static void ring_bell(struct line_editor *ed)
{
	if (ed->echo)
		console_putc(KEY_BELL);
}

/* --- edits that keep the screen in step ---------------------------------- */

static void move_cursor_to(struct line_editor *ed, size_t pos)
{
	if (pos < ed->cursor)
		echo_cursor_left(ed, ed->cursor - pos);
	else
		echo_bytes(ed, ed->line + ed->cursor, pos - ed->cursor);
	ed->cursor = pos;
}

static bool has_room(const struct line_editor *ed, size_t n)
{
	return n <= LINE_MAX_CHARS - ed->len;
}

/* Insert at the cursor; the caller checked has_room. */
static void insert_text(struct line_editor *ed, const char *text, size_t n)
{
	memmove(ed->line + ed->cursor + n, ed->line + ed->cursor,
		ed->len - ed->cursor + 1);
	memcpy(ed->line + ed->cursor, text, n);
	ed->len += n;
	echo_bytes(ed, ed->line + ed->cursor, ed->len - ed->cursor);
	ed->cursor += n;
	echo_cursor_left(ed, ed->len - ed->cursor);
}

/* Remove line[from, to) and leave the cursor at from. */
static void delete_range(struct line_editor *ed, size_t from, size_t to)
{
	move_cursor_to(ed, from);
	memmove(ed->line + from, ed->line + to, ed->len - to + 1);
	ed->len -= to - from;
	echo_bytes(ed, ed->line + from, ed->len - from);
	echo_str(ed, VT100_ERASE_TO_EOL);
	echo_cursor_left(ed, ed->len - from);
}

static void replace_line(struct line_editor *ed, const char *text)
{
	delete_range(ed, 0, ed->len);
	insert_text(ed, text, strlen(text));
	ed->too_long = false;
}

/* Prompt, line and cursor from column 0 of a fresh line. */
static void redraw(struct line_editor *ed)
{
	echo_str(ed, ed->prompt);
	echo_bytes(ed, ed->line, ed->len);
	echo_cursor_left(ed, ed->len - ed->cursor);
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
		ring_bell(ed);
		return;
	}
	if (ed->history_age == 0)
		memcpy(ed->draft, ed->line, ed->len + 1);
	ed->history_age = age;
	replace_line(ed, text);
}

static void key_up(struct line_editor *ed)
{
	show_history_entry(ed, ed->history_age + 1);
}

static void key_down(struct line_editor *ed)
{
	if (ed->history_age == 0)
		ring_bell(ed);
	else
		show_history_entry(ed, ed->history_age - 1);
}

/* --- completion ------------------------------------------------------------ */

struct completion {
	const char *prefix;
	size_t prefix_len;
	const char *first;	/* first matching candidate */
	size_t common_len;	/* length shared by every match */
	size_t matches;
};

static size_t common_prefix_len(const char *a, const char *b, size_t max)
{
	size_t n = 0;

	while (n < max && a[n] && a[n] == b[n])
		n++;
	return n;
}

static void find_matches(struct line_editor *ed, struct completion *c)
{
	const char *name;

	c->matches = 0;
	for (size_t i = 0; (name = ed->candidate(ed->candidate_ctx, i)); i++) {
		if (strncmp(name, c->prefix, c->prefix_len) != 0)
			continue;
		if (c->matches++ == 0) {
			c->first = name;
			c->common_len = strlen(name);
		} else {
			c->common_len = common_prefix_len(c->first, name, c->common_len);
		}
	}
}

static void list_matches(struct line_editor *ed, const struct completion *c)
{
	const char *name;
	const char *separator = NEWLINE;

	for (size_t i = 0; (name = ed->candidate(ed->candidate_ctx, i)); i++) {
		if (strncmp(name, c->prefix, c->prefix_len) != 0)
			continue;
		echo_str(ed, separator);
		echo_str(ed, name);
		separator = "  ";
	}
	echo_str(ed, NEWLINE);
	redraw(ed);
}

/* Extend the matches' common part; a unique match also gets a space. */
static void insert_completion(struct line_editor *ed, const struct completion *c)
{
	char text[LINE_MAX_CHARS + 1];
	size_t extra = c->common_len - c->prefix_len;

	if (!has_room(ed, extra + 1)) {
		ring_bell(ed);
		return;
	}
	memcpy(text, c->first + c->prefix_len, extra);
	if (c->matches == 1)
		text[extra++] = WORD_SEPARATOR;
	insert_text(ed, text, extra);
}

/* Tab: complete the first word, up to the cursor. */
static void key_tab(struct line_editor *ed)
{
	size_t start = strspn(ed->line, " ");
	struct completion c = { .prefix = ed->line + start };

	if (!ed->candidate || ed->cursor < start ||
	    memchr(c.prefix, WORD_SEPARATOR, ed->cursor - start)) {
		ring_bell(ed);
		return;
	}
	c.prefix_len = ed->cursor - start;
	find_matches(ed, &c);
	if (c.matches == 0)
		ring_bell(ed);
	else if (c.matches == 1 || c.common_len > c.prefix_len)
		insert_completion(ed, &c);
	else
		list_matches(ed, &c);
}

/* --- editing keys ---------------------------------------------------------- */

static void insert_char(struct line_editor *ed, char c)
{
	if (!has_room(ed, 1)) {
		ed->too_long = true;
		ring_bell(ed);
		return;
	}
	insert_text(ed, &c, 1);
}

static void key_backspace(struct line_editor *ed)
{
	if (ed->cursor > 0)
		delete_range(ed, ed->cursor - 1, ed->cursor);
}

static void key_delete(struct line_editor *ed)
{
	if (ed->cursor < ed->len)
		delete_range(ed, ed->cursor, ed->cursor + 1);
}

static void key_left(struct line_editor *ed)
{
	if (ed->cursor > 0)
		move_cursor_to(ed, ed->cursor - 1);
}

static void key_right(struct line_editor *ed)
{
	if (ed->cursor < ed->len)
		move_cursor_to(ed, ed->cursor + 1);
}

static void key_home(struct line_editor *ed)
{
	move_cursor_to(ed, 0);
}

static void key_end(struct line_editor *ed)
{
	move_cursor_to(ed, ed->len);
}

static void key_kill_line(struct line_editor *ed)
{
	replace_line(ed, "");
}

static void key_delete_word(struct line_editor *ed)
{
	size_t from = ed->cursor;

	while (from > 0 && ed->line[from - 1] == WORD_SEPARATOR)
		from--;
	while (from > 0 && ed->line[from - 1] != WORD_SEPARATOR)
		from--;
	delete_range(ed, from, ed->cursor);
}

static void key_clear_screen(struct line_editor *ed)
{
	echo_str(ed, VT100_CLEAR_SCREEN);
	redraw(ed);
}

static void key_cancel(struct line_editor *ed)
{
	echo_str(ed, "^C");
	console_puts(NEWLINE);
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
	{ KEY_TAB, key_tab },
	{ KEY_CTRL('C'), key_cancel },
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
	console_puts(NEWLINE);
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
