/*
 * Frame allocator set-up, allocation and release: a thin layer that maps
 * addresses to buddy zones of 4 KiB units and keeps the counters. Every
 * request goes through the buddy core's one alloc and free path.
 */
#include "mm/frames.h"

#include <string.h>

#include "lib/errors.h"
#include "mm/bitmap.h"
#include "mm/counter.h"

/* Frames of the zone that starts frame `done` into range r. */
static uint64_t zone_frames(const struct frame_range *r, uint64_t done)
{
	uint64_t left = (r->size >> FRAME_SHIFT) - done;

	return left < BUDDY_MAX_UNITS ? left : BUDDY_MAX_UNITS;
}

/* Calls fn for each zone the ranges make: a range of more than
 * BUDDY_MAX_UNITS frames becomes several zones. Returns the zone count. */
static unsigned for_each_zone(const struct frame_range *r, unsigned n,
			      void (*fn)(void *ctx, uint64_t first, uint64_t frames), void *ctx)
{
	unsigned zones = 0;

	for (unsigned i = 0; i < n; i++) {
		for (uint64_t done = 0; done < r[i].size >> FRAME_SHIFT; zones++) {
			uint64_t frames = zone_frames(&r[i], done);

			if (fn)
				fn(ctx, (r[i].base >> FRAME_SHIFT) + done, frames);
			done += frames;
		}
	}
	return zones;
}

static void add_metadata(void *ctx, uint64_t first, uint64_t frames)
{
	(void)first;
	*(size_t *)ctx += buddy_metadata_bytes(frames);
}

size_t frames_metadata_size(const struct frame_range *r, unsigned n)
{
	size_t bytes = 0;

	for_each_zone(r, n, add_metadata, &bytes);
	return bytes;
}

static bool ranges_overlap(const struct frame_range *a, const struct frame_range *b)
{
	return a->base < b->base + b->size && b->base < a->base + a->size;
}

static int check_ranges(const struct frame_range *r, unsigned n)
{
	for (unsigned i = 0; i < n; i++) {
		if ((r[i].base | r[i].size) & (FRAME_SIZE - 1))
			return -E_ALIGN;
		if (!r[i].size || r[i].base + r[i].size < r[i].base)
			return -E_INVAL;
		for (unsigned j = 0; j < i; j++)
			if (ranges_overlap(&r[i], &r[j]))
				return -E_INVAL;
	}
	return for_each_zone(r, n, NULL, NULL) > FRAMES_MAX_ZONES ? -E_FULL : 0;
}

struct zone_setup {
	struct frames *f;
	uint64_t *meta;
};

static void start_zone(void *ctx, uint64_t first, uint64_t frames)
{
	struct zone_setup *s = ctx;
	struct frames *f = s->f;

	buddy_init(&f->zones[f->nzones], first, frames, FRAME_SHIFT, s->meta);
	buddy_set_cache(&f->zones[f->nzones++], FRAMES_CACHE_ORDERS);
	s->meta += buddy_metadata_bytes(frames) / sizeof(*s->meta);
	f->total_frames += frames;
}

int frames_init(struct frames *f, const struct frame_range *r, unsigned n,
		void *meta, size_t meta_size)
{
	int err = check_ranges(r, n);

	if (err)
		return err;
	if ((uintptr_t)meta & (sizeof(uint64_t) - 1))
		return -E_ALIGN;
	if (meta_size < frames_metadata_size(r, n))
		return -E_NOMEM;

	struct zone_setup setup = { f, meta };

	memset(f, 0, sizeof(*f));
	f->metadata_bytes = frames_metadata_size(r, n);
	for_each_zone(r, n, start_zone, &setup);
	return 0;
}

/* count frames aligned to 2^align_order frames from the first zone that
 * has them. */
static int alloc_frames(struct frames *f, uint64_t count, unsigned align_order, uintptr_t *addr)
{
	for (unsigned i = 0; i < f->nzones; i++) {
		uint64_t unit;

		if (buddy_alloc(&f->zones[i], count, align_order, &unit) == 0) {
			*addr = (uintptr_t)(unit << FRAME_SHIFT);
			counter_add(&f->allocs, 1);
			counter_raise(&f->peak_in_use, counter_add(&f->in_use, (int64_t)count));
			return 0;
		}
	}
	counter_add(&f->failures, 1);
	return -E_NOMEM;
}

int frames_alloc(struct frames *f, uint64_t count, uint64_t align_bytes, uintptr_t *addr)
{
	if (!count)
		return -E_INVAL;
	if (align_bytes < FRAME_SIZE || (align_bytes & (align_bytes - 1)))
		return -E_ALIGN;
	return alloc_frames(f, count, log2_floor(align_bytes) - FRAME_SHIFT, addr);
}

int frames_alloc_order(struct frames *f, unsigned order, uintptr_t *addr)
{
	if (order > FRAMES_MAX_ORDER)
		return -E_RANGE;
	return alloc_frames(f, (uint64_t)1 << order, order, addr);
}

/* Finds the zone holding the frame at addr: 0, -E_OUTSIDE or -E_ALIGN. */
static int find_zone(const struct frames *f, uintptr_t addr, struct buddy_zone **zone)
{
	uint64_t unit = addr >> FRAME_SHIFT;

	for (unsigned i = 0; i < f->nzones; i++) {
		if (buddy_contains(&f->zones[i], unit)) {
			if (addr & (FRAME_SIZE - 1))
				return -E_ALIGN;
			*zone = (struct buddy_zone *)&f->zones[i];
			return 0;
		}
	}
	return -E_OUTSIDE;
}

int frames_free(struct frames *f, uintptr_t addr)
{
	struct buddy_zone *z;
	uint64_t n;
	int err = find_zone(f, addr, &z);

	if (!err)
		err = buddy_free(z, addr >> FRAME_SHIFT, &n);
	if (err)
		return err;
	counter_add(&f->frees, 1);
	counter_add(&f->in_use, -(int64_t)n);
	return 0;
}

int frames_block_size(const struct frames *f, uintptr_t addr, uint64_t *bytes)
{
	struct buddy_zone *z;
	uint64_t n;
	int err = find_zone(f, addr, &z);

	if (!err)
		err = buddy_size(z, addr >> FRAME_SHIFT, &n);
	if (!err)
		*bytes = n << FRAME_SHIFT;
	return err;
}
