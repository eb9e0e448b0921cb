/*
 * The longest command line the shell accepts, shared by the line editor
 * (which refuses longer lines) and the history (which stores them).
 */
#ifndef SHELL_LINE_LIMITS_H
#define SHELL_LINE_LIMITS_H

#define LINE_MAX_CHARS 256

#endif
