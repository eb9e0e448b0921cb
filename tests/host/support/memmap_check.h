/*
 * The invariants every memory map must keep, whatever tree it came from:
 * for the host tests of mm/memmap.c and for the device-tree fuzzer.
 */
#ifndef TESTS_HOST_SUPPORT_MEMMAP_CHECK_H
#define TESTS_HOST_SUPPORT_MEMMAP_CHECK_H

#include "mm/memmap.h"

/*
 * NULL, or the first broken invariant: banks sorted and disjoint; usable
 * ranges non-empty, page aligned, sorted, apart, inside the banks, clear of
 * every reservation and never at address 0.
 */
const char *memmap_check_invariants(const struct memmap *m);

#endif
