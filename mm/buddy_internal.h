/*
 * Helpers of the buddy core shared by buddy.c (the textbook algorithm and
 * the one alloc path), buddy_free.c (the one free path), buddy_lazy.c
 * (caches and deferred tails), buddy_place.c (runs of free blocks:
 * placement and growth in place), buddy_stats.c (views of the lists) and
 * buddy_check.c (the invariant walker). Not for use outside the core.
 *
 * Block arithmetic is on absolute units (u), so blocks are aligned in
 * memory; bitmaps and nodes are reached by zone-relative index
 * (i = u - first).
 */
#ifndef MM_BUDDY_INTERNAL_H
#define MM_BUDDY_INTERNAL_H

#include "lib/errors.h"
#include "lib/harts.h"
#include "mm/buddy.h"

_Static_assert(sizeof(struct buddy_node) <= 16,
	       "a free-list node must fit in one 16-byte heap granule");
/* A zone is roomy while at least 1/2^BUDDY_ROOMY_SHIFT of it is listed
 * free: half leaves a tight zone enough calls to give back its tails
 * before it fills (docs/buddy.md). */
#define BUDDY_ROOMY_SHIFT 1u

_Static_assert(BUDDY_ORDERS <= 64, "orders must fit the 64-bit nonempty mask");

static inline uint64_t order_units(unsigned k)
{
	return (uint64_t)1 << k;
}

static inline uint64_t zone_end(const struct buddy_zone *z)
{
	return z->first + z->count;
}

static inline struct buddy_node *node_at(const struct buddy_zone *z, uint64_t i)
{
	return (struct buddy_node *)(z->base + ((uintptr_t)i << z->unit_shift));
}

static inline bool is_free(const struct buddy_zone *z, uint64_t i)
{
	return bit_test(z->free, i);
}

static inline bool is_held(const struct buddy_zone *z, uint64_t i)
{
	return bit_test(z->held, i);
}

/* Whether the block starting at index i is on a free list. */
static inline bool is_listed(const struct buddy_zone *z, uint64_t i)
{
	return is_free(z, i) && !is_held(z, i);
}

/* Read without the zone lock too: a hint for the fast paths. */
static inline bool is_roomy(const struct buddy_zone *z)
{
	return __atomic_load_n(&z->free_units, __ATOMIC_RELAXED) >= z->roomy_units;
}

/* Counters that the fast paths read without the zone lock: written, under
 * it, whole. */
static inline void add_free_units(struct buddy_zone *z, int64_t delta)
{
	__atomic_store_n(&z->free_units, z->free_units + (uint64_t)delta, __ATOMIC_RELAXED);
}

static inline void add_out(struct buddy_zone *z, int64_t delta)
{
	__atomic_store_n(&z->out, z->out + (uint64_t)delta, __ATOMIC_RELAXED);
}

/* The order of the largest aligned block that starts at u and ends by
 * end, at most BUDDY_MAX_ORDER. */
static inline unsigned piece_order(uint64_t u, uint64_t end)
{
	unsigned by_alignment = ctz64(u), by_length = log2_floor(end - u);
	unsigned k = by_alignment < by_length ? by_alignment : by_length;

	return k < BUDDY_MAX_ORDER ? k : BUDDY_MAX_ORDER;
}

/* Puts the block at index i on the list of order k: its node, its start
 * and free bits, the counts. */
void buddy_push(struct buddy_zone *z, uint64_t i, unsigned k);

/* Takes the free block at index i off the list of order k and clears its
 * free bit; its start bit is the caller's. */
void buddy_unlink(struct buddy_zone *z, uint64_t i, unsigned k);

/* Pushes [from, to) as maximal aligned blocks, without merging: for pieces
 * whose buddies are known not to be free (a tail or a leftover of a block
 * that was free as a whole). */
void buddy_push_range(struct buddy_zone *z, uint64_t from, uint64_t to);

/* Frees [from, to), which holds no start bit past from, as aligned
 * blocks, merging. */
void buddy_free_range(struct buddy_zone *z, uint64_t from, uint64_t to);

/* Tight zones give back this many tails or cached blocks per call. */
#define RECLAIM_PER_CALL 4u

/* Frees the block [u, u + 2^k), merging; its start bit may be set or
 * not, and stays set unless it merges into the block before it. */
void buddy_free_block(struct buddy_zone *z, uint64_t u, unsigned k);

/* Caches and deferred tails (buddy_lazy.c). A cache push or pop keeps the
 * block's start bit. A tail is marked by the held bit alone at its first
 * unit t: it runs to the end of the aligned block of the allocation's
 * length rounded up, which is the next start bit. */
uint32_t buddy_cached_orders(const struct buddy_zone *z);	/* all harts' masks */

static inline uint64_t buddy_tail_end(const struct buddy_zone *z, uint64_t t)
{
	return bitmap_index_next(&z->start, t);
}

static inline bool is_start(const struct buddy_zone *z, uint64_t i)
{
	return bitmap_index_test(&z->start, i);
}

/* The calling hart's caches, or NULL for a hart past BUDDY_CACHE_HARTS.
 * A hart runs only once it is counted (lib/harts.h),
 * so its cache is among those that pcp_harts() has every drain lock. */
static inline struct buddy_pcp *own_pcp(struct buddy_zone *z)
{
	unsigned h = hart_index();

	return h < BUDDY_CACHE_HARTS ? &z->pcp[h] : NULL;
}

/* The caches a drain or a sweep must lock: one per started hart. */
static inline unsigned pcp_harts(const struct buddy_zone *z)
{
	unsigned n = hart_count();

	return !z->pcp ? 0 : n < BUDDY_CACHE_HARTS ? n : BUDDY_CACHE_HARTS;
}

/* Every lock of the zone, in the one order (caches, then the zone), for
 * the work that may touch any hart's blocks: tail sweeps, draining every
 * cache, the checker. Returns what to pass to buddy_unlock_all. */
unsigned buddy_lock_all(struct buddy_zone *z);
void buddy_unlock_all(struct buddy_zone *z, unsigned harts);

static inline void buddy_cache_push(struct buddy_zone *z, struct buddy_pcp *p, uint64_t i,
				    unsigned k)
{
	struct buddy_cache *c = &p->cache[k];
	struct buddy_node *n = node_at(z, i);

	n->next = c->top;
	n->order = k;
	n->magic = BUDDY_NODE_MAGIC ^ k;
	c->top = (uint32_t)i;
	c->count++;
	p->cached_mask |= 1u << k;
	bit_set(z->free, i);
}

/* Pops a cached block of order k: its first unit, marked live. */
static inline uint64_t buddy_cache_pop(struct buddy_zone *z, struct buddy_pcp *p, unsigned k)
{
	struct buddy_cache *c = &p->cache[k];
	uint64_t i = c->top;

	c->top = node_at(z, i)->next;
	if (!--c->count)
		p->cached_mask &= ~(1u << k);
	bit_clear(z->free, i);
	bit_clear(z->held, i);
	return z->first + i;
}

/* The first held bit in [from, to), or to: where the deferred tail of an
 * allocation begins. On the fast paths the range is one block of a
 * cached order: a few words. */
static inline uint64_t first_held(const struct buddy_zone *z, uint64_t from, uint64_t to)
{
	uint64_t w = from / BITMAP_WORD_BITS;
	uint64_t bits = from < to ? word_load(&z->held[w]) & (~(uint64_t)0 << (from % BITMAP_WORD_BITS)) : 0;

	while (!bits) {
		if (++w * BITMAP_WORD_BITS >= to)
			return to;
		bits = word_load(&z->held[w]);
	}

	uint64_t t = w * BITMAP_WORD_BITS + (uint64_t)__builtin_ctzll(bits);

	return t < to ? t : to;
}

static inline bool is_tail(const struct buddy_zone *z, uint64_t i)
{
	return is_held(z, i) && !is_free(z, i) && !is_start(z, i);
}

/* A tail is counted where it is made or taken back: in the zone under its
 * lock, in a hart's caches under theirs (buddy_tail_total adds them). */
static inline void buddy_defer_tail(struct buddy_zone *z, uint64_t t, int64_t *count)
{
	bit_set(z->held, t);
	++*count;
}

static inline void buddy_undefer_tail(struct buddy_zone *z, uint64_t t, int64_t *count)
{
	bit_clear(z->held, t);
	--*count;
}

/* The deferred tails, holding every lock. */
static inline int64_t buddy_tail_total(const struct buddy_zone *z)
{
	int64_t tails = z->tails;

	for (unsigned h = 0; h < pcp_harts(z); h++)
		tails += z->pcp[h].tails;
	return tails;
}

/* Frees the top block of cache k of hart cache p to the lists, merging,
 * holding every lock (a hart freeing it again must see it cached or
 * listed, never live). */
void buddy_give_back_cached(struct buddy_zone *z, struct buddy_pcp *p, unsigned k);

/* Gives back up to budget cached blocks, then deferred tails, holding
 * every lock (buddy_lock_all): whether it gave any. */
bool buddy_reclaim(struct buddy_zone *z, unsigned budget);

/* At least the units that the caches and the deferred tails hold, holding
 * every lock: with the listed free units, all that any give-back could
 * make free. */
uint64_t buddy_hidden_units(const struct buddy_zone *z);

/* For a request of n units that found nothing on the lists, holding every
 * lock: a cached block of any hart of order >= want (which is aligned
 * enough), taken whole with the units past n given back; false if there
 * is none. */
bool buddy_take_cached(struct buddy_zone *z, uint64_t n, unsigned want, uint64_t *unit);

/* Gives back the largest block any hart caches, merging, holding every
 * lock: false when nothing is cached. */
bool buddy_give_back_largest(struct buddy_zone *z);

/* Exact placement when no block of the request's order is free, and
 * growth in place (buddy_place.c). */
int buddy_place(struct buddy_zone *z, uint64_t n, unsigned align_order, uint64_t *unit);
int buddy_grow(struct buddy_zone *z, uint64_t unit, uint64_t n, uint64_t new_n);

#endif
