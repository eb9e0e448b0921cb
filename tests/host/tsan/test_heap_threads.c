/*
 * One heap (mm/heap.h) used from four threads standing in for harts at
 * once, under ThreadSanitizer (mm_hammer.h): random allocations (one in
 * four with an alignment), reallocations and frees, blocks freed and
 * reallocated by a hart other than the one that allocated them, every
 * block's pattern intact until its free. Once all is freed, heap_check
 * finds nothing and the statistics are back where they started. Two
 * variants: a fixed arena (with poisoning on, which must never raise an
 * alarm) and a heap that takes chunks from a frame allocator and gives
 * them back. Then two harts freeing the same block at once: one succeeds,
 * the other is refused (mm_hammer.h). Last, heap_check and heap_stats on
 * a fifth thread while the others run must see a sound heap.
 */
#include <string.h>

#include "lib/errors.h"
#include "lib/random.h"
#include "mm/heap.h"
#include "tests/host/support/mm_arena.h"
#include "tests/host/support/mm_require.h"
#include "tests/host/tap.h"
#include "tests/host/tsan/mm_hammer.h"

#define MIB ((size_t)1 << 20)
#define KIB ((size_t)1 << 10)
#define ARENA_BYTES (32 * MIB)
#define FRAMES_BYTES (64 * MIB)
#define FRAMES_META_BYTES 8192
#define INITIAL_HEAP_BYTES (64 * KIB)
#define STEPS 20000
#define OBSERVED_STEPS 5000
#define DOUBLE_FREE_ROUNDS 2000
#define SMALL_MAX 512u
#define MEDIUM_MAX 8192u
#define LARGE_MAX 65536u
#define MIN_SIZE 8u
#define ALIGNED_ONE_IN 4u
#define ALIGN_MIN_SHIFT 4u
#define ALIGN_SHIFTS 9u		/* 16 .. 4096 */

static struct heap heap;
static unsigned misaligned;	/* atomic: aligned requests not met */

/* One size in four asks for an alignment too, from 16 to 4096 bytes. */
static void *hammer_alloc(void *ctx, size_t size)
{
	size_t align = (size_t)1 << (ALIGN_MIN_SHIFT + size % ALIGN_SHIFTS);
	void *p;

	if (size % ALIGNED_ONE_IN)
		return heap_alloc(ctx, size);
	p = heap_alloc_aligned(ctx, size, align);
	if ((uintptr_t)p & (align - 1))
		__atomic_fetch_add(&misaligned, 1, __ATOMIC_RELAXED);
	return p;
}

static void *hammer_realloc(void *ctx, void *p, size_t size) { return heap_realloc(ctx, p, size); }
static int hammer_free(void *ctx, void *p) { return heap_free(ctx, p); }

/* Mostly small, often up to 8 KiB, rarely up to 64 KiB: those make a heap
 * that grows from frames take new chunks. */
static size_t hammer_size(uint64_t *rng)
{
	uint64_t r = rng_next(rng) % 100;

	if (r < 70)
		return rng_range(rng, MIN_SIZE, SMALL_MAX);
	if (r < 98)
		return rng_range(rng, SMALL_MAX, MEDIUM_MAX);
	return rng_range(rng, MEDIUM_MAX, LARGE_MAX);
}

static int heap_check_report(void)
{
	const char *why = NULL;
	uintptr_t where = 0;
	int err = heap_check(&heap, &why, &where);

	return mm_check_report(err, why, where);
}

static int frames_check_report(const struct frames *f)
{
	const char *why = NULL;
	uintptr_t where = 0;
	int err = frames_check(f, &why, &where);

	return mm_check_report(err, why, where);
}

/* While the workers run: the heap and its frames sound, the statistics
 * within their bounds. */
static int hammer_observe(void *ctx)
{
	struct heap *h = ctx;
	struct heap_stats st;

	heap_stats(h, &st);
	/* free_bytes adds lists, caches and tails read one after the other
	   while blocks move between them: only at rest is it at most held */
	if (st.requested_bytes > st.held_bytes ||
	    st.cached_bytes + st.deferred_bytes > st.free_bytes || st.frees > st.allocs)
		return -E_CORRUPT;
	if (h->frames && frames_check_report(h->frames))
		return -E_CORRUPT;
	return heap_check_report();
}

static const struct mm_hammer_ops heap_ops = {
	&heap, hammer_alloc, hammer_realloc, hammer_free, hammer_size, 1, NULL,
};

static const struct mm_hammer_ops observed_heap_ops = {
	&heap, hammer_alloc, hammer_realloc, hammer_free, hammer_size, 1, hammer_observe,
};

static struct heap_stats start;

static void heap_over_arena(bool poison)
{
	static void *arena, *meta;
	size_t meta_bytes = heap_metadata_size(ARENA_BYTES);

	if (!arena) {
		arena = mm_arena_map(ARENA_BYTES, MIB);
		meta = mm_arena_map(meta_bytes, KIB);
	}
	TAP_CHECK_EQ(heap_init_arena(&heap, arena, ARENA_BYTES, meta, meta_bytes), 0);
	heap_set_poison(&heap, poison);
	heap_stats(&heap, &start);
}

/* What every run must end with: all its blocks whole and freed without
 * error, and the heap empty, sound and as big as it started. */
static void check_after_run(const struct mm_hammer_counts *c)
{
	struct heap_stats st;

	mm_hammer_check(c);
	TAP_CHECK_EQ(misaligned, 0);
	TAP_CHECK(c->moved_reallocs > 0);
	TAP_CHECK_EQ(heap_check_report(), 0);
	heap_stats(&heap, &st);
	TAP_CHECK_EQ(st.requested_bytes, 0);
	TAP_CHECK_EQ(st.frees, st.allocs);
	TAP_CHECK(st.allocs >= c->allocs);
	TAP_CHECK_EQ(st.failures, 0);
	TAP_CHECK_EQ(st.free_bytes, start.free_bytes);
	TAP_CHECK_EQ(st.held_bytes, start.held_bytes);
	TAP_CHECK_EQ(st.chunks, start.chunks);
	TAP_CHECK_EQ(st.poison_errors, 0);
}

static void test_arena_heap_from_four_harts(void)
{
	struct mm_hammer_counts c;

	heap_over_arena(true);
	mm_hammer_run(&heap_ops, STEPS, &c);
	check_after_run(&c);
}

static struct frames frames;
static uint64_t frames_meta[FRAMES_META_BYTES / sizeof(uint64_t)];

static void test_heap_growing_from_frames_from_four_harts(void)
{
	static void *ram;
	struct frame_range r;
	struct frame_stats fs0, fs;
	struct mm_hammer_counts c;

	if (!ram)
		ram = mm_arena_map(FRAMES_BYTES, MIB);
	r = (struct frame_range){ (uintptr_t)ram, FRAMES_BYTES };
	TAP_CHECK_EQ(frames_init(&frames, &r, 1, frames_meta, sizeof(frames_meta)), 0);
	TAP_CHECK_EQ(heap_init(&heap, &frames, INITIAL_HEAP_BYTES), 0);
	heap_stats(&heap, &start);
	frames_stats(&frames, &fs0);
	mm_hammer_run(&heap_ops, STEPS, &c);
	check_after_run(&c);
	frames_stats(&frames, &fs);
	TAP_CHECK(fs.allocs > fs0.allocs);		/* the heap grew meanwhile */
	TAP_CHECK_EQ(fs.allocs - fs.frees, fs0.allocs - fs0.frees);
	TAP_CHECK_EQ(fs.free_frames, fs0.free_frames);	/* and gave it all back */
	TAP_CHECK_EQ(frames_check_report(&frames), 0);
}

static void test_double_free_at_once_one_wins(void)
{
	struct heap_stats st;
	unsigned won;

	heap_over_arena(false);
	mm_hammer_double_free(&heap_ops, DOUBLE_FREE_ROUNDS, &won);
	TAP_CHECK_EQ(won, DOUBLE_FREE_ROUNDS);
	TAP_CHECK_EQ(heap_check_report(), 0);
	heap_stats(&heap, &st);
	TAP_CHECK_EQ(st.allocs, DOUBLE_FREE_ROUNDS);
	TAP_CHECK_EQ(st.frees, st.allocs);
	TAP_CHECK_EQ(st.requested_bytes, 0);
	TAP_CHECK_EQ(st.free_bytes, start.free_bytes);
}

/* As the shell's check and stats commands on one hart while the others
 * allocate. */
static void test_check_and_stats_while_harts_allocate(void)
{
	struct mm_hammer_counts c;

	heap_over_arena(false);
	mm_hammer_run(&observed_heap_ops, OBSERVED_STEPS, &c);
	TAP_CHECK(c.observations > 0);
	check_after_run(&c);
}

int main(void)
{
	TAP_RUN(test_arena_heap_from_four_harts);
	TAP_RUN(test_heap_growing_from_frames_from_four_harts);
	TAP_RUN(test_double_free_at_once_one_wins);
	TAP_RUN(test_check_and_stats_while_harts_allocate);
	return tap_done();
}
