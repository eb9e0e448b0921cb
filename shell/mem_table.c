/* The `mem` table (see mem_table.h). */
#include <stdbool.h>

#include "lib/console.h"
#include "lib/format.h"
#include "shell/mem_table.h"
#include "shell/memory_report.h"

#define HUMAN_WIDTH 11		/* "1023.99 MiB" */
#define UNUSABLE_OWNER "part-page"	/* RAM in no row: too small to use */

static void print_row(uint64_t base, uint64_t size, const char *type, const char *owner)
{
	char human[FORMAT_SIZE_MAX];

	format_size(human, sizeof(human), size);
	console_printf("0x%016llx  0x%016llx  0x%010llx %*s  %-8s  %s\n",
		       (unsigned long long)base, (unsigned long long)(base + size),
		       (unsigned long long)size, HUMAN_WIDTH, human, type, owner);
}

static void print_total(const char *name, uint64_t bytes)
{
	char human[FORMAT_SIZE_MAX];

	format_size(human, sizeof(human), bytes);
	console_printf("%-9s %llu bytes (%s)\n", name, (unsigned long long)bytes, human);
}

/*
 * RAM in [from, to) that no usable or reserved row covers: the pieces of
 * pages the usable ranges leave when they are aligned inwards (after the
 * DTB, say). Printed as rows of their own so that the rows add up to RAM;
 * returns their bytes.
 */
static uint64_t print_uncovered(const struct memmap *map, uint64_t from, uint64_t to)
{
	uint64_t bytes = 0;

	for (unsigned i = 0; i < map->banks.count && from < to; i++) {
		const struct mem_region *b = &map->banks.r[i];
		uint64_t lo = from > b->base ? from : b->base;
		uint64_t hi = to < b->base + b->size ? to : b->base + b->size;

		if (lo < hi) {
			print_row(lo, hi - lo, "unusable", UNUSABLE_OWNER);
			bytes += hi - lo;
		}
	}
	return bytes;
}

/* Where the heap lives: each chunk (a frames allocation inside a usable
 * row) and its metadata frames, at their physical addresses. */
static void print_heap_chunks(const struct memory *mem)
{
	const struct heap *h = &mem->heap;

	for (unsigned i = 0; i < h->nslots; i++) {
		const struct heap_chunk *c = &h->chunks[i];
		char human[FORMAT_SIZE_MAX];

		if (!c->live)
			continue;
		format_size(human, sizeof(human), c->zone.count << HEAP_GRANULE_SHIFT);
		console_printf("heap chunk: 0x%016llx  0x%016llx  %s",
			       (unsigned long long)(buddy_unit_addr(&c->zone, c->zone.first) -
						    mem->ram_offset),
			       (unsigned long long)(buddy_unit_addr(&c->zone,
								    c->zone.first + c->zone.count) -
						    mem->ram_offset),
			       human);
		if (c->from_frames) {
			format_size(human, sizeof(human), c->meta_bytes);
			console_printf(", metadata 0x%llx (%s)",
				       (unsigned long long)(c->meta - mem->ram_offset), human);
		}
		console_puts("\n");
	}
}

void mem_table_print(const struct memory *mem)
{
	const struct memmap *map = &mem->map;
	unsigned u = 0, r = 0;
	uint64_t covered = map->banks.count ? map->banks.r[0].base : 0, unusable = 0;

	console_printf("%-18s  %-18s  %-12s %*s  %-8s  %s\n", "base", "end", "size",
		       HUMAN_WIDTH, "(human)", "type", "owner");
	while (u < map->usable.count || r < map->reserved.count) {
		bool take_usable = r == map->reserved.count ||
				   (u < map->usable.count &&
				    map->usable.r[u].base < map->reserved.r[r].base);
		const struct mem_region *row = take_usable ? &map->usable.r[u++] :
							     &map->reserved.r[r++];

		unusable += print_uncovered(map, covered, row->base);
		print_row(row->base, row->size, take_usable ? "usable" : "reserved", row->owner);
		if (row->base + row->size > covered)
			covered = row->base + row->size;
	}
	unusable += print_uncovered(map, covered, UINT64_MAX);
	for (unsigned i = 0; i < map->size_only.count; i++)
		console_printf("size-only reservation: %s size 0x%llx align 0x%llx (no address)\n",
			       map->size_only.r[i].owner,
			       (unsigned long long)map->size_only.r[i].size,
			       (unsigned long long)map->size_only.r[i].align);
	print_heap_chunks(mem);
	print_total("ram:", mem_list_total(&map->banks));
	print_total("usable:", mem_list_total(&map->usable));
	print_total("reserved:", memmap_reserved_in_ram(map));
	print_total("unusable:", unusable);
	memory_report_losses(mem);
}
