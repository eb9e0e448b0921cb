/*
 * The buddy core's paths for when memory runs short (see buddy.h): cached
 * blocks are freed with merging, deferred tails are pushed back as aligned
 * pieces, and as a last resort an allocation is placed exactly in a run
 * of free blocks (buddy_place.c). None of this runs while the caches and
 * free lists can serve a request.
 */
#include "lib/errors.h"
#include "mm/buddy_inline.h"

/* Calls fn with the start and end of the tail behind every marker. */
static void for_each_tail(const struct buddy_zone *z,
			  void (*fn)(void *ctx, uint64_t from, uint64_t to), void *ctx)
{
	size_t words = bitmap_words(z->count);

	for (size_t w = 0; w < words && z->deferred; w++) {
		/* markers are held units that start no block */
		uint64_t markers = z->held[w] & ~z->start[w];

		while (markers) {
			uint64_t i = w * BITMAP_WORD_BITS + (uint64_t)__builtin_ctzll(markers);
			uint64_t s = z->first + bit_prev_set(z->start, i);

			markers &= markers - 1;
			fn(ctx, z->first + i, s + block_len(z, s));
		}
	}
}

static void give_back_tail(void *zone, uint64_t from, uint64_t to)
{
	struct buddy_zone *z = zone;

	clear_marker(z, from, to - from);
	buddy_release_range(z, from, to);
}

__attribute__((cold)) void buddy_flush_tails(struct buddy_zone *z)
{
	for_each_tail(z, give_back_tail, z);
}

void buddy_reclaim(struct buddy_zone *z)
{
	buddy_drain(z);
	buddy_flush_tails(z);
}

int buddy_alloc_reclaiming(struct buddy_zone *z, uint64_t n, unsigned align_order,
			   uint64_t *unit)
{
	if (buddy_alloc(z, n, align_order, unit) == 0)
		return 0;
	if (z->cached_units || z->deferred) {
		buddy_reclaim(z);
		if (buddy_alloc(z, n, align_order, unit) == 0)
			return 0;
	}
	/* a power of two fits an aligned block, which reclaiming would have
	 * merged if it were free */
	if ((n & (n - 1)) && n < order_units(MAX_ORDER) && align_order < MAX_ORDER)
		return buddy_place_anywhere(z, n, align_order, unit);
	return -E_NOMEM;
}

static void largest_tail_piece(void *ctx, uint64_t from, uint64_t to)
{
	int *largest = ctx;

	while (to > from) {
		unsigned k = min_order(ctz64(to), log2_floor(to - from));

		if ((int)k > *largest)
			*largest = (int)k;
		to -= order_units(k);
	}
}

int buddy_largest_available_order(const struct buddy_zone *z)
{
	int largest = buddy_largest_order(z);

	for (unsigned k = 0; k < z->cache_orders; k++)
		if (z->cache[k].count)
			largest = (int)k;
	for_each_tail(z, largest_tail_piece, &largest);
	return largest;
}
