/*
 * Randomized heap test against a reference model, over several seeds and
 * about two million operations: every block lies inside the arena, is
 * aligned as asked, overlaps no live block (ownership map), keeps its
 * contents until freed or reallocated; heap_check() after every operation
 * on the first seed and periodically on the long ones; rejected misuse
 * changes nothing; once everything is freed the free lists are the initial
 * ones. One seed runs with poisoning on, which must never raise an alarm.
 */
#include <stdlib.h>
#include <string.h>

#include "lib/errors.h"
#include "lib/random.h"
#include "mm/heap.h"
#include "tests/host/support/mm_arena.h"
#include "tests/host/support/mm_ownermap.h"
#include "tests/host/support/mm_require.h"
#include "tests/host/tap.h"

#define ARENA_BYTES ((size_t)3 << 20)	/* the live blocks reach it: tight at times */
#define MAX_LIVE 3000

struct block {
	unsigned char *p;
	size_t size;
	size_t usable;
	uint64_t seed;
	uint32_t id;
};

static struct heap heap;
static uint64_t meta[4 * ARENA_BYTES / 16 / 64];	/* 2 bits a granule, and the start bits' summary */
static unsigned char *arena;
static struct block live[MAX_LIVE];
static unsigned nlive;
static uint64_t rng;
static uint32_t next_id;
static struct mm_ownermap owners;

static size_t random_size(void)
{
	uint64_t r = rng_next(&rng) % 100;

	if (r < 70)
		return rng_range(&rng, 1, 128);
	if (r < 95)
		return rng_range(&rng, 129, 2048);
	return rng_range(&rng, 2049, 32768);
}

static uint64_t pattern_word(uint64_t seed, size_t i)
{
	return seed ^ (i * 0x9e3779b97f4a7c15ull);
}

static void fill(const struct block *b)
{
	for (size_t i = 0; i < b->size; i++)
		b->p[i] = (unsigned char)(pattern_word(b->seed, i / 8) >> (i % 8 * 8));
}

static int intact(const struct block *b, size_t size)
{
	for (size_t i = 0; i < size; i++)
		if (b->p[i] != (unsigned char)(pattern_word(b->seed, i / 8) >> (i % 8 * 8)))
			return 0;
	return 1;
}

static int zeroed(const unsigned char *p, size_t size)
{
	for (size_t i = 0; i < size; i++)
		if (p[i])
			return 0;
	return 1;
}

static int check_ok(void)
{
	const char *why = NULL;
	uintptr_t where = 0;
	int err = heap_check(&heap, &why, &where);

	return mm_check_report(err, why, where);
}

/* Takes a new block into the model after checking where it lies and its
 * usable size: the size rounded to granules, plus one granule at most for
 * a realloc (a straddling block shrunk to a power of two is kept one
 * granule longer). */
static void adopt(unsigned char *p, size_t size, size_t align, size_t slack)
{
	struct block *b = &live[nlive];
	size_t usable, rounded = (size + 15) / 16 * 16;

	REQUIRE((uintptr_t)p % align == 0);
	REQUIRE(heap_usable_size(&heap, p, &usable) == 0);
	REQUIRE(usable >= rounded && usable <= rounded + slack);
	*b = (struct block){ p, size, usable, rng_next(&rng), ++next_id };
	REQUIRE(mm_ownermap_claim(&owners, (uintptr_t)p, usable, b->id) == 0);
	fill(b);
	nlive++;
}

static void op_alloc(void)
{
	size_t size = random_size(), align = 16;
	uint64_t kind = rng_next(&rng) % 8;
	unsigned char *p;

	if (kind == 0) {
		align = (size_t)1 << rng_range(&rng, 5, 12);
		p = heap_alloc_aligned(&heap, size, align);
	} else if (kind == 1) {
		p = heap_calloc(&heap, 1, size);
		REQUIRE(!p || zeroed(p, size));
	} else {
		p = heap_alloc(&heap, size);
	}
	if (p)
		adopt(p, size, align, 0);
}

static void op_free(unsigned i)
{
	struct block b = live[i];

	REQUIRE(intact(&b, b.size));
	REQUIRE(heap_free(&heap, b.p) == 0);
	REQUIRE(mm_ownermap_release(&owners, (uintptr_t)b.p, b.usable, b.id) == 0);
	live[i] = live[--nlive];
	/* the freed pointer is now rejected: a free block may start there,
	   or nothing at all */
	int again = heap_free(&heap, b.p);

	REQUIRE(again == -E_FREED || again == -E_NOTALLOC);
}

static void op_realloc(unsigned i)
{
	struct block *b = &live[i];
	size_t size = random_size();
	size_t keep = size < b->size ? size : b->size;
	unsigned char *p;

	REQUIRE(intact(b, b->size));
	p = heap_realloc(&heap, b->p, size);
	if (!p) {
		REQUIRE(intact(b, b->size));
		return;
	}
	REQUIRE(mm_ownermap_release(&owners, (uintptr_t)b->p, b->usable, b->id) == 0);
	b->p = p;
	REQUIRE(intact(b, keep));
	live[i] = live[--nlive];
	adopt(p, size, 16, 16);
}

static void op_misuse(unsigned i)
{
	struct heap_stats before, after;
	const struct block *b = &live[i];

	heap_stats(&heap, &before);
	REQUIRE(heap_free(&heap, b->p + 8) == -E_ALIGN);
	if (b->size > 16) {	/* an interior pointer */
		REQUIRE(heap_free(&heap, b->p + 16) == -E_NOTALLOC);
		REQUIRE(heap_realloc(&heap, b->p + 16, 10) == NULL);
	}
	REQUIRE(heap_free(&heap, arena - 16) == -E_OUTSIDE);
	heap_stats(&heap, &after);
	REQUIRE(memcmp(&before, &after, sizeof(before)) == 0);
}

static void step(void)
{
	uint64_t r = rng_next(&rng) % 100;
	unsigned i = nlive ? (unsigned)(rng_next(&rng) % nlive) : 0;

	if (nlive == 0 || (nlive < MAX_LIVE && r < 52))
		op_alloc();
	else if (r < 85)
		op_free(i);
	else if (r < 99)
		op_realloc(i);
	else
		op_misuse(i);
}

static void run(uint64_t seed, unsigned ops, unsigned check_every, bool poison)
{
	struct heap_stats initial, final;
	bool ran_tight = false;

	if (!arena)
		arena = mm_arena_map(ARENA_BYTES, ARENA_BYTES);
	TAP_CHECK_EQ(heap_init_arena(&heap, arena, ARENA_BYTES, meta, sizeof(meta)), 0);
	heap_set_poison(&heap, poison);
	TAP_CHECK_EQ(mm_ownermap_init(&owners, (uintptr_t)arena, ARENA_BYTES, 4), 0);
	heap_stats(&heap, &initial);
	rng = seed;
	nlive = 0;
	mm_failed = 0;
	for (unsigned op = 0; op < ops && !mm_failed; op++) {
		step();
		if (heap.chunks[0].zone.free_units < heap.chunks[0].zone.roomy_units)
			ran_tight = true;
		if (!mm_failed && op % check_every == 0 && check_ok())
			mm_failed = 1;
	}
	while (nlive && !mm_failed)
		op_free(nlive - 1);
	buddy_reclaim_all(&heap.chunks[0].zone);	/* caches and tails back */
	TAP_CHECK_EQ(check_ok(), 0);
	heap_stats(&heap, &final);
	TAP_CHECK(memcmp(initial.free_blocks, final.free_blocks, sizeof(final.free_blocks)) == 0);
	TAP_CHECK_EQ(final.free_bytes, initial.free_bytes);
	TAP_CHECK_EQ(final.requested_bytes, 0);
	TAP_CHECK_EQ(final.poison_errors, 0);
	TAP_CHECK(final.peak_requested_bytes > ARENA_BYTES / 4);
	TAP_CHECK(ran_tight);		/* the tight paths (exact tails, reclaim) ran */
	mm_ownermap_destroy(&owners);
}

static void test_seed1_check_every_op(void) { run(1, 60000, 1, false); }
static void test_seed2_poisoned(void) { run(2, 200000, 500, true); }
static void test_seed3(void) { run(3, 500000, 1000, false); }
static void test_seed4(void) { run(4, 500000, 1000, false); }
static void test_seed5(void) { run(5, 500000, 1000, false); }

int main(void)
{
	TAP_RUN(test_seed1_check_every_op);
	TAP_RUN(test_seed2_poisoned);
	TAP_RUN(test_seed3);
	TAP_RUN(test_seed4);
	TAP_RUN(test_seed5);
	return tap_done();
}
