/*
 * The serial shell: line editor + history + command dispatch, the last
 * stage of the boot flow. boot_main fills a system context, then
 *
 *   static struct shell sh;
 *   shell_init(&sh, shell_command_groups, &sys);
 *   shell_run(&sh);                      never returns
 *
 * Output contract, relied on by expect scripts:
 *   - the prompt is exactly SHELL_PROMPT, printed before every line;
 *   - every error line starts with "error: "; commands never print the
 *     prompt;
 *   - an empty line does nothing (no repeat of the last command), except
 *     right after `md`, which it continues where it stopped (U-Boot's
 *     habit): a command that wants that sets sh->repeat;
 *   - `set echo off` stops the echo of typed characters and of editing
 *     redraws only: the prompt, the line break after Enter, and all command
 *     output are still printed (see line_editor.h).
 */
#ifndef SHELL_SHELL_H
#define SHELL_SHELL_H

#include <stdbool.h>

#include "shell/command.h"
#include "shell/history.h"
#include "shell/line_editor.h"

#define SHELL_PROMPT "buddymon> "

struct shell {
	struct line_editor editor;
	struct history history;
	const struct command_group *const *groups;	/* NULL-terminated */
	void *ctx;		/* system context for command handlers */
	/* What an empty line runs: set by a command (md) for the line after
	 * it, cleared before every command. NULL: nothing. */
	enum cmd_result (*repeat)(struct shell *sh);
};

/* Prepare the shell; prints nothing. */
void shell_init(struct shell *sh, const struct command_group *const *groups,
		void *ctx);

/* Print the first prompt. */
void shell_start(struct shell *sh);

/* Consume one input byte; runs the line (and prompts again) when it ends. */
void shell_input(struct shell *sh, unsigned char byte);

/* Run one command line (modified in place); empty lines do nothing, or
 * sh->repeat. */
enum cmd_result shell_execute(struct shell *sh, char *line);

void shell_set_echo(struct shell *sh, bool on);

/* shell_start, then forever: poll typeahead_getc (the console, after what a
 * long command read ahead), feed bytes, idle when none. */
void shell_run(struct shell *sh) __attribute__((noreturn));

#endif
