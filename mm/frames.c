/*
 * Frame allocator set-up, allocation and release: a thin layer that maps
 * addresses to buddy zones of 4 KiB units and keeps the counters.
 */
#include "mm/frames.h"

#include <string.h>

#include "lib/errors.h"
#include "mm/buddy_inline.h"

static uint64_t range_frames(const struct frame_range *r)
{
	return r->size >> FRAME_SHIFT;
}

size_t frames_metadata_size(const struct frame_range *r, unsigned n)
{
	size_t bytes = 0;

	for (unsigned i = 0; i < n; i++)
		bytes += buddy_metadata_bytes(range_frames(&r[i]));
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

		buddy_init(&f->zones[i], r[i].base >> FRAME_SHIFT, frames, FRAME_SHIFT, words);
		buddy_set_cache(&f->zones[i], FRAMES_CACHE_ORDERS);
		words += buddy_metadata_bytes(frames) / sizeof(*words);
		f->total_frames += frames;
	}
	return 0;
}

/* Counts an allocation of count frames at unit; returns 0. */
static inline int count_alloc(struct frames *f, uint64_t unit, uint64_t count, uintptr_t *addr)
{
	uint64_t in_use = f->in_use + count;

	*addr = (uintptr_t)(unit << FRAME_SHIFT);
	f->allocs++;
	f->in_use = in_use;
	if (in_use > f->peak_in_use)
		f->peak_in_use = in_use;
	return 0;
}

/* frames_alloc past the first zone: the other zones' caches and lists,
 * then every zone after giving back its caches and tails. */
static __attribute__((noinline)) int alloc_slow(struct frames *f, uint64_t count,
						unsigned align_order, uintptr_t *addr)
{
	uint64_t unit;
	unsigned i;

	for (i = 1; i < f->nzones; i++)
		if (buddy_alloc(&f->zones[i], count, align_order, &unit) == 0)
			return count_alloc(f, unit, count, addr);
	for (i = 0; i < f->nzones; i++)
		if (buddy_alloc_reclaiming(&f->zones[i], count, align_order, &unit) == 0)
			return count_alloc(f, unit, count, addr);
	f->failures++;
	return -E_NOMEM;
}

/* First from any zone's caches and lists, lowest zone first, then
 * reclaiming; the first zone, which is all of memory on most boards, is
 * served here. */
static inline __attribute__((always_inline)) int
alloc_in_zones(struct frames *f, uint64_t count, unsigned align_order, uintptr_t *addr)
{
	struct buddy_zone *z = &f->zones[0];	/* empty when there is no zone */
	uint64_t unit;

	if (buddy_cache_take(z, count, align_order, &unit, FRAME_SHIFT) ||
	    (f->nzones && buddy_list_take(z, count, align_order, &unit, FRAME_SHIFT) == 0))
		return count_alloc(f, unit, count, addr);
	return alloc_slow(f, count, align_order, addr);
}

int frames_alloc(struct frames *f, uint64_t count, uint64_t align_bytes, uintptr_t *addr)
{
	if (!count)
		return -E_INVAL;
	if (align_bytes < FRAME_SIZE || (align_bytes & (align_bytes - 1)))
		return -E_ALIGN;
	return alloc_in_zones(f, count, log2_floor(align_bytes) - FRAME_SHIFT, addr);
}

int frames_alloc_order(struct frames *f, unsigned order, uintptr_t *addr)
{
	struct buddy_zone *z = &f->zones[0];	/* empty when there is no zone */
	uint64_t unit;

	if (order > FRAMES_MAX_ORDER)
		return -E_RANGE;
	if (buddy_order_take(z, order, &unit, FRAME_SHIFT))
		return count_alloc(f, unit, order_units(order), addr);
	return alloc_slow(f, order_units(order), order, addr);
}

/* The zone holding unit when it is not the last one freed into, or NULL. */
static __attribute__((noinline)) struct buddy_zone *search_zones(const struct frames *f,
								 uint64_t unit)
{
	for (unsigned i = 0; i < f->nzones; i++)
		if (buddy_contains(&f->zones[i], unit))
			return (struct buddy_zone *)&f->zones[i];
	return NULL;
}

/* Finds the zone holding the frame at addr: 0, -E_OUTSIDE or -E_ALIGN. */
static inline __attribute__((always_inline)) int
find_zone(const struct frames *f, uintptr_t addr, struct buddy_zone **zone)
{
	uint64_t unit = addr >> FRAME_SHIFT;
	struct buddy_zone *z = f->last_zone;

	if ((!z || !buddy_contains(z, unit)) && !(z = search_zones(f, unit)))
		return -E_OUTSIDE;
	if (addr & (FRAME_SIZE - 1))
		return -E_ALIGN;
	*zone = z;
	return 0;
}

/* Finds the zone and extent of the live allocation starting at addr. */
static inline __attribute__((always_inline)) int
lookup(const struct frames *f, uintptr_t addr, struct buddy_zone **zone, struct buddy_span *sp)
{
	int err = find_zone(f, addr, zone);

	return err ? err : buddy_lookup_inline(*zone, addr >> FRAME_SHIFT, sp);
}

int frames_free(struct frames *f, uintptr_t addr)
{
	struct buddy_zone *z;
	int err = find_zone(f, addr, &z);

	if (err)
		return err;

	const uint64_t i = (addr >> FRAME_SHIFT) - z->first;
	bool marker;
	uint64_t n = buddy_live_units(z, i, &marker);

	if (!n)
		return -E_NOTALLOC;
	f->last_zone = z;
	f->frees++;
	f->in_use -= n;
	if (!buddy_cache_put(z, i, n, marker, FRAME_SHIFT)) {
		struct buddy_span sp = { z->first + i, n, block_units(n, marker) };

		buddy_list_give(z, &sp, FRAME_SHIFT);
	}
	return 0;
}

int frames_block_size(const struct frames *f, uintptr_t addr, uint64_t *bytes)
{
	struct buddy_zone *zone;
	struct buddy_span sp;
	int err = lookup(f, addr, &zone, &sp);

	if (!err)
		*bytes = sp.n << FRAME_SHIFT;
	return err;
}
