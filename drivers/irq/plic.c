/*
 * PLIC registers (plic.h), as laid out by the RISC-V PLIC specification:
 * a priority word per source, an enable bitmap per context, and a
 * threshold and claim/complete word per context.
 */
#include <libfdt.h>

#include "drivers/irq/plic.h"
#include "lib/dt.h"
#include "lib/dt_irq.h"
#include "lib/errors.h"

#define PLIC_PRIORITY		0x000000	/* + 4 * source */
#define PLIC_ENABLE		0x002000	/* + 0x80 * context, bit per source */
#define PLIC_ENABLE_STRIDE	0x80
#define PLIC_CONTEXT		0x200000	/* + 0x1000 * context */
#define PLIC_CONTEXT_STRIDE	0x1000
#define PLIC_THRESHOLD		0x0
#define PLIC_CLAIM		0x4		/* read: claim; write: complete */
#define PLIC_MAX_SOURCES	1024		/* source 0 means "none" */
#define PLIC_WAKE_PRIORITY	1		/* above threshold 0 */
#define BITS_PER_WORD		32

static const char *const plic_compatible[] = { "riscv,plic0", "sifive,plic-1.0.0" };

static volatile uint32_t *reg(uintptr_t base, uintptr_t offset)
{
	return (volatile uint32_t *)(base + offset);
}

static volatile uint32_t *context_reg(const struct plic_route *r, uintptr_t offset)
{
	return reg(r->base, PLIC_CONTEXT + r->context * PLIC_CONTEXT_STRIDE + offset);
}

static int is_plic(const void *fdt, int node)
{
	for (size_t i = 0; i < sizeof(plic_compatible) / sizeof(plic_compatible[0]); i++)
		if (fdt_node_check_compatible(fdt, node, plic_compatible[i]) == 0)
			return 1;
	return 0;
}

/* The only source enabled in the context: the others stay quiet. */
static void enable_only(const struct plic_route *r, uint32_t sources)
{
	uintptr_t enable = PLIC_ENABLE + r->context * PLIC_ENABLE_STRIDE;

	for (uint32_t word = 0; word <= sources / BITS_PER_WORD; word++)
		*reg(r->base, enable + word * sizeof(uint32_t)) =
			word == r->source / BITS_PER_WORD ? 1u << (r->source % BITS_PER_WORD) : 0;
}

int plic_route_to_hart(const void *fdt, int device, unsigned long hartid,
		       struct plic_route *r)
{
	int controller, err;
	uint64_t base, size;

	if ((err = dt_first_interrupt(fdt, device, &controller, &r->source)) < 0)
		return err;
	if (!is_plic(fdt, controller))
		return -E_NOTSUPP;
	uint32_t sources = dt_u32(fdt, controller, "riscv,ndev", 0);
	if (r->source == 0 || r->source > sources || sources >= PLIC_MAX_SOURCES)
		return -E_BADDT;
	if ((err = dt_reg(fdt, controller, 0, &base, &size)) < 0)
		return err;
	int context = dt_irq_output_for_hart(fdt, controller, hartid, DT_HART_IRQ_S_EXTERNAL);
	if (context < 0)
		return context;

	r->base = (uintptr_t)base;
	r->context = (unsigned)context;
	*reg(r->base, PLIC_PRIORITY + r->source * sizeof(uint32_t)) = PLIC_WAKE_PRIORITY;
	enable_only(r, sources);
	*context_reg(r, PLIC_THRESHOLD) = 0;
	plic_acknowledge(r);	/* anything left pending from before */
	return 0;
}

void plic_acknowledge(const struct plic_route *r)
{
	uint32_t source = *context_reg(r, PLIC_CLAIM);

	if (source)
		*context_reg(r, PLIC_CLAIM) = source;
}
