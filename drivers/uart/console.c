/*
 * The console driver binding: console_putc/console_getc (lib/console.h) go
 * to the UART chosen from the device tree, or to the SBI console until one
 * is chosen. One console for the whole machine. uart_from_dt starts the
 * UART the registry (uart_dt.c) picks.
 */
#include "drivers/uart/uart.h"
#include "lib/console.h"

static struct uart active = { .ops = &uart_sbi_legacy_ops };

void console_use(const struct uart *u)
{
	active = *u;
}

void console_putc(char c)
{
	active.ops->putc(&active, c);
}

int console_getc(void)
{
	return active.ops->getc(&active);
}

int uart_from_dt(const void *fdt, struct uart *u)
{
	struct uart_choice c;
	int err = uart_choose(fdt, &c);

	if (err == 0)
		err = c.uart.ops->init(&c.uart, c.clock_hz, c.baud);
	if (err < 0)
		uart_sbi_console(u);
	else
		*u = c.uart;
	return err;
}
