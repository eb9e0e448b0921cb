/*
 * The buddy core: free lists, caches, splitting, coalescing, deferred tails
 * and the bitmap encoding described in buddy.h. The frame allocator and the
 * heap are thin layers over these functions; all buddy arithmetic lives
 * here, in buddy_inline.h (the hot paths, which the heap and the frames
 * compile into their own alloc and free) and in buddy_reclaim.c (the paths
 * taken when memory runs short).
 */
#include "mm/buddy.h"

#include <string.h>

#include "lib/errors.h"
#include "mm/buddy_inline.h"

/* Out of line: only a poisoning heap's zones have an on_absorb callback,
 * and only tight ones straddlers. */
__attribute__((noinline)) void buddy_merge_slow(struct buddy_zone *z, uint64_t b, unsigned k)
{
	merge_up(z, b, k, z->on_absorb, z->straddlers != 0, z->unit_shift);
}

/* Frees the aligned block [b, b + 2^k), merging with free buddies. */
static inline __attribute__((always_inline)) void release_block(struct buddy_zone *z,
								uint64_t b, unsigned k)
{
	if (z->slow_merges)
		buddy_merge_slow(z, b, k);
	else
		merge_up(z, b, k, NULL, false, z->unit_shift);
}

static void update_slow_merges(struct buddy_zone *z)
{
	z->slow_merges = z->on_absorb || z->straddlers;
}

void buddy_set_absorb(struct buddy_zone *z, buddy_absorb_fn fn)
{
	z->on_absorb = fn;
	update_slow_merges(z);
}

/* One straddling allocation fewer. */
static void count_straddler_gone(struct buddy_zone *z)
{
	z->straddlers--;
	update_slow_merges(z);
}

/* Frees [from, to) as maximal aligned pieces, last piece first, so the part
 * not yet freed still looks like the allocation that starts before it. */
__attribute__((noinline)) void buddy_release_range(struct buddy_zone *z, uint64_t from, uint64_t to)
{
	while (to > from) {
		unsigned k = min_order(ctz64(to), log2_floor(to - from));

		to -= order_units(k);
		release_block(z, to, k);
	}
}

/* Frees the allocation [s, s + len) (its marker already cleared) in a
 * slow_merges zone; a straddler is uncounted once its pieces are free, as
 * until then the exact merge test must see it. */
__attribute__((noinline)) void buddy_give_slow(struct buddy_zone *z, uint64_t s, uint64_t len)
{
	buddy_release_range(z, s, s + len);
	if (straddles(s, len))
		count_straddler_gone(z);
}

__attribute__((noinline, cold)) void buddy_drain(struct buddy_zone *z)
{
	for (unsigned k = 0; k < z->cache_orders; k++)
		while (z->cache[k].count)
			release_block(z, cache_pop(z, k, z->unit_shift), k);
}

/* Puts the blocks of order k in [from, to) onto the cache of order k,
 * lowest first; they were interior units. */
static void cache_fill(struct buddy_zone *z, uint64_t from, uint64_t to, unsigned k)
{
	struct buddy_cache *c = &z->cache[k];
	struct buddy_cached *top = c->top;

	for (uint64_t u = to; u > from; ) {
		struct buddy_cached *b;

		u -= order_units(k);
		b = (struct buddy_cached *)buddy_unit_addr(z, u);
		b->next = top;
		top = b;
	}
	c->top = top;
	c->count += (to - from) >> k;
	z->cached_units += to - from;
	bit_set_every(z->start, from - z->first, to - z->first, k);
	bit_set_every(z->held, from - z->first, to - z->first, k);
}

__attribute__((noinline)) void buddy_split_refill(struct buddy_zone *z, uint64_t s, unsigned k,
						  unsigned j)
{
	unsigned batch_order = min_order(j, k + BUDDY_REFILL_SHIFT);

	push_halves(z, s, batch_order, j, z->unit_shift);
	cache_fill(z, s + order_units(k), s + order_units(batch_order), k);
}

static size_t buddy_bitmap_bytes(uint64_t count)
{
	return bitmap_words(count) * sizeof(uint64_t);
}

size_t buddy_metadata_bytes(uint64_t count)
{
	return BUDDY_BITMAPS * buddy_bitmap_bytes(count);
}

/* Carves [first, first + count) into maximal naturally aligned free
 * blocks on empty lists; the bitmaps must be clear. */
static void carve_initial(struct buddy_zone *z)
{
	uint64_t end = z->first + z->count;

	for (unsigned k = 0; k < BUDDY_ORDERS; k++)
		z->lists[k].next = z->lists[k].prev = &z->lists[k];
	z->nonempty = 0;
	for (uint64_t p = z->first; p < end; ) {
		unsigned k = min_order(min_order(ctz64(p), log2_floor(end - p)), MAX_ORDER);

		push_free(z, p, k);
		p += order_units(k);
	}
}

void buddy_init(struct buddy_zone *z, uint64_t first, uint64_t count,
		unsigned unit_shift, uint64_t *meta)
{
	size_t words = bitmap_words(count);
	unsigned roomy_order;

	memset(z, 0, sizeof(*z));
	z->first = first;
	z->count = count;
	z->unit_shift = unit_shift;
	z->start = meta;
	z->free = meta + words;
	z->held = meta + 2 * words;
	roomy_order = count ? log2_floor(count) : 0;
	roomy_order = roomy_order > BUDDY_ROOMY_SHIFT ? roomy_order - BUDDY_ROOMY_SHIFT : 0;
	z->roomy_lists = order_units(roomy_order);
	z->merge_orders = count ? min_order(log2_floor(count), MAX_ORDER) : 0;
	memset(meta, 0, buddy_metadata_bytes(count));
	carve_initial(z);
}

/* Empties the caches, leaving their blocks' marks alone. */
static void forget_caches(struct buddy_zone *z)
{
	for (unsigned k = 0; k < z->cache_orders; k++) {
		z->cache[k].top = NULL;
		z->cache[k].count = 0;
	}
	z->cached_units = 0;
}

/* Clears the marks of every listed and every cached block and empties the
 * caches. In a zone with no live allocation those are all the marks there
 * are, so the bitmaps end up clear. */
static void forget_free_blocks(struct buddy_zone *z)
{
	for (unsigned k = 0; k < BUDDY_ORDERS; k++) {
		const struct buddy_node *head = &z->lists[k];

		for (const struct buddy_node *n = head->next; n != head; n = n->next)
			clear_marks(z, node_unit(z, n));
	}
	for (unsigned k = 0; k < z->cache_orders; k++)
		for (struct buddy_cached *b = z->cache[k].top; b; b = b->next) {
			uint64_t i = ((uintptr_t)b >> z->unit_shift) - z->first;

			bit_clear(z->start, i);
			bit_clear(z->held, i);
		}
	forget_caches(z);
}

/*
 * The zone's last allocation was freed (and its marks cleared), so
 * everything is free and the initial state is the only right one. Rather
 * than merging every cached block back up (after a mass free the caches
 * may hold thousands), forget the blocks and carve the zone afresh: walk
 * the lists and caches clearing their marks, or, when the caches alone
 * hold more blocks than a quarter of the words of the three bitmaps, clear
 * the bitmaps outright. An absorb callback (heap poisoning) must see every
 * merge, so it drains instead.
 */
__attribute__((noinline, cold)) void buddy_settle_empty(struct buddy_zone *z)
{
	uint64_t cached_blocks = 0;
	size_t words = BUDDY_BITMAPS * bitmap_words(z->count);

	z->straddlers = 0;	/* the last one may have been freed unmerged */
	update_slow_merges(z);
	if (z->on_absorb) {
		buddy_drain(z);
		return;
	}
	for (unsigned k = 0; k < z->cache_orders; k++)
		cached_blocks += z->cache[k].count;
	if (cached_blocks * 4 >= words) {
		forget_caches(z);
		memset(z->start, 0, words * sizeof(uint64_t));
	} else {
		forget_free_blocks(z);
	}
	carve_initial(z);
}

void buddy_set_cache(struct buddy_zone *z, unsigned orders)
{
	buddy_drain(z);
	z->cache_orders = min_order(orders, BUDDY_CACHE_ORDERS);
	z->cache_max_units = z->cache_orders ? order_units(z->cache_orders - 1) : 0;
}

int buddy_alloc(struct buddy_zone *z, uint64_t n, unsigned align_order, uint64_t *unit)
{
	if (is_order_request(n, align_order) && n <= order_units(MAX_ORDER))
		return buddy_order_take(z, log2_floor(n), unit, z->unit_shift) ? 0 : -E_NOMEM;
	if (buddy_cache_take(z, n, align_order, unit, z->unit_shift))
		return 0;
	return buddy_list_take(z, n, align_order, unit, z->unit_shift);
}

int buddy_lookup(const struct buddy_zone *z, uint64_t unit, struct buddy_span *sp)
{
	return buddy_lookup_inline(z, unit, sp);
}

void buddy_free(struct buddy_zone *z, const struct buddy_span *sp)
{
	if (!buddy_cache_put(z, sp->start - z->first, sp->n, sp->n < sp->len, z->unit_shift))
		buddy_list_give(z, sp, z->unit_shift);
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
	push_tail(z, target, p, z->unit_shift);
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

uint64_t buddy_shrunk_units(const struct buddy_span *sp, uint64_t new_n)
{
	/* no straddler is a power of two long (buddy_cache_put relies on it) */
	if (straddles(sp->start, sp->len) && straddles(sp->start, new_n) &&
	    !(new_n & (new_n - 1)))
		return new_n + 1;
	return new_n;
}

/* Shrinks the straddling allocation *sp to new_n < sp->len units, or as
 * buddy_shrunk_units says. */
static void shrink_straddler(struct buddy_zone *z, struct buddy_span *sp, uint64_t new_n)
{
	uint64_t s = sp->start;

	new_n = buddy_shrunk_units(sp, new_n);
	buddy_release_range(z, s + new_n, s + sp->len);
	if (!straddles(s, new_n))
		count_straddler_gone(z);
	sp->n = sp->len = new_n;
}

int buddy_resize(struct buddy_zone *z, struct buddy_span *sp, uint64_t new_n)
{
	uint64_t s = sp->start, len = sp->len;

	if (new_n > len)
		return grow_beyond(z, sp, new_n);
	if (straddles(s, len)) {
		if (new_n < len)
			shrink_straddler(z, sp, new_n);
		return 0;
	}
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
