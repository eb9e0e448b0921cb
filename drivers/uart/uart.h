/*
 * A UART as the console layer sees it. Chip files (ns16550.c, sifive.c,
 * scif.c, sbi_console.c) know only registers or firmware calls and export
 * a `struct uart_ops`; uart_choose.c finds the console node in the device
 * tree, matches its `compatible` against every driver's table and checks
 * its settings without touching the device (host tools use it too);
 * uart_dt.c then probes the device's status register with a read that
 * catches access faults and starts the driver. Nothing outside
 * drivers/uart names a chip.
 *
 * Every wait on a device register is bounded by UART_READY_POLLS reads:
 * init returns -E_TIMEOUT when the device never becomes ready (a `reg`
 * that maps flash or another device), and putc gives up on a byte rather
 * than hang.
 */
#ifndef DRIVERS_UART_UART_H
#define DRIVERS_UART_UART_H

#include <stddef.h>
#include <stdint.h>

#define UART_DEFAULT_BAUD 115200
#define UART_READY_POLLS 1000000u	/* status reads before a wait gives up */
#define UART_MAX_REG_SHIFT 3
/* reg-io-width values, as bits of uart_ops.io_widths */
#define UART_IO_WIDTH(bytes) (1u << (bytes))

struct uart;

struct uart_ops {
	const char *name;
	const char *const *compatible;	/* NULL-terminated; NULL for the SBI console */
	unsigned io_widths;		/* UART_IO_WIDTH() of each reg-io-width it
					   takes; 0: fixed widths, property ignored */
	/* A status register that reads without side effects, and its width. */
	uintptr_t (*status_reg)(const struct uart *u, unsigned *width);
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
	unsigned reg_io_width;		/* access width in bytes: 1, 2 or 4 */
};

/* What the device tree says about the console, checked but not yet probed. */
struct uart_choice {
	struct uart uart;
	int node;			/* the console node, or -1 */
	uint32_t clock_hz;		/* 0: keep the firmware's baud rate */
	uint32_t baud;
	const char *why;		/* on an error: the reason, in words */
};

extern const struct uart_ops uart_scif_ops;

extern const struct uart_ops uart_ns16550_ops;
extern const struct uart_ops uart_sifive_ops;
extern const struct uart_ops uart_sbi_dbcn_ops;
extern const struct uart_ops uart_sbi_legacy_ops;

/*
 * Writes all len bytes through `write`, which returns how many it took
 * (possibly 0, as SBI DBCN may) or a negative error: 0, -E_IO on an error,
 * -E_TIMEOUT after UART_READY_POLLS calls in a row that took nothing.
 */
int uart_write_all(long (*write)(const char *buf, size_t len), const char *buf, size_t len);

/* The SBI console: DBCN when the firmware has it, else the legacy calls. */
void uart_sbi_console(struct uart *u);

/* Makes u the console's driver; until then it is the SBI console. */
void console_use(const struct uart *u);

/* The console's enable_rx_interrupt; -E_NOTSUPP when its driver has none. */
int console_enable_rx_interrupt(void);

/*
 * The console the tree names in /chosen/stdout-path, its driver and
 * settings, without touching the device. Returns 0, or why it cannot be
 * driven: -E_NOENT (no stdout-path or no such node), -E_DISABLED,
 * -E_NOTSUPP (no driver, or a reg-io-width the driver does not take),
 * -E_RANGE (reg-shift above UART_MAX_REG_SHIFT, or a baud rate of 0),
 * -E_ISRAM (its reg lies in a memory bank), -E_BADDT; c->why says it in
 * words. c->node is set when a node was found.
 */
int uart_choose(const void *fdt, struct uart_choice *c);
/* uart_choose for a given node, with the stdout-path options (or NULL). */
int uart_choose_node(const void *fdt, int node, const char *options, struct uart_choice *c);

/*
 * Finds the console named by /chosen/stdout-path and sets up its driver:
 * uart_choose, then a fault-catching read of its status register
 * (-E_FAULT), then the driver's init (-E_RANGE for a baud rate the divisor
 * cannot express, -E_TIMEOUT when it never becomes ready).
 * On any error falls back to the SBI console, returns the error and puts
 * the reason in words in *why.
 */
int uart_from_dt(const void *fdt, struct uart *u, const char **why);

#endif
