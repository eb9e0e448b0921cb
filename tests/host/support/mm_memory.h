/*
 * A struct memory for host tests of shell code that allocates: a frame
 * allocator over one aligned arena (mm_arena.h) and a heap on it, as the
 * firmware's memory_start_allocators would set up, without a device tree.
 */
#ifndef TESTS_HOST_SUPPORT_MM_MEMORY_H
#define TESTS_HOST_SUPPORT_MM_MEMORY_H

#include <stddef.h>
#include <stdint.h>

#include "mm/memory.h"

#define MM_MEMORY_RAM_BYTES ((uint64_t)64 << 20)	/* aligned to its size */

/* Sets up mem afresh over the same arena each time (mapped on the first
 * call): 0, or the first error of frames_init or heap_init. */
int mm_memory_setup(struct memory *mem, size_t heap_bytes);

#endif
