/*
 * The buddy core: free lists, splitting, coalescing and the bitmap encoding
 * described in buddy.h. The frame allocator and the heap are thin layers
 * over these functions; all buddy arithmetic lives here.
 */
#include "mm/buddy.h"

#include <string.h>

#include "lib/errors.h"
#include "mm/buddy_internal.h"

/* Puts the free block [unit, unit + 2^k) on its list and marks it. */
static inline void push_free(struct buddy_zone *z, uint64_t unit, unsigned k)
{
	struct buddy_node *head = &z->lists[k];
	struct buddy_node *n = node_at(z, unit);
	struct buddy_node *next = head->next;

	bit_set(z->start, unit - z->first);
	bit_set(z->free, unit - z->first);
	z->nonempty |= order_units(k);
	n->next = next;
	n->prev = head;
	next->prev = n;
	head->next = n;
}

static inline void unlink_free(struct buddy_zone *z, struct buddy_node *n, unsigned k)
{
	struct buddy_node *head = &z->lists[k];

	n->prev->next = n->next;
	n->next->prev = n->prev;
	z->nonempty &= ~((uint64_t)(head->next == head) << k);
}

/* The unit is no longer a block start (it became interior). */
static inline void clear_marks(struct buddy_zone *z, uint64_t unit)
{
	bit_clear(z->start, unit - z->first);
	bit_clear(z->free, unit - z->first);
}

/* Frees the aligned block [b, b + 2^k), merging with free buddies. */
static inline void release_block(struct buddy_zone *z, uint64_t b, unsigned k)
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
static void release_range(struct buddy_zone *z, uint64_t from, uint64_t to)
{
	while (to > from) {
		unsigned k = min_order(ctz64(to), log2_floor(to - from));

		to -= order_units(k);
		release_block(z, to, k);
	}
}

/* Returns the tail [p, end) of a block ending at the aligned unit end to the
 * lists, front to back, as maximal aligned pieces. No merge is possible. */
static void push_tail(struct buddy_zone *z, uint64_t p, uint64_t end)
{
	while (p < end) {
		unsigned k = ctz64(p);

		push_free(z, p, k);
		p += order_units(k);
	}
}

size_t buddy_bitmap_bytes(uint64_t count)
{
	return bitmap_words(count) * sizeof(uint64_t);
}

void buddy_init(struct buddy_zone *z, uint64_t first, uint64_t count,
		unsigned unit_shift, uint64_t *start, uint64_t *free)
{
	z->first = first;
	z->count = count;
	z->unit_shift = unit_shift;
	z->start = start;
	z->free = free;
	z->nonempty = 0;
	z->on_absorb = NULL;
	z->owner = NULL;
	for (unsigned k = 0; k < BUDDY_ORDERS; k++)
		z->lists[k].next = z->lists[k].prev = &z->lists[k];
	memset(start, 0, buddy_bitmap_bytes(count));
	memset(free, 0, buddy_bitmap_bytes(count));

	uint64_t end = first + count;

	for (uint64_t p = first; p < end; ) {
		unsigned k = min_order(min_order(ctz64(p), log2_floor(end - p)), MAX_ORDER);

		push_free(z, p, k);
		p += order_units(k);
	}
}

int buddy_alloc(struct buddy_zone *z, uint64_t n, unsigned align_order, uint64_t *unit)
{
	unsigned k = log2_ceil(n);

	if (align_order > k)
		k = align_order;
	if (n == 0 || k > MAX_ORDER)
		return -E_NOMEM;

	uint64_t usable = z->nonempty >> k;

	if (!usable)
		return -E_NOMEM;

	unsigned j = k + (unsigned)__builtin_ctzll(usable);
	struct buddy_node *n0 = z->lists[j].next;
	uint64_t s = node_unit(z, n0);

	unlink_free(z, n0, j);
	bit_clear(z->free, s - z->first);
	push_tail(z, s + n, s + order_units(j));
	*unit = s;
	return 0;
}

int buddy_alloc_len(const struct buddy_zone *z, uint64_t unit, uint64_t *n)
{
	if (!is_start(z, unit) || is_free(z, unit))
		return -E_NOTALLOC;
	*n = block_len(z, unit);
	return 0;
}

void buddy_free(struct buddy_zone *z, uint64_t s, uint64_t n)
{
	release_range(z, s, s + n);
}

void buddy_shrink(struct buddy_zone *z, uint64_t s, uint64_t old_n, uint64_t new_n)
{
	release_range(z, s + new_n, s + old_n);
}

int buddy_grow(struct buddy_zone *z, uint64_t s, uint64_t old_n, uint64_t new_n)
{
	uint64_t target = s + new_n;
	unsigned align = min_order(ctz64(s), MAX_ORDER);

	if (new_n > order_units(align) || new_n > z->count - (s - z->first))
		return -E_NOMEM;
	for (uint64_t p = s + old_n; p < target; p += block_len(z, p))
		if (!is_free(z, p))
			return -E_NOMEM;

	uint64_t p = s + old_n;

	while (p < target) {
		uint64_t len = block_len(z, p);

		unlink_free(z, node_at(z, p), log2_floor(len));
		clear_marks(z, p);
		if (z->on_absorb)
			z->on_absorb(z, p);
		p += len;
	}
	push_tail(z, target, p);
	return 0;
}

bool buddy_is_block_start(const struct buddy_zone *z, uint64_t unit)
{
	return is_start(z, unit);
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
