/*
 * The memory map's tables (see memmap_list.h): small sorted arrays with no
 * allocation. When the reservation table is full, the pair of rows with
 * the smallest gap between them becomes one row, the way a table of
 * reservations can shrink without freeing anything it protected; the gap
 * is reported, never handed out.
 */
#include <string.h>

#include "lib/errors.h"
#include "mm/memmap_list.h"

#define MERGED_OWNER "merged"

uint64_t mem_region_end(const struct mem_region *r)
{
	return r->size > UINT64_MAX - r->base ? UINT64_MAX : r->base + r->size;
}

static void copy_owner(char *dst, const char *src, size_t len)
{
	if (len >= MEMMAP_OWNER_MAX)
		len = MEMMAP_OWNER_MAX - 1;
	memmove(dst, src, len);
	dst[len] = '\0';
}

int mem_list_insert(struct mem_list *l, uint64_t base, uint64_t size, uint64_t align,
		    const char *owner, size_t owner_len)
{
	if (l->count == MEMMAP_MAX_REGIONS)
		return -E_FULL;
	unsigned at = l->count;
	while (at > 0 && l->r[at - 1].base > base)
		at--;
	memmove(&l->r[at + 1], &l->r[at], (l->count - at) * sizeof(l->r[0]));
	l->r[at] = (struct mem_region){ .base = base, .size = size, .align = align };
	copy_owner(l->r[at].owner, owner, owner_len);
	l->count++;
	return 0;
}

void mem_list_remove(struct mem_list *l, unsigned at)
{
	memmove(&l->r[at], &l->r[at + 1], (l->count - at - 1) * sizeof(l->r[0]));
	l->count--;
}

static uint64_t min_u64(uint64_t a, uint64_t b)
{
	return a < b ? a : b;
}

static uint64_t max_u64(uint64_t a, uint64_t b)
{
	return a > b ? a : b;
}

void memmap_add_bank(struct memmap *m, uint64_t base, uint64_t size)
{
	struct mem_list *banks = &m->banks;
	struct mem_region grown = { .base = base, .size = size };
	uint64_t end = mem_region_end(&grown);

	/* Restart after each merge: the grown range may now reach an earlier bank. */
	for (unsigned i = 0; i < banks->count;) {
		const struct mem_region *b = &banks->r[i];
		if (b->base < end && base < mem_region_end(b)) {
			end = max_u64(end, mem_region_end(b));
			base = min_u64(base, b->base);
			mem_list_remove(banks, i);
			i = 0;
			continue;
		}
		i++;
	}
	if (mem_list_insert(banks, base, end - base, 0, "ram", strlen("ram")) < 0) {
		m->lost.banks++;
		m->lost.bank_bytes += end - base;
	}
}

/* Bytes between row i and row i + 1 that a merge would add; 0 if they overlap. */
static uint64_t gap_after(const struct mem_list *l, unsigned i)
{
	uint64_t end = mem_region_end(&l->r[i]);
	return l->r[i + 1].base > end ? l->r[i + 1].base - end : 0;
}

static void merge_closest_pair(struct memmap *m)
{
	struct mem_list *l = &m->reserved;
	unsigned best = 0;

	for (unsigned i = 1; i + 1 < l->count; i++)
		if (gap_after(l, i) < gap_after(l, best))
			best = i;
	struct mem_region *a = &l->r[best];
	const struct mem_region *b = &l->r[best + 1];
	uint64_t end = max_u64(mem_region_end(a), mem_region_end(b));

	m->lost.reservations_merged++;
	m->lost.merge_gap_bytes += gap_after(l, best);
	if (strcmp(a->owner, b->owner) != 0)
		copy_owner(a->owner, MERGED_OWNER, strlen(MERGED_OWNER));
	a->size = end - a->base;
	a->align = 0;
	mem_list_remove(l, best + 1);
}

void memmap_add_reservation(struct memmap *m, uint64_t base, uint64_t size,
			    const char *owner, size_t owner_len)
{
	if (m->reserved.count == MEMMAP_MAX_REGIONS)
		merge_closest_pair(m);
	(void)mem_list_insert(&m->reserved, base, size, 0, owner, owner_len);
}
