/*
 * The buddy core's paths for when memory runs short (see buddy.h): cached
 * blocks are freed with merging, deferred tails are pushed back as aligned
 * pieces, and as a last resort an allocation is placed exactly in a run
 * of free blocks (buddy_place.c), or, when it must be aligned or is a
 * power of two, at a lower-half block followed by enough free units. None
 * of this runs while the caches and free lists can serve a request.
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

/* Whether [p, end) is covered by free blocks (p a block start). */
static bool free_up_to(const struct buddy_zone *z, uint64_t p, uint64_t end)
{
	for (; p < end; p += block_len(z, p))
		if (!is_free(z, p))
			return false;
	return true;
}

/*
 * An allocation of n units, 2^(K-1) < n < 2^K, placed at a free block b of
 * order K-1 that is the lower half of its buddy pair (so b is aligned to
 * 2^K and P holds) when the units [b + 2^(K-1), b + n) are free too: they
 * are absorbed and the rest of the last absorbed block goes back.
 */
static int alloc_fallback(struct buddy_zone *z, uint64_t n, unsigned align_order,
			  uint64_t *unit)
{
	unsigned k = log2_ceil(n);

	if (k == 0 || k > MAX_ORDER || n == order_units(k) || align_order > k)
		return -E_NOMEM;

	uint64_t half = order_units(k - 1);
	const struct buddy_node *head = &z->lists[k - 1];

	for (struct buddy_node *node = head->next; node != head; node = node->next) {
		uint64_t b = node_unit(z, node);

		if ((b & half) || n > z->count - (b - z->first) || !free_up_to(z, b + half, b + n))
			continue;
		unlink_free(z, node, k - 1);
		bit_clear(z->free, b - z->first);

		buddy_absorb_free(z, b + half, b + n);
		z->live++;
		*unit = b;
		return 0;
	}
	return -E_NOMEM;
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
	if (!align_order && (n & (n - 1)) && n < order_units(MAX_ORDER))
		return buddy_place_anywhere(z, n, unit);
	return alloc_fallback(z, n, align_order, unit);
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
