/*
 * Trap handling: trap_init() installs the vector (trap.S). Unexpected traps
 * print scause, sepc, stval and the cause's name, then halt the hart.
 * Access faults inside trap_probe_read()/trap_probe_write() are caught
 * instead and reported to the caller, so commands such as `dump` and `md`
 * survive a bad address.
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

/* One access of width 1, 2, 4 or 8 bytes at a naturally aligned address;
 * -E_FAULT if it traps (then nothing is stored in *value). */
int trap_probe_read(uintptr_t addr, unsigned width, uint64_t *value);
int trap_probe_write(uintptr_t addr, unsigned width, uint64_t value);

#endif
