/*
 * Portable console output on top of the driver's console_putc: newline
 * translation for serial terminals and printf through picolibc's vsnprintf.
 */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "lib/console.h"

#define CONSOLE_PRINTF_MAX 512

void console_write(const char *s, size_t len)
{
	for (size_t i = 0; i < len; i++) {
		if (s[i] == '\n')
			console_putc('\r');
		console_putc(s[i]);
	}
}

void console_puts(const char *s)
{
	console_write(s, strlen(s));
}

int console_printf(const char *fmt, ...)
{
	char buf[CONSOLE_PRINTF_MAX];
	va_list ap;

	va_start(ap, fmt);
	int len = vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	if (len < 0)
		return len;
	if ((size_t)len >= sizeof(buf))
		len = sizeof(buf) - 1;
	console_write(buf, (size_t)len);
	return len;
}
