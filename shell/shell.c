/*
 * The shell's main loop and glue (see shell.h): bytes go to the line
 * editor, finished lines are split into argv and handed to the dispatcher.
 */
#include "lib/console.h"
#include "lib/platform.h"
#include "shell/interrupt.h"
#include "shell/shell.h"
#include "shell/shell_complete.h"
#include "shell/tokenize.h"

void shell_init(struct shell *sh, const struct command_group *const *groups,
		void *ctx)
{
	sh->groups = groups;
	sh->ctx = ctx;
	sh->repeat = NULL;
	history_init(&sh->history);
	editor_init(&sh->editor, SHELL_PROMPT, &sh->history, shell_complete_candidate,
		    sh);
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
	interrupt_clear();
	if (argc == 0)
		return sh->repeat ? sh->repeat(sh) : CMD_OK;
	sh->repeat = NULL;
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
