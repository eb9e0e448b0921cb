/*
 * Laziness in the buddy core (buddy.h): per-order caches of freed blocks
 * and deferred tails, the two ways a roomy zone skips work that a later
 * call would undo, and their bounded give-back once the zone is tight.
 *
 * A cache is Linux's per-CPU page list for one order: a LIFO stack of
 * whole free blocks (start, free and held bits) that a free pushes instead
 * of merging and an allocation pops instead of splitting. It holds at most
 * BUDDY_CACHE_HIGH blocks; a free past that merges as usual.
 *
 * A deferred tail: while the zone is roomy, a request for n units of a
 * cached order k = ceil(log2 n) keeps its whole block of 2^k units; the
 * units past n stay with it as a block of their own (start and held bits
 * only), so its free gives one whole block back to a cache rather than n
 * units in pieces, and the alloc/free pair of a small block touches no
 * free list.
 *
 * Once the zone is tight (fewer than roomy_units listed free units), no
 * tail is deferred, and each allocation and free gives a few tails or
 * cached blocks back: tails found by a sweep that reads a few words of
 * the held bitmap per call and goes round the zone, like an incremental
 * garbage collector. An allocation that finds nothing gives back a few
 * more before it retries. Nothing is ever given back in one sweep.
 */
#include "mm/buddy_internal.h"

/* Held-bitmap words the tail sweep reads per call: with a reclaim of 4
 * blocks per call, a zone filled from half free to full is swept more
 * than once before it fills (docs/buddy.md). */
#define SWEEP_WORDS 8u

uint64_t buddy_tail_end(const struct buddy_zone *z, uint64_t t)
{
	uint64_t owner = bitmap_index_prev(&z->start, t - 1);

	return owner + order_units(log2_ceil(t - owner));
}

/* Gives the deferred tail at index t back to the lists. Its pieces'
 * buddies lie in the allocation before it, so none of them merges. */
static void give_back_tail(struct buddy_zone *z, uint64_t t)
{
	uint64_t end = buddy_tail_end(z, t);

	buddy_undefer_tail(z, t);
	buddy_push_range(z, z->first + t, z->first + end);
}

/* Reads up to SWEEP_WORDS words of the held bitmap from the sweep's
 * cursor on, giving back up to budget tails: how many it gave back. */
static unsigned sweep_tails(struct buddy_zone *z, unsigned budget)
{
	uint64_t words = bitmap_words(z->count);
	unsigned given = 0;

	for (unsigned w = 0; w < SWEEP_WORDS && given < budget && z->tails; w++) {
		uint64_t tails = z->held[z->sweep] & ~z->free[z->sweep];

		while (tails && given < budget) {
			give_back_tail(z, z->sweep * BITMAP_WORD_BITS + (uint64_t)__builtin_ctzll(tails));
			tails &= tails - 1;
			given++;
		}
		if (!tails && ++z->sweep == words)
			z->sweep = 0;
	}
	return given;
}

/* Frees the top block of the highest non-empty cache, merging. */
static void give_back_cached(struct buddy_zone *z)
{
	unsigned k = log2_floor(z->cached_mask);
	uint64_t u = buddy_cache_pop(z, k);

	bitmap_index_clear(&z->start, u - z->first);
	buddy_free_block(z, u, k);
}

bool buddy_reclaim(struct buddy_zone *z, unsigned budget)
{
	unsigned done = 0;

	for (; done < budget && z->cached_mask; done++)
		give_back_cached(z);
	if (done < budget)
		done += sweep_tails(z, budget - done);
	return done > 0;
}

/* Calls fn for every deferred tail, word by word. */
static void for_each_tail(const struct buddy_zone *z, void (*fn)(const struct buddy_zone *z,
								 uint64_t t, void *ctx), void *ctx)
{
	for (uint64_t w = 0; w < bitmap_words(z->count); w++)
		for (uint64_t tails = z->held[w] & ~z->free[w]; tails; tails &= tails - 1)
			fn(z, w * BITMAP_WORD_BITS + (uint64_t)__builtin_ctzll(tails), ctx);
}

static void give_back_each(const struct buddy_zone *z, uint64_t t, void *ctx)
{
	(void)ctx;
	give_back_tail((struct buddy_zone *)z, t);
}

void buddy_reclaim_all(struct buddy_zone *z)
{
	while (z->cached_mask)
		give_back_cached(z);
	for_each_tail(z, give_back_each, NULL);
}

void buddy_set_cache(struct buddy_zone *z, unsigned orders)
{
	buddy_reclaim_all(z);
	z->cache_orders = orders < BUDDY_CACHE_ORDERS ? orders : BUDDY_CACHE_ORDERS;
}

unsigned buddy_cached_blocks(const struct buddy_zone *z)
{
	unsigned blocks = 0;

	for (unsigned k = 0; k < BUDDY_CACHE_ORDERS; k++)
		blocks += z->cache[k].count;
	return blocks;
}

uint64_t buddy_cached_units(const struct buddy_zone *z)
{
	uint64_t units = 0;

	for (unsigned k = 0; k < BUDDY_CACHE_ORDERS; k++)
		units += (uint64_t)z->cache[k].count << k;
	return units;
}

static void add_tail_units(const struct buddy_zone *z, uint64_t t, void *units)
{
	*(uint64_t *)units += buddy_tail_end(z, t) - t;
}

uint64_t buddy_tail_units(const struct buddy_zone *z)
{
	uint64_t units = 0;

	for_each_tail(z, add_tail_units, &units);
	return units;
}

void buddy_for_each_cached(const struct buddy_zone *z,
			   void (*fn)(void *ctx, uint64_t unit, unsigned order),
			   void *ctx)
{
	for (unsigned k = 0; k < BUDDY_CACHE_ORDERS; k++)
		for (uint32_t i = z->cache[k].top; i != BUDDY_NIL; i = node_at(z, i)->next)
			fn(ctx, z->first + i, k);
}
