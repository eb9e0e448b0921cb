/* Device tree helpers over libfdt (see dt.h). */
#include <string.h>

#include <libfdt.h>

#include "lib/dt.h"
#include "lib/errors.h"

#define DT_CELL_SIZE	4
#define DT_MAX_ADDR_CELLS 2	/* addresses and sizes wider than 64 bits are refused */
#define DT_MAX_DEPTH	16	/* bound on parent walks in a malformed tree */

/* The memory reservation block holds 64-bit entries (the specification
 * aligns it to 8 bytes); libfdt reads them as structs. */
#define DT_RSVMAP_ALIGN 8u

int dt_check_blob(const void *fdt, size_t size)
{
	if (size < sizeof(struct fdt_header) || fdt_check_header(fdt) != 0 ||
	    fdt_totalsize(fdt) > size || fdt_off_dt_struct(fdt) % DT_CELL_SIZE ||
	    fdt_off_mem_rsvmap(fdt) % DT_RSVMAP_ALIGN)
		return -E_BADDT;
	return 0;
}

uint64_t dt_read_cells(const void *cells, int count)
{
	const uint8_t *p = cells;
	uint64_t value = 0;

	for (int i = 0; i < count; i++, p += DT_CELL_SIZE)
		value = (value << 32) | ((uint64_t)p[0] << 24 | (uint64_t)p[1] << 16 |
					  (uint64_t)p[2] << 8 | p[3]);
	return value;
}

static int cells_of(const void *fdt, int parent, int *addr_cells, int *size_cells)
{
	*addr_cells = fdt_address_cells(fdt, parent);
	*size_cells = fdt_size_cells(fdt, parent);
	if (*addr_cells < 1 || *addr_cells > DT_MAX_ADDR_CELLS ||
	    *size_cells < 0 || *size_cells > DT_MAX_ADDR_CELLS)
		return -E_BADDT;
	return 0;
}

int dt_reg_count(const void *fdt, int node)
{
	int parent = fdt_parent_offset(fdt, node);
	int ac, sc, len;

	if (parent < 0 || cells_of(fdt, parent, &ac, &sc) < 0)
		return -E_BADDT;
	if (!fdt_getprop(fdt, node, "reg", &len))
		return 0;
	int entry = (ac + sc) * DT_CELL_SIZE;
	if (len % entry)
		return -E_BADDT;
	return len / entry;
}

/*
 * Maps a bus address of `node`'s children into its parent's address space
 * through `node`'s ranges. An absent or empty `ranges` is an identity map
 * (what QEMU and the supported boards use for /soc).
 */
static int translate_through(const void *fdt, int node, uint64_t *addr)
{
	int len;
	const uint8_t *ranges = fdt_getprop(fdt, node, "ranges", &len);
	if (!ranges || len == 0)
		return 0;

	int parent = fdt_parent_offset(fdt, node);
	int child_ac, child_sc, parent_ac, parent_sc;
	if (parent < 0 || cells_of(fdt, node, &child_ac, &child_sc) < 0 ||
	    cells_of(fdt, parent, &parent_ac, &parent_sc) < 0)
		return -E_BADDT;

	int entry = (child_ac + parent_ac + child_sc) * DT_CELL_SIZE;
	if (len % entry)
		return -E_BADDT;
	for (const uint8_t *r = ranges; r < ranges + len; r += entry) {
		uint64_t child = dt_read_cells(r, child_ac);
		uint64_t target = dt_read_cells(r + child_ac * DT_CELL_SIZE, parent_ac);
		uint64_t size = dt_read_cells(r + (child_ac + parent_ac) * DT_CELL_SIZE,
					      child_sc);
		if (*addr >= child && *addr - child < size) {
			*addr = target + (*addr - child);
			return 0;
		}
	}
	return -E_BADDT;
}

int dt_reg(const void *fdt, int node, int index, uint64_t *addr, uint64_t *size)
{
	int count = dt_reg_count(fdt, node);
	if (count < 0)
		return count;
	if (index < 0 || index >= count)
		return -E_NOENT;

	int parent = fdt_parent_offset(fdt, node);
	int ac, sc;
	if (cells_of(fdt, parent, &ac, &sc) < 0)
		return -E_BADDT;
	const uint8_t *reg = fdt_getprop(fdt, node, "reg", NULL);
	const uint8_t *entry = reg + index * (ac + sc) * DT_CELL_SIZE;
	*addr = dt_read_cells(entry, ac);
	*size = dt_read_cells(entry + ac * DT_CELL_SIZE, sc);

	for (int depth = 0; parent > 0 && depth < DT_MAX_DEPTH; depth++) {
		int err = translate_through(fdt, parent, addr);
		if (err < 0)
			return err;
		parent = fdt_parent_offset(fdt, parent);
	}
	return 0;
}

uint32_t dt_u32(const void *fdt, int node, const char *name, uint32_t fallback)
{
	int len;
	const void *p = fdt_getprop(fdt, node, name, &len);
	if (!p || len != DT_CELL_SIZE)
		return fallback;
	return (uint32_t)dt_read_cells(p, 1);
}

bool dt_u32_or_u64(const void *fdt, int node, const char *name, uint64_t *value)
{
	int len;
	const void *p = fdt_getprop(fdt, node, name, &len);
	if (!p || (len != DT_CELL_SIZE && len != 2 * DT_CELL_SIZE))
		return false;
	*value = dt_read_cells(p, len / DT_CELL_SIZE);
	return true;
}

bool dt_node_enabled(const void *fdt, int node)
{
	int len;
	const char *status = fdt_getprop(fdt, node, "status", &len);
	if (!status)
		return true;
	return (len == sizeof("okay") && !memcmp(status, "okay", len)) ||
	       (len == sizeof("ok") && !memcmp(status, "ok", len));
}

int dt_stdout_node(const void *fdt, const char **options)
{
	int chosen = fdt_path_offset(fdt, "/chosen");
	if (chosen < 0)
		return -E_NOENT;

	int len;
	const char *path = fdt_getprop(fdt, chosen, "stdout-path", &len);
	if (!path)
		path = fdt_getprop(fdt, chosen, "linux,stdout-path", &len);
	if (!path || len < 1 || path[len - 1] != '\0')
		return -E_NOENT;

	const char *colon = strchr(path, ':');
	int name_len = colon ? (int)(colon - path) : (int)strlen(path);
	*options = colon ? colon + 1 : NULL;
	int node = fdt_path_offset_namelen(fdt, path, name_len);
	return node < 0 ? -E_NOENT : node;
}
