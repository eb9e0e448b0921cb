/*
 * Core shell commands: help, history, set, version. They need nothing but
 * the shell itself, so they exist in every build (host tests included).
 */
#include <string.h>

#include "lib/console.h"
#include "shell/command.h"
#include "shell/shell.h"
#include "version.h"

static enum cmd_result cmd_help(struct shell *sh, int argc, char **argv)
{
	const struct command *cmd;

	if (argc == 1) {
		command_print_list(sh->groups);
		return CMD_OK;
	}
	cmd = command_find(sh->groups, argv[1]);
	if (!cmd) {
		command_print_unknown(argv[1]);
		return CMD_FAIL;
	}
	command_print_help(cmd);
	return CMD_OK;
}

static const char *complete_help(const struct shell *sh, int argc, char **argv, size_t index)
{
	(void)argv;
	return argc == 1 ? command_name_at(sh->groups, index) : NULL;
}

static enum cmd_result cmd_history(struct shell *sh, int argc, char **argv)
{
	size_t count = history_count(&sh->history);

	(void)argc;
	(void)argv;
	for (size_t n = 1; n <= count; n++)
		console_printf("%4u  %s\n", (unsigned)n,
			       history_get(&sh->history, count - n));
	return CMD_OK;
}

/* set echo on|off */
static enum cmd_result cmd_set(struct shell *sh, int argc, char **argv)
{
	(void)argc;
	if (strcmp(argv[1], "echo") != 0)
		return CMD_USAGE;
	if (strcmp(argv[2], "on") == 0)
		shell_set_echo(sh, true);
	else if (strcmp(argv[2], "off") == 0)
		shell_set_echo(sh, false);
	else
		return CMD_USAGE;
	return CMD_OK;
}

static const char *complete_set(const struct shell *sh, int argc, char **argv, size_t index)
{
	static const char *const settings[] = { "echo", NULL };
	static const char *const on_off[] = { "on", "off", NULL };

	(void)sh;
	if (argc == 1)
		return command_word_at(settings, index);
	if (argc == 2 && strcmp(argv[1], "echo") == 0)
		return command_word_at(on_off, index);
	return NULL;
}

static enum cmd_result cmd_version(struct shell *sh, int argc, char **argv)
{
	(void)sh;
	(void)argc;
	(void)argv;
	console_puts("buddymon " BUDDYMON_VERSION "\n");
	return CMD_OK;
}

static const struct command cmd_core_commands[] = {
	{ "help", 0, 1, cmd_help, "list commands, or show how to use one", "[CMD]" },
	{ "history", 0, 0, cmd_history, "list the lines typed, oldest first", "" },
	{ "set", 2, 2, cmd_set, "change a shell setting",
	  "echo on|off\n  echo: show typed characters (off for scripts)" },
	{ "version", 0, 0, cmd_version, "print the firmware version", "" },
};

static const struct command_completion cmd_core_completions[] = {
	{ "help", complete_help },
	{ "set", complete_set },
};

const struct command_group cmd_core_group =
	COMMAND_GROUP_COMPLETING(cmd_core_commands, cmd_core_completions);
