/*
 * What the memory bring-up could not do, in words: the error line for a
 * failed memory_init, one line for each kind of RAM the fixed tables or a
 * fault left out (struct memmap_losses), and the line a command prints
 * when there is no allocator. The banner (arch/riscv/boot.c) and `mem`
 * print the same lines, so nothing is lost without a word.
 */
#ifndef SHELL_MEMORY_REPORT_H
#define SHELL_MEMORY_REPORT_H

#include <stdbool.h>

#include "mm/memory.h"

/* "error: ..." for the error memory_init returned at `stage`. */
void memory_report_init_error(const struct memory *mem, int err, const char *stage);

/* One "error: memory: ..." line per non-zero count in mem->map.lost. */
void memory_report_losses(const struct memory *mem);

/* True when the allocators are up; else prints "error: CMD: ..." and returns false. */
bool memory_require(const struct memory *mem, const char *cmd);

#endif
