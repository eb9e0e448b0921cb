/*
 * Host tests of the interrupt routing read from device trees
 * (lib/dt_irq.c), which the idle loop uses to wake on the console: the
 * console's PLIC source and the boot hart's supervisor context on the
 * trees built from dts/ (irq-routes.dts has every kind of route) and on
 * the VisionFive 2 and Unmatched trees, whose hart 0 is a monitor core
 * with no S-mode context.
 */
#include <stdlib.h>

#include <libfdt.h>

#include "lib/dt.h"
#include "lib/dt_irq.h"
#include "lib/errors.h"
#include "tests/host/support/dtb_file.h"
#include "tests/host/tap.h"

#define HART_IRQ_M_EXTERNAL 11

struct board {
	const char *dtb;
	uint32_t console_source;
	int s_context_hart0;	/* -E_NOENT: hart 0 has no S mode */
	int s_context_hart1;
};

static const struct board boards[] = {
	{ "qemu-virt-holes.dtb", 10, 1, 3 },
	{ "board/jh7110-starfive-visionfive-2-v1.3b.dtb", 32, -E_NOENT, 2 },
	{ "board/hifive-unmatched-a00.dtb", 39, -E_NOENT, 2 },
};

static int plic_of_console(const void *fdt, uint32_t *source)
{
	const char *options;
	int controller, node = dt_stdout_node(fdt, &options);

	TAP_CHECK(node >= 0);
	TAP_CHECK_EQ(dt_first_interrupt(fdt, node, &controller, source), 0);
	TAP_CHECK_EQ(fdt_node_check_compatible(fdt, controller, "sifive,plic-1.0.0"), 0);
	return controller;
}

static void test_board_console_routes(void)
{
	for (size_t i = 0; i < sizeof(boards) / sizeof(boards[0]); i++) {
		const struct board *b = &boards[i];
		size_t size;
		void *fdt = dtb_load(b->dtb, &size);
		uint32_t source = 0;

		TAP_CHECK(fdt != NULL);
		if (!fdt)
			continue;
		printf("# %s\n", b->dtb);
		int plic = plic_of_console(fdt, &source);
		TAP_CHECK_EQ(source, b->console_source);
		TAP_CHECK_EQ(dt_irq_output_for_hart(fdt, plic, 0, DT_HART_IRQ_S_EXTERNAL), b->s_context_hart0);
		TAP_CHECK_EQ(dt_irq_output_for_hart(fdt, plic, 1, DT_HART_IRQ_S_EXTERNAL), b->s_context_hart1);
		TAP_CHECK_EQ(dt_irq_output_for_hart(fdt, plic, 99, DT_HART_IRQ_S_EXTERNAL), -E_NOENT);
		free(fdt);
	}
}

static int node(const void *fdt, const char *path)
{
	int offset = fdt_path_offset(fdt, path);

	TAP_CHECK(offset >= 0);
	return offset;
}

/* dts/irq-routes.dts: every way a device names its interrupt, and ways it fails to. */
static void test_routes_of_each_kind(void)
{
	size_t size;
	void *fdt = dtb_load("irq-routes.dtb", &size);
	uint32_t source = 0;
	int controller = 0;

	TAP_CHECK(fdt != NULL);
	if (!fdt)
		return;
	int plic = node(fdt, "/soc/interrupt-controller@c000000");
	TAP_CHECK_EQ(dt_first_interrupt(fdt, node(fdt, "/soc/serial@10000000"), &controller, &source), 0);
	TAP_CHECK_EQ(controller, plic);
	TAP_CHECK_EQ(source, 10);
	TAP_CHECK_EQ(dt_first_interrupt(fdt, node(fdt, "/soc/serial@10001000"), &controller, &source), 0);
	TAP_CHECK_EQ(controller, plic);
	TAP_CHECK_EQ(source, 33);
	TAP_CHECK_EQ(dt_first_interrupt(fdt, node(fdt, "/soc/serial@10002000"), &controller, &source), -E_NOENT);
	TAP_CHECK_EQ(dt_first_interrupt(fdt, node(fdt, "/soc/serial@10003000"), &controller, &source), -E_BADDT);
	TAP_CHECK_EQ(dt_first_interrupt(fdt, node(fdt, "/soc/serial@10004000"), &controller, &source), -E_BADDT);

	/* Contexts: hart 0 has M only; harts 2 and 3 by their reg, not their order. */
	TAP_CHECK_EQ(dt_irq_output_for_hart(fdt, plic, 0, DT_HART_IRQ_S_EXTERNAL), -E_NOENT);
	TAP_CHECK_EQ(dt_irq_output_for_hart(fdt, plic, 0, HART_IRQ_M_EXTERNAL), 0);
	TAP_CHECK_EQ(dt_irq_output_for_hart(fdt, plic, 2, DT_HART_IRQ_S_EXTERNAL), 2);
	TAP_CHECK_EQ(dt_irq_output_for_hart(fdt, plic, 3, DT_HART_IRQ_S_EXTERNAL), 4);
	TAP_CHECK_EQ(dt_irq_output_for_hart(fdt, plic, 1, DT_HART_IRQ_S_EXTERNAL), -E_NOENT);
	/* A node without interrupts-extended routes to no hart. */
	TAP_CHECK_EQ(dt_irq_output_for_hart(fdt, node(fdt, "/soc/serial@10000000"), 2,
					    DT_HART_IRQ_S_EXTERNAL), -E_NOENT);
	free(fdt);
}

int main(void)
{
	TAP_RUN(test_board_console_routes);
	TAP_RUN(test_routes_of_each_kind);
	return tap_done();
}
