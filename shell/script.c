/* Command lists from the kernel command line (script.h). */
#include <string.h>

#include "lib/bootargs.h"
#include "lib/console.h"
#include "lib/errors.h"
#include "shell/line_limits.h"
#include "shell/script.h"

/* Runs one line as if typed at the prompt: echo, history, execute. */
static enum cmd_result run_typed(struct shell *sh, const char *text)
{
	char line[LINE_MAX_CHARS + 1];

	console_printf("%s%s\n", SHELL_PROMPT, text);
	if (strlen(text) > LINE_MAX_CHARS) {
		console_printf("error: line too long (max %d characters)\n", LINE_MAX_CHARS);
		return CMD_FAIL;
	}
	history_add(&sh->history, text);
	strcpy(line, text);
	return shell_execute(sh, line);
}

/* The next line of the list, blanks around it removed: *len chars at the result. */
static const char *next_line(const char **list, size_t *len)
{
	const char *s = *list;

	while (*s == ' ' || *s == '\t')
		s++;
	const char *end = strchr(s, SCRIPT_SEPARATOR);
	if (!end)
		end = s + strlen(s);
	*list = *end ? end + 1 : end;
	while (end > s && (end[-1] == ' ' || end[-1] == '\t'))
		end--;
	*len = (size_t)(end - s);
	return s;
}

enum cmd_result shell_run_script(struct shell *sh, const char *list,
				 bool poweroff_on_error)
{
	char text[SCRIPT_MAX_CHARS + 1];
	enum cmd_result first_failure = CMD_OK;

	while (*list) {
		size_t len;
		const char *s = next_line(&list, &len);
		if (len == 0)
			continue;
		if (len > SCRIPT_MAX_CHARS)
			len = SCRIPT_MAX_CHARS;
		memcpy(text, s, len);
		text[len] = '\0';
		enum cmd_result r = run_typed(sh, text);
		if (r == CMD_OK || first_failure != CMD_OK)
			continue;
		first_failure = r;
		if (poweroff_on_error) {
			run_typed(sh, SCRIPT_FAILURE_LINE);
			break;
		}
	}
	return first_failure;
}

void shell_run_bootargs(struct shell *sh, const char *cmdline)
{
	char list[SCRIPT_MAX_CHARS + 1], action[sizeof(SCRIPT_ONERROR_POWEROFF)];
	bool poweroff_on_error = false;

	int err = bootargs_get(cmdline, SCRIPT_ONERROR_KEY, action, sizeof(action));
	if (err >= 0 && strcmp(action, SCRIPT_ONERROR_POWEROFF) == 0)
		poweroff_on_error = true;
	else if (err != -E_NOENT)
		console_printf("error: %s: the only action is '%s'\n", SCRIPT_ONERROR_KEY,
			       SCRIPT_ONERROR_POWEROFF);

	err = bootargs_get(cmdline, SCRIPT_RUN_KEY, list, sizeof(list));
	if (err == -E_RANGE) {
		console_printf("error: %s: longer than %d characters; not run\n",
			       SCRIPT_RUN_KEY, SCRIPT_MAX_CHARS);
		if (poweroff_on_error)
			run_typed(sh, SCRIPT_FAILURE_LINE);
		return;
	}
	if (err >= 0)
		shell_run_script(sh, list, poweroff_on_error);
}
