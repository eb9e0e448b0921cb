/*
 * The SBI firmware console: the debug console extension (DBCN) when the
 * firmware has it, else the legacy putchar/getchar calls (OpenSBI 1.1 in
 * Debian has no DBCN). The fallback when the device tree names no UART we
 * drive, and the console used before the device tree is read.
 */
#include "arch/riscv/sbi.h"
#include "drivers/uart/uart.h"

static int sbi_console_init(struct uart *u, uint32_t clock_hz, uint32_t baud)
{
	(void)u;
	(void)clock_hz;
	(void)baud;
	return 0;
}

/* DBCN may write fewer bytes than asked: uart_write_all asks again. */
static void dbcn_putc(struct uart *u, char c)
{
	(void)u;
	uart_write_all(sbi_dbcn_write, &c, 1);
}

static int dbcn_getc(struct uart *u)
{
	(void)u;
	return sbi_dbcn_read_byte();
}

static void legacy_putc(struct uart *u, char c)
{
	(void)u;
	sbi_legacy_putchar(c);
}

static int legacy_getc(struct uart *u)
{
	(void)u;
	return sbi_legacy_getchar();
}

const struct uart_ops uart_sbi_dbcn_ops = {
	.name = "sbi-dbcn",
	.init = sbi_console_init,
	.putc = dbcn_putc,
	.getc = dbcn_getc,
};

const struct uart_ops uart_sbi_legacy_ops = {
	.name = "sbi-legacy",
	.init = sbi_console_init,
	.putc = legacy_putc,
	.getc = legacy_getc,
};

void uart_sbi_console(struct uart *u)
{
	struct sbi_info info;

	sbi_probe(&info);
	*u = (struct uart){
		.ops = info.has_dbcn ? &uart_sbi_dbcn_ops : &uart_sbi_legacy_ops,
	};
}
