/*
 * The free tables `dump` prints, laid out like Linux's /proc/buddyinfo:
 * one row of free-block counts per frame zone and one for the heap, a
 * column per order under a header that numbers the orders, each count in
 * a fixed-width field; under each free row, when its caches hold blocks,
 * a 'cached' row (blocks that are free but not merged). The frames and
 * the heap have separate tables, as their orders count different units.
 */
#ifndef SHELL_FREE_TABLES_H
#define SHELL_FREE_TABLES_H

#include "mm/memory.h"

void print_free_tables(const struct memory *mem);

#endif
