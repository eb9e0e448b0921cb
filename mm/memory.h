/*
 * Memory bring-up, the step between the device tree and the shell: builds
 * the memory map, reserves what the boot code occupies, places the frame
 * allocator's metadata, starts the frame allocator and then the heap on
 * frames. Portable: it only needs the tree and the ranges to reserve.
 */
#ifndef MM_MEMORY_H
#define MM_MEMORY_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "mm/frames.h"
#include "mm/heap.h"
#include "mm/memmap.h"

#define MEMORY_HEAP_INITIAL_BYTES (1024 * 1024)

struct memory {
	struct memmap map;
	struct frames frames;
	struct heap heap;
	bool ready;		/* frames and heap are up: commands may allocate */
	uintptr_t ram_offset;	/* the allocators reach physical address p at
				   p + ram_offset (memory_start_allocators) */
};

/* A range the boot code occupies, e.g. { base, size, "payload" }. */
struct boot_region {
	uint64_t base;
	uint64_t size;
	const char *owner;
};

/* The firmware's own image: code and data from `image`, its boot stack from
 * `stack` up to `end`; two rows, "payload" and "boot-stack". */
#define MEMORY_IMAGE_REGIONS 2
unsigned memory_image_regions(struct boot_region out[MEMORY_IMAGE_REGIONS], uint64_t image,
			      uint64_t stack, uint64_t end);

/*
 * The two steps of memory_init_probed, for a caller that runs them apart
 * (the host tool, which checks a board's tree). memory_map_init builds the
 * memory map with the DTB reserved at `dtb_addr`, drops the banks whose
 * first or last word faults when read with probe_read32 (the firmware
 * passes its probe; NULL reads nothing), checks that the DTB ("dtb") and
 * the boot regions (their owner) lie in RAM (-E_OUTSIDE) and reserves the
 * regions. memory_start_allocators then places the frame metadata and
 * starts the frames and the heap on the map's usable RAM. The allocators
 * reach RAM at physical address p through p + ram_offset: 0 in the
 * firmware, which runs on physical addresses; the host tool passes the
 * offset of a stand-in mapping. Both return 0 or the first error, with
 * *failed_stage naming the stage that failed.
 */
int memory_map_init(struct memory *mem, const void *fdt, size_t fdt_size, uint64_t dtb_addr,
		    const struct boot_region *regions, unsigned count,
		    int (*probe_read32)(uintptr_t addr, uint32_t *value),
		    const char **failed_stage);
int memory_start_allocators(struct memory *mem, uintptr_t ram_offset, const char **failed_stage);

/*
 * The bring-up on the machine itself: both steps, with the tree at `fdt`
 * (reserved there and checked to lie in RAM) and the banks probed with
 * probe_read32. Returns 0, or the first error; on error the stages that
 * succeeded stay usable (e.g. a map without frames) and *failed_stage
 * names the one that failed ("device tree", "dtb", a region's owner when
 * it lies outside RAM (-E_OUTSIDE), "frames", "heap").
 */
int memory_init_probed(struct memory *mem, const void *fdt, size_t fdt_size,
		       const struct boot_region *regions, unsigned count,
		       int (*probe_read32)(uintptr_t addr, uint32_t *value),
		       const char **failed_stage);

/*
 * The same for a tree read into host memory (host tests): no probe, and the
 * tree's own place is not checked against the RAM it describes. Nothing
 * touches RAM before the frames are set up.
 */
int memory_init(struct memory *mem, const void *fdt, size_t fdt_size,
		const struct boot_region *regions, unsigned count,
		const char **failed_stage);

#endif
