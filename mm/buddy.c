/*
 * The textbook binary buddy allocator (buddy.h, docs/buddy.md): free lists
 * per order, split on allocation, merge with the buddy u ^ 2^k on free.
 * An allocation is n units, not 2^k: the tail of its block goes back at
 * once, and a free gives back exactly n units. buddy_alloc and buddy_free
 * (buddy_free.c) are the one path every request of the frames and the
 * heap takes: the hart's cache first, then the lists, then a run of free
 * blocks (buddy_place.c).
 */
#include "mm/buddy_internal.h"

/* A request that finds nothing, with nothing cached that could serve it,
 * gives back this many tails before its last try. */
#define FAIL_GIVE_BACK_TAILS 8u

/* The metadata begins with the harts' caches, then the free and held
 * bitmaps, then the levels of the start bits. */
#define PCP_BYTES (BUDDY_CACHE_HARTS * sizeof(struct buddy_pcp))

size_t buddy_metadata_bytes(uint64_t count)
{
	return PCP_BYTES + (2 * bitmap_words(count) + bitmap_index_words(count)) * sizeof(uint64_t);
}

void buddy_push(struct buddy_zone *z, uint64_t i, unsigned k)
{
	struct buddy_node *n = node_at(z, i);
	uint32_t next = z->head[k];

	n->next = next;
	n->prev = BUDDY_NIL;
	n->order = k;
	n->magic = BUDDY_NODE_MAGIC ^ k;
	if (next != BUDDY_NIL)
		node_at(z, next)->prev = (uint32_t)i;
	z->head[k] = (uint32_t)i;
	z->nonempty |= order_units(k);
	z->blocks[k]++;
	add_free_units(z, (int64_t)order_units(k));
	bit_set(z->free, i);
	bitmap_index_set(&z->start, i);
}

void buddy_unlink(struct buddy_zone *z, uint64_t i, unsigned k)
{
	const struct buddy_node *n = node_at(z, i);

	if (n->prev == BUDDY_NIL)
		z->head[k] = n->next;
	else
		node_at(z, n->prev)->next = n->next;
	if (n->next != BUDDY_NIL)
		node_at(z, n->next)->prev = n->prev;
	if (z->head[k] == BUDDY_NIL)
		z->nonempty &= ~order_units(k);
	z->blocks[k]--;
	add_free_units(z, -(int64_t)order_units(k));
	bit_clear(z->free, i);
}

void buddy_push_range(struct buddy_zone *z, uint64_t from, uint64_t to)
{
	while (from < to) {
		unsigned k = piece_order(from, to);

		buddy_push(z, from - z->first, k);
		from += order_units(k);
	}
}

static void init_pcp(struct buddy_pcp *p)
{
	*p = (struct buddy_pcp){ .lock = SPINLOCK_INIT };
	for (unsigned k = 0; k < BUDDY_CACHE_ORDERS; k++)
		p->cache[k].top = BUDDY_NIL;
}

void buddy_init(struct buddy_zone *z, uint64_t first, uint64_t count,
		unsigned unit_shift, uint64_t *meta)
{
	uint64_t *bits = meta + PCP_BYTES / sizeof(uint64_t);

	_Static_assert(PCP_BYTES % sizeof(uint64_t) == 0, "bitmaps follow the caches");
	*z = (struct buddy_zone){
		.first = first,
		.count = count,
		.base = (uintptr_t)(first << unit_shift),
		.unit_shift = unit_shift,
		.free = bits,
		.held = bits + bitmap_words(count),
		.roomy_units = count >> BUDDY_ROOMY_SHIFT,
		.lock = SPINLOCK_INIT,
		.pcp = (struct buddy_pcp *)meta,
	};
	for (unsigned k = 0; k < BUDDY_ORDERS; k++)
		z->head[k] = BUDDY_NIL;
	for (unsigned h = 0; h < BUDDY_CACHE_HARTS; h++)
		init_pcp(&z->pcp[h]);
	for (size_t w = 0; w < 2 * bitmap_words(count); w++)
		bits[w] = 0;
	bitmap_index_init(&z->start, count, bits + 2 * bitmap_words(count));
	buddy_push_range(z, first, first + count);
}

/* Whether a listed free block of order k starts at index i. */
static bool is_free_block(const struct buddy_zone *z, uint64_t i, unsigned k)
{
	return is_listed(z, i) && node_at(z, i)->order == k;
}

/* Frees the block [u, u + 2^k), merging it with its buddy as long as the
 * buddy is a free block of the same order, up to BUDDY_MAX_ORDER. The
 * upper of the two halves of a merge stops being a block start, and its
 * node bytes (if it had any) become interior: they are absorbed. A start
 * bit that stays a start is never cleared on the way: a hart reading the
 * length of the allocation before it without the lock relies on it. */
void buddy_free_block(struct buddy_zone *z, uint64_t u, unsigned k)
{
	while (k < BUDDY_MAX_ORDER) {
		uint64_t b = u ^ order_units(k), upper = u | order_units(k);

		if (b < z->first || b + order_units(k) > zone_end(z) ||
		    !is_free_block(z, b - z->first, k))
			break;
		buddy_unlink(z, b - z->first, k);
		bitmap_index_clear(&z->start, upper - z->first);
		bit_clear(z->free, upper - z->first);
		if (z->on_absorb)
			z->on_absorb(z, upper);
		u &= ~order_units(k);
		k++;
	}
	buddy_push(z, u - z->first, k);
}

void buddy_free_range(struct buddy_zone *z, uint64_t from, uint64_t to)
{
	while (from < to) {
		unsigned k = piece_order(from, to);

		buddy_free_block(z, from, k);
		from += order_units(k);
	}
}

/* Takes a listed block of order j >= want off its list and splits it down
 * to order want: its first unit. */
static uint64_t take_block(struct buddy_zone *z, unsigned want)
{
	unsigned j = want + (unsigned)__builtin_ctzll(z->nonempty >> want);
	uint64_t i = z->head[j];

	buddy_unlink(z, i, j);
	while (j > want) {	/* split: the upper halves go back */
		j--;
		buddy_push(z, i + order_units(j), j);
	}
	return z->first + i;
}

/* A whole block of order want from the lists for n units, with the zone
 * lock. The tail past n is deferred when the block is of a cached order
 * and n's own (not larger for alignment) in a roomy zone, and given back
 * otherwise. */
static bool alloc_block(struct buddy_zone *z, uint64_t n, unsigned want, uint64_t *unit)
{
	uint64_t u, end;

	if (!(z->nonempty >> want))
		return false;
	u = take_block(z, want);
	end = u + order_units(want);
	if (u + n < end) {
		if (want < z->cache_orders && is_roomy(z) && log2_ceil(n) == want)
			buddy_defer_tail(z, u + n - z->first, &z->tails);
		else
			buddy_push_range(z, u + n, end);
	}
	*unit = u;
	return true;
}

/* A whole block, or else a place in a run of free blocks; in a tight zone
 * a request that is not a power of two tries the runs first, so that it
 * fills the gaps earlier requests left rather than split a block (a good
 * fit, as TLSF's; docs/buddy.md gives what it buys). */
static bool alloc_somewhere(struct buddy_zone *z, uint64_t n, unsigned align_order,
			    unsigned want, uint64_t *unit)
{
	bool place_first = !is_roomy(z) && (n & (n - 1));
	bool found;

	/* a placement that failed first fails again: it is tried once */
	if (place_first)
		found = buddy_place(z, n, align_order, unit) == 0 ||
			alloc_block(z, n, want, unit);
	else
		found = alloc_block(z, n, want, unit) || buddy_place(z, n, align_order, unit) == 0;
	if (found)
		add_out(z, 1);
	return found;
}

/* Whether the zone has a unit aligned to 2^align_order with n units after
 * it: if not, no amount of freeing can serve the request. */
static bool could_fit(const struct buddy_zone *z, uint64_t n, unsigned align_order)
{
	uint64_t mask = order_units(align_order) - 1;
	uint64_t s = (z->first + mask) & ~mask;

	return n <= z->count && s >= z->first && s - z->first <= z->count - n;
}

/* Takes the zone lock, or every lock when the work may give back tails
 * or other harts' cached blocks: what to pass to unlock. */
static unsigned lock_zone(struct buddy_zone *z, bool all)
{
	if (all)
		return buddy_lock_all(z);
	spin_lock(&z->lock);
	return 0;
}

static void unlock_zone(struct buddy_zone *z, bool all, unsigned harts)
{
	if (all)
		buddy_unlock_all(z, harts);
	else
		spin_unlock(&z->lock);
}

/* Pops a block of order k from the calling hart's cache p (its lock
 * held, the cache not empty) for n units: its first unit, the tail past
 * n deferred. */
static inline __attribute__((always_inline)) uint64_t take_cached(struct buddy_zone *z,
								   struct buddy_pcp *p,
								   uint64_t n, unsigned k)
{
	uint64_t u = buddy_cache_pop(z, p, k);

	if (n < order_units(k))
		buddy_defer_tail(z, u + n - z->first, &p->tails);
	return u;
}

/* Fills the calling hart's empty cache of order k (its lock held) from
 * one listed block of up to BUDDY_CACHE_BATCH blocks of order k, taken
 * with the zone lock; each block is marked held before it becomes a
 * start (never live to a free racing on another hart). false when no
 * block of order k or more is listed. */
static bool refill_cache(struct buddy_zone *z, struct buddy_pcp *p, unsigned k)
{
	bool found = false;

	spin_lock(&z->lock);
	if (z->nonempty >> k) {
		unsigned j = k + (unsigned)__builtin_ctzll(z->nonempty >> k);
		unsigned b = j < k + BUDDY_CACHE_BATCH_SHIFT ? j : k + BUDDY_CACHE_BATCH_SHIFT;
		uint64_t i = take_block(z, b) - z->first;

		for (uint64_t m = order_units(b - k); m-- > 0;) {	/* the first on top */
			bit_set(z->held, i + (m << k));
			bitmap_index_set(&z->start, i + (m << k));
			buddy_cache_push(z, p, i + (m << k), k);
		}
		add_out(z, (int64_t)order_units(b - k));
		found = true;
	}
	spin_unlock(&z->lock);
	return found;
}

/* The calling hart's cache of order k, refilled if empty, for a request
 * of n units it serves: whether it found a block. */
static bool alloc_refilled(struct buddy_zone *z, struct buddy_pcp *p, uint64_t n, unsigned k,
			   uint64_t *unit)
{
	bool found;

	spin_lock(&p->lock);
	found = p->cache[k].count || refill_cache(z, p, k);
	if (found)
		*unit = take_cached(z, p, n, k);
	spin_unlock(&p->lock);
	return found;
}

/* A request that found nothing on the lists and no cached block that
 * serves it, holding every lock: gives back cached blocks one at a time,
 * the largest first, until a block of the request's order is free (one
 * bit test after each); with nothing cached left, gives back
 * FAIL_GIVE_BACK_TAILS tails and, if it gave anything, tries the lists
 * and runs once more. So it fails only where a drain of every cache
 * fails, and on the bench stops after a block or a few (docs/buddy.md,
 * section 6). Out of line: inlined, it costs alloc_slow, which W2 calls
 * for every block, 5 instructions a call. */
static __attribute__((noinline)) bool alloc_after_give_back(struct buddy_zone *z, uint64_t n,
								unsigned align_order, unsigned want,
								uint64_t *unit)
{
	bool given = false;

	while (buddy_give_back_largest(z)) {
		if (alloc_block(z, n, want, unit)) {
			add_out(z, 1);
			return true;
		}
		given = true;
	}
	given |= buddy_reclaim(z, FAIL_GIVE_BACK_TAILS);
	return given && alloc_somewhere(z, n, align_order, want, unit);
}

/* buddy_alloc past the calling hart's cache: a refill of that cache for
 * a request it serves; else, in a tight zone, a few cached blocks and
 * tails given back first; then a whole block, a place in a run, and at
 * last, unless all the free memory there is, listed, cached or in tails,
 * is less than the request, a cached block that serves it or cached
 * blocks and tails given back until one does. */
static __attribute__((noinline)) int alloc_slow(struct buddy_zone *z, uint64_t n,
						unsigned align_order, uint64_t *unit)
{
	if (!n || align_order >= BUDDY_ORDERS || !could_fit(z, n, align_order))
		return -E_NOMEM;

	unsigned k = log2_ceil(n);
	unsigned want = k > align_order ? k : align_order;
	bool tight = !is_roomy(z);
	struct buddy_pcp *p = own_pcp(z);
	unsigned harts;
	bool found;

	if (!tight && p && k < z->cache_orders && align_order <= k && alloc_refilled(z, p, n, k, unit))
		return 0;
	harts = lock_zone(z, tight);
	if (tight)
		buddy_reclaim(z, RECLAIM_PER_CALL);
	found = alloc_somewhere(z, n, align_order, want, unit);
	unlock_zone(z, tight, harts);
	if (!found) {
		harts = buddy_lock_all(z);
		found = z->free_units + buddy_hidden_units(z) >= n &&
			(buddy_take_cached(z, n, want, unit) ||
			 alloc_after_give_back(z, n, align_order, want, unit));
		buddy_unlock_all(z, harts);
	}
	return found ? 0 : -E_NOMEM;
}

/* A small request in a roomy zone from the calling hart's cache, holding
 * only that cache's lock: whether it found a block. It calls nothing: a
 * miss, or the lock held by a hart draining every cache, leaves the
 * request to alloc_slow (a refill), so the common path needs no saved
 * registers. */
static inline __attribute__((always_inline)) bool alloc_cached(struct buddy_zone *z,
								struct buddy_pcp *p, uint64_t n,
								unsigned k, uint64_t *unit)
{
	bool found = false;

	if (!spin_trylock(&p->lock))
		return false;
	if (p->cache[k].count) {
		*unit = take_cached(z, p, n, k);
		found = true;
	}
	spin_unlock(&p->lock);
	return found;
}

int buddy_alloc(struct buddy_zone *z, uint64_t n, unsigned align_order, uint64_t *unit)
{
	unsigned k = log2_ceil(n);	/* 63 for n = 0: the slow path refuses it */
	struct buddy_pcp *p = own_pcp(z);

	if (p && k < z->cache_orders && align_order <= k && is_roomy(z) &&
	    alloc_cached(z, p, n, k, unit))
		return 0;
	return alloc_slow(z, n, align_order, unit);
}

void buddy_set_absorb(struct buddy_zone *z, buddy_absorb_fn fn)
{
	z->on_absorb = fn;
}
