/*
 * The memory map: which RAM the firmware may hand out. Built from the device
 * tree (every enabled /memory node, /reserved-memory children, /memreserve/
 * entries, the DTB itself, an initrd from /chosen) plus what the boot code
 * adds (the payload image, the boot stack, the allocators' metadata). The
 * result is a sorted, non-overlapping list of page-aligned usable ranges
 * that the frame allocator turns into zones. Portable: used by the firmware
 * and by host tests on .dtb files.
 */
#ifndef MM_MEMMAP_H
#define MM_MEMMAP_H

#include <stddef.h>
#include <stdint.h>

#define MEMMAP_PAGE_SIZE	4096u
#define MEMMAP_MAX_REGIONS	64
#define MEMMAP_OWNER_MAX	32

struct mem_region {
	uint64_t base;
	uint64_t size;
	uint64_t align;		/* size-only reservations: their alignment, else 0 */
	char owner[MEMMAP_OWNER_MAX];
};

struct mem_list {
	unsigned count;
	struct mem_region r[MEMMAP_MAX_REGIONS];
};

struct memmap {
	struct mem_list banks;		/* RAM as the /memory nodes give it, sorted */
	struct mem_list reserved;	/* sorted by base; entries may overlap */
	struct mem_list size_only;	/* /reserved-memory nodes with size but no reg */
	struct mem_list usable;		/* banks minus reserved, page-aligned inwards */
};

/*
 * Reads banks and reservations from the tree at `fdt` (at most `max_size`
 * bytes may be read) and computes the usable ranges. On a malformed or
 * truncated tree returns -E_BADDT and leaves an empty map: nothing usable.
 */
int memmap_from_dt(struct memmap *m, const void *fdt, size_t max_size);
/* The same, with the DTB reserved at `dtb_addr` instead of at `fdt`: for a
 * copy of a tree that sits elsewhere in the machine (the host tool). */
int memmap_from_dt_at(struct memmap *m, const void *fdt, size_t max_size, uint64_t dtb_addr);

/* Adds a reservation (e.g. the payload) and recomputes the usable ranges. */
int memmap_reserve(struct memmap *m, uint64_t base, uint64_t size, const char *owner);

/*
 * Takes `size` bytes aligned to `align` from the top of the highest usable
 * range that has room, records them as reserved by `owner` and returns the
 * address: how the allocators' metadata is placed.
 */
int memmap_take(struct memmap *m, uint64_t size, uint64_t align, const char *owner,
		uint64_t *addr);

uint64_t mem_list_total(const struct mem_list *l);
/* Bytes of RAM (the union of the banks) covered by at least one reservation. */
uint64_t memmap_reserved_in_ram(const struct memmap *m);

#endif
