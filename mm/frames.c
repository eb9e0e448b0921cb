/*
 * Frame allocator set-up, allocation and release: a thin layer that maps
 * addresses to buddy zones of 4 KiB units and keeps the counters.
 */
#include "mm/frames.h"

#include <string.h>

#include "lib/errors.h"
#include "mm/bitmap.h"

static uint64_t range_frames(const struct frame_range *r)
{
	return r->size >> FRAME_SHIFT;
}

/* Bytes of both bitmaps of one zone, each kept 8-byte aligned. */
static size_t zone_metadata_size(uint64_t frames)
{
	return 2 * buddy_bitmap_bytes(frames);
}

size_t frames_metadata_size(const struct frame_range *r, unsigned n)
{
	size_t bytes = 0;

	for (unsigned i = 0; i < n; i++)
		bytes += zone_metadata_size(range_frames(&r[i]));
	return bytes;
}

static bool ranges_overlap(const struct frame_range *a, const struct frame_range *b)
{
	return a->base < b->base + b->size && b->base < a->base + a->size;
}

static int check_ranges(const struct frame_range *r, unsigned n)
{
	if (n > FRAMES_MAX_ZONES)
		return -E_FULL;
	for (unsigned i = 0; i < n; i++) {
		if ((r[i].base | r[i].size) & (FRAME_SIZE - 1))
			return -E_ALIGN;
		if (!r[i].size || r[i].base + r[i].size < r[i].base)
			return -E_INVAL;
		for (unsigned j = 0; j < i; j++)
			if (ranges_overlap(&r[i], &r[j]))
				return -E_INVAL;
	}
	return 0;
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

	uint64_t *words = meta;

	memset(f, 0, sizeof(*f));
	f->nzones = n;
	f->metadata_bytes = frames_metadata_size(r, n);
	for (unsigned i = 0; i < n; i++) {
		uint64_t frames = range_frames(&r[i]);
		size_t nwords = bitmap_words(frames);

		buddy_init(&f->zones[i], r[i].base >> FRAME_SHIFT, frames, FRAME_SHIFT,
			   words, words + nwords);
		words += 2 * nwords;
		f->total_frames += frames;
	}
	return 0;
}

int frames_alloc(struct frames *f, uint64_t count, uint64_t align_bytes, uintptr_t *addr)
{
	if (!count)
		return -E_INVAL;
	if (align_bytes < FRAME_SIZE || (align_bytes & (align_bytes - 1)))
		return -E_ALIGN;

	unsigned align_order = log2_floor(align_bytes) - FRAME_SHIFT;

	for (unsigned i = 0; i < f->nzones; i++) {
		uint64_t unit;

		if (buddy_alloc(&f->zones[i], count, align_order, &unit) == 0) {
			*addr = buddy_unit_addr(&f->zones[i], unit);
			f->allocs++;
			f->in_use += count;
			if (f->in_use > f->peak_in_use)
				f->peak_in_use = f->in_use;
			return 0;
		}
	}
	f->failures++;
	return -E_NOMEM;
}

int frames_alloc_order(struct frames *f, unsigned order, uintptr_t *addr)
{
	if (order > FRAMES_MAX_ORDER)
		return -E_RANGE;
	return frames_alloc(f, (uint64_t)1 << order, FRAME_SIZE << order, addr);
}

/* Finds the zone and length of the live allocation starting at addr. */
static int lookup(const struct frames *f, uintptr_t addr, unsigned *zone, uint64_t *count)
{
	uint64_t unit = addr >> FRAME_SHIFT;

	for (unsigned i = 0; i < f->nzones; i++) {
		if (!buddy_contains(&f->zones[i], unit))
			continue;
		if (addr & (FRAME_SIZE - 1))
			return -E_ALIGN;
		*zone = i;
		return buddy_alloc_len(&f->zones[i], unit, count);
	}
	return -E_OUTSIDE;
}

int frames_free(struct frames *f, uintptr_t addr)
{
	unsigned zone;
	uint64_t count;
	int err = lookup(f, addr, &zone, &count);

	if (err)
		return err;
	buddy_free(&f->zones[zone], addr >> FRAME_SHIFT, count);
	f->frees++;
	f->in_use -= count;
	return 0;
}

int frames_block_size(const struct frames *f, uintptr_t addr, uint64_t *bytes)
{
	unsigned zone;
	uint64_t count;
	int err = lookup(f, addr, &zone, &count);

	if (!err)
		*bytes = count << FRAME_SHIFT;
	return err;
}
