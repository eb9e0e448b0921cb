/*
 * The console driver binding: console_putc/console_getc (lib/console.h) go
 * to the UART chosen from the device tree, or to the SBI console until one
 * is chosen. One console for the whole machine.
 */
#include "drivers/uart/uart.h"
#include "lib/console.h"
#include "lib/errors.h"

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

int console_enable_rx_interrupt(void)
{
	if (!active.ops->enable_rx_interrupt)
		return -E_NOTSUPP;
	return active.ops->enable_rx_interrupt(&active);
}
