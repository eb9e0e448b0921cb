/*
 * Exact placement in tight zones: an allocation of n units, n not a power
 * of two, goes to the start of a run of free blocks that is long enough,
 * crossing their boundaries if need be (a straddler, see buddy.h), the way
 * TLSF places blocks. The pieces earlier allocations left over are filled
 * this way instead of new blocks being split, which is what lets requested
 * bytes fill most of a heap. buddy_place_fit, used by buddy_list_take once
 * a zone is tight, tries a few blocks just below the request's order and
 * then the smallest block that holds it; buddy_place_anywhere, the last
 * resort of buddy_alloc_reclaiming, tries every listed block, for aligned
 * requests too.
 */
#include "lib/errors.h"
#include "mm/buddy_inline.h"

#define FIT_ORDERS 3u	/* orders below the request's whose runs are tried */
#define FIT_TRIES 8u	/* blocks tried per such order */

/* First unit of the run of free blocks that ends with the free block b. */
static uint64_t run_start(const struct buddy_zone *z, uint64_t b)
{
	while (b > z->first) {
		uint64_t p = z->first + bit_prev_set(z->start, b - z->first);

		if (!is_free(z, p))
			break;
		b = p;
	}
	return b;
}

/* End of the run of free blocks from the block boundary e on, followed no
 * further than want. */
static uint64_t run_end(const struct buddy_zone *z, uint64_t e, uint64_t want)
{
	const uint64_t end = z->first + z->count;

	while (e < want && e < end && is_free(z, e))
		e += block_len(z, e);
	return e;
}

/* Whether n units fit in the run holding the free block b of order j from
 * its first unit aligned to 2^align_order: true with that unit in *r. It
 * is a block start: a free block that held it inside would be aligned
 * beyond 2^align_order and begin before it, so before the run. */
static bool run_fits(const struct buddy_zone *z, uint64_t b, unsigned j, uint64_t n,
		     unsigned align_order, uint64_t *r)
{
	uint64_t mask = order_units(align_order) - 1;
	uint64_t from = (run_start(z, b) + mask) & ~mask;

	if (run_end(z, b + order_units(j), from + n) < from + n)
		return false;
	*r = from;
	return true;
}

/* Takes the n units from r, which are covered by free blocks beginning at
 * r, as a live allocation; returns 0. */
static int place_at(struct buddy_zone *z, uint64_t r, uint64_t n, uint64_t *unit)
{
	buddy_absorb_free(z, r, r + n);
	bit_set(z->start, r - z->first);
	z->live++;
	if (straddles(r, n)) {
		z->straddlers++;
		z->slow_merges = true;
	}
	*unit = r;
	return 0;
}

/* Tries the first tries blocks of the list of order j. */
static bool fit_in_list(const struct buddy_zone *z, unsigned j, uint64_t n,
			unsigned align_order, uint64_t tries, uint64_t *r)
{
	const struct buddy_node *head = &z->lists[j];

	for (const struct buddy_node *node = head->next; node != head && tries; node = node->next) {
		if (run_fits(z, node_unit(z, node), j, n, align_order, r))
			return true;
		tries--;
	}
	return false;
}

int buddy_place_fit(struct buddy_zone *z, uint64_t n, uint64_t *unit)
{
	const unsigned k = log2_ceil(n);
	uint64_t r, usable = z->nonempty >> k;

	for (unsigned j = k; j-- > 0 && j + FIT_ORDERS >= k; )
		if (fit_in_list(z, j, n, 0, FIT_TRIES, &r))
			return place_at(z, r, n, unit);
	if (!usable)
		return -E_NOMEM;

	unsigned j = k + (unsigned)__builtin_ctzll(usable);

	/* the smallest block that holds n, packed against the free run
	 * before it */
	return place_at(z, run_start(z, node_unit(z, z->lists[j].next)), n, unit);
}

int buddy_place_anywhere(struct buddy_zone *z, uint64_t n, unsigned align_order,
			 uint64_t *unit)
{
	uint64_t r;

	for (unsigned j = BUDDY_ORDERS; j-- > 0; )
		if (fit_in_list(z, j, n, align_order, UINT64_MAX, &r))
			return place_at(z, r, n, unit);
	return -E_NOMEM;
}
