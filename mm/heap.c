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

/* A chunk that can give n granules aligned to 2^align_order granules: the
 * last one used, then any from its caches and lists, then any after giving
 * back its caches and tails, then a new one from the frames. */
static struct heap_chunk *alloc_in_chunks(struct heap *h, uint64_t n, unsigned align_order,
					  uint64_t *unit)
{
	struct heap_chunk *c = &h->chunks[h->last_chunk];

	if (c->live && buddy_alloc_inline(&c->zone, n, align_order, unit) == 0)
		return c;
	for (unsigned i = 0; i < h->nslots; i++) {
		c = &h->chunks[i];
		if (c->live && buddy_alloc(&c->zone, n, align_order, unit) == 0)
			goto found;
	}
	for (unsigned i = 0; i < h->nslots; i++) {
		c = &h->chunks[i];
		if (c->live && buddy_alloc_reclaiming(&c->zone, n, align_order, unit) == 0)
			goto found;
	}
	c = heap_grow(h, n, align_order);
	if (!c || buddy_alloc(&c->zone, n, align_order, unit) != 0)
		return NULL;
found:
	h->last_chunk = (unsigned)(c - h->chunks);
	return c;
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
	*chunk = &((struct heap *)h)->chunks[h->last_chunk];
	if (!(*chunk)->live || !buddy_contains(&(*chunk)->zone, addr >> HEAP_GRANULE_SHIFT))
		*chunk = heap_find_chunk(h, addr);
	if (!*chunk)
		return -E_OUTSIDE;
	if (addr & (HEAP_GRANULE - 1))
		return -E_ALIGN;
	return buddy_lookup_inline(&(*chunk)->zone, addr >> HEAP_GRANULE_SHIFT, sp);
}

static void free_granules(struct heap *h, struct heap_chunk *c, const struct buddy_span *sp)
{
	if (h->poison)
		heap_poison_fill(&c->zone, sp->start, sp->start + sp->n);
	buddy_free_inline(&c->zone, sp);
	h->frees++;
	h->used_units -= sp->n;
	if (c->from_frames && !c->zone.live)
		heap_release_if_empty(h, c);
}

int heap_free(struct heap *h, void *ptr)
{
	struct heap_chunk *c;
	struct buddy_span sp;
	int err = lookup(h, ptr, &c, &sp);

	if (!err)
		free_granules(h, c, &sp);
	return err;
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
