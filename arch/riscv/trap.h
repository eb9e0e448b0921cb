/*
 * Trap handling: trap_init() installs the vector (trap.S). Unexpected traps
 * print scause, sepc, stval and the cause's name, then halt the hart.
 * Access faults inside trap_probe_read() are caught instead and reported
 * to the caller, so commands such as `dump` survive a bad address.
 */
#ifndef ARCH_RISCV_TRAP_H
#define ARCH_RISCV_TRAP_H

#include <stdint.h>

struct trap_frame {
	unsigned long sepc;		/* slot of x0 */
	unsigned long x[31];		/* x1..x31, x[1] is the interrupted sp */
	unsigned long sstatus;
	unsigned long scause;
	unsigned long stval;
	unsigned long pad;
};

void trap_init(void);
void trap_handle(struct trap_frame *f);	/* called by trap.S */
const char *trap_cause_name(unsigned long scause);

/*
 * Reads a naturally aligned 1-, 2- or 4-byte value; -E_FAULT if the access
 * traps, -E_INVAL for another width.
 */
int trap_probe_read(uintptr_t addr, unsigned width, uint32_t *value);

#endif
