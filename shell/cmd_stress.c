/*
 * Exercising the allocators from the shell:
 *   stress [OPS] [SEED]     random alloc/free/realloc over the heap and the
 *                           frames (shell/stress_run.h), every block filled
 *                           with a pattern that is verified before it is
 *                           freed or moved; everything is freed at the end
 *                           and both checks run
 *   stress -s [OPS] [SEED]  the same on every hart at once (stress_harts.c)
 *   bench [PAIRS]           alloc+free pairs timed with the platform clock,
 *                           printed as ns per pair for each allocator
 *   bench -s [PAIRS]        pairs per second on 1, 2, 4 and 8 harts at once
 *                           (bench_harts.c)
 * All print a progress line about once a second and stop at Ctrl-C with
 * everything they allocated freed (shell/progress.h).
 */
#include <string.h>

#include "lib/console.h"
#include "lib/platform.h"
#include "shell/bench_pairs.h"
#include "shell/command.h"
#include "shell/machine.h"
#include "shell/memory_report.h"
#include "shell/parse.h"
#include "shell/progress.h"
#include "shell/shell.h"
#include "shell/stress_harts.h"
#include "shell/stress_run.h"

#define STRESS_DEFAULT_OPS 10000
#define STRESS_MAX_OPS 100000000
#define STRESS_DEFAULT_SEED 1
#define BENCH_DEFAULT_PAIRS 10000
#define BENCH_MAX_PAIRS 10000000
#define HARTS_OPTION "-s"

/* Runs the steps with progress lines; false when Ctrl-C stopped them. */
static bool stress_steps(struct stress_run *run, uint64_t ops)
{
	struct progress progress;

	progress_start(&progress);
	for (uint64_t i = 0; i < ops && !run->broken; i++) {
		enum progress_event e = progress_tick(&progress);
		if (e == PROGRESS_STOP)
			return false;
		if (e == PROGRESS_REPORT)
			console_printf("stress: %llu of %llu ops\n", (unsigned long long)i,
				       (unsigned long long)ops);
		stress_step(run);
	}
	return true;
}

static enum cmd_result stress_on_this_hart(struct memory *mem, uint64_t ops, uint64_t seed)
{
	struct stress_run run;
	const char *why = "";
	uintptr_t where = 0;

	stress_run_init(&run, mem, 0, seed);
	bool interrupted = !stress_steps(&run, ops);
	stress_free_all(&run);
	if (interrupted && !run.broken)
		return progress_interrupted();

	console_printf("stress: ops %llu allocs %llu frees %llu reallocs %llu failures %llu\n",
		       (unsigned long long)ops, (unsigned long long)run.allocs,
		       (unsigned long long)run.frees, (unsigned long long)run.reallocs,
		       (unsigned long long)run.failures);
	if (run.broken) {
		console_printf("error: stress: pattern changed at 0x%lx\n", (unsigned long)run.broken);
		return CMD_FAIL;
	}
	if (frames_check(&mem->frames, &why, &where) < 0 ||
	    heap_check(&mem->heap, &why, &where) < 0) {
		console_printf("error: stress: %s at 0x%lx\n", why, (unsigned long)where);
		return CMD_FAIL;
	}
	console_puts("ok\n");
	return CMD_OK;
}

/* Whether argv[1] is -s; then it is dropped from argc and argv. */
static bool take_harts_option(int *argc, char ***argv)
{
	if (*argc < 2 || strcmp((*argv)[1], HARTS_OPTION) != 0)
		return false;
	(*argv)[1] = (*argv)[0];
	(*argc)--;
	(*argv)++;
	return true;
}

static enum cmd_result cmd_stress(struct shell *sh, int argc, char **argv)
{
	struct machine *m = sh->ctx;
	uint64_t ops = STRESS_DEFAULT_OPS, seed = STRESS_DEFAULT_SEED;
	bool on_harts = take_harts_option(&argc, &argv);

	if (argc > 3)
		return CMD_USAGE;
	if (!memory_require(&m->mem, argv[0]))
		return CMD_FAIL;
	if ((argc > 1 && arg_u64("OPS", argv[1], &ops)) ||
	    (argc > 2 && arg_u64("SEED", argv[2], &seed)))
		return CMD_FAIL;
	if (ops > STRESS_MAX_OPS) {
		console_printf("error: bad OPS '%s': at most %u\n", argv[1], STRESS_MAX_OPS);
		return CMD_FAIL;
	}
	return on_harts ? stress_on_harts(&m->mem, ops, seed)
			: stress_on_this_hart(&m->mem, ops, seed);
}

/* Times `pairs` calls of pair() and prints ns per pair; false on Ctrl-C. */
static bool bench_allocator(struct memory *mem, const char *name, bench_pair pair,
			    uint64_t pairs)
{
	struct progress progress;
	uint64_t start = platform_time_ns();

	progress_start(&progress);
	for (uint64_t i = 0; i < pairs; i++) {
		enum progress_event e = progress_tick(&progress);
		if (e == PROGRESS_STOP)
			return false;
		if (e == PROGRESS_REPORT)
			console_printf("bench %s: %llu of %llu pairs\n", name,
				       (unsigned long long)i, (unsigned long long)pairs);
		pair(mem);
	}
	console_printf("bench %s ns_per_pair=%llu\n", name,
		       (unsigned long long)((platform_time_ns() - start) / pairs));
	return true;
}

static enum cmd_result cmd_bench(struct shell *sh, int argc, char **argv)
{
	struct machine *m = sh->ctx;
	uint64_t pairs = BENCH_DEFAULT_PAIRS;
	bool on_harts = take_harts_option(&argc, &argv);

	if (argc > 2)
		return CMD_USAGE;
	if (!memory_require(&m->mem, argv[0]))
		return CMD_FAIL;
	if (argc > 1 && arg_u64("PAIRS", argv[1], &pairs))
		return CMD_FAIL;
	if (pairs == 0 || pairs > BENCH_MAX_PAIRS) {
		console_printf("error: bad PAIRS '%s': must be 1..%u\n", argv[1], BENCH_MAX_PAIRS);
		return CMD_FAIL;
	}
	if (on_harts)
		return bench_on_harts(&m->mem, pairs);
	if (!bench_allocator(&m->mem, "heap", bench_heap_pair, pairs) ||
	    !bench_allocator(&m->mem, "frames", bench_frames_pair, pairs))
		return progress_interrupted();
	return CMD_OK;
}

static const struct command stress_commands[] = {
	{ "stress", 0, 3, cmd_stress, "random alloc/free/realloc with pattern checks",
	  "[-s] [OPS] [SEED]\n"
	  "  OPS operations (default 10000, at most 100000000) from SEED (default 1);\n"
	  "  a progress line each second, Ctrl-C stops it\n"
	  "  -s  on every hart at once: OPS on each, each hart its own seed from SEED\n"
	  "      and its own blocks; prints each hart's counts, then checks the allocators" },
	{ "bench", 0, 2, cmd_bench, "time alloc+free pairs of each allocator",
	  "[-s] [PAIRS]\n"
	  "  PAIRS pairs per allocator (default 10000, at most 10000000);\n"
	  "  a progress line each second, Ctrl-C stops it\n"
	  "  -s  PAIRS on each of 1, 2, 4 and 8 harts at once (up to the harts running):\n"
	  "      pairs per second, to read how the allocators scale" },
};

const struct command_group cmd_stress_group = COMMAND_GROUP(stress_commands);
