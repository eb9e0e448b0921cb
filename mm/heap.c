/*
 * The heap's malloc-style API: sizes become granule counts, alignments
 * become buddy orders, and every call is one buddy operation on the chunk
 * that holds (or will hold) the block.
 */
#include "mm/heap.h"

#include <string.h>

#include "lib/errors.h"
#include "mm/heap_internal.h"

#define MOVE_ALIGN_MAX_ORDER 8u	/* a moved block keeps up to 4096-byte alignment */

static inline void *granule_ptr(uint64_t unit)
{
	return (void *)(uintptr_t)(unit << HEAP_GRANULE_SHIFT);
}

static inline uint64_t granules(size_t size)
{
	return ((uint64_t)size + HEAP_GRANULE - 1) >> HEAP_GRANULE_SHIFT;
}

static void count_in_use(struct heap *h, int64_t delta)
{
	h->used_units += (uint64_t)delta;
	if (h->used_units > h->peak_used_units)
		h->peak_used_units = h->used_units;
}

/* A chunk other than the last one used that can serve the request, or a
 * new one from the frames: the chunk with *unit, or NULL. */
static struct heap_chunk *alloc_elsewhere(struct heap *h, uint64_t n, unsigned align_order,
					  uint64_t *unit)
{
	struct heap_chunk *c;

	for (unsigned i = 0; i < h->nslots; i++) {
		c = &h->chunks[i];
		if (c != h->last_chunk && c->live &&
		    buddy_alloc(&c->zone, n, align_order, unit) == 0)
			return c;
	}
	c = heap_grow(h, n, align_order);
	if (c && buddy_alloc(&c->zone, n, align_order, unit) == 0)
		return c;
	return NULL;
}

/* n granules aligned to 2^align_order granules: from the last chunk used
 * (a released slot's zone is empty and serves nothing), else any other.
 * Forced inline, as is find_chunk: W1 382 -> 360 instructions per pair. */
static inline __attribute__((always_inline)) void *alloc_granules(struct heap *h, uint64_t n,
								   unsigned align_order)
{
	struct heap_chunk *c = h->last_chunk;
	uint64_t unit;

	if (!c || buddy_alloc(&c->zone, n, align_order, &unit)) {
		c = alloc_elsewhere(h, n, align_order, &unit);
		if (!c) {
			h->failures++;
			return NULL;
		}
		h->last_chunk = c;
	}
	h->allocs++;
	count_in_use(h, (int64_t)n);
	if (h->poison)
		heap_poison_verify(h, &c->zone, unit + 1, unit + n);
	return granule_ptr(unit);
}

void *heap_alloc_aligned(struct heap *h, size_t size, size_t align)
{
	if (!size || !align || (align & (align - 1)))
		return NULL;
	if (size > HEAP_MAX_BLOCK_BYTES || align > HEAP_MAX_BLOCK_BYTES) {
		h->failures++;
		return NULL;
	}
	return alloc_granules(h, granules(size),
			      align > HEAP_GRANULE ? log2_floor(align) - HEAP_GRANULE_SHIFT : 0);
}

void *heap_alloc(struct heap *h, size_t size)
{
	/* a size of 0 wraps to a huge one and takes the checks of the other */
	if (size - 1 < HEAP_MAX_BLOCK_BYTES)
		return alloc_granules(h, granules(size), 0);
	return heap_alloc_aligned(h, size, HEAP_GRANULE);
}

void *heap_calloc(struct heap *h, size_t count, size_t size)
{
	size_t bytes;

	if (__builtin_mul_overflow(count, size, &bytes)) {
		h->failures++;
		return NULL;
	}

	void *p = heap_alloc(h, bytes);

	if (p)
		memset(p, 0, bytes);
	return p;
}

/* The chunk whose zone holds the granule-aligned pointer ptr: 0, or
 * -E_INVAL, -E_OUTSIDE or -E_ALIGN. */
static inline __attribute__((always_inline)) int find_chunk(const struct heap *h,
							     const void *ptr,
							     struct heap_chunk **chunk)
{
	uintptr_t addr = (uintptr_t)ptr;

	if (!ptr)
		return -E_INVAL;
	*chunk = h->last_chunk;
	if ((!*chunk || !buddy_contains(&(*chunk)->zone, addr >> HEAP_GRANULE_SHIFT)) &&
	    !(*chunk = heap_find_chunk(h, addr)))
		return -E_OUTSIDE;
	return addr & (HEAP_GRANULE - 1) ? -E_ALIGN : 0;
}

/* Finds the chunk and the size in granules of the live allocation at ptr. */
static int lookup(const struct heap *h, const void *ptr, struct heap_chunk **chunk, uint64_t *n)
{
	int err = find_chunk(h, ptr, chunk);

	return err ? err : buddy_size(&(*chunk)->zone, (uintptr_t)ptr >> HEAP_GRANULE_SHIFT, n);
}

int heap_free(struct heap *h, void *ptr)
{
	struct heap_chunk *c;
	uint64_t unit = (uintptr_t)ptr >> HEAP_GRANULE_SHIFT, n;
	int err = find_chunk(h, ptr, &c);

	if (!err && h->poison) {
		err = buddy_size(&c->zone, unit, &n);
		if (!err)
			heap_poison_fill(&c->zone, unit, unit + n);
	}
	if (!err)
		err = buddy_free(&c->zone, unit, &n);
	if (err)
		return err;
	h->used_units -= n;
	if (buddy_is_empty(&c->zone))
		heap_release_if_empty(h, c);
	return 0;
}

int heap_usable_size(const struct heap *h, const void *ptr, size_t *out)
{
	struct heap_chunk *c;
	uint64_t n;
	int err = lookup(h, ptr, &c, &n);

	if (!err)
		*out = (size_t)(n << HEAP_GRANULE_SHIFT);
	return err;
}

/* Resizes the allocation of n granules at unit of chunk c to new_n
 * without moving it: 0 or -E_NOMEM. Freed granules are poisoned, gained
 * ones verified. */
static int resize_in_place(struct heap *h, struct heap_chunk *c, uint64_t unit,
			   uint64_t n, uint64_t new_n)
{
	if (new_n < n && h->poison)
		heap_poison_fill(&c->zone, unit + new_n, unit + n);
	if (buddy_resize(&c->zone, unit, n, new_n))
		return -E_NOMEM;
	if (new_n > n && h->poison)
		heap_poison_verify(h, &c->zone, unit + n, unit + new_n);
	count_in_use(h, (int64_t)(new_n - n));
	return 0;
}

void *heap_realloc(struct heap *h, void *ptr, size_t size)
{
	struct heap_chunk *c;
	uint64_t unit = (uintptr_t)ptr >> HEAP_GRANULE_SHIFT, n;

	if (!ptr)
		return heap_alloc(h, size);
	if (lookup(h, ptr, &c, &n))
		return NULL;
	if (!size) {
		heap_free(h, ptr);
		return NULL;
	}
	if (size > HEAP_MAX_BLOCK_BYTES) {
		h->failures++;
		return NULL;
	}
	if (resize_in_place(h, c, unit, n, granules(size)) == 0)
		return ptr;

	unsigned align_order = ctz64(unit) < MOVE_ALIGN_MAX_ORDER ? ctz64(unit) : MOVE_ALIGN_MAX_ORDER;
	void *moved = alloc_granules(h, granules(size), align_order);

	if (moved) {
		memcpy(moved, ptr, (size_t)(n << HEAP_GRANULE_SHIFT));
		heap_free(h, ptr);
	}
	return moved;
}
