/*
 * NS16550-compatible UARTs: QEMU virt's ns16550a and the Synopsys DesignWare
 * APB UART of the JH7110 (VisionFive 2), which needs reg-shift 2 and 32-bit
 * accesses. Registers only; uart_dt.c supplies base, stride and width.
 */
#include "drivers/uart/uart.h"
#include "lib/errors.h"

#define REG_RBR_THR	0	/* receive / transmit holding; DLL when DLAB */
#define REG_IER		1	/* interrupt enable; DLM when DLAB */
#define REG_FCR		2
#define REG_LCR		3
#define REG_MCR		4
#define REG_LSR		5

#define IER_RX_DATA	0x01	/* interrupt while received data waits */
#define LCR_8N1		0x03
#define LCR_DLAB	0x80
#define FCR_ENABLE_CLEAR 0x07
#define MCR_DTR_RTS	0x03
#define LSR_DATA_READY	0x01
#define LSR_THR_EMPTY	0x20
#define BAUD_DIVISOR_CLOCKS 16

static uint32_t reg_read(struct uart *u, unsigned reg)
{
	uintptr_t addr = u->base + ((uintptr_t)reg << u->reg_shift);
	if (u->reg_io_width == 4)
		return *(volatile uint32_t *)addr;
	return *(volatile uint8_t *)addr;
}

static void reg_write(struct uart *u, unsigned reg, uint32_t value)
{
	uintptr_t addr = u->base + ((uintptr_t)reg << u->reg_shift);
	if (u->reg_io_width == 4)
		*(volatile uint32_t *)addr = value;
	else
		*(volatile uint8_t *)addr = (uint8_t)value;
}

static int ns16550_init(struct uart *u, uint32_t clock_hz, uint32_t baud)
{
	if (u->reg_io_width != 1 && u->reg_io_width != 4)
		return -E_INVAL;
	if (clock_hz == 0)
		return 0;
	if (baud == 0)
		return -E_INVAL;

	uint32_t divisor = clock_hz / (BAUD_DIVISOR_CLOCKS * baud);
	if (divisor == 0 || divisor > 0xffff)
		return -E_RANGE;
	reg_write(u, REG_IER, 0);
	reg_write(u, REG_LCR, LCR_DLAB);
	reg_write(u, REG_RBR_THR, divisor & 0xff);
	reg_write(u, REG_IER, divisor >> 8);
	reg_write(u, REG_LCR, LCR_8N1);
	reg_write(u, REG_FCR, FCR_ENABLE_CLEAR);
	reg_write(u, REG_MCR, MCR_DTR_RTS);
	return 0;
}

static void ns16550_putc(struct uart *u, char c)
{
	while (!(reg_read(u, REG_LSR) & LSR_THR_EMPTY))
		;
	reg_write(u, REG_RBR_THR, (uint8_t)c);
}

static int ns16550_getc(struct uart *u)
{
	if (!(reg_read(u, REG_LSR) & LSR_DATA_READY))
		return -1;
	return (int)(reg_read(u, REG_RBR_THR) & 0xff);
}

static int ns16550_enable_rx_interrupt(struct uart *u)
{
	reg_write(u, REG_IER, reg_read(u, REG_IER) | IER_RX_DATA);
	return 0;
}

static const char *const ns16550_compatible[] = {
	"ns16550a", "ns16550", "ns16450", "snps,dw-apb-uart", NULL
};

const struct uart_ops uart_ns16550_ops = {
	.name = "ns16550",
	.compatible = ns16550_compatible,
	.init = ns16550_init,
	.putc = ns16550_putc,
	.getc = ns16550_getc,
	.enable_rx_interrupt = ns16550_enable_rx_interrupt,
};
