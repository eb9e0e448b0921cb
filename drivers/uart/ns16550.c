/*
 * NS16550-compatible UARTs: QEMU virt's ns16550a and the Synopsys DesignWare
 * APB UART of the JH7110 (VisionFive 2), which needs reg-shift 2 and 32-bit
 * accesses. Registers only; uart_choose.c supplies base, stride and width
 * (reg-io-width 1, 2 or 4, as OpenSBI's 8250 driver takes).
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
#define DIVISOR_MAX	0xffff
#define DIVISOR_LOW_BITS 8
#define BYTE_MASK	0xff

static uintptr_t reg_addr(const struct uart *u, unsigned reg)
{
	return u->base + ((uintptr_t)reg << u->reg_shift);
}

static uint32_t reg_read(struct uart *u, unsigned reg)
{
	uintptr_t addr = reg_addr(u, reg);
	if (u->reg_io_width == sizeof(uint32_t))
		return *(volatile uint32_t *)addr;
	if (u->reg_io_width == sizeof(uint16_t))
		return *(volatile uint16_t *)addr;
	return *(volatile uint8_t *)addr;
}

static void reg_write(struct uart *u, unsigned reg, uint32_t value)
{
	uintptr_t addr = reg_addr(u, reg);
	if (u->reg_io_width == sizeof(uint32_t))
		*(volatile uint32_t *)addr = value;
	else if (u->reg_io_width == sizeof(uint16_t))
		*(volatile uint16_t *)addr = (uint16_t)value;
	else
		*(volatile uint8_t *)addr = (uint8_t)value;
}

/* Waits, at most UART_READY_POLLS reads, for the transmitter to take a byte. */
static int wait_thr_empty(struct uart *u)
{
	for (unsigned i = 0; i < UART_READY_POLLS; i++)
		if (reg_read(u, REG_LSR) & LSR_THR_EMPTY)
			return 0;
	return -E_TIMEOUT;
}

static int set_baud(struct uart *u, uint32_t clock_hz, uint32_t baud)
{
	uint64_t divisor = clock_hz / ((uint64_t)BAUD_DIVISOR_CLOCKS * baud);
	if (divisor == 0 || divisor > DIVISOR_MAX)
		return -E_RANGE;
	reg_write(u, REG_IER, 0);
	reg_write(u, REG_LCR, LCR_DLAB);
	reg_write(u, REG_RBR_THR, divisor & BYTE_MASK);
	reg_write(u, REG_IER, (uint32_t)(divisor >> DIVISOR_LOW_BITS));
	reg_write(u, REG_LCR, LCR_8N1);
	reg_write(u, REG_FCR, FCR_ENABLE_CLEAR);
	reg_write(u, REG_MCR, MCR_DTR_RTS);
	return 0;
}

static int ns16550_init(struct uart *u, uint32_t clock_hz, uint32_t baud)
{
	if (u->reg_io_width != sizeof(uint8_t) && u->reg_io_width != sizeof(uint16_t) &&
	    u->reg_io_width != sizeof(uint32_t))
		return -E_NOTSUPP;
	if (clock_hz && baud == 0)
		return -E_RANGE;
	if (clock_hz) {
		int err = set_baud(u, clock_hz, baud);
		if (err < 0)
			return err;
	}
	return wait_thr_empty(u);
}

static void ns16550_putc(struct uart *u, char c)
{
	wait_thr_empty(u);	/* on a timeout the byte goes out anyway */
	reg_write(u, REG_RBR_THR, (uint8_t)c);
}

static int ns16550_getc(struct uart *u)
{
	if (!(reg_read(u, REG_LSR) & LSR_DATA_READY))
		return -1;
	return (int)(reg_read(u, REG_RBR_THR) & BYTE_MASK);
}

static uintptr_t ns16550_status_reg(const struct uart *u, unsigned *width)
{
	*width = u->reg_io_width;
	return reg_addr(u, REG_LSR);
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
	.io_widths = UART_IO_WIDTH(1) | UART_IO_WIDTH(2) | UART_IO_WIDTH(4),
	.status_reg = ns16550_status_reg,
	.init = ns16550_init,
	.putc = ns16550_putc,
	.getc = ns16550_getc,
	.enable_rx_interrupt = ns16550_enable_rx_interrupt,
};
