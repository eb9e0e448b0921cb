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
#define MEMMAP_PATH_MAX		64
/* Physical page 0 reads as NULL to every caller: it is never usable. */
#define MEMMAP_NULL_PAGE_OWNER	"null-page"

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

/*
 * What the fixed tables could not hold, and RAM left out for another
 * reason. The tables do not grow (the map is built before any allocator
 * exists); instead every range past a limit is counted here, and the
 * banner and `mem` print each count that is not zero
 * (shell/memory_report.c). Reservations are never lost: past the table,
 * the two closest rows merge and the gap between them stays reserved.
 */
struct memmap_losses {
	unsigned banks;			/* /memory ranges past the table: not used */
	uint64_t bank_bytes;
	unsigned banks_faulting;	/* banks that fault when touched: not used */
	uint64_t faulting_bytes;
	unsigned reservations_merged;	/* rows merged to make room for another */
	uint64_t merge_gap_bytes;	/* bytes between merged rows, now reserved */
	unsigned usable;		/* usable ranges past the table: not used */
	uint64_t usable_bytes;
	unsigned size_only;		/* size-only reservations past the table */
	unsigned beyond_zones;		/* usable ranges the frame allocator has no
					   zone for (FRAMES_MAX_ZONES): not used */
	uint64_t beyond_zones_bytes;
};

struct memmap {
	struct mem_list banks;		/* RAM as the /memory nodes give it, sorted;
					   overlapping ranges are joined */
	struct mem_list reserved;	/* sorted by base; entries may overlap */
	struct mem_list size_only;	/* /reserved-memory nodes with size but no reg */
	struct mem_list usable;		/* banks minus reserved, page-aligned inwards */
	struct memmap_losses lost;
	char bad_node[MEMMAP_PATH_MAX];	/* on -E_BADDT: the node that could not be
					   read, when one could be named */
};

/*
 * Reads banks and reservations from the tree at `fdt` (at most `max_size`
 * bytes may be read, even when that is shorter than a header) and computes
 * the usable ranges. On a malformed or truncated tree returns -E_BADDT and
 * leaves an empty map: nothing usable, and bad_node names the node when
 * one was at fault. That includes one malformed optional node, such as a
 * /reserved-memory child whose reg cannot be read: a reservation that
 * cannot be read may protect something (firmware, a frame buffer), so no
 * RAM is handed out rather than RAM that might be in use. A tree with no
 * enabled memory node gives -E_NORAM.
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

/*
 * Drops every bank where the first or last word of a usable range faults
 * when read through `probe_read32` (a bank larger than the machine's
 * memory), counting it in
 * lost.banks_faulting, and recomputes the usable ranges. Returns how many
 * were dropped.
 */
unsigned memmap_drop_faulting_banks(struct memmap *m,
				    int (*probe_read32)(uintptr_t addr, uint32_t *value));

/* Whether [base, base + size) lies inside the union of the banks. */
int memmap_inside_ram(const struct memmap *m, uint64_t base, uint64_t size);

uint64_t mem_list_total(const struct mem_list *l);
/* Bytes of RAM (the union of the banks) covered by at least one reservation. */
uint64_t memmap_reserved_in_ram(const struct memmap *m);

#endif
