/*
 * Starting the other harts at boot: every hart /cpus lists that can run
 * buddymon (lib/dt_cpus.h) except the boot hart gets a stack, trap stack
 * and TLS block from the frame allocator and is started with SBI HSM
 * hart_start; it then waits in wfi for jobs (hart.c).
 */
#ifndef ARCH_RISCV_HART_START_H
#define ARCH_RISCV_HART_START_H

#include "mm/frames.h"

struct hart_start_summary {
	unsigned started;		/* the boot hart included */
	unsigned skipped;		/* listed but unable to run buddymon */
	unsigned failed;		/* refused by the firmware, or never arrived */
	unsigned long failed_hart;	/* the first that failed */
	const char *failure;		/* and why */
};

void harts_start(const void *fdt, struct frames *frames, struct hart_start_summary *out);

#endif
