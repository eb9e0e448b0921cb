/*
 * The harts a device tree lists under /cpus, and which of them can run
 * buddymon. The firmware starts the usable ones (arch/riscv/hart_start.c)
 * and `harts` names why the others were left alone. Portable: host tests
 * run it on the board trees.
 */
#ifndef LIB_DT_CPUS_H
#define LIB_DT_CPUS_H

/* First hart node under /cpus (device_type "cpu" with a one-cell reg), or a
 * negative value when there is none. */
int dt_first_hart(const void *fdt);
/* The hart node after `node`, or a negative value after the last. */
int dt_next_hart(const void *fdt, int node);

#define dt_for_each_hart(fdt, node) \
	for ((node) = dt_first_hart(fdt); (node) >= 0; (node) = dt_next_hart(fdt, node))

/* The hart id: the node's reg. */
unsigned long dt_hart_id(const void *fdt, int node);

/*
 * NULL when the hart can run buddymon, else why not: "disabled", "no MMU"
 * (no S-mode: mmu-type absent or "riscv,none", as on the FU740's and
 * JH7110's monitor cores), or the part of rv64gc its ISA lacks (the
 * firmware is built for rv64gc: "not RV64", "no FPU", "no atomics", ...).
 */
const char *dt_hart_unusable(const void *fdt, int node);

#endif
