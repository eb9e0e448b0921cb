/*
 * Unit tests of the buddy core (mm/buddy*.c) on 16-byte units over a small
 * aligned host arena: carving, splitting, deferred tails, caches,
 * coalescing, length recovery, resizing, reclaiming, fallback placement and
 * the check walker.
 */
#include <string.h>

#include "lib/errors.h"
#include "mm/bitmap.h"
#include "mm/buddy.h"
#include "tests/host/support/mm_arena.h"
#include "tests/host/support/mm_require.h"
#include "tests/host/tap.h"

#define SHIFT 4u
#define ARENA_UNITS 4096u
#define ARENA_BYTES ((size_t)ARENA_UNITS << SHIFT)

static uint64_t meta[BUDDY_BITMAPS * ARENA_UNITS / 64];
static uint64_t base_unit;
static struct buddy_zone zone;

/* A zone over units [base + offset, base + offset + count) of the arena,
 * caching nothing. */
static struct buddy_zone *make_zone(uint64_t offset, uint64_t count)
{
	static void *arena;

	if (!arena)
		arena = mm_arena_map(ARENA_BYTES, ARENA_BYTES);
	base_unit = (uintptr_t)arena >> SHIFT;
	buddy_init(&zone, base_unit + offset, count, SHIFT, meta);
	return &zone;
}

/* Length of the live allocation at s: 0 and *n, or the lookup's error. */
static int alloc_len(const struct buddy_zone *z, uint64_t s, uint64_t *n)
{
	struct buddy_span sp;
	int err = buddy_lookup(z, s, &sp);

	if (!err)
		*n = sp.n;
	return err;
}

static int free_at(struct buddy_zone *z, uint64_t s)
{
	struct buddy_span sp;
	int err = buddy_lookup(z, s, &sp);

	if (!err)
		buddy_free(z, &sp);
	return err;
}

static int resize(struct buddy_zone *z, uint64_t s, uint64_t new_n)
{
	struct buddy_span sp;
	int err = buddy_lookup(z, s, &sp);

	return err ? err : buddy_resize(z, &sp, new_n);
}

static void counts(const struct buddy_zone *z, uint64_t out[BUDDY_ORDERS])
{
	for (unsigned k = 0; k < BUDDY_ORDERS; k++)
		out[k] = buddy_count_order(z, k);
}

/* Whether a listed free block begins at unit u (zone bitmaps). */
static bool is_listed_start(const struct buddy_zone *z, uint64_t u)
{
	uint64_t i = u - z->first;

	return (z->start[i / 64] >> (i % 64) & 1) && (z->free[i / 64] >> (i % 64) & 1);
}

static int check(const struct buddy_zone *z, uint64_t *free_units, uint64_t *used_units)
{
	const char *why = NULL;
	uintptr_t where = 0;
	int err = buddy_check(z, free_units, used_units, &why, &where);

	return mm_check_report(err, why, where);
}

static int check_ok(const struct buddy_zone *z)
{
	uint64_t f, u;

	return check(z, &f, &u);
}

static void test_aligned_zone_is_one_block(void)
{
	struct buddy_zone *z = make_zone(0, ARENA_UNITS);
	uint64_t c[BUDDY_ORDERS];

	counts(z, c);
	TAP_CHECK_EQ(c[12], 1);
	TAP_CHECK_EQ(z->nonempty, 1ull << 12);
	TAP_CHECK_EQ(buddy_largest_order(z), 12);
	TAP_CHECK_EQ(check_ok(z), 0);
}

static void test_unaligned_zone_carving(void)
{
	/* units 3..31: 3 (order 0), 4..7 (2), 8..15 (3), 16..31 (4) */
	struct buddy_zone *z = make_zone(3, 29);
	uint64_t c[BUDDY_ORDERS];

	counts(z, c);
	TAP_CHECK_EQ(c[0], 1);
	TAP_CHECK_EQ(c[1], 0);
	TAP_CHECK_EQ(c[2], 1);
	TAP_CHECK_EQ(c[3], 1);
	TAP_CHECK_EQ(c[4], 1);
	TAP_CHECK_EQ(z->nonempty, 0x1du);
	TAP_CHECK_EQ(check_ok(z), 0);
}

static void test_alloc_non_power_of_two_defers_tail(void)
{
	struct buddy_zone *z = make_zone(0, 64);
	uint64_t s, n, free_units, used;

	TAP_CHECK_EQ(buddy_alloc(z, 5, 0, &s), 0);
	TAP_CHECK_EQ(s, base_unit);
	TAP_CHECK_EQ(alloc_len(z, s, &n), 0);
	TAP_CHECK_EQ(n, 5);
	TAP_CHECK_EQ(check(z, &free_units, &used), 0);
	TAP_CHECK_EQ(used, 5);
	/* the block 0..7 stays whole, its tail 5..7 deferred; 8 (3), 16 (4),
	 * 32 (5) are listed */
	TAP_CHECK_EQ(free_units, 56);
	TAP_CHECK_EQ(z->nonempty, 0x38u);
	TAP_CHECK_EQ(z->deferred, 1);
	TAP_CHECK_EQ(z->deferred_units, 3);
	TAP_CHECK_EQ(alloc_len(z, s + 5, &n), -E_NOTALLOC);	/* the marker */
	/* reclaiming gives the tail back: 5 (0), 6 (1) */
	buddy_reclaim(z);
	TAP_CHECK_EQ(z->nonempty, 0x3bu);
	TAP_CHECK_EQ(z->deferred, 0);
	TAP_CHECK_EQ(check(z, &free_units, &used), 0);
	TAP_CHECK_EQ(free_units, 59);
	TAP_CHECK_EQ(alloc_len(z, s, &n), 0);
	TAP_CHECK_EQ(n, 5);
	TAP_CHECK_EQ(free_at(z, s), 0);
	TAP_CHECK_EQ(z->nonempty, 1u << 6);
	TAP_CHECK_EQ(check_ok(z), 0);
}

static void test_free_of_deferred_allocation(void)
{
	struct buddy_zone *z = make_zone(0, 64);
	uint64_t a, b, n;

	TAP_CHECK_EQ(buddy_alloc(z, 1, 0, &a), 0);
	TAP_CHECK_EQ(buddy_alloc(z, 13, 0, &b), 0);	/* block of 16, tail 3 */
	TAP_CHECK_EQ(b, base_unit + 16);
	TAP_CHECK_EQ(alloc_len(z, b, &n), 0);
	TAP_CHECK_EQ(n, 13);
	TAP_CHECK_EQ(check_ok(z), 0);
	TAP_CHECK_EQ(free_at(z, b), 0);			/* the whole block at once */
	TAP_CHECK_EQ(z->deferred, 0);
	TAP_CHECK_EQ(buddy_count_order(z, 4), 1);
	TAP_CHECK_EQ(alloc_len(z, b, &n), -E_NOTALLOC);
	TAP_CHECK_EQ(check_ok(z), 0);
	TAP_CHECK_EQ(free_at(z, a), 0);
	TAP_CHECK_EQ(z->nonempty, 1u << 6);
}

static void test_resize_moves_marker(void)
{
	struct buddy_zone *z = make_zone(0, 64);
	uint64_t s, n, f, u;

	TAP_CHECK_EQ(buddy_alloc(z, 5, 0, &s), 0);
	TAP_CHECK_EQ(resize(z, s, 7), 0);		/* inside the block */
	TAP_CHECK_EQ(alloc_len(z, s, &n), 0);
	TAP_CHECK_EQ(n, 7);
	TAP_CHECK_EQ(z->deferred_units, 1);
	TAP_CHECK_EQ(resize(z, s, 8), 0);		/* the whole block */
	TAP_CHECK_EQ(alloc_len(z, s, &n), 0);
	TAP_CHECK_EQ(n, 8);
	TAP_CHECK_EQ(z->deferred, 0);
	TAP_CHECK_EQ(check_ok(z), 0);
	TAP_CHECK_EQ(resize(z, s, 3), 0);		/* 4..7 go back, tail 3 */
	TAP_CHECK_EQ(alloc_len(z, s, &n), 0);
	TAP_CHECK_EQ(n, 3);
	TAP_CHECK_EQ(z->deferred_units, 1);
	TAP_CHECK_EQ(check(z, &f, &u), 0);
	TAP_CHECK_EQ(f, 60);
	TAP_CHECK_EQ(u, 3);
	TAP_CHECK_EQ(resize(z, s, 20), 0);		/* beyond: over free blocks */
	TAP_CHECK_EQ(alloc_len(z, s, &n), 0);
	TAP_CHECK_EQ(n, 20);
	TAP_CHECK_EQ(z->deferred, 0);
	TAP_CHECK_EQ(check_ok(z), 0);
	TAP_CHECK_EQ(free_at(z, s), 0);
	TAP_CHECK_EQ(z->nonempty, 1u << 6);
}

static void test_cache(void)
{
	struct buddy_zone *z = make_zone(0, 64);
	uint64_t keep, a, b, n, again;

	buddy_set_cache(z, 4);
	/* the first split refills the empty cache with a batch: the zone's
	 * other 63 units, lowest first, so the next requests are hits */
	TAP_CHECK_EQ(buddy_alloc(z, 1, 0, &keep), 0);
	TAP_CHECK_EQ(z->cache[0].count, 63);
	TAP_CHECK_EQ(z->cached_units, 63);
	TAP_CHECK_EQ(z->nonempty, 0);
	TAP_CHECK_EQ(check_ok(z), 0);
	TAP_CHECK_EQ(buddy_alloc(z, 1, 0, &a), 0);
	TAP_CHECK_EQ(a, keep + 1);
	TAP_CHECK_EQ(buddy_alloc(z, 1, 0, &b), 0);
	TAP_CHECK_EQ(b, keep + 2);
	TAP_CHECK_EQ(z->cache[0].count, 61);
	TAP_CHECK_EQ(free_at(z, a), 0);
	TAP_CHECK_EQ(free_at(z, b), 0);
	TAP_CHECK_EQ(z->cache[0].count, 63);
	TAP_CHECK_EQ(check_ok(z), 0);
	/* a cached block is no allocation: a double free is refused */
	TAP_CHECK_EQ(free_at(z, b), -E_NOTALLOC);
	TAP_CHECK_EQ(alloc_len(z, a, &n), -E_NOTALLOC);
	TAP_CHECK_EQ(z->cache[0].count, 63);
	/* LIFO: the last freed comes back first */
	TAP_CHECK_EQ(buddy_alloc(z, 1, 0, &again), 0);
	TAP_CHECK_EQ(again, b);
	/* a request aligned beyond the order takes no cached block: with
	 * nothing listed it fails until the caches are reclaimed (merged) */
	TAP_CHECK_EQ(buddy_alloc(z, 1, 3, &n), -E_NOMEM);
	TAP_CHECK_EQ(buddy_alloc_reclaiming(z, 1, 3, &n), 0);
	TAP_CHECK_EQ(n % 8, 0);
	TAP_CHECK_EQ(z->cached_units, 0);
	TAP_CHECK_EQ(check_ok(z), 0);
	TAP_CHECK_EQ(free_at(z, n), 0);
	TAP_CHECK_EQ(free_at(z, again), 0);
	TAP_CHECK_EQ(free_at(z, keep), 0);		/* the last: carved afresh */
	TAP_CHECK_EQ(z->cached_units, 0);
	TAP_CHECK_EQ(z->nonempty, 1u << 6);
	TAP_CHECK_EQ(check_ok(z), 0);
}

/* A request aligned beyond its order splits without refilling: the
 * neighbours of its block stay listed (so that realloc can grow). */
static void test_aligned_request_does_not_refill(void)
{
	struct buddy_zone *z = make_zone(0, 64);
	uint64_t n;

	buddy_set_cache(z, 4);
	TAP_CHECK_EQ(buddy_alloc(z, 1, 3, &n), 0);
	TAP_CHECK_EQ(z->cached_units, 0);
	TAP_CHECK(is_listed_start(z, n + 1));
	TAP_CHECK_EQ(check_ok(z), 0);
	TAP_CHECK_EQ(free_at(z, n), 0);
}

static void test_reclaim_on_failure(void)
{
	struct buddy_zone *z = make_zone(0, 64);
	uint64_t a, b, c, big, d;

	buddy_set_cache(z, 5);
	TAP_CHECK_EQ(buddy_alloc(z, 32, 0, &a), 0);
	TAP_CHECK_EQ(buddy_alloc(z, 16, 0, &b), 0);
	TAP_CHECK_EQ(buddy_alloc(z, 16, 0, &c), 0);
	TAP_CHECK_EQ(free_at(z, b), 0);
	TAP_CHECK_EQ(free_at(z, c), 0);
	TAP_CHECK_EQ(z->cache[4].count, 2);
	TAP_CHECK_EQ(z->nonempty, 0);
	/* 32 units: only after the two cached halves are merged */
	TAP_CHECK_EQ(buddy_alloc(z, 32, 0, &big), -E_NOMEM);
	TAP_CHECK_EQ(buddy_alloc_reclaiming(z, 32, 0, &big), 0);
	TAP_CHECK_EQ(big, b);
	TAP_CHECK_EQ(z->cached_units, 0);
	TAP_CHECK_EQ(check_ok(z), 0);
	TAP_CHECK_EQ(free_at(z, big), 0);
	/* a small deferred tail is given back the same way */
	TAP_CHECK_EQ(free_at(z, a), 0);
	TAP_CHECK_EQ(buddy_alloc(z, 63, 0, &a), 0);	/* whole zone, tail 1 */
	TAP_CHECK_EQ(z->deferred_units, 1);
	TAP_CHECK_EQ(buddy_alloc(z, 1, 0, &d), -E_NOMEM);
	TAP_CHECK_EQ(buddy_alloc_reclaiming(z, 1, 0, &d), 0);
	TAP_CHECK_EQ(d, a + 63);
	TAP_CHECK_EQ(z->deferred, 0);
	TAP_CHECK_EQ(check_ok(z), 0);
	TAP_CHECK_EQ(free_at(z, d), 0);
	TAP_CHECK_EQ(free_at(z, a), 0);
	TAP_CHECK_EQ(z->nonempty, 1u << 6);
}

/* Tails are deferred while a free block of half the zone exists; after
 * that, allocations give their tails back at once, and the deferred ones
 * too once they add up to 1/16 of the zone. */
static void test_tight_zone_gives_tails_back(void)
{
	struct buddy_zone *z = make_zone(0, 64);
	uint64_t a, b, c, n;

	TAP_CHECK_EQ(buddy_alloc(z, 5, 0, &a), 0);	/* roomy: tail 3 */
	TAP_CHECK_EQ(z->deferred_units, 3);
	TAP_CHECK_EQ(buddy_alloc(z, 17, 0, &b), 0);	/* roomy: tail 15 */
	TAP_CHECK_EQ(z->deferred_units, 18);
	TAP_CHECK_EQ(check_ok(z), 0);
	/* no free block of 32 left: the tails go back, this one's at once */
	TAP_CHECK_EQ(buddy_alloc(z, 5, 0, &c), 0);
	TAP_CHECK_EQ(z->deferred, 0);
	TAP_CHECK_EQ(alloc_len(z, c, &n), 0);
	TAP_CHECK_EQ(n, 5);
	TAP_CHECK_EQ(check_ok(z), 0);
	TAP_CHECK_EQ(free_at(z, a), 0);
	TAP_CHECK_EQ(free_at(z, b), 0);
	TAP_CHECK_EQ(free_at(z, c), 0);
	TAP_CHECK_EQ(z->nonempty, 1u << 6);
}

static void test_fallback_placement(void)
{
	struct buddy_zone *z = make_zone(0, 8);
	uint64_t a, last, n, extra;

	/* free 0..3 (order 2), 4..5 (1), 6 (0); 7 allocated */
	TAP_CHECK_EQ(buddy_alloc(z, 7, 0, &a), 0);
	buddy_reclaim(z);
	TAP_CHECK_EQ(buddy_alloc(z, 1, 0, &last), 0);
	TAP_CHECK_EQ(last, base_unit + 7);
	TAP_CHECK_EQ(free_at(z, a), 0);
	TAP_CHECK_EQ(z->nonempty, 0x7u);
	/* no block of order 3, but 0..6 are free and 0 is 8-aligned */
	TAP_CHECK_EQ(buddy_alloc(z, 7, 0, &a), -E_NOMEM);
	TAP_CHECK_EQ(buddy_alloc_reclaiming(z, 7, 0, &a), 0);
	TAP_CHECK_EQ(a, base_unit);
	TAP_CHECK_EQ(alloc_len(z, a, &n), 0);
	TAP_CHECK_EQ(n, 7);
	TAP_CHECK_EQ(z->nonempty, 0);
	TAP_CHECK_EQ(check_ok(z), 0);
	TAP_CHECK_EQ(buddy_alloc_reclaiming(z, 1, 0, &extra), -E_NOMEM);
	TAP_CHECK_EQ(free_at(z, last), 0);
	TAP_CHECK_EQ(free_at(z, a), 0);
	TAP_CHECK_EQ(z->nonempty, 1u << 3);
	TAP_CHECK_EQ(check_ok(z), 0);
}

/* The last resort places an aligned request too: 5 units aligned to 2
 * start at 2 in the free run [1, 8), past the unaligned unit 1. */
static void test_fallback_placement_aligned(void)
{
	struct buddy_zone *z = make_zone(0, 16);
	uint64_t a, b, c, n;

	TAP_CHECK_EQ(buddy_alloc(z, 1, 0, &a), 0);
	TAP_CHECK_EQ(buddy_alloc(z, 8, 0, &b), 0);
	TAP_CHECK_EQ(b, base_unit + 8);
	TAP_CHECK_EQ(z->nonempty, 0x7u);		/* [1, 2), [2, 4), [4, 8) */
	TAP_CHECK_EQ(buddy_alloc(z, 5, 1, &c), -E_NOMEM);
	TAP_CHECK_EQ(buddy_alloc_reclaiming(z, 5, 1, &c), 0);
	TAP_CHECK_EQ(c, base_unit + 2);
	TAP_CHECK_EQ(alloc_len(z, c, &n), 0);
	TAP_CHECK_EQ(n, 5);
	TAP_CHECK_EQ(z->straddlers, 1);
	TAP_CHECK(is_listed_start(z, base_unit + 1));
	TAP_CHECK(is_listed_start(z, base_unit + 7));
	TAP_CHECK_EQ(check_ok(z), 0);
	TAP_CHECK_EQ(buddy_alloc_reclaiming(z, 3, 1, &n), -E_NOMEM);	/* only 1 and 7 */
	TAP_CHECK_EQ(free_at(z, c), 0);
	TAP_CHECK_EQ(free_at(z, b), 0);
	TAP_CHECK_EQ(free_at(z, a), 0);
	TAP_CHECK_EQ(z->nonempty, 1u << 4);
	TAP_CHECK_EQ(check_ok(z), 0);
}

static void test_alignment_order(void)
{
	struct buddy_zone *z = make_zone(0, 256);
	uint64_t a, b, n;

	TAP_CHECK_EQ(buddy_alloc(z, 1, 0, &a), 0);
	TAP_CHECK_EQ(buddy_alloc(z, 3, 4, &b), 0);
	TAP_CHECK_EQ(b % 16, 0);
	TAP_CHECK(b != a);
	TAP_CHECK_EQ(alloc_len(z, b, &n), 0);
	TAP_CHECK_EQ(n, 3);
	TAP_CHECK_EQ(check_ok(z), 0);
	free_at(z, a);
	free_at(z, b);
	TAP_CHECK_EQ(z->nonempty, 1u << 8);
}

static void test_len_rejects_free_and_interior(void)
{
	struct buddy_zone *z = make_zone(0, 64);
	uint64_t s, n = 77;

	TAP_CHECK_EQ(buddy_alloc(z, 6, 0, &s), 0);
	TAP_CHECK_EQ(alloc_len(z, s + 1, &n), -E_NOTALLOC);
	TAP_CHECK_EQ(alloc_len(z, s + 6, &n), -E_NOTALLOC);
	TAP_CHECK_EQ(alloc_len(z, s + 32, &n), -E_NOTALLOC);
	TAP_CHECK_EQ(n, 77);
	free_at(z, s);
	TAP_CHECK_EQ(alloc_len(z, s, &n), -E_NOTALLOC);
}

static void test_exhaust_and_refill(void)
{
	struct buddy_zone *z = make_zone(1, 100);
	uint64_t before[BUDDY_ORDERS], after[BUDDY_ORDERS], units[100], s;

	counts(z, before);
	for (unsigned i = 0; i < 100; i++)
		TAP_CHECK_EQ(buddy_alloc(z, 1, 0, &units[i]), 0);
	TAP_CHECK_EQ(buddy_alloc(z, 1, 0, &s), -E_NOMEM);
	TAP_CHECK_EQ(z->nonempty, 0);
	TAP_CHECK_EQ(buddy_largest_order(z), -1);
	TAP_CHECK_EQ(check_ok(z), 0);
	/* free in an interleaved order so merges happen from both sides */
	for (unsigned i = 0; i < 100; i += 2)
		free_at(z, units[i]);
	TAP_CHECK_EQ(check_ok(z), 0);
	for (unsigned i = 1; i < 100; i += 2)
		free_at(z, units[i]);
	counts(z, after);
	TAP_CHECK(memcmp(before, after, sizeof(before)) == 0);
	TAP_CHECK_EQ(check_ok(z), 0);
}

static void test_too_large_and_zero(void)
{
	struct buddy_zone *z = make_zone(0, 64);
	uint64_t s;

	TAP_CHECK_EQ(buddy_alloc(z, 0, 0, &s), -E_NOMEM);
	TAP_CHECK_EQ(buddy_alloc(z, 65, 0, &s), -E_NOMEM);
	TAP_CHECK_EQ(buddy_alloc(z, 1, 7, &s), -E_NOMEM);
	TAP_CHECK_EQ(buddy_alloc(z, UINT64_MAX, 0, &s), -E_NOMEM);
	TAP_CHECK_EQ(buddy_alloc(z, 1, BUDDY_ORDERS, &s), -E_NOMEM);
	TAP_CHECK_EQ(z->nonempty, 1u << 6);
}

static void test_grow_and_shrink(void)
{
	struct buddy_zone *z = make_zone(0, 64);
	uint64_t s, t, n;

	TAP_CHECK_EQ(buddy_alloc(z, 3, 0, &s), 0);
	TAP_CHECK_EQ(resize(z, s, 13), 0);
	TAP_CHECK_EQ(alloc_len(z, s, &n), 0);
	TAP_CHECK_EQ(n, 13);
	TAP_CHECK_EQ(check_ok(z), 0);
	TAP_CHECK_EQ(resize(z, s, 2), 0);
	TAP_CHECK_EQ(alloc_len(z, s, &n), 0);
	TAP_CHECK_EQ(n, 2);
	TAP_CHECK_EQ(check_ok(z), 0);
	/* blocked by a neighbour */
	TAP_CHECK_EQ(buddy_alloc(z, 2, 0, &t), 0);
	TAP_CHECK_EQ(t, s + 2);
	TAP_CHECK_EQ(resize(z, s, 3), -E_NOMEM);
	TAP_CHECK_EQ(alloc_len(z, s, &n), 0);
	TAP_CHECK_EQ(n, 2);
	/* invariant P: t (2 mod 4) may grow to 2 units, not to 3 */
	TAP_CHECK_EQ(resize(z, t, 3), -E_NOMEM);
	/* nor past the zone end */
	TAP_CHECK_EQ(resize(z, s, 65), -E_NOMEM);
	TAP_CHECK_EQ(check_ok(z), 0);
	free_at(z, t);
	free_at(z, s);
	TAP_CHECK_EQ(z->nonempty, 1u << 6);
}

static uint64_t absorbed[64];
static unsigned nabsorbed;

static void record_absorb(struct buddy_zone *z, uint64_t unit)
{
	(void)z;
	absorbed[nabsorbed++ % 64] = unit;
}

static void test_absorb_hook(void)
{
	struct buddy_zone *z = make_zone(0, 4);
	uint64_t a, b;

	buddy_set_absorb(z, record_absorb);
	nabsorbed = 0;
	TAP_CHECK_EQ(buddy_alloc(z, 1, 0, &a), 0);
	TAP_CHECK_EQ(buddy_alloc(z, 1, 0, &b), 0);
	free_at(z, a);
	TAP_CHECK_EQ(nabsorbed, 0);
	free_at(z, b);
	/* a+b merge (b absorbed), then with the order-1 buddy at 2 */
	TAP_CHECK_EQ(nabsorbed, 2);
	TAP_CHECK_EQ(absorbed[0], base_unit + 1);
	TAP_CHECK_EQ(absorbed[1], base_unit + 2);
}

static void add_block_units(void *ctx, uint64_t unit, unsigned order)
{
	(void)unit;
	*(uint64_t *)ctx += (uint64_t)1 << order;
}

static void test_free_walk(void)
{
	struct buddy_zone *z = make_zone(3, 29);
	uint64_t total = 0;

	buddy_for_each_free(z, add_block_units, &total);
	TAP_CHECK_EQ(total, 29);
}

/* Each corruption must be reported, then undone. */
static void test_check_detects_corruption(void)
{
	struct buddy_zone *z = make_zone(0, 64);
	uint64_t s, f, u;
	const char *why = NULL;
	uintptr_t where;

	TAP_CHECK_EQ(buddy_alloc(z, 5, 0, &s), 0);
	buddy_reclaim(z);				/* 5 (0), 6 (1) free */
	TAP_CHECK_EQ(check_ok(z), 0);

	z->free[0] ^= 1ull << 5;	/* block at 5 no longer marked free */
	TAP_CHECK_EQ(buddy_check(z, &f, &u, &why, &where), -E_CORRUPT);
	TAP_CHECK(why != NULL);
	TAP_CHECK_EQ(where, (base_unit + 5) << SHIFT);
	z->free[0] ^= 1ull << 5;

	z->start[0] ^= 1ull << 2;	/* start inside the allocation */
	TAP_CHECK_EQ(buddy_check(z, &f, &u, &why, &where), -E_CORRUPT);
	z->start[0] ^= 1ull << 2;

	z->nonempty ^= 1ull << 9;
	TAP_CHECK_EQ(buddy_check(z, &f, &u, &why, &where), -E_CORRUPT);
	z->nonempty ^= 1ull << 9;

	struct buddy_node *node = (struct buddy_node *)(uintptr_t)((base_unit + 8) << SHIFT);
	struct buddy_node *saved = node->next;

	node->next = (struct buddy_node *)(uintptr_t)0x1230;
	TAP_CHECK_EQ(buddy_check(z, &f, &u, &why, &where), -E_CORRUPT);
	node->next = saved;

	z->start[0] |= 1ull << 12;	/* splits the free block at 8 */
	z->free[0] |= 1ull << 12;
	TAP_CHECK_EQ(buddy_check(z, &f, &u, &why, &where), -E_CORRUPT);
	z->start[0] &= ~(1ull << 12);
	z->free[0] &= ~(1ull << 12);

	z->held[0] |= 1ull << 20;	/* a marker inside the free block at 16 */
	TAP_CHECK_EQ(buddy_check(z, &f, &u, &why, &where), -E_CORRUPT);
	z->held[0] &= ~(1ull << 20);

	z->held[0] |= 1ull << 3;	/* a second marker in the allocation */
	TAP_CHECK_EQ(buddy_check(z, &f, &u, &why, &where), -E_CORRUPT);
	z->held[0] &= ~(1ull << 3);

	z->held[0] |= 1ull << 8;	/* a listed block marked cached */
	TAP_CHECK_EQ(buddy_check(z, &f, &u, &why, &where), -E_CORRUPT);
	z->held[0] &= ~(1ull << 8);

	TAP_CHECK_EQ(check_ok(z), 0);
}

static void test_check_detects_cache_corruption(void)
{
	struct buddy_zone *z = make_zone(0, 1024);
	uint64_t keep, a, f, u;
	const char *why = NULL;
	uintptr_t where;

	buddy_set_cache(z, 4);
	TAP_CHECK_EQ(buddy_alloc(z, 1, 0, &keep), 0);
	TAP_CHECK_EQ(buddy_alloc(z, 2, 0, &a), 0);
	TAP_CHECK_EQ(free_at(z, a), 0);
	TAP_CHECK_EQ(z->cache[0].count, 63);	/* refilled by the first split */
	TAP_CHECK_EQ(z->cache[1].count, 32);	/* refilled, then a */
	TAP_CHECK_EQ(check_ok(z), 0);
	struct buddy_cache order0 = z->cache[0];

	z->cache[1].count++;
	TAP_CHECK_EQ(buddy_check(z, &f, &u, &why, &where), -E_CORRUPT);
	z->cache[1].count--;

	bit_flip(z->held, a - z->first);	/* looks live again */
	TAP_CHECK_EQ(buddy_check(z, &f, &u, &why, &where), -E_CORRUPT);
	bit_flip(z->held, a - z->first);

	z->cache[0] = z->cache[1];		/* in the cache of order 0 */
	TAP_CHECK_EQ(buddy_check(z, &f, &u, &why, &where), -E_CORRUPT);
	z->cache[0] = order0;

	z->live++;
	TAP_CHECK_EQ(buddy_check(z, &f, &u, &why, &where), -E_CORRUPT);
	z->live--;
	TAP_CHECK_EQ(check_ok(z), 0);
	TAP_CHECK_EQ(free_at(z, keep), 0);
	TAP_CHECK_EQ(z->nonempty, 1u << 10);
}

/* bit_set_every against one bit_set per step, at every start offset
 * within a word and strides 1..256, across word boundaries. */
static void test_bit_set_every(void)
{
	for (unsigned k = 0; k <= 8; k++)
		for (uint64_t from = 0; from < 64; from++)
			for (uint64_t to = from; to < from + 300; to += 37) {
				uint64_t got[8] = { 0 }, want[8] = { 0 };

				bit_set_every(got, from, to, k);
				for (uint64_t i = from; i < to; i += (uint64_t)1 << k)
					bit_set(want, i);
				if (memcmp(got, want, sizeof(got))) {
					printf("#   k=%u from=%lu to=%lu\n", k, (unsigned long)from,
					       (unsigned long)to);
					TAP_CHECK(!"bit_set_every sets other bits");
					return;
				}
			}
}

/* A tight zone of 64 units: a (30 units, a deferred tail) holds [0, 32),
 * b = 32 and, placed exactly at the start of the free run [33, 36), the
 * straddler c = 33 (3 units, crossing the boundary at 34). */
static struct buddy_zone *tight_zone_with_straddler(uint64_t *a, uint64_t *b, uint64_t *c)
{
	struct buddy_zone *z = make_zone(0, 64);
	uint64_t n;

	TAP_CHECK_EQ(buddy_alloc(z, 30, 0, a), 0);
	TAP_CHECK_EQ(buddy_alloc(z, 1, 0, b), 0);	/* splits [32, 64): tight */
	TAP_CHECK_EQ(*b, base_unit + 32);
	TAP_CHECK_EQ(buddy_alloc(z, 3, 0, c), 0);
	TAP_CHECK_EQ(*c, base_unit + 33);
	TAP_CHECK_EQ(alloc_len(z, *c, &n), 0);
	TAP_CHECK_EQ(n, 3);
	TAP_CHECK_EQ(z->straddlers, 1);
	TAP_CHECK(z->slow_merges);
	TAP_CHECK_EQ(check_ok(z), 0);
	return z;
}

/* While a straddler covers the middle of a block, the block below it must
 * not merge: c covers 34, the middle of [32, 36), where no start bit is. */
static void test_straddler_blocks_merges(void)
{
	uint64_t a, b, c, d, n;
	struct buddy_zone *z = tight_zone_with_straddler(&a, &b, &c);

	TAP_CHECK_EQ(free_at(z, c + 1), -E_NOTALLOC);	/* inside it */
	TAP_CHECK_EQ(buddy_alloc(z, 4, 0, &d), 0);
	TAP_CHECK_EQ(d, base_unit + 36);
	TAP_CHECK_EQ(free_at(z, b), 0);
	TAP_CHECK_EQ(free_at(z, d), 0);			/* buddy [32, 36) is not free */
	TAP_CHECK(is_listed_start(z, base_unit + 32));
	TAP_CHECK(is_listed_start(z, base_unit + 36));
	TAP_CHECK_EQ(alloc_len(z, c, &n), 0);
	TAP_CHECK_EQ(n, 3);
	TAP_CHECK_EQ(check_ok(z), 0);
	/* freeing c merges everything above a back into [32, 64) */
	TAP_CHECK_EQ(free_at(z, c), 0);
	TAP_CHECK_EQ(free_at(z, c), -E_NOTALLOC);
	TAP_CHECK_EQ(z->straddlers, 0);
	TAP_CHECK(!z->slow_merges);
	TAP_CHECK_EQ(buddy_count_order(z, 5), 1);
	TAP_CHECK(is_listed_start(z, base_unit + 32));
	TAP_CHECK_EQ(check_ok(z), 0);
	TAP_CHECK_EQ(free_at(z, a), 0);
	TAP_CHECK_EQ(z->nonempty, 1u << 6);
	TAP_CHECK_EQ(check_ok(z), 0);
}

/* A straddler shrinks in place, never to a power of two while it still
 * straddles, and is no straddler once it fits its alignment. */
static void test_straddler_resize(void)
{
	uint64_t a, b, c, n;
	struct buddy_zone *z = tight_zone_with_straddler(&a, &b, &c);

	TAP_CHECK_EQ(resize(z, c, 4), -E_NOMEM);	/* no growth */
	TAP_CHECK_EQ(resize(z, c, 2), 0);		/* 2 would straddle: kept at 3 */
	TAP_CHECK_EQ(alloc_len(z, c, &n), 0);
	TAP_CHECK_EQ(n, 3);
	TAP_CHECK_EQ(z->straddlers, 1);
	TAP_CHECK_EQ(resize(z, c, 1), 0);
	TAP_CHECK_EQ(alloc_len(z, c, &n), 0);
	TAP_CHECK_EQ(n, 1);
	TAP_CHECK_EQ(z->straddlers, 0);
	TAP_CHECK(!z->slow_merges);
	TAP_CHECK(is_listed_start(z, base_unit + 34));
	TAP_CHECK_EQ(check_ok(z), 0);
	TAP_CHECK_EQ(free_at(z, c), 0);
	TAP_CHECK_EQ(free_at(z, b), 0);
	TAP_CHECK_EQ(free_at(z, a), 0);
	TAP_CHECK_EQ(z->nonempty, 1u << 6);
}

/* The check catches a straddler the zone does not count and a zone that
 * would merge with the midpoint test while it has one. */
static void test_check_detects_straddler_corruption(void)
{
	uint64_t a, b, c, f, u;
	const char *why = NULL;
	uintptr_t where;
	struct buddy_zone *z = tight_zone_with_straddler(&a, &b, &c);

	z->straddlers = 0;
	TAP_CHECK_EQ(buddy_check(z, &f, &u, &why, &where), -E_CORRUPT);
	TAP_CHECK(why && strstr(why, "straddler count"));
	z->straddlers = 1;
	z->slow_merges = false;
	TAP_CHECK_EQ(buddy_check(z, &f, &u, &why, &where), -E_CORRUPT);
	TAP_CHECK(why && strstr(why, "slow-merge flag"));
	z->slow_merges = true;
	TAP_CHECK_EQ(check_ok(z), 0);
}

int main(void)
{
	TAP_RUN(test_bit_set_every);
	TAP_RUN(test_straddler_blocks_merges);
	TAP_RUN(test_straddler_resize);
	TAP_RUN(test_check_detects_straddler_corruption);
	TAP_RUN(test_aligned_zone_is_one_block);
	TAP_RUN(test_unaligned_zone_carving);
	TAP_RUN(test_alloc_non_power_of_two_defers_tail);
	TAP_RUN(test_free_of_deferred_allocation);
	TAP_RUN(test_resize_moves_marker);
	TAP_RUN(test_cache);
	TAP_RUN(test_aligned_request_does_not_refill);
	TAP_RUN(test_reclaim_on_failure);
	TAP_RUN(test_tight_zone_gives_tails_back);
	TAP_RUN(test_fallback_placement);
	TAP_RUN(test_fallback_placement_aligned);
	TAP_RUN(test_alignment_order);
	TAP_RUN(test_len_rejects_free_and_interior);
	TAP_RUN(test_exhaust_and_refill);
	TAP_RUN(test_too_large_and_zero);
	TAP_RUN(test_grow_and_shrink);
	TAP_RUN(test_absorb_hook);
	TAP_RUN(test_free_walk);
	TAP_RUN(test_check_detects_corruption);
	TAP_RUN(test_check_detects_cache_corruption);
	return tap_done();
}
