/*
 * Randomized frame allocator test against a reference model over several
 * seeds: three zones at awkward alignments; order, counted and aligned
 * allocations and frees in random order; every block inside its zone,
 * aligned, not overlapping a live block (ownership map), its frames still
 * carrying their stamps when freed; frames_check() after every operation
 * (first seed) or periodically; the initial free lists back at the end.
 */
#include <string.h>

#include "lib/errors.h"
#include "lib/random.h"
#include "mm/frames.h"
#include "tests/host/support/mm_arena.h"
#include "tests/host/support/mm_ownermap.h"
#include "tests/host/support/mm_require.h"
#include "tests/host/tap.h"

#define RAM_BYTES ((size_t)64 << 20)
#define MAX_LIVE 1024

struct block {
	uintptr_t addr;
	uint64_t frames;
	uint32_t id;
};

static struct frames frames;
static uint64_t meta[4096];
static struct block live[MAX_LIVE];
static unsigned nlive;
static uint64_t rng;
static uint32_t next_id;
static struct mm_ownermap owners;

/* Each frame of a live block carries (id, index) in its first word. */
static uint64_t stamp(uint32_t id, uint64_t i)
{
	return (uint64_t)id << 32 | i;
}

static void op_alloc(void)
{
	uint64_t kind = rng_next(&rng) % 3, count, align = FRAME_SIZE;
	uintptr_t addr;
	int err;

	if (kind == 0) {
		unsigned order = (unsigned)rng_range(&rng, 0, 6);

		count = (uint64_t)1 << order;
		align = count * FRAME_SIZE;
		err = frames_alloc_order(&frames, order, &addr);
	} else {
		count = rng_range(&rng, 1, kind == 1 ? 8 : 200);
		align = FRAME_SIZE << rng_range(&rng, 0, kind == 1 ? 0 : 9);
		err = frames_alloc(&frames, count, align, &addr);
	}
	if (err) {
		REQUIRE(err == -E_NOMEM);
		return;
	}

	struct block *b = &live[nlive];
	uint64_t bytes;

	REQUIRE(addr % align == 0);
	REQUIRE(frames_block_size(&frames, addr, &bytes) == 0 && bytes == count * FRAME_SIZE);
	*b = (struct block){ addr, count, ++next_id };
	REQUIRE(mm_ownermap_claim(&owners, addr, bytes, b->id) == 0);
	for (uint64_t i = 0; i < count; i++)
		*(uint64_t *)(addr + i * FRAME_SIZE) = stamp(b->id, i);
	nlive++;
}

/* A free of what is no longer live: a free block may start there, or
 * nothing at all. */
static bool is_refused(int err)
{
	return err == -E_FREED || err == -E_NOTALLOC;
}

static void op_free(unsigned i)
{
	struct block b = live[i];

	for (uint64_t f = 0; f < b.frames; f++)
		REQUIRE(*(uint64_t *)(b.addr + f * FRAME_SIZE) == stamp(b.id, f));
	REQUIRE(frames_free(&frames, b.addr) == 0);
	REQUIRE(mm_ownermap_release(&owners, b.addr, b.frames * FRAME_SIZE, b.id) == 0);
	live[i] = live[--nlive];
	REQUIRE(is_refused(frames_free(&frames, b.addr)));
	if (b.frames > 1)
		REQUIRE(is_refused(frames_free(&frames, b.addr + FRAME_SIZE)));
}

static int check_ok(void)
{
	const char *why = NULL;
	uintptr_t where = 0;
	int err = frames_check(&frames, &why, &where);

	return mm_check_report(err, why, where);
}

static void run(uint64_t seed, unsigned ops, unsigned check_every)
{
	static void *ram;
	struct frame_stats initial, final;
	bool ran_tight = false;

	if (!ram)
		ram = mm_arena_map(RAM_BYTES, RAM_BYTES);

	uintptr_t base = (uintptr_t)ram;
	struct frame_range r[3] = {
		{ base + 0x201000, 37 << 20 },
		{ base + (40 << 20) + 0x3000, (8 << 20) - 0x5000 },
		{ base + (60 << 20), 1 << 20 },
	};

	TAP_CHECK_EQ(frames_init(&frames, r, 3, meta, sizeof(meta)), 0);
	TAP_CHECK_EQ(mm_ownermap_init(&owners, base, RAM_BYTES, FRAME_SHIFT), 0);
	frames_stats(&frames, &initial);
	rng = seed;
	nlive = 0;
	mm_failed = 0;
	for (unsigned op = 0; op < ops && !mm_failed; op++) {
		uint64_t roll = rng_next(&rng) % 100;

		if (nlive == 0 || (nlive < MAX_LIVE && roll < 55))
			op_alloc();
		else
			op_free((unsigned)(rng_next(&rng) % nlive));
		for (unsigned z = 0; z < frames.nzones; z++)
			if (frames.zones[z].free_units < frames.zones[z].roomy_units)
				ran_tight = true;
		if (!mm_failed && op % check_every == 0 && check_ok())
			mm_failed = 1;
	}
	while (nlive && !mm_failed)
		op_free(nlive - 1);
	TAP_CHECK_EQ(check_ok(), 0);
	for (unsigned z = 0; z < frames.nzones; z++)	/* caches and tails back */
		buddy_reclaim_all(&frames.zones[z]);
	frames_stats(&frames, &final);
	TAP_CHECK(memcmp(initial.zone, final.zone, sizeof(final.zone)) == 0);
	TAP_CHECK_EQ(final.free_frames, final.total_frames);
	TAP_CHECK(final.failures > 0);	/* the runs do reach out of memory */
	TAP_CHECK(ran_tight);	/* the tight paths (exact tails, reclaim) ran */
	mm_ownermap_destroy(&owners);
}

static void test_seed1_check_every_op(void) { run(1, 100000, 1); }
static void test_seed2(void) { run(2, 200000, 1000); }
static void test_seed3(void) { run(3, 200000, 1000); }

int main(void)
{
	TAP_RUN(test_seed1_check_every_op);
	TAP_RUN(test_seed2);
	TAP_RUN(test_seed3);
	return tap_done();
}
