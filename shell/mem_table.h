/*
 * The memory map as the `mem` command prints it: one row per usable or
 * reserved range in address order (base, end, size, type, owner), with
 * 'unusable' rows for RAM no range covers so that the rows add up to RAM,
 * the size-only reservations, where the heap's chunks are, the
 * ram/usable/reserved/unusable totals and a line for each kind of RAM left
 * out (memory_report_losses). The shell's `mem` and the host tool
 * buddymon-dt print it with the same code.
 */
#ifndef SHELL_MEM_TABLE_H
#define SHELL_MEM_TABLE_H

#include "mm/memory.h"

void mem_table_print(const struct memory *mem);

#endif
