/*
 * Host tests of the console registry and the UART chip files: which node
 * and driver uart_choose picks and why it refuses one (dts/consoles.dts and
 * the board trees, including Renesas RZ/Five's SCIF), then each chip's
 * init, putc and getc on a fake register block in host memory: every
 * reg-io-width, the divisor arithmetic at its limits, and the bounded
 * wait on a device that never becomes ready; and writes through a firmware
 * call that takes fewer bytes than asked (SBI DBCN).
 */
#include <stdlib.h>
#include <string.h>

#include <libfdt.h>

#include "drivers/uart/uart.h"
#include "lib/errors.h"
#include "tests/host/support/dtb_file.h"
#include "tests/host/tap.h"

#define FAKE_REGS_SIZE 0x100
#define NS16550_LSR 5
#define NS16550_LCR 3
#define LSR_THR_EMPTY 0x20
#define LCR_8N1 0x03
#define SCIF_SCSCR 0x04
#define SCIF_SCFTDR 0x06
#define SCIF_SCFSR 0x08
#define SCIF_SCFRDR 0x0a
#define SCIF_SCBRR 0x02
#define SCIF_TDFE_TEND 0x60
#define SCIF_TE_RE 0x30
#define SIFIVE_DIV 0x18

static _Alignas(8) uint8_t regs[FAKE_REGS_SIZE];

static int choose_path(const void *fdt, const char *path, struct uart_choice *c)
{
	int node = fdt_path_offset(fdt, path);
	TAP_CHECK(node >= 0);
	return node < 0 ? node : uart_choose_node(fdt, node, NULL, c);
}

static void test_choose_refusals(void)
{
	size_t size;
	void *fdt = dtb_load("consoles.dtb", &size);
	struct uart_choice c;
	TAP_CHECK(fdt != NULL);
	if (!fdt)
		return;
	/* stdout-path names a disabled node: never driven. */
	TAP_CHECK_EQ(uart_choose(fdt, &c), -E_DISABLED);
	TAP_CHECK(c.node == fdt_path_offset(fdt, "/soc/serial@10000000"));
	TAP_CHECK(!strcmp(c.why, "status is not \"okay\""));
	TAP_CHECK_EQ(choose_path(fdt, "/soc/shift5@10002000", &c), -E_RANGE);
	TAP_CHECK(!strcmp(c.why, "reg-shift outside 0..3"));
	TAP_CHECK_EQ(choose_path(fdt, "/soc/width3@10003000", &c), -E_NOTSUPP);
	TAP_CHECK_EQ(choose_path(fdt, "/soc/in-ram@88000000", &c), -E_ISRAM);
	TAP_CHECK(!strcmp(c.why, "its reg lies in RAM"));
	TAP_CHECK_EQ(choose_path(fdt, "/soc/no-driver@10004000", &c), -E_NOTSUPP);
	TAP_CHECK_EQ(choose_path(fdt, "/soc/zero-baud@10005000", &c), -E_RANGE);

	TAP_CHECK_EQ(choose_path(fdt, "/soc/width2@10001000", &c), 0);
	TAP_CHECK(c.uart.ops == &uart_ns16550_ops);
	TAP_CHECK_EQ(c.uart.base, 0x10001000);
	TAP_CHECK_EQ(c.uart.reg_io_width, 2);
	TAP_CHECK_EQ(c.uart.reg_shift, 1);
	TAP_CHECK_EQ(c.clock_hz, 1843200);
	TAP_CHECK_EQ(c.baud, 9600);
	TAP_CHECK_EQ(choose_path(fdt, "/soc/scif@1004b800", &c), 0);
	TAP_CHECK(c.uart.ops == &uart_scif_ops);
	free(fdt);
}

struct board_console {
	const char *dtb;
	const struct uart_ops *ops;
	uint64_t base;
	unsigned reg_shift, reg_io_width;
};

static void check_board_console(const struct board_console *b)
{
	size_t size;
	void *fdt = dtb_load(b->dtb, &size);
	struct uart_choice c;
	TAP_CHECK(fdt != NULL);
	if (!fdt)
		return;
	TAP_CHECK_EQ(uart_choose(fdt, &c), 0);
	TAP_CHECK(c.uart.ops == b->ops);
	TAP_CHECK_EQ(c.uart.base, b->base);
	TAP_CHECK_EQ(c.uart.reg_shift, b->reg_shift);
	TAP_CHECK_EQ(c.uart.reg_io_width, b->reg_io_width);
	TAP_CHECK_EQ(c.baud, 115200);
	TAP_CHECK_EQ(c.clock_hz, 0);	/* the firmware's baud rate is kept */
	free(fdt);
}

/* r9a07g043f01-smarc.dts: serial0 = SCIF0, renesas,scif-r9a07g043. */
static void test_board_rzfive(void)
{
	static const struct board_console rzfive = {
		"board/r9a07g043f01-smarc.dtb", &uart_scif_ops, 0x1004b800, 0, 1,
	};
	check_board_console(&rzfive);
}

static void test_board_visionfive2_and_unmatched(void)
{
	static const struct board_console vf2 = {
		"board/jh7110-starfive-visionfive-2-v1.3b.dtb", &uart_ns16550_ops, 0x10000000, 2, 4,
	};
	static const struct board_console unmatched = {
		"board/hifive-unmatched-a00.dtb", &uart_sifive_ops, 0x10010000, 0, 1,
	};
	check_board_console(&vf2);
	check_board_console(&unmatched);
}

static struct uart fake_uart(const struct uart_ops *ops, unsigned shift, unsigned width)
{
	memset(regs, 0, sizeof(regs));
	return (struct uart){ .ops = ops, .base = (uintptr_t)regs, .reg_shift = shift,
			      .reg_io_width = width };
}

static uint32_t reg_value(unsigned offset, unsigned width)
{
	uint32_t v = 0;
	memcpy(&v, regs + offset, width);	/* little-endian host */
	return v;
}

/* reg-io-width 1, 2 and 4 (with reg-shift 0, 1, 2): registers at the right
 * place and width; 1.8432 MHz / (16 * 9600) gives divisor 12. */
static void test_ns16550_widths(void)
{
	static const unsigned widths[] = { 1, 2, 4 };
	for (unsigned i = 0; i < 3; i++) {
		unsigned w = widths[i], shift = i;
		struct uart u = fake_uart(&uart_ns16550_ops, shift, w);
		regs[NS16550_LSR << shift] = LSR_THR_EMPTY;
		TAP_CHECK_EQ(u.ops->init(&u, 1843200, 9600), 0);
		TAP_CHECK_EQ(reg_value(0, w), 12);			/* DLL */
		TAP_CHECK_EQ(reg_value(1u << shift, w), 0);		/* IER, DLM */
		TAP_CHECK_EQ(reg_value(NS16550_LCR << shift, w), LCR_8N1);
		u.ops->putc(&u, 'A');
		TAP_CHECK_EQ(reg_value(0, w), 'A');
		unsigned width;
		TAP_CHECK_EQ(u.ops->status_reg(&u, &width), (uintptr_t)regs + (NS16550_LSR << shift));
		TAP_CHECK_EQ(width, w);
	}
	struct uart u = fake_uart(&uart_ns16550_ops, 0, 8);
	TAP_CHECK_EQ(u.ops->init(&u, 0, 115200), -E_NOTSUPP);
}

/* 16 * 300 MBd does not fit 32 bits: the divisor must be refused, not wrap. */
static void test_ns16550_divisor_limits(void)
{
	struct uart u = fake_uart(&uart_ns16550_ops, 0, 1);
	regs[NS16550_LSR] = LSR_THR_EMPTY;
	TAP_CHECK_EQ(u.ops->init(&u, 4000000000u, 300000000u), -E_RANGE);
	TAP_CHECK_EQ(u.ops->init(&u, 4000000000u, 1), -E_RANGE);	/* over 0xffff */
	TAP_CHECK_EQ(u.ops->init(&u, 1843200, 0), -E_RANGE);
	TAP_CHECK_EQ(u.ops->init(&u, 0, 0), 0);	/* no clock: baud left alone */
}

/* Memory that never sets "transmitter empty": init gives up, and putc returns. */
static void test_never_ready(void)
{
	struct uart u = fake_uart(&uart_ns16550_ops, 0, 1);
	TAP_CHECK_EQ(u.ops->init(&u, 0, 115200), -E_TIMEOUT);
	u.ops->putc(&u, 'x');
	TAP_CHECK_EQ(regs[0], 'x');

	u = fake_uart(&uart_scif_ops, 0, 1);
	TAP_CHECK_EQ(u.ops->init(&u, 0, 115200), -E_TIMEOUT);

	u = fake_uart(&uart_sifive_ops, 0, 1);
	memset(regs, 0xff, sizeof(regs));	/* TXDATA full, forever */
	TAP_CHECK_EQ(u.ops->init(&u, 0, 115200), -E_TIMEOUT);
}

static void test_sifive_registers(void)
{
	struct uart u = fake_uart(&uart_sifive_ops, 0, 1);
	TAP_CHECK_EQ(u.ops->init(&u, 500000000, 115200), 0);
	TAP_CHECK_EQ(reg_value(SIFIVE_DIV, 4), 500000000 / 115200 - 1);
	TAP_CHECK_EQ(u.ops->init(&u, 4000000000u, 1), -E_RANGE);
	u.ops->putc(&u, 'x');
	TAP_CHECK_EQ(reg_value(0, 4), 'x');
}

static void test_scif_registers(void)
{
	struct uart u = fake_uart(&uart_scif_ops, 0, 1);
	regs[SCIF_SCFSR] = SCIF_TDFE_TEND;
	TAP_CHECK_EQ(u.ops->init(&u, 0, 115200), 0);
	TAP_CHECK_EQ(reg_value(SCIF_SCSCR, 2), SCIF_TE_RE);	/* transmitter and receiver on */
	TAP_CHECK_EQ(regs[SCIF_SCBRR], 0);			/* baud rate untouched */
	TAP_CHECK_EQ(u.ops->init(&u, 100000000, 115200), 0);
	TAP_CHECK_EQ(regs[SCIF_SCBRR], 100000000 / (32 * 115200) - 1);
	TAP_CHECK_EQ(u.ops->init(&u, 4000000000u, 9600), -E_RANGE);	/* BRR over 255 */

	regs[SCIF_SCFSR] = SCIF_TDFE_TEND;
	u.ops->putc(&u, 'Z');
	TAP_CHECK_EQ(regs[SCIF_SCFTDR], 'Z');
	TAP_CHECK_EQ(reg_value(SCIF_SCFSR, 2), 0xff & ~SCIF_TDFE_TEND);	/* TDFE, TEND cleared */

	regs[SCIF_SCFSR] = SCIF_TDFE_TEND;	/* nothing received */
	TAP_CHECK_EQ(u.ops->getc(&u), -1);
	regs[SCIF_SCFSR] = 0x01;	/* DR: data ready */
	regs[SCIF_SCFRDR] = 'q';
	TAP_CHECK_EQ(u.ops->getc(&u), 'q');
	TAP_CHECK_EQ(reg_value(SCIF_SCFSR, 2), 0xfc);	/* DR, RDF cleared */
	unsigned width;
	TAP_CHECK_EQ(u.ops->status_reg(&u, &width), (uintptr_t)regs + SCIF_SCFSR);
	TAP_CHECK_EQ(width, 2);
}

/* A firmware write call that takes nothing twice, then at most 3 bytes a call. */
static char written[16];
static size_t written_len;
static unsigned calls;

static long partial_write(const char *buf, size_t len)
{
	if (calls++ % 3 < 2)
		return 0;
	size_t n = len < 3 ? len : 3;
	memcpy(written + written_len, buf, n);
	written_len += n;
	return (long)n;
}

static long failing_write(const char *buf, size_t len)
{
	(void)buf, (void)len;
	return -1;
}

static long idle_write(const char *buf, size_t len)
{
	(void)buf, (void)len;
	return 0;
}

/* Every byte is written even when the firmware takes fewer than asked. */
static void test_partial_writes(void)
{
	TAP_CHECK_EQ(uart_write_all(partial_write, "buddymon", 8), 0);
	TAP_CHECK_EQ(written_len, 8);
	TAP_CHECK(memcmp(written, "buddymon", 8) == 0);
	TAP_CHECK_EQ(uart_write_all(failing_write, "x", 1), -E_IO);
	TAP_CHECK_EQ(uart_write_all(idle_write, "x", 1), -E_TIMEOUT);
}

int main(void)
{
	TAP_RUN(test_choose_refusals);
	TAP_RUN(test_board_rzfive);
	TAP_RUN(test_board_visionfive2_and_unmatched);
	TAP_RUN(test_ns16550_widths);
	TAP_RUN(test_ns16550_divisor_limits);
	TAP_RUN(test_never_ready);
	TAP_RUN(test_sifive_registers);
	TAP_RUN(test_scif_registers);
	TAP_RUN(test_partial_writes);
	return tap_done();
}
