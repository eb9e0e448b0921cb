/*
 * Unit tests of the buddy core (mm/buddy*.c) and of its levelled bitmap
 * (mm/bitmap_index.c), on 16-byte units over an aligned host arena: the
 * bitmap searches against a naive reference, carving, the textbook split
 * and merge, exact allocations, requests that fit, placement in a run,
 * misuse, caches and deferred tails, reclaim in a tight zone, resizing,
 * the absorb callback, and randomized runs against a shadow model. Every
 * mutation is followed by buddy_check. Units in the tests are relative to
 * the arena, which is aligned to ARENA_UNITS, so alignment is visible.
 */
#include <stdlib.h>
#include <string.h>

#include "lib/errors.h"
#include "mm/bitmap_index.h"
#include "mm/buddy.h"
#include "mm/buddy_internal.h"
#include "tests/host/support/mm_require.h"
#include "tests/host/tap.h"

#define SHIFT 4u
#define ARENA_UNITS ((uint64_t)1 << 17)
#define LAZY 9u			/* the heap's cache orders */
#define NONE UINT64_MAX
#define LAYOUT_UNITS 4096u
#define RANDOM_OPS 200000u	/* per zone and cache setting */

static struct buddy_zone zone;
static uint64_t base_unit;
static uint64_t *meta;

static uint64_t rng_state;

static uint64_t rnd(void)
{
	rng_state ^= rng_state << 13;
	rng_state ^= rng_state >> 7;
	rng_state ^= rng_state << 17;
	return rng_state;
}

/* A zone over arena units [offset, offset + count), caching the orders
 * below cache_orders. */
static struct buddy_zone *make_zone(uint64_t offset, uint64_t count, unsigned cache_orders)
{
	static void *arena;

	if (!arena)
		arena = aligned_alloc(ARENA_UNITS << SHIFT, ARENA_UNITS << SHIFT);
	base_unit = (uintptr_t)arena >> SHIFT;
	free(meta);
	meta = malloc(buddy_metadata_bytes(count));
	buddy_init(&zone, base_unit + offset, count, SHIFT, meta);
	buddy_set_cache(&zone, cache_orders);
	return &zone;
}

static int check_ok(const struct buddy_zone *z)
{
	uint64_t free_units, used_units;
	const char *why = NULL;
	uintptr_t where = 0;

	int err = buddy_check(z, &free_units, &used_units, &why, &where);

	return mm_check_report(err, why, where);	/* why and where filled first */
}

/* buddy_alloc then buddy_check: the arena-relative unit, or NONE. */
static uint64_t alloc_at(struct buddy_zone *z, uint64_t n, unsigned align_order)
{
	uint64_t u;
	int err = buddy_alloc(z, n, align_order, &u);

	TAP_CHECK_EQ(check_ok(z), 0);
	return err ? NONE : u - base_unit;
}

/* buddy_free of arena-relative unit r then buddy_check: the error. */
static int free_at(struct buddy_zone *z, uint64_t r)
{
	uint64_t n;
	int err = buddy_free(z, base_unit + r, &n);

	TAP_CHECK_EQ(check_ok(z), 0);
	return err;
}

/* The units of the live allocation at r, or NONE. */
static uint64_t size_at(const struct buddy_zone *z, uint64_t r)
{
	uint64_t n;

	return buddy_size(z, base_unit + r, &n) ? NONE : n;
}

static int resize_at(struct buddy_zone *z, uint64_t r, uint64_t new_n)
{
	int err = buddy_resize(z, base_unit + r, size_at(z, r), new_n);

	TAP_CHECK_EQ(check_ok(z), 0);
	return err;
}

/* The orders of the listed free blocks in address order, e.g. "0 1 0",
 * for zones of at most LAYOUT_UNITS units. */
static char order_at[LAYOUT_UNITS];	/* order + 1 of the block at a unit */

static void note_block(void *ctx, uint64_t unit, unsigned order)
{
	order_at[unit - ((const struct buddy_zone *)ctx)->first] = (char)(order + 1);
}

static const char *free_orders(const struct buddy_zone *z)
{
	static char text[3 * LAYOUT_UNITS];
	char *p = text;

	*p = 0;
	memset(order_at, 0, z->count);
	buddy_for_each_free(z, note_block, (void *)z);
	for (uint64_t i = 0; i < z->count; i++)
		if (order_at[i])
			p += sprintf(p, p == text ? "%d" : " %d", order_at[i] - 1);
	return text;
}

#define EXPECT_FREE_ORDERS(z, orders) TAP_CHECK_EQ(strcmp(free_orders(z), orders), 0)

/* A copy of a zone and its metadata (from its caches on): a refused call
 * must change neither, but for the tickets of the locks it took. */
struct snapshot {
	struct buddy_zone z;
	uint64_t meta[ARENA_UNITS / 16 + BUDDY_CACHE_HARTS * BUDDY_PCP_BYTES / 8];
};

static void take_snapshot(const struct buddy_zone *z, struct snapshot *s)
{
	s->z = *z;
	s->z.lock = (struct spinlock)SPINLOCK_INIT;
	memcpy(s->meta, z->pcp, buddy_metadata_bytes(z->count));
	for (unsigned h = 0; h < BUDDY_CACHE_HARTS; h++)
		((struct buddy_pcp *)s->meta)[h].lock = (struct spinlock)SPINLOCK_INIT;
}

static void expect_unchanged(const struct buddy_zone *z, const struct snapshot *before)
{
	static struct snapshot now;

	take_snapshot(z, &now);
	TAP_CHECK(memcmp(&now.z, &before->z, sizeof(now.z)) == 0);
	TAP_CHECK(memcmp(now.meta, before->meta, buddy_metadata_bytes(z->count)) == 0);
	TAP_CHECK_EQ(check_ok(z), 0);
}

/* Records the units that the absorb callback is called with. */
static uint64_t absorbed[64];
static unsigned nabsorbed;

static void record_absorb(struct buddy_zone *z, uint64_t unit)
{
	(void)z;
	if (nabsorbed < 64)
		absorbed[nabsorbed++] = unit - base_unit;
}

static void watch_absorb(struct buddy_zone *z)
{
	nabsorbed = 0;
	buddy_set_absorb(z, record_absorb);
}

/* The units absorbed since watch_absorb were exactly these, in order. */
static void expect_absorbed(const uint64_t *units, unsigned n)
{
	TAP_CHECK_EQ(nabsorbed, n);
	TAP_CHECK(memcmp(absorbed, units, n * sizeof(*units)) == 0);
}

/* ---- the levelled bitmap ---- */

/* Every search from every bit agrees with a naive scan of ref, and every
 * summary bit says whether the word below it is non-zero. */
static void expect_index_matches(const struct bitmap_index *x, const unsigned char *ref)
{
	uint64_t bits = x->bits, next = bits, prev = UINT64_MAX, bad = 0;

	for (uint64_t i = bits; i-- > 0;) {
		if (ref[i])
			next = i;
		bad += bitmap_index_next(x, i) != next;
	}
	for (uint64_t i = 0; i < bits; i++) {
		if (ref[i])
			prev = i;
		bad += bitmap_index_prev(x, i) != prev;
	}
	TAP_CHECK_EQ(bad, 0);
	TAP_CHECK_EQ(bitmap_index_next(x, bits), bits);
	TAP_CHECK_EQ(bitmap_index_prev(x, bits + 100), prev);

	uint64_t words = bitmap_words(bits);

	for (unsigned l = 1; l < x->levels; l++) {
		for (uint64_t w = 0; w < words; w++)
			bad += bit_test(x->level[l], w) != (x->level[l - 1][w] != 0);
		words = bitmap_words(words);
	}
	TAP_CHECK_EQ(bad, 0);
	TAP_CHECK_EQ(words, 1);		/* the top level is one word */
}

static void put_bit(struct bitmap_index *x, unsigned char *ref, uint64_t i, bool on)
{
	ref[i] = on;
	if (on)
		bitmap_index_set(x, i);
	else
		bitmap_index_clear(x, i);
}

static void test_bitmap_index_searches(void)
{
	static const uint64_t sizes[] = { 1, 63, 64, 65, 4097, 300000 };
	static const unsigned one_in[] = { 2, 64, 5000, 1000000 };

	rng_state = 0x5eed;
	for (unsigned s = 0; s < sizeof(sizes) / sizeof(sizes[0]); s++) {
		uint64_t bits = sizes[s];
		uint64_t *words = malloc(bitmap_index_words(bits) * sizeof(uint64_t));
		unsigned char *ref = calloc(bits, 1);
		struct bitmap_index x;

		bitmap_index_init(&x, bits, words);
		expect_index_matches(&x, ref);
		for (unsigned d = 0; d < sizeof(one_in) / sizeof(one_in[0]); d++) {
			for (uint64_t i = 0; i < bits; i++)	/* set and clear at random */
				put_bit(&x, ref, i, ref[i] ? rnd() % 2 : rnd() % one_in[d] == 0);
			expect_index_matches(&x, ref);
		}
		for (uint64_t i = 0; i < bits; i++)	/* a lone last bit */
			put_bit(&x, ref, i, i == bits - 1);
		expect_index_matches(&x, ref);
		free(words);
		free(ref);
	}
}

/* ---- the textbook algorithm ---- */

static void test_init_carves_maximal_blocks(void)
{
	struct buddy_zone *z = make_zone(1, 4, 0);

	EXPECT_FREE_ORDERS(z, "0 1 0");
	TAP_CHECK_EQ(check_ok(z), 0);
	z = make_zone(3, 29, 0);	/* [3, 32): 3, 4-7, 8-15, 16-31 */
	EXPECT_FREE_ORDERS(z, "0 2 3 4");
	TAP_CHECK_EQ(check_ok(z), 0);
	z = make_zone(5, 251, 0);	/* [5, 256) */
	EXPECT_FREE_ORDERS(z, "0 1 3 4 5 6 7");
	TAP_CHECK_EQ(buddy_largest_order(z), 7);
	TAP_CHECK_EQ(check_ok(z), 0);
}

static void test_split_and_merge(void)
{
	struct buddy_zone *z = make_zone(0, 16, 0);
	uint64_t a = alloc_at(z, 1, 0);

	TAP_CHECK_EQ(a, 0);
	EXPECT_FREE_ORDERS(z, "0 1 2 3");
	TAP_CHECK_EQ(free_at(z, a), 0);
	EXPECT_FREE_ORDERS(z, "4");
	TAP_CHECK_EQ(z->free_units, 16);

	/* the upper halves of the merges stop being blocks: absorbed */
	TAP_CHECK_EQ(alloc_at(z, 1, 0), 0);
	TAP_CHECK_EQ(alloc_at(z, 1, 0), 1);
	TAP_CHECK_EQ(free_at(z, 1), 0);
	watch_absorb(z);
	TAP_CHECK_EQ(free_at(z, 0), 0);
	expect_absorbed((const uint64_t[]){ 1, 2, 4, 8 }, 4);
	EXPECT_FREE_ORDERS(z, "4");
}

/* Allocations of 1..max units are exactly that long, and once all are
 * freed (and the caches given back) the zone is as it began. */
static void expect_exact_roundtrip(uint64_t offset, uint64_t count, unsigned cache, uint64_t max)
{
	struct buddy_zone *z = make_zone(offset, count, cache);
	uint64_t at[64];
	static char initial[3 * LAYOUT_UNITS];

	strcpy(initial, free_orders(z));
	for (uint64_t n = 1; n <= max; n++) {
		at[n] = alloc_at(z, n, 0);
		TAP_CHECK(at[n] != NONE);
		TAP_CHECK_EQ(size_at(z, at[n]), n);
	}
	for (uint64_t n = 1; n <= max; n += 2)
		TAP_CHECK_EQ(free_at(z, at[n]), 0);
	for (uint64_t n = 2; n <= max; n += 2)
		TAP_CHECK_EQ(free_at(z, at[n]), 0);
	buddy_reclaim_all(z);
	TAP_CHECK_EQ(check_ok(z), 0);
	EXPECT_FREE_ORDERS(z, initial);
	TAP_CHECK_EQ(z->free_units, count);
}

static void test_exact_allocations(void)
{
	expect_exact_roundtrip(0, 4096, 0, 40);
	expect_exact_roundtrip(7, 3001, 0, 40);
	expect_exact_roundtrip(0, 4096, LAZY, 40);
	expect_exact_roundtrip(7, 3001, LAZY, 40);
}

static void test_requests_that_fit_succeed(void)
{
	struct buddy_zone *z = make_zone(1, 4, 0);	/* blocks 0 1 0 */
	static struct snapshot before;
	uint64_t u;

	TAP_CHECK_EQ(alloc_at(z, 4, 0), 1);
	TAP_CHECK_EQ(size_at(z, 1), 4);
	z = make_zone(5, 251, 0);
	TAP_CHECK_EQ(alloc_at(z, 251, 0), 5);
	TAP_CHECK_EQ(size_at(z, 5), 251);
	TAP_CHECK_EQ(free_at(z, 5), 0);
	EXPECT_FREE_ORDERS(z, "0 1 3 4 5 6 7");
	TAP_CHECK_EQ(alloc_at(z, 200, 5), 32);		/* aligned, placed */

	z = make_zone(1, 40, LAZY);			/* the one 32-aligned unit: 32 */
	TAP_CHECK(alloc_at(z, 3, 0) != NONE);
	take_snapshot(z, &before);
	TAP_CHECK_EQ(buddy_alloc(z, 10, 5, &u), -E_NOMEM);	/* 32 + 10 > 41 */
	TAP_CHECK_EQ(buddy_alloc(z, 1, 6, &u), -E_NOMEM);	/* no unit at 64 */
	TAP_CHECK_EQ(buddy_alloc(z, 1, 31, &u), -E_NOMEM);
	TAP_CHECK_EQ(buddy_alloc(z, 1, 64, &u), -E_NOMEM);
	TAP_CHECK_EQ(buddy_alloc(z, 1, 200, &u), -E_NOMEM);
	TAP_CHECK_EQ(buddy_alloc(z, 0, 0, &u), -E_NOMEM);
	TAP_CHECK_EQ(buddy_alloc(z, 41, 0, &u), -E_NOMEM);
	TAP_CHECK_EQ(buddy_alloc(z, UINT64_MAX, 0, &u), -E_NOMEM);
	expect_unchanged(z, &before);
	TAP_CHECK_EQ(alloc_at(z, 9, 5), 32);		/* 32 + 9 = 41: fits */
}

static void test_placement_in_a_run(void)
{
	struct buddy_zone *z = make_zone(0, 16, 0);

	for (uint64_t i = 0; i < 16; i++)
		TAP_CHECK_EQ(alloc_at(z, 1, 0), i);
	for (uint64_t i = 5; i < 13; i++)	/* 3 + 4 + 1 units: 5, 6-7, 8-11, 12 */
		TAP_CHECK_EQ(free_at(z, i), 0);
	EXPECT_FREE_ORDERS(z, "0 1 2 0");
	TAP_CHECK_EQ(buddy_largest_order(z), 2);
	watch_absorb(z);
	TAP_CHECK_EQ(alloc_at(z, 8, 0), 5);
	TAP_CHECK_EQ(size_at(z, 5), 8);
	EXPECT_FREE_ORDERS(z, "");
	expect_absorbed((const uint64_t[]){ 6, 8, 12 }, 3);	/* now interior */
	for (uint64_t i = 0; i < 16; i++)
		if (i < 5 || i >= 13)
			TAP_CHECK_EQ(free_at(z, i), 0);
	TAP_CHECK_EQ(free_at(z, 5), 0);
	EXPECT_FREE_ORDERS(z, "4");
}

static void test_misuse_changes_nothing(void)
{
	static struct snapshot before;
	uint64_t n = 0x77;
	struct buddy_zone *z = make_zone(0, 64, 0);
	uint64_t a = alloc_at(z, 1, 0), b = alloc_at(z, 3, 0);

	TAP_CHECK_EQ(free_at(z, a), 0);			/* merged into a block at 0 */
	take_snapshot(z, &before);
	TAP_CHECK_EQ(buddy_free(z, base_unit + b + 1, &n), -E_NOTALLOC);
	TAP_CHECK_EQ(buddy_free(z, base_unit + a, &n), -E_FREED);
	TAP_CHECK_EQ(buddy_size(z, base_unit + a, &n), -E_FREED);
	TAP_CHECK_EQ(n, 0x77);
	expect_unchanged(z, &before);

	z = make_zone(0, 64, LAZY);
	a = alloc_at(z, 1, 0);
	b = alloc_at(z, 3, 0);				/* its tail at b + 3 */
	TAP_CHECK_EQ(free_at(z, a), 0);			/* back with its batch */
	TAP_CHECK_EQ(buddy_cached_count(z, 0), BUDDY_CACHE_BATCH);
	TAP_CHECK_EQ(buddy_tail_units(z), 1);
	take_snapshot(z, &before);
	TAP_CHECK_EQ(buddy_free(z, base_unit + a, &n), -E_FREED);
	TAP_CHECK_EQ(buddy_free(z, base_unit + b + 3, &n), -E_NOTALLOC);
	TAP_CHECK_EQ(buddy_size(z, base_unit + b + 3, &n), -E_NOTALLOC);
	TAP_CHECK_EQ(buddy_free(z, base_unit + b + 1, &n), -E_NOTALLOC);
	expect_unchanged(z, &before);
}

/* ---- caches and deferred tails ---- */

static void test_caches_and_tails(void)
{
	struct buddy_zone *z = make_zone(0, 1024, LAZY);
	uint64_t a = alloc_at(z, 5, 0), again, many[100];

	/* the empty cache of order 3 took a batch: a's block and the 7 after it */
	TAP_CHECK_EQ(size_at(z, a), 5);
	TAP_CHECK_EQ(buddy_tail_units(z), 3);
	TAP_CHECK_EQ(buddy_cached_count(z, 3), BUDDY_CACHE_BATCH - 1);
	for (uint64_t b = 1; b < BUDDY_CACHE_BATCH; b++)
		TAP_CHECK_EQ(free_at(z, a + 8 * b), -E_FREED);
	TAP_CHECK_EQ(free_at(z, a), 0);
	TAP_CHECK_EQ(buddy_tail_units(z), 0);
	TAP_CHECK_EQ(buddy_cached_count(z, 3), BUDDY_CACHE_BATCH);
	TAP_CHECK_EQ(buddy_cached_units(z), 8 * BUDDY_CACHE_BATCH);
	again = alloc_at(z, 7, 0);			/* the last block cached */
	TAP_CHECK_EQ(again, a);
	TAP_CHECK_EQ(buddy_cached_count(z, 3), BUDDY_CACHE_BATCH - 1);
	TAP_CHECK_EQ(free_at(z, again), 0);

	for (unsigned i = 0; i < 100; i++)
		many[i] = alloc_at(z, 1, 0);
	for (unsigned i = 0; i < 100; i++)
		TAP_CHECK_EQ(free_at(z, many[i]), 0);
	TAP_CHECK_EQ(buddy_cached_count(z, 0), BUDDY_CACHE_HIGH);
	for (unsigned k = 0; k < BUDDY_CACHE_ORDERS; k++)
		TAP_CHECK(buddy_cached_count(z, k) <= BUDDY_CACHE_HIGH);

	/* a free that finds its cache full goes to the lists with a batch */
	unsigned i = 0;

	for (; i < 40; i++)
		many[i] = alloc_at(z, 1, 0);
	for (i = 0; buddy_cached_count(z, 0) < BUDDY_CACHE_HIGH; i++)
		TAP_CHECK_EQ(free_at(z, many[i]), 0);
	TAP_CHECK_EQ(free_at(z, many[i]), 0);
	TAP_CHECK_EQ(buddy_cached_count(z, 0), BUDDY_CACHE_HIGH - BUDDY_CACHE_BATCH + 1);
	TAP_CHECK_EQ(buddy_size(z, base_unit + many[i], &many[99]), -E_FREED);
	while (++i < 40)
		TAP_CHECK_EQ(free_at(z, many[i]), 0);

	/* a cached block of order 2 over listed blocks of orders 0 and 1 */
	z = make_zone(0, 64, 0);
	a = alloc_at(z, 4, 0);
	for (uint64_t u = 4; u < 64; u++)
		TAP_CHECK_EQ(alloc_at(z, 1, 0), u);
	for (uint64_t u = 4; u < 64; u++)
		if (u % 4 != 3)
			TAP_CHECK_EQ(free_at(z, u), 0);
	buddy_set_cache(z, LAZY);
	TAP_CHECK_EQ(buddy_largest_order(z), 1);
	TAP_CHECK_EQ(free_at(z, a), 0);
	TAP_CHECK_EQ(buddy_cached_count(z, 2), 1);
	TAP_CHECK_EQ(buddy_largest_order(z), 2);
}

/* A zone turned tight while it holds tails and cached blocks gives them
 * all back within a bounded number of calls, and a request that needs
 * what the caches hold succeeds. */
static void test_tight_zone_reclaims(void)
{
	struct buddy_zone *z = make_zone(0, 1024, LAZY);
	uint64_t singles[16], small[256], eights[64], items, calls = 0;
	unsigned nsmall = 0, neights = 0;

	for (unsigned i = 0; i < 16; i++)
		singles[i] = alloc_at(z, 1, 0);
	for (unsigned i = 0; i < 16; i++)
		TAP_CHECK_EQ(free_at(z, singles[i]), 0);
	while (is_roomy(z) && nsmall < 256)		/* each leaves a tail of 1 */
		small[nsmall++] = alloc_at(z, 3, 0);
	TAP_CHECK(!is_roomy(z));
	/* each came from a cache of order 2 or its refill, which made it tight */
	TAP_CHECK_EQ(buddy_tail_units(z), nsmall);
	TAP_CHECK(buddy_cached_count(z, 2) < BUDDY_CACHE_BATCH);
	TAP_CHECK_EQ(buddy_cached_units(z), 16 + 4 * buddy_cached_count(z, 2));
	items = buddy_tail_count(z) + 16 + buddy_cached_count(z, 2);
	/* allocations of 8 take more than the calls give back: it stays tight */
	while ((buddy_tail_units(z) || buddy_cached_units(z)) && neights < 64) {
		eights[neights++] = alloc_at(z, 8, 0);
		TAP_CHECK(!is_roomy(z));
		calls++;
	}
	TAP_CHECK(calls <= items / 2 + 2);
	TAP_CHECK_EQ(buddy_tail_units(z), 0);
	TAP_CHECK_EQ(buddy_cached_units(z), 0);

	/* a mass free: the later frees, in a roomy zone again, are cached */
	for (unsigned i = 0; i < nsmall; i++)
		TAP_CHECK_EQ(free_at(z, small[i]), 0);
	for (unsigned i = 0; i < neights; i++)
		TAP_CHECK_EQ(free_at(z, eights[i]), 0);
	TAP_CHECK(buddy_cached_units(z) > 0);
	TAP_CHECK_EQ(alloc_at(z, 1000, 0), 0);		/* needs every cached block */
}

/* ---- resizing ---- */

static void test_resize(void)
{
	static struct snapshot before;
	struct buddy_zone *z = make_zone(0, 64, 0);
	uint64_t a = alloc_at(z, 10, 0), b;

	TAP_CHECK_EQ(a, 0);
	TAP_CHECK_EQ(resize_at(z, a, 3), 0);
	TAP_CHECK_EQ(size_at(z, a), 3);
	EXPECT_FREE_ORDERS(z, "0 2 3 4 5");
	watch_absorb(z);
	TAP_CHECK_EQ(resize_at(z, a, 20), 0);
	TAP_CHECK_EQ(size_at(z, a), 20);
	expect_absorbed((const uint64_t[]){ 3, 4, 8, 16 }, 4);
	EXPECT_FREE_ORDERS(z, "2 3 5");
	b = alloc_at(z, 4, 0);
	TAP_CHECK_EQ(b, 20);
	take_snapshot(z, &before);
	TAP_CHECK_EQ(buddy_resize(z, base_unit + a, 20, 21), -E_NOMEM);
	TAP_CHECK_EQ(buddy_resize(z, base_unit + b, 4, 65), -E_NOMEM);
	expect_unchanged(z, &before);
	TAP_CHECK_EQ(resize_at(z, b, 44), 0);		/* to the zone's end */
	TAP_CHECK_EQ(size_at(z, b), 44);
	TAP_CHECK_EQ(free_at(z, a), 0);
	TAP_CHECK_EQ(free_at(z, b), 0);
	EXPECT_FREE_ORDERS(z, "6");

	z = make_zone(0, 64, LAZY);
	a = alloc_at(z, 3, 0);				/* a tail of 1 */
	TAP_CHECK_EQ(buddy_tail_units(z), 1);
	TAP_CHECK_EQ(resize_at(z, a, 2), 0);
	TAP_CHECK_EQ(size_at(z, a), 2);
	TAP_CHECK_EQ(buddy_tail_units(z), 0);
	b = alloc_at(z, 5, 0);				/* a tail of 3 */
	TAP_CHECK_EQ(resize_at(z, b, 8), 0);
	TAP_CHECK_EQ(size_at(z, b), 8);
	TAP_CHECK_EQ(buddy_tail_units(z), 0);
	TAP_CHECK_EQ(free_at(z, a), 0);
	TAP_CHECK_EQ(free_at(z, b), 0);
	buddy_reclaim_all(z);
	EXPECT_FREE_ORDERS(z, "6");
}

/* ---- randomized runs against a shadow model ---- */

enum { UNIT_FREE, UNIT_INTERIOR, UNIT_START };

struct run {
	struct buddy_zone *z;
	uint64_t start[4096], n[4096];	/* live allocations, arena-relative */
	unsigned nlive, max_live;
	unsigned refused_fits;		/* requests refused by an empty zone */
	unsigned char *unit;		/* by unit - offset: UNIT_* */
	uint64_t offset, count;
};

static struct run run;

/* Marks [from, to) as units of the allocation at s in the model,
 * requiring that they were all free. */
static void mark(uint64_t s, uint64_t from, uint64_t to)
{
	for (uint64_t u = from; u < to; u++) {
		REQUIRE(run.unit[u - run.offset] == UNIT_FREE);
		run.unit[u - run.offset] = u == s ? UNIT_START : UNIT_INTERIOR;
	}
}

static void unmark(uint64_t from, uint64_t to)
{
	memset(run.unit + (from - run.offset), UNIT_FREE, to - from);
}

/* Sizes skewed small, up to the zone's count and a little past it. */
static uint64_t random_units(void)
{
	unsigned bits = log2_floor(run.count) + 2;

	return 1 + rnd() % ((uint64_t)1 << (rnd() % bits));
}

static void random_alloc(void)
{
	uint64_t n = random_units(), u;
	unsigned r = rnd() % 16, align = r < 10 ? 0 : r < 15 ? rnd() % 10 : (unsigned)(rnd() % 300);
	int err = buddy_alloc(run.z, n, align, &u);

	if (!run.nlive && !align && n <= run.count && err)	/* fits an empty zone */
		run.refused_fits++;
	if (err) {
		REQUIRE(err == -E_NOMEM);
		return;
	}
	REQUIRE(buddy_contains(run.z, u) && u + n <= zone_end(run.z));
	REQUIRE(align < 64 && (u & (order_units(align) - 1)) == 0);
	u -= base_unit;
	mark(u, u, u + n);
	run.start[run.nlive] = u;
	run.n[run.nlive++] = n;
}

static void random_free(unsigned i)
{
	uint64_t n;

	REQUIRE(buddy_free(run.z, base_unit + run.start[i], &n) == 0);
	REQUIRE(n == run.n[i]);
	unmark(run.start[i], run.start[i] + n);
	run.start[i] = run.start[run.nlive - 1];
	run.n[i] = run.n[--run.nlive];
}

static void random_resize(unsigned i)
{
	uint64_t s = run.start[i], n = run.n[i], new_n = 1 + rnd() % (2 * n + 4), len;
	int err = buddy_resize(run.z, base_unit + s, n, new_n);

	REQUIRE(err == 0 || (err == -E_NOMEM && new_n > n));
	REQUIRE(buddy_size(run.z, base_unit + s, &len) == 0);
	REQUIRE(len == (err ? n : new_n));
	if (err)
		return;
	if (new_n < n)
		unmark(s + new_n, s + n);
	else
		mark(s, s + n, s + new_n);
	run.n[i] = new_n;
}

/* Frees a unit that is not a live start: refused, nothing freed. */
static void random_misuse(void)
{
	uint64_t r = rnd() % run.count, n, live = run.z->out;

	if (run.unit[r] == UNIT_START)
		return;
	int err = buddy_free(run.z, base_unit + run.offset + r, &n);

	REQUIRE(err == -E_FREED || err == -E_NOTALLOC);
	REQUIRE(run.z->out == live);
}

static void expect_sizes_match_model(void)
{
	for (unsigned i = 0; i < run.nlive; i++) {
		uint64_t n;

		REQUIRE(buddy_size(run.z, base_unit + run.start[i], &n) == 0);
		REQUIRE(n == run.n[i]);
	}
}

static void random_step(void)
{
	unsigned op = rnd() % 100, i = run.nlive ? rnd() % run.nlive : 0;

	if (op < 45 && run.nlive < run.max_live)
		random_alloc();
	else if (op < 88 && run.nlive)
		random_free(i);
	else if (op < 97 && run.nlive)
		random_resize(i);
	else
		random_misuse();
}

static void random_run(uint64_t seed, uint64_t offset, uint64_t count, unsigned cache,
		       unsigned ops)
{
	unsigned every = count > 4096 ? 1000 : 1;

	rng_state = seed;
	run.z = make_zone(offset, count, cache);
	run.offset = offset;
	run.count = count;
	run.nlive = 0;
	run.refused_fits = 0;
	run.max_live = count < 4096 ? (unsigned)count : 4096;
	run.unit = calloc(count, 1);
	mm_failed = 0;
	for (unsigned op = 1; op <= ops && !mm_failed; op++) {
		random_step();
		if (op % every == 0 && check_ok(run.z)) {
			TAP_CHECK_EQ(op, 0);
			break;
		}
		if (op % (every * 64) == 0)
			expect_sizes_match_model();
	}
	TAP_CHECK_EQ(run.refused_fits, 0);
	while (run.nlive && !mm_failed)
		random_free(run.nlive - 1);
	buddy_reclaim_all(run.z);
	TAP_CHECK_EQ(check_ok(run.z), 0);
	TAP_CHECK_EQ(run.z->free_units, count);
	free(run.unit);
}

/* Small zones are checked after every operation, the large one (two
 * seeds) every 1000; each with caches off and on. */
static void test_random_runs(void)
{
	static const uint64_t zones[][2] = { { 3, 5 }, { 1, 4 }, { 7, 64 }, { 1, 1000 },
					     { 0x155, 100000 }, { 0x155, 100000 } };

	for (unsigned i = 0; i < sizeof(zones) / sizeof(zones[0]); i++)
		for (unsigned cache = 0; cache <= LAZY; cache += LAZY)
			random_run(0x9e3779b97f4a7c15 * (i + 1) + cache, zones[i][0],
				   zones[i][1], cache, RANDOM_OPS);
}

int main(void)
{
	TAP_RUN(test_bitmap_index_searches);
	TAP_RUN(test_init_carves_maximal_blocks);
	TAP_RUN(test_split_and_merge);
	TAP_RUN(test_exact_allocations);
	TAP_RUN(test_requests_that_fit_succeed);
	TAP_RUN(test_placement_in_a_run);
	TAP_RUN(test_misuse_changes_nothing);
	TAP_RUN(test_caches_and_tails);
	TAP_RUN(test_tight_zone_reclaims);
	TAP_RUN(test_resize);
	TAP_RUN(test_random_runs);
	free(meta);
	return tap_done();
}
