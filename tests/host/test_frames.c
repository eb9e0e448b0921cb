/*
 * Unit tests of the frame allocator (mm/frames.c, mm/frames_stats.c) over
 * lazily backed host arenas placed at board-like alignments: carving of an
 * unaligned range, multi-zone instances, counted and aligned allocations,
 * every misuse (which must change nothing), statistics and the check walk.
 */
#include <stdlib.h>
#include <string.h>

#include "lib/errors.h"
#include "mm/frames.h"
#include "tests/host/support/mm_arena.h"
#include "tests/host/support/mm_require.h"
#include "tests/host/tap.h"

#define PCP_BYTES (BUDDY_CACHE_HARTS * BUDDY_PCP_BYTES)	/* per zone */

#define KIB ((uint64_t)1 << 10)
#define MIB ((uint64_t)1 << 20)
#define GIB ((uint64_t)1 << 30)

/* A 1 GiB-aligned stretch of host address space standing in for RAM. */
static uintptr_t ram(void)
{
	static void *arena;

	if (!arena)
		arena = mm_arena_map(GIB, GIB);
	return (uintptr_t)arena;
}

static uint64_t meta[1 << 14];

static struct frames *make(const struct frame_range *r, unsigned n)
{
	static struct frames f;

	if (frames_init(&f, r, n, meta, sizeof(meta)) != 0)
		return NULL;
	return &f;
}

static int check_ok(const struct frames *f)
{
	const char *why = NULL;
	uintptr_t where = 0;
	int err = frames_check(f, &why, &where);

	return mm_check_report(err, why, where);
}

static struct frame_stats before, after;

/* Gives back what the zones' caches and tails hold, so that their free
 * lists can be compared with a fresh zone's. */
static void settle(struct frames *f)
{
	for (unsigned i = 0; i < f->nzones; i++)
		buddy_reclaim_all(&f->zones[i]);
}

/* A rejected call must leave statistics and structure untouched. */
static void expect_unchanged(const struct frames *f)
{
	frames_stats(f, &after);
	TAP_CHECK(memcmp(&before, &after, sizeof(before)) == 0);
	TAP_CHECK_EQ(check_ok(f), 0);
}

static void test_unaligned_range_carving(void)
{
	/* like RAM at 0x80201000, 37 MiB: expected free blocks per order */
	static const uint32_t expect[13] = { 2, 1, 1, 1, 1, 1, 1, 1, 2, 1, 2, 1, 1 };
	struct frame_range r = { ram() + 0x201000, 37 * MIB };
	struct frames *f = make(&r, 1);
	struct frame_stats st;

	TAP_CHECK(f != NULL);
	frames_stats(f, &st);
	for (unsigned k = 0; k < 13; k++)
		TAP_CHECK_EQ(st.zone[0].free_blocks[k], expect[k]);
	for (unsigned k = 13; k < BUDDY_ORDERS; k++)
		TAP_CHECK_EQ(st.zone[0].free_blocks[k], 0);
	TAP_CHECK_EQ(st.total_frames, 37 * MIB / 4096);
	TAP_CHECK_EQ(st.free_frames, st.total_frames);
	TAP_CHECK_EQ(st.largest_free_bytes, 16 * MIB);
	TAP_CHECK_EQ(st.zone[0].base, r.base);
	/* 3 bits a frame and the summary levels: 96 bytes per MiB; and the
	   harts' caches: BUDDY_PCP_BYTES per hart per zone */
	TAP_CHECK_EQ((st.metadata_bytes - PCP_BYTES) / 37, 96);
	TAP_CHECK_EQ(check_ok(f), 0);
}

static void test_huge_range_is_few_blocks(void)
{
	static uint64_t big_meta[(4 << 19) / 8];	/* 2 bits per frame and the
							   start bits' summary */
	uint64_t size = 16 * GIB;
	void *arena = mm_arena_map(size, size);
	struct frames f;
	struct frame_stats st;

	if (!arena) {
		printf("# no 16 GiB of address space: skipped\n");
		return;
	}
	struct frame_range r = { (uintptr_t)arena + 4096, size - 4096 };

	TAP_CHECK_EQ(frames_init(&f, &r, 1, big_meta, sizeof(big_meta)), 0);
	frames_stats(&f, &st);

	uint64_t blocks = 0;

	for (unsigned k = 0; k < BUDDY_ORDERS; k++)
		blocks += st.zone[0].free_blocks[k];
	TAP_CHECK_EQ(blocks, 22);	/* orders 0..21 */
	TAP_CHECK_EQ(st.largest_free_bytes, 8 * GIB);
	mm_arena_unmap(arena, size);
}

static void test_alloc_free_roundtrip(void)
{
	struct frame_range r = { ram(), 8 * MIB };
	struct frames *f = make(&r, 1);
	uintptr_t a, b;
	uint64_t bytes;

	frames_stats(f, &before);
	TAP_CHECK_EQ(frames_alloc_order(f, 0, &a), 0);
	TAP_CHECK_EQ(frames_alloc_order(f, 3, &b), 0);
	TAP_CHECK_EQ(b % (8 * 4096), 0);
	TAP_CHECK_EQ(frames_block_size(f, a, &bytes), 0);
	TAP_CHECK_EQ(bytes, 4096);
	TAP_CHECK_EQ(frames_block_size(f, b, &bytes), 0);
	TAP_CHECK_EQ(bytes, 8 * 4096);
	TAP_CHECK_EQ(check_ok(f), 0);
	TAP_CHECK_EQ(frames_free(f, a), 0);
	TAP_CHECK_EQ(frames_free(f, b), 0);

	struct frame_stats st;

	frames_stats(f, &st);
	TAP_CHECK_EQ(st.allocs, 2);
	TAP_CHECK_EQ(st.frees, 2);
	TAP_CHECK_EQ(st.peak_in_use, 9);
	TAP_CHECK_EQ(st.free_frames, before.free_frames);
	settle(f);
	frames_stats(f, &st);
	TAP_CHECK(memcmp(st.zone, before.zone, sizeof(st.zone)) == 0);
}

static void test_counted_aligned_allocations(void)
{
	struct frame_range r = { ram() + 0x201000, 37 * MIB };
	struct frames *f = make(&r, 1);
	uintptr_t a, b, c;
	uint64_t bytes;

	TAP_CHECK_EQ(frames_alloc(f, 3, 2 * MIB, &a), 0);
	TAP_CHECK_EQ(a % (2 * MIB), 0);
	TAP_CHECK_EQ(frames_block_size(f, a, &bytes), 0);
	TAP_CHECK_EQ(bytes, 3 * 4096);
	TAP_CHECK_EQ(frames_alloc(f, 17, 64 * KIB, &b), 0);
	TAP_CHECK_EQ(b % (64 * KIB), 0);
	TAP_CHECK_EQ(frames_block_size(f, b, &bytes), 0);
	TAP_CHECK_EQ(bytes, 17 * 4096);
	TAP_CHECK_EQ(frames_alloc(f, 300, 4096, &c), 0);
	TAP_CHECK_EQ(frames_block_size(f, c, &bytes), 0);
	TAP_CHECK_EQ(bytes, 300 * 4096);
	TAP_CHECK_EQ(check_ok(f), 0);

	struct frame_stats st;

	frames_stats(f, &st);
	TAP_CHECK_EQ(st.free_frames, st.total_frames - 320);
	TAP_CHECK_EQ(frames_free(f, b), 0);
	TAP_CHECK_EQ(frames_free(f, a), 0);
	TAP_CHECK_EQ(frames_free(f, c), 0);
	TAP_CHECK_EQ(check_ok(f), 0);
	frames_stats(f, &st);
	TAP_CHECK_EQ(st.zone[0].free_blocks[12], 1);
	TAP_CHECK_EQ(st.free_frames, st.total_frames);
}

static void test_multi_zone(void)
{
	struct frame_range r[3] = {
		{ ram(), 64 * KIB }, { ram() + 16 * MIB, 1 * MIB }, { ram() + 32 * MIB, 12 * KIB },
	};
	struct frames *f = make(r, 3);
	uintptr_t a, b, rest[4], d, e;
	uint64_t bytes;

	TAP_CHECK_EQ(frames_alloc(f, 16, 4096, &a), 0);
	TAP_CHECK_EQ(a, r[0].base);
	TAP_CHECK_EQ(frames_alloc(f, 16, 4096, &b), 0);
	TAP_CHECK_EQ(b, r[1].base);
	for (unsigned i = 0; i < 4; i++) {
		TAP_CHECK_EQ(frames_alloc(f, 128 >> i, 4096, &rest[i]), 0);
		TAP_CHECK(rest[i] > b && rest[i] < r[1].base + r[1].size);
	}
	/* 3 frames at an 8 KiB boundary are free blocks of 2 and 1: no block
	 * of 4 holds them, but the fallback placement takes both */
	TAP_CHECK_EQ(frames_alloc(f, 4, 4096, &d), -E_NOMEM);
	TAP_CHECK_EQ(frames_alloc(f, 3, 4096, &d), 0);
	TAP_CHECK_EQ(d, r[2].base);
	TAP_CHECK_EQ(frames_block_size(f, d, &bytes), 0);
	TAP_CHECK_EQ(bytes, 3 * 4096);
	TAP_CHECK_EQ(frames_alloc(f, 1, 4096, &e), -E_NOMEM);
	TAP_CHECK_EQ(check_ok(f), 0);
	TAP_CHECK_EQ(frames_free(f, d), 0);
	TAP_CHECK_EQ(frames_alloc(f, 2, 4096, &d), 0);
	TAP_CHECK_EQ(d, r[2].base);
	TAP_CHECK_EQ(frames_alloc(f, 1, 4096, &e), 0);
	TAP_CHECK_EQ(e, r[2].base + 8 * KIB);

	struct frame_stats st;

	frames_stats(f, &st);
	TAP_CHECK_EQ(st.zones, 3);
	TAP_CHECK_EQ(st.free_frames, 0);
	TAP_CHECK_EQ(st.failures, 2);
	TAP_CHECK_EQ(check_ok(f), 0);
	TAP_CHECK_EQ(frames_free(f, b), 0);
	TAP_CHECK_EQ(frames_free(f, a), 0);
	for (unsigned i = 0; i < 4; i++)
		TAP_CHECK_EQ(frames_free(f, rest[i]), 0);
	TAP_CHECK_EQ(frames_free(f, d), 0);
	TAP_CHECK_EQ(frames_free(f, e), 0);
	frames_stats(f, &st);
	TAP_CHECK_EQ(st.free_frames, st.total_frames);
	TAP_CHECK_EQ(st.zone[1].free_blocks[8], 1);
	TAP_CHECK_EQ(check_ok(f), 0);
}

static void test_misuse_changes_nothing(void)
{
	struct frame_range r = { ram() + 0x201000, 37 * MIB };
	struct frames *f = make(&r, 1);
	uintptr_t a, b, out = 0x55;
	uint64_t bytes = 0x66;

	TAP_CHECK_EQ(frames_alloc(f, 4, 4096, &a), 0);
	TAP_CHECK_EQ(frames_alloc(f, 1, 4096, &b), 0);
	TAP_CHECK_EQ(frames_free(f, b), 0);
	frames_stats(f, &before);

	TAP_CHECK_EQ(frames_free(f, r.base - 4096), -E_OUTSIDE);
	TAP_CHECK_EQ(frames_free(f, r.base + r.size), -E_OUTSIDE);
	TAP_CHECK_EQ(frames_free(f, 0), -E_OUTSIDE);
	TAP_CHECK_EQ(frames_free(f, a + 8), -E_ALIGN);
	TAP_CHECK_EQ(frames_free(f, a + 4096), -E_NOTALLOC);	/* interior */
	TAP_CHECK_EQ(frames_free(f, b), -E_FREED);		/* double free */
	TAP_CHECK_EQ(frames_block_size(f, b, &bytes), -E_FREED);
	TAP_CHECK_EQ(frames_block_size(f, a + 1, &bytes), -E_ALIGN);
	TAP_CHECK_EQ(frames_block_size(f, 4096, &bytes), -E_OUTSIDE);
	TAP_CHECK_EQ(bytes, 0x66);
	TAP_CHECK_EQ(frames_alloc(f, 0, 4096, &out), -E_INVAL);
	TAP_CHECK_EQ(frames_alloc(f, 1, 2048, &out), -E_ALIGN);
	TAP_CHECK_EQ(frames_alloc(f, 1, 3 * 4096, &out), -E_ALIGN);
	TAP_CHECK_EQ(frames_alloc(f, 1, 0, &out), -E_ALIGN);
	TAP_CHECK_EQ(frames_alloc_order(f, FRAMES_MAX_ORDER + 1, &out), -E_RANGE);
	TAP_CHECK_EQ(out, 0x55);
	expect_unchanged(f);

	/* a request that no freeing could serve is counted as a failure and
	 * changes nothing else: the cached frame (b) stays cached */
	TAP_CHECK_EQ(frames_alloc_order(f, 13, &out), -E_NOMEM);
	frames_stats(f, &before);
	TAP_CHECK_EQ(before.cached_frames, 1);
	TAP_CHECK_EQ(frames_alloc(f, 38 * MIB / 4096, 4096, &out), -E_NOMEM);
	TAP_CHECK_EQ(frames_alloc(f, UINT64_MAX, 4096, &out), -E_NOMEM);
	TAP_CHECK_EQ(frames_alloc_order(f, 13, &out), -E_NOMEM);
	TAP_CHECK_EQ(frames_alloc(f, 1, (uint64_t)1 << 63, &out), -E_NOMEM);
	TAP_CHECK_EQ(out, 0x55);
	before.failures += 4;
	expect_unchanged(f);
}

static void test_init_errors(void)
{
	struct frames f;
	struct frame_range many[FRAMES_MAX_ZONES + 1];
	struct frame_range r = { ram(), 1 * MIB };
	struct frame_range bad_base = { ram() + 100, 1 * MIB };
	struct frame_range bad_size = { ram(), 1 * MIB + 5 };
	struct frame_range empty = { ram(), 0 };
	struct frame_range overlap[2] = { { ram(), 2 * MIB }, { ram() + 1 * MIB, 2 * MIB } };

	for (unsigned i = 0; i <= FRAMES_MAX_ZONES; i++)
		many[i] = (struct frame_range){ ram() + i * MIB, 64 * KIB };
	TAP_CHECK_EQ(frames_init(&f, many, FRAMES_MAX_ZONES + 1, meta, sizeof(meta)), -E_FULL);
	TAP_CHECK_EQ(frames_init(&f, many, FRAMES_MAX_ZONES, meta, sizeof(meta)), 0);
	TAP_CHECK_EQ(frames_init(&f, &bad_base, 1, meta, sizeof(meta)), -E_ALIGN);
	TAP_CHECK_EQ(frames_init(&f, &bad_size, 1, meta, sizeof(meta)), -E_ALIGN);
	TAP_CHECK_EQ(frames_init(&f, &empty, 1, meta, sizeof(meta)), -E_INVAL);
	TAP_CHECK_EQ(frames_init(&f, overlap, 2, meta, sizeof(meta)), -E_INVAL);
	TAP_CHECK_EQ(frames_init(&f, &r, 1, (char *)meta + 4, sizeof(meta) - 4), -E_ALIGN);
	/* 256 frames: the harts' caches, free and held bits (4 words each),
	   start bits with one summary word (5 words) */
	TAP_CHECK_EQ(frames_metadata_size(&r, 1), PCP_BYTES + 104);
	TAP_CHECK_EQ(frames_init(&f, &r, 1, meta, PCP_BYTES + 103), -E_NOMEM);
	TAP_CHECK_EQ(frames_init(&f, &r, 1, meta, PCP_BYTES + 104), 0);
	TAP_CHECK_EQ(check_ok(&f), 0);
}

static void test_exhaust_single_frames(void)
{
	struct frame_range r = { ram() + 0x7000, 4 * MIB - 0x3000 };
	struct frames *f = make(&r, 1);
	uint64_t n = r.size / 4096;
	uintptr_t *addrs = calloc(n, sizeof(*addrs)), extra;

	frames_stats(f, &before);
	for (uint64_t i = 0; i < n; i++)
		TAP_CHECK_EQ(frames_alloc_order(f, 0, &addrs[i]), 0);
	TAP_CHECK_EQ(frames_alloc_order(f, 0, &extra), -E_NOMEM);
	TAP_CHECK_EQ(check_ok(f), 0);
	for (uint64_t i = 0; i < n; i += 3)
		TAP_CHECK_EQ(frames_free(f, addrs[i]), 0);
	TAP_CHECK_EQ(check_ok(f), 0);
	for (uint64_t i = 0; i < n; i++)
		if (i % 3)
			TAP_CHECK_EQ(frames_free(f, addrs[i]), 0);
	settle(f);
	frames_stats(f, &after);
	TAP_CHECK(memcmp(before.zone, after.zone, sizeof(before.zone)) == 0);
	TAP_CHECK_EQ(after.peak_in_use, n);
	TAP_CHECK_EQ(check_ok(f), 0);
	free(addrs);
}

static void test_cached_frames_and_tails(void)
{
	struct frame_range r = { ram(), 1 * MIB };
	struct frames *f = make(&r, 1);
	uintptr_t keep, a, again, c, c2;
	uint64_t bytes;
	struct frame_stats st;

	/* keep's refill cached the 7 frames after it (a batch of 8) */
	TAP_CHECK_EQ(frames_alloc_order(f, 0, &keep), 0);
	TAP_CHECK_EQ(frames_alloc_order(f, 0, &a), 0);
	TAP_CHECK_EQ(a, keep + 4096);
	TAP_CHECK_EQ(frames_free(f, a), 0);		/* cached, not merged */
	frames_stats(f, &st);
	TAP_CHECK_EQ(st.cached_frames, BUDDY_CACHE_BATCH - 1);
	TAP_CHECK_EQ(st.zone[0].cached_blocks[0], BUDDY_CACHE_BATCH - 1);
	TAP_CHECK_EQ(st.free_frames, 255);		/* cached frames count as free */
	TAP_CHECK_EQ(frames_free(f, a), -E_FREED);	/* double free of a cached frame */
	TAP_CHECK_EQ(frames_block_size(f, a, &bytes), -E_FREED);
	TAP_CHECK_EQ(frames_alloc_order(f, 0, &again), 0);
	TAP_CHECK_EQ(again, a);				/* straight from the cache */

	/* 3 frames from the lists: a whole block of 4, the tail deferred */
	TAP_CHECK_EQ(frames_alloc(f, 3, 4096, &c), 0);
	TAP_CHECK_EQ(frames_block_size(f, c, &bytes), 0);
	TAP_CHECK_EQ(bytes, 3 * 4096);
	TAP_CHECK_EQ(frames_free(f, c + 3 * 4096), -E_NOTALLOC);	/* the tail */
	frames_stats(f, &st);
	TAP_CHECK_EQ(st.deferred_frames, 1);
	TAP_CHECK_EQ(st.free_frames, 256 - 5);
	TAP_CHECK_EQ(check_ok(f), 0);
	TAP_CHECK_EQ(frames_free(f, c), 0);		/* the block of 4 is cached */
	frames_stats(f, &st);
	TAP_CHECK_EQ(st.deferred_frames, 0);
	TAP_CHECK_EQ(st.zone[0].cached_blocks[2], 2);	/* c and its refill, the block at 8 split */
	TAP_CHECK_EQ(st.free_frames, 254);
	TAP_CHECK_EQ(frames_alloc(f, 4, 4096, &c2), 0);	/* the cached block again */
	TAP_CHECK_EQ(c2, c);
	TAP_CHECK_EQ(frames_free(f, c2), 0);
	TAP_CHECK_EQ(frames_free(f, a), 0);
	TAP_CHECK_EQ(frames_free(f, keep), 0);
	frames_stats(f, &st);
	TAP_CHECK_EQ(st.free_frames, 256);
	TAP_CHECK(st.cached_frames > 0);
	TAP_CHECK_EQ(st.largest_free_bytes, 128 * 4096);	/* listed, beside the caches */
	TAP_CHECK_EQ(check_ok(f), 0);
}

/* A cache holds at most BUDDY_CACHE_HIGH blocks; the rest merge. */
static void test_caches_are_bounded(void)
{
	struct frame_range r = { ram(), 4 * MIB };
	struct frames *f = make(&r, 1);
	uintptr_t single[64];
	struct frame_stats st;

	for (unsigned i = 0; i < 64; i++)
		TAP_CHECK_EQ(frames_alloc_order(f, 0, &single[i]), 0);
	for (unsigned i = 0; i < 64; i++)
		TAP_CHECK_EQ(frames_free(f, single[i]), 0);
	frames_stats(f, &st);
	TAP_CHECK(st.zone[0].cached_blocks[0] > 0);
	TAP_CHECK(st.zone[0].cached_blocks[0] <= 16);
	TAP_CHECK_EQ(st.free_frames, st.total_frames);
	TAP_CHECK_EQ(check_ok(f), 0);
}

/* A count that is no power of two, at an odd frame: served exactly. */
static void test_requests_that_fit_succeed(void)
{
	struct frame_range r = { ram() + 4096, 4 * 4096 };
	struct frame_range big = { ram() + 0x235000, 251 * MIB };
	struct frames *f = make(&r, 1);
	uintptr_t a;
	uint64_t bytes;

	TAP_CHECK_EQ(frames_alloc(f, 4, 4096, &a), 0);	/* the whole zone */
	TAP_CHECK_EQ(a, r.base);
	TAP_CHECK_EQ(frames_free(f, a), 0);
	TAP_CHECK_EQ(frames_alloc(f, 3, 4096, &a), 0);
	TAP_CHECK_EQ(frames_free(f, a), 0);
	TAP_CHECK_EQ(check_ok(f), 0);

	/* 128 MiB out of 251 MiB in one run, and then 100 MiB beside it */
	f = make(&big, 1);
	TAP_CHECK_EQ(frames_alloc(f, 32768, 4096, &a), 0);
	TAP_CHECK_EQ(frames_block_size(f, a, &bytes), 0);
	TAP_CHECK_EQ(bytes, 128 * MIB);
	TAP_CHECK_EQ(frames_alloc(f, 100 * MIB / 4096, 4096, &a), 0);
	TAP_CHECK_EQ(check_ok(f), 0);
}

/* A tight zone caches nothing; a roomy one's cached frames are never
 * lost to a request that needs them merged. */
static void test_cached_frames_serve_large_requests(void)
{
	struct frame_range r = { ram(), 64 * KIB };
	struct frames *f = make(&r, 1);
	uintptr_t single[16], block;
	struct frame_stats st;

	for (unsigned i = 0; i < 16; i++)
		TAP_CHECK_EQ(frames_alloc_order(f, 0, &single[i]), 0);
	for (unsigned i = 0; i < 8; i++)
		TAP_CHECK_EQ(frames_free(f, single[i]), 0);
	frames_stats(f, &st);
	TAP_CHECK_EQ(st.cached_frames, 0);		/* tight: merged at once */
	TAP_CHECK_EQ(frames_alloc_order(f, 3, &block), 0);
	TAP_CHECK_EQ(block, single[0]);
	TAP_CHECK_EQ(frames_free(f, block), 0);
	for (unsigned i = 8; i < 16; i++)
		TAP_CHECK_EQ(frames_free(f, single[i]), 0);
	TAP_CHECK_EQ(check_ok(f), 0);

	TAP_CHECK_EQ(frames_alloc_order(f, 0, &single[0]), 0);
	TAP_CHECK_EQ(frames_alloc_order(f, 0, &single[1]), 0);
	TAP_CHECK_EQ(frames_free(f, single[0]), 0);
	TAP_CHECK_EQ(frames_free(f, single[1]), 0);
	frames_stats(f, &st);
	TAP_CHECK(st.cached_frames >= 2);		/* roomy: cached */
	TAP_CHECK_EQ(frames_alloc(f, 16, 4096, &block), 0);	/* needs them */
	TAP_CHECK_EQ(block, r.base);
	frames_stats(f, &st);
	TAP_CHECK_EQ(st.cached_frames, 0);
	TAP_CHECK_EQ(st.failures, 0);
	TAP_CHECK_EQ(check_ok(f), 0);
}

static void test_check_detects_corruption(void)
{
	struct frame_range r = { ram(), 1 * MIB };
	struct frames *f = make(&r, 1);
	uintptr_t a;
	const char *why = NULL;
	uintptr_t where = 0;

	TAP_CHECK_EQ(frames_alloc(f, 1, 4096, &a), 0);

	/* the node of the free frame after a, written over (a write after
	   free): its order no longer matches its list */
	struct buddy_node *node = (struct buddy_node *)(a + 4096);
	uint32_t saved = node->order;

	node->order = 7;
	TAP_CHECK_EQ(frames_check(f, &why, &where), -E_CORRUPT);
	TAP_CHECK(why != NULL);
	TAP_CHECK_EQ(where, a + 4096);
	node->order = saved;

	/* the in-use counter out of step with the bitmaps */
	f->in_use++;
	TAP_CHECK_EQ(frames_check(f, &why, &where), -E_CORRUPT);
	f->in_use--;
	TAP_CHECK_EQ(check_ok(f), 0);
}

int main(void)
{
	TAP_RUN(test_unaligned_range_carving);
	TAP_RUN(test_huge_range_is_few_blocks);
	TAP_RUN(test_alloc_free_roundtrip);
	TAP_RUN(test_counted_aligned_allocations);
	TAP_RUN(test_multi_zone);
	TAP_RUN(test_misuse_changes_nothing);
	TAP_RUN(test_init_errors);
	TAP_RUN(test_exhaust_single_frames);
	TAP_RUN(test_cached_frames_and_tails);
	TAP_RUN(test_caches_are_bounded);
	TAP_RUN(test_requests_that_fit_succeed);
	TAP_RUN(test_cached_frames_serve_large_requests);
	TAP_RUN(test_check_detects_corruption);
	return tap_done();
}
