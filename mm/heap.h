/*
 * The firmware heap: malloc-style allocation in 16-byte granules over
 * chunks, each chunk one buddy zone. Chunks come from the frame allocator
 * (heap_init) and are returned to it when they become entirely free, or the
 * heap is one fixed arena (heap_init_arena: benchmarks, fuzzing, tests).
 * There is no header in front of a block: a 4096-byte, 4096-aligned request
 * takes exactly 4096 bytes; sizes are recovered from 3 bits per granule of
 * metadata (2 bits per granule and a small summary: about 16.3 KiB per MiB
 * of heap) kept apart from the chunk. A chunk from the frames other than
 * the first goes back to them as soon as it is entirely free.
 *
 * Documented results:
 *   heap_alloc(h, 0)                  NULL (not counted as a failure)
 *   size or alignment too large, OOM  NULL, counted as a failure
 *   alignment 0 or not a power of two NULL
 *   heap_free(h, NULL)                -E_INVAL
 *   free of a non-live-start pointer  -E_OUTSIDE / -E_ALIGN / -E_NOTALLOC,
 *                                     -E_FREED (already free), and nothing
 *                                     changes
 *   heap_realloc(h, NULL, n)          heap_alloc(h, n)
 *   heap_realloc(h, p, 0)             frees p, returns NULL
 *   heap_realloc of a bad pointer     NULL, nothing changes
 *
 * All state is in struct heap (no globals); it must not be moved or copied
 * after initialisation. Every call is safe from any hart at once (heap.c
 * says which lock covers what).
 */
#ifndef MM_HEAP_H
#define MM_HEAP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "mm/buddy.h"
#include "mm/frames.h"

#define HEAP_GRANULE_SHIFT 4u
#define HEAP_GRANULE ((size_t)1 << HEAP_GRANULE_SHIFT)
#define HEAP_MAX_CHUNKS 48u
#define HEAP_MIN_CHUNK_BYTES ((size_t)64 << 10)
#define HEAP_POISON_BYTE 0xa5u
#define HEAP_CACHE_ORDERS 9u		/* blocks of 16 B .. 4 KiB are cached */

struct heap_chunk {
	struct buddy_zone zone;
	bool live;		/* slot holds a chunk */
	bool from_frames;	/* chunk and metadata go back to the frames */
	uintptr_t meta;		/* metadata frames (from_frames only) */
	size_t meta_bytes;
};

struct heap {
	struct frames *frames;		/* NULL for a fixed arena */
	unsigned nslots;		/* chunk slots used so far */
	unsigned nchunks;		/* live chunks */
	size_t next_chunk_bytes;	/* geometric growth */
	uint64_t used_units;		/* granules in live allocations */
	uint64_t peak_used_units;
	uint64_t held_bytes;		/* bytes of all chunks */
	uint64_t peak_held_bytes;
	uint64_t allocs, frees, failures;
	size_t metadata_bytes;
	bool poison;
	uint64_t poison_errors;		/* allocations that found poison broken */
	uintptr_t poison_first;		/* first broken byte seen */
	struct heap_chunk *last_chunk;	/* the last chunk after the first
					   allocated from, tried first; NULL
					   in a zeroed heap */
	struct spinlock lock;		/* chunks after the first, growth */
	struct heap_chunk chunks[HEAP_MAX_CHUNKS];
};

struct heap_stats {
	uint64_t requested_bytes;	/* live; 16-byte granule precision, as
					   exact byte counts would need more
					   metadata than 3 bits per granule */
	uint64_t peak_requested_bytes;
	uint64_t held_bytes;		/* bytes of the chunks */
	uint64_t peak_held_bytes;
	uint64_t free_bytes;		/* available to allocations: on the
					   lists, cached and in tails */
	uint64_t cached_bytes;		/* of which in cached blocks */
	uint64_t deferred_bytes;	/* of which in deferred tails */
	uint64_t largest_free_bytes;	/* the largest free block, listed
					   or cached */
	uint64_t free_blocks[BUDDY_ORDERS];	/* on the lists of all chunks */
	uint64_t cached_blocks[BUDDY_CACHE_ORDERS];	/* in their caches */
	uint64_t allocs, frees, failures;
	uint64_t metadata_bytes;
	unsigned chunks;
	uint64_t poison_errors;
};

/* Metadata bytes heap_init_arena needs for an arena of this size. */
size_t heap_metadata_size(size_t arena_bytes);

/* A heap growing in chunks from f, starting with one chunk of at least
 * initial_bytes (rounded up to whole frames), which it keeps; later chunks
 * are as large as a request needs, at least twice the last: 0 or -E_NOMEM. */
int heap_init(struct heap *h, struct frames *f, size_t initial_bytes);

/* A heap over one fixed arena (any alignment); meta must be 8-byte aligned
 * and heap_metadata_size(size) long: 0, -E_ALIGN, -E_NOMEM or -E_INVAL. */
int heap_init_arena(struct heap *h, void *arena, size_t size, void *meta, size_t meta_size);

void *heap_alloc(struct heap *h, size_t size);
void *heap_alloc_aligned(struct heap *h, size_t size, size_t align);
void *heap_calloc(struct heap *h, size_t count, size_t size);

/* Shrinks in place; grows in place when the following granules are free;
 * otherwise moves the contents to
 * a new block at least as aligned as the old one (up to 4096 bytes). */
void *heap_realloc(struct heap *h, void *ptr, size_t size);

int heap_free(struct heap *h, void *ptr);

/* Bytes usable at ptr (its size rounded up to the granule); errors as
 * heap_free. */
int heap_usable_size(const struct heap *h, const void *ptr, size_t *out);

/* Whether addr lies in a chunk or in a chunk's metadata frames. */
bool heap_owns(const struct heap *h, uintptr_t addr);

/* Poisoning (off by default): freed memory is filled with
 * HEAP_POISON_BYTE and verified when handed out again; heap_check reports
 * the first mismatch as "write after free". */
void heap_set_poison(struct heap *h, bool on);

void heap_stats(const struct heap *h, struct heap_stats *st);

/* Walks every chunk: 0, or -E_CORRUPT with the first violation in *why
 * and its address in *where. */
int heap_check(const struct heap *h, const char **why, uintptr_t *where);

#endif
