/*
 * The shell's main loop and glue (see shell.h): bytes go to the line
 * editor, finished lines are split into argv and handed to the dispatcher.
 */
#include "lib/console.h"
#include "lib/platform.h"
#include "shell/interrupt.h"
#include "shell/shell.h"
#include "shell/tokenize.h"

/* Tab completion candidates: command names. */
static const char *complete_command(const void *groups, size_t index)
{
	return command_name_at(groups, index);
}

void shell_init(struct shell *sh, const struct command_group *const *groups,
		void *ctx)
{
	sh->groups = groups;
	sh->ctx = ctx;
	history_init(&sh->history);
	editor_init(&sh->editor, SHELL_PROMPT, &sh->history, complete_command,
		    groups);
}

void shell_start(struct shell *sh)
{
	editor_start(&sh->editor);
}

enum cmd_result shell_execute(struct shell *sh, char *line)
{
	char *argv[SHELL_MAX_ARGS];
	int argc = tokenize(line, argv, SHELL_MAX_ARGS);

	if (argc < 0) {
		console_printf("error: too many arguments (max %d)\n",
			       SHELL_MAX_ARGS - 1);
		return CMD_FAIL;
	}
	if (argc == 0)
		return CMD_OK;
	interrupt_clear();
	return command_run(sh, argc, argv);
}

void shell_input(struct shell *sh, unsigned char byte)
{
	if (editor_feed(&sh->editor, byte) != EDITOR_LINE_READY)
		return;
	shell_execute(sh, editor_line(&sh->editor));
	editor_start(&sh->editor);
}

void shell_set_echo(struct shell *sh, bool on)
{
	editor_set_echo(&sh->editor, on);
}

void shell_run(struct shell *sh)
{
	shell_start(sh);
	for (;;) {
		int byte = typeahead_getc();

		if (byte < 0)
			platform_idle();
		else
			shell_input(sh, (unsigned char)byte);
	}
}
