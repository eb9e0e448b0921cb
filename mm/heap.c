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
	if (used > h->peak_used_units)
		h->peak_used_units = used;
}

/* Counts the allocation of n granules at unit. */
static inline void *counted(struct heap *h, uint64_t unit, uint64_t n)
{
	h->allocs++;
	count_in_use(h, (int64_t)n);
	return granule_ptr(unit);
}

/* Verifies (when poisoning) and counts the allocation of n granules at
 * unit of chunk c. */
static inline void *allocated(struct heap *h, struct heap_chunk *c, uint64_t unit, uint64_t n)
{
	if (h->poison)
		heap_poison_verify(h, &c->zone, unit + 1, unit + n);
	return counted(h, unit, n);
}

/* alloc_granules past the last chunk's caches: its lists, then any chunk
 * from its caches and lists, then any after giving back its caches and
 * tails, then a new one from the frames. */
static __attribute__((noinline)) void *alloc_slow(struct heap *h, uint64_t n,
						  unsigned align_order)
{
	struct heap_chunk *c = h->last_chunk;
	uint64_t unit;

	/* while poisoning, the fast path's cache hit is taken here */
	if (h->poison && c && buddy_cache_take(&c->zone, n, align_order, &unit, HEAP_GRANULE_SHIFT))
		return allocated(h, c, unit, n);
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
	h->fast_chunk = h->poison ? NULL : c;
	return allocated(h, c, unit, n);
}

/* The fast path of an allocation of n granules aligned to 2^align_order:
 * a cache hit in the last chunk used without poisoning (fast_chunk). True
 * with the block in *p, or false. */
static inline __attribute__((always_inline)) bool alloc_cached(struct heap *h, uint64_t n,
								unsigned align_order, void **p)
{
	struct heap_chunk *c = h->fast_chunk;
	uint64_t unit;

	/* a slot without a chunk has an empty zone, which caches nothing */
	if (!c || !buddy_cache_take(&c->zone, n, align_order, &unit, HEAP_GRANULE_SHIFT))
		return false;
	*p = counted(h, unit, n);
	return true;
}

/* n granules aligned to 2^align_order granules: the fast path, else the
 * rest by a tail call. */
static inline __attribute__((always_inline)) void *alloc_granules(struct heap *h, uint64_t n,
								   unsigned align_order)
{
	void *p;

	return alloc_cached(h, n, align_order, &p) ? p : alloc_slow(h, n, align_order);
}

/* A whole block of 2^k granules at its natural alignment (page-sized
 * blocks, say): from the last chunk's cache or lists without the tail
 * bookkeeping when not poisoning (fast_chunk), else the slow path, which
 * takes the same block. */
static __attribute__((noinline)) void *alloc_order(struct heap *h, unsigned k)
{
	struct heap_chunk *c = h->fast_chunk;
	uint64_t unit;

	/* a slot without a chunk has an empty zone, which serves nothing */
	if (!c || !buddy_order_take(&c->zone, k, &unit, HEAP_GRANULE_SHIFT))
		return alloc_slow(h, order_units(k), k);
	return counted(h, unit, order_units(k));
}

void *heap_alloc_aligned(struct heap *h, size_t size, size_t align)
{
	if (!size || !align || (align & (align - 1)))
		return NULL;
	if (size > HEAP_MAX_BLOCK_BYTES || align > HEAP_MAX_BLOCK_BYTES) {
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
	void *p;

	/* the cache first: a size of 0, or one so large that rounding it up
	 * wraps, gives 0 granules, which no cache serves */
	if (alloc_cached(h, granules(size), 0, &p))
		return p;
	if (size - 1 < HEAP_MAX_BLOCK_BYTES)
		return alloc_slow(h, granules(size), 0);
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

/* Frees the live allocation of n granules at the zone-relative unit i of
 * chunk c, with or without a marker: into a cache, else to the lists.
 * Returns 0. */
static __attribute__((noinline)) int free_found(struct heap *h, struct heap_chunk *c,
						uint64_t i, uint64_t n, bool marker)
{
	h->used_units -= n;
	if (!buddy_cache_put(&c->zone, i, n, marker, HEAP_GRANULE_SHIFT))
		return free_to_lists(h, c, c->zone.first + i, n, block_units(n, marker));
	return 0;
}

/* Frees the live allocation *sp of chunk c. */
static void free_granules(struct heap *h, struct heap_chunk *c, const struct buddy_span *sp)
{
	if (h->poison)
		heap_poison_fill(&c->zone, sp->start, sp->start + sp->n);
	(void)free_found(h, c, sp->start - c->zone.first, sp->n, sp->n < sp->len);
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

/* heap_free of a live allocation at the zone-relative unit i whose end
 * lies past its bitmap word: out of line, so that heap_free's common case
 * keeps no scan state. */
static __attribute__((noinline)) int free_long(struct heap *h, struct heap_chunk *c, uint64_t i)
{
	bool marker;
	uint64_t n = buddy_live_past_word(&c->zone, i, &marker);

	return free_found(h, c, i, n, marker);
}

/* The fast path is a free in the last chunk used without poisoning
 * (fast_chunk), into its cache or else to its lists; everything else is
 * reached by a tail call to free_slow. */
int heap_free(struct heap *h, void *ptr)
{
	uintptr_t addr = (uintptr_t)ptr;
	struct heap_chunk *c = h->fast_chunk;
	uint64_t i, n;
	bool marker;
	int found;

	/* a slot without a chunk has an empty zone, which contains nothing */
	if (!ptr || !c || !buddy_contains(&c->zone, addr >> HEAP_GRANULE_SHIFT) ||
	    (addr & (HEAP_GRANULE - 1)))
		return free_slow(h, ptr);
	i = (addr >> HEAP_GRANULE_SHIFT) - c->zone.first;
	found = buddy_live_in_word(&c->zone, i, &n, &marker);
	if (found < 0)
		return found;
	if (!found)
		return free_long(h, c, i);
	return free_found(h, c, i, n, marker);
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

	/* freed granules are poisoned before they are pushed (nodes) */
	if (new_n < old_n && h->poison)
		heap_poison_fill(&c->zone, s + buddy_shrunk_units(sp, new_n), s + old_n);
	if (buddy_resize(&c->zone, sp, new_n))
		return -E_NOMEM;
	if (new_n > old_n && h->poison)
		heap_poison_verify(h, &c->zone, s + old_n, s + new_n);
	count_in_use(h, (int64_t)(sp->n - old_n));	/* sp->n may be new_n + 1 */
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
	if (size > HEAP_MAX_BLOCK_BYTES) {
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
