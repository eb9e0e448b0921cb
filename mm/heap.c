/*
 * The heap's malloc-style API: sizes become granule counts, alignments
 * become buddy orders, and every call is a few buddy operations on the
 * chunk that holds (or will hold) the block.
 */
#include "mm/heap.h"

#include <string.h>

#include "lib/errors.h"
#include "mm/buddy_inline.h"
#include "mm/heap_internal.h"

#define MAX_BYTES ((uint64_t)HEAP_GRANULE << MAX_ORDER)
#define MOVE_ALIGN_MAX_ORDER 8u	/* a moved block keeps up to 4096-byte alignment */

static inline void *granule_ptr(uint64_t unit)
{
	return (void *)(uintptr_t)(unit << HEAP_GRANULE_SHIFT);
}

static inline uint64_t granules(size_t size)
{
	return ((uint64_t)size + HEAP_GRANULE - 1) >> HEAP_GRANULE_SHIFT;
}

static inline void count_in_use(struct heap *h, int64_t delta)
{
	uint64_t used = h->used_units + (uint64_t)delta;

	h->used_units = used;
	h->peak_used_units = used > h->peak_used_units ? used : h->peak_used_units;
}

/* Counts the allocation of n granules at unit of chunk c. */
static inline void *allocated(struct heap *h, struct heap_chunk *c, uint64_t unit, uint64_t n)
{
	if (h->poison)
		heap_poison_verify(h, &c->zone, unit + 1, unit + n);
	h->allocs++;
	count_in_use(h, (int64_t)n);
	return granule_ptr(unit);
}

/* alloc_granules past the last chunk's caches: its lists, then any chunk
 * from its caches and lists, then any after giving back its caches and
 * tails, then a new one from the frames. */
static __attribute__((noinline)) void *alloc_slow(struct heap *h, uint64_t n,
						  unsigned align_order)
{
	struct heap_chunk *c = h->last_chunk;
	uint64_t unit;

	if (c && c->live &&
	    buddy_list_take(&c->zone, n, align_order, &unit, HEAP_GRANULE_SHIFT) == 0)
		return allocated(h, c, unit, n);
	for (unsigned i = 0; i < h->nslots; i++) {
		c = &h->chunks[i];
		if (c->live && buddy_alloc(&c->zone, n, align_order, &unit) == 0)
			goto found;
	}
	for (unsigned i = 0; i < h->nslots; i++) {
		c = &h->chunks[i];
		if (c->live && buddy_alloc_reclaiming(&c->zone, n, align_order, &unit) == 0)
			goto found;
	}
	c = heap_grow(h, n, align_order);
	if (!c || buddy_alloc(&c->zone, n, align_order, &unit) != 0) {
		h->failures++;
		return NULL;
	}
found:
	h->last_chunk = c;
	return allocated(h, c, unit, n);
}

/* A cache hit of a poisoning heap: verified out of line. */
static __attribute__((noinline)) void *allocated_poisoned(struct heap *h, struct heap_chunk *c,
							  uint64_t unit, uint64_t n)
{
	return allocated(h, c, unit, n);
}

/* n granules aligned to 2^align_order granules. The fast path is a cache
 * hit in the last chunk used; everything else is reached by a tail call. */
static inline __attribute__((always_inline)) void *alloc_granules(struct heap *h, uint64_t n,
								   unsigned align_order)
{
	struct heap_chunk *c = h->last_chunk;
	uint64_t unit;

	/* a slot without a chunk has an empty zone, which caches nothing */
	if (!c || !buddy_cache_take(&c->zone, n, align_order, &unit, HEAP_GRANULE_SHIFT))
		return alloc_slow(h, n, align_order);
	if (h->poison)
		return allocated_poisoned(h, c, unit, n);
	h->allocs++;
	count_in_use(h, (int64_t)n);
	return granule_ptr(unit);
}

/* A whole block of 2^k granules at its natural alignment (page-sized
 * blocks, say): from the last chunk's cache or lists without the tail
 * bookkeeping, else the slow path. */
static __attribute__((noinline)) void *alloc_order(struct heap *h, unsigned k)
{
	struct heap_chunk *c = h->last_chunk;
	uint64_t unit;

	/* a slot without a chunk has an empty zone, which serves nothing */
	if (!c || !buddy_order_take(&c->zone, k, &unit, HEAP_GRANULE_SHIFT))
		return alloc_slow(h, order_units(k), k);
	return allocated(h, c, unit, order_units(k));
}

void *heap_alloc_aligned(struct heap *h, size_t size, size_t align)
{
	if (!size || !align || (align & (align - 1)))
		return NULL;
	if (size > MAX_BYTES || align > MAX_BYTES) {
		h->failures++;
		return NULL;
	}

	unsigned align_order = align > HEAP_GRANULE ? log2_floor(align) - HEAP_GRANULE_SHIFT : 0;
	uint64_t n = granules(size);

	if (is_order_request(n, align_order))
		return alloc_order(h, log2_floor(n));
	return alloc_granules(h, n, align_order);
}

void *heap_alloc(struct heap *h, size_t size)
{
	if (size - 1 < MAX_BYTES)
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

/* Finds the chunk and extent of the live allocation at ptr. */
static int lookup(const struct heap *h, const void *ptr, struct heap_chunk **chunk,
		  struct buddy_span *sp)
{
	uintptr_t addr = (uintptr_t)ptr;

	if (!ptr)
		return -E_INVAL;
	*chunk = heap_find_chunk(h, addr);
	if (!*chunk)
		return -E_OUTSIDE;
	if (addr & (HEAP_GRANULE - 1))
		return -E_ALIGN;
	return buddy_lookup_inline(&(*chunk)->zone, addr >> HEAP_GRANULE_SHIFT, sp);
}

/* A free past the caches: back to the lists, merging; a chunk from the
 * frames that becomes entirely free goes back to them. Returns 0. */
static __attribute__((noinline)) int free_to_lists(struct heap *h, struct heap_chunk *c,
						   uint64_t start, uint64_t n, uint64_t len)
{
	struct buddy_span sp = { start, n, len };

	buddy_list_give(&c->zone, &sp, HEAP_GRANULE_SHIFT);
	if (c->from_frames && !c->zone.live)
		heap_release_if_empty(h, c);
	return 0;
}

/* Frees the live allocation *sp of chunk c; the counters first, so that
 * they need no register across the free. */
static void free_granules(struct heap *h, struct heap_chunk *c, const struct buddy_span *sp)
{
	if (h->poison)
		heap_poison_fill(&c->zone, sp->start, sp->start + sp->n);
	h->frees++;
	h->used_units -= sp->n;
	if (!buddy_cache_give(&c->zone, sp, HEAP_GRANULE_SHIFT))
		(void)free_to_lists(h, c, sp->start, sp->n, sp->len);
}

/* heap_free past the fast path: any chunk, poisoning, every error. */
static __attribute__((noinline)) int free_slow(struct heap *h, void *ptr)
{
	struct heap_chunk *c;
	struct buddy_span sp;
	int err = lookup(h, ptr, &c, &sp);

	if (!err)
		free_granules(h, c, &sp);
	return err;
}

/* The fast path is a free into a cache of the last chunk used without
 * poisoning; everything else is reached by a tail call. */
int heap_free(struct heap *h, void *ptr)
{
	uintptr_t addr = (uintptr_t)ptr;
	struct heap_chunk *c = h->last_chunk;
	struct buddy_span sp;

	/* a slot without a chunk has an empty zone, which contains nothing */
	if (!ptr || !c || !buddy_contains(&c->zone, addr >> HEAP_GRANULE_SHIFT) ||
	    (addr & (HEAP_GRANULE - 1)) || h->poison ||
	    buddy_lookup_inline(&c->zone, addr >> HEAP_GRANULE_SHIFT, &sp))
		return free_slow(h, ptr);
	h->frees++;
	h->used_units -= sp.n;
	if (!buddy_cache_give(&c->zone, &sp, HEAP_GRANULE_SHIFT))
		return free_to_lists(h, c, sp.start, sp.n, sp.len);
	return 0;
}

int heap_usable_size(const struct heap *h, const void *ptr, size_t *out)
{
	struct heap_chunk *c;
	struct buddy_span sp;
	int err = lookup(h, ptr, &c, &sp);

	if (!err)
		*out = (size_t)(sp.n << HEAP_GRANULE_SHIFT);
	return err;
}

/* Resizes the allocation *sp to new_n granules without moving: 0 or
 * -E_NOMEM. Freed granules are poisoned, gained ones verified. */
static int resize_in_place(struct heap *h, struct heap_chunk *c, struct buddy_span *sp,
			   uint64_t new_n)
{
	uint64_t s = sp->start, old_n = sp->n;

	if (new_n < old_n && h->poison)
		heap_poison_fill(&c->zone, s + new_n, s + old_n);
	if (buddy_resize(&c->zone, sp, new_n))
		return -E_NOMEM;
	if (new_n > old_n && h->poison)
		heap_poison_verify(h, &c->zone, s + old_n, s + new_n);
	count_in_use(h, (int64_t)(new_n - old_n));
	return 0;
}

void *heap_realloc(struct heap *h, void *ptr, size_t size)
{
	struct heap_chunk *c;
	struct buddy_span sp;

	if (!ptr)
		return heap_alloc(h, size);
	if (lookup(h, ptr, &c, &sp))
		return NULL;
	if (!size) {
		free_granules(h, c, &sp);
		return NULL;
	}
	if (size > MAX_BYTES) {
		h->failures++;
		return NULL;
	}

	uint64_t s = sp.start, old_n = sp.n, new_n = granules(size);

	if (resize_in_place(h, c, &sp, new_n) == 0)
		return ptr;

	unsigned align_order = ctz64(s) < MOVE_ALIGN_MAX_ORDER ? ctz64(s) : MOVE_ALIGN_MAX_ORDER;
	void *moved = alloc_granules(h, new_n, align_order);

	if (moved) {
		memcpy(moved, ptr, (size_t)(old_n << HEAP_GRANULE_SHIFT));
		/* the move may have reclaimed: look the old block up again */
		if (lookup(h, ptr, &c, &sp) == 0)
			free_granules(h, c, &sp);
	}
	return moved;
}
