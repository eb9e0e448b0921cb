/*
 * The buddy core shared by the frame allocator (unit = 4 KiB frame) and the
 * heap (unit = 16-byte granule).
 *
 * A zone manages the units [first, first + count), numbered absolutely
 * (unit = address >> unit_shift), so every block of order k is aligned to
 * 2^k units in address terms and the buddy of block u is u ^ 2^k. A buddy
 * outside the zone never merges.
 *
 * Metadata is two caller-supplied bitmaps, one bit per unit:
 *   start  a block (free, or an allocation) begins at this unit
 *   free   the block beginning here is free (meaningful where start is set)
 * Free-list nodes live inside the free blocks; one circular list per order
 * plus a mask of non-empty lists, so the smallest usable order is one ctz.
 *
 * Allocations need not be powers of two: n units come from a block of order
 * >= ceil(log2(n)) and the unused tail goes back to the lists. Invariant P:
 * an allocation [s, s+n) has n <= 2^ctz(s), so no unit strictly inside it is
 * more aligned than s. With P, a free block b of order exactly k is
 * recognised by start[b] && free[b] && (k == 0 || !start[b + 2^(k-1)]), and
 * the length of any block is the distance to the next start bit.
 */
#ifndef MM_BUDDY_H
#define MM_BUDDY_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define BUDDY_ORDERS 40u	/* orders 0..39; must fit the 64-bit mask */

/* Free-list node stored in the first bytes of every free block. */
struct buddy_node {
	struct buddy_node *next;
	struct buddy_node *prev;
};

struct buddy_zone;

/* Called with the unit of a free block whose node bytes become interior:
 * absorbed by a merge into its lower buddy, or taken by buddy_grow.
 * Optional: the heap uses it to re-poison those bytes. */
typedef void (*buddy_absorb_fn)(struct buddy_zone *z, uint64_t unit);

struct buddy_zone {
	uint64_t first;			/* first unit (absolute) */
	uint64_t count;			/* number of units */
	unsigned unit_shift;		/* log2 of the unit size in bytes */
	uint64_t *start;		/* bitmap indexed by unit - first */
	uint64_t *free;			/* bitmap indexed by unit - first */
	uint64_t nonempty;		/* bit k set iff lists[k] is not empty */
	buddy_absorb_fn on_absorb;	/* NULL unless the owner wants it */
	void *owner;			/* for on_absorb */
	struct buddy_node lists[BUDDY_ORDERS];	/* sentinel heads */
};

/* Bytes of one of the two bitmaps for a zone of count units. */
size_t buddy_bitmap_bytes(uint64_t count);

/* Sets up a zone over [first, first + count) with zeroed-then-built
 * bitmaps, carving the range into maximal naturally aligned free blocks.
 * The zone must not move afterwards (the lists point at its heads). */
void buddy_init(struct buddy_zone *z, uint64_t first, uint64_t count,
		unsigned unit_shift, uint64_t *start, uint64_t *free);

/* n > 0 units aligned to 2^align_order units; 0 and *unit, or -E_NOMEM. */
int buddy_alloc(struct buddy_zone *z, uint64_t n, unsigned align_order,
		uint64_t *unit);

/* Length in units of the allocation starting at unit (which must be inside
 * the zone): 0, or -E_NOTALLOC if no live allocation starts there. */
int buddy_alloc_len(const struct buddy_zone *z, uint64_t unit, uint64_t *n);

/* Frees the live allocation [s, s + n), n as given by buddy_alloc_len. */
void buddy_free(struct buddy_zone *z, uint64_t s, uint64_t n);

/* Releases the tail [s + new_n, s + old_n) of a live allocation. */
void buddy_shrink(struct buddy_zone *z, uint64_t s, uint64_t old_n, uint64_t new_n);

/* Extends the allocation [s, s + old_n) to new_n units in place if the
 * units after it are free and P still holds: 0, or -E_NOMEM (unchanged). */
int buddy_grow(struct buddy_zone *z, uint64_t s, uint64_t old_n, uint64_t new_n);

/* Whether a block (free or allocated) begins at unit (inside the zone). */
bool buddy_is_block_start(const struct buddy_zone *z, uint64_t unit);

static inline bool buddy_contains(const struct buddy_zone *z, uint64_t unit)
{
	return unit - z->first < z->count;
}

static inline uintptr_t buddy_unit_addr(const struct buddy_zone *z, uint64_t unit)
{
	return (uintptr_t)(unit << z->unit_shift);
}

/* Calls fn for every free block, order by order, list order. */
void buddy_for_each_free(const struct buddy_zone *z,
			 void (*fn)(void *ctx, uint64_t unit, unsigned order),
			 void *ctx);

/* Number of free blocks on the list of one order. */
uint64_t buddy_count_order(const struct buddy_zone *z, unsigned order);

/* Order of the largest free block, or -1 when the zone is full. */
int buddy_largest_order(const struct buddy_zone *z);

/* Walks lists and bitmaps; 0 with the free and allocated unit totals, or
 * -E_CORRUPT with *why and the address of the first violation in *where. */
int buddy_check(const struct buddy_zone *z, uint64_t *free_units,
		uint64_t *used_units, const char **why, uintptr_t *where);

#endif
