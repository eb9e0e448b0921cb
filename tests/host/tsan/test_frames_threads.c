/*
 * One frame allocator (mm/frames.h) used from four threads standing in
 * for harts at once, under ThreadSanitizer (mm_hammer.h): single frames,
 * blocks of 2^order frames and runs of any length, over two zones (the
 * first small, so that allocations spill into the second), freed by the
 * allocating hart or another; every block's pattern intact until its free.
 * Once all is freed, frames_check finds nothing and the statistics are
 * back where they started. Then frames_check and frames_stats on a fifth
 * thread while the others run must see sound zones. Last, two harts
 * freeing the same frame at once: one succeeds, the other is refused
 * (mm_hammer.h).
 */
#include "lib/errors.h"
#include "lib/random.h"
#include "mm/frames.h"
#include "tests/host/support/mm_arena.h"
#include "tests/host/support/mm_require.h"
#include "tests/host/tap.h"
#include "tests/host/tsan/mm_hammer.h"

#define MIB ((size_t)1 << 20)
#define RAM_BYTES (64 * MIB)
#define SMALL_ZONE_BYTES (2 * MIB)
#define LARGE_ZONE_OFFSET (32 * MIB)
#define LARGE_ZONE_BYTES (30 * MIB)
#define META_BYTES 8192
#define STEPS 20000
#define OBSERVED_STEPS 5000
#define DOUBLE_FREE_ROUNDS 2000
#define MAX_ORDER_ASKED 3u
#define MAX_RUN_FRAMES 7u
#define PATTERN_STRIDE 16u	/* one word in 128 bytes */
#define RUN_ALIGN_SHIFTS 3u

static struct frames frames;
static uint64_t meta[META_BYTES / sizeof(uint64_t)];
static struct frame_stats start;

static bool power_of_two(uint64_t n)
{
	return (n & (n - 1)) == 0;
}

static unsigned misaligned;	/* atomic: runs not aligned as asked */

/* A power of two of frames by order, other counts as a run aligned to
 * 1, 2 or 4 frames. */
static void *hammer_alloc(void *ctx, size_t size)
{
	uint64_t count = size / FRAME_SIZE;
	uint64_t align = FRAME_SIZE << (count % RUN_ALIGN_SHIFTS);
	uintptr_t addr;

	if (power_of_two(count))
		return frames_alloc_order(ctx, (unsigned)__builtin_ctzll(count), &addr) ? NULL : (void *)addr;
	if (frames_alloc(ctx, count, align, &addr))
		return NULL;
	if (addr & (align - 1))
		__atomic_fetch_add(&misaligned, 1, __ATOMIC_RELAXED);
	return (void *)addr;
}

static int hammer_free(void *ctx, void *p) { return frames_free(ctx, (uintptr_t)p); }

/* Mostly single frames, some blocks of up to 2^3 frames, some runs. */
static size_t hammer_size(uint64_t *rng)
{
	uint64_t r = rng_next(rng) % 100;

	if (r < 70)
		return FRAME_SIZE;
	if (r < 85)
		return FRAME_SIZE << rng_range(rng, 1, MAX_ORDER_ASKED);
	return FRAME_SIZE * rng_range(rng, 1, MAX_RUN_FRAMES);
}

static int frames_check_report(void)
{
	const char *why = NULL;
	uintptr_t where = 0;
	int err = frames_check(&frames, &why, &where);

	return mm_check_report(err, why, where);
}

/* While the workers run: the zones sound, the statistics within bounds. */
static int hammer_observe(void *ctx)
{
	struct frame_stats st;

	frames_stats(ctx, &st);
	if (st.free_frames > st.total_frames || st.frees > st.allocs ||
	    st.cached_frames + st.deferred_frames > st.free_frames)
		return -E_CORRUPT;
	return frames_check_report();
}

static const struct mm_hammer_ops frames_ops = {
	&frames, hammer_alloc, NULL, hammer_free, hammer_size, PATTERN_STRIDE, NULL,
};

static const struct mm_hammer_ops observed_frames_ops = {
	&frames, hammer_alloc, NULL, hammer_free, hammer_size, PATTERN_STRIDE, hammer_observe,
};

static void two_zones(void)
{
	static char *ram;
	struct frame_range r[2];

	if (!ram)
		ram = mm_arena_map(RAM_BYTES, MIB);
	r[0] = (struct frame_range){ (uintptr_t)ram, SMALL_ZONE_BYTES };
	r[1] = (struct frame_range){ (uintptr_t)ram + LARGE_ZONE_OFFSET, LARGE_ZONE_BYTES };
	TAP_CHECK_EQ(frames_init(&frames, r, 2, meta, sizeof(meta)), 0);
	frames_stats(&frames, &start);
}

static void check_frames_empty(void)
{
	struct frame_stats st;

	TAP_CHECK_EQ(frames_check_report(), 0);
	frames_stats(&frames, &st);
	TAP_CHECK_EQ(st.frees, st.allocs);
	TAP_CHECK_EQ(st.free_frames, start.free_frames);
	TAP_CHECK_EQ(st.failures, 0);
	for (unsigned z = 0; z < st.zones; z++)
		TAP_CHECK_EQ(st.zone[z].free_frames, start.zone[z].free_frames);
}

static void check_after_run(const struct mm_hammer_counts *c)
{
	mm_hammer_check(c);
	TAP_CHECK_EQ(misaligned, 0);
	check_frames_empty();
}

static void test_frames_from_four_harts(void)
{
	struct mm_hammer_counts c;
	struct frame_stats st;

	two_zones();
	mm_hammer_run(&frames_ops, STEPS, &c);
	frames_stats(&frames, &st);
	TAP_CHECK_EQ(st.allocs, c.allocs);
	TAP_CHECK(st.peak_in_use * FRAME_SIZE > SMALL_ZONE_BYTES);	/* both zones served */
	check_after_run(&c);
}

/* As the shell's check and frames commands on one hart while the others
 * allocate. */
static void test_check_and_stats_while_harts_allocate(void)
{
	struct mm_hammer_counts c;

	two_zones();
	mm_hammer_run(&observed_frames_ops, OBSERVED_STEPS, &c);
	TAP_CHECK(c.observations > 0);
	check_after_run(&c);
}

static void test_double_free_at_once_one_wins(void)
{
	unsigned won;

	two_zones();
	mm_hammer_double_free(&frames_ops, DOUBLE_FREE_ROUNDS, &won);
	TAP_CHECK_EQ(won, DOUBLE_FREE_ROUNDS);
	check_frames_empty();
}

int main(void)
{
	TAP_RUN(test_frames_from_four_harts);
	TAP_RUN(test_check_and_stats_while_harts_allocate);
	TAP_RUN(test_double_free_at_once_one_wins);
	return tap_done();
}
