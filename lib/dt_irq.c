/* Interrupt routing from the device tree (dt_irq.h). */
#include <libfdt.h>

#include "lib/dt.h"
#include "lib/dt_irq.h"
#include "lib/errors.h"

#define DT_CELL_SIZE		4
#define DT_MAX_DEPTH		16	/* bound on parent walks in a malformed tree */
#define DT_MAX_IRQ_CELLS	4

/* #interrupt-cells of a controller; -E_BADDT when missing or absurd. */
static int interrupt_cells(const void *fdt, int controller)
{
	uint32_t cells = dt_u32(fdt, controller, "#interrupt-cells", 0);

	return cells >= 1 && cells <= DT_MAX_IRQ_CELLS ? (int)cells : -E_BADDT;
}

/* The node interrupt-parent names, on `node` or its nearest ancestor. */
static int interrupt_parent(const void *fdt, int node)
{
	for (int depth = 0; node >= 0 && depth < DT_MAX_DEPTH; depth++) {
		uint32_t phandle = dt_u32(fdt, node, "interrupt-parent", 0);
		if (phandle)
			return fdt_node_offset_by_phandle(fdt, phandle);
		node = fdt_parent_offset(fdt, node);
	}
	return -E_NOENT;
}

int dt_first_interrupt(const void *fdt, int node, int *controller, uint32_t *source)
{
	int len;
	const uint8_t *ext = fdt_getprop(fdt, node, "interrupts-extended", &len);

	if (ext) {
		if (len < 2 * DT_CELL_SIZE)
			return -E_BADDT;
		*controller = fdt_node_offset_by_phandle(fdt, (uint32_t)dt_read_cells(ext, 1));
		*source = (uint32_t)dt_read_cells(ext + DT_CELL_SIZE, 1);
		return *controller < 0 ? -E_BADDT : 0;
	}
	const uint8_t *irqs = fdt_getprop(fdt, node, "interrupts", &len);
	if (!irqs)
		return -E_NOENT;
	*controller = interrupt_parent(fdt, node);
	if (*controller < 0)
		return -E_BADDT;
	int cells = interrupt_cells(fdt, *controller);
	if (cells < 0 || len < cells * DT_CELL_SIZE)
		return -E_BADDT;
	*source = (uint32_t)dt_read_cells(irqs, 1);
	return 0;
}

/* The hart id of the cpu node a hart-local interrupt controller sits in. */
static int hart_of_intc(const void *fdt, int intc, unsigned long *hartid)
{
	int cpu = fdt_parent_offset(fdt, intc);
	int len;
	const void *reg = cpu < 0 ? NULL : fdt_getprop(fdt, cpu, "reg", &len);

	if (!reg || (len != DT_CELL_SIZE && len != 2 * DT_CELL_SIZE))
		return -E_BADDT;
	*hartid = (unsigned long)dt_read_cells(reg, len / DT_CELL_SIZE);
	return 0;
}

int dt_irq_output_for_hart(const void *fdt, int controller, unsigned long hartid,
			   uint32_t hart_irq)
{
	int len;
	const uint8_t *p = fdt_getprop(fdt, controller, "interrupts-extended", &len);

	if (!p)
		return -E_NOENT;
	const uint8_t *end = p + len;
	for (int index = 0; end - p >= 2 * DT_CELL_SIZE; index++) {
		int intc = fdt_node_offset_by_phandle(fdt, (uint32_t)dt_read_cells(p, 1));
		int cells = intc < 0 ? -E_BADDT : interrupt_cells(fdt, intc);
		unsigned long owner;

		if (cells < 0 || end - p < (1 + cells) * DT_CELL_SIZE)
			return -E_BADDT;
		if (hart_of_intc(fdt, intc, &owner) == 0 && owner == hartid &&
		    dt_read_cells(p + DT_CELL_SIZE, 1) == hart_irq)
			return index;
		p += (1 + cells) * DT_CELL_SIZE;
	}
	return -E_NOENT;
}
