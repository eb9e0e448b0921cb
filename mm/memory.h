/*
 * Memory bring-up, the step between the device tree and the shell: builds
 * the memory map, reserves what the boot code occupies, places the frame
 * allocator's metadata, starts the frame allocator and then the heap on
 * frames. Portable: it only needs the tree and the ranges to reserve.
 */
#ifndef MM_MEMORY_H
#define MM_MEMORY_H

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
 * failed ("device tree", "frame-metadata", "frames", "heap").
 */
int memory_init(struct memory *mem, const void *fdt, size_t fdt_size,
		const struct boot_region *regions, unsigned count,
		const char **failed_stage);

#endif
