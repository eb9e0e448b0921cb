/*
 * The free path of the buddy core (buddy.h): the length of a live
 * allocation read from the bits, a free into the calling hart's cache or
 * back to the lists, and resizing in place. The alloc path is in buddy.c.
 */
#include "mm/buddy_internal.h"

/* Words a free reads for the end or the tail of an allocation before it
 * turns to the levelled start bits: a block of a cached order and its
 * tail lie within them. */
#define SCAN_WORDS 5u

/* The first mark after index i among its word (start and held, loaded)
 * and the next SCAN_WORDS - 1 words: a start bit, where a block begins,
 * or a held bit alone, where a deferred tail begins; the zone's end if
 * they reach it. false if none. */
static inline bool next_mark(const struct buddy_zone *z, uint64_t i, uint64_t start,
			     uint64_t held, uint64_t *m, bool *tail)
{
	uint64_t w = i / BITMAP_WORD_BITS, words = bitmap_words(z->count);
	uint64_t last = w + SCAN_WORDS < words ? w + SCAN_WORDS : words;
	uint64_t above = (~(uint64_t)1) << (i % BITMAP_WORD_BITS);

	start &= above;
	held &= above;
	while (!(start | held)) {
		if (++w >= last) {
			*m = z->count;
			*tail = false;
			return last == words;
		}
		start = word_load(&z->start.level[0][w]);
		held = word_load(&z->held[w]);
	}

	unsigned b = (unsigned)__builtin_ctzll(start | held);

	*m = w * BITMAP_WORD_BITS + b;
	*tail = !((start >> b) & 1);
	return true;
}

/* The live allocation at index i, if it ends within SCAN_WORDS words: 0
 * with its units in *n and whether a deferred tail follows them (at
 * i + *n); 1 when it is longer; or an error: a start bit with neither
 * free nor held bit is live. The first mark after i is its end or its
 * tail (no other bit lies inside it). Needs no lock: the bits of a live
 * allocation change only by its owner's hand, and the start bit that
 * ends it stays set while it lives. Calls nothing, so that the free into
 * a cache saves no registers. */
static inline __attribute__((always_inline)) int live_units_near(const struct buddy_zone *z,
								  uint64_t i, uint64_t *n,
								  bool *has_tail)
{
	uint64_t w = i / BITMAP_WORD_BITS, bit = bit_mask(i);
	uint64_t start = word_load(&z->start.level[0][w]), free = word_load(&z->free[w]);
	uint64_t held = word_load(&z->held[w]), m;

	if (!((start & ~free & ~held) & bit))
		return (start & free & bit) ? -E_FREED : -E_NOTALLOC;
	if (!next_mark(z, i, start, held, &m, has_tail))
		return 1;
	*n = m - i;
	return 0;
}

/* live_units_near for an allocation of any length: past SCAN_WORDS
 * words only the start bits, through their levels, can end it. */
static inline __attribute__((always_inline)) int live_units(const struct buddy_zone *z,
							     uint64_t i, uint64_t *n,
							     bool *has_tail)
{
	int found = live_units_near(z, i, n, has_tail);

	if (found != 1)
		return found;
	*n = bitmap_index_next(&z->start, i + 1) - i;
	*has_tail = false;
	return 0;
}

int buddy_size(const struct buddy_zone *z, uint64_t unit, uint64_t *n)
{
	bool has_tail;

	return live_units(z, unit - z->first, n, &has_tail);
}

/* The order of the whole block that the live allocation of n units at
 * unit u occupies, or -1 when it is not a whole block: one with a
 * deferred tail, or n a power of two up to 2^BUDDY_MAX_ORDER and u
 * aligned to it. */
static inline int whole_block_order(uint64_t u, uint64_t n, bool has_tail)
{
	if (has_tail)
		return (int)log2_ceil(n);
	if (!(n & (n - 1)) && !(u & (n - 1)) && n <= order_units(BUDDY_MAX_ORDER))
		return (int)log2_floor(n);
	return -1;
}

/* Frees the live allocation at unit into the calling hart's cache,
 * holding that cache's lock: 1 when it did, 0 when the allocation is not
 * a whole block of a cached order or the cache is full, or the error. A
 * free marks the block held first: of two harts freeing it at once, one
 * sees the bit set (buddy_free's claim). */
static inline __attribute__((always_inline)) int free_cached(struct buddy_zone *z,
							      struct buddy_pcp *p,
							      uint64_t unit, uint64_t *n)
{
	uint64_t i = unit - z->first;
	bool has_tail;
	int err = live_units_near(z, i, n, &has_tail);
	int k = err ? -1 : whole_block_order(unit, *n, has_tail);

	if (err)
		return err < 0 ? err : 0;	/* a long one is no cached block */
	if (k < 0 || (unsigned)k >= z->cache_orders || p->cache[k].count >= BUDDY_CACHE_HIGH)
		return 0;
	if (bit_test_and_set(z->held, i))
		return -E_FREED;
	if (has_tail)
		buddy_undefer_tail(z, i + *n, &p->tails);
	buddy_cache_push(z, p, i, (unsigned)k);
	return 1;
}

/* Gives back BUDDY_CACHE_BATCH - 1 blocks of a full cache of order k,
 * holding every lock (a hart racing to free one of them again must see it
 * cached or listed, never live): the free that found the cache full went
 * to the lists too, and the next frees of that order find room. */
static void drain_cache(struct buddy_zone *z, struct buddy_pcp *p, unsigned k)
{
	for (unsigned b = 1; b < BUDDY_CACHE_BATCH; b++)
		buddy_give_back_cached(z, p, k);
}

/* Frees the n units at unit, which are not a whole block. When the rest
 * of the block of n rounded up is free (the tail given back when the
 * allocation was made, if nothing took it since), the allocation first
 * grows over it and then goes back as that one block: one merge chain,
 * rather than a piece for each bit of n that the chain merges again. */
static void free_exact(struct buddy_zone *z, uint64_t unit, uint64_t n)
{
	unsigned k = log2_ceil(n);

	if (k <= BUDDY_MAX_ORDER && !(unit & (order_units(k) - 1)) &&
	    buddy_grow(z, unit, n, order_units(k)) == 0)
		buddy_free_block(z, unit, k);
	else
		buddy_free_range(z, unit, unit + n);
}

/* buddy_free with every lock of the zone: the allocation goes back to
 * the lists, merging. Every lock, as a hart freeing the same block into
 * its cache at once, holding only its own cache's lock, must see this
 * free either not begun or done: one of the two frees wins, the other is
 * refused. */
static __attribute__((noinline)) int free_slow(struct buddy_zone *z, struct buddy_pcp *p,
						uint64_t unit, uint64_t *n)
{
	uint64_t i = unit - z->first;
	bool tight = !is_roomy(z), has_tail;
	unsigned harts = buddy_lock_all(z);
	int err = live_units(z, i, n, &has_tail);

	if (!err) {
		int k = whole_block_order(unit, *n, has_tail);

		if (has_tail)
			buddy_undefer_tail(z, i + *n, &z->tails);
		if (k >= 0)
			buddy_free_block(z, unit, (unsigned)k);
		else
			free_exact(z, unit, *n);
		add_out(z, -1);
		if (tight)
			buddy_reclaim(z, RECLAIM_PER_CALL);
		else if (p && k >= 0 && (unsigned)k < z->cache_orders &&
			 p->cache[k].count >= BUDDY_CACHE_HIGH)
			drain_cache(z, p, (unsigned)k);
	}
	buddy_unlock_all(z, harts);
	return err;
}

int buddy_free(struct buddy_zone *z, uint64_t unit, uint64_t *n)
{
	struct buddy_pcp *p = own_pcp(z);

	/* the lock is busy only while a hart drains every cache: free_slow
	 * waits for it; the common path calls nothing */
	if (p && is_roomy(z) && spin_trylock(&p->lock)) {
		int done = free_cached(z, p, unit, n);

		spin_unlock(&p->lock);
		if (done)
			return done < 0 ? done : 0;
	}
	return free_slow(z, p, unit, n);
}

int buddy_resize(struct buddy_zone *z, uint64_t unit, uint64_t n, uint64_t new_n)
{
	uint64_t t = unit + n - z->first;
	int err = 0;

	spin_lock(&z->lock);
	if (t < z->count && is_tail(z, t)) {
		/* a deferred tail: resize the exact allocation it becomes */
		buddy_undefer_tail(z, t, &z->tails);
		buddy_push_range(z, unit + n, unit + order_units(log2_ceil(n)));
	}
	if (new_n > n)
		err = buddy_grow(z, unit, n, new_n);
	else
		buddy_free_range(z, unit + new_n, unit + n);
	spin_unlock(&z->lock);
	return err;
}

