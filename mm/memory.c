/*
 * Memory bring-up: memory map -> checks -> frame metadata -> frames -> heap
 * (memory.h), in two steps a host tool can run apart: memory_map_init (the
 * map and its checks) and memory_start_allocators (metadata, frames, heap).
 * When the map has more usable ranges than the frame allocator has zones,
 * the largest ranges become zones and the others are counted in
 * map.lost.beyond_zones, so the banner and `mem` report them.
 */
#include <stdbool.h>

#include "lib/errors.h"
#include "mm/memory.h"

#define METADATA_ALIGN MEMMAP_PAGE_SIZE

/* Index of the largest usable range not yet picked. */
static unsigned largest_unpicked(const struct memmap *map, const bool *picked)
{
	unsigned best = map->usable.count;

	for (unsigned i = 0; i < map->usable.count; i++)
		if (!picked[i] && (best == map->usable.count ||
				   map->usable.r[i].size > map->usable.r[best].size))
			best = i;
	return best;
}

/*
 * The `max` largest usable ranges, in address order, as the allocators
 * reach them (physical address + ram_offset); the rest are counted lost.
 */
static unsigned usable_as_frame_ranges(struct memmap *map, uintptr_t ram_offset,
				       struct frame_range *ranges, unsigned max)
{
	bool picked[MEMMAP_MAX_REGIONS] = { false };
	unsigned n = 0;

	for (unsigned k = 0; k < max && k < map->usable.count; k++)
		picked[largest_unpicked(map, picked)] = true;
	map->lost.beyond_zones = 0;
	map->lost.beyond_zones_bytes = 0;
	for (unsigned i = 0; i < map->usable.count; i++) {
		const struct mem_region *r = &map->usable.r[i];
		if (!picked[i]) {
			map->lost.beyond_zones++;
			map->lost.beyond_zones_bytes += r->size;
			continue;
		}
		ranges[n++] = (struct frame_range){
			.base = (uintptr_t)r->base + ram_offset,
			.size = r->size,
		};
	}
	return n;
}

static int start_frames(struct memory *mem, uintptr_t ram_offset)
{
	struct frame_range ranges[FRAMES_MAX_ZONES];
	unsigned n = usable_as_frame_ranges(&mem->map, ram_offset, ranges, FRAMES_MAX_ZONES);
	size_t meta_size = frames_metadata_size(ranges, n);
	uint64_t meta;

	/*
	 * Taking the metadata only shrinks one range; if another range is
	 * picked in its place, it is no larger than the shrunk one was, so
	 * meta_size still suffices.
	 */
	int err = memmap_take(&mem->map, meta_size, METADATA_ALIGN, "frame-metadata", &meta);
	if (err < 0)
		return err;
	n = usable_as_frame_ranges(&mem->map, ram_offset, ranges, FRAMES_MAX_ZONES);
	return frames_init(&mem->frames, ranges, n, (void *)(uintptr_t)(meta + ram_offset),
			   meta_size);
}

unsigned memory_image_regions(struct boot_region out[MEMORY_IMAGE_REGIONS], uint64_t image,
			      uint64_t stack, uint64_t end)
{
	out[0] = (struct boot_region){ image, stack - image, "payload" };
	out[1] = (struct boot_region){ stack, end - stack, "boot-stack" };
	return MEMORY_IMAGE_REGIONS;
}

/* The boot code's own ranges must lie in RAM the tree describes; then they are reserved. */
static int reserve_boot_regions(struct memmap *map, const struct boot_region *regions,
				unsigned count, const char **failed_stage)
{
	for (unsigned i = 0; i < count; i++)
		if (!memmap_inside_ram(map, regions[i].base, regions[i].size)) {
			*failed_stage = regions[i].owner;
			return -E_OUTSIDE;
		}
	int err = 0;
	for (unsigned i = 0; i < count && !err; i++)
		err = memmap_reserve(map, regions[i].base, regions[i].size, regions[i].owner);
	return err;
}

int memory_map_init(struct memory *mem, const void *fdt, size_t fdt_size, uint64_t dtb_addr,
		    const struct boot_region *regions, unsigned count,
		    int (*probe_read32)(uintptr_t addr, uint32_t *value),
		    const char **failed_stage)
{
	mem->ready = false;
	*failed_stage = "device tree";
	int err = memmap_from_dt_at(&mem->map, fdt, fdt_size, dtb_addr);
	if (err < 0)
		return err;
	if (probe_read32)
		memmap_drop_faulting_banks(&mem->map, probe_read32);
	*failed_stage = "dtb";
	if (!memmap_inside_ram(&mem->map, dtb_addr, fdt_size))
		return -E_OUTSIDE;
	return reserve_boot_regions(&mem->map, regions, count, failed_stage);
}

int memory_start_allocators(struct memory *mem, uintptr_t ram_offset, const char **failed_stage)
{
	mem->ram_offset = ram_offset;
	*failed_stage = "frames";
	int err = start_frames(mem, ram_offset);
	if (err < 0)
		return err;

	*failed_stage = "heap";
	err = heap_init(&mem->heap, &mem->frames, MEMORY_HEAP_INITIAL_BYTES);
	if (err < 0)
		return err;
	*failed_stage = NULL;
	mem->ready = true;
	return 0;
}

int memory_init_probed(struct memory *mem, const void *fdt, size_t fdt_size,
		       const struct boot_region *regions, unsigned count,
		       int (*probe_read32)(uintptr_t addr, uint32_t *value),
		       const char **failed_stage)
{
	int err = memory_map_init(mem, fdt, fdt_size, (uintptr_t)fdt, regions, count,
				  probe_read32, failed_stage);
	return err < 0 ? err : memory_start_allocators(mem, 0, failed_stage);
}

int memory_init(struct memory *mem, const void *fdt, size_t fdt_size,
		const struct boot_region *regions, unsigned count,
		const char **failed_stage)
{
	mem->ready = false;
	*failed_stage = "device tree";
	int err = memmap_from_dt(&mem->map, fdt, fdt_size);
	if (!err)
		err = reserve_boot_regions(&mem->map, regions, count, failed_stage);
	return err < 0 ? err : memory_start_allocators(mem, 0, failed_stage);
}
