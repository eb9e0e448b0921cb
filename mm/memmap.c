/*
 * Building the memory map (see memmap.h): collect the banks and the
 * reservations, then subtract. Lists are small fixed arrays kept sorted by
 * insertion (memmap_list.c), so the whole map lives in one struct with no
 * allocation.
 */
#include <string.h>

#include <libfdt.h>

#include "lib/dt.h"
#include "lib/errors.h"
#include "mm/memmap.h"
#include "mm/memmap_list.h"

static int list_add(struct mem_list *l, uint64_t base, uint64_t size, const char *owner)
{
	return mem_list_insert(l, base, size, 0, owner, strlen(owner));
}

static void reserve(struct memmap *m, uint64_t base, uint64_t size, const char *owner)
{
	memmap_add_reservation(m, base, size, owner, strlen(owner));
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

/*
 * Ranges come in ascending order; one that continues the last extends it.
 * Past the table a range is counted as lost, never used.
 */
static void add_usable(struct memmap *m, uint64_t start, uint64_t end)
{
	start = align_up(start);
	end = align_down(end);
	if (end <= start)
		return;
	struct mem_list *u = &m->usable;
	if (u->count && mem_region_end(&u->r[u->count - 1]) == start) {
		u->r[u->count - 1].size += end - start;
		return;
	}
	if (list_add(u, start, end - start, "usable") < 0) {
		m->lost.usable++;
		m->lost.usable_bytes += end - start;
	}
}

/* Emits the parts of [start, end) that no reservation covers. */
static void subtract_reserved(struct memmap *m, uint64_t start, uint64_t end)
{
	uint64_t cursor = start;

	for (unsigned i = 0; i < m->reserved.count && cursor < end; i++) {
		const struct mem_region *r = &m->reserved.r[i];
		uint64_t r_end = mem_region_end(r);
		if (r_end <= cursor || r->size == 0)
			continue;
		if (r->base >= end)
			break;
		if (r->base > cursor)
			add_usable(m, cursor, r->base);
		if (r_end > cursor)
			cursor = r_end;
	}
	if (cursor < end)
		add_usable(m, cursor, end);
}

/* Banks never overlap (memmap_add_bank joins them). */
static void compute_usable(struct memmap *m)
{
	m->usable.count = 0;
	m->lost.usable = 0;
	m->lost.usable_bytes = 0;
	for (unsigned i = 0; i < m->banks.count; i++)
		subtract_reserved(m, m->banks.r[i].base, mem_region_end(&m->banks.r[i]));
}

/* Records the path of the node that could not be read, for the error line. */
static int bad_node(struct memmap *m, const void *fdt, int node, int err)
{
	if (fdt_get_path(fdt, node, m->bad_node, sizeof(m->bad_node)) < 0)
		m->bad_node[0] = '\0';
	return err;
}

/*
 * Adds every non-empty `reg` entry of node: as RAM when owner is NULL, else
 * as reservations. Returns the entry count.
 */
static int add_reg_entries(struct memmap *m, const void *fdt, int node,
			   const char *owner, size_t owner_len)
{
	int count = dt_reg_count(fdt, node);
	if (count < 0)
		return bad_node(m, fdt, node, count);

	for (int i = 0; i < count; i++) {
		uint64_t base, size;
		int err = dt_reg(fdt, node, i, &base, &size);
		if (err < 0)
			return bad_node(m, fdt, node, err);
		if (size && !owner)
			memmap_add_bank(m, base, size);
		else if (size)
			memmap_add_reservation(m, base, size, owner, owner_len);
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
		int err = add_reg_entries(m, fdt, node, NULL, 0);
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

	int count = add_reg_entries(m, fdt, node, name, owner_len);
	if (count < 0)
		return count;

	uint64_t size, align = 0;
	if (count == 0 && dt_u32_or_u64(fdt, node, "size", &size)) {
		dt_u32_or_u64(fdt, node, "alignment", &align);
		if (mem_list_insert(&m->size_only, 0, size, align, name, owner_len) < 0)
			m->lost.size_only++;
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
		reserve(m, base, size, "memreserve");
	}
	return 0;
}

static void add_initrd(struct memmap *m, const void *fdt)
{
	int chosen = fdt_path_offset(fdt, "/chosen");
	uint64_t start, end;

	if (chosen < 0 || !dt_u32_or_u64(fdt, chosen, "linux,initrd-start", &start) ||
	    !dt_u32_or_u64(fdt, chosen, "linux,initrd-end", &end) || end <= start)
		return;
	reserve(m, start, end - start, "initrd");
}

/* RAM at physical address 0 (TH1520, SG2042): its first page is never handed out. */
static void reserve_null_page(struct memmap *m)
{
	if (m->banks.count && m->banks.r[0].base == 0)
		reserve(m, 0, MEMMAP_PAGE_SIZE, MEMMAP_NULL_PAGE_OWNER);
}

static int read_tree(struct memmap *m, const void *fdt, size_t max_size, uint64_t dtb_addr)
{
	if (dt_check_blob(fdt, max_size) < 0)
		return -E_BADDT;

	int err = add_memory_nodes(m, fdt);
	if (!err && m->banks.count == 0 && m->lost.banks == 0)
		err = -E_NORAM;
	if (!err)
		err = add_reserved_memory(m, fdt);
	if (!err)
		err = add_memreserve(m, fdt);
	if (err < 0)
		return err;
	add_initrd(m, fdt);
	reserve(m, dtb_addr, fdt_totalsize(fdt), "dtb");
	reserve_null_page(m);
	return 0;
}

int memmap_from_dt(struct memmap *m, const void *fdt, size_t max_size)
{
	return memmap_from_dt_at(m, fdt, max_size, (uintptr_t)fdt);
}

int memmap_from_dt_at(struct memmap *m, const void *fdt, size_t max_size, uint64_t dtb_addr)
{
	memset(m, 0, sizeof(*m));
	int err = read_tree(m, fdt, max_size, dtb_addr);
	if (err < 0) {
		char node[MEMMAP_PATH_MAX];
		memcpy(node, m->bad_node, sizeof(node));
		memset(m, 0, sizeof(*m));
		memcpy(m->bad_node, node, sizeof(node));
		return err == -E_NORAM ? err : -E_BADDT;
	}
	compute_usable(m);
	return 0;
}

int memmap_reserve(struct memmap *m, uint64_t base, uint64_t size, const char *owner)
{
	reserve(m, base, size, owner);
	compute_usable(m);
	return 0;
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
		uint64_t base = (mem_region_end(r) - size) & ~(align - 1);
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
		uint64_t bank_start = m->banks.r[b].base, bank_end = mem_region_end(&m->banks.r[b]);
		uint64_t cursor = bank_start;
		for (unsigned i = 0; i < m->reserved.count; i++) {
			const struct mem_region *r = &m->reserved.r[i];
			uint64_t start = r->base > cursor ? r->base : cursor;
			uint64_t end = mem_region_end(r) < bank_end ? mem_region_end(r) : bank_end;
			if (end > start) {
				total += end - start;
				cursor = end;
			}
		}
	}
	return total;
}

/*
 * Reads the first and last word of each usable range in the bank; either
 * faulting means the machine has no RAM there. Reserved parts are left
 * alone: firmware may protect them (OpenSBI's PMP covers its own 512 KiB).
 */
static int bank_faults(const struct memmap *m, const struct mem_region *b,
		       int (*probe_read32)(uintptr_t addr, uint32_t *value))
{
	uint32_t word;

	for (unsigned i = 0; i < m->usable.count; i++) {
		const struct mem_region *u = &m->usable.r[i];
		if (u->base < b->base || mem_region_end(u) > mem_region_end(b))
			continue;
		if (probe_read32((uintptr_t)u->base, &word) < 0 ||
		    probe_read32((uintptr_t)(mem_region_end(u) - sizeof(word)), &word) < 0)
			return 1;
	}
	return 0;
}

unsigned memmap_drop_faulting_banks(struct memmap *m,
				    int (*probe_read32)(uintptr_t addr, uint32_t *value))
{
	unsigned dropped = 0;

	for (unsigned i = 0; i < m->banks.count;) {
		if (!bank_faults(m, &m->banks.r[i], probe_read32)) {
			i++;
			continue;
		}
		m->lost.banks_faulting++;
		m->lost.faulting_bytes += m->banks.r[i].size;
		mem_list_remove(&m->banks, i);
		dropped++;
	}
	if (dropped)
		compute_usable(m);
	return dropped;
}

int memmap_inside_ram(const struct memmap *m, uint64_t base, uint64_t size)
{
	for (unsigned i = 0; i < m->banks.count; i++) {
		const struct mem_region *b = &m->banks.r[i];
		if (base >= b->base && size <= b->size && base - b->base <= b->size - size)
			return 1;
	}
	return 0;
}
