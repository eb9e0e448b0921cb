/* The access rules of md, mw, cmp and cp (see mem_access.h). */
#include <string.h>

#include <libfdt.h>

#include "lib/console.h"
#include "lib/dt.h"
#include "shell/mem_access.h"

static bool range_within(uint64_t addr, uint64_t len, uint64_t base, uint64_t size)
{
	return addr >= base && len <= size && addr - base <= size - len;
}

/* Memory nodes and /reserved-memory children describe RAM, not devices. */
static bool is_device_node(const void *fdt, int node)
{
	int parent = fdt_parent_offset(fdt, node);
	const char *type = fdt_getprop(fdt, node, "device_type", NULL);
	const char *parent_name = parent >= 0 ? fdt_get_name(fdt, parent, NULL) : NULL;

	if (type && !strcmp(type, "memory"))
		return false;
	return !(parent_name && !strcmp(parent_name, "reserved-memory"));
}

static bool device_holding(const void *fdt, uint64_t addr, uint64_t len)
{
	for (int node = fdt_next_node(fdt, -1, NULL); node >= 0;
	     node = fdt_next_node(fdt, node, NULL)) {
		int count = dt_reg_count(fdt, node);
		if (count <= 0 || !dt_node_enabled(fdt, node) || !is_device_node(fdt, node))
			continue;
		for (int i = 0; i < count; i++) {
			uint64_t base, size;
			if (dt_reg(fdt, node, i, &base, &size) == 0 && size != 0 &&
			    range_within(addr, len, base, size))
				return true;
		}
	}
	return false;
}

enum mem_area mem_access_area(const struct machine *m, uint64_t addr, uint64_t len)
{
	const struct mem_list *banks = &m->mem.map.banks;
	struct alloc_table *allocs = (struct alloc_table *)&m->allocs;

	if (addr + len < addr)
		return MEM_AREA_NONE;
	if (alloc_table_holding(allocs, (uintptr_t)addr, len))
		return MEM_AREA_SHELL;
	for (unsigned i = 0; i < banks->count; i++)
		if (range_within(addr, len, banks->r[i].base, banks->r[i].size))
			return MEM_AREA_RAM;
	return device_holding(m->fdt, addr, len) ? MEM_AREA_DEVICE : MEM_AREA_NONE;
}

static void refuse(const char *cmd, uint64_t addr, uint64_t len, const char *why)
{
	console_printf("error: %s: 0x%llx..0x%llx %s\n", cmd, (unsigned long long)addr,
		       (unsigned long long)(addr + len - 1), why);
}

bool mem_access_check_read(const struct machine *m, const char *cmd, uint64_t addr,
			   uint64_t len)
{
	if (mem_access_area(m, addr, len) != MEM_AREA_NONE)
		return true;
	refuse(cmd, addr, len, "is not inside RAM or one device's registers in the device tree");
	return false;
}

bool mem_access_check_write(const struct machine *m, const char *cmd, uint64_t addr,
			    uint64_t len)
{
	enum mem_area area = mem_access_area(m, addr, len);

	if (area == MEM_AREA_SHELL || area == MEM_AREA_DEVICE)
		return true;
	if (area == MEM_AREA_RAM)
		refuse(cmd, addr, len,
		       "is RAM outside the shell's allocations (writes go only to memory from alloc)");
	else
		refuse(cmd, addr, len, "is not inside a shell allocation or one device's registers");
	return false;
}
