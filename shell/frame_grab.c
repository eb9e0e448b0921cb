/*
 * Taking and giving back every free frame (see frame_grab.h). Retiring a
 * bad frame needs only the public frame API: while the grab still holds
 * all other memory, the block around the bad frame is freed and its two
 * halves allocated again (the only free memory, so they are exactly those
 * halves); the clean half is kept for the end, the other split again,
 * down to the bad frame itself. Kept blocks are chained through a node
 * written at their start: tested memory the grab owns.
 */
#include "lib/errors.h"
#include "shell/frame_grab.h"

#define LIST_SLACK_BLOCKS (2 * BUDDY_ORDERS)	/* per zone: splits and tails */
#define LISTS 2					/* blocks, then the clipped ranges */
#define LIST_TRIES 8				/* places tried for the list */

/* A kept block, chained through its own first bytes until it is freed. */
struct kept_block {
	struct kept_block *next;
	uintptr_t base;
};

static unsigned order_of_bytes(uint64_t bytes)
{
	unsigned order = 0;

	while ((FRAME_SIZE << order) < bytes)
		order++;
	return order;
}

/* An upper bound of the blocks the grab will take, from the free lists,
 * the caches and a margin for splits and tails. */
static uint64_t estimate_blocks(const struct frame_stats *st)
{
	uint64_t blocks = (uint64_t)st->zones * LIST_SLACK_BLOCKS;

	for (unsigned z = 0; z < st->zones; z++) {
		for (unsigned k = 0; k < BUDDY_ORDERS; k++)
			blocks += st->zone[z].free_blocks[k];
		for (unsigned k = 0; k < BUDDY_CACHE_ORDERS; k++)
			blocks += st->zone[z].cached_blocks[k];
	}
	return blocks;
}

static int take_list_frames(struct frame_grab *g, const struct frame_stats *st)
{
	uint64_t bytes = estimate_blocks(st) * LISTS * sizeof(struct memtest_range);
	uint64_t count = (bytes + FRAME_SIZE - 1) / FRAME_SIZE;
	int err = frames_alloc(g->frames, count, FRAME_SIZE, &g->list);

	if (err < 0)
		return err;
	g->list_bytes = count * FRAME_SIZE;
	g->capacity = g->list_bytes / (LISTS * sizeof(struct memtest_range));
	return 0;
}

static bool overlaps(uintptr_t a, uint64_t a_len, uintptr_t b, uint64_t b_len)
{
	return a < b + b_len && b < a + a_len;
}

/* The list frames, outside [avoid, avoid + avoid_len) if a few tries can
 * find such a place; the tries inside are freed again (and get tested). */
static int take_list(struct frame_grab *g, const struct frame_stats *st, uintptr_t avoid,
		     uint64_t avoid_len)
{
	uintptr_t tried[LIST_TRIES];
	unsigned tries = 0;
	int err = take_list_frames(g, st);

	while (err == 0 && tries < LIST_TRIES && overlaps(g->list, g->list_bytes, avoid, avoid_len)) {
		tried[tries++] = g->list;
		uintptr_t last = g->list;
		uint64_t last_bytes = g->list_bytes;
		if (take_list_frames(g, st) < 0) {
			g->list = last;
			g->list_bytes = last_bytes;
			tries--;
			break;
		}
	}
	for (unsigned i = 0; i < tries; i++)
		frames_free(g->frames, tried[i]);
	g->blocks = (struct memtest_range *)g->list;
	g->clipped = g->blocks + g->capacity;
	return err;
}

int frame_grab_all(struct frame_grab *g, struct frames *f, uintptr_t avoid, uint64_t avoid_len)
{
	struct frame_stats st;
	uintptr_t addr;

	*g = (struct frame_grab){ .frames = f };
	frames_stats(f, &st);
	if (st.free_frames == 0)
		return -E_NOMEM;
	int err = take_list(g, &st, avoid, avoid_len);
	if (err < 0)
		return err;
	/* From the largest order the free frames could fill, not from
	 * st.largest_free_bytes, which can name a cached block smaller than a
	 * listed one: starting too low, small allocations would split the
	 * big blocks into caches. */
	int order = (int)order_of_bytes(st.free_frames * FRAME_SIZE);
	while (order > 0 && (FRAME_SIZE << order) > st.free_frames * FRAME_SIZE)
		order--;
	while (order >= 0 && g->count < g->capacity) {
		if (frames_alloc_order(f, (unsigned)order, &addr) < 0) {
			order--;
			continue;
		}
		g->blocks[g->count++] = (struct memtest_range){ addr, FRAME_SIZE << order };
		g->bytes += FRAME_SIZE << order;
	}
	frames_stats(f, &st);
	g->incomplete = st.free_frames != 0;
	return 0;
}

static const struct memtest_range *block_holding(const struct frame_grab *g, uintptr_t addr)
{
	for (size_t i = 0; i < g->count; i++)
		if (addr >= g->blocks[i].base && addr - g->blocks[i].base < g->blocks[i].bytes)
			return &g->blocks[i];
	return NULL;
}

bool frame_grab_covers(const struct frame_grab *g, uintptr_t addr, uint64_t len,
		       uintptr_t *gap)
{
	uint64_t end = addr + len;

	while (addr < end) {
		const struct memtest_range *b = block_holding(g, addr);
		if (!b) {
			*gap = addr;
			return false;
		}
		addr = b->base + b->bytes;
	}
	return true;
}

size_t frame_grab_clip(struct frame_grab *g, uintptr_t addr, uint64_t len)
{
	size_t n = 0;

	for (size_t i = 0; i < g->count; i++) {
		uintptr_t start = g->blocks[i].base, stop = start + g->blocks[i].bytes;
		if (start < addr)
			start = addr;
		if (stop > addr + len)
			stop = addr + len;
		if (start < stop)
			g->clipped[n++] = (struct memtest_range){ start, stop - start };
	}
	return n;
}

static void keep(struct kept_block **kept, uintptr_t base)
{
	struct kept_block *node = (struct kept_block *)base;

	node->next = *kept;
	node->base = base;
	*kept = node;
}

/* Allocates both halves of the free block at base (order >= 1); blocks
 * that come from elsewhere are kept to be freed at the end, and so is a
 * half taken when the other cannot be. */
static int take_halves(struct frame_grab *g, uintptr_t base, unsigned order,
		       struct kept_block **kept)
{
	uint64_t half = FRAME_SIZE << (order - 1);
	bool low = false, high = false;
	uintptr_t addr;

	while (!low || !high) {
		if (frames_alloc_order(g->frames, order - 1, &addr) < 0) {
			if (low || high)
				keep(kept, low ? base : base + half);
			return -E_NOMEM;
		}
		if (addr == base)
			low = true;
		else if (addr == base + half)
			high = true;
		else
			keep(kept, addr);
	}
	return 0;
}

/* Splits the taken block at base until each bad frame in it is a block of
 * its own, which stays allocated; the rest is kept for freeing. */
static void retire_in(struct frame_grab *g, const struct bad_frames *bad, unsigned from,
		      uintptr_t base, unsigned order, struct kept_block **kept)
{
	if (!bad_frames_within(bad, from, base, FRAME_SIZE << order)) {
		keep(kept, base);
		return;
	}
	if (order == 0)
		return;
	uint64_t half = FRAME_SIZE << (order - 1);
	frames_free(g->frames, base);
	if (take_halves(g, base, order, kept) < 0)
		return;
	retire_in(g, bad, from, base, order - 1, kept);
	retire_in(g, bad, from, base + half, order - 1, kept);
}

/* Drops the table entries from `from` on that are not single allocated
 * frames (a retirement that failed); returns how many stay. */
static unsigned confirm_retired(struct frame_grab *g, struct bad_frames *bad, unsigned from)
{
	unsigned i = from;
	uint64_t bytes;

	while (i < bad->count) {
		if (frames_block_size(g->frames, bad->frame[i], &bytes) == 0 && bytes == FRAME_SIZE)
			i++;
		else
			bad_frames_remove(bad, i);
	}
	return bad->count - from;
}

unsigned frame_grab_release(struct frame_grab *g, struct bad_frames *bad, unsigned from)
{
	struct kept_block *kept = NULL;

	for (size_t i = 0; i < g->count; i++) {
		const struct memtest_range *b = &g->blocks[i];
		if (bad_frames_within(bad, from, b->base, b->bytes))
			retire_in(g, bad, from, b->base, order_of_bytes(b->bytes), &kept);
	}
	for (size_t i = 0; i < g->count; i++)
		if (!bad_frames_within(bad, from, g->blocks[i].base, g->blocks[i].bytes))
			frames_free(g->frames, g->blocks[i].base);
	while (kept) {
		struct kept_block *next = kept->next;
		frames_free(g->frames, kept->base);
		kept = next;
	}
	frames_free(g->frames, g->list);
	g->count = 0;
	return confirm_retired(g, bad, from);
}
