/*
 * Reference model for the randomized allocator tests: who owns each unit
 * (granule or frame) of an address range, so a returned block that leaves
 * the range or overlaps a live block is caught at once.
 */
#ifndef TESTS_HOST_SUPPORT_MM_OWNERMAP_H
#define TESTS_HOST_SUPPORT_MM_OWNERMAP_H

#include <stddef.h>
#include <stdint.h>

struct mm_ownermap {
	uintptr_t base;
	unsigned shift;		/* unit size is 1 << shift */
	size_t units;
	uint32_t *owner;	/* 0: nobody */
};

int mm_ownermap_init(struct mm_ownermap *m, uintptr_t base, size_t bytes, unsigned shift);
void mm_ownermap_destroy(struct mm_ownermap *m);

/* Marks [addr, addr + bytes) as id's: 0, or -1 (nothing marked) when that
 * leaves the range or meets a unit owned by someone. */
int mm_ownermap_claim(struct mm_ownermap *m, uintptr_t addr, size_t bytes, uint32_t id);

/* Unmarks it: 0, or -1 when a unit of it was not id's. */
int mm_ownermap_release(struct mm_ownermap *m, uintptr_t addr, size_t bytes, uint32_t id);

#endif
