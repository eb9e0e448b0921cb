/*
 * Allocator health: `stats` prints "name: value" lines whose names are a
 * stable interface for scripts; `check` runs both allocators' invariant
 * walks and prints "ok" or the first violation. Free figures count memory
 * any allocation can get: blocks on the free lists, blocks held in the
 * per-order caches (also given as *_cached) and deferred tails
 * (*_deferred), which an allocation that would otherwise fail reclaims.
 * `poison` switches the heap's write-after-free detection.
 */
#include <string.h>

#include "lib/console.h"
#include "shell/allocator_check.h"
#include "shell/command.h"
#include "shell/machine.h"
#include "shell/memory_report.h"
#include "shell/shell.h"

static void stat_line(const char *name, uint64_t value)
{
	console_printf("%s: %llu\n", name, (unsigned long long)value);
}

static void print_memory_stats(const struct memmap *map)
{
	stat_line("ram_bytes", mem_list_total(&map->banks));
	stat_line("usable_bytes", mem_list_total(&map->usable));
	stat_line("reserved_bytes", memmap_reserved_in_ram(map));
}

static void print_frame_stats(const struct frames *f)
{
	struct frame_stats st;
	uint64_t free_blocks = 0;

	frames_stats(f, &st);
	for (unsigned z = 0; z < st.zones; z++)
		for (unsigned k = 0; k < BUDDY_ORDERS; k++)
			free_blocks += st.zone[z].free_blocks[k];
	stat_line("frames_zones", st.zones);
	stat_line("frames_total", st.total_frames);
	stat_line("frames_free", st.free_frames);
	stat_line("frames_free_bytes", st.free_frames * FRAME_SIZE);
	stat_line("frames_cached", st.cached_frames);
	stat_line("frames_deferred", st.deferred_frames);
	stat_line("frames_free_blocks", free_blocks);
	stat_line("frames_largest_free_bytes", st.largest_free_bytes);
	stat_line("frames_peak_in_use", st.peak_in_use);
	stat_line("frames_allocs", st.allocs);
	stat_line("frames_frees", st.frees);
	stat_line("frames_failures", st.failures);
	stat_line("frames_metadata_bytes", st.metadata_bytes);
	stat_line("frames_metadata_bytes_per_mib", st.metadata_bytes_per_mib);
}

static void print_heap_stats(const struct heap *h)
{
	struct heap_stats st;

	heap_stats(h, &st);
	stat_line("heap_chunks", st.chunks);
	stat_line("heap_held_bytes", st.held_bytes);
	stat_line("heap_peak_held_bytes", st.peak_held_bytes);
	stat_line("heap_requested_bytes", st.requested_bytes);
	stat_line("heap_peak_requested_bytes", st.peak_requested_bytes);
	stat_line("heap_free_bytes", st.free_bytes);
	stat_line("heap_cached_bytes", st.cached_bytes);
	stat_line("heap_deferred_bytes", st.deferred_bytes);
	stat_line("heap_largest_free_bytes", st.largest_free_bytes);
	stat_line("heap_allocs", st.allocs);
	stat_line("heap_frees", st.frees);
	stat_line("heap_failures", st.failures);
	stat_line("heap_metadata_bytes", st.metadata_bytes);
	stat_line("heap_poison_errors", st.poison_errors);
}

static enum cmd_result cmd_stats(struct shell *sh, int argc, char **argv)
{
	const struct machine *m = sh->ctx;

	if (!memory_require(&m->mem, argv[0]))
		return CMD_FAIL;
	(void)argc, (void)argv;
	print_memory_stats(&m->mem.map);
	print_frame_stats(&m->mem.frames);
	stat_line("frames_bad", m->bad.count);
	print_heap_stats(&m->mem.heap);
	stat_line("shell_allocations", m->allocs.count);
	return CMD_OK;
}

static enum cmd_result cmd_check(struct shell *sh, int argc, char **argv)
{
	const struct machine *m = sh->ctx;

	if (!memory_require(&m->mem, argv[0]))
		return CMD_FAIL;
	(void)argc, (void)argv;
	if (!allocator_check_report(&m->mem))
		return CMD_FAIL;
	console_puts("ok\n");
	return CMD_OK;
}

static enum cmd_result cmd_poison(struct shell *sh, int argc, char **argv)
{
	struct heap *h = &((struct machine *)sh->ctx)->mem.heap;

	if (!memory_require(&((const struct machine *)sh->ctx)->mem, argv[0]))
		return CMD_FAIL;
	if (argc == 2 && !strcmp(argv[1], "on"))
		heap_set_poison(h, true);
	else if (argc == 2 && !strcmp(argv[1], "off"))
		heap_set_poison(h, false);
	else if (argc == 2)
		return CMD_USAGE;
	console_printf("poison: %s\n", h->poison ? "on" : "off");
	return CMD_OK;
}

static const char *complete_poison(const struct shell *sh, int argc, char **argv, size_t index)
{
	static const char *const on_off[] = { "on", "off", NULL };

	(void)sh, (void)argv;
	return argc == 1 ? command_word_at(on_off, index) : NULL;
}

static const struct command stats_commands[] = {
	{ "stats", 0, 0, cmd_stats, "allocator statistics as name: value lines", "" },
	{ "check", 0, 0, cmd_check, "verify every allocator invariant", "" },
	{ "poison", 0, 1, cmd_poison, "show or switch heap poisoning",
	  "[on|off]\n  on: freed heap memory is filled with a pattern that is verified\n"
	  "  when handed out again; a mismatch counts in heap_poison_errors\n"
	  "  and makes check fail" },
};

static const struct command_completion stats_completions[] = {
	{ "poison", complete_poison },
};

const struct command_group cmd_stats_group =
	COMMAND_GROUP_COMPLETING(stats_commands, stats_completions);
