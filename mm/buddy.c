/*
 * The textbook binary buddy allocator (buddy.h, docs/buddy.md): free lists
 * per order, split on allocation, merge with the buddy u ^ 2^k on free.
 * An allocation is n units, not 2^k: the tail of its block goes back at
 * once, and a free gives back exactly n units. buddy_alloc and buddy_free
 * are the one path every request of the frames and the heap takes: a
 * cache first, then the lists, then a run of free blocks (buddy_place.c).
 */
#include "mm/buddy_internal.h"

/* Tight zones give back this many tails or cached blocks per call; a
 * request that finds nothing gives back every cached block (at most
 * BUDDY_CACHE_HIGH per order) and this many tails, then retries. */
#define RECLAIM_PER_CALL 4u
#define RECLAIM_ON_FAILURE 8u

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
 * buddy is a free block of the same order. The upper of the two halves of
 * a merge stops being a block start, and its node bytes (if it had any)
 * become interior: they are absorbed. A start bit that stays a start is
 * never cleared on the way: a hart reading the length of the allocation
 * before it without the lock relies on it. */
void buddy_free_block(struct buddy_zone *z, uint64_t u, unsigned k)
{
	for (;;) {
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

/* Frees [from, to), which holds no start bit, as aligned blocks. */
static void free_range(struct buddy_zone *z, uint64_t from, uint64_t to)
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
	bool found;

	if (!is_roomy(z) && (n & (n - 1)) && buddy_place(z, n, align_order, unit) == 0)
		found = true;
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

/* buddy_alloc past the calling hart's cache: a tight zone gives a few
 * cached blocks and tails back first; then a whole block, a place in a
 * run, and at last every cached block and a few tails given back and a
 * second try. */
static __attribute__((noinline)) int alloc_slow(struct buddy_zone *z, uint64_t n,
						unsigned align_order, uint64_t *unit)
{
	if (!n || align_order >= BUDDY_ORDERS || !could_fit(z, n, align_order))
		return -E_NOMEM;

	unsigned k = log2_ceil(n);
	unsigned want = k > align_order ? k : align_order;
	bool tight = !is_roomy(z);
	unsigned harts = lock_zone(z, tight);
	bool found;

	if (tight)
		buddy_reclaim(z, RECLAIM_PER_CALL);
	found = alloc_somewhere(z, n, align_order, want, unit);
	unlock_zone(z, tight, harts);
	if (!found) {
		harts = buddy_lock_all(z);
		found = buddy_reclaim(z, RECLAIM_ON_FAILURE + buddy_cached_blocks(z)) &&
			alloc_somewhere(z, n, align_order, want, unit);
		buddy_unlock_all(z, harts);
	}
	return found ? 0 : -E_NOMEM;
}

/* A small request in a roomy zone from the calling hart's cache, holding
 * only that cache's lock: whether it found a block. */
static inline __attribute__((always_inline)) bool alloc_cached(struct buddy_zone *z, uint64_t n,
								unsigned k, uint64_t *unit)
{
	struct buddy_pcp *p = own_pcp(z);
	bool found = false;

	if (!p)
		return false;
	spin_lock(&p->lock);
	if (p->cache[k].count) {
		uint64_t u = buddy_cache_pop(z, p, k);

		if (n < order_units(k))
			buddy_defer_tail(z, u + n - z->first, &p->tails);
		*unit = u;
		found = true;
	}
	spin_unlock(&p->lock);
	return found;
}

int buddy_alloc(struct buddy_zone *z, uint64_t n, unsigned align_order, uint64_t *unit)
{
	unsigned k = log2_ceil(n);	/* 63 for n = 0: the slow path refuses it */

	if (k < z->cache_orders && align_order <= k && is_roomy(z) && alloc_cached(z, n, k, unit))
		return 0;
	return alloc_slow(z, n, align_order, unit);
}

/* Words a free reads for the end or the tail of an allocation before it
 * turns to the levelled start bits: a block of a cached order and its
 * tail lie within them. */
#define SCAN_WORDS 5u

/* The first unit after i that begins a block or a deferred tail (a start
 * or a held bit) among the next SCAN_WORDS words, or UINT64_MAX. */
static inline uint64_t next_mark(const struct buddy_zone *z, uint64_t i)
{
	uint64_t from = i + 1, w = from / BITMAP_WORD_BITS, words = bitmap_words(z->count);
	uint64_t last = w + SCAN_WORDS < words ? w + SCAN_WORDS : words;
	uint64_t bits = 0;

	if (from < z->count)
		bits = (word_load(&z->start.level[0][w]) | word_load(&z->held[w])) &
		       (~(uint64_t)0 << (from % BITMAP_WORD_BITS));
	while (!bits) {
		if (++w >= last)
			return UINT64_MAX;
		bits = word_load(&z->start.level[0][w]) | word_load(&z->held[w]);
	}
	return w * BITMAP_WORD_BITS + (uint64_t)__builtin_ctzll(bits);
}

/* The live allocation at index i: 0 with its units in *n and whether a
 * deferred tail follows them (at i + *n); or an error: a start bit with
 * neither free nor held bit is live. The first mark after i is its end
 * or its tail (no other bit lies inside it); past SCAN_WORDS words, only
 * the start bits can end it. Needs no lock: the bits of a live allocation
 * change only by its owner's hand, and the start bit that ends it stays
 * set while it lives. */
static inline __attribute__((always_inline)) int live_units(const struct buddy_zone *z,
							     uint64_t i, uint64_t *n,
							     bool *has_tail)
{
	uint64_t w = i / BITMAP_WORD_BITS, bit = bit_mask(i);
	uint64_t start = word_load(&z->start.level[0][w]), free = word_load(&z->free[w]);
	uint64_t held = word_load(&z->held[w]);

	if (!((start & ~free & ~held) & bit))
		return (start & free & bit) ? -E_FREED : -E_NOTALLOC;

	uint64_t m = next_mark(z, i);

	if (m == UINT64_MAX)
		m = bitmap_index_next(&z->start, i + 1);
	*has_tail = m < z->count && !is_start(z, m);
	*n = m - i;
	return 0;
}

int buddy_size(const struct buddy_zone *z, uint64_t unit, uint64_t *n)
{
	bool has_tail;

	return live_units(z, unit - z->first, n, &has_tail);
}

/* The order of the whole block that the live allocation of n units at
 * unit u occupies, or -1 when it is not a whole block: one with a
 * deferred tail, or n a power of two and u aligned to it. */
static inline int whole_block_order(uint64_t u, uint64_t n, bool has_tail)
{
	if (has_tail)
		return (int)log2_ceil(n);
	if (!(n & (n - 1)) && !(u & (n - 1)))
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
	int err = live_units(z, i, n, &has_tail);
	int k = err ? -1 : whole_block_order(unit, *n, has_tail);

	if (err)
		return err;
	if (k < 0 || (unsigned)k >= z->cache_orders || p->cache[k].count >= BUDDY_CACHE_HIGH)
		return 0;
	if (bit_test_and_set(z->held, i))
		return -E_FREED;
	if (has_tail)
		buddy_undefer_tail(z, i + *n, &p->tails);
	buddy_cache_push(z, p, i, (unsigned)k);
	return 1;
}

/* buddy_free with the zone lock (every lock when tight): the allocation
 * goes back to the lists, merging. */
static __attribute__((noinline)) int free_slow(struct buddy_zone *z, uint64_t unit, uint64_t *n)
{
	uint64_t i = unit - z->first;
	bool tight = !is_roomy(z), has_tail;
	unsigned harts = lock_zone(z, tight);
	int err = live_units(z, i, n, &has_tail);

	if (!err && bit_test_and_set(z->held, i))
		err = -E_FREED;
	if (!err) {
		int k = whole_block_order(unit, *n, has_tail);

		if (has_tail)
			buddy_undefer_tail(z, i + *n, &z->tails);
		/* free before the claim goes: a second free sees either */
		bit_set(z->free, i);
		bit_clear(z->held, i);
		if (k >= 0)
			buddy_free_block(z, unit, (unsigned)k);
		else
			free_range(z, unit, unit + *n);
		add_out(z, -1);
		if (tight)
			buddy_reclaim(z, RECLAIM_PER_CALL);
	}
	unlock_zone(z, tight, harts);
	return err;
}

int buddy_free(struct buddy_zone *z, uint64_t unit, uint64_t *n)
{
	struct buddy_pcp *p = own_pcp(z);

	if (p && is_roomy(z)) {
		spin_lock(&p->lock);

		int done = free_cached(z, p, unit, n);

		spin_unlock(&p->lock);
		if (done)
			return done < 0 ? done : 0;
	}
	return free_slow(z, unit, n);
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
		free_range(z, unit + new_n, unit + n);
	spin_unlock(&z->lock);
	return err;
}

void buddy_set_absorb(struct buddy_zone *z, buddy_absorb_fn fn)
{
	z->on_absorb = fn;
}

int buddy_largest_order(const struct buddy_zone *z)
{
	uint64_t orders = z->nonempty | buddy_cached_orders(z);

	return orders ? (int)log2_floor(orders) : -1;
}

void buddy_for_each_free(const struct buddy_zone *z,
			 void (*fn)(void *ctx, uint64_t unit, unsigned order),
			 void *ctx)
{
	for (unsigned k = 0; k < BUDDY_ORDERS; k++)
		for (uint32_t i = z->head[k]; i != BUDDY_NIL; i = node_at(z, i)->next)
			fn(ctx, z->first + i, k);
}
