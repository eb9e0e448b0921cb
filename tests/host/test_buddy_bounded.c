/*
 * Unit tests of the buddy core's bounded slow paths (docs/buddy.md,
 * sections 3 and 6), on 16-byte units over an aligned host arena:
 *
 * - a request larger than all the free memory there is (listed, cached,
 *   in deferred tails) fails at once and changes nothing;
 * - a request the lists cannot serve gives cached blocks back only until
 *   one merges into a block that serves it: the others stay cached;
 * - a request that needs every cached block back still succeeds;
 * - a free of an exact allocation goes back as one block when the rest of
 *   its rounded-up block is free, and in pieces when it is not;
 * - no block is larger than BUDDY_MAX_ORDER: a larger zone is carved into
 *   blocks of that order, which never merge, and a request longer than
 *   one is placed over a run of them.
 *
 * Outcomes are read through the public statistics (buddy.h) and checked
 * with buddy_check after every call.
 */
#include <stdlib.h>
#include <string.h>

#include "lib/errors.h"
#include "mm/buddy.h"
#include "mm/buddy_internal.h"
#include "tests/host/support/mm_arena.h"
#include "tests/host/support/mm_require.h"
#include "tests/host/tap.h"

#define UNIT_SHIFT 4u
#define ZONE_UNITS 1024u
#define CACHE_ORDERS 4u		/* blocks of 1..8 units are cached */
#define SMALL 8u		/* units of the blocks the tests cache */
#define BLOCKS (ZONE_UNITS / SMALL)
#define MAX_FREE_BLOCKS 256u

struct fixture {
	struct buddy_zone zone;
	void *arena;
	uint64_t *meta;
};

static struct fixture fx;

/* A fresh zone of ZONE_UNITS units at the start of an aligned arena. */
static struct buddy_zone *fresh_zone(void)
{
	if (!fx.arena)
		fx.arena = aligned_alloc(ZONE_UNITS << UNIT_SHIFT, ZONE_UNITS << UNIT_SHIFT);
	free(fx.meta);
	fx.meta = malloc(buddy_metadata_bytes(ZONE_UNITS));
	buddy_init(&fx.zone, (uintptr_t)fx.arena >> UNIT_SHIFT, ZONE_UNITS, UNIT_SHIFT, fx.meta);
	buddy_set_cache(&fx.zone, CACHE_ORDERS);
	return &fx.zone;
}

static bool zone_ok(const struct buddy_zone *z)
{
	uint64_t free_units, used_units;
	const char *why = NULL;
	uintptr_t where = 0;

	int err = buddy_check(z, &free_units, &used_units, &why, &where);

	return mm_check_report(err, why, where) == 0;	/* why and where filled first */
}

/* Zone-relative unit of a new allocation, or UINT64_MAX. */
static uint64_t take(struct buddy_zone *z, uint64_t n, unsigned align_order)
{
	uint64_t u;
	int err = buddy_alloc(z, n, align_order, &u);

	TAP_CHECK(zone_ok(z));
	return err ? UINT64_MAX : u - z->first;
}

static void give(struct buddy_zone *z, uint64_t r)
{
	uint64_t n;

	TAP_CHECK_EQ(buddy_free(z, z->first + r, &n), 0);
	TAP_CHECK(zone_ok(z));
}

/* What a failure must leave as it was: every listed and cached block,
 * the tails, the counts. */
struct snapshot {
	uint64_t listed[MAX_FREE_BLOCKS][2], cached[MAX_FREE_BLOCKS][2];
	unsigned nlisted, ncached;
	uint64_t tail_units, tail_count, free_units, out;
};

static void note_listed(void *ctx, uint64_t unit, unsigned order)
{
	struct snapshot *s = ctx;

	if (s->nlisted < MAX_FREE_BLOCKS) {
		s->listed[s->nlisted][0] = unit;
		s->listed[s->nlisted++][1] = order;
	}
}

static void note_cached(void *ctx, uint64_t unit, unsigned order)
{
	struct snapshot *s = ctx;

	if (s->ncached < MAX_FREE_BLOCKS) {
		s->cached[s->ncached][0] = unit;
		s->cached[s->ncached++][1] = order;
	}
}

static void take_snapshot(const struct buddy_zone *z, struct snapshot *s)
{
	memset(s, 0, sizeof(*s));
	buddy_for_each_free(z, note_listed, s);
	buddy_for_each_cached(z, note_cached, s);
	s->tail_units = buddy_tail_units(z);
	s->tail_count = buddy_tail_count(z);
	s->free_units = z->free_units;
	s->out = z->out;
}

/* Fills the zone with SMALL-unit blocks, frees every other one (the
 * zone is roomy again at the last), then frees the blocks right after
 * the first `cached` of those: roomy, they go to the cache unmerged, and
 * each would merge with the free block before it into one of 2 * SMALL.
 * Returns the number of blocks. */
static unsigned holes_and_cached(struct buddy_zone *z, uint64_t *block, unsigned cached)
{
	unsigned n = 0;

	while (n < BLOCKS && (block[n] = take(z, SMALL, 0)) != UINT64_MAX)
		n++;
	TAP_CHECK_EQ(n, BLOCKS);
	for (unsigned i = 0; i < n; i += 2)
		give(z, block[i]);
	TAP_CHECK(is_roomy(z));
	for (unsigned i = 0; i < cached; i++)
		give(z, block[2 * i + 1]);
	TAP_CHECK_EQ(buddy_cached_units(z), cached * SMALL);
	return n;
}

static void test_failure_larger_than_free_memory_changes_nothing(void)
{
	struct buddy_zone *z = fresh_zone();
	uint64_t block[BLOCKS], u;
	struct snapshot before, after;

	holes_and_cached(z, block, 3);
	take_snapshot(z, &before);
	/* more than listed + cached, but within the zone */
	TAP_CHECK_EQ(buddy_alloc(z, ZONE_UNITS / 2 + 4 * SMALL, 0, &u), -E_NOMEM);
	TAP_CHECK_EQ(buddy_alloc(z, ZONE_UNITS + 1, 0, &u), -E_NOMEM);
	take_snapshot(z, &after);
	TAP_CHECK(zone_ok(z));
	TAP_CHECK(memcmp(&before, &after, sizeof(before)) == 0);
	TAP_CHECK_EQ(after.ncached, 3);
}

static void test_failure_gives_back_only_what_serves(void)
{
	struct buddy_zone *z = fresh_zone();
	uint64_t block[BLOCKS];
	uint64_t got;

	holes_and_cached(z, block, 3);
	/* no listed block of 2 * SMALL units and no run of them: the largest
	 * cached block merges into one, the two others stay cached */
	got = take(z, 2 * SMALL, 0);
	TAP_CHECK(got != UINT64_MAX);
	TAP_CHECK_EQ(got % (2 * SMALL), 0);
	TAP_CHECK_EQ(buddy_cached_units(z), 2 * SMALL);
}

static void test_request_needing_every_cached_block(void)
{
	struct buddy_zone *z = fresh_zone();
	uint64_t block[BLOCKS];
	unsigned n = holes_and_cached(z, block, 16);

	/* free every other block still live: the caches are full (16), so
	   the rest merge */
	for (unsigned i = 2 * 16 + 1; i < n; i += 2)
		give(z, block[i]);
	TAP_CHECK_EQ(buddy_cached_units(z), 16 * SMALL);
	TAP_CHECK_EQ(take(z, ZONE_UNITS, 0), 0);	/* the whole zone */
	TAP_CHECK_EQ(buddy_cached_units(z), 0);
}

static void test_exact_free_one_block_or_pieces(void)
{
	struct buddy_zone *z = fresh_zone();
	uint64_t a, b, n;

	buddy_set_cache(z, 0);
	a = take(z, 100, 0);			/* 100 of a block of 128 */
	TAP_CHECK_EQ(a, 0);
	give(z, a);				/* its tail is free: one block */
	TAP_CHECK_EQ(z->free_units, ZONE_UNITS);
	TAP_CHECK_EQ(buddy_largest_order(z), (int)log2_floor(ZONE_UNITS));

	a = take(z, 100, 0);
	b = take(z, 4, 0);			/* the tail's first piece */
	TAP_CHECK_EQ(b, 100);
	give(z, a);				/* its tail is not free: in pieces */
	TAP_CHECK_EQ(z->free_units, ZONE_UNITS - 4);
	TAP_CHECK_EQ(buddy_size(z, z->first + b, &n), 0);
	TAP_CHECK_EQ(n, 4);
	give(z, b);
	TAP_CHECK_EQ(buddy_largest_order(z), (int)log2_floor(ZONE_UNITS));
}

/* A zone of three blocks of the largest order, over a lazily backed
 * arena (192 MiB of 16-byte units; only the pages it writes cost). */
static void test_largest_order_bounds_blocks(void)
{
	uint64_t top = order_units(BUDDY_MAX_ORDER), count = 3 * top, big, one, n;
	size_t bytes = (size_t)(count << UNIT_SHIFT);
	void *arena = mm_arena_map(bytes, (size_t)top << UNIT_SHIFT);
	uint64_t *meta = malloc(buddy_metadata_bytes(count));
	uint64_t blocks[BUDDY_ORDERS];
	struct buddy_zone z;

	TAP_CHECK(arena != NULL && meta != NULL);
	if (!arena || !meta)
		return;
	buddy_init(&z, (uintptr_t)arena >> UNIT_SHIFT, count, UNIT_SHIFT, meta);
	buddy_list_counts(&z, blocks);
	TAP_CHECK_EQ(blocks[BUDDY_MAX_ORDER], 3);
	TAP_CHECK_EQ(buddy_largest_order(&z), (int)BUDDY_MAX_ORDER);
	TAP_CHECK(zone_ok(&z));

	/* longer than a block: placed over a run of two */
	TAP_CHECK_EQ(buddy_alloc(&z, top + 1, 0, &big), 0);
	TAP_CHECK(zone_ok(&z));
	TAP_CHECK_EQ(buddy_size(&z, big, &n), 0);
	TAP_CHECK_EQ(n, top + 1);
	/* a whole block of the largest order: the third */
	TAP_CHECK_EQ(buddy_alloc(&z, top, 0, &one), 0);
	TAP_CHECK_EQ(one, z.first + 2 * top);
	TAP_CHECK(zone_ok(&z));

	/* both back: three blocks again, none merged past the largest order */
	TAP_CHECK_EQ(buddy_free(&z, big, &n), 0);
	TAP_CHECK_EQ(buddy_free(&z, one, &n), 0);
	buddy_list_counts(&z, blocks);
	TAP_CHECK_EQ(blocks[BUDDY_MAX_ORDER], 3);
	for (unsigned k = BUDDY_MAX_ORDER + 1; k < BUDDY_ORDERS; k++)
		TAP_CHECK_EQ(blocks[k], 0);
	TAP_CHECK(zone_ok(&z));
	free(meta);
	mm_arena_unmap(arena, bytes);
}

int main(void)
{
	TAP_RUN(test_failure_larger_than_free_memory_changes_nothing);
	TAP_RUN(test_failure_gives_back_only_what_serves);
	TAP_RUN(test_request_needing_every_cached_block);
	TAP_RUN(test_exact_free_one_block_or_pieces);
	TAP_RUN(test_largest_order_bounds_blocks);
	free(fx.meta);
	free(fx.arena);
	return tap_done();
}
