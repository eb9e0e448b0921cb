/*
 * Helpers of the buddy core shared by buddy.c (the allocator),
 * buddy_reclaim.c (giving caches and tails back, fallback placement) and
 * buddy_check.c (the invariant walker). Not for use outside the core.
 */
#ifndef MM_BUDDY_INTERNAL_H
#define MM_BUDDY_INTERNAL_H

#include "mm/bitmap.h"
#include "mm/buddy.h"

#define MAX_ORDER (BUDDY_ORDERS - 1)

/* Tails are deferred only while the zone is roomy: it has a free block of
 * at least 1/2^BUDDY_ROOMY_SHIFT of its size (order roomy_order). Near
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

static inline struct buddy_node *node_at(const struct buddy_zone *z, uint64_t unit)
{
	return (struct buddy_node *)buddy_unit_addr(z, unit);
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

/* Whether a free block of order exactly k begins at the zone-relative unit
 * i; the block must lie inside the zone. Exact under invariant P (see
 * buddy.h). Takes the bitmaps, not the zone, so hot loops keep them in
 * registers. */
static inline bool free_block_at(const uint64_t *start, const uint64_t *free,
				 uint64_t i, unsigned k)
{
	uint64_t w = i / BITMAP_WORD_BITS;

	return ((start[w] & free[w]) >> (i % BITMAP_WORD_BITS) & 1) &&
	       (k == 0 || !bit_test(start, i + order_units(k - 1)));
}

static inline bool is_free_block(const struct buddy_zone *z, uint64_t b, unsigned k)
{
	return free_block_at(z->start, z->free, b - z->first, k);
}

/* Length in units of the block (free or allocated) beginning at unit: the
 * distance to the next block start, at most 2^ctz(unit) by invariant P. */
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

/* Puts the free block [unit, unit + 2^k) on its list and marks it. */
static inline void push_free(struct buddy_zone *z, uint64_t unit, unsigned k)
{
	struct buddy_node *head = &z->lists[k];
	struct buddy_node *n = node_at(z, unit);
	struct buddy_node *next = head->next;

	bit_set(z->start, unit - z->first);
	bit_set(z->free, unit - z->first);
	z->nonempty |= order_units(k);
	n->next = next;
	n->prev = head;
	next->prev = n;
	head->next = n;
}

static inline void unlink_free(struct buddy_zone *z, struct buddy_node *n, unsigned k)
{
	struct buddy_node *head = &z->lists[k];

	n->prev->next = n->next;
	n->next->prev = n->prev;
	z->nonempty &= ~((uint64_t)(head->next == head) << k);
}

/* The unit is no longer a block start (it became interior). */
static inline void clear_marks(struct buddy_zone *z, uint64_t unit)
{
	bit_clear(z->start, unit - z->first);
	bit_clear(z->free, unit - z->first);
}

/* Mutators shared by buddy.c and buddy_reclaim.c (defined in buddy.c). */
void buddy_release_range(struct buddy_zone *z, uint64_t from, uint64_t to);
void buddy_push_tail(struct buddy_zone *z, uint64_t p, uint64_t end);
void buddy_drain(struct buddy_zone *z);

/* Takes the free blocks covering [p, target) (p a free block start) into
 * the allocation before them and gives back what lies past target. */
void buddy_absorb_free(struct buddy_zone *z, uint64_t p, uint64_t target);

/* Gives every deferred tail back (buddy_reclaim.c). */
void buddy_flush_tails(struct buddy_zone *z);

#endif
