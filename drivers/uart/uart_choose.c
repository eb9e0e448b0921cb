/*
 * The console registry, device-tree half: follows /chosen/stdout-path to a
 * node, matches its `compatible` against each driver's table and reads the
 * generic serial properties (reg, reg-shift, reg-io-width,
 * clock-frequency, current-speed or the baud rate in the stdout-path
 * options). Everything is checked before any register is touched, so a
 * tree's console can be judged on the host (uart.h). Adding a UART family
 * means one new chip file and one entry in `drivers` below.
 */
#include <stdlib.h>

#include <libfdt.h>

#include "drivers/uart/uart.h"
#include "lib/dt.h"
#include "lib/errors.h"

static const struct uart_ops *const drivers[] = {
	&uart_ns16550_ops,
	&uart_sifive_ops,
	&uart_scif_ops,
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

static uint64_t range_end(uint64_t base, uint64_t size)
{
	return size > UINT64_MAX - base ? UINT64_MAX : base + size;
}

/* Whether [base, base + size) overlaps a bank of an enabled memory node. */
static int overlaps_ram(const void *fdt, uint64_t base, uint64_t size)
{
	uint64_t end = range_end(base, size ? size : 1);
	int node = -1;

	while ((node = fdt_node_offset_by_prop_value(fdt, node, "device_type",
						     "memory", sizeof("memory"))) >= 0) {
		uint64_t bank, bank_size;
		if (!dt_node_enabled(fdt, node))
			continue;
		for (int i = 0; dt_reg(fdt, node, i, &bank, &bank_size) == 0; i++)
			if (base < range_end(bank, bank_size) && bank < end)
				return 1;
	}
	return 0;
}

/* Returns err with its reason in c->why. */
static int refuse(struct uart_choice *c, int err, const char *why)
{
	c->why = why;
	return err;
}

int uart_choose_node(const void *fdt, int node, const char *options, struct uart_choice *c)
{
	*c = (struct uart_choice){ .node = node };
	if (!dt_node_enabled(fdt, node))
		return refuse(c, -E_DISABLED, "status is not \"okay\"");
	const struct uart_ops *ops = driver_for(fdt, node);
	if (!ops)
		return refuse(c, -E_NOTSUPP, "no driver for its compatible");

	uint64_t base, size;
	int err = dt_reg(fdt, node, 0, &base, &size);
	if (err < 0)
		return refuse(c, -E_BADDT, "its reg cannot be read");
	c->uart = (struct uart){
		.ops = ops,
		.base = (uintptr_t)base,
		.reg_shift = dt_u32(fdt, node, "reg-shift", 0),
		.reg_io_width = dt_u32(fdt, node, "reg-io-width", 1),
	};
	c->clock_hz = dt_u32(fdt, node, "clock-frequency", 0);
	c->baud = console_baud(fdt, node, options);

	if (c->uart.reg_shift > UART_MAX_REG_SHIFT)
		return refuse(c, -E_RANGE, "reg-shift outside 0..3");
	if (c->baud == 0)
		return refuse(c, -E_RANGE, "baud rate 0");
	if (ops->io_widths && (c->uart.reg_io_width >= 8 * sizeof(unsigned) ||
			       !(ops->io_widths & UART_IO_WIDTH(c->uart.reg_io_width))))
		return refuse(c, -E_NOTSUPP, "reg-io-width the driver does not take");
	if (overlaps_ram(fdt, base, size))
		return refuse(c, -E_ISRAM, "its reg lies in RAM");
	return 0;
}

int uart_choose(const void *fdt, struct uart_choice *c)
{
	const char *options;
	int node = dt_stdout_node(fdt, &options);

	*c = (struct uart_choice){ .node = -1 };
	if (node < 0)
		return refuse(c, node, "no /chosen/stdout-path node");
	return uart_choose_node(fdt, node, options, c);
}
