/*
 * libFuzzer harness for the device-tree code: each input is a blob handed
 * to memmap_from_dt with its exact size (in a buffer of that size, so ASan
 * catches any read past it, even of a header the input is too short for),
 * then, when the map came up, reservations and a take on top of it. The
 * map's invariants (tests/host/support/memmap_check.h) are checked after
 * each step. When the blob passes dt_check_blob, the
 * console choice (dt_stdout_node, uart_choose) runs, and dt_reg reads
 * every entry of every node. Seeded with the trees of dts/ and the board
 * trees (fuzz.mk).
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <libfdt.h>

#include "drivers/uart/uart.h"
#include "lib/dt.h"
#include "mm/memmap.h"
#include "tests/host/support/memmap_check.h"

#define NODES_MAX 4096		/* bound on the node walk of one input */

static struct memmap map;

static void check(const struct memmap *m)
{
	if (memmap_check_invariants(m))
		abort();
}

static void fuzz_memmap(const void *fdt, size_t size)
{
	uint64_t addr;

	if (memmap_from_dt(&map, fdt, size) < 0) {
		if (map.usable.count || map.banks.count)
			abort();	/* an error leaves an empty map */
		return;
	}
	check(&map);
	memmap_reserve(&map, 0x80200000, 0x40000, "payload");
	check(&map);
	if (memmap_take(&map, 0x6000, MEMMAP_PAGE_SIZE, "frame-metadata", &addr) == 0 &&
	    (addr % MEMMAP_PAGE_SIZE || addr == 0))
		abort();
	check(&map);
}

static void fuzz_nodes(const void *fdt)
{
	int node = 0, depth = 0, count = 0;
	const char *options;
	struct uart_choice choice;

	dt_stdout_node(fdt, &options);
	uart_choose(fdt, &choice);
	while (node >= 0 && count++ < NODES_MAX) {
		int entries = dt_reg_count(fdt, node);
		for (int i = 0; i < entries; i++) {
			uint64_t base, size;
			dt_reg(fdt, node, i, &base, &size);
		}
		dt_node_enabled(fdt, node);
		node = fdt_next_node(fdt, node, &depth);
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	uint8_t *blob = malloc(size ? size : 1);

	memcpy(blob, data, size);
	fuzz_memmap(blob, size);
	if (dt_check_blob(blob, size) == 0)
		fuzz_nodes(blob);
	free(blob);
	return 0;
}
