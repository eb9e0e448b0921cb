/*
 * Unit tests of shell/free_walk.c, the shell's walk of the allocators'
 * free lists and caches: over a frame allocator and a heap on it, the
 * blocks walked add up to what frames_stats and heap_stats count (free
 * less the deferred tails, which the walk leaves to their allocations),
 * and memory_addr_is_free tells freed blocks from live ones.
 */
#include <string.h>

#include "shell/free_walk.h"
#include "tests/host/support/mm_memory.h"
#include "tests/host/tap.h"

#define MIB ((uint64_t)1 << 20)
#define HEAP_BYTES MIB
#define SMALL_BLOCKS 40

static struct memory mem;

struct totals {
	uint64_t listed_bytes, cached_bytes;
	uint64_t listed_blocks, cached_blocks;
};

static void count_block(void *ctx, uintptr_t addr, uint64_t bytes, bool cached)
{
	struct totals *t = ctx;

	(void)addr;
	if (cached) {
		t->cached_bytes += bytes;
		t->cached_blocks++;
	} else {
		t->listed_bytes += bytes;
		t->listed_blocks++;
	}
}

static void setup(void)
{
	TAP_CHECK_EQ(mm_memory_setup(&mem, HEAP_BYTES), 0);
}

static void check_frames_totals(void)
{
	struct frame_stats st;
	struct totals t = { 0 };
	uint64_t listed = 0, cached = 0;

	frames_stats(&mem.frames, &st);
	frames_walk_free(&mem.frames, count_block, &t);
	for (unsigned k = 0; k < BUDDY_ORDERS; k++)
		listed += st.zone[0].free_blocks[k];
	for (unsigned k = 0; k < BUDDY_CACHE_ORDERS; k++)
		cached += st.zone[0].cached_blocks[k];
	TAP_CHECK_EQ(t.listed_blocks, listed);
	TAP_CHECK_EQ(t.cached_blocks, cached);
	TAP_CHECK_EQ(t.cached_bytes, st.cached_frames * FRAME_SIZE);
	TAP_CHECK_EQ(t.listed_bytes + t.cached_bytes,
		     (st.free_frames - st.deferred_frames) * FRAME_SIZE);
}

static void check_heap_totals(void)
{
	struct heap_stats st;
	struct totals t = { 0 };

	heap_stats(&mem.heap, &st);
	heap_walk_free(&mem.heap, count_block, &t);
	TAP_CHECK_EQ(t.cached_bytes, st.cached_bytes);
	TAP_CHECK_EQ(t.listed_bytes + t.cached_bytes, st.free_bytes - st.deferred_bytes);
}

static void test_fresh_allocators(void)
{
	setup();
	check_frames_totals();
	check_heap_totals();
}

/* Frees every other block so that lists, caches and live blocks mix. */
static void test_after_frees(void)
{
	uintptr_t frames[SMALL_BLOCKS];
	void *blocks[SMALL_BLOCKS];

	setup();
	for (unsigned i = 0; i < SMALL_BLOCKS; i++) {
		TAP_CHECK_EQ(frames_alloc(&mem.frames, 1 + i % 5, FRAME_SIZE, &frames[i]), 0);
		blocks[i] = heap_alloc(&mem.heap, 16 + 40 * i);
		TAP_CHECK(blocks[i] != NULL);
	}
	for (unsigned i = 0; i < SMALL_BLOCKS; i += 2) {
		TAP_CHECK_EQ(frames_free(&mem.frames, frames[i]), 0);
		TAP_CHECK_EQ(heap_free(&mem.heap, blocks[i]), 0);
	}
	check_frames_totals();
	check_heap_totals();
	for (unsigned i = 0; i < SMALL_BLOCKS; i++) {
		bool freed = i % 2 == 0;

		TAP_CHECK_EQ(memory_addr_is_free(&mem, frames[i]), freed);
		TAP_CHECK_EQ(memory_addr_is_free(&mem, (uintptr_t)blocks[i]), freed);
		if (i > 0)	/* blocks of more than one granule: inside them too */
			TAP_CHECK_EQ(memory_addr_is_free(&mem, (uintptr_t)blocks[i] + HEAP_GRANULE),
				     freed);
	}
	TAP_CHECK(!memory_addr_is_free(&mem, 0));
}

int main(void)
{
	TAP_RUN(test_fresh_allocators);
	TAP_RUN(test_after_frees);
	return tap_done();
}
