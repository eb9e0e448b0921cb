/*
 * Functions shared by the heap's files (heap.c: the malloc-style API,
 * heap_chunks.c: chunk set-up, growth and return, heap_poison.c: poisoning,
 * heap_stats.c: statistics and check). Not for use outside the heap.
 */
#ifndef MM_HEAP_INTERNAL_H
#define MM_HEAP_INTERNAL_H

#include "mm/heap.h"

/* The largest block (and chunk) a heap can have: a whole zone. */
#define HEAP_MAX_BLOCK_BYTES (BUDDY_MAX_UNITS << HEAP_GRANULE_SHIFT)

/* The live chunk whose granules contain addr, or NULL. */
struct heap_chunk *heap_find_chunk(const struct heap *h, uintptr_t addr);

/* Adds a chunk from the frames that can hold n granules aligned to
 * 2^align_order granules: the chunk, or NULL. */
struct heap_chunk *heap_grow(struct heap *h, uint64_t n, unsigned align_order);

/* Gives an entirely free chunk back to the frames unless it is the
 * heap's first. */
void heap_release_if_empty(struct heap *h, struct heap_chunk *c);

/* Poisoning: fill granules [from, to) of a zone, verify granules just
 * handed out (a block's first granule held its free-list node, so callers
 * start past it), prepare a new chunk. */
void heap_poison_fill(struct buddy_zone *z, uint64_t from, uint64_t to);
void heap_poison_verify(struct heap *h, struct buddy_zone *z, uint64_t from, uint64_t to);
void heap_poison_chunk(struct heap_chunk *c);

#endif
