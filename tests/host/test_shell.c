/*
 * Tests for the shell as a whole (shell.c, dispatch.c, tokenize.c,
 * cmd_core.c): bytes in through shell_input, exact screen bytes out.
 */
#include <stdio.h>
#include <string.h>

#include "lib/console.h"
#include "shell/shell.h"
#include "tap.h"
#include "tests/host/support/fake_console.h"
#include "version.h"

#define PROMPT SHELL_PROMPT
#define SCRIPT_LINES 200

/* `help` with the core and test groups registered. */
#define HELP_LIST \
	"  help     list commands, or show how to use one\r\n" \
	"  history  list the lines typed, oldest first\r\n" \
	"  set      change a shell setting\r\n" \
	"  version  print the firmware version\r\n" \
	"  echo     print the arguments\r\n" \
	"  fail     always fail\r\n" \
	"  picky    insist on good\r\n"

#define CHECK_SCREEN(expected) TAP_CHECK(fake_console_expect_output(expected))

extern const struct command_group cmd_core_group;

static enum cmd_result cmd_echo(struct shell *sh, int argc, char **argv)
{
	(void)sh;
	for (int i = 1; i < argc; i++)
		console_printf("%s%s", argv[i], i + 1 < argc ? " " : "");
	console_puts("\n");
	return CMD_OK;
}

static enum cmd_result cmd_fail(struct shell *sh, int argc, char **argv)
{
	(void)sh;
	(void)argc;
	(void)argv;
	console_puts("error: it failed\n");
	return CMD_FAIL;
}

/* Accepts only "good". */
static enum cmd_result cmd_picky(struct shell *sh, int argc, char **argv)
{
	(void)sh;
	(void)argc;
	if (strcmp(argv[1], "good") != 0)
		return CMD_USAGE;
	console_puts("fine\n");
	return CMD_OK;
}

static const struct command test_commands[] = {
	{ "echo", 0, 20, cmd_echo, "print the arguments", "[WORD]..." },
	{ "fail", 0, 0, cmd_fail, "always fail", "" },
	{ "picky", 1, 1, cmd_picky, "insist on good", "good" },
};

static const struct command_group test_group = COMMAND_GROUP(test_commands);
static const struct command_group *const test_groups[] = {
	&cmd_core_group, &test_group, NULL
};

static struct shell sh;

static void setup_with(const struct command_group *const *groups)
{
	shell_init(&sh, groups, NULL);
	fake_console_reset();
	shell_start(&sh);
	TAP_CHECK(fake_console_expect_output(PROMPT));
}

static void setup(void)
{
	setup_with(test_groups);
}

static void type(const char *bytes)
{
	while (*bytes)
		shell_input(&sh, (unsigned char)*bytes++);
}

static void test_unknown_command(void)
{
	setup();
	type("nosuch 1 2\r");
	CHECK_SCREEN("nosuch 1 2\r\nerror: unknown command 'nosuch' (try 'help')\r\n" PROMPT);
}

static void test_usage_on_arg_count(void)
{
	setup();
	type("picky\r");
	CHECK_SCREEN("picky\r\nerror: picky: bad arguments\r\nusage: picky good\r\n" PROMPT);
	type("picky good bad\r");
	CHECK_SCREEN("picky good bad\r\nerror: picky: bad arguments\r\nusage: picky good\r\n" PROMPT);
	type("fail x\r");
	CHECK_SCREEN("fail x\r\nerror: fail: bad arguments\r\nusage: fail\r\n" PROMPT);
}

static void test_usage_from_handler(void)
{
	setup();
	type("picky bad\r");
	CHECK_SCREEN("picky bad\r\nerror: picky: bad arguments\r\nusage: picky good\r\n" PROMPT);
	type("picky good\r");
	CHECK_SCREEN("picky good\r\nfine\r\n" PROMPT);
	type("fail\r");
	CHECK_SCREEN("fail\r\nerror: it failed\r\n" PROMPT);
}

static void test_help_lists_commands(void)
{
	setup();
	type("help\r");
	CHECK_SCREEN("help\r\n" HELP_LIST PROMPT);
}

static void test_help_for_one_command(void)
{
	setup();
	type("help picky\r");
	CHECK_SCREEN("help picky\r\n" "picky - insist on good\r\nusage: picky good\r\n" PROMPT);
	type("picky -h\r");
	CHECK_SCREEN("picky -h\r\n" "picky - insist on good\r\nusage: picky good\r\n" PROMPT);
	type("fail -h\r");	/* -h works even where arguments are not allowed */
	CHECK_SCREEN("fail -h\r\nfail - always fail\r\nusage: fail\r\n" PROMPT);
	type("help nosuch\r");
	CHECK_SCREEN("help nosuch\r\nerror: unknown command 'nosuch' (try 'help')\r\n" PROMPT);
}

static void test_pasted_script_runs_in_order(void)
{
	static char script[SCRIPT_LINES * 32];
	static char expected[SCRIPT_LINES * 64];
	size_t script_len = 0, expected_len = 0;

	setup();
	for (int i = 0; i < SCRIPT_LINES; i++) {
		/* mix the three line endings */
		const char *end = i % 3 == 0 ? "\r\n" : i % 3 == 1 ? "\r" : "\n";

		script_len += sprintf(script + script_len, "echo line %d%s", i, end);
		expected_len += sprintf(expected + expected_len,
					"echo line %d\r\nline %d\r\n" PROMPT, i, i);
	}
	type(script);
	CHECK_SCREEN(expected);
}

static void test_empty_line_does_nothing(void)
{
	setup();
	type("echo hi\r\r   \r");
	CHECK_SCREEN("echo hi\r\nhi\r\n" PROMPT "\r\n" PROMPT "   \r\n" PROMPT);
}

static void test_too_many_arguments(void)
{
	setup();
	type("echo 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 16\r");
	CHECK_SCREEN("echo 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 16\r\n"
		     "error: too many arguments (max 15)\r\n" PROMPT);
	type("echo 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15\r");
	CHECK_SCREEN("echo 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15\r\n"
		     "1 2 3 4 5 6 7 8 9 10 11 12 13 14 15\r\n" PROMPT);
}

static void test_tabs_and_spaces_split_words(void)
{
	setup();
	type("  echo   a  b  \r");
	CHECK_SCREEN("  echo   a  b  \r\na b\r\n" PROMPT);
}

/*
 * The screen after typing `typed` Enter for the version command. The version
 * string itself is taken from the screen: cmd_core.c.o may have been
 * compiled at another commit than this test.
 */
static int is_version_screen(const char *typed)
{
	char expected[256];

	snprintf(expected, sizeof(expected), "%s\r\nbuddymon %s\r\n" PROMPT, typed,
		 BUDDYMON_VERSION);
	return fake_console_expect_output(expected);
}

/* MAJOR.MINOR.PATCH (commit HASH, gcc X.Y.Z), the release from VERSION. */
static void test_version_format(void)
{
	unsigned major, minor, patch;
	char commit[64], compiler[64];

	TAP_CHECK(sscanf(BUDDYMON_VERSION, "%u.%u.%u (commit %63[^,], gcc %63[^)])",
			 &major, &minor, &patch, commit, compiler) == 5);
}

static void test_version(void)
{
	setup();
	type("version\r");
	TAP_CHECK(is_version_screen("version"));
}

static void test_history_command(void)
{
	setup();
	type("echo a\r\recho b\rhistory\r");
	fake_console_clear_output();
	type("history\r");
	CHECK_SCREEN("history\r\n"
		     "   1  echo a\r\n"
		     "   2  echo b\r\n"
		     "   3  history\r\n" PROMPT);
}

static void test_set_echo(void)
{
	setup();
	type("set echo off\r");
	CHECK_SCREEN("set echo off\r\n" PROMPT);
	type("echo quiet\r");
	CHECK_SCREEN("\r\nquiet\r\n" PROMPT);
	type("set echo on\r");
	CHECK_SCREEN("\r\n" PROMPT);
	type("echo loud\r");
	CHECK_SCREEN("echo loud\r\nloud\r\n" PROMPT);
	type("set echo maybe\r");
	CHECK_SCREEN("set echo maybe\r\nerror: set: bad arguments\r\nusage: set echo on|off\r\n"
		     "  echo: show typed characters (off for scripts)\r\n" PROMPT);
	type("set colour on\r");
	TAP_CHECK(strstr(fake_console_output(), "usage: set echo on|off") != NULL);
}

static void test_real_command_table(void)
{
	setup_with(shell_command_groups);
	type("ver\t\r");
	TAP_CHECK(is_version_screen("version "));
	type("echo x\r");
	CHECK_SCREEN("echo x\r\nerror: unknown command 'echo' (try 'help')\r\n" PROMPT);
	TAP_CHECK(command_find(shell_command_groups, "help") != NULL);
	TAP_CHECK(command_find(shell_command_groups, "history") != NULL);
	TAP_CHECK(command_find(shell_command_groups, "set") != NULL);
}

static void test_complete_lists_commands(void)
{
	setup();
	type("h\t");
	CHECK_SCREEN("h" "\r\nhelp  history\r\n" PROMPT "h");
	type("e\t\r");
	CHECK_SCREEN("e" "lp " "\r\n" HELP_LIST PROMPT);
}

static void test_complete_arguments(void)
{
	setup();
	type("help hi\t");		/* help CMD: command names */
	CHECK_SCREEN("help hi" "story ");
	type("\x15" "help p\t");
	CHECK_SCREEN("\x1b[13D\x1b[K" "help p" "icky ");
	type("\x15" "set \t");		/* set NAME: the one setting */
	CHECK_SCREEN("\x1b[11D\x1b[K" "set " "echo ");
	type("o\t");			/* its values */
	CHECK_SCREEN("o" "\r\non  off\r\n" PROMPT "set echo o");
	type("n\t\r");
	CHECK_SCREEN("n" " " "\r\n" PROMPT);
	type("set volume \t" "\x15" "echo a\t" "\x15");	/* nothing there */
	CHECK_SCREEN("set volume \a" "\x1b[11D\x1b[K" "echo a\a" "\x1b[6D\x1b[K");
}

int main(void)
{
	TAP_RUN(test_unknown_command);
	TAP_RUN(test_usage_on_arg_count);
	TAP_RUN(test_usage_from_handler);
	TAP_RUN(test_help_lists_commands);
	TAP_RUN(test_help_for_one_command);
	TAP_RUN(test_pasted_script_runs_in_order);
	TAP_RUN(test_empty_line_does_nothing);
	TAP_RUN(test_too_many_arguments);
	TAP_RUN(test_tabs_and_spaces_split_words);
	TAP_RUN(test_version);
	TAP_RUN(test_version_format);
	TAP_RUN(test_history_command);
	TAP_RUN(test_set_echo);
	TAP_RUN(test_real_command_table);
	TAP_RUN(test_complete_lists_commands);
	TAP_RUN(test_complete_arguments);
	return tap_done();
}
