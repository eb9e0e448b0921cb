/*
 * Tests for commands from the kernel command line: lib/bootargs.c (the
 * key=value lookup, quotes, the last word winning) and shell/script.c
 * (each command echoed after a prompt as if typed, kept in the history,
 * buddymon.onerror=poweroff ending the run with `poweroff 1`).
 */
#include <string.h>

#include "lib/bootargs.h"
#include "lib/console.h"
#include "lib/errors.h"
#include "shell/script.h"
#include "shell/shell.h"
#include "tap.h"
#include "tests/host/support/fake_console.h"

#define PROMPT SHELL_PROMPT
#define CHECK_SCREEN(expected) TAP_CHECK(fake_console_expect_output(expected))

extern const struct command_group cmd_core_group;
extern const struct command_group cmd_sys_group;

static enum cmd_result cmd_say(struct shell *sh, int argc, char **argv)
{
	(void)sh;
	for (int i = 1; i < argc; i++)
		console_printf("%s%s", argv[i], i + 1 < argc ? " " : "\n");
	return CMD_OK;
}

static enum cmd_result cmd_fail(struct shell *sh, int argc, char **argv)
{
	(void)sh, (void)argc, (void)argv;
	console_puts("error: it failed\n");
	return CMD_FAIL;
}

static const struct command test_commands[] = {
	{ "say", 1, 20, cmd_say, "print the arguments", "WORD..." },
	{ "fail", 0, 0, cmd_fail, "always fail", "" },
};
static const struct command_group test_group = COMMAND_GROUP(test_commands);
static const struct command_group *const groups[] = {
	&cmd_core_group, &cmd_sys_group, &test_group, NULL
};

static struct shell sh;

static void setup(void)
{
	shell_init(&sh, groups, NULL);
	fake_console_reset();
}

static void test_bootargs_plain_and_quoted_values(void)
{
	char v[64];
	const char *cmdline = "console=ttyS0 buddymon.run=\"alloc 1M; stats\" quiet buddymon.onerror=poweroff";

	TAP_CHECK_EQ(bootargs_get(cmdline, "buddymon.run", v, sizeof(v)), 15);
	TAP_CHECK(strcmp(v, "alloc 1M; stats") == 0);
	TAP_CHECK_EQ(bootargs_get(cmdline, "buddymon.onerror", v, sizeof(v)), 8);
	TAP_CHECK(strcmp(v, "poweroff") == 0);
	TAP_CHECK_EQ(bootargs_get(cmdline, "console", v, sizeof(v)), 5);
	TAP_CHECK_EQ(bootargs_get(cmdline, "quiet", v, sizeof(v)), -E_NOENT);
	TAP_CHECK_EQ(bootargs_get(cmdline, "buddymon", v, sizeof(v)), -E_NOENT);
	TAP_CHECK_EQ(bootargs_get("buddymon.runs=x", "buddymon.run", v, sizeof(v)), -E_NOENT);
	TAP_CHECK_EQ(bootargs_get("", "buddymon.run", v, sizeof(v)), -E_NOENT);
}

static void test_bootargs_last_word_wins_and_limits(void)
{
	char v[8];

	TAP_CHECK_EQ(bootargs_get("a=1 a=\"2 3\"", "a", v, sizeof(v)), 3);
	TAP_CHECK(strcmp(v, "2 3") == 0);
	TAP_CHECK_EQ(bootargs_get("  a=  ", "a", v, sizeof(v)), 0);
	TAP_CHECK(strcmp(v, "") == 0);
	TAP_CHECK_EQ(bootargs_get("a=1234567", "a", v, sizeof(v)), 7);
	TAP_CHECK_EQ(bootargs_get("a=12345678", "a", v, sizeof(v)), -E_RANGE);
	/* An unclosed quote runs to the end of the line. */
	TAP_CHECK_EQ(bootargs_get("a=\"x y", "a", v, sizeof(v)), 3);
	TAP_CHECK(strcmp(v, "x y") == 0);
}

static void test_script_echoes_runs_and_keeps_history(void)
{
	setup();
	TAP_CHECK_EQ(shell_run_script(&sh, " say one ;;say  two;  ", false), CMD_OK);
	CHECK_SCREEN(PROMPT "say one\r\none\r\n" PROMPT "say  two\r\ntwo\r\n");
	TAP_CHECK_EQ(history_count(&sh.history), 2);
	TAP_CHECK(strcmp(history_get(&sh.history, 0), "say  two") == 0);
	TAP_CHECK(strcmp(history_get(&sh.history, 1), "say one") == 0);
}

static void test_script_goes_on_after_a_failure_without_onerror(void)
{
	setup();
	TAP_CHECK_EQ(shell_run_script(&sh, "fail; nosuch; say on", false), CMD_FAIL);
	CHECK_SCREEN(PROMPT "fail\r\nerror: it failed\r\n"
		     PROMPT "nosuch\r\nerror: unknown command 'nosuch' (try 'help')\r\n"
		     PROMPT "say on\r\non\r\n");
}

/* The host's power control says "not supported", as QEMU sifive_u's does. */
#define HOST_POWEROFF_1 PROMPT "poweroff 1\r\n" \
	"poweroff: the firmware cannot power off; resetting instead (the exit code is lost)\r\n" \
	"error: poweroff failed: not supported (the firmware has no system reset)\r\n"

static void test_onerror_poweroff_ends_the_run(void)
{
	setup();
	TAP_CHECK_EQ(shell_run_script(&sh, "say a; say; say b", true), CMD_USAGE);
	CHECK_SCREEN(PROMPT "say a\r\na\r\n" PROMPT "say\r\n"
		     "error: say: bad arguments\r\nusage: say WORD...\r\n" HOST_POWEROFF_1);
}

static void test_bootargs_run_and_onerror(void)
{
	setup();
	shell_run_bootargs(&sh, "root=/dev/vda buddymon.run=\"say x;fail;say y\" buddymon.onerror=poweroff");
	CHECK_SCREEN(PROMPT "say x\r\nx\r\n" PROMPT "fail\r\nerror: it failed\r\n" HOST_POWEROFF_1);
	shell_run_bootargs(&sh, "buddymon.run=\"say x;fail;say y\"");
	CHECK_SCREEN(PROMPT "say x\r\nx\r\n" PROMPT "fail\r\nerror: it failed\r\n"
		     PROMPT "say y\r\ny\r\n");
	shell_run_bootargs(&sh, "console=ttyS0");
	CHECK_SCREEN("");
}

static void test_bootargs_refused_options(void)
{
	static char cmdline[SCRIPT_MAX_CHARS + 64];

	setup();
	shell_run_bootargs(&sh, "buddymon.onerror=reboot buddymon.run=\"say x\"");
	CHECK_SCREEN("error: buddymon.onerror: the only action is 'poweroff'\r\n"
		     PROMPT "say x\r\nx\r\n");
	strcpy(cmdline, "buddymon.onerror=poweroff buddymon.run=");
	memset(cmdline + strlen(cmdline), 'x', SCRIPT_MAX_CHARS + 1);
	shell_run_bootargs(&sh, cmdline);
	CHECK_SCREEN("error: buddymon.run: longer than 1024 characters; not run\r\n" HOST_POWEROFF_1);
}

static void test_script_line_too_long_fails(void)
{
	static char list[LINE_MAX_CHARS + 8];
	static char expected[2 * LINE_MAX_CHARS];

	setup();
	strcpy(list, "say ");
	memset(list + 4, 'w', LINE_MAX_CHARS - 3);
	snprintf(expected, sizeof(expected), "%s%s\r\nerror: line too long (max %d characters)\r\n",
		 PROMPT, list, LINE_MAX_CHARS);
	TAP_CHECK_EQ(shell_run_script(&sh, list, false), CMD_FAIL);
	CHECK_SCREEN(expected);
}

int main(void)
{
	TAP_RUN(test_bootargs_plain_and_quoted_values);
	TAP_RUN(test_bootargs_last_word_wins_and_limits);
	TAP_RUN(test_script_echoes_runs_and_keeps_history);
	TAP_RUN(test_script_goes_on_after_a_failure_without_onerror);
	TAP_RUN(test_onerror_poweroff_ends_the_run);
	TAP_RUN(test_bootargs_run_and_onerror);
	TAP_RUN(test_bootargs_refused_options);
	TAP_RUN(test_script_line_too_long_fails);
	return tap_done();
}
