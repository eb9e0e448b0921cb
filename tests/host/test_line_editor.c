/*
 * Tests for shell/line_editor.c and shell/keys.c: raw bytes in, and both
 * the finished lines and the exact bytes on the screen checked.
 */
#include <string.h>

#include "shell/line_editor.h"
#include "tap.h"
#include "tests/host/support/fake_console.h"

#define PROMPT "> "
#define MAX_LINES 64

#define UP "\x1b[A"
#define DOWN "\x1b[B"
#define RIGHT "\x1b[C"
#define LEFT "\x1b[D"
#define HOME "\x1b[H"
#define END "\x1b[F"
#define DELETE "\x1b[3~"
#define EL "\x1b[K"

#define CHECK_SCREEN(expected) TAP_CHECK(fake_console_expect_output(expected))
#define CHECK_LINE(n, expected) do { \
	TAP_CHECK(line_count > (n)); \
	if (line_count > (n)) \
		TAP_CHECK(strcmp(lines[n], expected) == 0); \
} while (0)

static const char *const names[] = {
	"help", "history", "hexdump", "version", "set", "setenv",
};

static struct history history;
static struct line_editor ed;
static char lines[MAX_LINES][LINE_MAX_CHARS + 1];
static int line_count;

static const char *const set_words[] = { "on", "off" };

/* Command names for the first word; after "set ", on and off. */
static const char *candidate(const void *ctx, const char *line, size_t word_start, size_t index)
{
	(void)ctx;
	if (word_start == strspn(line, " "))
		return index < sizeof(names) / sizeof(names[0]) ? names[index] : NULL;
	if (word_start == 4 && strncmp(line, "set ", 4) == 0)
		return index < sizeof(set_words) / sizeof(set_words[0]) ? set_words[index] : NULL;
	return NULL;
}

/* A fresh editor after its first prompt, screen and lines cleared. */
static void setup(void)
{
	history_init(&history);
	editor_init(&ed, PROMPT, &history, candidate, NULL);
	editor_start(&ed);
	fake_console_reset();
	line_count = 0;
}

/* Feed bytes the way the shell does: each finished line, then a new prompt. */
static void feed_bytes(const char *bytes, size_t len)
{
	for (size_t i = 0; i < len; i++) {
		if (editor_feed(&ed, (unsigned char)bytes[i]) != EDITOR_LINE_READY)
			continue;
		if (line_count < MAX_LINES)
			strcpy(lines[line_count], editor_line(&ed));
		line_count++;
		editor_start(&ed);
	}
}

static void feed(const char *bytes)
{
	feed_bytes(bytes, strlen(bytes));
}

static void test_typing_echoes(void)
{
	setup();
	feed("ls -l");
	CHECK_SCREEN("ls -l");
	TAP_CHECK_EQ(line_count, 0);
	feed("\r");
	CHECK_SCREEN("\r\n" PROMPT);
	TAP_CHECK_EQ(line_count, 1);
	CHECK_LINE(0, "ls -l");
}

static void test_line_endings(void)
{
	setup();
	feed("a\rb\nc\r\nd\r");
	feed("\n\ne\r\r");		/* LF after CR split across feeds */
	TAP_CHECK_EQ(line_count, 7);
	CHECK_LINE(0, "a");
	CHECK_LINE(1, "b");
	CHECK_LINE(2, "c");
	CHECK_LINE(3, "d");
	CHECK_LINE(4, "");		/* the second LF is a line of its own */
	CHECK_LINE(5, "e");
	CHECK_LINE(6, "");
}

static void test_backspace_both_codes(void)
{
	setup();
	feed("abc\x08\x7f");
	CHECK_SCREEN("abc" "\b" EL "\b" EL);
	feed("\x7f\x7f\r");		/* extra backspace at column 0: nothing */
	CHECK_SCREEN("\b" EL "\r\n" PROMPT);
	CHECK_LINE(0, "");
}

static void test_insert_mid_line(void)
{
	setup();
	feed("acd" LEFT LEFT "b");
	CHECK_SCREEN("acd\b\b" "bcd\x1b[2D");
	feed("\r");
	CHECK_LINE(0, "abcd");
}

static void test_backspace_mid_line(void)
{
	setup();
	feed("abxcd" LEFT LEFT "\x7f");
	CHECK_SCREEN("abxcd\b\b" "\b" "cd" EL "\x1b[2D");
	feed("\r");
	CHECK_LINE(0, "abcd");
}

static void test_left_right(void)
{
	setup();
	feed("ab" LEFT LEFT LEFT RIGHT "X" RIGHT RIGHT "Y");
	CHECK_SCREEN("ab\b\b" "a" "Xb\b" "b" "Y");
	feed("\r");
	CHECK_LINE(0, "aXbY");
}

static void test_home_end(void)
{
	setup();
	feed("bc" HOME "a" END "d");
	CHECK_SCREEN("bc\x1b[2D" "abc\x1b[2D" "bc" "d");
	feed("\r");
	CHECK_LINE(0, "abcd");
}

static void test_home_end_spellings(void)
{
	static const char *const homes[] = { "\x1b[H", "\x1bOH", "\x1b[1~", "\x1b[7~" };
	static const char *const ends[] = { "\x1b[F", "\x1bOF", "\x1b[4~", "\x1b[8~" };

	setup();
	for (int i = 0; i < 4; i++) {
		feed("mid");
		feed(homes[i]);
		feed("<");
		feed(ends[i]);
		feed(">\r");
	}
	TAP_CHECK_EQ(line_count, 4);
	for (int i = 0; i < 4; i++)
		CHECK_LINE(i, "<mid>");
}

static void test_delete_key(void)
{
	setup();
	feed("abc" HOME DELETE);
	CHECK_SCREEN("abc\x1b[3D" "bc" EL "\x1b[2D");
	feed(END DELETE "\r");	/* Delete at the end does nothing */
	CHECK_SCREEN("bc" "\r\n" PROMPT);
	CHECK_LINE(0, "bc");
}

static void test_unknown_sequences_ignored(void)
{
	setup();
	feed("a\x1b[5~\x1b[1;5C\x1b[2J\x1b[Z\x1bOPb");
	CHECK_SCREEN("ab");
	feed("\x1b\r");		/* a lone ESC does not eat the line end */
	CHECK_LINE(0, "ab");
	feed("\x1b[12\n");
	TAP_CHECK_EQ(line_count, 2);
	CHECK_LINE(1, "");
}

static void test_ctrl_c_abandons(void)
{
	setup();
	feed("abc\x03");
	CHECK_SCREEN("abc^C\r\n" PROMPT);
	TAP_CHECK_EQ(line_count, 0);
	feed("x\r");
	CHECK_LINE(0, "x");
	TAP_CHECK_EQ(history_count(&history), 1);
}

static void test_ctrl_u_kills_line(void)
{
	setup();
	feed("abc" LEFT "\x15");
	CHECK_SCREEN("abc\b" "\x1b[2D" EL);
	feed("d\r");
	CHECK_LINE(0, "d");
}

static void test_ctrl_w_deletes_word(void)
{
	setup();
	feed("foo bar  \x17");
	CHECK_SCREEN("foo bar  " "\x1b[5D" EL);
	feed("\x17\x17\r");
	CHECK_LINE(0, "");
	fake_console_clear_output();
	feed("one two three" LEFT LEFT LEFT LEFT LEFT "\x17");
	CHECK_SCREEN("one two three" "\b\b\b\b\b" "\x1b[4D" "three" EL "\x1b[5D");
	feed("\r");
	CHECK_LINE(1, "one three");
}

static void test_ctrl_l_redraws(void)
{
	setup();
	feed("ab" LEFT "\x0c");
	CHECK_SCREEN("ab\b" "\x1b[H\x1b[2J" PROMPT "ab\b");
	feed("\r");
	CHECK_LINE(0, "ab");
}

static void test_history_walk(void)
{
	setup();
	feed("one\rtwo\rtwo\r\r   \rthree\r");
	TAP_CHECK_EQ(history_count(&history), 3);
	fake_console_clear_output();
	feed(UP);
	CHECK_SCREEN(EL "three");
	feed(UP UP);
	CHECK_SCREEN("\x1b[5D" EL "two" "\x1b[3D" EL "one");
	feed(UP);		/* past the oldest: bell, line kept */
	CHECK_SCREEN("\a");
	feed(DOWN DOWN "\r");
	CHECK_LINE(6, "three");
	TAP_CHECK_EQ(history_count(&history), 3);	/* repeat not stored */
}

static void test_history_keeps_draft(void)
{
	setup();
	feed("old\rdra");
	feed(UP DOWN);
	feed(DOWN);		/* already on the draft: bell */
	fake_console_clear_output();
	feed("ft\r");
	CHECK_LINE(1, "draft");
}

static void test_history_depth(void)
{
	char text[16];

	setup();
	for (int i = 0; i < HISTORY_DEPTH + 8; i++) {
		snprintf(text, sizeof(text), "cmd%d\r", i);
		feed(text);
	}
	TAP_CHECK(HISTORY_DEPTH >= 16);
	TAP_CHECK_EQ(history_count(&history), HISTORY_DEPTH);
	for (int i = 0; i < HISTORY_DEPTH + 3; i++)
		feed(UP);
	feed("\r");
	snprintf(text, sizeof(text), "cmd%d", 8);
	CHECK_LINE(HISTORY_DEPTH + 8, text);
}

static void test_complete_unique(void)
{
	setup();
	feed("v\t");
	CHECK_SCREEN("v" "ersion ");
	feed("\r");
	CHECK_LINE(0, "version ");
	feed("  hi\t\r");
	CHECK_LINE(1, "  history ");
}

static void test_complete_ambiguous(void)
{
	setup();
	feed("se\t");
	CHECK_SCREEN("se" "t");		/* common prefix of set, setenv */
	feed("\t");
	CHECK_SCREEN("\r\nset  setenv\r\n" PROMPT "set");
	feed("\x15h\t");
	CHECK_SCREEN("\x1b[3D" EL "h" "\r\nhelp  history  hexdump\r\n" PROMPT "h");
	feed("e\t\r");
	CHECK_LINE(0, "he");
}

static void test_complete_mid_line(void)
{
	setup();
	feed("v 12" HOME RIGHT "\t");	/* completes the first word only */
	CHECK_SCREEN("v 12\x1b[4D" "v" "ersion  12\x1b[3D");
	feed("\r");
	CHECK_LINE(0, "version  12");
}

static void test_complete_nothing(void)
{
	setup();
	feed("zz\t" "set x\t");
	CHECK_SCREEN("zz\a" "set x\a");
	setup();
	feed("help set o\t");	/* no candidates for a third word */
	CHECK_SCREEN("help set o\a");
}

static void test_complete_argument(void)
{
	setup();
	feed("set of\t");
	CHECK_SCREEN("set of" "f ");
	feed("\r");
	CHECK_LINE(0, "set off ");
	fake_console_clear_output();
	feed("set o\t");
	CHECK_SCREEN("set o" "\r\non  off\r\n" PROMPT "set o");
	feed("n\r");
	CHECK_LINE(1, "set on");
	fake_console_clear_output();
	feed("set on" HOME "\x06\x06\x06\x06" "\t");	/* an empty word: their common "o" */
	CHECK_SCREEN("set on\x1b[6D" "set " "oon\x1b[2D");
}

static void test_emacs_keys(void)
{
	setup();
	feed("bc\x01" "a\x05" "d");		/* Ctrl-A home, Ctrl-E end */
	CHECK_SCREEN("bc\x1b[2D" "abc\x1b[2D" "bc" "d");
	feed("\x02\x02" "X\x06" "Y\r");	/* Ctrl-B left, Ctrl-F right */
	CHECK_SCREEN("\b\b" "Xcd\x1b[2D" "c" "Yd\b" "\r\n" PROMPT);
	CHECK_LINE(0, "abXcYd");
	fake_console_clear_output();
	feed("abc\x01\x04");		/* Ctrl-D deletes under the cursor */
	CHECK_SCREEN("abc\x1b[3D" "bc" EL "\x1b[2D");
	feed("\x05\x04\r");		/* at the end: nothing */
	CHECK_LINE(1, "bc");
	fake_console_clear_output();
	feed("one two" "\x02\x02\x02" "\x0b");	/* Ctrl-K kills to the end */
	CHECK_SCREEN("one two\b\b\b" EL);
	feed("\x0b" "!\r");			/* again at the end: nothing */
	CHECK_LINE(2, "one !");
	fake_console_clear_output();
	feed("\x10\x10" "\x0e" "\r");	/* Ctrl-P, Ctrl-P, Ctrl-N: history */
	CHECK_LINE(3, "one !");
	feed("\x10\x10\x10\r");
	CHECK_LINE(4, "abXcYd");
}

static void test_long_line_refused(void)
{
	char bytes[LINE_MAX_CHARS + 40];
	char expected[2 * sizeof(bytes) + 128];

	setup();
	memset(bytes, 'a', sizeof(bytes));
	feed_bytes(bytes, sizeof(bytes));
	feed("\r");
	TAP_CHECK_EQ(line_count, 0);
	TAP_CHECK_EQ(history_count(&history), 0);
	memset(expected, 'a', LINE_MAX_CHARS);
	memset(expected + LINE_MAX_CHARS, '\a', 40);
	strcpy(expected + LINE_MAX_CHARS + 40,
	       "\r\nerror: line too long (max 256 characters)\r\n" PROMPT);
	CHECK_SCREEN(expected);
	feed("ok\r");
	CHECK_LINE(0, "ok");
}

static void test_long_line_refused_after_history_walk(void)
{
	char bytes[LINE_MAX_CHARS + 10];

	setup();
	feed("old\r");
	memset(bytes, 'a', sizeof(bytes));
	feed_bytes(bytes, sizeof(bytes));
	feed(UP DOWN "\r");		/* the cut draft comes back still cut */
	TAP_CHECK_EQ(line_count, 1);
	TAP_CHECK(strstr(fake_console_output(), "error: line too long") != NULL);
	feed_bytes(bytes, sizeof(bytes));
	feed(UP "\r");			/* an entry from the history is whole */
	TAP_CHECK_EQ(line_count, 2);
	CHECK_LINE(1, "old");
	feed_bytes(bytes, sizeof(bytes));
	feed("\x10\x0e" "\r");		/* the same with Ctrl-P, Ctrl-N */
	TAP_CHECK_EQ(line_count, 2);
}

static void test_full_line_accepted(void)
{
	char bytes[LINE_MAX_CHARS + 1];

	setup();
	memset(bytes, 'b', LINE_MAX_CHARS);
	bytes[LINE_MAX_CHARS] = '\0';
	feed(bytes);
	feed("\r");
	CHECK_LINE(0, bytes);
	feed(bytes);
	fake_console_clear_output();
	feed(HOME "x\r");	/* no room in the middle either */
	CHECK_SCREEN("\x1b[256D" "\a" "\r\nerror: line too long (max 256 characters)\r\n" PROMPT);
	TAP_CHECK_EQ(line_count, 1);
}

static void test_kill_forgets_dropped_bytes(void)
{
	char bytes[LINE_MAX_CHARS + 1];

	setup();
	memset(bytes, 'c', sizeof(bytes));
	feed_bytes(bytes, sizeof(bytes));
	feed("\x15ok\r");
	CHECK_LINE(0, "ok");
}

static void test_echo_off(void)
{
	setup();
	editor_set_echo(&ed, false);
	feed("ab\x7f" "c" LEFT "\x0c" "\t" UP "\x03");
	CHECK_SCREEN("\r\n" PROMPT);
	feed("ab\x7f" "c\r");
	CHECK_SCREEN("\r\n" PROMPT);
	CHECK_LINE(0, "ac");
}

int main(void)
{
	TAP_RUN(test_typing_echoes);
	TAP_RUN(test_line_endings);
	TAP_RUN(test_backspace_both_codes);
	TAP_RUN(test_insert_mid_line);
	TAP_RUN(test_backspace_mid_line);
	TAP_RUN(test_left_right);
	TAP_RUN(test_home_end);
	TAP_RUN(test_home_end_spellings);
	TAP_RUN(test_delete_key);
	TAP_RUN(test_unknown_sequences_ignored);
	TAP_RUN(test_ctrl_c_abandons);
	TAP_RUN(test_ctrl_u_kills_line);
	TAP_RUN(test_ctrl_w_deletes_word);
	TAP_RUN(test_ctrl_l_redraws);
	TAP_RUN(test_history_walk);
	TAP_RUN(test_history_keeps_draft);
	TAP_RUN(test_history_depth);
	TAP_RUN(test_complete_unique);
	TAP_RUN(test_complete_ambiguous);
	TAP_RUN(test_complete_mid_line);
	TAP_RUN(test_complete_nothing);
	TAP_RUN(test_complete_argument);
	TAP_RUN(test_emacs_keys);
	TAP_RUN(test_long_line_refused_after_history_walk);
	TAP_RUN(test_long_line_refused);
	TAP_RUN(test_full_line_accepted);
	TAP_RUN(test_kill_forgets_dropped_bytes);
	TAP_RUN(test_echo_off);
	return tap_done();
}
