/*
 * Memory inspection commands:
 *   mem             the memory map as a table (base, end, size, type, owner)
 *                   with totals, in the style of U-Boot bdinfo / memblock=debug
 *   dump            free blocks per order of the frames (per zone, like
 *                   /proc/buddyinfo) and of the heap, each followed by the
 *                   blocks its caches hold (free, not yet merged), then the
 *                   shell's live allocations
 *   dump ADDR [LEN] memory in U-Boot `md` layout; addresses outside RAM are
 *                   refused, access faults are caught and reported
 */
#include <stdio.h>
#include <string.h>

#include "lib/console.h"
#include "lib/errors.h"
#include "lib/format.h"
#include "lib/platform.h"
#include "shell/command.h"
#include "shell/machine.h"
#include "shell/memory_report.h"
#include "shell/parse.h"
#include "shell/shell.h"

#define DUMP_DEFAULT_LEN 256
#define DUMP_MAX_LEN 4096
#define DUMP_BYTES_PER_LINE 16
#define DUMP_WORD 4
#define ASCII_FIRST_PRINTABLE 0x20
#define ASCII_LAST_PRINTABLE 0x7e

static void print_region_row(const struct mem_region *r, const char *type)
{
	char human[FORMAT_SIZE_MAX];

	format_size(human, sizeof(human), r->size);
	console_printf("0x%016llx  0x%016llx  0x%010llx %10s  %-8s  %s\n",
		       (unsigned long long)r->base, (unsigned long long)(r->base + r->size),
		       (unsigned long long)r->size, human, type, r->owner);
}

static void print_total(const char *name, uint64_t bytes)
{
	char human[FORMAT_SIZE_MAX];

	format_size(human, sizeof(human), bytes);
	console_printf("%-9s %llu bytes (%s)\n", name, (unsigned long long)bytes, human);
}

static enum cmd_result cmd_mem(struct shell *sh, int argc, char **argv)
{
	const struct memmap *map = &((struct machine *)sh->ctx)->mem.map;
	unsigned u = 0, r = 0;

	(void)argc, (void)argv;
	console_printf("%-18s  %-18s  %-12s %10s  %-8s  %s\n", "base", "end", "size", "(human)",
		       "type", "owner");
	while (u < map->usable.count || r < map->reserved.count) {
		bool take_usable = r == map->reserved.count ||
				   (u < map->usable.count &&
				    map->usable.r[u].base < map->reserved.r[r].base);
		if (take_usable)
			print_region_row(&map->usable.r[u++], "usable");
		else
			print_region_row(&map->reserved.r[r++], "reserved");
	}
	for (unsigned i = 0; i < map->size_only.count; i++)
		console_printf("size-only reservation: %s size 0x%llx align 0x%llx (no address)\n",
			       map->size_only.r[i].owner,
			       (unsigned long long)map->size_only.r[i].size,
			       (unsigned long long)map->size_only.r[i].align);
	print_total("ram:", mem_list_total(&map->banks));
	print_total("usable:", mem_list_total(&map->usable));
	print_total("reserved:", memmap_reserved_in_ram(map));
	memory_report_losses(&((struct machine *)sh->ctx)->mem);
	return CMD_OK;
}

/* One row: a label, then block counts for orders 0..highest. */
static void print_order_row(const char *label, const uint64_t *counts, unsigned orders)
{
	unsigned highest = 0;

	for (unsigned k = 0; k < orders; k++)
		if (counts[k])
			highest = k;
	console_printf("%-25s", label);
	for (unsigned k = 0; k <= highest; k++)
		console_printf(" %llu", (unsigned long long)counts[k]);
	console_puts("\n");
}

/* The cached blocks per order below a free row, when there are any. */
static void print_cached_row(const uint64_t *counts)
{
	for (unsigned k = 0; k < BUDDY_CACHE_ORDERS; k++)
		if (counts[k]) {
			print_order_row("  cached", counts, BUDDY_CACHE_ORDERS);
			return;
		}
}

static void dump_free_tables(const struct machine *m)
{
	struct frame_stats fs;
	struct heap_stats hs;

	frames_stats(&m->mem.frames, &fs);
	console_puts("free blocks per order, order 0 first (frames: 4 KiB units, heap: 16 B);\n"
		     "'cached' rows: blocks the caches hold, free but not merged\n");
	for (unsigned z = 0; z < fs.zones; z++) {
		uint64_t counts[BUDDY_ORDERS];
		char label[FORMAT_SIZE_MAX + 16];
		for (unsigned k = 0; k < BUDDY_ORDERS; k++)
			counts[k] = fs.zone[z].free_blocks[k];
		snprintf(label, sizeof(label), "frames 0x%lx", (unsigned long)fs.zone[z].base);
		print_order_row(label, counts, BUDDY_ORDERS);
		print_cached_row(fs.zone[z].cached_blocks);
	}
	heap_stats(&m->mem.heap, &hs);
	print_order_row("heap", hs.free_blocks, BUDDY_ORDERS);
	print_cached_row(hs.cached_blocks);
	console_printf("shell allocations: %u\n", m->allocs.count);
	for (unsigned i = 0; i < m->allocs.count; i++)
		console_printf("  0x%016lx %12llu %s\n", (unsigned long)m->allocs.e[i].addr,
			       (unsigned long long)m->allocs.e[i].size,
			       alloc_kind_name(m->allocs.e[i].kind));
}

static void print_ascii(const uint8_t *bytes, unsigned n)
{
	char text[DUMP_BYTES_PER_LINE + 1];

	for (unsigned i = 0; i < n; i++)
		text[i] = bytes[i] >= ASCII_FIRST_PRINTABLE && bytes[i] <= ASCII_LAST_PRINTABLE ?
			  (char)bytes[i] : '.';
	text[n] = '\0';
	console_printf("    %s\n", text);
}

static enum cmd_result dump_memory(const struct machine *m, uint64_t addr, uint64_t len)
{
	if (addr % DUMP_WORD || len % DUMP_WORD || len == 0 || len > DUMP_MAX_LEN) {
		console_printf("error: dump: ADDR and LEN must be multiples of %u, LEN at most %u\n",
			       DUMP_WORD, DUMP_MAX_LEN);
		return CMD_FAIL;
	}
	if (!memmap_inside_ram(&m->mem.map, addr, len)) {
		console_printf("error: dump: 0x%llx+%llu is outside RAM\n",
			       (unsigned long long)addr, (unsigned long long)len);
		return CMD_FAIL;
	}
	for (uint64_t line = 0; line < len; line += DUMP_BYTES_PER_LINE) {
		uint8_t bytes[DUMP_BYTES_PER_LINE];
		unsigned n = len - line < DUMP_BYTES_PER_LINE ? (unsigned)(len - line) :
								DUMP_BYTES_PER_LINE;
		console_printf("%08llx:", (unsigned long long)(addr + line));
		for (unsigned w = 0; w < n; w += DUMP_WORD) {
			uint32_t word;
			if (platform_read32((uintptr_t)(addr + line + w), &word) < 0) {
				console_printf("\nerror: dump: access fault at 0x%llx\n",
					       (unsigned long long)(addr + line + w));
				return CMD_FAIL;
			}
			memcpy(bytes + w, &word, sizeof(word));
			console_printf(" %08x", word);
		}
		for (unsigned pad = n; pad < DUMP_BYTES_PER_LINE; pad += DUMP_WORD)
			console_puts("         ");
		print_ascii(bytes, n);
	}
	return CMD_OK;
}

static enum cmd_result cmd_dump(struct shell *sh, int argc, char **argv)
{
	const struct machine *m = sh->ctx;
	uint64_t addr, len = DUMP_DEFAULT_LEN;

	if (argc == 1) {
		if (!memory_require(&m->mem, argv[0]))
			return CMD_FAIL;
		dump_free_tables(m);
		return CMD_OK;
	}
	if (arg_u64("ADDR", argv[1], &addr) || (argc > 2 && arg_size("LEN", argv[2], &len)))
		return CMD_FAIL;
	return dump_memory(m, addr, len);
}

static const struct command mem_commands[] = {
	{ "mem", 0, 0, cmd_mem, "show the memory map", "" },
	{ "dump", 0, 2, cmd_dump, "free tables and allocations, or memory at ADDR",
	  "[ADDR [LEN]]\n"
	  "  no ADDR   free blocks per order (frames and heap), shell allocations\n"
	  "  ADDR LEN  LEN bytes (default 256, at most 4096) in md layout" },
};

const struct command_group cmd_mem_group = COMMAND_GROUP(mem_commands);
