/*
 * The command dispatcher: finds a command in the registered groups, checks
 * its argument count, answers `-h`, runs the handler and prints the usage
 * when asked to. Also the lookups behind `help` and Tab completion.
 */
#include <string.h>

#include "lib/console.h"
#include "shell/command.h"
#include "shell/shell.h"

#define HELP_OPTION "-h"
#define WIDTH_SUFFIXES "bwlq"

/* The index-th command over all groups, in table order; NULL past the last. */
static const struct command *command_at(const struct command_group *const *groups,
					size_t index)
{
	for (; *groups; groups++) {
		if (index < (*groups)->count)
			return &(*groups)->commands[index];
		index -= (*groups)->count;
	}
	return NULL;
}

/* NAME, or NAME.b/.w/.l/.q in a group that takes width suffixes. */
static bool name_matches(const struct command *cmd, bool width_suffix, const char *name)
{
	size_t len = strlen(cmd->name);

	if (strcmp(cmd->name, name) == 0)
		return true;
	return width_suffix && strncmp(cmd->name, name, len) == 0 && name[len] == '.' &&
	       name[len + 1] && strchr(WIDTH_SUFFIXES, name[len + 1]) && !name[len + 2];
}

const struct command *command_find(const struct command_group *const *groups,
				   const char *name)
{
	for (; *groups; groups++)
		for (size_t i = 0; i < (*groups)->count; i++)
			if (name_matches(&(*groups)->commands[i], (*groups)->width_suffix, name))
				return &(*groups)->commands[i];
	return NULL;
}

const char *command_name_at(const struct command_group *const *groups,
			    size_t index)
{
	const struct command *cmd = command_at(groups, index);

	return cmd ? cmd->name : NULL;
}

void command_print_usage(const struct command *cmd)
{
	console_printf("usage: %s%s%s\n", cmd->name, *cmd->usage ? " " : "",
		       cmd->usage);
}

void command_print_help(const struct command *cmd)
{
	console_printf("%s - %s\n", cmd->name, cmd->help);
	command_print_usage(cmd);
}

void command_print_list(const struct command_group *const *groups)
{
	const struct command *cmd;
	int width = 0;

	for (size_t i = 0; (cmd = command_at(groups, i)); i++)
		if ((int)strlen(cmd->name) > width)
			width = (int)strlen(cmd->name);
	for (size_t i = 0; (cmd = command_at(groups, i)); i++)
		console_printf("  %-*s  %s\n", width, cmd->name, cmd->help);
}

void command_print_unknown(const char *name)
{
	console_printf("error: unknown command '%s' (try 'help')\n", name);
}

static int arg_count_fits(const struct command *cmd, int argc)
{
	return argc - 1 >= cmd->min_args && argc - 1 <= cmd->max_args;
}

enum cmd_result command_run(struct shell *sh, int argc, char **argv)
{
	const struct command *cmd = command_find(sh->groups, argv[0]);
	enum cmd_result result = CMD_USAGE;

	if (!cmd) {
		command_print_unknown(argv[0]);
		return CMD_FAIL;
	}
	if (argc == 2 && strcmp(argv[1], HELP_OPTION) == 0) {
		command_print_help(cmd);
		return CMD_OK;
	}
	if (arg_count_fits(cmd, argc))
		result = cmd->handler(sh, argc, argv);
	if (result == CMD_USAGE) {
		console_printf("error: %s: bad arguments\n", cmd->name);
		command_print_usage(cmd);
	}
	return result;
}
