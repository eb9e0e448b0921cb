/*
 * Tab completion for the shell (shell_complete.c): the line editor's
 * candidate callback. The first word completes to command names; a later
 * word to the names the command's completer gives (struct command's
 * `complete`), e.g. `help CMD`, `set echo on|off`, `free -a`.
 */
#ifndef SHELL_SHELL_COMPLETE_H
#define SHELL_SHELL_COMPLETE_H

#include <stddef.h>

/* An editor_candidate_fn whose ctx is the struct shell. */
const char *shell_complete_candidate(const void *shell, const char *line,
				     size_t word_start, size_t index);

#endif
