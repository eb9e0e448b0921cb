/* Memory bring-up: memory map -> frame metadata -> frames -> heap (memory.h). */
#include "lib/errors.h"
#include "mm/memory.h"

#define METADATA_ALIGN MEMMAP_PAGE_SIZE

static unsigned usable_as_frame_ranges(const struct memmap *map,
				       struct frame_range *ranges, unsigned max)
{
	unsigned n = map->usable.count < max ? map->usable.count : max;
	for (unsigned i = 0; i < n; i++)
		ranges[i] = (struct frame_range){
			.base = (uintptr_t)map->usable.r[i].base,
			.size = map->usable.r[i].size,
		};
	return n;
}

static int start_frames(struct memory *mem)
{
	struct frame_range ranges[FRAMES_MAX_ZONES];
	unsigned n = usable_as_frame_ranges(&mem->map, ranges, FRAMES_MAX_ZONES);
	size_t meta_size = frames_metadata_size(ranges, n);
	uint64_t meta;

	/* Taking the metadata only shrinks the ranges, so meta_size still suffices. */
	int err = memmap_take(&mem->map, meta_size, METADATA_ALIGN, "frame-metadata", &meta);
	if (err < 0)
		return err;
	n = usable_as_frame_ranges(&mem->map, ranges, FRAMES_MAX_ZONES);
	return frames_init(&mem->frames, ranges, n, (void *)(uintptr_t)meta, meta_size);
}

int memory_init(struct memory *mem, const void *fdt, size_t fdt_size,
		const struct boot_region *regions, unsigned count,
		const char **failed_stage)
{
	*failed_stage = "device tree";
	int err = memmap_from_dt(&mem->map, fdt, fdt_size);
	for (unsigned i = 0; i < count && !err; i++)
		err = memmap_reserve(&mem->map, regions[i].base, regions[i].size,
				     regions[i].owner);
	if (err < 0)
		return err;

	*failed_stage = "frames";
	err = start_frames(mem);
	if (err < 0)
		return err;

	*failed_stage = "heap";
	err = heap_init(&mem->heap, &mem->frames, MEMORY_HEAP_INITIAL_BYTES);
	if (err < 0)
		return err;
	*failed_stage = NULL;
	return 0;
}
