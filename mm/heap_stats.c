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
	st->frees = counter_read(&h->frees);	/* first: never above allocs */
	st->allocs = counter_read(&h->allocs);
	st->failures = counter_read(&h->failures);
	st->metadata_bytes = h->metadata_bytes;
	st->chunks = h->nchunks;
	st->poison_errors = h->poison_errors;
	for (unsigned i = 0; i < h->nslots; i++) {
		const struct heap_chunk *c = &h->chunks[i];

		if (!c->live)
			continue;
		uint64_t blocks[BUDDY_ORDERS];

		buddy_list_counts(&c->zone, blocks);
		for (unsigned k = 0; k < BUDDY_ORDERS; k++) {
			st->free_blocks[k] += blocks[k];
			st->free_bytes += blocks[k] * ((uint64_t)HEAP_GRANULE << k);
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

/* The walk of every chunk: 0 with the granules in use, or the first
 * violation. */
static int check_chunks(const struct heap *h, uint64_t *used_total, const char **why,
			uintptr_t *where)
{
	uint64_t held = 0;
	unsigned live = 0;

	*used_total = 0;
	for (unsigned i = 0; i < h->nslots; i++) {
		const struct heap_chunk *c = &h->chunks[i];
		uint64_t free_units, used_units;

		if (!c->live)
			continue;

		int err = buddy_check(&c->zone, &free_units, &used_units, why, where);

		if (err)
			return err;
		*used_total += used_units;
		held += c->zone.count << HEAP_GRANULE_SHIFT;
		live++;
	}
	if (held != h->held_bytes || live != h->nchunks)
		return fail(why, where, "heap chunk accounting is off", 0);
	if (h->poison_errors)
		return fail(why, where, "write after free", h->poison_first);
	return 0;
}

/* Granules in use are compared with the counter only if no call completed
 * during the walk (counter_calls), after a second walk if the first
 * disagreed. */
static uint64_t calls_done(const struct heap *h)
{
	return counter_calls(&h->allocs, &h->frees, &h->failures) + counter_read(&h->resized);
}

static int check_heap(const struct heap *h, const char **why, uintptr_t *where)
{
	uint64_t used_total;

	for (int walks = 0; walks < 2; walks++) {
		uint64_t calls = calls_done(h);
		int err = check_chunks(h, &used_total, why, where);

		if (err)
			return err;
		if (calls_done(h) != calls)
			return 0;	/* busy: the totals cannot be compared */
		if (used_total == counter_read(&h->used_units))
			return 0;
	}
	return fail(why, where, "heap bytes in use disagree with the bitmaps", 0);
}

int heap_check(const struct heap *h, const char **why, uintptr_t *where)
{
	struct heap *locked = heap_locked(h);
	int err = check_heap(h, why, where);

	spin_unlock(&locked->lock);
	return err;
}
