/*
 * Helpers of the buddy core shared by buddy.c (the allocator),
 * buddy_reclaim.c (giving caches and tails back),
 * buddy_place.c (exact placement in runs of free blocks) and buddy_check.c
 * (the invariant walker). Not for use outside the core.
 */
#ifndef MM_BUDDY_INTERNAL_H
#define MM_BUDDY_INTERNAL_H

#include "mm/bitmap.h"
#include "mm/buddy.h"

#define MAX_ORDER (BUDDY_ORDERS - 1)

/* Tails are deferred only while the zone is roomy: it has a free block of
 * at least 1/2^BUDDY_ROOMY_SHIFT of its size (see roomy_lists). Near
 * full, deferred tails would make small requests split the last large
 * blocks, so then tails are given back at once, and the deferred ones are
 * flushed once they add up to 1/2^BUDDY_FLUSH_SHIFT of the zone (so the
 * bitmap scan of a flush is paid for by many allocations). */
#ifndef BUDDY_ROOMY_SHIFT
#define BUDDY_ROOMY_SHIFT 1u
#endif
#ifndef BUDDY_FLUSH_SHIFT
#define BUDDY_FLUSH_SHIFT 4u
#endif

/* A cache refill takes up to 2^BUDDY_REFILL_SHIFT blocks (see buddy.h). */
#ifndef BUDDY_REFILL_SHIFT
#define BUDDY_REFILL_SHIFT 6u
#endif

_Static_assert(BUDDY_ORDERS <= 64, "orders must fit the 64-bit nonempty mask");
_Static_assert(sizeof(struct buddy_node) <= 16,
	       "a free-list node must fit in one 16-byte heap granule");

static inline uint64_t order_units(unsigned k)
{
	return (uint64_t)1 << k;
}

static inline unsigned min_order(unsigned a, unsigned b)
{
	return a < b ? a : b;
}

/* The node of the free block at unit, for units of 2^shift bytes (the hot
 * paths pass the shift as a constant). */
static inline struct buddy_node *node_of(uint64_t unit, unsigned shift)
{
	return (struct buddy_node *)(uintptr_t)(unit << shift);
}

static inline struct buddy_node *node_at(const struct buddy_zone *z, uint64_t unit)
{
	return node_of(unit, z->unit_shift);
}

static inline uint64_t node_unit(const struct buddy_zone *z, const struct buddy_node *n)
{
	return (uintptr_t)n >> z->unit_shift;
}

static inline bool is_start(const struct buddy_zone *z, uint64_t unit)
{
	return bit_test(z->start, unit - z->first);
}

static inline bool is_free(const struct buddy_zone *z, uint64_t unit)
{
	return bit_test(z->free, unit - z->first);
}

static inline bool is_held(const struct buddy_zone *z, uint64_t unit)
{
	return bit_test(z->held, unit - z->first);
}

/* Whether an allocation of len units at s straddles: it is longer than
 * the alignment of s allows under invariant P. */
static inline bool straddles(uint64_t s, uint64_t len)
{
	return len > order_units(min_order(ctz64(s), MAX_ORDER));
}

/* Whether a free block b of order at most k, which b's start and free bits
 * show, is of order k exactly, for the zone-relative b = i. A free block of
 * order m < k would be followed by a block start at i + 2^m, so exactly
 * when there is no start bit at any of those; under invariant P (exact
 * false) a start at the middle, i + 2^(k-1), is the only one possible. */
static inline bool is_whole_free(const uint64_t *start, uint64_t i, unsigned k, bool exact)
{
	if (k == 0)
		return true;
	if (bit_test(start, i + order_units(k - 1)))
		return false;
	for (unsigned m = 0; exact && m + 1 < k; m++)
		if (bit_test(start, i + order_units(m)))
			return false;
	return true;
}

/* Whether a free block of order exactly k begins at unit b, where no free
 * block of a higher order can begin (b is a buddy of a block of order k);
 * the block must lie inside the zone. */
static inline bool is_free_block(const struct buddy_zone *z, uint64_t b, unsigned k)
{
	uint64_t i = b - z->first;

	return bit_test(z->start, i) && bit_test(z->free, i) &&
	       is_whole_free(z->start, i, k, z->straddlers != 0);
}

/* Length in units of the block (free, cached or allocated) beginning at
 * unit: the distance to the next block start, at most 2^ctz(unit) by
 * invariant P. Wrong for a straddler, which P does not bound: its length
 * is what buddy_live_* finds. */
static inline uint64_t block_len(const struct buddy_zone *z, uint64_t unit)
{
	uint64_t i = unit - z->first;
	uint64_t limit = z->count;
	unsigned align = min_order(ctz64(unit), MAX_ORDER);

	if (order_units(align) < limit - i)
		limit = i + order_units(align);
	if (i + 1 == limit)
		return 1;
	return bit_next_set(z->start, i + 1, limit) - i;
}

/* Puts the free block at the zone-relative unit i, whose node is n, on the
 * list of order k and marks it. Takes the bitmaps so that loops load them
 * once: a store into a bitmap or a node may alias the zone, so the
 * compiler would load the zone's fields again after each one. The node
 * stores are interleaved with the bitmap updates so that compilers emit
 * them as plain stores rather than pack the two node words into a vector
 * register first (which costs more instructions than it saves). */
static inline void push_free_at(struct buddy_zone *z, uint64_t *start, uint64_t *free,
				uint64_t i, struct buddy_node *n, unsigned k)
{
	struct buddy_node *head = &z->lists[k];
	struct buddy_node *next = head->next;
	uint64_t w = i / BITMAP_WORD_BITS, bit = (uint64_t)1 << (i % BITMAP_WORD_BITS);

	n->next = next;
	start[w] |= bit;
	n->prev = head;
	free[w] |= bit;
	next->prev = n;
	head->next = n;
	z->nonempty |= order_units(k);
}

/* Puts the free block [unit, unit + 2^k) on its list and marks it. */
static inline void push_free(struct buddy_zone *z, uint64_t unit, unsigned k)
{
	push_free_at(z, z->start, z->free, unit - z->first, node_at(z, unit), k);
}

/* Takes n off the list of order k; the list is empty after it when both
 * neighbours were the same node (the head). */
static inline void unlink_free(struct buddy_zone *z, struct buddy_node *n, unsigned k)
{
	struct buddy_node *prev = n->prev, *next = n->next;

	prev->next = next;
	next->prev = prev;
	if (prev == next)
		z->nonempty &= ~order_units(k);
}

/* The unit is no longer a block start (it became interior). */
static inline void clear_marks(struct buddy_zone *z, uint64_t unit)
{
	bit_clear(z->start, unit - z->first);
	bit_clear(z->free, unit - z->first);
}

/* Mutators shared by buddy.c, buddy_inline.h and buddy_reclaim.c, defined
 * in buddy.c and kept out of line (the hot paths rarely need them):
 * freeing [from, to) as aligned pieces, freeing a block with merging in a
 * zone with an on_absorb callback or straddlers (slow_merges), freeing an
 * allocation in such a zone, freeing every cached block, and putting
 * a zone with no live allocation back to its initial state. */
void buddy_release_range(struct buddy_zone *z, uint64_t from, uint64_t to);
void buddy_merge_slow(struct buddy_zone *z, uint64_t b, unsigned k);
void buddy_give_slow(struct buddy_zone *z, uint64_t s, uint64_t len);
void buddy_drain(struct buddy_zone *z);
void buddy_settle_empty(struct buddy_zone *z);

/* Splits the block [s, s + 2^j), just taken off the lists, for a request
 * of the cached order k < j, refilling the cache of order k from it. */
void buddy_split_refill(struct buddy_zone *z, uint64_t s, unsigned k, unsigned j);

/* Takes the free blocks covering [p, target) (p a free block start) into
 * an allocation (the one before them, or one that begins at p) and gives
 * back what lies past target. */
void buddy_absorb_free(struct buddy_zone *z, uint64_t p, uint64_t target);

/* Gives every deferred tail back (buddy_reclaim.c). */
void buddy_flush_tails(struct buddy_zone *z);

/* Exact placements of n units (not a power of two) at the start of a run
 * of free blocks (buddy_place.c): in a tight zone the best of a few runs
 * near the request's order, and, when all else failed, any run long
 * enough from its first unit aligned to 2^align_order. 0 and *unit, or
 * -E_NOMEM. */
int buddy_place_fit(struct buddy_zone *z, uint64_t n, uint64_t *unit);
int buddy_place_anywhere(struct buddy_zone *z, uint64_t n, unsigned align_order,
			 uint64_t *unit);

#endif
