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
};

/* A range the boot code occupies, e.g. { base, size, "payload" }. */
struct boot_region {
	uint64_t base;
	uint64_t size;
	const char *owner;
};

/*
 * Returns 0, or the first error; on error the stages that succeeded stay
 * usable (e.g. a map without frames) and *failed_stage names the one that
 * failed ("device tree", a region's owner when it lies outside RAM
 * (-E_OUTSIDE), "frames", "heap"). Nothing touches RAM before the frames
 * are set up: host tools call this on a tree of another machine.
 */
int memory_init(struct memory *mem, const void *fdt, size_t fdt_size,
		const struct boot_region *regions, unsigned count,
		const char **failed_stage);

/*
 * memory_init on the machine itself: also drops banks whose first or last
 * word faults when read with probe_read32 (a bank larger than the real
 * memory), and checks that the DTB at `fdt` lies in RAM ("dtb").
 */
int memory_init_probed(struct memory *mem, const void *fdt, size_t fdt_size,
		       const struct boot_region *regions, unsigned count,
		       int (*probe_read32)(uintptr_t addr, uint32_t *value),
		       const char **failed_stage);

#endif
