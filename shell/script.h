/*
 * Scripts without a keyboard: command lists from the kernel command line.
 *
 *   buddymon.run="alloc 1M; stats; check"   run these after the banner,
 *                                          each echoed after a prompt as
 *                                          if typed, then prompt as usual
 *   buddymon.onerror=poweroff               the first of them that fails
 *                                          (prints an error: line) ends the
 *                                          run with `poweroff 1`
 *
 * so `make run RUN="stress 100000; check; poweroff"` is a CI step whose
 * exit status says pass or fail. boot_main calls shell_run_bootargs
 * between shell_init and shell_run.
 */
#ifndef SHELL_SCRIPT_H
#define SHELL_SCRIPT_H

#include <stdbool.h>

#include "shell/shell.h"

#define SCRIPT_RUN_KEY		"buddymon.run"
#define SCRIPT_ONERROR_KEY	"buddymon.onerror"
#define SCRIPT_ONERROR_POWEROFF	"poweroff"
#define SCRIPT_SEPARATOR	';'
#define SCRIPT_MAX_CHARS	1024
#define SCRIPT_FAILURE_LINE	"poweroff 1"

/*
 * Runs the `;`-separated command lines of `list` in order, each echoed and
 * kept in the history as if typed; a line that fails does not stop the
 * others, except with poweroff_on_error: then SCRIPT_FAILURE_LINE follows
 * it and the list stops there. Returns CMD_OK, or the result of the first
 * line that failed.
 */
enum cmd_result shell_run_script(struct shell *sh, const char *list,
				 bool poweroff_on_error);

/* Runs the buddymon.run list of `cmdline` (the tree's bootargs), if any. */
void shell_run_bootargs(struct shell *sh, const char *cmdline);

#endif
