/*
 * Device tree helpers over libfdt shared by the console registry, the memory
 * map and the shell: bounded cell reads, `reg` entries translated to CPU
 * physical addresses through the parents' `ranges`, the stdout-path node,
 * and node status. Every read is bounds-checked; errors are -E_BADDT.
 */
#ifndef LIB_DT_H
#define LIB_DT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/*
 * 0 when the `size` bytes at fdt hold a tree libfdt may walk: a header
 * that fits (nothing past `size` is read, however short), libfdt's header
 * checks, a totalsize within `size`, a structure block aligned for
 * libfdt's 32-bit tag reads and a reservation block aligned for its
 * 64-bit entries. Else -E_BADDT.
 */
int dt_check_blob(const void *fdt, size_t size);

/* Reads `count` big-endian cells starting at cells[0] as one number. */
uint64_t dt_read_cells(const void *cells, int count);

/* Number of reg entries of a node, 0 if it has none, or -E_BADDT. */
int dt_reg_count(const void *fdt, int node);
/* Entry `index` of `reg`, translated to a CPU physical address. */
int dt_reg(const void *fdt, int node, int index, uint64_t *addr, uint64_t *size);

/* 32-bit property, or `fallback` when absent or malformed. */
uint32_t dt_u32(const void *fdt, int node, const char *name, uint32_t fallback);
/* 32- or 64-bit property (one or two cells); false when absent or malformed. */
bool dt_u32_or_u64(const void *fdt, int node, const char *name, uint64_t *value);

/* False for status = "disabled" (or anything but "okay"/"ok"). */
bool dt_node_enabled(const void *fdt, int node);

/*
 * The node /chosen/stdout-path (or linux,stdout-path) names, as a full path
 * or an alias, with any ":options" stripped. Returns the node offset or
 * -E_NOENT. *options gets the options text (or NULL).
 */
int dt_stdout_node(const void *fdt, const char **options);

#endif
