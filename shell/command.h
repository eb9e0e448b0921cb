/*
 * Shell commands as table entries, U-Boot style: a name, how many
 * arguments it takes, a handler, a one-line help and a usage text. The
 * dispatcher (dispatch.c) checks the argument count, answers `CMD -h` and
 * prints the usage when a handler returns CMD_USAGE, so handlers never
 * format their own usage errors.
 *
 * Each shell/cmd_*.c file defines one `const struct command_group`;
 * shell/commands.c lists the groups (see there to add one).
 */
#ifndef SHELL_COMMAND_H
#define SHELL_COMMAND_H

#include <stdbool.h>
#include <stddef.h>

struct shell;

enum cmd_result {
	CMD_OK,		/* done */
	CMD_FAIL,	/* failed; the handler printed an "error: ..." line */
	CMD_USAGE,	/* bad arguments; the dispatcher prints the usage */
};

/* argv[0] is the command name; argc counts it. */
typedef enum cmd_result (*cmd_handler)(struct shell *sh, int argc, char **argv);

/* Tab completion of argument argc (argv[0..argc-1] are the words before
 * it): the index-th name it can be, or NULL past the last. */
typedef const char *(*cmd_completer)(const struct shell *sh, int argc, char **argv,
				     size_t index);

struct command {
	const char *name;
	int min_args;		/* arguments after the name */
	int max_args;
	cmd_handler handler;
	const char *help;	/* one line, for `help` */
	const char *usage;	/* arguments, e.g. "ADDR [COUNT]"; "" for none;
				   may continue with "\n"-separated detail lines */
};

/* Tab completion for the arguments of one command of the group. */
struct command_completion {
	const char *name;
	cmd_completer complete;
};

struct command_group {
	const struct command *commands;
	size_t count;
	bool width_suffix;	/* its commands also answer to NAME.b, .w, .l and
				   .q (md...); handlers read the width in argv[0] */
	const struct command_completion *completions;	/* optional */
	size_t ncompletions;
};

#define COMMAND_TABLE_LEN(table) (sizeof(table) / sizeof((table)[0]))

/* const struct command_group cmd_x_group = COMMAND_GROUP(cmd_x_commands); */
#define COMMAND_GROUP(table) \
	{ .commands = (table), .count = COMMAND_TABLE_LEN(table) }
#define COMMAND_GROUP_WITH_WIDTHS(table) \
	{ .commands = (table), .count = COMMAND_TABLE_LEN(table), .width_suffix = true }

/* A group whose commands complete arguments with Tab:
 * COMMAND_GROUP_COMPLETING(cmd_x_commands, cmd_x_completions) */
#define COMMAND_GROUP_COMPLETING(table, completion_table) \
	{ .commands = (table), .count = COMMAND_TABLE_LEN(table), \
	  .completions = (completion_table), \
	  .ncompletions = COMMAND_TABLE_LEN(completion_table) }

/* Every group the firmware registers, NULL-terminated (shell/commands.c). */
extern const struct command_group *const shell_command_groups[];

/* --- dispatch.c: used by the shell and by the `help` command --------------- */

/* Run argv[0] with its arguments; prints errors and usage itself. */
enum cmd_result command_run(struct shell *sh, int argc, char **argv);

const struct command *command_find(const struct command_group *const *groups,
				   const char *name);

/* Name of the index-th command over all groups, NULL past the last. */
const char *command_name_at(const struct command_group *const *groups,
			    size_t index);

/* "usage: NAME ARGS" */
void command_print_usage(const struct command *cmd);
/* The one-line help, then the usage: for `help CMD` and `CMD -h`. */
void command_print_help(const struct command *cmd);
/* Every command with its one-line help, aligned: for `help`. */
void command_print_list(const struct command_group *const *groups);
void command_print_unknown(const char *name);

/* --- shell_complete.c: for the groups' completers --------------------------- */

/* The index-th of a NULL-terminated word list, NULL past its end. */
const char *command_word_at(const char *const *words, size_t index);

#endif
