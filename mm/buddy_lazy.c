/*
 * Laziness in the buddy core (buddy.h): each hart's per-order caches of
 * freed blocks and the deferred tails, the two ways a roomy zone skips
 * work that a later call would undo, and their bounded give-back once the
 * zone is tight.
 *
 * A cache is Linux's per-CPU page list for one order: a LIFO stack of
 * whole free blocks (start, free and held bits) that a hart's free pushes
 * instead of merging and its allocation pops instead of splitting, under
 * that hart's own lock. It holds at most BUDDY_CACHE_HIGH blocks; a free
 * past that merges as usual.
 *
 * A deferred tail: while the zone is roomy, a request for n units of a
 * cached order k = ceil(log2 n) keeps its whole block of 2^k units; the
 * units past n stay with it, marked by one held bit where they begin, so
 * its free gives one whole block back to a cache rather than n units in
 * pieces, and the alloc/free pair of a small block touches no free list
 * and no start bit.
 *
 * Once the zone is tight (fewer than roomy_units listed free units), no
 * tail is deferred, and each allocation and free gives a few tails or
 * cached blocks back: tails found by a sweep that reads a few words of
 * the held bitmap per call and goes round the zone, like an incremental
 * garbage collector. An allocation that finds nothing gives back every
 * cached block and a few tails before it retries. The give-back holds
 * every lock of the zone: a tail's owner may be freeing it on another
 * hart, holding only its own cache's lock.
 */
#include "mm/buddy_internal.h"

/* Held-bitmap words the tail sweep reads per call: with a reclaim of 4
 * blocks per call, a zone filled from half free to full is swept more
 * than once before it fills (docs/buddy.md). */
#define SWEEP_WORDS 8u

unsigned buddy_lock_all(struct buddy_zone *z)
{
	unsigned harts = pcp_harts(z);

	for (unsigned h = 0; h < harts; h++)
		spin_lock(&z->pcp[h].lock);
	spin_lock(&z->lock);
	return harts;
}

void buddy_unlock_all(struct buddy_zone *z, unsigned harts)
{
	spin_unlock(&z->lock);
	while (harts--)
		spin_unlock(&z->pcp[harts].lock);
}

/* The tails among the held bits of word w: held, neither free nor a
 * block start (a start with only its held bit is being freed). */
static uint64_t tails_in_word(const struct buddy_zone *z, uint64_t w)
{
	return word_load(&z->held[w]) & ~word_load(&z->free[w]) &
	       ~word_load(&z->start.level[0][w]);
}

/* Gives the deferred tail at index t back to the lists. Its pieces'
 * buddies lie in the allocation before it, so none of them merges. */
static void give_back_tail(struct buddy_zone *z, uint64_t t)
{
	uint64_t end = buddy_tail_end(z, t);

	buddy_undefer_tail(z, t, &z->tails);
	buddy_push_range(z, z->first + t, z->first + end);
}

/* Reads up to SWEEP_WORDS words of the held bitmap from the sweep's
 * cursor on, giving back up to budget tails: how many it gave back. */
static unsigned sweep_tails(struct buddy_zone *z, unsigned budget)
{
	uint64_t words = bitmap_words(z->count);
	unsigned given = 0;

	if (buddy_tail_total(z) == 0)
		return 0;
	for (unsigned w = 0; w < SWEEP_WORDS && given < budget; w++) {
		uint64_t tails = tails_in_word(z, z->sweep);

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

void buddy_give_back_cached(struct buddy_zone *z, struct buddy_pcp *p, unsigned k)
{
	buddy_free_block(z, buddy_cache_pop(z, p, k), k);
	add_out(z, -1);
}

/* Frees the top block of a hart's highest non-empty cache, merging. */
static void give_back_cached(struct buddy_zone *z, struct buddy_pcp *p)
{
	buddy_give_back_cached(z, p, log2_floor(p->cached_mask));
}

bool buddy_reclaim(struct buddy_zone *z, unsigned budget)
{
	unsigned done = 0;

	for (unsigned h = 0; h < pcp_harts(z); h++)
		for (; done < budget && z->pcp[h].cached_mask; done++)
			give_back_cached(z, &z->pcp[h]);
	if (done < budget)
		done += sweep_tails(z, budget - done);
	return done > 0;
}

uint64_t buddy_hidden_units(const struct buddy_zone *z)
{
	uint64_t units = 0;
	unsigned harts = pcp_harts(z), tail_order = z->cache_orders ? z->cache_orders - 1 : 0;

	for (unsigned h = 0; h < harts; h++)
		for (uint32_t m = z->pcp[h].cached_mask; m; m &= m - 1) {
			unsigned k = (unsigned)__builtin_ctz(m);

			units += (uint64_t)z->pcp[h].cache[k].count << k;
		}
	/* a tail lies in a block of a cached order, past at least one unit */
	return units + ((uint64_t)buddy_tail_total(z) << tail_order);
}

bool buddy_take_cached(struct buddy_zone *z, uint64_t n, unsigned want, uint64_t *unit)
{
	unsigned harts = pcp_harts(z);

	if (want >= BUDDY_CACHE_ORDERS)
		return false;
	for (unsigned h = 0; h < harts; h++) {
		struct buddy_pcp *p = &z->pcp[h];
		uint32_t fit = p->cached_mask >> want;

		if (fit) {
			unsigned k = want + (unsigned)__builtin_ctz(fit);
			uint64_t u = buddy_cache_pop(z, p, k);

			buddy_push_range(z, u + n, u + order_units(k));
			*unit = u;
			return true;
		}
	}
	return false;
}

bool buddy_give_back_largest(struct buddy_zone *z)
{
	struct buddy_pcp *largest = NULL;
	unsigned harts = pcp_harts(z);

	for (unsigned h = 0; h < harts; h++)
		if (z->pcp[h].cached_mask &&
		    (!largest || z->pcp[h].cached_mask > largest->cached_mask))
			largest = &z->pcp[h];
	if (largest)
		give_back_cached(z, largest);
	return largest != NULL;
}

/* Calls fn for every deferred tail, word by word. */
static void for_each_tail(const struct buddy_zone *z, void (*fn)(const struct buddy_zone *z,
								 uint64_t t, void *ctx), void *ctx)
{
	for (uint64_t w = 0; w < bitmap_words(z->count); w++)
		for (uint64_t tails = tails_in_word(z, w); tails; tails &= tails - 1)
			fn(z, w * BITMAP_WORD_BITS + (uint64_t)__builtin_ctzll(tails), ctx);
}

static void give_back_each(const struct buddy_zone *z, uint64_t t, void *ctx)
{
	(void)ctx;
	give_back_tail((struct buddy_zone *)z, t);
}

void buddy_reclaim_all(struct buddy_zone *z)
{
	unsigned harts = buddy_lock_all(z);

	for (unsigned h = 0; h < harts; h++)
		while (z->pcp[h].cached_mask)
			give_back_cached(z, &z->pcp[h]);
	for_each_tail(z, give_back_each, NULL);
	buddy_unlock_all(z, harts);
}

void buddy_set_cache(struct buddy_zone *z, unsigned orders)
{
	buddy_reclaim_all(z);
	z->cache_orders = orders < BUDDY_CACHE_ORDERS ? orders : BUDDY_CACHE_ORDERS;
}

/* Statistics lock each cache while they read it: the locks are not part
 * of what a const zone promises to leave alone. */
static struct buddy_pcp *pcp_locked(const struct buddy_zone *z, unsigned h)
{
	struct buddy_pcp *p = &((struct buddy_zone *)z)->pcp[h];

	spin_lock(&p->lock);
	return p;
}

unsigned buddy_cached_count(const struct buddy_zone *z, unsigned k)
{
	unsigned blocks = 0;

	for (unsigned h = 0; h < pcp_harts(z); h++) {
		struct buddy_pcp *p = pcp_locked(z, h);

		blocks += p->cache[k].count;
		spin_unlock(&p->lock);
	}
	return blocks;
}

uint64_t buddy_cached_units(const struct buddy_zone *z)
{
	uint64_t units = 0;

	for (unsigned k = 0; k < BUDDY_CACHE_ORDERS; k++)
		units += (uint64_t)buddy_cached_count(z, k) << k;
	return units;
}

uint32_t buddy_cached_orders(const struct buddy_zone *z)
{
	uint32_t mask = 0;

	for (unsigned h = 0; h < pcp_harts(z); h++) {
		struct buddy_pcp *p = pcp_locked(z, h);

		mask |= p->cached_mask;
		spin_unlock(&p->lock);
	}
	return mask;
}

static void add_tail_units(const struct buddy_zone *z, uint64_t t, void *units)
{
	*(uint64_t *)units += buddy_tail_end(z, t) - t;
}

static void count_tail(const struct buddy_zone *z, uint64_t t, void *tails)
{
	(void)z;
	(void)t;
	++*(uint64_t *)tails;
}

uint64_t buddy_tail_units(const struct buddy_zone *z)
{
	uint64_t units = 0;

	for_each_tail(z, add_tail_units, &units);
	return units;
}

uint64_t buddy_tail_count(const struct buddy_zone *z)
{
	uint64_t tails = 0;

	for_each_tail(z, count_tail, &tails);
	return tails;
}

void buddy_for_each_cached(const struct buddy_zone *z,
			   void (*fn)(void *ctx, uint64_t unit, unsigned order),
			   void *ctx)
{
	for (unsigned h = 0; h < pcp_harts(z); h++) {
		struct buddy_pcp *p = pcp_locked(z, h);

		for (unsigned k = 0; k < BUDDY_CACHE_ORDERS; k++)
			for (uint32_t i = p->cache[k].top; i != BUDDY_NIL; i = node_at(z, i)->next)
				fn(ctx, z->first + i, k);
		spin_unlock(&p->lock);
	}
}
