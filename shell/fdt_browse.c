/* The device-tree browser behind `fdt list` and `fdt print` (see fdt_browse.h). */
#include <ctype.h>
#include <string.h>

#include <libfdt.h>

#include "lib/console.h"
#include "lib/dt.h"
#include "shell/fdt_browse.h"
#include "shell/interrupt.h"

#define CELL_BYTES 4
#define MAX_DEPTH 32		/* bound on nesting in a malformed tree */

void fdt_print_path(const void *fdt, int node)
{
	int depth = fdt_node_depth(fdt, node);

	if (depth <= 0) {
		console_puts("/");
		return;
	}
	for (int d = 1; d <= depth; d++) {
		int ancestor = fdt_supernode_atdepth_offset(fdt, node, d, NULL);
		const char *name = ancestor >= 0 ? fdt_get_name(fdt, ancestor, NULL) : NULL;
		console_printf("/%s", name ? name : "?");
	}
}

static void indent(int level)
{
	for (int i = 0; i < level; i++)
		console_puts("\t");
}

/* One or more non-empty NUL-terminated strings of printable characters. */
static bool is_string_list(const char *data, int len)
{
	if (len == 0 || data[len - 1] != '\0' || data[0] == '\0')
		return false;
	for (int i = 0; i < len - 1; i++) {
		if (data[i] == '\0' ? data[i + 1] == '\0' : !isprint((unsigned char)data[i]))
			return false;
	}
	return true;
}

static void print_value(const char *data, int len)
{
	if (is_string_list(data, len)) {
		for (int i = 0; i < len; i += (int)strlen(data + i) + 1)
			console_printf("%s\"%s\"", i ? ", " : "", data + i);
	} else if (len % CELL_BYTES == 0) {
		console_puts("<");
		for (int i = 0; i < len; i += CELL_BYTES)
			console_printf("%s0x%08x", i ? " " : "", (unsigned)dt_read_cells(data + i, 1));
		console_puts(">");
	} else {
		console_puts("[");
		for (int i = 0; i < len; i++)
			console_printf("%s%02x", i ? " " : "", (unsigned char)data[i]);
		console_puts("]");
	}
}

static void print_properties(const void *fdt, int node, int level)
{
	int prop;

	fdt_for_each_property_offset(prop, fdt, node) {
		const char *name;
		int len;
		const char *data = fdt_getprop_by_offset(fdt, prop, &name, &len);
		if (!data)
			continue;
		indent(level);
		if (len == 0) {
			console_printf("%s;\n", name);
			continue;
		}
		console_printf("%s = ", name);
		print_value(data, len);
		console_puts(";\n");
	}
}

/* A node with its properties; its children whole (print) or as names (list). */
static void print_node(const void *fdt, int node, int level, bool subtree)
{
	const char *name = fdt_get_name(fdt, node, NULL);
	int child;

	indent(level);
	console_printf("%s {\n", name && *name ? name : "/");
	print_properties(fdt, node, level + 1);
	fdt_for_each_subnode(child, fdt, node) {
		if (interrupt_requested())
			break;
		if (subtree && level < MAX_DEPTH) {
			print_node(fdt, child, level + 1, true);
		} else {
			indent(level + 1);
			console_printf("%s {\n", fdt_get_name(fdt, child, NULL));
			indent(level + 1);
			console_puts("};\n");
		}
	}
	indent(level);
	console_puts("};\n");
}

bool fdt_browse(const void *fdt, const char *path, bool subtree)
{
	int node = fdt_path_offset(fdt, path);

	if (node == -FDT_ERR_NOTFOUND) {
		console_printf("error: fdt: %s: no such node\n", path);
		return false;
	}
	if (node == -FDT_ERR_BADPATH) {
		console_printf("error: fdt: %s: not a path (one starts with / or an alias)\n", path);
		return false;
	}
	if (node < 0) {
		console_printf("error: fdt: %s: %s\n", path, fdt_strerror(node));
		return false;
	}
	print_node(fdt, node, 0, subtree);
	return true;
}
