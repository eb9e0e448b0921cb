/*
 * Interrupt routing read from the device tree, for the idle loop (which
 * sleeps until the console's receive interrupt): which controller and
 * which source a device's first interrupt goes to (`interrupts-extended`,
 * or `interrupts` with the `interrupt-parent` found on it or an ancestor),
 * and which of a controller's outputs reaches a given hart's interrupt
 * line (the position in its `interrupts-extended`, which for a PLIC is the
 * context number). Portable: host tests run it on the board trees.
 */
#ifndef LIB_DT_IRQ_H
#define LIB_DT_IRQ_H

#include <stdint.h>

#define DT_HART_IRQ_S_EXTERNAL 9	/* a hart's supervisor external interrupt */

/*
 * The first interrupt of `node`: the controller's node offset in
 * *controller and the first cell of the specifier (the source number) in
 * *source. Returns 0, -E_NOENT when the node has no interrupt, -E_BADDT.
 */
int dt_first_interrupt(const void *fdt, int node, int *controller, uint32_t *source);

/*
 * The index of the (phandle, irq) entry of `controller`'s
 * interrupts-extended that names hart `hartid`'s interrupt controller with
 * interrupt `hart_irq`: -E_NOENT when no entry does, -E_BADDT.
 */
int dt_irq_output_for_hart(const void *fdt, int controller, unsigned long hartid,
			   uint32_t hart_irq);

#endif
