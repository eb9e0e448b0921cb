/*
 * A UART as the console layer sees it. Chip files (ns16550.c, sifive.c,
 * sbi_console.c) know only registers or firmware calls and export a
 * `struct uart_ops`; uart_dt.c finds the console node in the device tree,
 * matches its `compatible` against every driver's table and fills a
 * `struct uart`. Nothing outside drivers/uart names a chip.
 */
#ifndef DRIVERS_UART_UART_H
#define DRIVERS_UART_UART_H

#include <stddef.h>
#include <stdint.h>

#define UART_DEFAULT_BAUD 115200

struct uart;

struct uart_ops {
	const char *name;
	const char *const *compatible;	/* NULL-terminated; NULL for the SBI console */
	/* clock_hz == 0: leave the baud rate as the firmware set it. */
	int (*init)(struct uart *u, uint32_t clock_hz, uint32_t baud);
	void (*putc)(struct uart *u, char c);
	int (*getc)(struct uart *u);	/* -1 when no byte is waiting */
	/* Optional: raise the device's interrupt while a received byte waits
	 * (so an idle hart can sleep until then); 0 or an error. */
	int (*enable_rx_interrupt)(struct uart *u);
};

struct uart {
	const struct uart_ops *ops;
	uintptr_t base;
	unsigned reg_shift;		/* register stride is 1 << reg_shift */
	unsigned reg_io_width;		/* access width in bytes: 1 or 4 */
};

extern const struct uart_ops uart_ns16550_ops;
extern const struct uart_ops uart_sifive_ops;
extern const struct uart_ops uart_sbi_dbcn_ops;
extern const struct uart_ops uart_sbi_legacy_ops;

/* The SBI console: DBCN when the firmware has it, else the legacy calls. */
void uart_sbi_console(struct uart *u);

/* Makes u the console's driver; until then it is the SBI console. */
void console_use(const struct uart *u);

/* The console's enable_rx_interrupt; -E_NOTSUPP when its driver has none. */
int console_enable_rx_interrupt(void);

/*
 * Finds the console named by /chosen/stdout-path and sets up its driver.
 * Falls back to the SBI console (and returns the reason as an error) when
 * the tree names no console or no driver matches.
 */
int uart_from_dt(const void *fdt, struct uart *u);

#endif
