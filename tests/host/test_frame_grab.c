/*
 * Unit tests of taking every free frame and giving it back
 * (shell/frame_grab.c) over a frame allocator on a host arena: the grab
 * leaves nothing free and takes few, aligned, disjoint blocks; the release
 * restores every free frame; bad frames stay allocated one frame each and
 * no later grab gets them; a range that is not all free is found out.
 */
#include <string.h>

#include "lib/errors.h"
#include "shell/frame_grab.h"
#include "tests/host/support/mm_arena.h"
#include "tests/host/support/mm_require.h"
#include "tests/host/tap.h"

#define MIB ((uint64_t)1 << 20)
#define RAM_BYTES (64 * MIB)

static uintptr_t ram;
static uint64_t meta[1 << 12];
static struct frames frames;

static struct frames *fresh(void)
{
	/* An unaligned start, like RAM after a payload. */
	struct frame_range r = { ram + 0x235000, RAM_BYTES - 0x235000 - 0x6000 };

	TAP_CHECK_EQ(frames_init(&frames, &r, 1, meta, sizeof(meta)), 0);
	return &frames;
}

static uint64_t free_frames(const struct frames *f)
{
	struct frame_stats st;

	frames_stats(f, &st);
	return st.free_frames;
}

static int check_ok(const struct frames *f)
{
	const char *why = NULL;
	uintptr_t where = 0;

	int err = frames_check(f, &why, &where);

	return mm_check_report(err, why, where);	/* why and where filled first */
}

static void test_grab_takes_everything_and_gives_it_back(void)
{
	struct frames *f = fresh();
	uintptr_t held;
	struct frame_grab g;
	struct bad_frames bad = { 0 };

	TAP_CHECK_EQ(frames_alloc(f, 5, FRAME_SIZE, &held), 0);
	uint64_t before = free_frames(f);
	TAP_CHECK_EQ(frame_grab_all(&g, f, 0, 0), 0);
	TAP_CHECK_EQ(free_frames(f), 0);
	TAP_CHECK(!g.incomplete);
	TAP_CHECK(g.count < 64);
	TAP_CHECK_EQ(g.bytes + g.list_bytes, before * FRAME_SIZE);
	for (size_t i = 0; i < g.count; i++) {
		TAP_CHECK_EQ(g.blocks[i].base % g.blocks[i].bytes, 0);
		TAP_CHECK(g.blocks[i].base + g.blocks[i].bytes <= held ||
			  g.blocks[i].base >= held + 5 * FRAME_SIZE);
		if (i)
			TAP_CHECK(g.blocks[i].bytes <= g.blocks[i - 1].bytes);	/* largest first */
	}
	TAP_CHECK_EQ(frame_grab_release(&g, &bad, 0), 0);
	TAP_CHECK_EQ(free_frames(f), before);
	TAP_CHECK_EQ(check_ok(f), 0);
}

static bool grab_includes(const struct frame_grab *g, uintptr_t addr)
{
	for (size_t i = 0; i < g->count; i++)
		if (addr >= g->blocks[i].base && addr - g->blocks[i].base < g->blocks[i].bytes)
			return true;
	return false;
}

static void test_bad_frames_stay_allocated(void)
{
	struct frames *f = fresh();
	struct frame_grab g;
	struct bad_frames bad = { 0 };
	uint64_t before = free_frames(f);

	TAP_CHECK_EQ(frame_grab_all(&g, f, 0, 0), 0);
	uintptr_t big = g.blocks[0].base;
	uintptr_t victims[] = { big + 0x123458, big + 0x124000, g.blocks[g.count - 1].base };
	for (size_t i = 0; i < 3; i++)
		TAP_CHECK(bad_frames_add(&bad, victims[i]));
	TAP_CHECK(bad_frames_add(&bad, victims[0] + 8));	/* same frame again */
	TAP_CHECK_EQ(bad.count, 3);
	TAP_CHECK_EQ(frame_grab_release(&g, &bad, 0), 3);
	TAP_CHECK_EQ(bad.count, 3);
	TAP_CHECK_EQ(free_frames(f), before - 3);
	for (size_t i = 0; i < 3; i++) {
		uint64_t bytes = 0;
		TAP_CHECK_EQ(frames_block_size(f, bad.frame[i], &bytes), 0);
		TAP_CHECK_EQ(bytes, FRAME_SIZE);
	}
	TAP_CHECK_EQ(check_ok(f), 0);

	/* A later grab gets every frame but those. */
	TAP_CHECK_EQ(frame_grab_all(&g, f, 0, 0), 0);
	TAP_CHECK_EQ(free_frames(f), 0);
	for (size_t i = 0; i < 3; i++)
		TAP_CHECK(!grab_includes(&g, bad.frame[i]));
	TAP_CHECK_EQ(frame_grab_release(&g, &bad, bad.count), 0);
	TAP_CHECK_EQ(free_frames(f), before - 3);
	TAP_CHECK_EQ(check_ok(f), 0);
}

static void test_covers_finds_the_first_gap(void)
{
	struct frames *f = fresh();
	struct frame_grab g;
	struct bad_frames bad = { 0 };
	uintptr_t held, gap = 0;

	TAP_CHECK_EQ(frames_alloc_order(f, 4, &held), 0);
	TAP_CHECK_EQ(frame_grab_all(&g, f, 0, 0), 0);
	TAP_CHECK(grab_includes(&g, held - 2 * FRAME_SIZE));
	TAP_CHECK(!frame_grab_covers(&g, held - 2 * FRAME_SIZE, 8 * FRAME_SIZE, &gap));
	TAP_CHECK_EQ(gap, held);
	TAP_CHECK(!frame_grab_covers(&g, ram, FRAME_SIZE, &gap));	/* outside the zone */
	TAP_CHECK_EQ(gap, ram);
	uintptr_t free_start = held + 16 * FRAME_SIZE;
	if (!grab_includes(&g, free_start))
		free_start = g.blocks[0].base;
	TAP_CHECK(frame_grab_covers(&g, free_start, 2 * FRAME_SIZE, &gap));
	TAP_CHECK_EQ(frame_grab_clip(&g, free_start, 2 * FRAME_SIZE), 1);
	TAP_CHECK_EQ(g.clipped[0].base, free_start);
	TAP_CHECK_EQ(g.clipped[0].bytes, 2 * FRAME_SIZE);
	frame_grab_release(&g, &bad, 0);
	TAP_CHECK_EQ(check_ok(f), 0);
}

/* The list frames go outside the range to test when they can. */
static void test_list_avoids_the_range(void)
{
	struct frames *f = fresh();
	struct frame_grab g;
	struct bad_frames bad = { 0 };

	TAP_CHECK_EQ(frame_grab_all(&g, f, 0, 0), 0);
	uintptr_t list = g.list;
	frame_grab_release(&g, &bad, 0);
	TAP_CHECK_EQ(frame_grab_all(&g, f, list, 8 * MIB), 0);
	TAP_CHECK(g.list + g.list_bytes <= list || g.list >= list + 8 * MIB);
	TAP_CHECK(frame_grab_covers(&g, list, FRAME_SIZE, &list));
	frame_grab_release(&g, &bad, 0);
	TAP_CHECK_EQ(check_ok(f), 0);
}

static void test_nothing_free(void)
{
	struct frames *f = fresh();
	struct frame_grab g, all;
	struct bad_frames bad = { 0 };

	TAP_CHECK_EQ(frame_grab_all(&all, f, 0, 0), 0);
	TAP_CHECK_EQ(frame_grab_all(&g, f, 0, 0), -E_NOMEM);
	frame_grab_release(&all, &bad, 0);
}

int main(void)
{
	ram = (uintptr_t)mm_arena_map(RAM_BYTES, RAM_BYTES);
	TAP_RUN(test_grab_takes_everything_and_gives_it_back);
	TAP_RUN(test_bad_frames_stay_allocated);
	TAP_RUN(test_covers_finds_the_first_gap);
	TAP_RUN(test_list_avoids_the_range);
	TAP_RUN(test_nothing_free);
	return tap_done();
}
