/*
 * Ctrl-C polling for long commands, and the type-ahead it keeps
 * (interrupt.h). One console, one flag and one buffer: the request is a
 * property of the console line, not of a hart.
 */
#include <stddef.h>

#include "shell/interrupt.h"

#include "lib/console.h"

static bool pending;
static unsigned char typeahead[TYPEAHEAD_MAX];
static size_t typeahead_head, typeahead_count;

static void typeahead_put(unsigned char byte)
{
	typeahead[(typeahead_head + typeahead_count++) % TYPEAHEAD_MAX] = byte;
}

bool interrupt_requested(void)
{
	int c;

	while (!pending && typeahead_count < TYPEAHEAD_MAX && (c = console_getc()) >= 0) {
		if (c == INTERRUPT_KEY) {
			pending = true;
			typeahead_count = 0;	/* what was typed before ^C goes */
		} else {
			typeahead_put((unsigned char)c);
		}
	}
	return pending;
}

void interrupt_clear(void)
{
	pending = false;
}

int typeahead_getc(void)
{
	if (typeahead_count == 0)
		return console_getc();
	unsigned char byte = typeahead[typeahead_head];
	typeahead_head = (typeahead_head + 1) % TYPEAHEAD_MAX;
	typeahead_count--;
	return byte;
}
