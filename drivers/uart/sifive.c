/*
 * SiFive UART (sifive,uart0): QEMU sifive_u, HiFive Unleashed and Unmatched.
 * Registers only (always 32-bit); uart_choose.c supplies the base address.
 */
#include "drivers/uart/uart.h"
#include "lib/errors.h"

#define REG_TXDATA	0x00
#define REG_RXDATA	0x04
#define REG_TXCTRL	0x08
#define REG_RXCTRL	0x0c
#define REG_IE		0x10
#define REG_DIV		0x18

#define TXDATA_FULL	(1u << 31)
#define RXDATA_EMPTY	(1u << 31)
#define RXDATA_BYTE	0xff
#define CTRL_ENABLE	1u
#define DIV_MAX		0xffff	/* div is a 16-bit field */
#define RXCTRL_RXCNT	(7u << 16)	/* watermark: interrupt above this many bytes */
#define IE_RXWM		(1u << 1)

static volatile uint32_t *reg(const struct uart *u, unsigned offset)
{
	return (volatile uint32_t *)(u->base + offset);
}

/* Waits, at most UART_READY_POLLS reads, for room in the transmit FIFO. */
static int wait_tx_room(struct uart *u)
{
	for (unsigned i = 0; i < UART_READY_POLLS; i++)
		if (!(*reg(u, REG_TXDATA) & TXDATA_FULL))
			return 0;
	return -E_TIMEOUT;
}

static int sifive_init(struct uart *u, uint32_t clock_hz, uint32_t baud)
{
	if (clock_hz) {
		if (baud == 0 || clock_hz / baud == 0 || clock_hz / baud - 1 > DIV_MAX)
			return -E_RANGE;
		*reg(u, REG_DIV) = clock_hz / baud - 1;
	}
	*reg(u, REG_TXCTRL) |= CTRL_ENABLE;
	*reg(u, REG_RXCTRL) |= CTRL_ENABLE;
	return wait_tx_room(u);
}

static void sifive_putc(struct uart *u, char c)
{
	wait_tx_room(u);	/* on a timeout the byte goes out anyway */
	*reg(u, REG_TXDATA) = (uint8_t)c;
}

static int sifive_getc(struct uart *u)
{
	uint32_t rx = *reg(u, REG_RXDATA);
	if (rx & RXDATA_EMPTY)
		return -1;
	return (int)(rx & RXDATA_BYTE);
}

/* TXDATA reads only the full flag; RXDATA would take a byte. */
static uintptr_t sifive_status_reg(const struct uart *u, unsigned *width)
{
	*width = sizeof(uint32_t);
	return (uintptr_t)reg(u, REG_TXDATA);
}

static int sifive_enable_rx_interrupt(struct uart *u)
{
	*reg(u, REG_RXCTRL) &= ~RXCTRL_RXCNT;	/* from the first byte on */
	*reg(u, REG_IE) |= IE_RXWM;
	return 0;
}

static const char *const sifive_compatible[] = { "sifive,uart0", NULL };

const struct uart_ops uart_sifive_ops = {
	.name = "sifive-uart",
	.compatible = sifive_compatible,
	.status_reg = sifive_status_reg,
	.init = sifive_init,
	.putc = sifive_putc,
	.getc = sifive_getc,
	.enable_rx_interrupt = sifive_enable_rx_interrupt,
};
