/*
 * Building the memory map (see memmap.h): collect the banks and the
 * reservations, then subtract. Lists are small fixed arrays kept sorted by
 * insertion, so the whole map lives in one struct with no allocation.
 */
#include <string.h>

#include <libfdt.h>

#include "lib/dt.h"
#include "lib/errors.h"
#include "mm/memmap.h"

static uint64_t region_end(const struct mem_region *r)
{
	return r->size > UINT64_MAX - r->base ? UINT64_MAX : r->base + r->size;
}

static void copy_owner(char *dst, const char *src, size_t len)
{
	if (len >= MEMMAP_OWNER_MAX)
		len = MEMMAP_OWNER_MAX - 1;
	memcpy(dst, src, len);
	dst[len] = '\0';
}

static int list_insert(struct mem_list *l, uint64_t base, uint64_t size,
		       uint64_t align, const char *owner, size_t owner_len)
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

static int list_add(struct mem_list *l, uint64_t base, uint64_t size, const char *owner)
{
	return list_insert(l, base, size, 0, owner, strlen(owner));
}

uint64_t mem_list_total(const struct mem_list *l)
{
	uint64_t total = 0;
	for (unsigned i = 0; i < l->count; i++)
		total += l->r[i].size;
	return total;
}

static uint64_t align_up(uint64_t x)
{
	uint64_t up = (x + MEMMAP_PAGE_SIZE - 1) & ~(uint64_t)(MEMMAP_PAGE_SIZE - 1);
	return up < x ? UINT64_MAX & ~(uint64_t)(MEMMAP_PAGE_SIZE - 1) : up;
}

static uint64_t align_down(uint64_t x)
{
	return x & ~(uint64_t)(MEMMAP_PAGE_SIZE - 1);
}

/* Ranges come in ascending order; one that continues the last extends it. */
static int add_usable(struct memmap *m, uint64_t start, uint64_t end)
{
	start = align_up(start);
	end = align_down(end);
	if (end <= start)
		return 0;
	struct mem_list *u = &m->usable;
	if (u->count && region_end(&u->r[u->count - 1]) == start) {
		u->r[u->count - 1].size += end - start;
		return 0;
	}
	return list_add(u, start, end - start, "usable");
}

/* Emits the parts of [start, end) that no reservation covers. */
static int subtract_reserved(struct memmap *m, uint64_t start, uint64_t end)
{
	uint64_t cursor = start;

	for (unsigned i = 0; i < m->reserved.count && cursor < end; i++) {
		const struct mem_region *r = &m->reserved.r[i];
		uint64_t r_end = region_end(r);
		if (r_end <= cursor || r->size == 0)
			continue;
		if (r->base >= end)
			break;
		if (r->base > cursor) {
			int err = add_usable(m, cursor, r->base);
			if (err < 0)
				return err;
		}
		if (r_end > cursor)
			cursor = r_end;
	}
	return cursor < end ? add_usable(m, cursor, end) : 0;
}

static int compute_usable(struct memmap *m)
{
	uint64_t covered = 0;	/* banks may overlap in a sloppy tree */

	m->usable.count = 0;
	for (unsigned i = 0; i < m->banks.count; i++) {
		uint64_t start = m->banks.r[i].base;
		uint64_t end = region_end(&m->banks.r[i]);
		if (start < covered)
			start = covered;
		if (start >= end)
			continue;
		int err = subtract_reserved(m, start, end);
		if (err < 0)
			return err;
		covered = end;
	}
	return 0;
}

/* Adds every non-empty `reg` entry of node to l; returns the entry count. */
static int add_reg_entries(struct mem_list *l, const void *fdt, int node,
			   const char *owner, size_t owner_len)
{
	int count = dt_reg_count(fdt, node);

	for (int i = 0; i < count; i++) {
		uint64_t base, size;
		int err = dt_reg(fdt, node, i, &base, &size);
		if (err == 0 && size)
			err = list_insert(l, base, size, 0, owner, owner_len);
		if (err < 0)
			return err;
	}
	return count;
}

static int add_memory_nodes(struct memmap *m, const void *fdt)
{
	int node = -1;

	while ((node = fdt_node_offset_by_prop_value(fdt, node, "device_type",
						     "memory", sizeof("memory"))) >= 0) {
		if (!dt_node_enabled(fdt, node))
			continue;
		int err = add_reg_entries(&m->banks, fdt, node, "ram", strlen("ram"));
		if (err < 0)
			return err;
	}
	return node == -FDT_ERR_NOTFOUND ? 0 : -E_BADDT;
}

/* "mmode_resv0@80000000" is owned by "mmode_resv0". */
static int add_reserved_node(struct memmap *m, const void *fdt, int node)
{
	int name_len;
	const char *name = fdt_get_name(fdt, node, &name_len);
	if (!name)
		return -E_BADDT;
	const char *at = memchr(name, '@', (size_t)name_len);
	size_t owner_len = at ? (size_t)(at - name) : (size_t)name_len;

	int count = add_reg_entries(&m->reserved, fdt, node, name, owner_len);
	if (count < 0)
		return count;

	uint64_t size, align = 0;
	if (count == 0 && dt_u32_or_u64(fdt, node, "size", &size)) {
		dt_u32_or_u64(fdt, node, "alignment", &align);
		return list_insert(&m->size_only, 0, size, align, name, owner_len);
	}
	return 0;
}

static int add_reserved_memory(struct memmap *m, const void *fdt)
{
	int parent = fdt_path_offset(fdt, "/reserved-memory");
	if (parent == -FDT_ERR_NOTFOUND)
		return 0;
	if (parent < 0)
		return -E_BADDT;

	int node;
	fdt_for_each_subnode(node, fdt, parent) {
		if (!dt_node_enabled(fdt, node))
			continue;
		int err = add_reserved_node(m, fdt, node);
		if (err < 0)
			return err;
	}
	return node == -FDT_ERR_NOTFOUND ? 0 : -E_BADDT;
}

static int add_memreserve(struct memmap *m, const void *fdt)
{
	int count = fdt_num_mem_rsv(fdt);
	if (count < 0)
		return -E_BADDT;
	for (int i = 0; i < count; i++) {
		uint64_t base, size;
		if (fdt_get_mem_rsv(fdt, i, &base, &size) < 0)
			return -E_BADDT;
		int err = list_add(&m->reserved, base, size, "memreserve");
		if (err < 0)
			return err;
	}
	return 0;
}

static int add_initrd(struct memmap *m, const void *fdt)
{
	int chosen = fdt_path_offset(fdt, "/chosen");
	uint64_t start, end;

	if (chosen < 0 || !dt_u32_or_u64(fdt, chosen, "linux,initrd-start", &start) ||
	    !dt_u32_or_u64(fdt, chosen, "linux,initrd-end", &end) || end <= start)
		return 0;
	return list_add(&m->reserved, start, end - start, "initrd");
}

static int read_tree(struct memmap *m, const void *fdt, size_t max_size, uint64_t dtb_addr)
{
	if (fdt_check_header(fdt) != 0 || fdt_totalsize(fdt) > max_size)
		return -E_BADDT;

	int err = add_memory_nodes(m, fdt);
	if (!err)
		err = add_reserved_memory(m, fdt);
	if (!err)
		err = add_memreserve(m, fdt);
	if (!err)
		err = add_initrd(m, fdt);
	if (!err)
		err = list_add(&m->reserved, dtb_addr, fdt_totalsize(fdt), "dtb");
	return err;
}

int memmap_from_dt(struct memmap *m, const void *fdt, size_t max_size)
{
	return memmap_from_dt_at(m, fdt, max_size, (uintptr_t)fdt);
}

int memmap_from_dt_at(struct memmap *m, const void *fdt, size_t max_size, uint64_t dtb_addr)
{
	memset(m, 0, sizeof(*m));
	int err = read_tree(m, fdt, max_size, dtb_addr);
	if (!err)
		err = compute_usable(m);
	if (err < 0) {
		memset(m, 0, sizeof(*m));
		return err == -E_FULL ? err : -E_BADDT;
	}
	return 0;
}

int memmap_reserve(struct memmap *m, uint64_t base, uint64_t size, const char *owner)
{
	int err = list_add(&m->reserved, base, size, owner);
	if (err < 0)
		return err;
	return compute_usable(m);
}

int memmap_take(struct memmap *m, uint64_t size, uint64_t align, const char *owner,
		uint64_t *addr)
{
	if (size == 0 || align == 0 || (align & (align - 1)))
		return -E_INVAL;
	size = align_up(size);
	for (unsigned i = m->usable.count; i-- > 0;) {
		const struct mem_region *r = &m->usable.r[i];
		if (r->size < size)
			continue;
		uint64_t base = (region_end(r) - size) & ~(align - 1);
		if (base < r->base)
			continue;
		*addr = base;
		return memmap_reserve(m, base, size, owner);
	}
	return -E_NOMEM;
}

uint64_t memmap_reserved_in_ram(const struct memmap *m)
{
	uint64_t total = 0;

	for (unsigned b = 0; b < m->banks.count; b++) {
		uint64_t bank_start = m->banks.r[b].base, bank_end = region_end(&m->banks.r[b]);
		uint64_t cursor = bank_start;
		for (unsigned i = 0; i < m->reserved.count; i++) {
			const struct mem_region *r = &m->reserved.r[i];
			uint64_t start = r->base > cursor ? r->base : cursor;
			uint64_t end = region_end(r) < bank_end ? region_end(r) : bank_end;
			if (end > start) {
				total += end - start;
				cursor = end;
			}
		}
	}
	return total;
}
