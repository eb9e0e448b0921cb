/*
 * Ctrl-C polling for long commands (interrupt.h). One console, one flag:
 * the request is a property of the console line, not of a hart.
 */
#include "shell/interrupt.h"

#include "lib/console.h"

static bool pending;

bool interrupt_requested(void)
{
	int c;

	while (!pending && (c = console_getc()) >= 0)
		pending = c == INTERRUPT_KEY;
	return pending;
}

void interrupt_clear(void)
{
	pending = false;
}
