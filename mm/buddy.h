/*
 * The buddy core shared by the frame allocator (unit = 4 KiB frame) and the
 * heap (unit = 16-byte granule).
 *
 * A zone manages the units [first, first + count), numbered absolutely
 * (unit = address >> unit_shift), so every block of order k is aligned to
 * 2^k units in address terms and the buddy of block u is u ^ 2^k. A buddy
 * outside the zone never merges.
 *
 * Metadata is three caller-supplied bitmaps, one bit per unit (3 bits per
 * unit: 24 KiB per MiB of heap at 16-byte granules, 96 bytes per MiB of
 * 4 KiB frames). Per unit, start/free/held mean:
 *   1 1 0  a free block on a free list
 *   1 0 0  a live allocation
 *   1 0 1  a cached block (see below)
 *   0 0 1  the deferred-tail marker of the allocation it lies in
 *   0 0 0  interior of a block
 * Free-list nodes live inside the free blocks; one circular list per order
 * plus a mask of non-empty lists, so the smallest usable order is one ctz.
 *
 * Allocations need not be powers of two. Invariant P: an allocation of n
 * units at s occupies the block [s, s + len) with n <= len <= 2^ctz(s), so
 * no unit strictly inside it is more aligned than s. With P, a free block b
 * of order exactly k is recognised by start[b] && free[b] && (k == 0 ||
 * !start[b + 2^(k-1)]), and the length of any block is the distance to the
 * next start bit. The one exception are straddling allocations: in a tight
 * zone an allocation of n units, n not a power of two, may be placed at
 * the start of a run of free blocks and cross their boundaries (see
 * buddy_place.c), with len = n > 2^ctz(s) and no tail, as TLSF would place
 * it. The zone counts them (straddlers); while there is one, a merge
 * recognises a free block of order k by the absence of any start bit in
 * (b, b + 2^k) instead, which holds without P. An allocation of n units
 * otherwise takes a block of order
 * K = ceil(log2(n)) and, when n < 2^K, leaves the tail [s + n, s + 2^K)
 * with it, marked by a held bit at s + n (a deferred tail): no tail pieces
 * are pushed now and none merged back at free. Tails are given back (pushed
 * as aligned pieces) only when memory runs short.
 *
 * Caches: like Linux's per-CPU page lists (and the per-hart caches an SMP
 * buddymon would have), each zone keeps for its small orders a LIFO stack
 * of whole blocks that are allocated as far as the buddy is concerned but
 * held by the zone: freeing a block of order k pushes it there (no merge)
 * and allocating order k pops it (no split). A cached block carries the
 * next pointer in its first 8 bytes. A cache holds any number of blocks,
 * so coalescing is fully lazy: nothing freed into a cache is merged until
 * an allocation finds no listed block and drains the caches
 * (buddy_alloc_reclaiming), so cached memory is merged late but never
 * lost to a request. An empty cache is refilled in a batch, as Linux
 * refills its per-CPU lists: a request that has to split a listed block
 * takes up to 2^BUDDY_REFILL_SHIFT blocks of its order from it, one to
 * return and the rest cached, so the next requests of that order are cache
 * hits rather than splits. When the zone's last live allocation is freed,
 * the zone is carved afresh instead (buddy_settle_empty), so an idle zone
 * has exactly its initial free lists.
 */
#ifndef MM_BUDDY_H
#define MM_BUDDY_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define BUDDY_ORDERS 40u	/* orders 0..39; must fit the 64-bit mask */
#define BUDDY_BITMAPS 3u	/* start, free, held */
#define BUDDY_CACHE_ORDERS 12u	/* orders a zone may cache: 0..11 */

/* Free-list node stored in the first bytes of every free block. */
struct buddy_node {
	struct buddy_node *next;
	struct buddy_node *prev;
};

/* Link stored in the first bytes of every cached block. */
struct buddy_cached {
	struct buddy_cached *next;
};

/* One order's stack of cached blocks. */
struct buddy_cache {
	struct buddy_cached *top;
	uint64_t count;
};

/* A live allocation: units [start, start + n) of its block
 * [start, start + len); n < len when the allocation has a deferred tail. */
struct buddy_span {
	uint64_t start, n, len;
};

struct buddy_zone;

/* Called with the unit of a free block whose node bytes stop being a
 * node: absorbed by a merge into its lower buddy, or taken into an
 * allocation (grown in place, or placed exactly in a run of free blocks).
 * Optional: the heap uses it to re-poison those bytes. */
typedef void (*buddy_absorb_fn)(struct buddy_zone *z, uint64_t unit);

struct buddy_zone {
	/* the fields the hot paths read, together at the front */
	uint64_t first;			/* first unit (absolute) */
	uint64_t count;			/* number of units */
	uint64_t *start;		/* bitmaps indexed by unit - first */
	uint64_t *free;
	uint64_t *held;
	uint64_t nonempty;		/* bit k set iff lists[k] is not empty */
	uint64_t live;			/* live allocations */
	unsigned unit_shift;		/* log2 of the unit size in bytes */
	uint64_t roomy_lists;		/* 2^roomy_order: tails are deferred
					   while a list of that order or above
					   is not empty (nonempty >= this) */
	unsigned merge_orders;		/* blocks below this order may merge:
					   min(floor(log2 count), max order) */
	unsigned cache_orders;		/* orders 0..cache_orders-1 are cached */
	uint64_t cache_max_units;	/* 2^(cache_orders-1), or 0: the
					   largest cached block */
	uint64_t cached_units;		/* units in cached blocks */
	uint64_t deferred;		/* live allocations with a deferred tail */
	uint64_t deferred_units;	/* units in those tails */
	uint64_t straddlers;		/* live straddling allocations */
	bool slow_merges;		/* merges take the out-of-line path: an
					   absorb callback or straddlers */
	buddy_absorb_fn on_absorb;	/* NULL unless the owner wants it
					   (buddy_set_absorb) */
	struct buddy_cache cache[BUDDY_CACHE_ORDERS];
	struct buddy_node lists[BUDDY_ORDERS];	/* sentinel heads */
};

/* Bytes of all BUDDY_BITMAPS bitmaps of a zone of count units. */
size_t buddy_metadata_bytes(uint64_t count);

/* Sets up a zone over [first, first + count) with its bitmaps in meta
 * (buddy_metadata_bytes long, 8-byte aligned), carving the range into
 * maximal naturally aligned free blocks. No caching until buddy_set_cache.
 * The zone must not move afterwards (the lists point at its heads). */
void buddy_init(struct buddy_zone *z, uint64_t first, uint64_t count,
		unsigned unit_shift, uint64_t *meta);

/* Caches blocks of each order below orders (at most BUDDY_CACHE_ORDERS);
 * 0 turns caching off. Drains the caches. */
void buddy_set_cache(struct buddy_zone *z, unsigned orders);

/* n > 0 units aligned to 2^align_order units from a cache or the free
 * lists: 0 and *unit, or -E_NOMEM. Never drains the caches; in a tight
 * zone it may give deferred tails back first, and places a request that
 * is not a power of two exactly in a run of free blocks (a straddler). */
int buddy_alloc(struct buddy_zone *z, uint64_t n, unsigned align_order,
		uint64_t *unit);

/* buddy_alloc for when it has failed: gives the caches and deferred tails
 * back, retries, then looks for a run of free blocks long enough (an
 * exact placement, straddling if need be): 0 and *unit, or -E_NOMEM. */
int buddy_alloc_reclaiming(struct buddy_zone *z, uint64_t n, unsigned align_order,
			   uint64_t *unit);

/* The live allocation starting at unit (which must be inside the zone):
 * 0 and *sp, or -E_NOTALLOC if none starts there. */
int buddy_lookup(const struct buddy_zone *z, uint64_t unit, struct buddy_span *sp);

/* Frees the live allocation *sp (from buddy_lookup). */
void buddy_free(struct buddy_zone *z, const struct buddy_span *sp);

/* Resizes the live allocation *sp to new_n > 0 units in place: within its
 * block by moving the tail marker, beyond it if the units after the block
 * are free and P still holds. A straddling allocation only shrinks, to
 * new_n units or, if new_n is a power of two and it still straddles,
 * new_n + 1. 0 with *sp updated, or -E_NOMEM (unchanged). */
int buddy_resize(struct buddy_zone *z, struct buddy_span *sp, uint64_t new_n);

/* The units buddy_resize leaves the live allocation *sp when it shrinks it
 * to new_n < sp->n: new_n, or new_n + 1 for a straddler as said there. */
uint64_t buddy_shrunk_units(const struct buddy_span *sp, uint64_t new_n);

/* Sets (or, with NULL, clears) the absorb callback. */
void buddy_set_absorb(struct buddy_zone *z, buddy_absorb_fn fn);

/* Frees every cached block and gives back every deferred tail. */
void buddy_reclaim(struct buddy_zone *z);

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

/* Order of the largest listed free block, or -1 when there is none. */
int buddy_largest_order(const struct buddy_zone *z);

/* Order of the largest block an allocation can get: listed, or one that
 * buddy_reclaim would put on a list by itself (a cached block or an
 * aligned piece of a deferred tail); -1 when there is none. */
int buddy_largest_available_order(const struct buddy_zone *z);

/* Walks lists, caches and bitmaps; 0 with the listed free units and the
 * units of live allocations (without deferred tails), or -E_CORRUPT with
 * *why and the address of the first violation in *where. */
int buddy_check(const struct buddy_zone *z, uint64_t *free_units,
		uint64_t *used_units, const char **why, uintptr_t *where);

#endif
