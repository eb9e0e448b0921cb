/*
 * The buddy core's hot paths, inline so that the heap and the frame
 * allocator compile them into their own alloc and free: a cache hit, the
 * lookup of a live allocation and a free into a cache touch a few words of
 * bitmap and never call out. Everything else falls through to buddy.c.
 */
#ifndef MM_BUDDY_INLINE_H
#define MM_BUDDY_INLINE_H

#include "lib/errors.h"
#include "mm/buddy_internal.h"

/* Marks [marker, marker + tail_units) as the deferred tail of the
 * allocation that the marker ends. */
static inline void set_marker(struct buddy_zone *z, uint64_t marker, uint64_t tail_units)
{
	bit_set(z->held, marker - z->first);
	z->deferred++;
	z->deferred_units += tail_units;
}

static inline void clear_marker(struct buddy_zone *z, uint64_t marker, uint64_t tail_units)
{
	bit_clear(z->held, marker - z->first);
	z->deferred--;
	z->deferred_units -= tail_units;
}

static inline void cache_push(struct buddy_zone *z, uint64_t s, unsigned k)
{
	struct buddy_cache *c = &z->cache[k];
	struct buddy_cached *b = (struct buddy_cached *)buddy_unit_addr(z, s);

	bit_set(z->held, s - z->first);
	b->next = c->top;
	c->top = b;
	c->count++;
	z->cached_units += order_units(k);
}

static inline uint64_t cache_pop(struct buddy_zone *z, unsigned k)
{
	struct buddy_cache *c = &z->cache[k];
	struct buddy_cached *b = c->top;
	uint64_t s = (uintptr_t)b >> z->unit_shift;

	c->top = b->next;
	c->count--;
	z->cached_units -= order_units(k);
	bit_clear(z->held, s - z->first);
	return s;
}

static inline __attribute__((always_inline)) int
buddy_lookup_inline(const struct buddy_zone *z, uint64_t unit, struct buddy_span *sp)
{
	uint64_t i = unit - z->first, w = i / BITMAP_WORD_BITS;
	const uint64_t *start = z->start, *held = z->held;

	if (!((start[w] & ~z->free[w] & ~held[w]) >> (i % BITMAP_WORD_BITS) & 1))
		return -E_NOTALLOC;

	/* the first start or held bit after unit ends the allocation: a
	 * marker (held only) also gives its block, 2^ceil(log2 n) long */
	uint64_t limit = z->count - i, align = order_units(min_order(ctz64(unit), MAX_ORDER));
	uint64_t end = (align < limit ? align : limit) + i;
	uint64_t j = i + 1, word;

	if (j < end) {
		w = j / BITMAP_WORD_BITS;
		word = (start[w] | held[w]) & (~(uint64_t)0 << (j % BITMAP_WORD_BITS));
		while (!word && ++w * BITMAP_WORD_BITS < end)
			word = start[w] | held[w];
		if (word) {
			j = w * BITMAP_WORD_BITS + (uint64_t)__builtin_ctzll(word);
			if (j > end)
				j = end;
		} else {
			j = end;
		}
	}
	sp->start = unit;
	sp->n = j - i;
	sp->len = j < end && !bit_test(start, j) ? order_units(log2_ceil(j - i)) : j - i;
	return 0;
}

/* buddy_alloc, with a cache hit in a roomy zone done here. */
static inline int buddy_alloc_inline(struct buddy_zone *z, uint64_t n, unsigned align_order,
				     uint64_t *unit)
{
	unsigned kn = log2_ceil(n);

	if (kn < z->cache_orders && align_order <= kn && z->cache[kn].count &&
	    (z->nonempty >> z->roomy_order) && n) {
		uint64_t s = cache_pop(z, kn), len = order_units(kn);

		if (n < len)
			set_marker(z, s + n, len - n);
		z->live++;
		*unit = s;
		return 0;
	}
	return buddy_alloc(z, n, align_order, unit);
}

/* buddy_free, with a free into a cache done here. */
static inline void buddy_free_inline(struct buddy_zone *z, const struct buddy_span *sp)
{
	uint64_t len = sp->len;
	unsigned k = ctz64(len);

	if (len == order_units(k) && k < z->cache_orders &&
	    z->cache[k].count < z->cache_limit && z->live > 1) {
		if (sp->n < len)
			clear_marker(z, sp->start + sp->n, len - sp->n);
		z->live--;
		cache_push(z, sp->start, k);
		return;
	}
	buddy_free(z, sp);
}

#endif
