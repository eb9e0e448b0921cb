/* Memory bring-up: memory map -> frame metadata -> frames -> heap (memory.h). */
#include "lib/errors.h"
#include "mm/memory.h"

#define METADATA_ALIGN MEMMAP_PAGE_SIZE

static unsigned usable_as_frame_ranges(const struct memmap *map, uintptr_t ram_offset,
				       struct frame_range *ranges, unsigned max)
{
	unsigned n = map->usable.count < max ? map->usable.count : max;
	for (unsigned i = 0; i < n; i++)
		ranges[i] = (struct frame_range){
			.base = (uintptr_t)map->usable.r[i].base + ram_offset,
			.size = map->usable.r[i].size,
		};
	return n;
}

static int start_frames(struct memory *mem, uintptr_t ram_offset)
{
	struct frame_range ranges[FRAMES_MAX_ZONES];
	unsigned n = usable_as_frame_ranges(&mem->map, ram_offset, ranges, FRAMES_MAX_ZONES);
	size_t meta_size = frames_metadata_size(ranges, n);
	uint64_t meta;

	/* Taking the metadata only shrinks the ranges, so meta_size still suffices. */
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

int memory_map_init(struct memory *mem, const void *fdt, size_t fdt_size, uint64_t dtb_addr,
		    const struct boot_region *regions, unsigned count)
{
	int err = memmap_from_dt_at(&mem->map, fdt, fdt_size, dtb_addr);
	for (unsigned i = 0; i < count && !err; i++)
		err = memmap_reserve(&mem->map, regions[i].base, regions[i].size,
				     regions[i].owner);
	return err;
}

int memory_start_allocators(struct memory *mem, uintptr_t ram_offset, const char **failed_stage)
{
	*failed_stage = "frames";
	int err = start_frames(mem, ram_offset);
	if (err < 0)
		return err;

	*failed_stage = "heap";
	err = heap_init(&mem->heap, &mem->frames, MEMORY_HEAP_INITIAL_BYTES);
	if (err < 0)
		return err;
	*failed_stage = NULL;
	return 0;
}

int memory_init(struct memory *mem, const void *fdt, size_t fdt_size,
		const struct boot_region *regions, unsigned count,
		const char **failed_stage)
{
	*failed_stage = "device tree";
	int err = memory_map_init(mem, fdt, fdt_size, (uintptr_t)fdt, regions, count);
	if (err < 0)
		return err;
	return memory_start_allocators(mem, 0, failed_stage);
}
