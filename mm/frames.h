/*
 * The physical frame allocator: 4 KiB frames over the usable RAM ranges
 * found in the memory map, one buddy zone per range. Boot hands it the
 * ranges and a metadata area (3 bits per frame, 96 bytes per MiB); the heap
 * takes its chunks from it and the shell's alloc/free commands use it too.
 * Free-list nodes are written into the free frames themselves. Each zone
 * caches freed blocks of the smallest orders (FRAMES_CACHE_ORDERS) and
 * leaves the tail of a small allocation with it while roomy (buddy.h).
 *
 * All state is in struct frames (no globals); the struct must not be moved
 * or copied after frames_init. Misuse returns an error and changes nothing.
 * Every call is safe from any hart at once: the zones have their locks and
 * per-hart caches (buddy.h), the counters are atomic (counter.h).
 */
#ifndef MM_FRAMES_H
#define MM_FRAMES_H

#include <stddef.h>
#include <stdint.h>

#include "mm/buddy.h"

#define FRAME_SHIFT 12u
#define FRAME_SIZE ((uint64_t)1 << FRAME_SHIFT)
#define FRAMES_MAX_ZONES 32u
#define FRAMES_MAX_ORDER (BUDDY_ORDERS - 1)	/* 2^31 frames per block */
#define FRAMES_CACHE_ORDERS 4u			/* blocks of 4..32 KiB are cached */

/* A page-aligned range of usable RAM. */
struct frame_range {
	uintptr_t base;
	uint64_t size;
};

struct frames {
	unsigned nzones;
	struct buddy_zone zones[FRAMES_MAX_ZONES];
	uint64_t total_frames;
	uint64_t in_use;		/* frames in live allocations */
	uint64_t peak_in_use;
	uint64_t allocs, frees, failures;
	size_t metadata_bytes;
};

struct frame_zone_stats {
	uintptr_t base;
	uint64_t frames;
	uint64_t free_frames;
	uint32_t free_blocks[BUDDY_ORDERS];	/* per order, like /proc/buddyinfo */
	uint64_t cached_blocks[BUDDY_CACHE_ORDERS];	/* per order, in the caches */
};

/* Free counts include the frames that the zones hold in caches and
 * deferred tails (also given separately): all of it is available to
 * allocations. free_blocks counts the free lists only. */
struct frame_stats {
	uint64_t total_frames;
	uint64_t free_frames;
	uint64_t cached_frames;			/* in cached blocks */
	uint64_t deferred_frames;		/* in deferred tails */
	uint64_t largest_free_bytes;		/* the largest free block, listed
						   or cached */
	uint64_t allocs, frees, failures;	/* failures: out of memory */
	uint64_t peak_in_use;			/* frames */
	uint64_t metadata_bytes;
	uint64_t metadata_bytes_per_mib;
	unsigned zones;
	struct frame_zone_stats zone[FRAMES_MAX_ZONES];
};

/* Metadata bytes frames_init needs for these ranges. */
size_t frames_metadata_size(const struct frame_range *r, unsigned n);

/* Sets up one zone per range (page aligned, non-empty, non-overlapping;
 * a range of more than BUDDY_MAX_UNITS frames takes several zones):
 * -E_FULL for more than FRAMES_MAX_ZONES zones, -E_ALIGN for unaligned
 * ranges or metadata, -E_INVAL for empty/overlapping ranges, -E_NOMEM when
 * meta_size is below frames_metadata_size(). */
int frames_init(struct frames *f, const struct frame_range *r, unsigned n,
		void *meta, size_t meta_size);

/* 2^order frames aligned to their size: 0 and *addr, -E_NOMEM, or -E_RANGE
 * for order > FRAMES_MAX_ORDER. */
int frames_alloc_order(struct frames *f, unsigned order, uintptr_t *addr);

/* count contiguous frames aligned to align_bytes (a power of two >= 4096).
 * -E_INVAL for count 0, -E_ALIGN for a bad alignment, -E_NOMEM when
 * no zone's free blocks hold such a run. */
int frames_alloc(struct frames *f, uint64_t count, uint64_t align_bytes, uintptr_t *addr);

/* Frees the allocation starting at addr: 0, -E_OUTSIDE (in no zone),
 * -E_ALIGN (not page aligned), -E_FREED (already free) or -E_NOTALLOC (not
 * the start of an allocation). */
int frames_free(struct frames *f, uintptr_t addr);

/* Size of the live allocation starting at addr; errors as frames_free. */
int frames_block_size(const struct frames *f, uintptr_t addr, uint64_t *bytes);

void frames_stats(const struct frames *f, struct frame_stats *st);

/* Walks every zone: 0, or -E_CORRUPT with the first violation in *why and
 * its address in *where. */
int frames_check(const struct frames *f, const char **why, uintptr_t *where);

#endif
