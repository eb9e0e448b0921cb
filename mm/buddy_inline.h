/*
 * The buddy core's hot paths, inline so that the heap and the frame
 * allocator compile them into their own alloc and free with the unit shift
 * a constant: the lookup of a live allocation, and buddy_alloc and
 * buddy_free in two halves each, a cache hit (which touches a few words of
 * bitmap and never calls out) and the free lists (split, merge), and
 * buddy_order_take, the whole-block request without tail bookkeeping. Rare
 * or batched work (cache refills, flushing tails, draining caches, freeing
 * ranges, merges in zones with an absorb callback or straddlers, exact
 * placement) is out of line in buddy.c, buddy_reclaim.c and buddy_place.c,
 * so the hot functions stay small and keep few registers.
 */
#ifndef MM_BUDDY_INLINE_H
#define MM_BUDDY_INLINE_H

#include "lib/errors.h"
#include "mm/buddy_internal.h"

/* Marks the tail_units units from the zone-relative unit i as the
 * deferred tail of the allocation that the marker at i ends. */
static inline void set_marker_at(struct buddy_zone *z, uint64_t i, uint64_t tail_units)
{
	bit_set(z->held, i);
	z->deferred++;
	z->deferred_units += tail_units;
}

/* Undoes set_marker_at; the marker's held bit is set, so a flip clears it. */
static inline void clear_marker_at(struct buddy_zone *z, uint64_t i, uint64_t tail_units)
{
	bit_flip(z->held, i);
	z->deferred--;
	z->deferred_units -= tail_units;
}

/* set_marker_at and clear_marker_at for an absolute marker unit. */
static inline void set_marker(struct buddy_zone *z, uint64_t marker, uint64_t tail_units)
{
	set_marker_at(z, marker - z->first, tail_units);
}

static inline void clear_marker(struct buddy_zone *z, uint64_t marker, uint64_t tail_units)
{
	clear_marker_at(z, marker - z->first, tail_units);
}

/* Pushes the block b onto the cache of order k and counts it; its marks
 * are the caller's. */
static inline void cache_link(struct buddy_zone *z, unsigned k, struct buddy_cached *b)
{
	struct buddy_cache *c = &z->cache[k];

	b->next = c->top;
	c->top = b;
	c->count++;
	z->cached_units += order_units(k);
}

/* Takes the top block off the cache of order k (which is not empty) and
 * uncounts it; its marks are the caller's. */
static inline struct buddy_cached *cache_unlink(struct buddy_zone *z, unsigned k)
{
	struct buddy_cache *c = &z->cache[k];
	struct buddy_cached *b = c->top;

	c->top = b->next;
	c->count--;
	z->cached_units -= order_units(k);
	return b;
}

/* Takes a block off the cache of order k and clears its held bit (set,
 * so a flip clears it): its unit. The hot paths pass the unit shift as a
 * constant. */
static inline uint64_t cache_pop(struct buddy_zone *z, unsigned k, unsigned shift)
{
	uint64_t s = (uintptr_t)cache_unlink(z, k) >> shift;

	bit_flip(z->held, s - z->first);
	return s;
}

/*
 * The live allocation at the zone-relative unit i: its start bit is set
 * and its free and held bits clear; the first start or held bit after it
 * ends it, a held-only one being its marker (then its block is
 * 2^ceil(log2 n) long). In two halves, so that a fast path can keep the
 * common case, an end in the same bitmap word, apart from the scan:
 * buddy_live_in_word gives -E_NOTALLOC, 0 when the end lies past the word,
 * or 1 with *n and *marker; buddy_live_past_word finds an end past the
 * word. Bits past the zone end are never set, and the zone end ends an
 * allocation like a start.
 */
static inline __attribute__((always_inline)) int
buddy_live_in_word(const struct buddy_zone *z, uint64_t i, uint64_t *n, bool *marker)
{
	const uint64_t w = i / BITMAP_WORD_BITS;
	const uint64_t starts = z->start[w], held = z->held[w];
	uint64_t ends;

	if (!((starts & ~held & ~z->free[w]) >> (i % BITMAP_WORD_BITS) & 1))
		return -E_NOTALLOC;
	ends = (starts | held) >> (i % BITMAP_WORD_BITS) >> 1;	/* bit m - 1: unit i + m */
	if (!ends)
		return 0;
	*n = 1 + (uint64_t)__builtin_ctzll(ends);
	*marker = !(starts >> ((i + *n) % BITMAP_WORD_BITS) & 1);
	return 1;
}

static inline __attribute__((always_inline)) uint64_t
buddy_live_past_word(const struct buddy_zone *z, uint64_t i, bool *marker)
{
	const uint64_t last = (z->count - 1) / BITMAP_WORD_BITS;
	const uint64_t *start = z->start, *held = z->held;
	uint64_t w = i / BITMAP_WORD_BITS, ends;

	do {
		if (++w > last) {
			*marker = false;
			return z->count - i;
		}
		ends = start[w] | held[w];
	} while (!ends);

	unsigned b = (unsigned)__builtin_ctzll(ends);

	*marker = !(start[w] >> b & 1);
	return w * BITMAP_WORD_BITS + b - i;
}

/* The block length of an allocation of n units with or without a marker. */
static inline uint64_t block_units(uint64_t n, bool marker)
{
	return marker ? order_units(log2_ceil(n)) : n;
}

/* The units of the live allocation at the zone-relative unit i and
 * whether a marker ends it, or 0 if none starts there. */
static inline __attribute__((always_inline)) uint64_t
buddy_live_units(const struct buddy_zone *z, uint64_t i, bool *marker)
{
	uint64_t n;
	int found = buddy_live_in_word(z, i, &n, marker);

	if (found < 0)
		return 0;
	return found ? n : buddy_live_past_word(z, i, marker);
}

/* The live allocation at unit (inside the zone): 0 and *sp, or
 * -E_NOTALLOC. */
static inline __attribute__((always_inline)) int
buddy_lookup_inline(const struct buddy_zone *z, uint64_t unit, struct buddy_span *sp)
{
	bool marker;
	uint64_t n = buddy_live_units(z, unit - z->first, &marker);

	if (!n)
		return -E_NOTALLOC;
	sp->start = unit;
	sp->n = n;
	sp->len = block_units(n, marker);
	return 0;
}

/* Frees the aligned block [b, b + 2^k), merging with free buddies; absorb
 * is z->on_absorb or a constant NULL, and exact (a zone with straddlers,
 * see is_whole_free) a constant false in the common case, so the common
 * loop tests nothing for them. A buddy inside the zone lies in
 * [0, count - 2^k] zone-relative, and below merge_orders 2^k <= count / 2,
 * so one compare checks it. Each absorbed buddy loses its marks where they
 * were tested, the block freed its start mark unless it begins the merged
 * block, which is marked. */
static inline __attribute__((always_inline)) void merge_up(struct buddy_zone *z, uint64_t b,
							   unsigned k, buddy_absorb_fn absorb,
							   bool exact, unsigned shift)
{
	const uint64_t first = z->first, count = z->count, freed = b;
	uint64_t *const start = z->start, *const free = z->free;
	const unsigned top = z->merge_orders;

	for (uint64_t size = order_units(k); k < top; k++, size <<= 1) {
		uint64_t i = (b ^ size) - first;	/* the buddy, zone-relative */
		uint64_t w = i / BITMAP_WORD_BITS, bit = (uint64_t)1 << (i % BITMAP_WORD_BITS);

		/* a free mark implies a start mark */
		if (i > count - size || !(free[w] & bit) || !is_whole_free(start, i, k, exact))
			break;
		unlink_free(z, node_of(b ^ size, shift), k);
		start[w] &= ~bit;
		free[w] &= ~bit;
		if (absorb)
			absorb(z, b | size);
		b &= ~size;
	}
	if (b != freed)
		bit_clear(start, freed - first);
	push_free_at(z, start, free, b - first, node_of(b, shift), k);
}

/* Returns the tail [p, end) of a block ending at the aligned unit end to the
 * lists, front to back, as maximal aligned pieces. No merge is possible. */
static inline __attribute__((always_inline)) void push_tail(struct buddy_zone *z, uint64_t p,
							    uint64_t end, unsigned shift)
{
	const uint64_t first = z->first;
	uint64_t *const start = z->start, *const free = z->free;

	while (p < end) {
		unsigned k = (unsigned)__builtin_ctzll(p);

		push_free_at(z, start, free, p - first, node_of(p, shift), k);
		p += order_units(k);
	}
}

/* Splits the free block [s, s + 2^j) down to its first 2^k units: the
 * upper halves, of orders k..j-1, go onto their lists. */
static inline __attribute__((always_inline)) void push_halves(struct buddy_zone *z, uint64_t s,
							      unsigned k, unsigned j,
							      unsigned shift)
{
	const uint64_t i = s - z->first;
	uint64_t *const start = z->start, *const free = z->free;

	for (uint64_t size = order_units(k); k < j; k++, size <<= 1)
		push_free_at(z, start, free, i + size, node_of(s + size, shift), k);
}

/* push_halves when the lists of orders k..j-1 are known to be empty (j is
 * the smallest non-empty order at or above k): each half becomes its
 * list's only node, so no list head is read. The block is at s, i
 * zone-relative; the bitmaps are passed as in push_free_at, and the stores
 * interleaved as there. */
static inline __attribute__((always_inline)) void
push_halves_alone(struct buddy_zone *z, uint64_t *start, uint64_t *free, uint64_t s, uint64_t i,
		  unsigned k, unsigned j, unsigned shift)
{
	for (uint64_t size = order_units(k); k < j; k++, size <<= 1) {
		struct buddy_node *head = &z->lists[k], *n = node_of(s + size, shift);
		uint64_t w = (i + size) / BITMAP_WORD_BITS;
		uint64_t bit = (uint64_t)1 << ((i + size) % BITMAP_WORD_BITS);

		head->next = n;
		n->next = head;
		start[w] |= bit;
		head->prev = n;
		n->prev = head;
		free[w] |= bit;
		z->nonempty |= size;		/* order_units(k) */
	}
}

/* buddy_alloc from a cache: a hit for a power-of-two request, or for any
 * request while the zone is roomy (its tail stays deferred); false when
 * the cache cannot serve it. */
static inline __attribute__((always_inline)) bool
buddy_cache_take(struct buddy_zone *z, uint64_t n, unsigned align_order, uint64_t *unit,
		 unsigned shift)
{
	if (n - 1 >= z->cache_max_units)
		return false;

	const unsigned k = log2_ceil(n);
	const uint64_t tail = order_units(k) - n;

	if (!z->cache[k].top || align_order > k || (tail && z->nonempty < z->roomy_lists))
		return false;

	/* as cache_pop, keeping the zone-relative unit for the marker */
	const uint64_t s = (uintptr_t)cache_unlink(z, k) >> shift, i = s - z->first;

	bit_flip(z->held, i);		/* no longer cached */
	if (tail)
		set_marker_at(z, i + n, tail);
	z->live++;
	*unit = s;
	return true;
}

/* Takes the first block off the list of order j (which is not empty) and
 * marks it no longer free; its start bit stays. Returns its unit. */
static inline __attribute__((always_inline)) uint64_t pop_listed(struct buddy_zone *z, unsigned j,
								   unsigned shift)
{
	struct buddy_node *head = &z->lists[j], *node = head->next, *next = node->next;
	uint64_t s = (uintptr_t)node >> shift, i = s - z->first;
	uint64_t *const free = z->free;		/* loaded before the node stores */

	head->next = next;
	next->prev = head;
	if (next == head)
		z->nonempty &= ~order_units(j);
	bit_clear(free, i);
	return s;
}

/* In a tight zone deferred tails are flushed once they add up (see
 * BUDDY_FLUSH_SHIFT); true when the zone is tight. */
static inline __attribute__((always_inline)) bool flush_if_tight(struct buddy_zone *z)
{
	if (z->nonempty >= z->roomy_lists)
		return false;
	if (z->deferred_units > z->count >> BUDDY_FLUSH_SHIFT)
		buddy_flush_tails(z);
	return true;
}

/* The common request, a whole block of order k at its natural alignment
 * (every frames_alloc_order, page-sized heap blocks): from the cache of
 * order k, or the smallest listed block of order >= k split down to it
 * (refilling the cache of a cached order from it). No tail, so none of
 * buddy_list_take's tail bookkeeping. False when the zone cannot serve it
 * without reclaiming. */
static inline __attribute__((always_inline)) bool
buddy_order_take(struct buddy_zone *z, unsigned k, uint64_t *unit, unsigned shift)
{
	uint64_t s;

	if (order_units(k) <= z->cache_max_units && z->cache[k].top) {
		s = cache_pop(z, k, shift);
	} else {
		(void)flush_if_tight(z);

		uint64_t usable = z->nonempty >> k;

		if (!usable)
			return false;

		unsigned j = k + (unsigned)__builtin_ctzll(usable);

		uint64_t *const start = z->start, *const free = z->free;
		const uint64_t first = z->first;

		s = pop_listed(z, j, shift);
		if (j > k && order_units(k) <= z->cache_max_units)
			buddy_split_refill(z, s, k, j);
		else
			push_halves_alone(z, start, free, s, s - first, k, j, shift);
	}
	z->live++;
	*unit = s;
	return true;
}

/* Whether a request of n units aligned to 2^align_order is one whole block
 * at its natural alignment, for buddy_order_take. */
static inline bool is_order_request(uint64_t n, unsigned align_order)
{
	return !(n & (n - 1)) && n >= order_units(align_order);
}

/* buddy_alloc once buddy_cache_take has failed: checks the request; in a
 * tight zone places one that is not a power of two exactly
 * (buddy_place_fit); otherwise takes the smallest listed block that fits
 * (refilling its order's cache from it while the tail is deferred), or, in
 * a tight zone, a cached block, and gives back (or defers) what it does
 * not need. 0 and *unit, or -E_NOMEM. */
static inline __attribute__((always_inline)) int
buddy_list_take(struct buddy_zone *z, uint64_t n, unsigned align_order, uint64_t *unit,
		unsigned shift)
{
	if (n - 1 >= order_units(MAX_ORDER) || align_order > MAX_ORDER)
		return -E_NOMEM;

	unsigned kn = log2_ceil(n), k = kn > align_order ? kn : align_order, j;
	uint64_t s, keep = order_units(kn);

	if (flush_if_tight(z)) {
		/* tight: placed exactly, or the tail goes back now */
		if (!align_order && (n & (n - 1)) && buddy_place_fit(z, n, unit) == 0)
			return 0;
		keep = n;
	}
	if (keep < order_units(kn) && k == kn && k < z->cache_orders && z->cache[k].top) {
		s = cache_pop(z, k, shift);
		j = k;
	} else {
		uint64_t usable = z->nonempty >> k;

		if (!usable)
			return -E_NOMEM;
		j = k + (unsigned)__builtin_ctzll(usable);
		s = pop_listed(z, j, shift);
	}
	if (keep == order_units(kn) && j > kn && k == kn && kn < z->cache_orders)
		buddy_split_refill(z, s, kn, j);
	else if (keep == order_units(kn))
		push_halves(z, s, kn, j, shift);
	else
		push_tail(z, s + keep, s + order_units(j), shift);
	if (n < keep)
		set_marker(z, s + n, keep - n);
	z->live++;
	*unit = s;
	return 0;
}

/* buddy_free into a cache: the live allocation of n units at the
 * zone-relative unit i (with or without a marker, as buddy_live_* found
 * it) when its block is a power of two of a cached order and the zone
 * keeps another live allocation; false (nothing changed) otherwise. */
static inline __attribute__((always_inline)) bool
buddy_cache_put(struct buddy_zone *z, uint64_t i, uint64_t n, bool marker, unsigned shift)
{
	const unsigned k = log2_ceil(n);
	const uint64_t len = order_units(k);

	if ((!marker && n != len) || len > z->cache_max_units || z->live <= 1)
		return false;

	struct buddy_cached *blk = (struct buddy_cached *)(uintptr_t)((z->first + i) << shift);

	if (marker)
		clear_marker_at(z, i + n, len - n);
	bit_set(z->held, i);		/* now a cached block */
	z->live--;
	cache_link(z, k, blk);
	return true;
}

/* buddy_free past buddy_cache_put: the block goes back to the lists,
 * merging; after the zone's last live allocation the zone is settled back
 * to its initial state (buddy_settle_empty). */
static inline __attribute__((always_inline)) void
buddy_list_give(struct buddy_zone *z, const struct buddy_span *sp, unsigned shift)
{
	uint64_t s = sp->start, len = sp->len;
	unsigned k = (unsigned)__builtin_ctzll(len);

	if (sp->n < len)
		clear_marker(z, s + sp->n, len - sp->n);
	if (z->live == 1 && !z->on_absorb) {
		/* the last one: no point merging, the zone starts afresh */
		bit_clear(z->start, s - z->first);
		z->live = 0;
		buddy_settle_empty(z);
		return;
	}
	if (z->slow_merges)
		buddy_give_slow(z, s, len);
	else if (len != order_units(k))
		buddy_release_range(z, s, s + len);
	else
		merge_up(z, s, k, NULL, false, shift);
	if (--z->live == 0)
		buddy_settle_empty(z);
}

#endif
