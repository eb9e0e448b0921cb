/*
 * The console registry, device half: takes the console uart_choose found,
 * reads its status register through a probe that turns an access fault
 * into an error (a `reg` with no device behind it), then starts the
 * driver. Any failure leaves the SBI console in charge, with the reason.
 */
#include "drivers/uart/uart.h"
#include "lib/errors.h"
#include "lib/platform.h"

static int probe_status(const struct uart *u)
{
	unsigned width;
	uintptr_t reg = u->ops->status_reg(u, &width);
	uint32_t value;

	return platform_probe_read(reg, width, &value);
}

int uart_from_dt(const void *fdt, struct uart *u)
{
	struct uart_choice c;
	int err = uart_choose(fdt, &c);

	if (!err)
		err = probe_status(&c.uart);
	if (!err)
		err = c.uart.ops->init(&c.uart, c.clock_hz, c.baud);
	if (err < 0)
		uart_sbi_console(u);
	else
		*u = c.uart;
	return err;
}
