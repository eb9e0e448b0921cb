/*
 * Memory inspection commands:
 *   mem             the memory map as a table (base, end, size, type, owner)
 *                   with totals, in the style of U-Boot bdinfo / memblock=debug;
 *                   RAM that no range covers (the part-pages the usable
 *                   ranges leave) gets 'unusable' rows, so the rows add up
 *                   to RAM; then where the heap's chunks are
 *   dump            free blocks per order of the frames (per zone) and of
 *                   the heap, like /proc/buddyinfo (free_tables.c), then
 *                   the shell's live allocations
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
#include "shell/free_tables.h"
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

#define HUMAN_WIDTH 11		/* "1023.99 MiB" */
#define UNUSABLE_OWNER "part-page"	/* RAM in no row: too small to use */

static void print_row(uint64_t base, uint64_t size, const char *type, const char *owner)
{
	char human[FORMAT_SIZE_MAX];

	format_size(human, sizeof(human), size);
	console_printf("0x%016llx  0x%016llx  0x%010llx %*s  %-8s  %s\n",
		       (unsigned long long)base, (unsigned long long)(base + size),
		       (unsigned long long)size, HUMAN_WIDTH, human, type, owner);
}

static void print_total(const char *name, uint64_t bytes)
{
	char human[FORMAT_SIZE_MAX];

	format_size(human, sizeof(human), bytes);
	console_printf("%-9s %llu bytes (%s)\n", name, (unsigned long long)bytes, human);
}

/*
 * RAM in [from, to) that no usable or reserved row covers: the pieces of
 * pages the usable ranges leave when they are aligned inwards (after the
 * DTB, say). Printed as rows of their own so that the rows add up to RAM;
 * returns their bytes.
 */
static uint64_t print_uncovered(const struct memmap *map, uint64_t from, uint64_t to)
{
	uint64_t bytes = 0;

	for (unsigned i = 0; i < map->banks.count && from < to; i++) {
		const struct mem_region *b = &map->banks.r[i];
		uint64_t lo = from > b->base ? from : b->base;
		uint64_t hi = to < b->base + b->size ? to : b->base + b->size;

		if (lo < hi) {
			print_row(lo, hi - lo, "unusable", UNUSABLE_OWNER);
			bytes += hi - lo;
		}
	}
	return bytes;
}

/* Where the heap lives: each chunk (a frames allocation inside a usable
 * row) and its metadata frames. */
static void print_heap_chunks(const struct heap *h)
{
	for (unsigned i = 0; i < h->nslots; i++) {
		const struct heap_chunk *c = &h->chunks[i];
		char human[FORMAT_SIZE_MAX];

		if (!c->live)
			continue;
		format_size(human, sizeof(human), c->zone.count << HEAP_GRANULE_SHIFT);
		console_printf("heap chunk: 0x%016llx  0x%016llx  %s",
			       (unsigned long long)buddy_unit_addr(&c->zone, c->zone.first),
			       (unsigned long long)buddy_unit_addr(&c->zone, c->zone.first + c->zone.count),
			       human);
		if (c->from_frames) {
			format_size(human, sizeof(human), c->meta_bytes);
			console_printf(", metadata 0x%llx (%s)", (unsigned long long)c->meta, human);
		}
		console_puts("\n");
	}
}

static enum cmd_result cmd_mem(struct shell *sh, int argc, char **argv)
{
	const struct machine *m = sh->ctx;
	const struct memmap *map = &m->mem.map;
	unsigned u = 0, r = 0;
	uint64_t covered = map->banks.count ? map->banks.r[0].base : 0, unusable = 0;

	(void)argc, (void)argv;
	console_printf("%-18s  %-18s  %-12s %*s  %-8s  %s\n", "base", "end", "size",
		       HUMAN_WIDTH, "(human)", "type", "owner");
	while (u < map->usable.count || r < map->reserved.count) {
		bool take_usable = r == map->reserved.count ||
				   (u < map->usable.count &&
				    map->usable.r[u].base < map->reserved.r[r].base);
		const struct mem_region *row = take_usable ? &map->usable.r[u++] :
							     &map->reserved.r[r++];

		unusable += print_uncovered(map, covered, row->base);
		print_row(row->base, row->size, take_usable ? "usable" : "reserved", row->owner);
		if (row->base + row->size > covered)
			covered = row->base + row->size;
	}
	unusable += print_uncovered(map, covered, UINT64_MAX);
	for (unsigned i = 0; i < map->size_only.count; i++)
		console_printf("size-only reservation: %s size 0x%llx align 0x%llx (no address)\n",
			       map->size_only.r[i].owner,
			       (unsigned long long)map->size_only.r[i].size,
			       (unsigned long long)map->size_only.r[i].align);
	print_heap_chunks(&m->mem.heap);
	print_total("ram:", mem_list_total(&map->banks));
	print_total("usable:", mem_list_total(&map->usable));
	print_total("reserved:", memmap_reserved_in_ram(map));
	print_total("unusable:", unusable);
	memory_report_losses(&((struct machine *)sh->ctx)->mem);
	return CMD_OK;
}

static void dump_free_tables(const struct machine *m)
{
	print_free_tables(&m->mem);
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
