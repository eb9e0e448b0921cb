/* Walks of the allocators' free and cached blocks (see free_walk.h). */
#include "shell/free_walk.h"

struct zone_walk {
	const struct buddy_zone *zone;
	free_block_fn fn;
	void *ctx;
};

static void visit(const struct zone_walk *w, uint64_t unit, unsigned order, bool cached)
{
	w->fn(w->ctx, buddy_unit_addr(w->zone, unit),
	      (uint64_t)1 << (order + w->zone->unit_shift), cached);
}

static void visit_listed(void *ctx, uint64_t unit, unsigned order)
{
	visit(ctx, unit, order, false);
}

static void visit_cached(void *ctx, uint64_t unit, unsigned order)
{
	visit(ctx, unit, order, true);
}

static void zone_walk_free(const struct buddy_zone *z, free_block_fn fn, void *ctx)
{
	struct zone_walk w = { .zone = z, .fn = fn, .ctx = ctx };

	buddy_for_each_free(z, visit_listed, &w);
	buddy_for_each_cached(z, visit_cached, &w);
}

void frames_walk_free(const struct frames *f, free_block_fn fn, void *ctx)
{
	for (unsigned i = 0; i < f->nzones; i++)
		zone_walk_free(&f->zones[i], fn, ctx);
}

void heap_walk_free(const struct heap *h, free_block_fn fn, void *ctx)
{
	for (unsigned i = 0; i < h->nslots; i++)
		if (h->chunks[i].live)
			zone_walk_free(&h->chunks[i].zone, fn, ctx);
}

struct free_search {
	uintptr_t addr;
	bool found;
};

static void match_block(void *ctx, uintptr_t addr, uint64_t bytes, bool cached)
{
	struct free_search *s = ctx;

	(void)cached;
	if (s->addr - addr < bytes)
		s->found = true;
}

bool memory_addr_is_free(const struct memory *mem, uintptr_t addr)
{
	struct free_search s = { .addr = addr };

	frames_walk_free(&mem->frames, match_block, &s);
	heap_walk_free(&mem->heap, match_block, &s);
	return s.found;
}
