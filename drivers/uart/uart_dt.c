/*
 * The console registry: follows /chosen/stdout-path to a node, matches its
 * `compatible` against each driver's table and reads the generic serial
 * properties (reg, reg-shift, reg-io-width, clock-frequency, current-speed or
 * the baud rate in the stdout-path options). It touches no device, so the
 * host tool runs it too; uart_from_dt (console.c) then starts the driver.
 * Adding a UART family means one new chip file and one entry in `drivers`.
 */
#include <stdlib.h>

#include <libfdt.h>

#include "drivers/uart/uart.h"
#include "lib/dt.h"
#include "lib/errors.h"

static const struct uart_ops *const drivers[] = {
	&uart_ns16550_ops,
	&uart_sifive_ops,
};

static const struct uart_ops *driver_for(const void *fdt, int node)
{
	for (size_t d = 0; d < sizeof(drivers) / sizeof(drivers[0]); d++)
		for (const char *const *c = drivers[d]->compatible; *c; c++)
			if (fdt_node_check_compatible(fdt, node, *c) == 0)
				return drivers[d];
	return NULL;
}

/* "115200n8" gives 115200; no options or no digits give current-speed or the default. */
static uint32_t console_baud(const void *fdt, int node, const char *options)
{
	if (options) {
		unsigned long baud = strtoul(options, NULL, 10);
		if (baud > 0 && baud <= UINT32_MAX)
			return (uint32_t)baud;
	}
	return dt_u32(fdt, node, "current-speed", UART_DEFAULT_BAUD);
}

int uart_choose(const void *fdt, struct uart_choice *c)
{
	*c = (struct uart_choice){ .node = -1 };
	int node = dt_stdout_node(fdt, &c->options);
	if (node < 0)
		return node;
	c->node = node;

	const struct uart_ops *ops = driver_for(fdt, node);
	if (!ops)
		return -E_NOTSUPP;
	uint64_t base, size;
	int err = dt_reg(fdt, node, 0, &base, &size);
	if (err < 0)
		return err;

	c->uart = (struct uart){
		.ops = ops,
		.base = (uintptr_t)base,
		.reg_shift = dt_u32(fdt, node, "reg-shift", 0),
		.reg_io_width = dt_u32(fdt, node, "reg-io-width", 1),
	};
	c->clock_hz = dt_u32(fdt, node, "clock-frequency", 0);
	c->baud = console_baud(fdt, node, c->options);
	return 0;
}
