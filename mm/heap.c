/*
 * The heap's malloc-style API: sizes become granule counts, alignments
 * become buddy orders, and every call is a few buddy operations on the
 * chunk that holds (or will hold) the block.
 */
#include "mm/heap.h"

#include <string.h>

#include "lib/errors.h"
#include "mm/bitmap.h"
#include "mm/heap_internal.h"

#define MAX_ORDER (BUDDY_ORDERS - 1)
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

static void count_in_use(struct heap *h, int64_t delta)
{
	h->used_units += (uint64_t)delta;
	if (h->used_units > h->peak_used_units)
		h->peak_used_units = h->used_units;
}

/* First chunk that can give n granules aligned to 2^align_order granules. */
static struct heap_chunk *alloc_in_chunks(struct heap *h, uint64_t n, unsigned align_order,
					  uint64_t *unit)
{
	for (unsigned i = 0; i < h->nslots; i++) {
		struct heap_chunk *c = &h->chunks[i];

		if (c->live && buddy_alloc(&c->zone, n, align_order, unit) == 0)
			return c;
	}

	struct heap_chunk *c = heap_grow(h, n, align_order);

	return c && buddy_alloc(&c->zone, n, align_order, unit) == 0 ? c : NULL;
}

static void *alloc_granules(struct heap *h, uint64_t n, unsigned align_order)
{
	uint64_t unit;
	struct heap_chunk *c = alloc_in_chunks(h, n, align_order, &unit);

	if (!c) {
		h->failures++;
		return NULL;
	}
	if (h->poison)
		heap_poison_verify(h, &c->zone, unit + 1, unit + n);
	h->allocs++;
	count_in_use(h, (int64_t)n);
	return granule_ptr(unit);
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

	return alloc_granules(h, granules(size), align_order);
}

void *heap_alloc(struct heap *h, size_t size)
{
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

/* Finds the chunk and granule count of the live allocation at ptr. */
static int lookup(const struct heap *h, const void *ptr, struct heap_chunk **chunk, uint64_t *n)
{
	uintptr_t addr = (uintptr_t)ptr;

	if (!ptr)
		return -E_INVAL;
	*chunk = heap_find_chunk(h, addr);
	if (!*chunk)
		return -E_OUTSIDE;
	if (addr & (HEAP_GRANULE - 1))
		return -E_ALIGN;
	return buddy_alloc_len(&(*chunk)->zone, addr >> HEAP_GRANULE_SHIFT, n);
}

static void free_granules(struct heap *h, struct heap_chunk *c, uint64_t s, uint64_t n)
{
	if (h->poison)
		heap_poison_fill(&c->zone, s, s + n);
	buddy_free(&c->zone, s, n);
	h->frees++;
	count_in_use(h, -(int64_t)n);
	if (c->from_frames)
		heap_release_if_empty(h, c);
}

int heap_free(struct heap *h, void *ptr)
{
	struct heap_chunk *c;
	uint64_t n;
	int err = lookup(h, ptr, &c, &n);

	if (!err)
		free_granules(h, c, (uintptr_t)ptr >> HEAP_GRANULE_SHIFT, n);
	return err;
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

/* Resizes [s, s + old_n) to new_n granules without moving: 0 or -E_NOMEM. */
static int resize_in_place(struct heap *h, struct heap_chunk *c, uint64_t s,
			   uint64_t old_n, uint64_t new_n)
{
	if (new_n <= old_n) {
		if (h->poison)
			heap_poison_fill(&c->zone, s + new_n, s + old_n);
		buddy_shrink(&c->zone, s, old_n, new_n);
	} else if (buddy_grow(&c->zone, s, old_n, new_n) == 0) {
		if (h->poison)
			heap_poison_verify(h, &c->zone, s + old_n, s + new_n);
	} else {
		return -E_NOMEM;
	}
	count_in_use(h, (int64_t)(new_n - old_n));
	return 0;
}

void *heap_realloc(struct heap *h, void *ptr, size_t size)
{
	struct heap_chunk *c;
	uint64_t old_n;

	if (!ptr)
		return heap_alloc(h, size);
	if (lookup(h, ptr, &c, &old_n))
		return NULL;
	if (!size) {
		free_granules(h, c, (uintptr_t)ptr >> HEAP_GRANULE_SHIFT, old_n);
		return NULL;
	}
	if (size > MAX_BYTES) {
		h->failures++;
		return NULL;
	}

	uint64_t s = (uintptr_t)ptr >> HEAP_GRANULE_SHIFT;
	uint64_t new_n = granules(size);

	if (resize_in_place(h, c, s, old_n, new_n) == 0)
		return ptr;

	unsigned align_order = ctz64(s) < MOVE_ALIGN_MAX_ORDER ? ctz64(s) : MOVE_ALIGN_MAX_ORDER;
	void *moved = alloc_granules(h, new_n, align_order);

	if (moved) {
		memcpy(moved, ptr, (size_t)(old_n << HEAP_GRANULE_SHIFT));
		free_granules(h, c, s, old_n);
	}
	return moved;
}
