/*
 * What portable code (the shell) asks of the machine it runs on. The
 * firmware implements it in arch/riscv/platform.c; host builds implement it
 * in tests/host/support so the shell can be tested and fuzzed on the host.
 */
#ifndef LIB_PLATFORM_H
#define LIB_PLATFORM_H

#include <stdint.h>

uint64_t platform_time_ns(void);	/* since boot */
void platform_idle(void);		/* nothing to do until the next input byte */
/* Ends the machine with exit status `code` where it can (a test finisher),
 * else powers off; returns only on failure, with the error. */
int platform_poweroff(unsigned code);
int platform_reboot(void);
/* A hart's run state as the firmware reports it ("started", "stopped", ...). */
const char *platform_hart_state(unsigned long hartid);
/* Reads a 32-bit word; -E_FAULT instead of a crash when the bus refuses. */
int platform_read32(uintptr_t addr, uint32_t *value);
/* Reads 1, 2 or 4 bytes (naturally aligned) the same way: for probing devices. */
int platform_probe_read(uintptr_t addr, unsigned width, uint32_t *value);
/* One access of 1, 2, 4 or 8 bytes at an address aligned to it (md, mw,
 * cmp, cp); -E_FAULT instead of a crash when the bus refuses. */
int platform_read(uintptr_t addr, unsigned width, uint64_t *value);
int platform_write(uintptr_t addr, unsigned width, uint64_t value);
/* SBI base extension function fid (0 spec version ... 3 probe extension
 * `arg` ... 6 mimpid): 0 and *value, or the error (-E_NOTSUPP on the host). */
int platform_sbi_base(unsigned long fid, unsigned long arg, long *value);

#endif
