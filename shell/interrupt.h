/*
 * Ctrl-C for long-running commands (stress, bench, memtest...). A command
 * calls interrupt_requested() between slices of its work; it polls the
 * console without blocking and answers true once a Ctrl-C byte has
 * arrived. Other bytes typed meanwhile are dropped, as a terminal's line
 * discipline would while a program runs. The shell clears the request
 * before each command (interrupt_clear), so a Ctrl-C at the prompt is not
 * carried into the next command.
 */
#ifndef SHELL_INTERRUPT_H
#define SHELL_INTERRUPT_H

#include <stdbool.h>

#define INTERRUPT_KEY 0x03	/* Ctrl-C */

/* Polls the console: whether Ctrl-C arrived since the last interrupt_clear. */
bool interrupt_requested(void);

/* Forgets a pending Ctrl-C. */
void interrupt_clear(void);

#endif
