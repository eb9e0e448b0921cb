/*
 * Splitting a command line into argv, in place: words are separated by
 * spaces or tabs; there is no quoting.
 */
#ifndef SHELL_TOKENIZE_H
#define SHELL_TOKENIZE_H

#define SHELL_MAX_ARGS 16

/*
 * Fill argv with pointers into line (which gets NUL bytes between words).
 * Returns the word count, or -E_FULL if there are more than max words.
 */
int tokenize(char *line, char **argv, int max);

#endif
