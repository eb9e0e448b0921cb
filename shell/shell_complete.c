/* The shell's Tab completion candidates (see shell_complete.h). */
#include <string.h>

#include "shell/shell.h"
#include "shell/shell_complete.h"
#include "shell/tokenize.h"

const char *command_word_at(const char *const *words, size_t index)
{
	for (size_t i = 0; i < index; i++)
		if (!words[i])
			return NULL;
	return words[index];
}

/* The completer of the command named name, or NULL. */
static cmd_completer completer_of(const struct command_group *const *groups, const char *name)
{
	for (; *groups; groups++)
		for (size_t i = 0; i < (*groups)->ncompletions; i++)
			if (strcmp((*groups)->completions[i].name, name) == 0)
				return (*groups)->completions[i].complete;
	return NULL;
}

const char *shell_complete_candidate(const void *shell, const char *line,
				     size_t word_start, size_t index)
{
	const struct shell *sh = shell;
	char before[LINE_MAX_CHARS + 1];
	char *argv[SHELL_MAX_ARGS];

	memcpy(before, line, word_start);
	before[word_start] = '\0';
	int argc = tokenize(before, argv, SHELL_MAX_ARGS - 1);
	if (argc <= 0)
		return argc == 0 ? command_name_at(sh->groups, index) : NULL;
	cmd_completer complete = completer_of(sh->groups, argv[0]);
	return complete ? complete(sh, argc, argv, index) : NULL;
}
