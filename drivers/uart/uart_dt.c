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

static const char *init_failure(int err)
{
	if (err == -E_RANGE)
		return "a baud rate its divisor cannot express";
	if (err == -E_TIMEOUT)
		return "it never reported ready";
	return "its driver refused it";
}

int uart_from_dt(const void *fdt, struct uart *u, const char **why)
{
	struct uart_choice c;
	int err = uart_choose(fdt, &c);

	*why = c.why;
	if (!err && (err = probe_status(&c.uart)) < 0)
		*why = "its reg faults on access";
	if (!err && (err = c.uart.ops->init(&c.uart, c.clock_hz, c.baud)) < 0)
		*why = init_failure(err);
	if (err < 0)
		uart_sbi_console(u);
	else
		*u = c.uart;
	return err;
}
