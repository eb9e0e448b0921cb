/* The free tables of `dump` (see free_tables.h), from frames_stats and
 * heap_stats. */
#include <stdio.h>

#include "lib/console.h"
#include "shell/free_tables.h"

#define LABEL_WIDTH 14		/* "0x100000000000" */
#define KIND_WIDTH 7		/* "cached" and its gap */
#define COUNT_WIDTH 6		/* as in /proc/buddyinfo */

/* Highest order with a count in any row of a table, at least 0. */
static unsigned highest_order(const uint64_t *counts, unsigned orders, unsigned highest)
{
	for (unsigned k = highest + 1; k < orders; k++)
		if (counts[k])
			highest = k;
	return highest;
}

static void print_order_header(const char *title, unsigned highest)
{
	console_printf("%s\n%-*s%-*s", title, LABEL_WIDTH, "", KIND_WIDTH, "order");
	for (unsigned k = 0; k <= highest; k++)
		console_printf("%*u", COUNT_WIDTH, k);
	console_puts("\n");
}

static void print_order_row(const char *label, const char *kind, const uint64_t *counts,
			    unsigned orders, unsigned highest)
{
	console_printf("%-*s%-*s", LABEL_WIDTH, label, KIND_WIDTH, kind);
	for (unsigned k = 0; k <= highest; k++)
		console_printf("%*llu", COUNT_WIDTH, (unsigned long long)(k < orders ? counts[k] : 0));
	console_puts("\n");
}

static bool any(const uint64_t *counts, unsigned n)
{
	for (unsigned k = 0; k < n; k++)
		if (counts[k])
			return true;
	return false;
}

/* A free row, and a cached row under it when the caches hold blocks. */
static void print_zone_rows(const char *label, const uint64_t *free_blocks,
			    const uint64_t *cached_blocks, unsigned highest)
{
	print_order_row(label, "free", free_blocks, BUDDY_ORDERS, highest);
	if (any(cached_blocks, BUDDY_CACHE_ORDERS))
		print_order_row("", "cached", cached_blocks, BUDDY_CACHE_ORDERS, highest);
}

static void zone_free_counts(const struct frame_zone_stats *zs, uint64_t *counts)
{
	for (unsigned k = 0; k < BUDDY_ORDERS; k++)
		counts[k] = zs->free_blocks[k];
}

static void print_frames_table(const struct frames *f)
{
	struct frame_stats fs;
	uint64_t counts[BUDDY_ORDERS];
	unsigned highest = 0;

	frames_stats(f, &fs);
	for (unsigned z = 0; z < fs.zones; z++) {
		zone_free_counts(&fs.zone[z], counts);
		highest = highest_order(counts, BUDDY_ORDERS, highest);
		highest = highest_order(fs.zone[z].cached_blocks, BUDDY_CACHE_ORDERS, highest);
	}
	print_order_header("frames: free blocks per order, order k is 2^k x 4 KiB, per zone", highest);
	for (unsigned z = 0; z < fs.zones; z++) {
		char label[LABEL_WIDTH + 8];

		zone_free_counts(&fs.zone[z], counts);
		snprintf(label, sizeof(label), "0x%lx", (unsigned long)fs.zone[z].base);
		print_zone_rows(label, counts, fs.zone[z].cached_blocks, highest);
	}
}

static void print_heap_table(const struct heap *h)
{
	struct heap_stats hs;
	unsigned highest;

	heap_stats(h, &hs);
	highest = highest_order(hs.free_blocks, BUDDY_ORDERS, 0);
	highest = highest_order(hs.cached_blocks, BUDDY_CACHE_ORDERS, highest);
	print_order_header("heap: free blocks per order, order k is 2^k x 16 B, all chunks", highest);
	print_zone_rows("heap", hs.free_blocks, hs.cached_blocks, highest);
}

void print_free_tables(const struct memory *mem)
{
	print_frames_table(&mem->frames);
	print_heap_table(&mem->heap);
	console_puts("'cached': blocks the caches hold, free but not merged\n");
}
