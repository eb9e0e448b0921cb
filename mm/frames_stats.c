/*
 * Frame allocator statistics (the shell's `frames` command, benchmarks) and
 * the invariant walk behind the shell's `check` command and the tests.
 */
#include "mm/frames.h"

#include <string.h>

#include "lib/errors.h"
#include "mm/counter.h"

#define BYTES_PER_MIB ((uint64_t)1 << 20)

static void zone_stats(const struct buddy_zone *z, struct frame_zone_stats *zs)
{
	zs->base = buddy_unit_addr(z, z->first);
	zs->frames = z->count;
	for (unsigned k = 0; k < BUDDY_ORDERS; k++) {
		zs->free_blocks[k] = (uint32_t)z->blocks[k];
		zs->free_frames += (uint64_t)zs->free_blocks[k] << k;
	}
	for (unsigned k = 0; k < BUDDY_CACHE_ORDERS; k++)
		zs->cached_blocks[k] = buddy_cached_count(z, k);
}

void frames_stats(const struct frames *f, struct frame_stats *st)
{
	memset(st, 0, sizeof(*st));
	st->total_frames = f->total_frames;
	st->allocs = counter_read(&f->allocs);
	st->frees = counter_read(&f->frees);
	st->failures = counter_read(&f->failures);
	st->peak_in_use = counter_read(&f->peak_in_use);
	st->metadata_bytes = f->metadata_bytes;
	if (f->total_frames)
		st->metadata_bytes_per_mib = f->metadata_bytes * BYTES_PER_MIB /
					     (f->total_frames << FRAME_SHIFT);
	st->zones = f->nzones;
	for (unsigned i = 0; i < f->nzones; i++) {
		const struct buddy_zone *z = &f->zones[i];
		int largest = buddy_largest_order(z);

		uint64_t cached = buddy_cached_units(z), deferred = buddy_tail_units(z);

		zone_stats(z, &st->zone[i]);
		st->zone[i].free_frames += cached + deferred;
		st->cached_frames += cached;
		st->deferred_frames += deferred;
		st->free_frames += st->zone[i].free_frames;
		if (largest >= 0 && (FRAME_SIZE << largest) > st->largest_free_bytes)
			st->largest_free_bytes = FRAME_SIZE << largest;
	}
}

int frames_check(const struct frames *f, const char **why, uintptr_t *where)
{
	uint64_t free_total = 0, used_total = 0;

	for (unsigned i = 0; i < f->nzones; i++) {
		uint64_t free_units, used_units;
		int err = buddy_check(&f->zones[i], &free_units, &used_units, why, where);

		if (err)
			return err;
		free_total += free_units;
		used_total += used_units;
	}
	*where = 0;
	if (used_total != counter_read(&f->in_use)) {
		*why = "frames in use disagree with the bitmaps";
		return -E_CORRUPT;
	}
	if (free_total + used_total != f->total_frames) {
		*why = "zone sizes do not add up to the total";
		return -E_CORRUPT;
	}
	return 0;
}
