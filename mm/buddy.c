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

size_t buddy_metadata_bytes(uint64_t count)
{
	return (2 * bitmap_words(count) + bitmap_index_words(count)) * sizeof(uint64_t);
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
	z->free_units += order_units(k);
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
	z->free_units -= order_units(k);
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

void buddy_init(struct buddy_zone *z, uint64_t first, uint64_t count,
		unsigned unit_shift, uint64_t *meta)
{
	*z = (struct buddy_zone){
		.first = first,
		.count = count,
		.base = (uintptr_t)(first << unit_shift),
		.unit_shift = unit_shift,
		.free = meta,
		.held = meta + bitmap_words(count),
		.roomy_units = count >> BUDDY_ROOMY_SHIFT,
	};
	for (unsigned k = 0; k < BUDDY_ORDERS; k++)
		z->head[k] = BUDDY_NIL;
	for (unsigned k = 0; k < BUDDY_CACHE_ORDERS; k++)
		z->cache[k].top = BUDDY_NIL;
	for (size_t w = 0; w < 2 * bitmap_words(count); w++)
		meta[w] = 0;
	bitmap_index_init(&z->start, count, meta + 2 * bitmap_words(count));
	buddy_push_range(z, first, first + count);
}

/* Whether a listed free block of order k starts at index i. */
static bool is_free_block(const struct buddy_zone *z, uint64_t i, unsigned k)
{
	return is_listed(z, i) && node_at(z, i)->order == k;
}

/* Frees the block [u, u + 2^k), whose start bit is clear, merging it with
 * its buddy as long as the buddy is a free block of the same order. The
 * upper of the two halves of a merge stops being a block start, and its
 * node bytes (if it had any) become interior: they are absorbed. */
void buddy_free_block(struct buddy_zone *z, uint64_t u, unsigned k)
{
	for (;;) {
		uint64_t b = u ^ order_units(k), upper = u | order_units(k);

		if (b < z->first || b + order_units(k) > zone_end(z) ||
		    !is_free_block(z, b - z->first, k))
			break;
		buddy_unlink(z, b - z->first, k);
		bitmap_index_clear(&z->start, upper - z->first);
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

/* A whole block of order want from a cache or the lists for n units. The
 * small helpers of the one path are forced inline: W1 410 -> 382
 * instructions per pair (docs/buddy.md). The
 * tail past n is deferred when the block is of a cached order and n's
 * own (not larger for alignment) in a roomy zone, and given back
 * otherwise. */
static inline __attribute__((always_inline)) bool alloc_block(struct buddy_zone *z, uint64_t n,
								unsigned want, uint64_t *unit)
{
	bool cached = want < z->cache_orders;
	uint64_t u, end;

	if (cached && z->cache[want].count)
		u = buddy_cache_pop(z, want);
	else if (z->nonempty >> want)
		u = take_block(z, want);
	else
		return false;
	end = u + order_units(want);
	if (u + n < end) {
		if (cached && is_roomy(z) && log2_ceil(n) == want)
			buddy_defer_tail(z, u + n - z->first);
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
	if (!is_roomy(z) && (n & (n - 1)) && buddy_place(z, n, align_order, unit) == 0)
		return true;
	return alloc_block(z, n, want, unit) || buddy_place(z, n, align_order, unit) == 0;
}

/* Whether the zone has a unit aligned to 2^align_order with n units after
 * it: if not, no amount of freeing can serve the request. */
static bool could_fit(const struct buddy_zone *z, uint64_t n, unsigned align_order)
{
	uint64_t mask = order_units(align_order) - 1;
	uint64_t s = (z->first + mask) & ~mask;

	return n <= z->count && s >= z->first && s - z->first <= z->count - n;
}

/* buddy_alloc past a roomy zone's caches and lists: a tight zone gives a
 * few cached blocks and tails back first; then a whole block, a place in
 * a run, and at last every cached block and a few tails given back and a
 * second try. */
static __attribute__((noinline)) int alloc_slow(struct buddy_zone *z, uint64_t n,
						unsigned align_order, uint64_t *unit)
{
	if (!n || align_order >= BUDDY_ORDERS || !could_fit(z, n, align_order))
		return -E_NOMEM;

	unsigned k = log2_ceil(n);
	unsigned want = k > align_order ? k : align_order;

	if (!is_roomy(z))
		buddy_reclaim(z, RECLAIM_PER_CALL);
	if (!alloc_somewhere(z, n, align_order, want, unit) &&
	    !(buddy_reclaim(z, RECLAIM_ON_FAILURE + buddy_cached_blocks(z)) &&
	      alloc_somewhere(z, n, align_order, want, unit)))
		return -E_NOMEM;
	z->live++;
	return 0;
}

int buddy_alloc(struct buddy_zone *z, uint64_t n, unsigned align_order, uint64_t *unit)
{
	unsigned k = log2_ceil(n);	/* 63 for n = 0: the slow path refuses it */

	/* a small request in a roomy zone: a cache or the lists, no more */
	if (k < z->cache_orders && align_order <= k && is_roomy(z) &&
	    alloc_block(z, n, k, unit)) {
		z->live++;
		return 0;
	}
	return alloc_slow(z, n, align_order, unit);
}

/* The units of the live allocation at index i, or an error: a start bit
 * with neither free nor held bit. */
static inline int live_units(const struct buddy_zone *z, uint64_t i, uint64_t *n)
{
	uint64_t w = i / BITMAP_WORD_BITS, bit = (uint64_t)1 << (i % BITMAP_WORD_BITS);
	uint64_t start = z->start.level[0][w], free = z->free[w], held = z->held[w];

	if ((start & ~free & ~held) & bit) {
		*n = bitmap_index_next(&z->start, i + 1) - i;
		return 0;
	}
	return (start & free & bit) ? -E_FREED : -E_NOTALLOC;
}

int buddy_size(const struct buddy_zone *z, uint64_t unit, uint64_t *n)
{
	return live_units(z, unit - z->first, n);
}

/* The order of the whole block that the live allocation of n units at
 * unit u occupies, ending with the block at index t, or -1 when it is
 * not a whole block. A deferred tail ends a whole block; otherwise n must
 * be a power of two and u aligned to it. */
static inline __attribute__((always_inline)) int whole_block_order(struct buddy_zone *z, uint64_t u,
								    uint64_t n, uint64_t t)
{
	if (t < z->count && is_tail(z, t)) {
		buddy_undefer_tail(z, t);
		return (int)log2_ceil(n);
	}
	if (!(n & (n - 1)) && !(u & (n - 1)))
		return (int)log2_floor(n);
	return -1;
}

int buddy_free(struct buddy_zone *z, uint64_t unit, uint64_t *n)
{
	uint64_t i = unit - z->first;
	int err = live_units(z, i, n);

	if (err)
		return err;

	int k = whole_block_order(z, unit, *n, i + *n);

	if (k >= 0 && (unsigned)k < z->cache_orders && is_roomy(z) &&
	    z->cache[k].count < BUDDY_CACHE_HIGH) {
		buddy_cache_push(z, i, (unsigned)k);
	} else {
		bitmap_index_clear(&z->start, i);
		if (k >= 0)
			buddy_free_block(z, unit, (unsigned)k);
		else
			free_range(z, unit, unit + *n);
		if (!is_roomy(z))
			buddy_reclaim(z, RECLAIM_PER_CALL);
	}
	z->live--;
	return 0;
}

int buddy_resize(struct buddy_zone *z, uint64_t unit, uint64_t n, uint64_t new_n)
{
	uint64_t t = unit + n - z->first;

	if (t < z->count && is_tail(z, t)) {
		/* a deferred tail: resize the exact allocation it becomes */
		uint64_t end = unit + order_units(log2_ceil(n));

		buddy_undefer_tail(z, t);
		buddy_push_range(z, unit + n, end);
	}
	if (new_n > n)
		return buddy_grow(z, unit, n, new_n);
	free_range(z, unit + new_n, unit + n);
	return 0;
}

void buddy_set_absorb(struct buddy_zone *z, buddy_absorb_fn fn)
{
	z->on_absorb = fn;
}

int buddy_largest_order(const struct buddy_zone *z)
{
	uint64_t orders = z->nonempty | z->cached_mask;

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
