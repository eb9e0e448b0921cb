/*
 * map: a picture of RAM, one character per group of frames, 64 to a row,
 * each row headed by its address; a line says where rows without RAM (a
 * hole between banks) are left out. The group is the smallest power of two
 * of frames that draws all RAM in at most MAP_MAX_ROWS rows, so 256 MiB
 * and 16 GiB both fit an 80-column terminal in 32 rows.
 *
 * A character says what the bytes of its group are, from the memory map
 * (reserved, bad, RAM at all), the frame allocator's free lists and caches
 * (free_walk.c), the heap's chunks and the shell's allocation table; what
 * is left of a usable range is frames the firmware allocated. A group
 * holding any of the shell's allocations is 'S', so that even a small one
 * can be found; otherwise the kind with the most bytes names the group.
 * Capitals say no byte of the group is free, lower case that some are; a
 * group with nothing allocated is free ('.') or, when most of it sits in
 * the caches, cached ('c'). Any bad byte makes the group 'X'. The picture
 * is built a row at a time, so the command needs no memory beyond its
 * stack and changes nothing.
 */
#include <string.h>

#include "lib/console.h"
#include "lib/format.h"
#include "shell/command.h"
#include "shell/free_walk.h"
#include "shell/machine.h"
#include "shell/shell.h"

#define MAP_COLUMNS 64
#define MAP_MAX_ROWS 32
#define MAP_BAD_OWNER "bad"	/* memory map owner of RAM found faulty */

enum map_kind {
	KIND_RAM,		/* bytes of RAM in the group */
	KIND_USABLE,		/* of which in usable ranges */
	KIND_BAD,
	KIND_FREE,		/* on the frames' free lists */
	KIND_CACHED,		/* in the frames' caches */
	KIND_HEAP,		/* heap chunks and their metadata */
	KIND_SHELL_FRAMES,	/* shell allocations from the frames */
	KIND_SHELL_HEAP,	/* shell allocations from the heap (inside chunks) */
	KIND_COUNT
};

struct map_row {
	uint64_t base;		/* of the first group */
	uint64_t group_bytes;
	uint64_t bytes[MAP_COLUMNS][KIND_COUNT];
};

/* Adds the bytes [base, base + size) that fall in the row to kind. */
static void row_add(struct map_row *row, enum map_kind kind, uint64_t base, uint64_t size)
{
	uint64_t row_end = row->base + MAP_COLUMNS * row->group_bytes;
	uint64_t lo = base > row->base ? base : row->base;
	uint64_t hi = size > row_end - base ? row_end : base + size;

	if (base >= row_end || lo >= hi)
		return;
	for (uint64_t at = lo; at < hi;) {
		unsigned col = (unsigned)((at - row->base) / row->group_bytes);
		uint64_t group_end = row->base + (col + 1) * row->group_bytes;
		uint64_t end = hi < group_end ? hi : group_end;

		row->bytes[col][kind] += end - at;
		at = end;
	}
}

static void row_add_list(struct map_row *row, enum map_kind kind, const struct mem_list *l,
			 const char *only_owner)
{
	for (unsigned i = 0; i < l->count; i++)
		if (!only_owner || strcmp(l->r[i].owner, only_owner) == 0)
			row_add(row, kind, l->r[i].base, l->r[i].size);
}

static void add_free_block(void *ctx, uintptr_t addr, uint64_t bytes, bool cached)
{
	row_add(ctx, cached ? KIND_CACHED : KIND_FREE, addr, bytes);
}

static void row_add_heap(struct map_row *row, const struct heap *h)
{
	for (unsigned i = 0; i < h->nslots; i++) {
		const struct heap_chunk *c = &h->chunks[i];

		if (!c->live || !c->from_frames)
			continue;
		row_add(row, KIND_HEAP, buddy_unit_addr(&c->zone, c->zone.first),
			c->zone.count << HEAP_GRANULE_SHIFT);
		row_add(row, KIND_HEAP, c->meta, c->meta_bytes);
	}
}

static void row_fill(struct map_row *row, const struct machine *m)
{
	const struct memmap *map = &m->mem.map;

	memset(row->bytes, 0, sizeof(row->bytes));
	row_add_list(row, KIND_RAM, &map->banks, NULL);
	row_add_list(row, KIND_USABLE, &map->usable, NULL);
	row_add_list(row, KIND_BAD, &map->reserved, MAP_BAD_OWNER);
	frames_walk_free(&m->mem.frames, add_free_block, row);
	row_add_heap(row, &m->mem.heap);
	for (unsigned i = 0; i < m->allocs.count; i++) {
		const struct alloc_entry *e = &m->allocs.e[i];

		row_add(row, e->kind == ALLOC_HEAP ? KIND_SHELL_HEAP : KIND_SHELL_FRAMES,
			e->addr, e->size);
	}
}

/* The allocated kinds a group can show, with their characters. */
struct used_kind {
	char full;		/* no byte of the group free */
	char partly;
	uint64_t bytes;
};

static uint64_t less(uint64_t a, uint64_t b)
{
	return a > b ? a - b : 0;
}

static char group_char(const uint64_t *b)
{
	uint64_t ram = b[KIND_RAM], free = b[KIND_FREE] + b[KIND_CACHED];
	uint64_t shell = b[KIND_SHELL_FRAMES] + b[KIND_SHELL_HEAP];
	const struct used_kind used[] = {
		{ 'S', 's', shell },		/* first: shown whenever present */
		{ 'H', 'h', less(b[KIND_HEAP], b[KIND_SHELL_HEAP]) },
		{ 'F', 'f', less(b[KIND_USABLE], free + b[KIND_HEAP] + b[KIND_SHELL_FRAMES]) },
		{ 'R', 'r', less(ram, b[KIND_USABLE] + b[KIND_BAD]) },
	};
	const struct used_kind *most = &used[0];

	if (ram == 0)
		return ' ';
	if (b[KIND_BAD])
		return 'X';
	for (unsigned i = 1; i < sizeof(used) / sizeof(used[0]) && !shell; i++)
		if (used[i].bytes > most->bytes)
			most = &used[i];
	if (most->bytes == 0)
		return b[KIND_CACHED] > b[KIND_FREE] ? 'c' : '.';
	return free ? most->partly : most->full;
}

/* Smallest power-of-two group of frames that draws [lo, hi) in MAP_MAX_ROWS rows. */
static uint64_t group_bytes_for(uint64_t lo, uint64_t hi)
{
	uint64_t group = FRAME_SIZE;

	for (;;) {
		uint64_t row_bytes = group * MAP_COLUMNS;
		uint64_t first_row = lo & ~(group - 1);	/* where cmd_map starts */

		if ((hi - first_row + row_bytes - 1) / row_bytes <= MAP_MAX_ROWS)
			return group;
		group *= 2;
	}
}

static bool row_has_ram(const struct map_row *row)
{
	for (unsigned col = 0; col < MAP_COLUMNS; col++)
		if (row->bytes[col][KIND_RAM])
			return true;
	return false;
}

static void print_legend(uint64_t group_bytes)
{
	char human[FORMAT_SIZE_MAX];

	format_size(human, sizeof(human), group_bytes);
	console_printf("one character = %s (%llu frames), %u per row\n", human,
		       (unsigned long long)(group_bytes / FRAME_SIZE), MAP_COLUMNS);
	console_puts(". free  c cached  S shell  H heap  F frames (firmware)  R reserved  X bad\n"
		     "lower case: partly free; S wherever the shell allocated, else the kind\n"
		     "with the most bytes names the group\n");
}

static enum cmd_result cmd_map(struct shell *sh, int argc, char **argv)
{
	const struct machine *m = sh->ctx;
	const struct mem_list *banks = &m->mem.map.banks;
	struct map_row row;

	(void)argc, (void)argv;
	if (banks->count == 0) {
		console_puts("error: map: no RAM in the memory map\n");
		return CMD_FAIL;
	}
	uint64_t lo = banks->r[0].base, hi = 0;
	for (unsigned i = 0; i < banks->count; i++)
		if (banks->r[i].base + banks->r[i].size > hi)
			hi = banks->r[i].base + banks->r[i].size;
	row.group_bytes = group_bytes_for(lo, hi);
	print_legend(row.group_bytes);
	uint64_t hole = 0;	/* start of rows without RAM, 0 if none */
	for (row.base = lo & ~(row.group_bytes - 1); row.base < hi;
	     row.base += MAP_COLUMNS * row.group_bytes) {
		char text[MAP_COLUMNS + 1];

		row_fill(&row, m);
		if (!row_has_ram(&row)) {
			hole = hole ? hole : row.base;
			continue;
		}
		if (hole)
			console_printf("0x%010llx (no RAM up to here)\n", (unsigned long long)hole);
		hole = 0;
		for (unsigned col = 0; col < MAP_COLUMNS; col++)
			text[col] = group_char(row.bytes[col]);
		text[MAP_COLUMNS] = '\0';
		console_printf("0x%010llx %s\n", (unsigned long long)row.base, text);
	}
	return CMD_OK;
}

static const struct command map_commands[] = {
	{ "map", 0, 0, cmd_map, "draw RAM: free, allocated, cached, reserved", "" },
};

const struct command_group cmd_map_group = COMMAND_GROUP(map_commands);
