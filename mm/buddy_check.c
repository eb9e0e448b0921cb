/*
 * The buddy zone invariant walker behind frames_check() and heap_check():
 * every listed block is well formed and marked, every marked free block is
 * listed, no two free buddies of one order are left unmerged, allocations
 * respect invariant P and the blocks tile the zone.
 */
#include "lib/errors.h"
#include "mm/buddy_internal.h"

struct check_result {
	const char *why;
	uintptr_t where;
};

static int fail(struct check_result *r, const char *why, uintptr_t where)
{
	r->why = why;
	r->where = where;
	return -E_CORRUPT;
}

/* Checks one listed node (already known to be a unit address in the zone). */
static int check_listed_block(const struct buddy_zone *z, uint64_t u, unsigned k,
			      struct check_result *r)
{
	uintptr_t addr = buddy_unit_addr(z, u);
	uint64_t size = order_units(k);
	uint64_t buddy = u ^ size;

	if (u & (size - 1))
		return fail(r, "free block misaligned for its order", addr);
	if (size > z->count - (u - z->first))
		return fail(r, "free block runs past the zone end", addr);
	if (!is_start(z, u) || !is_free(z, u))
		return fail(r, "listed free block not marked free", addr);
	if (block_len(z, u) != size)
		return fail(r, "free block on the list of the wrong order", addr);
	if (k < MAX_ORDER && buddy_contains(z, buddy) &&
	    size <= z->count - (buddy - z->first) && is_free_block(z, buddy, k))
		return fail(r, "free block has a free buddy of the same order", addr);
	return 0;
}

/* Walks the list of order k; adds its blocks and units to the totals. */
static int check_list(const struct buddy_zone *z, unsigned k, uint64_t *blocks,
		      uint64_t *units, struct check_result *r)
{
	const struct buddy_node *head = &z->lists[k];
	const struct buddy_node *prev = head;
	uintptr_t unit_mask = ((uintptr_t)1 << z->unit_shift) - 1;

	for (const struct buddy_node *n = head->next; n != head; prev = n, n = n->next) {
		uintptr_t addr = (uintptr_t)n;
		uint64_t u = node_unit(z, n);

		if ((addr & unit_mask) || !buddy_contains(z, u))
			return fail(r, "free-list node outside its zone", addr);
		if (n->prev != prev)
			return fail(r, "free-list back link broken", addr);
		if (*blocks >= z->count)
			return fail(r, "free list does not end", addr);
		int err = check_listed_block(z, u, k, r);

		if (err)
			return err;
		(*blocks)++;
		*units += order_units(k);
	}
	if (head->prev != prev)
		return fail(r, "free-list head back link broken", (uintptr_t)head);
	if (((z->nonempty >> k) & 1) != (head->next != head))
		return fail(r, "non-empty mask disagrees with a list", (uintptr_t)head);
	return 0;
}

/* Walks the block starts of the bitmap: counts free blocks and allocated
 * units and checks that allocations respect invariant P. */
static int check_bitmap(const struct buddy_zone *z, uint64_t *free_blocks,
			uint64_t *used, struct check_result *r)
{
	if (z->count && !is_start(z, z->first))
		return fail(r, "zone does not begin with a block", buddy_unit_addr(z, z->first));
	for (uint64_t i = 0; i < bitmap_words(z->count); i++)
		if (z->free[i] & ~z->start[i])
			return fail(r, "free bit on a unit that starts no block",
				    buddy_unit_addr(z, z->first + i * BITMAP_WORD_BITS));
	for (uint64_t i = 0, next; i < z->count; i = next) {
		uint64_t u = z->first + i;

		next = i + 1 < z->count ? bit_next_set(z->start, i + 1, z->count) : z->count;
		if (is_free(z, u)) {
			(*free_blocks)++;
			continue;
		}
		if (next - i > order_units(min_order(ctz64(u), MAX_ORDER)))
			return fail(r, "allocation more than 2^ctz(start) units long",
				    buddy_unit_addr(z, u));
		*used += next - i;
	}
	return 0;
}

int buddy_check(const struct buddy_zone *z, uint64_t *free_units,
		uint64_t *used_units, const char **why, uintptr_t *where)
{
	struct check_result r = { 0, 0 };
	uint64_t listed = 0, marked = 0;
	int err = 0;

	*free_units = *used_units = 0;
	if (z->nonempty >> BUDDY_ORDERS)
		err = fail(&r, "non-empty mask names an order beyond the last", 0);
	for (unsigned k = 0; !err && k < BUDDY_ORDERS; k++)
		err = check_list(z, k, &listed, free_units, &r);
	if (!err)
		err = check_bitmap(z, &marked, used_units, &r);
	if (!err && marked != listed)
		err = fail(&r, "a block marked free is on no list", 0);
	if (!err && *free_units + *used_units != z->count)
		err = fail(&r, "free and allocated units do not add up", 0);
	if (err) {
		*why = r.why;
		*where = r.where;
	}
	return err;
}
