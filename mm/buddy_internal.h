/*
 * Helpers of the buddy core shared by buddy.c (the textbook algorithm and
 * the one alloc and free path), buddy_lazy.c (caches and deferred tails),
 * buddy_place.c (runs of free blocks: placement and growth in place) and
 * buddy_check.c (the invariant walker). Not for use outside the core.
 *
 * Block arithmetic is on absolute units (u), so blocks are aligned in
 * memory; bitmaps and nodes are reached by zone-relative index
 * (i = u - first).
 */
#ifndef MM_BUDDY_INTERNAL_H
#define MM_BUDDY_INTERNAL_H

#include "lib/errors.h"
#include "mm/buddy.h"

_Static_assert(sizeof(struct buddy_node) <= 16,
	       "a free-list node must fit in one 16-byte heap granule");
/* A cache holds at most this many blocks (Linux's pcp "high"): 16 keeps
 * the W1 workload's cache misses near 6% (docs/buddy.md). */
#define BUDDY_CACHE_HIGH 16u

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

static inline bool is_roomy(const struct buddy_zone *z)
{
	return z->free_units >= z->roomy_units;
}

/* The order of the largest aligned block that starts at u and ends by end. */
static inline unsigned piece_order(uint64_t u, uint64_t end)
{
	unsigned by_alignment = ctz64(u), by_length = log2_floor(end - u);

	return by_alignment < by_length ? by_alignment : by_length;
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

/* Frees the block [u, u + 2^k), whose start bit is clear, merging. */
void buddy_free_block(struct buddy_zone *z, uint64_t u, unsigned k);

/* Caches and deferred tails (buddy_lazy.c). A cache push or pop keeps the
 * block's start bit. A tail is the block at index t, its start and held
 * bits set, that ends the allocation before it; it runs to the end of the
 * aligned block of the allocation's length rounded up (buddy_tail_end). */
uint64_t buddy_tail_end(const struct buddy_zone *z, uint64_t t);
unsigned buddy_cached_blocks(const struct buddy_zone *z);

static inline bool is_tail(const struct buddy_zone *z, uint64_t i)
{
	return is_held(z, i) && !is_free(z, i);
}

static inline void buddy_cache_push(struct buddy_zone *z, uint64_t i, unsigned k)
{
	struct buddy_cache *c = &z->cache[k];
	struct buddy_node *n = node_at(z, i);

	n->next = c->top;
	n->order = k;
	n->magic = BUDDY_NODE_MAGIC ^ k;
	c->top = (uint32_t)i;
	c->count++;
	z->cached_mask |= 1u << k;
	bit_set(z->free, i);
	bit_set(z->held, i);
}

static inline uint64_t buddy_cache_pop(struct buddy_zone *z, unsigned k)
{
	struct buddy_cache *c = &z->cache[k];
	uint64_t i = c->top;

	c->top = node_at(z, i)->next;
	if (!--c->count)
		z->cached_mask &= ~(1u << k);
	bit_clear(z->free, i);
	bit_clear(z->held, i);
	return z->first + i;
}

static inline void buddy_defer_tail(struct buddy_zone *z, uint64_t t)
{
	z->tails++;
	bit_set(z->held, t);
	bitmap_index_set(&z->start, t);
}

static inline void buddy_undefer_tail(struct buddy_zone *z, uint64_t t)
{
	z->tails--;
	bit_clear(z->held, t);
	bitmap_index_clear(&z->start, t);
}


/* Gives back up to budget cached blocks, then deferred tails: whether it
 * gave any. */
bool buddy_reclaim(struct buddy_zone *z, unsigned budget);

/* Exact placement when no block of the request's order is free, and
 * growth in place (buddy_place.c). */
int buddy_place(struct buddy_zone *z, uint64_t n, unsigned align_order, uint64_t *unit);
int buddy_grow(struct buddy_zone *z, uint64_t unit, uint64_t n, uint64_t new_n);

#endif
