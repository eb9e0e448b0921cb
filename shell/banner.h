/*
 * The lines boot prints about the machine it found: the banner (version,
 * hart, dtb, image, firmware, console, memory and what was lost, harts,
 * idle) and the boot error for a console the tree names but buddymon
 * cannot use. boot_main prints them on the board; the host tool
 * buddymon-dt prints the console and memory lines for a .dtb, from the
 * same functions. (The memory set-up's error line is
 * memory_report_init_error, shell/memory_report.h.)
 */
#ifndef SHELL_BANNER_H
#define SHELL_BANNER_H

#include <stdint.h>

#include "mm/memory.h"
#include "shell/machine.h"

/* "error: no usable console in the device tree (WHY); using the SBI console" */
void banner_console_error(const char *why);

/* "console:     ns16550 at 0x10000000", then " (fallback: WHY)" when why is set. */
void banner_console_line(const char *driver, uintptr_t base, const char *why);
/* "memory:      256 MiB in 1 bank, 753.14 KiB reserved, 255.25 MiB free", then
 * a line per kind of RAM left out and the no-allocator error when the
 * allocators are not up. */
void banner_memory_lines(const struct memory *mem);

/* The whole banner, printed once before the first prompt; `idle` says how
 * the prompt waits (idle_describe, arch/riscv/idle.h). */
void banner_print(const struct machine *m, const char *idle);

#endif
