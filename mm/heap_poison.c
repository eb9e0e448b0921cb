/*
 * Optional heap poisoning, a debugging aid behind heap_set_poison(): free
 * granules hold HEAP_POISON_BYTE except the first granule of each free
 * block (its free-list node). A merge, a placement or an in-place growth
 * that makes a node interior re-poisons it (the buddy core's absorb
 * callback), so a block being handed out must be intact poison past its
 * first granule; a mismatch is a write after free.
 */
#include <string.h>

#include "mm/heap_internal.h"

#define POISON_WORD (0x0101010101010101ull * HEAP_POISON_BYTE)

static void *granule_ptr(const struct buddy_zone *z, uint64_t unit)
{
	return (void *)buddy_unit_addr(z, unit);
}

void heap_poison_fill(struct buddy_zone *z, uint64_t from, uint64_t to)
{
	memset(granule_ptr(z, from), HEAP_POISON_BYTE, (size_t)((to - from) << HEAP_GRANULE_SHIFT));
}

static void poison_node(struct buddy_zone *z, uint64_t unit)
{
	heap_poison_fill(z, unit, unit + 1);
}

void heap_poison_verify(struct heap *h, struct buddy_zone *z, uint64_t from, uint64_t to)
{
	const uint64_t *word = granule_ptr(z, from);
	const uint64_t *end = granule_ptr(z, to);

	for (; word < end; word++) {
		if (*word == POISON_WORD)
			continue;

		const uint8_t *byte = (const uint8_t *)word;

		while (*byte == HEAP_POISON_BYTE)
			byte++;
		if (!h->poison_errors++)
			h->poison_first = (uintptr_t)byte;
		return;
	}
}

static void poison_free_block(void *zone, uint64_t unit, unsigned order)
{
	heap_poison_fill(zone, unit + 1, unit + ((uint64_t)1 << order));
}

void heap_poison_chunk(struct heap_chunk *c)
{
	buddy_set_absorb(&c->zone, poison_node);
	buddy_for_each_free(&c->zone, poison_free_block, &c->zone);
}

void heap_set_poison(struct heap *h, bool on)
{
	if (on == h->poison)
		return;
	h->poison = on;
	for (unsigned i = 0; i < h->nslots; i++) {
		struct heap_chunk *c = &h->chunks[i];

		if (!c->live)
			continue;
		if (on) {
			buddy_reclaim_all(&c->zone);
			heap_poison_chunk(c);
		}
		else
			buddy_set_absorb(&c->zone, NULL);
	}
}
