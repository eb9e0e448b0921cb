/*
 * The invariant walker of the buddy core (buddy_check in buddy.h), after
 * TLSF's tlsf_check and Zephyr's sys_heap_validate: it reads every list
 * and every bitmap word and reports the first broken rule. Tests call it
 * between operations; the shell's `check` command calls it on demand.
 */
#include "mm/buddy_internal.h"

struct walk {
	const struct buddy_zone *z;
	const char **why;
	uintptr_t *where;
};

static int fail(const struct walk *w, const char *what, uint64_t i)
{
	*w->why = what;
	*w->where = buddy_unit_addr(w->z, w->z->first + i);
	return -E_CORRUPT;
}

/* The rules for the free block at index i on the list of order k, reached
 * from the node at index prev. */
static int check_free_block(const struct walk *w, uint64_t i, unsigned k, uint32_t prev)
{
	const struct buddy_zone *z = w->z;
	const struct buddy_node *n = node_at(z, i);
	uint64_t u = z->first + i, b = u ^ order_units(k);

	if (n->order != k || n->magic != (BUDDY_NODE_MAGIC ^ k))
		return fail(w, "free-list node overwritten (write after free?)", i);
	if (n->prev != prev)
		return fail(w, "free list back link broken", i);
	if (!is_listed(z, i) || !bitmap_index_test(&z->start, i))
		return fail(w, "listed block not marked free", i);
	if (u & (order_units(k) - 1) || order_units(k) > zone_end(z) - u)
		return fail(w, "listed block misaligned or past the zone", i);
	if (bitmap_index_next(&z->start, i + 1) != i + order_units(k))
		return fail(w, "a block starts inside a free block", i);
	if (k > BUDDY_MAX_ORDER)
		return fail(w, "listed block above the largest order", i);
	if (k < BUDDY_MAX_ORDER && b >= z->first && b + order_units(k) <= zone_end(z) &&
	    is_listed(z, b - z->first) && node_at(z, b - z->first)->order == k)
		return fail(w, "two free buddies not merged", i);
	return 0;
}

static int check_lists(const struct walk *w, uint64_t *free_units, uint64_t *listed)
{
	const struct buddy_zone *z = w->z;

	*free_units = *listed = 0;
	for (unsigned k = 0; k < BUDDY_ORDERS; k++) {
		uint64_t blocks = 0;
		uint32_t prev = BUDDY_NIL;

		if (((z->nonempty >> k) & 1) != (z->head[k] != BUDDY_NIL))
			return fail(w, "non-empty list mask wrong", 0);
		for (uint32_t i = z->head[k]; i != BUDDY_NIL; i = node_at(z, i)->next) {
			if (i >= z->count || blocks >= z->count)
				return fail(w, "free list link out of the zone or in a loop", prev);
			int err = check_free_block(w, i, k, prev);

			if (err)
				return err;
			prev = i;
			blocks++;
		}
		if (blocks != z->blocks[k])
			return fail(w, "free block count wrong", 0);
		*free_units += blocks << k;
		*listed += blocks;
	}
	if (*free_units != z->free_units)
		return fail(w, "free unit count wrong", 0);
	return 0;
}

/* The cached blocks of one hart: whole aligned blocks marked start, free
 * and held, each cache within its limit. */
static int check_pcp(const struct walk *w, const struct buddy_pcp *p, uint64_t *cached,
		     uint64_t *blocks_seen)
{
	const struct buddy_zone *z = w->z;

	for (unsigned k = 0; k < BUDDY_CACHE_ORDERS; k++) {
		uint64_t blocks = 0;

		if (((p->cached_mask >> k) & 1) != (p->cache[k].count != 0) ||
		    p->cache[k].count > BUDDY_CACHE_HIGH || (p->cache[k].count && k >= z->cache_orders))
			return fail(w, "cache count or mask wrong", 0);
		for (uint32_t i = p->cache[k].top; i != BUDDY_NIL; i = node_at(z, i)->next) {
			const struct buddy_node *n = node_at(z, i);

			if (i >= z->count || blocks++ >= p->cache[k].count)
				return fail(w, "cache link out of the zone or too long", 0);
			if (n->order != k || n->magic != (BUDDY_NODE_MAGIC ^ k))
				return fail(w, "cached block overwritten (write after free?)", i);
			if (!is_free(z, i) || !is_held(z, i) || !is_start(z, i) ||
			    bitmap_index_next(&z->start, i + 1) != i + order_units(k) ||
			    ((z->first + i) & (order_units(k) - 1)))
				return fail(w, "cached block marked wrong", i);
		}
		if (blocks != p->cache[k].count)
			return fail(w, "cache count wrong", 0);
		*cached += blocks << k;
		*blocks_seen += blocks;
	}
	return 0;
}

static int check_caches(const struct walk *w, uint64_t *cached, uint64_t *blocks)
{
	*cached = *blocks = 0;
	for (unsigned h = 0; h < pcp_harts(w->z); h++) {
		int err = check_pcp(w, &w->z->pcp[h], cached, blocks);

		if (err)
			return err;
	}
	return 0;
}

/* The live allocation at index i, which the next start ends at next: at
 * most one deferred tail inside it (a held bit without start), and then
 * the allocation and its tail are one whole aligned block of a cached
 * order. Adds the tail's units to *tail_units. */
static int check_live(const struct walk *w, uint64_t i, uint64_t next, uint64_t *tail_units,
		      uint64_t *tails)
{
	const struct buddy_zone *z = w->z;
	uint64_t t = first_held(z, i + 1, next), len = next - i;

	if (t == next)
		return 0;
	if ((len & (len - 1)) || ((z->first + i) & (len - 1)) ||
	    len >= order_units(z->cache_orders) || log2_ceil(t - i) != log2_floor(len))
		return fail(w, "deferred tail marked wrong", t);
	if (first_held(z, t + 1, next) != next)
		return fail(w, "two deferred tails in one block", t);
	*tail_units += next - t;
	++*tails;
	return 0;
}

/* Every summary bit says whether the word below it is non-zero. */
static int check_index(const struct walk *w)
{
	const struct bitmap_index *x = &w->z->start;
	uint64_t words = bitmap_words(x->bits);

	for (unsigned l = 1; l < x->levels; l++) {
		for (uint64_t i = 0; i < words; i++)
			if (bit_test(x->level[l], i) != (x->level[l - 1][i] != 0))
				return fail(w, "start-bit summary disagrees with the bitmap", i * 64);
		words = bitmap_words(words);
	}
	return 0;
}

/* Walks the start bits: free bits only at starts, held bits at starts
 * or as a deferred tail; a block that is neither free nor held is a live
 * allocation. */
static int check_bitmaps(const struct walk *w, uint64_t listed, uint64_t cached_blocks,
			 uint64_t *used_units, uint64_t *tail_units)
{
	const struct buddy_zone *z = w->z;
	uint64_t frees = 0, lives = 0, cached = 0, tails = 0;

	*used_units = *tail_units = 0;
	for (uint64_t word = 0; word < bitmap_words(z->count); word++)
		if (word_load(&z->free[word]) & ~word_load(&z->start.level[0][word]))
			return fail(w, "free bit without a block start", word * 64);
	for (uint64_t i = bitmap_index_next(&z->start, 0); i < z->count;) {
		uint64_t next = bitmap_index_next(&z->start, i + 1);

		if (is_free(z, i) && first_held(z, i + 1, next) != next)
			return fail(w, "held bit inside a free block", i);
		if (is_listed(z, i)) {
			frees++;
		} else if (is_free(z, i)) {
			cached++;
		} else if (is_held(z, i)) {
			return fail(w, "block start held but not free", i);
		} else {
			int err = check_live(w, i, next, tail_units, &tails);

			if (err)
				return err;
			lives++;
			*used_units += next - i;
		}
		i = next;
	}
	*used_units -= *tail_units;
	if (z->count && !bitmap_index_test(&z->start, 0))
		return fail(w, "the zone does not begin with a block", 0);
	if (frees != listed)
		return fail(w, "free bits disagree with the lists", 0);
	if (cached != cached_blocks)
		return fail(w, "held bits disagree with the caches", 0);
	if (lives + cached != z->out)
		return fail(w, "live allocation count wrong", 0);
	return 0;
}

static int check_zone(const struct buddy_zone *z, uint64_t *free_units,
		      uint64_t *used_units, const char **why, uintptr_t *where)
{
	struct walk w = { z, why, where };
	uint64_t listed, cached = 0, cached_blocks = 0, tails = 0;
	int err = check_lists(&w, free_units, &listed);

	*used_units = 0;
	if (!err)
		err = check_caches(&w, &cached, &cached_blocks);
	if (!err)
		err = check_index(&w);
	if (!err)
		err = check_bitmaps(&w, listed, cached_blocks, used_units, &tails);
	*free_units += cached + tails;
	if (!err && *free_units + *used_units != z->count)
		err = fail(&w, "free and used units do not add up to the zone", 0);
	return err;
}

/* Holds every lock of the zone while it walks (locks are not part of what
 * a const zone promises to leave alone). */
int buddy_check(const struct buddy_zone *z, uint64_t *free_units,
		uint64_t *used_units, const char **why, uintptr_t *where)
{
	struct buddy_zone *locked = (struct buddy_zone *)z;
	unsigned harts = buddy_lock_all(locked);
	int err = check_zone(z, free_units, used_units, why, where);

	buddy_unlock_all(locked, harts);
	return err;
}
