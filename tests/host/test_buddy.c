/*
 * Unit tests of the buddy core (mm/buddy.c, mm/buddy_check.c) on 16-byte
 * units over a small aligned host arena: carving, splitting with tail
 * return, coalescing, length recovery, grow/shrink, the check walker.
 */
#include <string.h>

#include "lib/errors.h"
#include "mm/buddy.h"
#include "tests/host/support/mm_arena.h"
#include "tests/host/support/mm_require.h"
#include "tests/host/tap.h"

#define SHIFT 4u
#define ARENA_UNITS 4096u
#define ARENA_BYTES ((size_t)ARENA_UNITS << SHIFT)

static uint64_t start_bits[ARENA_UNITS / 64], free_bits[ARENA_UNITS / 64];
static uint64_t base_unit;
static struct buddy_zone zone;

/* A zone over units [base + offset, base + offset + count) of the arena. */
static struct buddy_zone *make_zone(uint64_t offset, uint64_t count)
{
	static void *arena;

	if (!arena)
		arena = mm_arena_map(ARENA_BYTES, ARENA_BYTES);
	base_unit = (uintptr_t)arena >> SHIFT;
	buddy_init(&zone, base_unit + offset, count, SHIFT, start_bits, free_bits);
	return &zone;
}

static void counts(const struct buddy_zone *z, uint64_t out[BUDDY_ORDERS])
{
	for (unsigned k = 0; k < BUDDY_ORDERS; k++)
		out[k] = buddy_count_order(z, k);
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

static void test_alloc_non_power_of_two_returns_tail(void)
{
	struct buddy_zone *z = make_zone(0, 64);
	uint64_t s, n, free_units, used;

	TAP_CHECK_EQ(buddy_alloc(z, 5, 0, &s), 0);
	TAP_CHECK_EQ(s, base_unit);
	TAP_CHECK_EQ(buddy_alloc_len(z, s, &n), 0);
	TAP_CHECK_EQ(n, 5);
	TAP_CHECK_EQ(check(z, &free_units, &used), 0);
	TAP_CHECK_EQ(used, 5);
	TAP_CHECK_EQ(free_units, 59);
	/* tail 5..63: 5 (0), 6 (1), 8 (3), 16 (4), 32 (5) */
	TAP_CHECK_EQ(z->nonempty, 0x3bu);
	buddy_free(z, s, n);
	TAP_CHECK_EQ(z->nonempty, 1u << 6);
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
	TAP_CHECK_EQ(buddy_alloc_len(z, b, &n), 0);
	TAP_CHECK_EQ(n, 3);
	TAP_CHECK_EQ(check_ok(z), 0);
	buddy_free(z, a, 1);
	buddy_free(z, b, 3);
	TAP_CHECK_EQ(z->nonempty, 1u << 8);
}

static void test_len_rejects_free_and_interior(void)
{
	struct buddy_zone *z = make_zone(0, 64);
	uint64_t s, n = 77;

	TAP_CHECK_EQ(buddy_alloc(z, 6, 0, &s), 0);
	TAP_CHECK_EQ(buddy_alloc_len(z, s + 1, &n), -E_NOTALLOC);
	TAP_CHECK_EQ(buddy_alloc_len(z, s + 6, &n), -E_NOTALLOC);
	TAP_CHECK_EQ(buddy_alloc_len(z, s + 32, &n), -E_NOTALLOC);
	TAP_CHECK_EQ(n, 77);
	buddy_free(z, s, 6);
	TAP_CHECK_EQ(buddy_alloc_len(z, s, &n), -E_NOTALLOC);
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
		buddy_free(z, units[i], 1);
	TAP_CHECK_EQ(check_ok(z), 0);
	for (unsigned i = 1; i < 100; i += 2)
		buddy_free(z, units[i], 1);
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
	TAP_CHECK_EQ(buddy_grow(z, s, 3, 13), 0);
	TAP_CHECK_EQ(buddy_alloc_len(z, s, &n), 0);
	TAP_CHECK_EQ(n, 13);
	TAP_CHECK_EQ(check_ok(z), 0);
	buddy_shrink(z, s, 13, 2);
	TAP_CHECK_EQ(buddy_alloc_len(z, s, &n), 0);
	TAP_CHECK_EQ(n, 2);
	TAP_CHECK_EQ(check_ok(z), 0);
	/* blocked by a neighbour */
	TAP_CHECK_EQ(buddy_alloc(z, 2, 0, &t), 0);
	TAP_CHECK_EQ(t, s + 2);
	TAP_CHECK_EQ(buddy_grow(z, s, 2, 3), -E_NOMEM);
	TAP_CHECK_EQ(buddy_alloc_len(z, s, &n), 0);
	TAP_CHECK_EQ(n, 2);
	/* invariant P: t (2 mod 4) may grow to 2 units, not to 3 */
	TAP_CHECK_EQ(buddy_grow(z, t, 2, 3), -E_NOMEM);
	/* nor past the zone end */
	TAP_CHECK_EQ(buddy_grow(z, s, 2, 65), -E_NOMEM);
	TAP_CHECK_EQ(check_ok(z), 0);
	buddy_free(z, t, 2);
	buddy_free(z, s, 2);
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

	z->on_absorb = record_absorb;
	nabsorbed = 0;
	TAP_CHECK_EQ(buddy_alloc(z, 1, 0, &a), 0);
	TAP_CHECK_EQ(buddy_alloc(z, 1, 0, &b), 0);
	buddy_free(z, a, 1);
	TAP_CHECK_EQ(nabsorbed, 0);
	buddy_free(z, b, 1);
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
	TAP_CHECK_EQ(check_ok(z), 0);

	free_bits[0] ^= 1ull << 5;	/* block at 5 no longer marked free */
	TAP_CHECK_EQ(buddy_check(z, &f, &u, &why, &where), -E_CORRUPT);
	TAP_CHECK(why != NULL);
	TAP_CHECK_EQ(where, (base_unit + 5) << SHIFT);
	free_bits[0] ^= 1ull << 5;

	start_bits[0] ^= 1ull << 2;	/* start inside the allocation */
	TAP_CHECK_EQ(buddy_check(z, &f, &u, &why, &where), -E_CORRUPT);
	start_bits[0] ^= 1ull << 2;

	z->nonempty ^= 1ull << 9;
	TAP_CHECK_EQ(buddy_check(z, &f, &u, &why, &where), -E_CORRUPT);
	z->nonempty ^= 1ull << 9;

	struct buddy_node *node = (struct buddy_node *)(uintptr_t)((base_unit + 8) << SHIFT);
	struct buddy_node *saved = node->next;

	node->next = (struct buddy_node *)(uintptr_t)0x1230;
	TAP_CHECK_EQ(buddy_check(z, &f, &u, &why, &where), -E_CORRUPT);
	node->next = saved;

	start_bits[0] |= 1ull << 12;	/* splits the free block at 8 */
	free_bits[0] |= 1ull << 12;
	TAP_CHECK_EQ(buddy_check(z, &f, &u, &why, &where), -E_CORRUPT);
	start_bits[0] &= ~(1ull << 12);
	free_bits[0] &= ~(1ull << 12);

	TAP_CHECK_EQ(check_ok(z), 0);
}

int main(void)
{
	TAP_RUN(test_aligned_zone_is_one_block);
	TAP_RUN(test_unaligned_zone_carving);
	TAP_RUN(test_alloc_non_power_of_two_returns_tail);
	TAP_RUN(test_alignment_order);
	TAP_RUN(test_len_rejects_free_and_interior);
	TAP_RUN(test_exhaust_and_refill);
	TAP_RUN(test_too_large_and_zero);
	TAP_RUN(test_grow_and_shrink);
	TAP_RUN(test_absorb_hook);
	TAP_RUN(test_free_walk);
	TAP_RUN(test_check_detects_corruption);
	return tap_done();
}
