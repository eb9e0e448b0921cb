/*
 * The part of each range a memtest share covers (see memtest.h): what
 * memtest.c's passes walk. The ranges are laid end to end; a share is a
 * window of that line.
 */
#ifndef LIB_MEMTEST_SHARE_H
#define LIB_MEMTEST_SHARE_H

#include <stdint.h>

#include "lib/memtest.h"

/* The words of range k (which starts `offset` bytes along the line) that
 * mt tests: how many, and in *first the index of the first. */
uint64_t memtest_share_words(const struct memtest *mt, size_t k, uint64_t offset,
			     uint64_t *first);

/* Bytes in all of mt's ranges. */
uint64_t memtest_ranges_bytes(const struct memtest *mt);

#endif
