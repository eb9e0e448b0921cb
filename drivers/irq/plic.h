/*
 * The RISC-V platform-level interrupt controller (PLIC; compatible
 * "riscv,plic0" or "sifive,plic-1.0.0"), just enough for one device's
 * interrupt to wake one hart from `wfi`: route the source to the hart's
 * supervisor context, then acknowledge it (claim and complete) after each
 * wake. Everything comes from the device tree (lib/dt_irq.h).
 */
#ifndef DRIVERS_IRQ_PLIC_H
#define DRIVERS_IRQ_PLIC_H

#include <stdint.h>

struct plic_route {
	uintptr_t base;
	unsigned context;	/* the hart's S-mode context */
	uint32_t source;
};

/*
 * Routes the first interrupt of `device` to hart `hartid`'s supervisor
 * external interrupt: that source alone enabled in the hart's context,
 * priority 1, threshold 0. Returns 0, -E_NOENT when the device has no
 * interrupt or the hart no context, -E_NOTSUPP when its controller is no
 * PLIC, -E_BADDT.
 */
int plic_route_to_hart(const void *fdt, int device, unsigned long hartid,
		       struct plic_route *r);

/* Claims and completes whatever the context has pending. */
void plic_acknowledge(const struct plic_route *r);

#endif
