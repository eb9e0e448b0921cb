/*
 * Memory inspection commands:
 *   mem             the memory map as a table (base, end, size, type, owner)
 *                   with totals, in the style of U-Boot bdinfo / memblock=debug;
 *                   RAM that no range covers (the part-pages the usable
 *                   ranges leave) gets 'unusable' rows, so the rows add up
 *                   to RAM; then where the heap's chunks are (shell/mem_table.c,
 *                   shared with the host tool buddymon-dt)
 *   dump            free blocks per order of the frames (per zone) and of
 *                   the heap, like /proc/buddyinfo (free_tables.c), then
 *                   the shell's live allocations
 *   dump ADDR [LEN] memory in U-Boot `md` layout; addresses outside RAM are
 *                   refused, access faults are caught and reported
 */
#include <stdio.h>
#include <string.h>

#include "lib/console.h"
#include "lib/platform.h"
#include "shell/command.h"
#include "shell/free_tables.h"
#include "shell/machine.h"
#include "shell/mem_table.h"
#include "shell/memory_report.h"
#include "shell/parse.h"
#include "shell/shell.h"

#define DUMP_DEFAULT_LEN 256
#define DUMP_MAX_LEN 4096
#define DUMP_BYTES_PER_LINE 16
#define DUMP_WORD 4
#define ASCII_FIRST_PRINTABLE 0x20
#define ASCII_LAST_PRINTABLE 0x7e

static enum cmd_result cmd_mem(struct shell *sh, int argc, char **argv)
{
	(void)argc, (void)argv;
	mem_table_print(&((struct machine *)sh->ctx)->mem);
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
