/* Owners of memory memtest did not take (see memtest_owner.h). */
#include <stdio.h>
#include <string.h>

#include "shell/memtest_owner.h"

static const struct mem_region *region_holding(const struct mem_list *l, uint64_t addr)
{
	for (unsigned i = 0; i < l->count; i++)
		if (addr >= l->r[i].base && addr - l->r[i].base < l->r[i].size)
			return &l->r[i];
	return NULL;
}

void memtest_owner(const struct machine *m, const struct frame_grab *g, uintptr_t addr,
		   char *buf, size_t len)
{
	const struct mem_region *r = region_holding(&m->mem.map.reserved, addr);
	struct alloc_table *allocs = (struct alloc_table *)&m->allocs;
	const struct alloc_entry *e = alloc_table_holding(allocs, addr, 1);

	if (!region_holding(&m->mem.map.banks, addr))
		snprintf(buf, len, "not RAM");
	else if (addr >= g->list && addr - g->list < g->list_bytes)
		snprintf(buf, len, "held by memtest's own block list (try a smaller range)");
	else if (bad_frames_within(&m->bad, 0, addr & ~(uintptr_t)(FRAME_SIZE - 1), FRAME_SIZE))
		snprintf(buf, len, "held by %s", BAD_FRAMES_OWNER);
	else if (r)
		snprintf(buf, len, "held by %s", r->owner);
	else if (e)
		snprintf(buf, len, "held by a shell allocation (%s)", alloc_kind_name(e->kind));
	else if (heap_owns(&m->mem.heap, addr))
		snprintf(buf, len, "held by the heap");
	else
		snprintf(buf, len, "held by the firmware");
}

void memtest_mark_retired(struct machine *m, unsigned from)
{
	static struct memmap saved;	/* too big for the stack */

	for (unsigned i = from; i < m->bad.count; i++) {
		saved = m->mem.map;
		if (memmap_reserve(&m->mem.map, m->bad.frame[i], FRAME_SIZE, BAD_FRAMES_OWNER) < 0) {
			m->mem.map = saved;
			return;
		}
	}
}
