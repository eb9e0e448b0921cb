/*
 * Browsing the device tree from the shell, in the notation of dtc and
 * U-Boot's `fdt print`: `fdt list PATH` shows a node's properties and the
 * names of its children, `fdt print PATH` the whole subtree. Values print
 * as strings ("a", "b"), cells (<0x00000001 0x00000002>) or bytes
 * ([01 02 03]), whichever the bytes are. Paths print whole at any length.
 */
#ifndef SHELL_FDT_BROWSE_H
#define SHELL_FDT_BROWSE_H

#include <stdbool.h>

/* Prints the node at path (or alias); false after an "error: fdt: ..." line. */
bool fdt_browse(const void *fdt, const char *path, bool subtree);

/* The full path of a node, however long ("/soc/serial@10000000"). */
void fdt_print_path(const void *fdt, int node);

#endif
