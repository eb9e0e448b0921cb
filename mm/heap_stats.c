/*
 * Heap statistics (the shell's `heap` command, benchmarks) and the
 * invariant walk over all chunks behind `check` and the tests.
 */
#include <string.h>

#include "lib/errors.h"
#include "mm/counter.h"
#include "mm/heap_internal.h"

/* The chunks change under the heap lock: statistics and the check hold it
 * (the lock is not part of what a const heap promises to leave alone). */
static struct heap *heap_locked(const struct heap *h)
{
	struct heap *mh = (struct heap *)h;

	spin_lock(&mh->lock);
	return mh;
}

void heap_stats(const struct heap *h, struct heap_stats *st)
{
	struct heap *locked = heap_locked(h);

	memset(st, 0, sizeof(*st));
	st->requested_bytes = counter_read(&h->used_units) << HEAP_GRANULE_SHIFT;
	st->peak_requested_bytes = counter_read(&h->peak_used_units) << HEAP_GRANULE_SHIFT;
	st->held_bytes = h->held_bytes;
	st->peak_held_bytes = h->peak_held_bytes;
	st->allocs = counter_read(&h->allocs);
	st->frees = counter_read(&h->frees);
	st->failures = counter_read(&h->failures);
	st->metadata_bytes = h->metadata_bytes;
	st->chunks = h->nchunks;
	st->poison_errors = h->poison_errors;
	for (unsigned i = 0; i < h->nslots; i++) {
		const struct heap_chunk *c = &h->chunks[i];

		if (!c->live)
			continue;
		for (unsigned k = 0; k < BUDDY_ORDERS; k++) {
			uint64_t blocks = c->zone.blocks[k];

			st->free_blocks[k] += blocks;
			st->free_bytes += blocks * ((uint64_t)HEAP_GRANULE << k);
		}

		int largest = buddy_largest_order(&c->zone);

		for (unsigned k = 0; k < BUDDY_CACHE_ORDERS; k++)
			st->cached_blocks[k] += buddy_cached_count(&c->zone, k);
		st->cached_bytes += buddy_cached_units(&c->zone) << HEAP_GRANULE_SHIFT;
		st->deferred_bytes += buddy_tail_units(&c->zone) << HEAP_GRANULE_SHIFT;

		if (largest >= 0 && ((uint64_t)HEAP_GRANULE << largest) > st->largest_free_bytes)
			st->largest_free_bytes = (uint64_t)HEAP_GRANULE << largest;
	}
	st->free_bytes += st->cached_bytes + st->deferred_bytes;
	spin_unlock(&locked->lock);
}

static int fail(const char **why, uintptr_t *where, const char *what, uintptr_t addr)
{
	*why = what;
	*where = addr;
	return -E_CORRUPT;
}

static int check_chunks(const struct heap *h, const char **why, uintptr_t *where)
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
	if (used_total != counter_read(&h->used_units))
		return fail(why, where, "heap bytes in use disagree with the bitmaps", 0);
	if (held != h->held_bytes || live != h->nchunks)
		return fail(why, where, "heap chunk accounting is off", 0);
	if (h->poison_errors)
		return fail(why, where, "write after free", h->poison_first);
	return 0;
}

int heap_check(const struct heap *h, const char **why, uintptr_t *where)
{
	struct heap *locked = heap_locked(h);
	int err = check_chunks(h, why, where);

	spin_unlock(&locked->lock);
	return err;
}
