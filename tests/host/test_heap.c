/*
 * Unit tests of the heap (mm/heap*.c): every API call and misuse on a fixed
 * arena, the documented edge results, realloc in place and by moving, a
 * header-free 100% fill with page-sized blocks, caches and deferred tails
 * (double frees, limits, giving back on failure, poison), growth from and
 * return to the frame allocator, and poisoning catching a write after free.
 */
#include <stdlib.h>
#include <string.h>

#include "lib/errors.h"
#include "mm/heap.h"
#include "tests/host/support/mm_arena.h"
#include "tests/host/support/mm_require.h"
#include "tests/host/tap.h"

#define PCP_BYTES (BUDDY_CACHE_HARTS * BUDDY_PCP_BYTES)	/* per zone */

#define KIB ((size_t)1 << 10)
#define MIB ((size_t)1 << 20)
#define ARENA_BYTES MIB

static uint64_t meta[4 * ARENA_BYTES / 16 / 64];	/* 2 bits a granule, and the start bits' summary */
static struct heap heap;
static char *arena;

static struct heap *make(void)
{
	if (!arena)
		arena = mm_arena_map(ARENA_BYTES, ARENA_BYTES);
	if (heap_init_arena(&heap, arena, ARENA_BYTES, meta, sizeof(meta)))
		return NULL;
	return &heap;
}

/* Gives back what the chunks' caches and tails hold, so that their free
 * lists can be compared with a fresh heap's. */
static void settle(struct heap *h)
{
	for (unsigned i = 0; i < h->nslots; i++)
		buddy_reclaim_all(&h->chunks[i].zone);
}

/* A free of what is no longer live: a free block may start there, or
 * nothing at all. */
static bool is_refused(int err)
{
	return err == -E_FREED || err == -E_NOTALLOC;
}

static int check_ok(const struct heap *h)
{
	const char *why = NULL;
	uintptr_t where = 0;
	int err = heap_check(h, &why, &where);

	return mm_check_report(err, why, where);
}

static struct heap_stats before, after;

static void expect_unchanged(const struct heap *h)
{
	heap_stats(h, &after);
	TAP_CHECK(memcmp(&before, &after, sizeof(before)) == 0);
	TAP_CHECK_EQ(check_ok(h), 0);
}

static void test_alloc_free_sizes(void)
{
	struct heap *h = make();
	struct heap_stats st;
	void *p[6];
	size_t sizes[6] = { 1, 16, 17, 100, 4096, 5000 }, usable;

	heap_stats(h, &before);
	TAP_CHECK_EQ(before.free_bytes, ARENA_BYTES);
	/* three bits a granule and the start bits' summary, and the harts'
	   caches */
	TAP_CHECK_EQ(before.metadata_bytes, heap_metadata_size(ARENA_BYTES));
	TAP_CHECK(before.metadata_bytes < 24 * KIB + 256 + PCP_BYTES);
	for (int i = 0; i < 6; i++) {
		p[i] = heap_alloc(h, sizes[i]);
		TAP_CHECK(p[i] != NULL);
		TAP_CHECK_EQ((uintptr_t)p[i] % 16, 0);
		TAP_CHECK((char *)p[i] >= arena && (char *)p[i] + sizes[i] <= arena + ARENA_BYTES);
		memset(p[i], i, sizes[i]);
		TAP_CHECK_EQ(heap_usable_size(h, p[i], &usable), 0);
		TAP_CHECK_EQ(usable, (sizes[i] + 15) / 16 * 16);
	}
	heap_stats(h, &st);
	TAP_CHECK_EQ(st.requested_bytes, 16 + 16 + 32 + 112 + 4096 + 5008);
	TAP_CHECK_EQ(st.free_bytes, ARENA_BYTES - st.requested_bytes);
	TAP_CHECK_EQ(st.allocs, 6);
	TAP_CHECK_EQ(check_ok(h), 0);
	for (int i = 0; i < 6; i++)
		TAP_CHECK_EQ(heap_free(h, p[i]), 0);
	heap_stats(h, &st);
	TAP_CHECK_EQ(st.frees, 6);
	TAP_CHECK_EQ(st.peak_requested_bytes, 16 + 16 + 32 + 112 + 4096 + 5008);
	settle(h);
	heap_stats(h, &st);
	TAP_CHECK(memcmp(st.free_blocks, before.free_blocks, sizeof(st.free_blocks)) == 0);
	TAP_CHECK_EQ(st.largest_free_bytes, ARENA_BYTES);
}

static void test_edge_results(void)
{
	struct heap *h = make();

	heap_stats(h, &before);
	TAP_CHECK(heap_alloc(h, 0) == NULL);
	TAP_CHECK(heap_alloc_aligned(h, 16, 0) == NULL);
	TAP_CHECK(heap_alloc_aligned(h, 16, 48) == NULL);
	TAP_CHECK(heap_alloc_aligned(h, 16, 3) == NULL);
	TAP_CHECK(heap_realloc(h, NULL, 0) == NULL);
	expect_unchanged(h);

	TAP_CHECK(heap_alloc(h, SIZE_MAX) == NULL);
	TAP_CHECK(heap_alloc(h, ARENA_BYTES + 1) == NULL);
	TAP_CHECK(heap_alloc_aligned(h, 16, (size_t)1 << 62) == NULL);
	TAP_CHECK(heap_calloc(h, SIZE_MAX / 2, 3) == NULL);
	before.failures += 4;
	expect_unchanged(h);

	void *all = heap_alloc(h, ARENA_BYTES);

	TAP_CHECK(all == (void *)arena);
	TAP_CHECK(heap_alloc(h, 1) == NULL);
	TAP_CHECK_EQ(heap_free(h, all), 0);
}

static void test_free_misuse_changes_nothing(void)
{
	struct heap *h = make();
	char *p = heap_alloc(h, 64), *q = heap_alloc(h, 32);
	int local;
	size_t usable = 7;

	TAP_CHECK_EQ(heap_free(h, q), 0);
	heap_stats(h, &before);
	TAP_CHECK_EQ(heap_free(h, NULL), -E_INVAL);
	TAP_CHECK_EQ(heap_free(h, &local), -E_OUTSIDE);
	TAP_CHECK_EQ(heap_free(h, arena + ARENA_BYTES), -E_OUTSIDE);
	TAP_CHECK_EQ(heap_free(h, p + 1), -E_ALIGN);
	TAP_CHECK_EQ(heap_free(h, p + 16), -E_NOTALLOC);
	TAP_CHECK_EQ(heap_free(h, q), -E_FREED);		/* double free */
	TAP_CHECK_EQ(heap_usable_size(h, q, &usable), -E_FREED);
	TAP_CHECK_EQ(heap_usable_size(h, NULL, &usable), -E_INVAL);
	TAP_CHECK_EQ(heap_usable_size(h, p + 8, &usable), -E_ALIGN);
	TAP_CHECK_EQ(usable, 7);
	TAP_CHECK(heap_realloc(h, p + 16, 100) == NULL);
	TAP_CHECK(heap_realloc(h, q, 100) == NULL);
	TAP_CHECK(heap_realloc(h, &local, 0) == NULL);
	expect_unchanged(h);
	TAP_CHECK_EQ(heap_free(h, p), 0);
}

static void test_aligned(void)
{
	struct heap *h = make();
	size_t aligns[] = { 16, 32, 64, 256, 4096, 65536, 512 * KIB };
	void *p[7], *small = heap_alloc(h, 16);

	for (int i = 0; i < 7; i++) {
		p[i] = heap_alloc_aligned(h, 24, aligns[i]);
		TAP_CHECK(p[i] != NULL);
		TAP_CHECK_EQ((uintptr_t)p[i] % aligns[i], 0);
	}
	TAP_CHECK_EQ(check_ok(h), 0);
	for (int i = 0; i < 7; i++)
		TAP_CHECK_EQ(heap_free(h, p[i]), 0);
	TAP_CHECK_EQ(heap_free(h, small), 0);
	TAP_CHECK_EQ(check_ok(h), 0);
}

static void test_page_blocks_fill_whole_heap(void)
{
	struct heap *h = make();
	void *p[ARENA_BYTES / 4096];
	unsigned n = 0;

	heap_stats(h, &before);
	while (n < ARENA_BYTES / 4096 && (p[n] = heap_alloc_aligned(h, 4096, 4096)))
		TAP_CHECK_EQ((uintptr_t)p[n++] % 4096, 0);
	TAP_CHECK_EQ(n, ARENA_BYTES / 4096);
	TAP_CHECK(heap_alloc_aligned(h, 4096, 4096) == NULL);
	TAP_CHECK(heap_alloc(h, 16) == NULL);
	for (unsigned i = 0; i < n; i += 2)
		TAP_CHECK_EQ(heap_free(h, p[i]), 0);
	for (unsigned i = 1; i < n; i += 2)
		TAP_CHECK_EQ(heap_free(h, p[i]), 0);
	settle(h);
	heap_stats(h, &after);
	TAP_CHECK(memcmp(before.free_blocks, after.free_blocks, sizeof(after.free_blocks)) == 0);
	TAP_CHECK_EQ(check_ok(h), 0);
}

static void test_calloc(void)
{
	struct heap *h = make();
	unsigned char *p = heap_alloc(h, 300);

	memset(p, 0xee, 300);
	TAP_CHECK_EQ(heap_free(h, p), 0);
	p = heap_calloc(h, 10, 30);
	TAP_CHECK(p != NULL);
	for (int i = 0; i < 300; i++)
		TAP_CHECK_EQ(p[i], 0);
	TAP_CHECK(heap_calloc(h, 0, 10) == NULL);
	TAP_CHECK_EQ(heap_free(h, p), 0);
}

static void fill(unsigned char *p, size_t n, unsigned seed)
{
	for (size_t i = 0; i < n; i++)
		p[i] = (unsigned char)(seed + i * 7);
}

static int same(const unsigned char *p, size_t n, unsigned seed)
{
	for (size_t i = 0; i < n; i++)
		if (p[i] != (unsigned char)(seed + i * 7))
			return 0;
	return 1;
}

static void test_realloc_in_place(void)
{
	struct heap *h = make();
	unsigned char *p = heap_alloc_aligned(h, 100, 4096), *q;
	size_t usable;
	struct heap_stats st;

	fill(p, 100, 1);
	q = heap_realloc(h, p, 1000);			/* neighbours free: grow */
	TAP_CHECK(q == p);
	TAP_CHECK_EQ(heap_usable_size(h, q, &usable), 0);
	TAP_CHECK_EQ(usable, 1008);
	TAP_CHECK(same(q, 100, 1));
	TAP_CHECK_EQ(check_ok(h), 0);
	q = heap_realloc(h, p, 40);			/* shrink */
	TAP_CHECK(q == p);
	TAP_CHECK_EQ(heap_usable_size(h, q, &usable), 0);
	TAP_CHECK_EQ(usable, 48);
	TAP_CHECK(same(q, 40, 1));
	heap_stats(h, &st);
	TAP_CHECK_EQ(st.requested_bytes, 48);
	TAP_CHECK_EQ(st.free_bytes, ARENA_BYTES - 48);
	TAP_CHECK(heap_realloc(h, p, 48) == p);		/* same size */
	TAP_CHECK_EQ(check_ok(h), 0);
	TAP_CHECK(heap_realloc(h, p, 0) == NULL);	/* frees */
	TAP_CHECK(is_refused(heap_free(h, p)));
	settle(h);
	heap_stats(h, &st);
	TAP_CHECK_EQ(st.largest_free_bytes, ARENA_BYTES);
}

static void test_realloc_moves(void)
{
	struct heap *h = make();
	unsigned char *p = heap_alloc_aligned(h, 64, 4096);
	unsigned char *wall = heap_alloc(h, 16), *q;
	size_t usable;

	TAP_CHECK(wall == p + 64);
	fill(p, 64, 9);
	q = heap_realloc(h, p, 200);			/* blocked by the wall */
	TAP_CHECK(q != NULL && q != p);
	TAP_CHECK_EQ((uintptr_t)q % 4096, 0);		/* alignment kept */
	TAP_CHECK(same(q, 64, 9));
	TAP_CHECK(is_refused(heap_usable_size(h, p, &usable)));
	TAP_CHECK_EQ(heap_usable_size(h, q, &usable), 0);
	TAP_CHECK_EQ(usable, 208);
	TAP_CHECK_EQ(check_ok(h), 0);

	/* growth in place needs free units after the block, not alignment */
	unsigned char *odd = heap_alloc(h, 16);

	TAP_CHECK_EQ(heap_free(h, wall), 0);
	settle(h);	/* the blocks cached around odd (its refill) go back */
	TAP_CHECK(odd != NULL && (uintptr_t)odd % 32 == 16);
	fill(odd, 16, 3);
	unsigned char *r = heap_realloc(h, odd, 4000);

	TAP_CHECK(r == odd);
	TAP_CHECK(same(r, 16, 3));
	TAP_CHECK_EQ(check_ok(h), 0);

	/* out of memory: NULL and the block untouched; a request larger than
	 * all the free memory, cached and in tails too, changes nothing, not
	 * even the caches */
	TAP_CHECK_EQ(heap_free(h, heap_alloc(h, 16)), 0);	/* a cache to keep */
	heap_stats(h, &before);
	TAP_CHECK(before.cached_bytes + before.deferred_bytes > 0);
	TAP_CHECK(heap_realloc(h, q, ARENA_BYTES) == NULL);
	TAP_CHECK(same(q, 64, 9));
	before.failures++;
	expect_unchanged(h);
	TAP_CHECK_EQ(heap_free(h, q), 0);
	TAP_CHECK_EQ(heap_free(h, r), 0);
	TAP_CHECK(heap_realloc(h, NULL, 32) != NULL);
}

static void test_poison_catches_write_after_free(void)
{
	struct heap *h = make();
	char *p, *q;
	const char *why = NULL;
	uintptr_t where = 0;

	heap_set_poison(h, true);
	p = heap_alloc(h, 256);
	q = heap_alloc(h, 100);
	TAP_CHECK_EQ(heap_free(h, q), 0);
	TAP_CHECK_EQ(heap_free(h, p), 0);
	TAP_CHECK(heap_realloc(h, heap_alloc(h, 16), 512) != NULL);
	TAP_CHECK_EQ(check_ok(h), 0);		/* no false alarm */

	p = heap_alloc(h, 256);
	TAP_CHECK_EQ(heap_free(h, p), 0);
	p[40] = 'x';				/* the bug */
	TAP_CHECK_EQ(check_ok(h), 0);		/* not seen before reuse */
	q = heap_alloc(h, 256);
	TAP_CHECK(q == p);
	TAP_CHECK_EQ(heap_check(h, &why, &where), -E_CORRUPT);
	TAP_CHECK(why && strcmp(why, "write after free") == 0);
	TAP_CHECK_EQ(where, (uintptr_t)&p[40]);

	struct heap_stats st;

	heap_stats(h, &st);
	TAP_CHECK_EQ(st.poison_errors, 1);
}

static void test_poison_off_by_default(void)
{
	struct heap *h = make();
	char *p = heap_alloc(h, 64);

	TAP_CHECK_EQ(heap_free(h, p), 0);
	p[40] = 'x';
	TAP_CHECK(heap_alloc(h, 64) == p);
	TAP_CHECK_EQ(check_ok(h), 0);
}

static void test_cache_and_double_free(void)
{
	struct heap *h = make();
	char *keep = heap_alloc(h, 16), *p = heap_alloc(h, 100), *q;
	struct heap_stats st;
	size_t usable = 7;

	const uint64_t refilled = (BUDDY_CACHE_BATCH - 1) * 16;	/* by keep's refill */

	heap_stats(h, &st);
	TAP_CHECK_EQ(st.cached_bytes, refilled);	/* p's block was alone on its list */
	TAP_CHECK_EQ(st.deferred_bytes, 16);		/* 7 granules of a block of 8 */
	TAP_CHECK_EQ(heap_free(h, p), 0);
	heap_stats(h, &st);
	TAP_CHECK_EQ(st.cached_bytes, refilled + 128);	/* the whole block of 8 */
	TAP_CHECK_EQ(st.cached_blocks[3], 1);
	TAP_CHECK_EQ(st.free_bytes, ARENA_BYTES - 16);
	TAP_CHECK_EQ(heap_free(h, p), -E_FREED);	/* double free of a cached block */
	TAP_CHECK_EQ(heap_usable_size(h, p, &usable), -E_FREED);
	TAP_CHECK(heap_realloc(h, p, 10) == NULL);
	TAP_CHECK_EQ(usable, 7);
	q = heap_alloc(h, 120);
	TAP_CHECK(q == p);				/* from the cache */
	TAP_CHECK_EQ(heap_usable_size(h, q, &usable), 0);
	TAP_CHECK_EQ(usable, 128);
	heap_stats(h, &st);
	TAP_CHECK_EQ(st.cached_bytes, refilled);
	TAP_CHECK_EQ(check_ok(h), 0);
	TAP_CHECK_EQ(heap_free(h, q), 0);
	TAP_CHECK_EQ(heap_free(h, keep), 0);
	heap_stats(h, &st);
	TAP_CHECK_EQ(st.cached_bytes, refilled + 144);	/* both blocks, not merged */
	TAP_CHECK_EQ(st.free_bytes, ARENA_BYTES);
	settle(h);
	heap_stats(h, &st);
	TAP_CHECK_EQ(st.largest_free_bytes, ARENA_BYTES);
}

/* A mass free caches at most BUDDY_CACHE_HIGH blocks of an order and
 * merges the rest; a large request succeeds at once. */
static void test_caches_are_bounded(void)
{
	enum { BLOCKS = ARENA_BYTES / 64 };
	struct heap *h = make();
	static void *p[BLOCKS];
	unsigned n = 0;
	void *keep = heap_alloc(h, 16), *big;
	struct heap_stats st;

	while (n < BLOCKS && (p[n] = heap_alloc(h, 64)))
		n++;
	TAP_CHECK_EQ(n, BLOCKS - 1);			/* keep took the first 64 */
	for (unsigned i = 0; i < n; i++)
		TAP_CHECK_EQ(heap_free(h, p[i]), 0);
	heap_stats(h, &st);
	TAP_CHECK(st.cached_bytes > 0);
	TAP_CHECK(st.cached_bytes <= 16 * 64 + 16);
	TAP_CHECK_EQ(st.free_bytes, ARENA_BYTES - 16);
	TAP_CHECK_EQ(check_ok(h), 0);
	big = heap_alloc(h, ARENA_BYTES / 2);
	TAP_CHECK(big != NULL);
	TAP_CHECK_EQ(check_ok(h), 0);
	TAP_CHECK_EQ(heap_free(h, big), 0);
	TAP_CHECK_EQ(heap_free(h, keep), 0);
}

static void test_deferred_tails(void)
{
	struct heap *h = make();
	char *a = heap_alloc(h, 17), *b = heap_alloc(h, 33);
	struct heap_stats st;
	size_t usable;
	uint64_t refilled;

	TAP_CHECK_EQ(heap_usable_size(h, a, &usable), 0);
	TAP_CHECK_EQ(usable, 32);
	TAP_CHECK_EQ(heap_usable_size(h, b, &usable), 0);
	TAP_CHECK_EQ(usable, 48);			/* 3 granules of a block of 4 */
	TAP_CHECK_EQ(heap_free(h, b + 48), -E_NOTALLOC);	/* the tail marker */
	heap_stats(h, &st);
	TAP_CHECK_EQ(st.requested_bytes, 80);
	TAP_CHECK_EQ(st.deferred_bytes, 16);
	TAP_CHECK_EQ(st.free_bytes, ARENA_BYTES - 80);
	TAP_CHECK_EQ(check_ok(h), 0);
	refilled = st.cached_bytes;
	TAP_CHECK_EQ(heap_free(h, b), 0);
	heap_stats(h, &st);
	TAP_CHECK_EQ(st.deferred_bytes, 0);
	TAP_CHECK_EQ(st.cached_bytes, refilled + 64);
	TAP_CHECK_EQ(heap_free(h, a), 0);
}

static void test_realloc_moves_the_marker(void)
{
	struct heap *h = make();
	unsigned char *p = heap_alloc(h, 100);
	size_t usable;

	fill(p, 100, 5);
	TAP_CHECK(heap_realloc(h, p, 120) == p);	/* within the block of 8 */
	TAP_CHECK_EQ(heap_usable_size(h, p, &usable), 0);
	TAP_CHECK_EQ(usable, 128);
	TAP_CHECK(heap_realloc(h, p, 40) == p);		/* the block shrinks to 4 */
	TAP_CHECK_EQ(heap_usable_size(h, p, &usable), 0);
	TAP_CHECK_EQ(usable, 48);
	TAP_CHECK(heap_realloc(h, p, 64) == p);
	TAP_CHECK_EQ(heap_usable_size(h, p, &usable), 0);
	TAP_CHECK_EQ(usable, 64);
	TAP_CHECK(same(p, 40, 5));
	TAP_CHECK_EQ(check_ok(h), 0);
	TAP_CHECK_EQ(heap_free(h, p), 0);
}

/* Blocks of 3 granules fill the heap until it fails: one per block of 4
 * while it is roomy, packed into runs of free blocks once it is tight (so
 * more than one per 4 granules in all), and the tails given back hold
 * 1-granule blocks, so that in the end every granule is used. */
static void test_failure_gives_tails_back(void)
{
	struct heap *h = make();
	struct heap_stats st;
	unsigned threes = 0, ones = 0;

	while (heap_alloc(h, 48))
		threes++;
	while (heap_alloc(h, 16))
		ones++;
	TAP_CHECK(threes > ARENA_BYTES / 64 + ARENA_BYTES / 1024);
	TAP_CHECK(ones > 0);
	TAP_CHECK_EQ(3 * threes + ones, ARENA_BYTES / 16);
	heap_stats(h, &st);
	TAP_CHECK_EQ(st.free_bytes, 0);
	TAP_CHECK_EQ(st.failures, 2);
	TAP_CHECK_EQ(check_ok(h), 0);
}

static void test_poison_with_caches_and_tails(void)
{
	struct heap *h = make();
	char *keep = heap_alloc(h, 16), *p = heap_alloc(h, 64), *q;

	TAP_CHECK_EQ(heap_free(h, p), 0);		/* cached, not poisoned */
	heap_set_poison(h, true);			/* gives the cache back first */
	q = heap_alloc(h, 64);
	TAP_CHECK(q != NULL);
	TAP_CHECK_EQ(check_ok(h), 0);

	p = heap_alloc(h, 100);				/* the tail granule keeps poison */
	TAP_CHECK(heap_realloc(h, p, 128) == p);
	TAP_CHECK_EQ(check_ok(h), 0);
	TAP_CHECK(heap_realloc(h, p, 100) == p);
	p[120] = 'x';					/* a write past the end, */
	q = heap_realloc(h, p, 128);			/* into the free granule's node: */
	TAP_CHECK(q != NULL && q != p);			/* not grown into, */
	TAP_CHECK(heap_check(h, &(const char *){ 0 }, &(uintptr_t){ 0 }) == -E_CORRUPT);	/* reported */
	(void)keep;
}

static void test_check_detects_corruption(void)
{
	struct heap *h = make();
	char *p = heap_alloc(h, 64);
	const char *why = NULL;
	uintptr_t where;

	h->used_units++;
	TAP_CHECK_EQ(heap_check(h, &why, &where), -E_CORRUPT);
	h->used_units--;
	h->chunks[0].zone.start.level[0][0] |= 2;	/* a block start inside p */
	TAP_CHECK_EQ(heap_check(h, &why, &where), -E_CORRUPT);
	h->chunks[0].zone.start.level[0][0] &= ~2ull;
	TAP_CHECK_EQ(heap_free(h, p), 0);
	TAP_CHECK_EQ(check_ok(h), 0);
}

static void test_init_arena_errors(void)
{
	struct heap h;

	TAP_CHECK_EQ(heap_init_arena(&h, NULL, MIB, meta, sizeof(meta)), -E_INVAL);
	TAP_CHECK_EQ(heap_init_arena(&h, arena + 1, 15, meta, sizeof(meta)), -E_INVAL);
	TAP_CHECK_EQ(heap_init_arena(&h, arena, MIB, (char *)meta + 1, sizeof(meta) - 1), -E_ALIGN);
	/* 3 bits a granule, 17 summary words, the harts' caches */
	TAP_CHECK_EQ(heap_metadata_size(MIB), 24 * KIB + 136 + PCP_BYTES);
	TAP_CHECK_EQ(heap_init_arena(&h, arena, MIB, meta, 24 * KIB + 135 + PCP_BYTES), -E_NOMEM);
	/* an unaligned arena carves into aligned blocks and works */
	TAP_CHECK_EQ(heap_init_arena(&h, arena + 5, 1000, meta, sizeof(meta)), 0);
	TAP_CHECK_EQ(check_ok(&h), 0);

	void *p = heap_alloc(&h, 200);

	TAP_CHECK(p != NULL && (char *)p >= arena + 16);
	TAP_CHECK_EQ(heap_free(&h, p), 0);
	TAP_CHECK_EQ(check_ok(&h), 0);
}

/* --- a heap growing from a frame allocator -------------------------------- */

static struct frames frames;
static uint64_t frames_meta[1024];

static struct frames *make_frames(size_t bytes)
{
	static char *ram;
	struct frame_range r;

	if (!ram)
		ram = mm_arena_map(64 * MIB, 64 * MIB);
	r = (struct frame_range){ (uintptr_t)ram, bytes };
	return frames_init(&frames, &r, 1, frames_meta, sizeof(frames_meta)) ? NULL : &frames;
}

static void test_grows_from_frames_and_returns_chunks(void)
{
	struct frames *f = make_frames(8 * MIB);
	struct frame_stats fs0, fs;
	struct heap_stats st;
	void *p[40];

	TAP_CHECK_EQ(heap_init(&heap, f, 100 * KIB), 0);
	frames_stats(f, &fs0);
	heap_stats(&heap, &st);
	TAP_CHECK_EQ(st.chunks, 1);
	TAP_CHECK_EQ(st.held_bytes, 100 * KIB);		/* whole frames, as asked */
	TAP_CHECK(heap_owns(&heap, (uintptr_t)heap.chunks[0].meta));

	for (int i = 0; i < 40; i++) {
		p[i] = heap_alloc(&heap, 30000);
		TAP_CHECK(p[i] != NULL);
		TAP_CHECK(heap_owns(&heap, (uintptr_t)p[i]));
		memset(p[i], i, 30000);
	}
	heap_stats(&heap, &st);
	TAP_CHECK(st.chunks > 1);
	TAP_CHECK(st.chunks < 8);			/* geometric growth */
	TAP_CHECK_EQ(check_ok(&heap), 0);

	uintptr_t other;

	TAP_CHECK_EQ(frames_alloc_order(f, 0, &other), 0);
	TAP_CHECK(!heap_owns(&heap, other));
	TAP_CHECK_EQ(frames_free(f, other), 0);

	for (int i = 39; i >= 0; i--)
		TAP_CHECK_EQ(heap_free(&heap, p[i]), 0);
	heap_stats(&heap, &st);
	TAP_CHECK_EQ(st.chunks, 1);			/* empty chunks went back */
	TAP_CHECK_EQ(check_ok(&heap), 0);
	frames_stats(f, &fs);
	TAP_CHECK_EQ(fs.free_frames, fs0.free_frames);
	TAP_CHECK_EQ(frames_check(f, &(const char *){ 0 }, &(uintptr_t){ 0 }), 0);
}

static void test_frames_exhaustion(void)
{
	struct frames *f = make_frames(2 * MIB);
	void *big, *too_big;
	struct heap_stats st;

	TAP_CHECK_EQ(heap_init(&heap, f, 64 * KIB), 0);
	big = heap_alloc(&heap, 1 * MIB);		/* a chunk of exactly 1 MiB */
	TAP_CHECK(big != NULL);
	too_big = heap_alloc(&heap, 1 * MIB);		/* frames run out */
	TAP_CHECK(too_big == NULL);
	heap_stats(&heap, &st);
	TAP_CHECK_EQ(st.failures, 1);
	TAP_CHECK_EQ(check_ok(&heap), 0);
	TAP_CHECK_EQ(heap_free(&heap, big), 0);
	heap_stats(&heap, &st);
	TAP_CHECK_EQ(st.chunks, 1);
	TAP_CHECK_EQ(heap_init(&heap, f, 64 * MIB), -E_NOMEM);
}

int main(void)
{
	TAP_RUN(test_alloc_free_sizes);
	TAP_RUN(test_edge_results);
	TAP_RUN(test_free_misuse_changes_nothing);
	TAP_RUN(test_aligned);
	TAP_RUN(test_page_blocks_fill_whole_heap);
	TAP_RUN(test_calloc);
	TAP_RUN(test_realloc_in_place);
	TAP_RUN(test_realloc_moves);
	TAP_RUN(test_poison_catches_write_after_free);
	TAP_RUN(test_poison_off_by_default);
	TAP_RUN(test_cache_and_double_free);
	TAP_RUN(test_caches_are_bounded);
	TAP_RUN(test_deferred_tails);
	TAP_RUN(test_realloc_moves_the_marker);
	TAP_RUN(test_failure_gives_tails_back);
	TAP_RUN(test_poison_with_caches_and_tails);
	TAP_RUN(test_check_detects_corruption);
	TAP_RUN(test_init_arena_errors);
	TAP_RUN(test_grows_from_frames_and_returns_chunks);
	TAP_RUN(test_frames_exhaustion);
	return tap_done();
}
