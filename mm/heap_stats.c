/*
 * Heap statistics (the shell's `heap` command, benchmarks) and the
 * invariant walk over all chunks behind `check` and the tests.
 */
#include <string.h>

#include "lib/errors.h"
#include "mm/heap_internal.h"

void heap_stats(const struct heap *h, struct heap_stats *st)
{
	uint64_t live = 0;

	memset(st, 0, sizeof(*st));
	st->requested_bytes = h->used_units << HEAP_GRANULE_SHIFT;
	st->peak_requested_bytes = h->peak_used_units << HEAP_GRANULE_SHIFT;
	st->held_bytes = h->held_bytes;
	st->peak_held_bytes = h->peak_held_bytes;
	st->allocs = h->allocs;
	st->failures = h->failures;
	st->metadata_bytes = h->metadata_bytes;
	st->chunks = h->nchunks;
	st->poison_errors = h->poison_errors;
	for (unsigned i = 0; i < h->nslots; i++) {
		const struct heap_chunk *c = &h->chunks[i];

		if (!c->live)
			continue;
		live += c->zone.live;
		for (unsigned k = 0; k < BUDDY_ORDERS; k++) {
			uint64_t blocks = c->zone.blocks[k];

			st->free_blocks[k] += blocks;
			st->free_bytes += blocks * ((uint64_t)HEAP_GRANULE << k);
		}

		int largest = buddy_largest_order(&c->zone);

		for (unsigned k = 0; k < BUDDY_CACHE_ORDERS; k++)
			st->cached_blocks[k] += c->zone.cache[k].count;
		st->cached_bytes += buddy_cached_units(&c->zone) << HEAP_GRANULE_SHIFT;
		st->deferred_bytes += buddy_tail_units(&c->zone) << HEAP_GRANULE_SHIFT;

		if (largest >= 0 && ((uint64_t)HEAP_GRANULE << largest) > st->largest_free_bytes)
			st->largest_free_bytes = (uint64_t)HEAP_GRANULE << largest;
	}
	st->free_bytes += st->cached_bytes + st->deferred_bytes;
	st->frees = h->allocs - live;	/* every allocation is live or freed */
}

static int fail(const char **why, uintptr_t *where, const char *what, uintptr_t addr)
{
	*why = what;
	*where = addr;
	return -E_CORRUPT;
}

int heap_check(const struct heap *h, const char **why, uintptr_t *where)
{
	uint64_t used_total = 0, held = 0;
	unsigned live = 0;

	for (unsigned i = 0; i < h->nslots; i++) {
		const struct heap_chunk *c = &h->chunks[i];
		uint64_t free_units, used_units;

		if (!c->live)
			continue;

		int err = buddy_check(&c->zone, &free_units, &used_units, why, where);

		if (err)
			return err;
		used_total += used_units;
		held += c->zone.count << HEAP_GRANULE_SHIFT;
		live++;
	}
	if (used_total != h->used_units)
		return fail(why, where, "heap bytes in use disagree with the bitmaps", 0);
	if (held != h->held_bytes || live != h->nchunks)
		return fail(why, where, "heap chunk accounting is off", 0);
	if (h->poison_errors)
		return fail(why, where, "write after free", h->poison_first);
	return 0;
}
