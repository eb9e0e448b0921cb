/* The `mem` table (see mem_table.h). */
#include <stdbool.h>

#include "lib/console.h"
#include "lib/format.h"
#include "shell/mem_table.h"

static void print_region_row(const struct mem_region *r, const char *type)
{
	char human[FORMAT_SIZE_MAX];

	format_size(human, sizeof(human), r->size);
	console_printf("0x%016llx  0x%016llx  0x%010llx %10s  %-8s  %s\n",
		       (unsigned long long)r->base, (unsigned long long)(r->base + r->size),
		       (unsigned long long)r->size, human, type, r->owner);
}

static void print_total(const char *name, uint64_t bytes)
{
	char human[FORMAT_SIZE_MAX];

	format_size(human, sizeof(human), bytes);
	console_printf("%-9s %llu bytes (%s)\n", name, (unsigned long long)bytes, human);
}

void mem_table_print(const struct memmap *map)
{
	unsigned u = 0, r = 0;

	console_printf("%-18s  %-18s  %-12s %10s  %-8s  %s\n", "base", "end", "size", "(human)",
		       "type", "owner");
	while (u < map->usable.count || r < map->reserved.count) {
		bool take_usable = r == map->reserved.count ||
				   (u < map->usable.count &&
				    map->usable.r[u].base < map->reserved.r[r].base);
		if (take_usable)
			print_region_row(&map->usable.r[u++], "usable");
		else
			print_region_row(&map->reserved.r[r++], "reserved");
	}
	for (unsigned i = 0; i < map->size_only.count; i++)
		console_printf("size-only reservation: %s size 0x%llx align 0x%llx (no address)\n",
			       map->size_only.r[i].owner,
			       (unsigned long long)map->size_only.r[i].size,
			       (unsigned long long)map->size_only.r[i].align);
	print_total("ram:", mem_list_total(&map->banks));
	print_total("usable:", mem_list_total(&map->usable));
	print_total("reserved:", memmap_reserved_in_ram(map));
}
