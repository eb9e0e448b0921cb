/*
 * Runs of free blocks, for the two requests that a single free block of
 * the right order cannot serve (buddy.h):
 *
 * - Placement: a request of n units, 2^(k-1) < n <= 2^k, when no block of
 *   order k or above is free. A run of free blocks [x, y) long enough may
 *   still hold it: its largest block is then of order k - 1 or k - 2 (a run
 *   of 2^(m+2) units would hold an aligned block of order m + 1). So the
 *   first PLACE_CANDIDATES blocks of those lists are tried; for each, the
 *   run around it is found and the request placed at its first unit with
 *   the requested alignment. TLSF makes the same trade (a good fit found in
 *   bounded time rather than the best fit found by a search).
 * - Growth in place: the free blocks after an allocation are taken into it.
 *
 * Free memory being canonical (maximal aligned blocks), a run has at most
 * two blocks of each order, so walking one takes O(orders) steps.
 */
#include "mm/buddy_internal.h"

/* Runs tried by one placement: 8 lifts the utilisation of the W1
 * workload at its first failure from 0.78 (no placement) to 0.9
 * (docs/buddy.md); more finds little more. */
#define PLACE_CANDIDATES 8u

/* Blocks one placement walks over, in all the runs it tries: a bound on
 * its work whatever the orders. 32 keeps every utilisation of `make
 * bench` (24 costs W1 0.902 -> 0.900) and cuts LB's slowest placement
 * from about 3,200 instructions to about 1,500 (docs/buddy.md, section
 * 3). A walk cut short still ends on free blocks: it finds a shorter run. */
#define PLACE_STEPS 32u

/* Growth in place walks one canonical run: at most two blocks of each
 * order. */
#define GROW_STEPS (2u * BUDDY_ORDERS)

/* The order of the free block at index i. */
static unsigned free_order(const struct buddy_zone *z, uint64_t i)
{
	return node_at(z, i)->order;
}

/* Whether a listed block starts at index i whose node is intact: a write
 * after free into a node ends a run rather than misleading the walk
 * (buddy_check reports it). */
static bool is_listed_intact(const struct buddy_zone *z, uint64_t i)
{
	const struct buddy_node *n = node_at(z, i);

	return is_listed(z, i) && n->order < BUDDY_ORDERS &&
	       n->magic == (BUDDY_NODE_MAGIC ^ n->order);
}

/* The first unit of the run of free blocks that ends with the free block
 * at index i, walking back over at most *steps blocks (less what it
 * walks): blocks tile the zone, so the block before a block starts at
 * the previous start bit. */
static inline uint64_t run_first(const struct buddy_zone *z, uint64_t i, unsigned *steps)
{
	for (; i > 0 && *steps; --*steps) {
		uint64_t p = bitmap_index_prev(&z->start, i - 1);

		if (!is_listed(z, p))
			break;
		i = p;
	}
	return z->first + i;
}

/* The end of the run of free blocks from unit u on, walking no further
 * than limit and over at most *steps blocks (less what it walks). */
static inline uint64_t run_end(const struct buddy_zone *z, uint64_t u, uint64_t limit,
				      unsigned *steps)
{
	for (; u < limit && u < zone_end(z) && *steps && is_listed_intact(z, u - z->first);
	     --*steps)
		u += order_units(free_order(z, u - z->first));
	return u;
}

/* Takes the free blocks from the one that contains unit s up to and
 * including the one that contains unit end - 1 into the allocation that
 * starts at owner <= s, whose start bit becomes set, and gives back what
 * they held outside [s, end). A node that ends up inside the allocation
 * past its first unit is absorbed. */
static void take_blocks(struct buddy_zone *z, uint64_t owner, uint64_t s, uint64_t end)
{
	uint64_t before = z->first + bitmap_index_prev(&z->start, s - z->first);
	uint64_t u = before;

	while (u < end) {
		unsigned k = free_order(z, u - z->first);
		/* the first block's start stays a start when something begins
		   there again: never cleared, as buddy_free_block explains */
		bool stays = u == before && (u < s || u == owner);

		buddy_unlink(z, u - z->first, k);
		if (!stays)
			bitmap_index_clear(&z->start, u - z->first);
		if (u > owner && z->on_absorb)
			z->on_absorb(z, u);
		u += order_units(k);
	}
	bitmap_index_set(&z->start, owner - z->first);
	buddy_push_range(z, before, s);
	buddy_push_range(z, end, u);
}

/* Places n units aligned to 2^align_order in the run around the free
 * block at index i, if they fit in what *steps lets it walk. */
static inline bool place_in_run(struct buddy_zone *z, uint64_t i, uint64_t n,
				unsigned align_order, uint64_t *unit, unsigned *steps)
{
	uint64_t x = run_first(z, i, steps);
	uint64_t mask = order_units(align_order) - 1;
	uint64_t s = (x + mask) & ~mask;

	if (s < x || run_end(z, z->first + i, s + n, steps) < s + n)
		return false;
	take_blocks(z, s, s, s + n);
	*unit = s;
	return true;
}

int buddy_place(struct buddy_zone *z, uint64_t n, unsigned align_order, uint64_t *unit)
{
	unsigned k = log2_ceil(n);
	unsigned want = k > align_order ? k : align_order;
	unsigned lowest = k >= 2 ? k - 2 : 0;
	unsigned tries = PLACE_CANDIDATES, steps = PLACE_STEPS;

	for (unsigned m = want; m-- > lowest && tries && steps;) {
		for (uint32_t i = z->head[m]; i != BUDDY_NIL && tries && steps; tries--) {
			if (place_in_run(z, i, n, align_order, unit, &steps))
				return 0;
			i = node_at(z, i)->next;
		}
	}
	return -E_NOMEM;
}

int buddy_grow(struct buddy_zone *z, uint64_t unit, uint64_t n, uint64_t new_n)
{
	uint64_t end = unit + new_n;
	unsigned steps = GROW_STEPS;

	if (new_n > z->count || end > zone_end(z) || run_end(z, unit + n, end, &steps) < end)
		return -E_NOMEM;
	take_blocks(z, unit, unit + n, end);
	return 0;
}
