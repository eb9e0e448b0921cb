/*
 * The memory map as the `mem` command prints it: one row per usable or
 * reserved range in address order (base, end, size, type, owner), the
 * size-only reservations, then the ram/usable/reserved totals. The shell's
 * `mem` and the host tool buddymon-dt print it with the same code.
 */
#ifndef SHELL_MEM_TABLE_H
#define SHELL_MEM_TABLE_H

#include "mm/memmap.h"

void mem_table_print(const struct memmap *map);

#endif
