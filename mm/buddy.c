/*
 * The buddy core: free lists, caches, splitting, coalescing, deferred tails
 * and the bitmap encoding described in buddy.h. The frame allocator and the
 * heap are thin layers over these functions; all buddy arithmetic lives
 * here and in buddy_reclaim.c (the paths taken when memory runs short).
 */
#include "mm/buddy.h"

#include <string.h>

#include "lib/errors.h"
#include "mm/buddy_inline.h"

/* Frees the aligned block [b, b + 2^k), merging with free buddies. Inlined
 * into its callers: it is the whole cost of a free that misses the cache. */
static inline __attribute__((always_inline)) void release_block(struct buddy_zone *z, uint64_t b, unsigned k)
{
	const uint64_t first = z->first, count = z->count;
	uint64_t *const start = z->start, *const free = z->free;
	const buddy_absorb_fn absorb = z->on_absorb;

	while (k < MAX_ORDER) {
		uint64_t size = order_units(k);
		uint64_t i = (b ^ size) - first;	/* the buddy, zone-relative */
		uint64_t upper = (b | size) - first;

		if (i >= count || size > count - i || !free_block_at(start, free, i, k))
			break;
		unlink_free(z, node_at(z, b ^ size), k);
		bit_clear(start, upper);
		bit_clear(free, upper);
		if (absorb)
			absorb(z, b | size);
		b &= ~size;
		k++;
	}
	push_free(z, b, k);
}

/* Frees [from, to) as maximal aligned pieces, last piece first, so the part
 * not yet freed still looks like the allocation that starts before it. */
void buddy_release_range(struct buddy_zone *z, uint64_t from, uint64_t to)
{
	while (to > from) {
		unsigned k = min_order(ctz64(to), log2_floor(to - from));

		to -= order_units(k);
		release_block(z, to, k);
	}
}

/* Returns the tail [p, end) of a block ending at the aligned unit end to the
 * lists, front to back, as maximal aligned pieces. No merge is possible. */
static inline __attribute__((always_inline)) void push_tail(struct buddy_zone *z,
								uint64_t p, uint64_t end)
{
	while (p < end) {
		unsigned k = ctz64(p);

		push_free(z, p, k);
		p += order_units(k);
	}
}

void buddy_push_tail(struct buddy_zone *z, uint64_t p, uint64_t end)
{
	push_tail(z, p, end);
}

void buddy_drain(struct buddy_zone *z)
{
	for (unsigned k = 0; k < z->cache_orders; k++)
		while (z->cache[k].count)
			release_block(z, cache_pop(z, k), k);
}

size_t buddy_bitmap_bytes(uint64_t count)
{
	return bitmap_words(count) * sizeof(uint64_t);
}

size_t buddy_metadata_bytes(uint64_t count)
{
	return BUDDY_BITMAPS * buddy_bitmap_bytes(count);
}

void buddy_init(struct buddy_zone *z, uint64_t first, uint64_t count,
		unsigned unit_shift, uint64_t *meta)
{
	size_t words = bitmap_words(count);

	memset(z, 0, sizeof(*z));
	z->first = first;
	z->count = count;
	z->unit_shift = unit_shift;
	z->start = meta;
	z->free = meta + words;
	z->held = meta + 2 * words;
	z->roomy_order = count ? log2_floor(count) : 0;
	z->roomy_order = z->roomy_order > BUDDY_ROOMY_SHIFT ? z->roomy_order - BUDDY_ROOMY_SHIFT : 0;
	for (unsigned k = 0; k < BUDDY_ORDERS; k++)
		z->lists[k].next = z->lists[k].prev = &z->lists[k];
	memset(meta, 0, buddy_metadata_bytes(count));

	uint64_t end = first + count;

	for (uint64_t p = first; p < end; ) {
		unsigned k = min_order(min_order(ctz64(p), log2_floor(end - p)), MAX_ORDER);

		push_free(z, p, k);
		p += order_units(k);
	}
}

void buddy_set_cache(struct buddy_zone *z, unsigned orders, uint64_t limit)
{
	buddy_drain(z);
	z->cache_orders = min_order(orders, BUDDY_CACHE_ORDERS);
	z->cache_limit = limit;
}

int buddy_alloc(struct buddy_zone *z, uint64_t n, unsigned align_order, uint64_t *unit)
{
	unsigned kn = log2_ceil(n), k = kn > align_order ? kn : align_order;
	uint64_t s, len, keep;

	if (n == 0 || k > MAX_ORDER)
		return -E_NOMEM;
	len = order_units(kn);
	keep = n;
	if (z->nonempty >> z->roomy_order)
		keep = len;			/* roomy: defer the tail */
	else if (z->deferred_units > z->count >> BUDDY_FLUSH_SHIFT)
		buddy_flush_tails(z);		/* tight: tails back, none deferred */
	if (k == kn && k < z->cache_orders && z->cache[k].count) {
		s = cache_pop(z, k);
		push_tail(z, s + keep, s + len);
	} else {
		uint64_t usable = z->nonempty >> k;

		if (!usable)
			return -E_NOMEM;

		unsigned j = k + (unsigned)__builtin_ctzll(usable);
		struct buddy_node *n0 = z->lists[j].next;

		s = node_unit(z, n0);
		unlink_free(z, n0, j);
		bit_clear(z->free, s - z->first);
		push_tail(z, s + keep, s + order_units(j));
	}
	if (n < keep)
		set_marker(z, s + n, keep - n);
	z->live++;
	*unit = s;
	return 0;
}

int buddy_lookup(const struct buddy_zone *z, uint64_t unit, struct buddy_span *sp)
{
	return buddy_lookup_inline(z, unit, sp);
}

void buddy_free(struct buddy_zone *z, const struct buddy_span *sp)
{
	uint64_t s = sp->start, len = sp->len;
	unsigned k = ctz64(len);

	if (sp->n < len)
		clear_marker(z, s + sp->n, len - sp->n);
	if (len != order_units(k)) {
		buddy_release_range(z, s, s + len);
	} else if (z->live > 1 && k < z->cache_orders && z->cache[k].count < z->cache_limit) {
		cache_push(z, s, k);
	} else {
		release_block(z, s, k);
	}
	if (--z->live == 0)
		buddy_drain(z);
}

void buddy_absorb_free(struct buddy_zone *z, uint64_t p, uint64_t target)
{
	while (p < target) {
		uint64_t len = block_len(z, p);

		unlink_free(z, node_at(z, p), log2_floor(len));
		clear_marks(z, p);
		if (z->on_absorb)
			z->on_absorb(z, p);
		p += len;
	}
	buddy_push_tail(z, target, p);
}

/* Grows *sp beyond its block over the free blocks that follow it. */
static int grow_beyond(struct buddy_zone *z, struct buddy_span *sp, uint64_t new_n)
{
	uint64_t s = sp->start, target = s + new_n;
	unsigned align = min_order(ctz64(s), MAX_ORDER);

	if (new_n > order_units(align) || new_n > z->count - (s - z->first))
		return -E_NOMEM;
	for (uint64_t p = s + sp->len; p < target; p += block_len(z, p))
		if (!is_free(z, p))
			return -E_NOMEM;
	if (sp->n < sp->len)
		clear_marker(z, s + sp->n, sp->len - sp->n);

	buddy_absorb_free(z, s + sp->len, target);
	sp->n = sp->len = new_n;
	return 0;
}

int buddy_resize(struct buddy_zone *z, struct buddy_span *sp, uint64_t new_n)
{
	uint64_t s = sp->start, len = sp->len;

	if (new_n > len)
		return grow_beyond(z, sp, new_n);
	if (sp->n < len)
		clear_marker(z, s + sp->n, len - sp->n);

	/* keep the block no larger than a fresh allocation's */
	uint64_t natural = order_units(log2_ceil(new_n));

	if (natural < len) {
		buddy_release_range(z, s + natural, s + len);
		len = natural;
	}
	if (len < natural) {		/* a marker implies a 2^k block */
		buddy_release_range(z, s + new_n, s + len);
		len = new_n;
	}
	if (new_n < len)
		set_marker(z, s + new_n, len - new_n);
	sp->n = new_n;
	sp->len = len;
	return 0;
}

void buddy_for_each_free(const struct buddy_zone *z,
			 void (*fn)(void *ctx, uint64_t unit, unsigned order),
			 void *ctx)
{
	for (unsigned k = 0; k < BUDDY_ORDERS; k++) {
		const struct buddy_node *head = &z->lists[k];

		for (const struct buddy_node *n = head->next; n != head; n = n->next)
			fn(ctx, node_unit(z, n), k);
	}
}

uint64_t buddy_count_order(const struct buddy_zone *z, unsigned order)
{
	const struct buddy_node *head = &z->lists[order];
	uint64_t count = 0;

	for (const struct buddy_node *n = head->next; n != head; n = n->next)
		count++;
	return count;
}

int buddy_largest_order(const struct buddy_zone *z)
{
	return z->nonempty ? (int)log2_floor(z->nonempty) : -1;
}
