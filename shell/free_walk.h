/*
 * The free blocks of the frame allocator and of the heap, seen from the
 * shell: every block on a free list and every block a cache holds. `map`
 * paints them and `free` uses them to tell a double free ("already free")
 * from an address that was never a block.
 *
 * The allocators have no public iterator over their caches, so this walks
 * what their headers expose: buddy_for_each_free on each zone for the
 * lists, and each zone's cache stacks (struct buddy_cache) for the cached
 * blocks. A clean public iterator would be one call per allocator,
 * frames_for_each_free / heap_for_each_free(h, fn, ctx) with fn(ctx, addr,
 * bytes, cached), next to frames_stats and heap_stats.
 */
#ifndef SHELL_FREE_WALK_H
#define SHELL_FREE_WALK_H

#include <stdbool.h>
#include <stdint.h>

#include "mm/memory.h"

/* cached: the block sits in a cache (free, not merged), not on a list. */
typedef void (*free_block_fn)(void *ctx, uintptr_t addr, uint64_t bytes, bool cached);

void frames_walk_free(const struct frames *f, free_block_fn fn, void *ctx);
void heap_walk_free(const struct heap *h, free_block_fn fn, void *ctx);

/* Whether addr lies in a free or cached block of the frames or the heap. */
bool memory_addr_is_free(const struct memory *mem, uintptr_t addr);

#endif
