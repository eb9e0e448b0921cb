/*
 * The console for host builds: console_putc appends to an output buffer
 * that tests read back byte for byte, console_getc serves bytes a test
 * injected. Output past the buffer's end is dropped and remembered
 * (fake_console_output_lost).
 */
#ifndef TESTS_HOST_SUPPORT_FAKE_CONSOLE_H
#define TESTS_HOST_SUPPORT_FAKE_CONSOLE_H

#include <stdbool.h>
#include <stddef.h>

/* Queue input for console_getc; false if the input queue is full. */
bool fake_console_feed(const char *bytes, size_t len);
bool fake_console_feed_str(const char *s);

/* The next `polls` console_getc calls find no input, as if it had not
 * arrived yet: for Ctrl-C in the middle of a long command. */
void fake_console_hold_input(unsigned polls);

/* Everything written since the last clear, NUL-terminated. */
const char *fake_console_output(void);
size_t fake_console_output_len(void);
bool fake_console_output_lost(void);

/*
 * True if the output since the last clear is exactly expected; on a
 * mismatch prints both, escaped, as TAP comments. Clears the output.
 */
bool fake_console_expect_output(const char *expected);

/* Forget the output (and the lost flag), keep pending input. */
void fake_console_clear_output(void);
/* Drop pending input too. */
void fake_console_reset(void);

#endif
