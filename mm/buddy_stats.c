/*
 * Read-only views of a buddy zone's free lists (buddy.h): the counts per
 * order that `dump` and `stats` print, the largest free order, and a walk
 * of every listed block. The caches' and tails' views are in
 * buddy_lazy.c; the checker is buddy_check.c.
 */
#include "mm/buddy_internal.h"

/* Statistics take the zone lock to read the lists' counts (the lock is
 * not part of what a const zone promises to leave alone). */
void buddy_list_counts(const struct buddy_zone *z, uint64_t blocks[BUDDY_ORDERS])
{
	struct buddy_zone *locked = (struct buddy_zone *)z;

	spin_lock(&locked->lock);
	for (unsigned k = 0; k < BUDDY_ORDERS; k++)
		blocks[k] = z->blocks[k];
	spin_unlock(&locked->lock);
}

int buddy_largest_order(const struct buddy_zone *z)
{
	uint64_t blocks[BUDDY_ORDERS], orders = buddy_cached_orders(z);

	buddy_list_counts(z, blocks);
	for (unsigned k = 0; k < BUDDY_ORDERS; k++)
		orders |= (uint64_t)(blocks[k] != 0) << k;
	return orders ? (int)log2_floor(orders) : -1;
}

void buddy_for_each_free(const struct buddy_zone *z,
			 void (*fn)(void *ctx, uint64_t unit, unsigned order),
			 void *ctx)
{
	for (unsigned k = 0; k < BUDDY_ORDERS; k++)
		for (uint32_t i = z->head[k]; i != BUDDY_NIL; i = node_at(z, i)->next)
			fn(ctx, z->first + i, k);
}
