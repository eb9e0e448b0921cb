/*
 * The buddy zone invariant walker behind frames_check() and heap_check():
 * every listed block is well formed and marked, every marked free block is
 * listed, no two free buddies of one order are left unmerged, every cached
 * block is a whole block of its order marked cached, every deferred-tail
 * marker lies inside a live allocation's block (one per block), allocations
 * respect invariant P or are counted straddlers, the counters agree and the
 * blocks tile the zone.
 */
#include "lib/errors.h"
#include "mm/buddy_internal.h"

struct check_result {
	const char *why;
	uintptr_t where;
};

static int fail(struct check_result *r, const char *why, uintptr_t where)
{
	r->why = why;
	r->where = where;
	return -E_CORRUPT;
}

/* Checks one listed node (already known to be a unit address in the zone). */
static int check_listed_block(const struct buddy_zone *z, uint64_t u, unsigned k,
			      struct check_result *r)
{
	uintptr_t addr = buddy_unit_addr(z, u);
	uint64_t size = order_units(k);
	uint64_t buddy = u ^ size;

	if (u & (size - 1))
		return fail(r, "free block misaligned for its order", addr);
	if (size > z->count - (u - z->first))
		return fail(r, "free block runs past the zone end", addr);
	if (!is_start(z, u) || !is_free(z, u))
		return fail(r, "listed free block not marked free", addr);
	if (block_len(z, u) != size)
		return fail(r, "free block on the list of the wrong order", addr);
	if (k < MAX_ORDER && buddy_contains(z, buddy) &&
	    size <= z->count - (buddy - z->first) && is_free_block(z, buddy, k))
		return fail(r, "free block has a free buddy of the same order", addr);
	return 0;
}

/* Walks the list of order k; adds its blocks and units to the totals. */
static int check_list(const struct buddy_zone *z, unsigned k, uint64_t *blocks,
		      uint64_t *units, struct check_result *r)
{
	const struct buddy_node *head = &z->lists[k];
	const struct buddy_node *prev = head;
	uintptr_t unit_mask = ((uintptr_t)1 << z->unit_shift) - 1;

	for (const struct buddy_node *n = head->next; n != head; prev = n, n = n->next) {
		uintptr_t addr = (uintptr_t)n;
		uint64_t u = node_unit(z, n);

		if ((addr & unit_mask) || !buddy_contains(z, u))
			return fail(r, "free-list node outside its zone", addr);
		if (n->prev != prev)
			return fail(r, "free-list back link broken", addr);
		if (*blocks >= z->count)
			return fail(r, "free list does not end", addr);
		int err = check_listed_block(z, u, k, r);

		if (err)
			return err;
		(*blocks)++;
		*units += order_units(k);
	}
	if (head->prev != prev)
		return fail(r, "free-list head back link broken", (uintptr_t)head);
	if (((z->nonempty >> k) & 1) != (head->next != head))
		return fail(r, "non-empty mask disagrees with a list", (uintptr_t)head);
	return 0;
}

/* Walks the cache of order k: adds its blocks to *blocks. */
static int check_cache(const struct buddy_zone *z, unsigned k, uint64_t *blocks,
		       struct check_result *r)
{
	uint64_t seen = 0, size = order_units(k);
	uintptr_t unit_mask = ((uintptr_t)1 << z->unit_shift) - 1;

	if (k >= z->cache_orders && z->cache[k].count)
		return fail(r, "cache of an order that is not cached", 0);
	for (const struct buddy_cached *b = z->cache[k].top; b; b = b->next) {
		uintptr_t addr = (uintptr_t)b;
		uint64_t u = addr >> z->unit_shift;

		if ((addr & unit_mask) || !buddy_contains(z, u))
			return fail(r, "cached block outside its zone", addr);
		if (++seen > z->cache[k].count)
			return fail(r, "cache longer than its count", addr);
		if ((u & (size - 1)) || size > z->count - (u - z->first))
			return fail(r, "cached block misaligned for its order", addr);
		if (!is_start(z, u) || is_free(z, u) || !is_held(z, u))
			return fail(r, "cached block not marked cached", addr);
		if (block_len(z, u) != size)
			return fail(r, "cached block in the cache of the wrong order", addr);
	}
	if (seen != z->cache[k].count)
		return fail(r, "cache shorter than its count", 0);
	*blocks += seen;
	return 0;
}

/* Totals of the bitmap walk. */
struct bitmap_totals {
	uint64_t free_blocks, cached_blocks, cached_units;
	uint64_t live, used, deferred, deferred_units, straddlers;
};

/* Checks the live allocation starting at unit u whose block ends at the
 * zone-relative next; adds it to the totals. */
static int check_live(const struct buddy_zone *z, uint64_t u, uint64_t next,
		      struct bitmap_totals *t, struct check_result *r)
{
	uint64_t i = u - z->first, len = next - i;
	uint64_t m = len > 1 ? bit_next_set(z->held, i + 1, next) : next;

	t->live++;
	t->used += m - i;
	if (straddles(u, len)) {
		/* only exact allocations that are not a power of two */
		if (m != next || !(len & (len - 1)))
			return fail(r, "allocation more than 2^ctz(start) units long",
				    buddy_unit_addr(z, u));
		t->straddlers++;
	}
	if (m == next)
		return 0;
	if (m + 1 < next && bit_next_set(z->held, m + 1, next) != next)
		return fail(r, "two tail markers in one block",
			    buddy_unit_addr(z, z->first + m));
	if (len != order_units(log2_ceil(m - i)))
		return fail(r, "tail marker in a block of the wrong size",
			    buddy_unit_addr(z, z->first + m));
	t->deferred++;
	t->deferred_units += next - m;
	return 0;
}

/* Walks the block starts of the bitmap: counts free and cached blocks,
 * live allocations and their units, and checks invariant P and markers. */
static int check_bitmap(const struct buddy_zone *z, struct bitmap_totals *t,
			struct check_result *r)
{
	if (z->count && !is_start(z, z->first))
		return fail(r, "zone does not begin with a block", buddy_unit_addr(z, z->first));
	for (uint64_t i = 0; i < bitmap_words(z->count); i++) {
		uintptr_t addr = buddy_unit_addr(z, z->first + i * BITMAP_WORD_BITS);

		if (z->free[i] & ~z->start[i])
			return fail(r, "free bit on a unit that starts no block", addr);
		if (z->free[i] & z->held[i])
			return fail(r, "unit marked both free and held", addr);
	}
	for (uint64_t i = 0, next; i < z->count; i = next) {
		uint64_t u = z->first + i;

		next = i + 1 < z->count ? bit_next_set(z->start, i + 1, z->count) : z->count;
		if ((is_free(z, u) || is_held(z, u)) && i + 1 < next &&
		    bit_next_set(z->held, i + 1, next) != next)
			return fail(r, "tail marker outside a live allocation", buddy_unit_addr(z, u));
		if (is_free(z, u)) {
			t->free_blocks++;
		} else if (is_held(z, u)) {
			t->cached_blocks++;
			t->cached_units += next - i;
		} else {
			int err = check_live(z, u, next, t, r);

			if (err)
				return err;
		}
	}
	return 0;
}

/* Compares the walk's totals with the zone's counters. */
static int check_counters(const struct buddy_zone *z, uint64_t listed, uint64_t cached,
			  const struct bitmap_totals *t, struct check_result *r)
{
	if (t->free_blocks != listed)
		return fail(r, "a block marked free is on no list", 0);
	if (t->cached_blocks != cached || t->cached_units != z->cached_units)
		return fail(r, "a block marked cached is in no cache", 0);
	if (t->live != z->live)
		return fail(r, "live allocation count disagrees with the bitmaps", 0);
	if (t->deferred != z->deferred || t->deferred_units != z->deferred_units)
		return fail(r, "deferred tail counts disagree with the markers", 0);
	if (t->straddlers != z->straddlers)
		return fail(r, "straddler count disagrees with the bitmaps", 0);
	if (z->slow_merges != (z->on_absorb || z->straddlers))
		return fail(r, "slow-merge flag disagrees with the zone", 0);
	if (!z->live && (z->cached_units || z->deferred))
		return fail(r, "an idle zone keeps cached blocks or tails", 0);
	return 0;
}

int buddy_check(const struct buddy_zone *z, uint64_t *free_units,
		uint64_t *used_units, const char **why, uintptr_t *where)
{
	struct check_result r = { 0, 0 };
	struct bitmap_totals t = { 0 };
	uint64_t listed = 0, cached = 0;
	int err = 0;

	*free_units = *used_units = 0;
	if (z->nonempty >> BUDDY_ORDERS)
		err = fail(&r, "non-empty mask names an order beyond the last", 0);
	if (!err && z->cache_orders > BUDDY_CACHE_ORDERS)
		err = fail(&r, "more cached orders than caches", 0);
	for (unsigned k = 0; !err && k < BUDDY_ORDERS; k++)
		err = check_list(z, k, &listed, free_units, &r);
	for (unsigned k = 0; !err && k < BUDDY_CACHE_ORDERS; k++)
		err = check_cache(z, k, &cached, &r);
	if (!err)
		err = check_bitmap(z, &t, &r);
	if (!err)
		err = check_counters(z, listed, cached, &t, &r);
	*used_units = t.used;
	if (!err && *free_units + t.used + t.cached_units + t.deferred_units != z->count)
		err = fail(&r, "free and allocated units do not add up", 0);
	if (err) {
		*why = r.why;
		*where = r.where;
	}
	return err;
}
