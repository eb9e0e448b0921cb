/*
 * Ctrl-C for long-running commands (stress, bench, memtest...). A command
 * calls interrupt_requested() between slices of its work; it polls the
 * console without blocking and answers true once a Ctrl-C byte has
 * arrived. Other bytes typed meanwhile are kept, up to TYPEAHEAD_MAX, and
 * the shell reads them first (typeahead_getc) once the command is done,
 * so a pasted script goes on after a long command; a Ctrl-C throws away
 * what was typed before it, as a terminal's line discipline does. While
 * the type-ahead is full, no more bytes are read (they wait in the UART,
 * where QEMU holds them back), and a Ctrl-C behind them is seen only when
 * the command ends. The shell clears the request before each command
 * (interrupt_clear), so a Ctrl-C at the prompt is not carried into the
 * next command.
 */
#ifndef SHELL_INTERRUPT_H
#define SHELL_INTERRUPT_H

#include <stdbool.h>

#define INTERRUPT_KEY 0x03	/* Ctrl-C */
#define TYPEAHEAD_MAX 512	/* bytes kept while a command runs */

/* Polls the console: whether Ctrl-C arrived since the last interrupt_clear. */
bool interrupt_requested(void);

/* Forgets a pending Ctrl-C (not the type-ahead). */
void interrupt_clear(void);

/* console_getc for the shell: the type-ahead first, then the console. */
int typeahead_getc(void);

#endif
