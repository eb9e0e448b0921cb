/*
 * The console as the rest of buddymon sees it: bytes in and out, plus
 * printf-style output. console_putc/console_getc come from the driver layer
 * (drivers/uart/console.c in the firmware, tests/host/support in host
 * builds); everything else here is portable and lives in lib/console.c.
 */
#ifndef LIB_CONSOLE_H
#define LIB_CONSOLE_H

#include <stddef.h>

/* Provided by the driver layer. */
void console_putc(char c);	/* one raw byte, no translation */
int console_getc(void);		/* next input byte, or -1 when none is waiting */

/* Portable, in lib/console.c: "\n" goes out as "\r\n". Each call goes out
 * whole, never mixed with another hart's output. */
void console_write(const char *s, size_t len);
void console_puts(const char *s);
int console_printf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/*
 * The console lock, for output that must stay together over several
 * calls. It nests on one hart. console_break_lock() is for a trap report:
 * if this hart trapped while it held the lock, it lets go of it.
 */
void console_lock(void);
void console_unlock(void);
void console_break_lock(void);

#endif
