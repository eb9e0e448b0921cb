/*
 * Host memory for the allocator tests: large, aligned, lazily backed
 * regions (mmap with MAP_NORESERVE), so a test can hand the frame allocator
 * "RAM" at an address with the same alignment as a real board's, e.g. a
 * range at 1 GiB + 0x201000, and only the pages it touches cost memory.
 */
#ifndef TESTS_HOST_SUPPORT_MM_ARENA_H
#define TESTS_HOST_SUPPORT_MM_ARENA_H

#include <stddef.h>
#include <stdint.h>

/* size bytes at an address aligned to align (a power of two), or NULL. */
void *mm_arena_map(size_t size, size_t align);
void mm_arena_unmap(void *arena, size_t size);

#endif
