/*
 * Allocation commands on the frame allocator and the heap:
 *   alloc SIZE [ALIGN]       heap block, prints address and usable size
 *   alloc -p COUNT [ALIGN]   COUNT contiguous 4 KiB frames
 *   free ADDR | free -a      frees what the shell allocated, whichever
 *                            allocator owns it; anything else is refused
 *                            with the owning allocator's reason, or
 *                            "already free" for an address in a free block
 *   fill ADDR LEN BYTE       writes a byte pattern inside a shell allocation
 */
#include <string.h>

#include "lib/console.h"
#include "lib/errors.h"
#include "lib/format.h"
#include "shell/command.h"
#include "shell/free_walk.h"
#include "shell/machine.h"
#include "shell/memory_report.h"
#include "shell/parse.h"
#include "shell/shell.h"

#define HEAP_DEFAULT_ALIGN HEAP_GRANULE
#define BYTE_MAX 0xff

static bool is_power_of_two(uint64_t x)
{
	return x && !(x & (x - 1));
}

/* Parses an optional ALIGN argument: a power of two, at least `minimum`. */
static int parse_align(int argc, char **argv, int index, uint64_t minimum, uint64_t *align)
{
	*align = minimum;
	if (argc <= index)
		return 0;
	if (arg_size("ALIGN", argv[index], align))
		return -E_INVAL;
	if (!is_power_of_two(*align) || *align < minimum) {
		console_printf("error: bad ALIGN '%s': must be a power of two >= %llu\n",
			       argv[index], (unsigned long long)minimum);
		return -E_ALIGN;
	}
	return 0;
}

/* Checked before allocating, so a refused alloc changes nothing. */
static bool table_has_room(const struct machine *m)
{
	if (alloc_table_has_room(&m->allocs))
		return true;
	console_printf("error: alloc: the shell tracks at most %u live allocations; free some first\n",
		       ALLOC_TABLE_MAX);
	return false;
}

static const char *frames_word(uint64_t count)
{
	return count == 1 ? "frame" : "frames";
}

/* The largest free blocks, for out-of-memory errors: a heap request may
 * also be served by a new chunk from the frames. */
static void print_largest_free(const struct machine *m, bool with_heap)
{
	struct frame_stats fs;
	struct heap_stats hs;
	char human[FORMAT_SIZE_MAX];

	frames_stats(&m->mem.frames, &fs);
	console_puts(" (largest free block:");
	if (with_heap) {
		heap_stats(&m->mem.heap, &hs);
		format_size(human, sizeof(human), hs.largest_free_bytes);
		console_printf(" heap %s,", human);
	}
	format_size(human, sizeof(human), fs.largest_free_bytes);
	console_printf(" frames %s)\n", human);
}

static enum cmd_result alloc_frames(struct machine *m, int argc, char **argv)
{
	uint64_t count, align;
	uintptr_t addr;

	if (argc < 3 || argc > 4)
		return CMD_USAGE;
	if (arg_u64("COUNT", argv[2], &count) || parse_align(argc, argv, 3, FRAME_SIZE, &align))
		return CMD_FAIL;
	if (count == 0) {
		console_printf("error: bad COUNT '%s': must be at least 1\n", argv[2]);
		return CMD_FAIL;
	}
	if (!table_has_room(m))
		return CMD_FAIL;
	int err = frames_alloc(&m->mem.frames, count, align, &addr);
	if (err < 0) {
		console_printf("error: alloc: %llu %s: %s", (unsigned long long)count,
			       frames_word(count), err_str(err));
		if (err == -E_NOMEM)
			print_largest_free(m, false);
		else
			console_puts("\n");
		return CMD_FAIL;
	}
	alloc_table_add(&m->allocs, addr, count * FRAME_SIZE, ALLOC_FRAMES);
	console_printf("frames 0x%lx size %llu\n", (unsigned long)addr,
		       (unsigned long long)(count * FRAME_SIZE));
	return CMD_OK;
}

static enum cmd_result cmd_alloc(struct shell *sh, int argc, char **argv)
{
	struct machine *m = sh->ctx;
	uint64_t size, align;
	size_t usable;

	if (!memory_require(&m->mem, argv[0]))
		return CMD_FAIL;
	if (!strcmp(argv[1], "-p"))
		return alloc_frames(m, argc, argv);
	if (argc > 3)
		return CMD_USAGE;
	if (arg_size("SIZE", argv[1], &size) || parse_align(argc, argv, 2, 1, &align))
		return CMD_FAIL;
	if (size == 0) {
		console_printf("error: bad SIZE '%s': must be at least 1\n", argv[1]);
		return CMD_FAIL;
	}
	if (!table_has_room(m))
		return CMD_FAIL;
	void *p = size > SIZE_MAX ? NULL :
		  heap_alloc_aligned(&m->mem.heap, (size_t)size,
				     align < HEAP_DEFAULT_ALIGN ? HEAP_DEFAULT_ALIGN : (size_t)align);
	if (!p) {
		console_printf("error: alloc: %llu bytes aligned to %llu: out of memory",
			       (unsigned long long)size, (unsigned long long)align);
		print_largest_free(m, true);
		return CMD_FAIL;
	}
	heap_usable_size(&m->mem.heap, p, &usable);
	alloc_table_add(&m->allocs, (uintptr_t)p, size, ALLOC_HEAP);
	console_printf("heap 0x%lx usable %zu\n", (unsigned long)(uintptr_t)p, usable);
	return CMD_OK;
}

static int free_entry(struct machine *m, struct alloc_entry *e)
{
	int err = e->kind == ALLOC_HEAP ? heap_free(&m->mem.heap, (void *)e->addr) :
					  frames_free(&m->mem.frames, e->addr);
	if (err == 0)
		alloc_table_remove(&m->allocs, e);
	return err;
}

/*
 * Why addr cannot be freed from the shell, in the owning allocator's words;
 * -E_BUSY when it is live but the firmware's own (a heap chunk, its metadata
 * frames, a heap block the firmware allocated).
 */
static int refusal_reason(const struct machine *m, uintptr_t addr)
{
	size_t usable;
	uint64_t bytes;

	if (heap_owns(&m->mem.heap, addr)) {
		int err = heap_usable_size(&m->mem.heap, (const void *)addr, &usable);
		return err == 0 || err == -E_OUTSIDE ? -E_BUSY : err;
	}
	int err = frames_block_size(&m->mem.frames, addr, &bytes);
	return err < 0 ? err : -E_BUSY;
}

static enum cmd_result free_all(struct machine *m)
{
	unsigned freed = 0;

	while (m->allocs.count) {
		struct alloc_entry *e = &m->allocs.e[m->allocs.count - 1];
		int err = free_entry(m, e);
		if (err < 0) {
			console_printf("error: free: 0x%lx: %s\n", (unsigned long)e->addr,
				       err_str(err));
			return CMD_FAIL;
		}
		freed++;
	}
	console_printf("freed %u allocations\n", freed);
	return CMD_OK;
}

static enum cmd_result cmd_free(struct shell *sh, int argc, char **argv)
{
	struct machine *m = sh->ctx;
	uint64_t addr;

	if (!memory_require(&m->mem, argv[0]))
		return CMD_FAIL;
	(void)argc;
	if (!strcmp(argv[1], "-a"))
		return free_all(m);
	if (arg_u64("ADDR", argv[1], &addr))
		return CMD_FAIL;
	struct alloc_entry *e = alloc_table_find(&m->allocs, (uintptr_t)addr);
	int err = e ? free_entry(m, e) : refusal_reason(m, (uintptr_t)addr);
	if (err == -E_BUSY) {
		console_printf("error: free: 0x%llx: in use by the firmware, not allocated from the shell\n",
			       (unsigned long long)addr);
		return CMD_FAIL;
	}
	if (err < 0) {
		console_printf("error: free: 0x%llx: %s\n", (unsigned long long)addr,
			       err == -E_NOTALLOC && memory_addr_is_free(&m->mem, (uintptr_t)addr) ?
			       "already free" : err_str(err));
		return CMD_FAIL;
	}
	console_printf("freed 0x%llx\n", (unsigned long long)addr);
	return CMD_OK;
}

static enum cmd_result cmd_fill(struct shell *sh, int argc, char **argv)
{
	struct machine *m = sh->ctx;
	uint64_t addr, len, byte;

	if (!memory_require(&m->mem, argv[0]))
		return CMD_FAIL;
	(void)argc;
	if (arg_u64("ADDR", argv[1], &addr) || arg_size("LEN", argv[2], &len) ||
	    arg_u64("BYTE", argv[3], &byte))
		return CMD_FAIL;
	if (byte > BYTE_MAX) {
		console_printf("error: bad BYTE '%s': must be 0..255\n", argv[3]);
		return CMD_FAIL;
	}
	if (len == 0 || !alloc_table_holding(&m->allocs, (uintptr_t)addr, len)) {
		console_printf("error: fill: 0x%llx+%llu is not inside a live allocation made from the shell\n",
			       (unsigned long long)addr, (unsigned long long)len);
		return CMD_FAIL;
	}
	memset((void *)(uintptr_t)addr, (int)byte, (size_t)len);
	console_printf("filled 0x%llx+%llu with 0x%02x\n", (unsigned long long)addr,
		       (unsigned long long)len, (unsigned)byte);
	return CMD_OK;
}

/* The options of alloc and free, for Tab. */
static const char *complete_option(const char *option, int argc, size_t index)
{
	return argc == 1 && index == 0 ? option : NULL;
}

static const char *complete_alloc(const struct shell *sh, int argc, char **argv, size_t index)
{
	(void)sh, (void)argv;
	return complete_option("-p", argc, index);
}

static const char *complete_free(const struct shell *sh, int argc, char **argv, size_t index)
{
	(void)sh, (void)argv;
	return complete_option("-a", argc, index);
}

static const struct command alloc_commands[] = {
	{ "alloc", 1, 3, cmd_alloc, "allocate from the heap, or frames with -p",
	  "SIZE [ALIGN] | -p COUNT [ALIGN]\n"
	  "  SIZE [ALIGN]     heap block of SIZE bytes (K/M/G suffixes), ALIGN a power of two\n"
	  "  -p COUNT [ALIGN] COUNT contiguous 4 KiB frames, ALIGN a power of two >= 4K" },
	{ "free", 1, 1, cmd_free, "free a shell allocation (heap or frames)",
	  "ADDR | -a\n"
	  "  ADDR  an address printed by alloc\n"
	  "  -a    every allocation made from the shell" },
	{ "fill", 3, 3, cmd_fill, "fill part of a shell allocation with a byte",
	  "ADDR LEN BYTE" },
};

static const struct command_completion alloc_completions[] = {
	{ "alloc", complete_alloc },
	{ "free", complete_free },
};

const struct command_group cmd_alloc_group =
	COMMAND_GROUP_COMPLETING(alloc_commands, alloc_completions);
