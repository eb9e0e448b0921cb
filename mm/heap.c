/*
 * The heap's malloc-style API: sizes become granule counts, alignments
 * become buddy orders, and every call is one buddy operation on the chunk
 * that holds (or will hold) the block.
 *
 * Harts: the first chunk is never given back, so any hart calls the buddy
 * core on it without the heap lock (the core has its own locks and
 * per-hart caches). The other chunks come and go: a call that reaches
 * them, grows the heap or gives a chunk back holds the heap lock.
 */
#include "mm/heap.h"

#include <string.h>

#include "lib/errors.h"
#include "mm/counter.h"
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
	counter_raise(&h->peak_used_units, counter_add(&h->used_units, delta));
}

/* With the heap lock: a chunk after the first that can serve the request,
 * the last one used first, or a new one from the frames: the chunk with
 * *unit, or NULL. */
static struct heap_chunk *alloc_elsewhere(struct heap *h, uint64_t n, unsigned align_order,
					  uint64_t *unit)
{
	struct heap_chunk *c = h->last_chunk;

	if (c && buddy_alloc(&c->zone, n, align_order, unit) == 0)
		return c;
	for (unsigned i = 1; i < h->nslots; i++) {
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

/* n granules aligned to 2^align_order granules: from the first chunk,
 * else (with the heap lock) from another. Forced inline, as is
 * find_chunk: W1 382 -> 360 instructions per pair. */
static inline __attribute__((always_inline)) void *alloc_granules(struct heap *h, uint64_t n,
								   unsigned align_order)
{
	struct heap_chunk *c = &h->chunks[0];
	uint64_t unit;

	if (buddy_alloc(&c->zone, n, align_order, &unit)) {
		spin_lock(&h->lock);
		c = alloc_elsewhere(h, n, align_order, &unit);
		if (c)
			h->last_chunk = c;
		spin_unlock(&h->lock);
		if (!c) {
			counter_add(&h->failures, 1);
			return NULL;
		}
	}
	counter_add(&h->allocs, 1);
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
		counter_add(&h->failures, 1);
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
		counter_add(&h->failures, 1);
		return NULL;
	}

	void *p = heap_alloc(h, bytes);

	if (p)
		memset(p, 0, bytes);
	return p;
}

/* Releases what enter_chunk (below) took. */
static inline void leave_chunk(struct heap *h, const struct heap_chunk *c)
{
	if (c != &h->chunks[0])
		spin_unlock(&h->lock);
}

/* The chunk that holds the granule-aligned pointer ptr: 0, or -E_INVAL,
 * -E_OUTSIDE or -E_ALIGN. The heap lock is held on return unless the
 * chunk is the first or there is an error: leave_chunk releases it. */
static inline __attribute__((always_inline)) int enter_chunk(struct heap *h, const void *ptr,
							      struct heap_chunk **chunk)
{
	uintptr_t addr = (uintptr_t)ptr;

	if (!ptr)
		return -E_INVAL;
	*chunk = &h->chunks[0];
	if (!buddy_contains(&(*chunk)->zone, addr >> HEAP_GRANULE_SHIFT)) {
		spin_lock(&h->lock);
		*chunk = heap_find_chunk(h, addr);
		if (!*chunk) {
			spin_unlock(&h->lock);
			return -E_OUTSIDE;
		}
	}
	if (addr & (HEAP_GRANULE - 1)) {
		leave_chunk(h, *chunk);
		return -E_ALIGN;
	}
	return 0;
}

/* Frees the allocation at unit of chunk c (entered): 0 and its granules
 * in *n, or the error of buddy_free. */
static int free_in_chunk(struct heap *h, struct heap_chunk *c, uint64_t unit, uint64_t *n)
{
	int err = 0;

	if (h->poison) {
		err = buddy_size(&c->zone, unit, n);
		if (!err)
			heap_poison_fill(&c->zone, unit, unit + *n);
	}
	if (!err)
		err = buddy_free(&c->zone, unit, n);
	if (!err && c != &h->chunks[0] && buddy_is_empty(&c->zone))
		heap_release_if_empty(h, c);
	return err;
}

int heap_free(struct heap *h, void *ptr)
{
	struct heap_chunk *c;
	uint64_t n;
	int err = enter_chunk(h, ptr, &c);

	if (err)
		return err;
	err = free_in_chunk(h, c, (uintptr_t)ptr >> HEAP_GRANULE_SHIFT, &n);
	leave_chunk(h, c);
	if (err)
		return err;
	counter_add(&h->frees, 1);
	counter_add(&h->used_units, -(int64_t)n);
	return 0;
}

int heap_usable_size(const struct heap *h, const void *ptr, size_t *out)
{
	struct heap *mh = (struct heap *)h;	/* the lock only */
	struct heap_chunk *c;
	uint64_t n;
	int err = enter_chunk(mh, ptr, &c);

	if (err)
		return err;
	err = buddy_size(&c->zone, (uintptr_t)ptr >> HEAP_GRANULE_SHIFT, &n);
	leave_chunk(mh, c);
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

/* The size in granules of the live allocation at ptr, and whether it
 * was resized in place to size bytes: 0, -E_NOMEM (not resized), or the
 * error that makes ptr no allocation. */
static int realloc_in_place(struct heap *h, void *ptr, size_t size, uint64_t *n)
{
	struct heap_chunk *c;
	uint64_t unit = (uintptr_t)ptr >> HEAP_GRANULE_SHIFT;
	int err = enter_chunk(h, ptr, &c);

	if (err)
		return err;
	err = buddy_size(&c->zone, unit, n);
	if (!err && size)
		err = size <= HEAP_MAX_BLOCK_BYTES ? resize_in_place(h, c, unit, *n, granules(size))
						   : -E_NOMEM;
	leave_chunk(h, c);
	return err;
}

void *heap_realloc(struct heap *h, void *ptr, size_t size)
{
	uint64_t unit = (uintptr_t)ptr >> HEAP_GRANULE_SHIFT, n;
	int err;

	if (!ptr)
		return heap_alloc(h, size);
	err = realloc_in_place(h, ptr, size, &n);
	if (err == 0 && size)
		return ptr;
	if (err && err != -E_NOMEM)
		return NULL;
	if (!size) {
		heap_free(h, ptr);
		return NULL;
	}
	if (size > HEAP_MAX_BLOCK_BYTES) {
		counter_add(&h->failures, 1);
		return NULL;
	}

	unsigned align_order = ctz64(unit) < MOVE_ALIGN_MAX_ORDER ? ctz64(unit) : MOVE_ALIGN_MAX_ORDER;
	void *moved = alloc_granules(h, granules(size), align_order);

	if (moved) {
		memcpy(moved, ptr, (size_t)(n << HEAP_GRANULE_SHIFT));
		heap_free(h, ptr);
	}
	return moved;
}
