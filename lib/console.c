/*
 * Portable console output on top of the driver's console_putc: newline
 * translation for serial terminals, printf through picolibc's vsnprintf,
 * and the lock that keeps the output of different harts apart: each
 * console_write (so each console_printf) goes out whole, and a caller can
 * hold the lock over several of them with console_lock().
 */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "lib/console.h"
#include "lib/harts.h"
#include "lib/spinlock.h"

#define CONSOLE_PRINTF_MAX 512
#define NO_OWNER (~0u)

static struct spinlock console_spinlock = SPINLOCK_INIT;
static unsigned console_owner = NO_OWNER;	/* hart index of the holder */
static unsigned console_depth;			/* nested console_lock calls */

static unsigned owner(void)
{
	return __atomic_load_n(&console_owner, __ATOMIC_RELAXED);
}

static void set_owner(unsigned index)
{
	__atomic_store_n(&console_owner, index, __ATOMIC_RELAXED);
}

/* Only the holder reads back its own index, so a racy look is enough to tell. */
void console_lock(void)
{
	unsigned me = hart_index();

	if (owner() != me) {
		spin_lock(&console_spinlock);
		set_owner(me);
	}
	console_depth++;
}

void console_unlock(void)
{
	if (owner() != hart_index() || --console_depth > 0)
		return;
	set_owner(NO_OWNER);
	spin_unlock(&console_spinlock);
}

void console_break_lock(void)
{
	if (owner() != hart_index())
		return;
	console_depth = 0;
	set_owner(NO_OWNER);
	spin_unlock(&console_spinlock);
}

void console_write(const char *s, size_t len)
{
	console_lock();
	for (size_t i = 0; i < len; i++) {
		if (s[i] == '\n')
			console_putc('\r');
		console_putc(s[i]);
	}
	console_unlock();
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
