/*
 * The tree as the board's boot firmware hands it to buddymon (tool.h): the
 * .dtb file as read, opened into a larger buffer so that what OpenSBI and
 * U-Boot add before the hand-over can be added the same way: OpenSBI's
 * reservation of its own image (/reserved-memory/mmode_resv0) and the
 * initrd range U-Boot's booti writes into /chosen.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <libfdt.h>

#include "tools/tool.h"

#define TREE_MAX_FILE	(64u << 20)	/* far above any board tree */
/* OpenSBI 1.1 grows the tree by 1024 bytes for its reserved-memory fix-up
 * and by 32 for its CPU fix-up; the tree handed over is that much larger. */
#define TREE_ROOM	(1024u + 32u)
#define NODE_NAME_MAX	64
#define CELL_BITS	32

static int read_file(const char *path, char **data, size_t *len)
{
	FILE *f = fopen(path, "rb");
	if (!f) {
		fprintf(stderr, "error: %s: %s\n", path, strerror(errno));
		return -1;
	}
	*data = malloc(TREE_MAX_FILE);
	*len = *data ? fread(*data, 1, TREE_MAX_FILE, f) : 0;
	int read_errno = errno;
	int failed = !*data || ferror(f);
	fclose(f);
	if (failed) {
		fprintf(stderr, "error: %s: cannot read it (%s)\n", path, strerror(read_errno));
		free(*data);
		return -1;
	}
	return 0;
}

int handover_load(struct tool_tree *t, const char *path)
{
	size_t len;

	*t = (struct tool_tree){ 0 };
	if (read_file(path, (char **)&t->fdt, &len) < 0)
		return -1;
	t->size = len;
	int err = len < sizeof(struct fdt_header) ? -FDT_ERR_TRUNCATED : fdt_check_header(t->fdt);
	if (!err && fdt_totalsize(t->fdt) > len)
		err = -FDT_ERR_TRUNCATED;
	if (err) {
		fprintf(stderr, "error: %s: not a valid device tree blob (%s)\n", path,
			fdt_strerror(err));
		handover_free(t);
		return -1;
	}
	return 0;
}

/* Grows the tree once, by what OpenSBI adds before its fix-ups, to add nodes. */
static int make_room(struct tool_tree *t)
{
	if (t->grown)
		return 0;
	size_t size = fdt_totalsize(t->fdt) + TREE_ROOM;
	void *bigger = malloc(size);
	int err = bigger ? fdt_open_into(t->fdt, bigger, (int)size) : -FDT_ERR_NOSPACE;
	if (err) {
		free(bigger);
		return err;
	}
	free(t->fdt);
	t->fdt = bigger;
	t->size = size;
	t->grown = true;
	return 0;
}

void handover_free(struct tool_tree *t)
{
	free(t->fdt);
	t->fdt = NULL;
}

/* A value in `cells` 32-bit cells, as reg wants it; false when it does not fit. */
static bool put_cells(fdt32_t *out, int cells, uint64_t value)
{
	for (int i = cells - 1; i >= 0; i--, value >>= CELL_BITS)
		out[i] = cpu_to_fdt32((uint32_t)value);
	return value == 0;
}

static int reserved_memory_node(void *fdt)
{
	int node = fdt_path_offset(fdt, "/reserved-memory");
	if (node != -FDT_ERR_NOTFOUND)
		return node;
	node = fdt_add_subnode(fdt, 0, "reserved-memory");
	if (node < 0)
		return node;
	int err = fdt_setprop_u32(fdt, node, "#address-cells", (uint32_t)fdt_address_cells(fdt, 0));
	if (!err)
		err = fdt_setprop_u32(fdt, node, "#size-cells", (uint32_t)fdt_size_cells(fdt, 0));
	if (!err)
		err = fdt_setprop_empty(fdt, node, "ranges");
	return err < 0 ? err : node;
}

static int report_fdt_error(const char *what, int err)
{
	fprintf(stderr, "error: cannot add %s to the tree (%s)\n", what, fdt_strerror(err));
	return -1;
}

int handover_add_firmware_reservation(struct tool_tree *t, uint64_t ram_base)
{
	int parent = make_room(t);
	if (parent == 0)
		parent = reserved_memory_node(t->fdt);
	if (parent < 0)
		return report_fdt_error("/reserved-memory", parent);

	char name[NODE_NAME_MAX];
	snprintf(name, sizeof(name), "mmode_resv0@%llx", (unsigned long long)ram_base);
	int node = fdt_add_subnode(t->fdt, parent, name);
	if (node < 0)
		return report_fdt_error(name, node);

	int ac = fdt_address_cells(t->fdt, parent), sc = fdt_size_cells(t->fdt, parent);
	fdt32_t reg[4];
	if (ac < 1 || sc < 1 || ac + sc > 4 || !put_cells(reg, ac, ram_base) ||
	    !put_cells(reg + ac, sc, TOOL_BOOT_FIRMWARE_BYTES))
		return report_fdt_error(name, -FDT_ERR_BADNCELLS);
	int err = fdt_setprop(t->fdt, node, "reg", reg, (int)((ac + sc) * sizeof(reg[0])));
	return err < 0 ? report_fdt_error(name, err) : 0;
}

int handover_add_initrd(struct tool_tree *t, uint64_t start, uint64_t size)
{
	int chosen = make_room(t);
	if (chosen == 0)
		chosen = fdt_path_offset(t->fdt, "/chosen");
	if (chosen == -FDT_ERR_NOTFOUND)
		chosen = fdt_add_subnode(t->fdt, 0, "chosen");
	if (chosen < 0)
		return report_fdt_error("/chosen", chosen);
	int err = fdt_setprop_u64(t->fdt, chosen, "linux,initrd-start", start);
	if (!err)
		err = fdt_setprop_u64(t->fdt, chosen, "linux,initrd-end", start + size);
	return err < 0 ? report_fdt_error("the initrd to /chosen", err) : 0;
}
