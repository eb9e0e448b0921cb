/*
 * The buddy core, shared by the frame allocator (unit = 4 KiB frame) and
 * the heap (unit = 16-byte granule). docs/buddy.md walks through it, from
 * the textbook algorithm to each refinement and what it measurably buys.
 *
 * A zone manages the units [first, first + count), numbered absolutely
 * (unit = address >> unit_shift), so a block of order k is 2^k units
 * aligned to 2^k in address terms and the buddy of block u is u ^ 2^k.
 * Free memory is always in canonical form: maximal aligned blocks, no two
 * free buddies of one order (a free merges until that holds again). Each
 * free block is on the list of its order, with its node (links and order)
 * in its own first 16 bytes; a mask of non-empty lists gives the smallest
 * usable order in one bit scan.
 *
 * An allocation is any run of n units [s, s + n), not only a whole block:
 * a request takes a block of order ceil(log2 n) and gives its tail back
 * at once as aligned pieces (Linux's alloc_pages_exact), and when no block
 * that large is free, it is placed in a run of smaller free blocks
 * (buddy_place.c). So a free gives back exactly what was asked for.
 *
 * Metadata outside the blocks, three bits per unit:
 *   start  a block begins at this unit
 *   free   its memory is free
 *   held   it is set aside: not on a list (free), being freed (neither),
 *          or where a deferred tail begins (no start bit)
 * so a unit is one of
 *   start           a live allocation
 *   start free      a free block on the list of its order
 *   start free held a cached free block (buddy_lazy.c)
 *   held            the deferred tail of the allocation before it, which
 *                   then ends at its aligned block's end (buddy_lazy.c)
 * The length of an allocation is the distance to the next start bit, or
 * to its tail; the start bits are kept in a levelled bitmap
 * (bitmap_index.h) so that this costs a few word operations at any
 * length. No block has a header, and every misuse of free (a double free,
 * an interior or foreign pointer) is seen in the bits.
 *
 * Laziness (buddy_lazy.c), as in Linux's per-CPU page lists: while a zone
 * is roomy, each hart frees small blocks into bounded per-order caches of
 * its own rather than merging them, and a small request keeps its whole
 * block, the tail deferred with it rather than split off. Once the zone is
 * tight, every call gives a few tails and cached blocks back: a constant
 * number.
 *
 * Harts: every call is safe from any hart. The lists, counts and start
 * bits belong to the zone lock; a hart's cache to its own lock, which only
 * that hart takes on its fast path (others take it to drain the cache), so
 * the common alloc/free pair of a small block takes no shared lock. Locks
 * are taken in one order: caches by hart index, then the zone.
 *
 * Every call does work bounded by the number of orders plus a constant,
 * never by the size of the zone or the number of blocks: there is no scan
 * of a list or of a bitmap anywhere in an allocation or a free.
 */
#ifndef MM_BUDDY_H
#define MM_BUDDY_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "lib/spinlock.h"
#include "mm/bitmap_index.h"

#define BUDDY_ORDERS 32u			/* orders 0..31 */
/* The largest block a zone lists (Linux's MAX_ORDER): blocks never merge
 * past it, and a zone larger than 2^22 units is carved into blocks of
 * this order. So a split or a merge chain is at most 22 orders long
 * whatever the zone's size (a call's work does not grow with the arena);
 * a longer request is placed over a run of such blocks (buddy_place.c). */
#define BUDDY_MAX_ORDER 22u
#define BUDDY_MAX_UNITS ((uint64_t)UINT32_MAX)	/* units of one zone: nodes
						   link by 32-bit index */
#define BUDDY_NIL UINT32_MAX			/* the end of a list */
#define BUDDY_CACHE_ORDERS 12u			/* orders a zone may cache */
/* A cache holds at most this many blocks (Linux's pcp "high"): 16 keeps
 * the W1 workload's cache misses near 6% (docs/buddy.md). */
#define BUDDY_CACHE_HIGH 16u
/* An empty cache is refilled, and a full one drained, this many blocks at
 * a time under the zone lock (Linux's pcp "batch"): log2 of it. */
#define BUDDY_CACHE_BATCH_SHIFT 3u
#define BUDDY_CACHE_BATCH (1u << BUDDY_CACHE_BATCH_SHIFT)
_Static_assert(BUDDY_CACHE_BATCH <= BUDDY_CACHE_HIGH, "a refill fits an empty cache");
#define BUDDY_CACHE_HARTS 8u			/* harts with a cache; others
						   take the zone lock */

/* The node in the first 16 bytes of every listed or cached free block:
 * links as zone-relative unit indices (a cache uses next only), and the
 * block's order. */
struct buddy_node {
	uint32_t next, prev;
	uint32_t order;
	uint32_t magic;		/* BUDDY_NODE_MAGIC ^ order: checked by
				   buddy_check, so a write after free into
				   a node is caught */
};

#define BUDDY_NODE_MAGIC 0xb0dd1e5u

struct buddy_zone;

/* Called with the unit of a free block whose node bytes become part of an
 * allocation's interior or of a larger free block (merged, placed over,
 * grown into). Optional: the heap uses it to re-poison those bytes. */
typedef void (*buddy_absorb_fn)(struct buddy_zone *z, uint64_t unit);

/* One order's stack of cached blocks. */
struct buddy_cache {
	uint32_t top;			/* BUDDY_NIL when empty */
	uint32_t count;
};

/* One hart's caches in a zone, padded to two cache lines so that two
 * harts' caches share none. */
#define BUDDY_PCP_BYTES 128u

struct buddy_pcp {
	struct spinlock lock;
	uint32_t cached_mask;		/* bit k set iff cache k is not empty */
	int64_t tails;			/* tails this hart deferred less those
					   it took back (buddy_tail_total) */
	struct buddy_cache cache[BUDDY_CACHE_ORDERS];
	uint8_t pad[BUDDY_PCP_BYTES - sizeof(struct spinlock) - sizeof(uint32_t) -
		    sizeof(int64_t) - BUDDY_CACHE_ORDERS * sizeof(struct buddy_cache) - 4];
};

struct buddy_zone {
	uint64_t first;			/* first unit (absolute) */
	uint64_t count;			/* number of units */
	uintptr_t base;			/* address of unit first */
	unsigned unit_shift;		/* log2 of the unit size in bytes */
	uint64_t nonempty;		/* bit k set iff list k is not empty */
	uint64_t *free;			/* bitmaps, by unit - first */
	uint64_t *held;
	struct bitmap_index start;
	uint32_t head[BUDDY_ORDERS];	/* first node of each list */
	uint64_t blocks[BUDDY_ORDERS];	/* free blocks on each list */
	uint64_t free_units;		/* in listed free blocks */
	uint64_t roomy_units;		/* the zone is roomy while free_units
					   is at least this */
	uint64_t out;			/* blocks off the lists: live
					   allocations and cached blocks */
	unsigned cache_orders;		/* orders below this are cached and
					   taken whole while roomy */
	int64_t tails;			/* tails deferred less taken back
					   under the zone lock */
	uint64_t sweep;			/* the next held-bitmap word the
					   tail sweep reads */
	buddy_absorb_fn on_absorb;	/* NULL unless set (buddy_set_absorb) */
	struct spinlock lock;		/* the zone lock */
	struct buddy_pcp *pcp;		/* BUDDY_CACHE_HARTS caches, in the
					   metadata */
};

/* Bytes of metadata (the harts' caches, free and held bits, the levelled
 * start bits) for a zone of count units. */
size_t buddy_metadata_bytes(uint64_t count);

/* Sets up a zone over [first, first + count), 0 < count <= BUDDY_MAX_UNITS,
 * with its metadata in meta (buddy_metadata_bytes long, 8-byte aligned),
 * carving the range into maximal aligned free blocks. The units must be
 * writable memory: the nodes are written into them. Nothing is cached
 * until buddy_set_cache. */
void buddy_init(struct buddy_zone *z, uint64_t first, uint64_t count,
		unsigned unit_shift, uint64_t *meta);

/* Caches, and takes whole while roomy, the blocks of the orders below
 * orders (at most BUDDY_CACHE_ORDERS); 0 turns laziness off. Gives back
 * what the caches and tails hold first. */
void buddy_set_cache(struct buddy_zone *z, unsigned orders);

/* Gives back every cached block and deferred tail (for a caller that is
 * about to walk the free blocks, such as turning heap poisoning on). */
void buddy_reclaim_all(struct buddy_zone *z);

/* n > 0 units at an address aligned to 2^align_order units: 0 and *unit,
 * or -E_NOMEM (nothing changed). */
int buddy_alloc(struct buddy_zone *z, uint64_t n, unsigned align_order, uint64_t *unit);

/* The units of the live allocation starting at unit (inside the zone):
 * 0 and *n, -E_FREED when a free (listed or cached) block starts there,
 * or -E_NOTALLOC. */
int buddy_size(const struct buddy_zone *z, uint64_t unit, uint64_t *n);

/* Frees the live allocation starting at unit: 0 and its units in *n, or
 * the error of buddy_size (nothing changed). */
int buddy_free(struct buddy_zone *z, uint64_t unit, uint64_t *n);

/* Resizes the live allocation of n units at unit to new_n > 0 units in
 * place: shrinking always works, growing when the units after it are
 * free. 0, or -E_NOMEM (nothing changed). */
int buddy_resize(struct buddy_zone *z, uint64_t unit, uint64_t n, uint64_t new_n);

void buddy_set_absorb(struct buddy_zone *z, buddy_absorb_fn fn);

static inline bool buddy_contains(const struct buddy_zone *z, uint64_t unit)
{
	return unit - z->first < z->count;
}

static inline uintptr_t buddy_unit_addr(const struct buddy_zone *z, uint64_t unit)
{
	return (uintptr_t)(unit << z->unit_shift);
}

/* Whether every unit of the zone is on its free lists: no live
 * allocation and nothing cached. */
static inline bool buddy_is_empty(const struct buddy_zone *z)
{
	return __atomic_load_n(&z->out, __ATOMIC_RELAXED) == 0;
}

/* Units in cached blocks, cached blocks of order k (all harts), and units
 * and number of deferred tails (a walk of the held bits, for
 * statistics). */
uint64_t buddy_cached_units(const struct buddy_zone *z);
unsigned buddy_cached_count(const struct buddy_zone *z, unsigned k);
uint64_t buddy_tail_units(const struct buddy_zone *z);
uint64_t buddy_tail_count(const struct buddy_zone *z);

/* The free blocks on the list of each order, read under the zone lock. */
void buddy_list_counts(const struct buddy_zone *z, uint64_t blocks[BUDDY_ORDERS]);

/* Order of the largest free block, listed or cached, or -1 when there is
 * none. */
int buddy_largest_order(const struct buddy_zone *z);

/* Calls fn for every listed free block, order by order, list order; and
 * for every cached one. */
void buddy_for_each_free(const struct buddy_zone *z,
			 void (*fn)(void *ctx, uint64_t unit, unsigned order),
			 void *ctx);
void buddy_for_each_cached(const struct buddy_zone *z,
			   void (*fn)(void *ctx, uint64_t unit, unsigned order),
			   void *ctx);

/* Walks lists, caches, tails and bitmaps, holding every lock of the zone:
 * 0 with the free units (listed, cached and in tails) and the units of
 * live allocations, or -E_CORRUPT with *why and the address of the first
 * violation in *where. */
int buddy_check(const struct buddy_zone *z, uint64_t *free_units,
		uint64_t *used_units, const char **why, uintptr_t *where);

#endif
