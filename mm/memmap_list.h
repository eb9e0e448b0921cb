/*
 * The memory map's fixed tables (memmap.h), private to mm/memmap*.c: sorted
 * insertion, banks kept as a union (overlapping or duplicate /memory
 * ranges count once), and what happens when a table is full. Nothing is
 * dropped silently: a bank past the table is counted as unused RAM, a
 * reservation past the table is merged into a neighbour row (so the memory
 * stays reserved, with the gap between them), and the counts go to
 * struct memmap_losses for the banner and `mem`.
 */
#ifndef MM_MEMMAP_LIST_H
#define MM_MEMMAP_LIST_H

#include <stddef.h>
#include <stdint.h>

#include "mm/memmap.h"

/* base + size, saturated at UINT64_MAX. */
uint64_t mem_region_end(const struct mem_region *r);

/* Inserts in base order; -E_FULL when the table is full. */
int mem_list_insert(struct mem_list *l, uint64_t base, uint64_t size, uint64_t align,
		    const char *owner, size_t owner_len);

void mem_list_remove(struct mem_list *l, unsigned at);

/* Adds RAM: merges it with any bank it overlaps; counts it lost when full. */
void memmap_add_bank(struct memmap *m, uint64_t base, uint64_t size);

/* Adds a reservation; when the table is full the two closest rows merge first. */
void memmap_add_reservation(struct memmap *m, uint64_t base, uint64_t size,
			    const char *owner, size_t owner_len);

#endif
