/*
 * Renesas SCIF in its RZ/G2L and RZ/Five layout (renesas,scif-r9a07g043,
 * the console of the RZ/Five SMARC board): 16-bit control and status
 * registers, 8-bit data registers, a 16-byte FIFO each way. Registers only;
 * uart_choose.c supplies the base. The layout is the one Linux's sh-sci.c
 * calls SCIx_RZ_SCIFA_REGTYPE. Like Linux's earlycon, it keeps the baud
 * rate the firmware set unless the tree gives clock-frequency.
 */
#include "drivers/uart/uart.h"
#include "lib/errors.h"

#define REG_SCSMR	0x00	/* 16-bit: mode (8N1 when 0, clock select) */
#define REG_SCBRR	0x02	/* 8-bit: bit rate */
#define REG_SCSCR	0x04	/* 16-bit: control */
#define REG_SCFTDR	0x06	/* 8-bit: transmit FIFO data */
#define REG_SCFSR	0x08	/* 16-bit: status */
#define REG_SCFRDR	0x0a	/* 8-bit: receive FIFO data */
#define REG_SCFCR	0x0c	/* 16-bit: FIFO control */
#define REG_SCLSR	0x12	/* 16-bit: line status */

#define SCSMR_8N1_CLOCK_DIV1 0x0000
#define SCSCR_TE	(1u << 5)
#define SCSCR_RE	(1u << 4)
#define SCFSR_ER	(1u << 7)
#define SCFSR_TEND	(1u << 6)
#define SCFSR_TDFE	(1u << 5)	/* transmit FIFO can take data */
#define SCFSR_BRK	(1u << 4)
#define SCFSR_FER	(1u << 3)
#define SCFSR_PER	(1u << 2)
#define SCFSR_RDF	(1u << 1)
#define SCFSR_DR	(1u << 0)
#define SCFSR_FLAGS	0x00ffu		/* writing 0 clears a flag, 1 keeps it */
#define SCFSR_ERRORS	(SCFSR_ER | SCFSR_BRK | SCFSR_FER | SCFSR_PER)
#define SCFSR_RX_READY	(SCFSR_DR | SCFSR_RDF)
#define SCFCR_RESET_FIFOS 0x0006u	/* TFRST | RFRST */
#define SCLSR_ORER	(1u << 0)
#define BRR_CLOCKS_PER_BIT 32		/* asynchronous mode, clock divided by 1 */
#define BRR_MAX		0xff

static volatile uint16_t *reg16(const struct uart *u, unsigned offset)
{
	return (volatile uint16_t *)(u->base + offset);
}

static volatile uint8_t *reg8(const struct uart *u, unsigned offset)
{
	return (volatile uint8_t *)(u->base + offset);
}

static void clear_status(struct uart *u, unsigned flags)
{
	*reg16(u, REG_SCFSR) = (uint16_t)(SCFSR_FLAGS & ~flags);
}

/* Waits, at most UART_READY_POLLS reads, for room in the transmit FIFO. */
static int wait_tx_room(struct uart *u)
{
	for (unsigned i = 0; i < UART_READY_POLLS; i++)
		if (*reg16(u, REG_SCFSR) & SCFSR_TDFE)
			return 0;
	return -E_TIMEOUT;
}

static int set_baud(struct uart *u, uint32_t clock_hz, uint32_t baud)
{
	uint64_t clocks = (uint64_t)BRR_CLOCKS_PER_BIT * baud;
	if (clock_hz < clocks || clock_hz / clocks - 1 > BRR_MAX)
		return -E_RANGE;
	*reg16(u, REG_SCSCR) = 0;
	*reg16(u, REG_SCFCR) = SCFCR_RESET_FIFOS;
	*reg16(u, REG_SCSMR) = SCSMR_8N1_CLOCK_DIV1;
	*reg8(u, REG_SCBRR) = (uint8_t)(clock_hz / clocks - 1);
	*reg16(u, REG_SCFCR) = 0;
	return 0;
}

static int scif_init(struct uart *u, uint32_t clock_hz, uint32_t baud)
{
	if (clock_hz) {
		int err = baud ? set_baud(u, clock_hz, baud) : -E_RANGE;
		if (err < 0)
			return err;
	}
	*reg16(u, REG_SCSCR) |= SCSCR_TE | SCSCR_RE;
	return wait_tx_room(u);
}

static void scif_putc(struct uart *u, char c)
{
	wait_tx_room(u);	/* on a timeout the byte goes out anyway */
	*reg8(u, REG_SCFTDR) = (uint8_t)c;
	clear_status(u, SCFSR_TDFE | SCFSR_TEND);
}

static int scif_getc(struct uart *u)
{
	uint16_t status = *reg16(u, REG_SCFSR);

	if (status & SCFSR_ERRORS)
		clear_status(u, SCFSR_ERRORS);
	if (*reg16(u, REG_SCLSR) & SCLSR_ORER)
		*reg16(u, REG_SCLSR) = 0;
	if (!(status & SCFSR_RX_READY))
		return -1;
	int c = *reg8(u, REG_SCFRDR);
	(void)*reg16(u, REG_SCFSR);	/* the flags clear only after a read */
	clear_status(u, SCFSR_RX_READY);
	return c;
}

static uintptr_t scif_status_reg(const struct uart *u, unsigned *width)
{
	*width = sizeof(uint16_t);
	return (uintptr_t)reg16(u, REG_SCFSR);
}

static const char *const scif_compatible[] = {
	"renesas,scif-r9a07g043", "renesas,scif-r9a07g044", NULL
};

const struct uart_ops uart_scif_ops = {
	.name = "scif",
	.compatible = scif_compatible,
	.status_reg = scif_status_reg,
	.init = scif_init,
	.putc = scif_putc,
	.getc = scif_getc,
};
