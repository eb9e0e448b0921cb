/* Command line to argv (see tokenize.h). */
#include <string.h>

#include "lib/errors.h"
#include "shell/tokenize.h"

#define WORD_SEPARATORS " \t"

int tokenize(char *line, char **argv, int max)
{
	int argc = 0;

	for (;;) {
		line += strspn(line, WORD_SEPARATORS);
		if (*line == '\0')
			return argc;
		if (argc == max)
			return -E_FULL;
		argv[argc++] = line;
		line += strcspn(line, WORD_SEPARATORS);
		if (*line != '\0')
			*line++ = '\0';
	}
}
