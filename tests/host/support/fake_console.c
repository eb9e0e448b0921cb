/*
 * Host stand-in for the UART driver layer (see fake_console.h): the shell
 * and lib/console.c run unchanged on top of it in tests and fuzzers.
 */
#include <stdio.h>
#include <string.h>

#include "lib/console.h"
#include "shell/shell.h"
#include "tests/host/support/fake_console.h"

#define FAKE_OUTPUT_MAX (256 * 1024)
#define FAKE_INPUT_MAX (64 * 1024)

static char output[FAKE_OUTPUT_MAX + 1];
static size_t output_len;
static bool output_lost;

static char input[FAKE_INPUT_MAX];
static size_t input_head, input_tail;
static unsigned input_held_polls;

void console_putc(char c)
{
	if (output_len == FAKE_OUTPUT_MAX) {
		output_lost = true;
		return;
	}
	output[output_len++] = c;
	output[output_len] = '\0';
}

int console_getc(void)
{
	if (input_held_polls) {
		input_held_polls--;
		return -1;
	}
	if (input_head == input_tail)
		return -1;
	return (unsigned char)input[input_head++];
}

bool fake_console_feed(const char *bytes, size_t len)
{
	if (input_head == input_tail)
		input_head = input_tail = 0;
	if (len > FAKE_INPUT_MAX - input_tail)
		return false;
	memcpy(input + input_tail, bytes, len);
	input_tail += len;
	return true;
}

bool fake_console_feed_str(const char *s)
{
	return fake_console_feed(s, strlen(s));
}

const char *fake_console_output(void)
{
	return output;
}

size_t fake_console_output_len(void)
{
	return output_len;
}

bool fake_console_output_lost(void)
{
	return output_lost;
}

/* A TAP comment line with bytes shown C-style: \r, \n, \x1b... */
static void print_escaped(const char *label, const char *s, size_t len)
{
	printf("#   %s \"", label);
	for (size_t i = 0; i < len; i++) {
		unsigned char c = (unsigned char)s[i];

		if (c == '\r')
			printf("\\r");
		else if (c == '\n')
			printf("\\n");
		else if (c == '\\' || c == '"')
			printf("\\%c", c);
		else if (c < 0x20 || c >= 0x7f)
			printf("\\x%02x", c);
		else
			putchar(c);
	}
	printf("\"\n");
}

bool fake_console_expect_output(const char *expected)
{
	bool same = strcmp(output, expected) == 0 && !output_lost;

	if (!same) {
		print_escaped("expected", expected, strlen(expected));
		print_escaped("got     ", output, output_len);
	}
	fake_console_clear_output();
	return same;
}

void fake_console_clear_output(void)
{
	output_len = 0;
	output[0] = '\0';
	output_lost = false;
}

void fake_console_hold_input(unsigned polls)
{
	input_held_polls = polls;
}

void fake_console_reset(void)
{
	fake_console_clear_output();
	input_head = input_tail = 0;
	input_held_polls = 0;
}
