/*
 * The lines boot prints about the machine it found: the banner (version,
 * hart, dtb, image, firmware, console, memory) and the two boot errors that
 * come from the device tree (no usable console, memory set-up failed).
 * boot_main prints them on the board; the host tool buddymon-dt prints the
 * same lines for a .dtb, from the same functions.
 */
#ifndef SHELL_BANNER_H
#define SHELL_BANNER_H

#include <stdint.h>

#include "mm/memmap.h"
#include "shell/machine.h"

/* "error: no usable console in the device tree (...); using the SBI console" */
void banner_console_error(int err);
/* "error: memory set-up failed at STAGE: ..." */
void banner_memory_error(const char *stage, int err);

/* "console:     ns16550 at 0x10000000" */
void banner_console_line(const char *driver, uintptr_t base);
/* "memory:      256 MiB in 1 bank, 753.14 KiB reserved, 255.25 MiB free" */
void banner_memory_line(const struct memmap *map);

/* The whole banner, printed once before the first prompt. */
void banner_print(const struct machine *m);

#endif
