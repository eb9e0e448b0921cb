/*
 * Exercising the allocators from the shell:
 *   stress [OPS] [SEED]  random alloc/free/realloc over the heap and the
 *                        frames, every block filled with a pattern that is
 *                        verified before it is freed or moved; everything is
 *                        freed at the end and both checks run
 *   bench [PAIRS]        alloc+free pairs timed with the platform clock,
 *                        printed as ns per pair for each allocator
 * Both print a progress line about once a second and stop at Ctrl-C with
 * everything they allocated freed (shell/progress.h).
 */
#include <string.h>

#include "lib/console.h"
#include "lib/platform.h"
#include "lib/random.h"
#include "shell/command.h"
#include "shell/machine.h"
#include "shell/memory_report.h"
#include "shell/parse.h"
#include "shell/progress.h"
#include "shell/shell.h"

#define STRESS_DEFAULT_OPS 10000
#define STRESS_MAX_OPS 100000000
#define STRESS_DEFAULT_SEED 1
#define STRESS_SLOTS 64
#define STRESS_HEAP_MAX_BYTES 8192
#define STRESS_FRAMES_MAX 16
#define STRESS_PERCENT_FRAMES 25
#define STRESS_PERCENT_REALLOC 30
#define BENCH_DEFAULT_PAIRS 10000
#define BENCH_MAX_PAIRS 10000000
#define BENCH_HEAP_BYTES 64
#define PERCENT 100

struct stress_block {
	uint8_t *addr;		/* NULL: slot empty */
	size_t size;
	enum alloc_kind kind;
	uint8_t pattern;
};

struct stress_run {
	struct machine *m;
	uint64_t rng;
	uint64_t allocs, frees, reallocs, failures;
	uintptr_t broken;	/* first byte found changed, 0 if none */
	struct stress_block slots[STRESS_SLOTS];
};

static bool pattern_intact(struct stress_run *run, const struct stress_block *b, size_t len)
{
	for (size_t i = 0; i < len; i++)
		if (b->addr[i] != b->pattern) {
			if (!run->broken)
				run->broken = (uintptr_t)&b->addr[i];
			return false;
		}
	return true;
}

static void stress_alloc(struct stress_run *run, struct stress_block *b)
{
	struct machine *m = run->m;
	uintptr_t addr = 0;

	if (rng_range(&run->rng, 1, PERCENT) <= STRESS_PERCENT_FRAMES) {
		uint64_t count = rng_range(&run->rng, 1, STRESS_FRAMES_MAX);
		b->kind = ALLOC_FRAMES;
		b->size = count * FRAME_SIZE;
		if (frames_alloc(&m->mem.frames, count, FRAME_SIZE, &addr) < 0)
			addr = 0;
	} else {
		b->kind = ALLOC_HEAP;
		b->size = rng_range(&run->rng, 1, STRESS_HEAP_MAX_BYTES);
		addr = (uintptr_t)heap_alloc(&m->mem.heap, b->size);
	}
	if (!addr) {
		run->failures++;
		return;
	}
	b->addr = (uint8_t *)addr;
	b->pattern = (uint8_t)rng_next(&run->rng);
	memset(b->addr, b->pattern, b->size);
	run->allocs++;
}

static void stress_free(struct stress_run *run, struct stress_block *b)
{
	pattern_intact(run, b, b->size);
	if (b->kind == ALLOC_HEAP)
		heap_free(&run->m->mem.heap, b->addr);
	else
		frames_free(&run->m->mem.frames, (uintptr_t)b->addr);
	b->addr = NULL;
	run->frees++;
}

static void stress_realloc(struct stress_run *run, struct stress_block *b)
{
	size_t size = rng_range(&run->rng, 1, STRESS_HEAP_MAX_BYTES);
	uint8_t *moved = heap_realloc(&run->m->mem.heap, b->addr, size);

	if (!moved) {
		run->failures++;
		return;
	}
	b->addr = moved;
	pattern_intact(run, b, size < b->size ? size : b->size);
	b->size = size;
	memset(b->addr, b->pattern, b->size);
	run->reallocs++;
}

static void stress_step(struct stress_run *run)
{
	struct stress_block *b = &run->slots[rng_next(&run->rng) % STRESS_SLOTS];

	if (!b->addr)
		stress_alloc(run, b);
	else if (b->kind == ALLOC_HEAP &&
		 rng_range(&run->rng, 1, PERCENT) <= STRESS_PERCENT_REALLOC)
		stress_realloc(run, b);
	else
		stress_free(run, b);
}

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

static enum cmd_result cmd_stress(struct shell *sh, int argc, char **argv)
{
	struct stress_run run;
	uint64_t ops = STRESS_DEFAULT_OPS, seed = STRESS_DEFAULT_SEED;
	const char *why = "";
	uintptr_t where = 0;

	if (!memory_require(&((const struct machine *)sh->ctx)->mem, argv[0]))
		return CMD_FAIL;
	if ((argc > 1 && arg_u64("OPS", argv[1], &ops)) ||
	    (argc > 2 && arg_u64("SEED", argv[2], &seed)))
		return CMD_FAIL;
	if (ops > STRESS_MAX_OPS) {
		console_printf("error: bad OPS '%s': at most %u\n", argv[1], STRESS_MAX_OPS);
		return CMD_FAIL;
	}
	memset(&run, 0, sizeof(run));
	run.m = sh->ctx;
	run.rng = seed;
	bool interrupted = !stress_steps(&run, ops);
	for (unsigned i = 0; i < STRESS_SLOTS; i++)
		if (run.slots[i].addr)
			stress_free(&run, &run.slots[i]);
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
	if (frames_check(&run.m->mem.frames, &why, &where) < 0 ||
	    heap_check(&run.m->mem.heap, &why, &where) < 0) {
		console_printf("error: stress: %s at 0x%lx\n", why, (unsigned long)where);
		return CMD_FAIL;
	}
	console_puts("ok\n");
	return CMD_OK;
}

static void bench_heap_pair(struct machine *m)
{
	heap_free(&m->mem.heap, heap_alloc(&m->mem.heap, BENCH_HEAP_BYTES));
}

static void bench_frames_pair(struct machine *m)
{
	uintptr_t frame;

	if (frames_alloc_order(&m->mem.frames, 0, &frame) == 0)
		frames_free(&m->mem.frames, frame);
}

/* Times `pairs` calls of pair() and prints ns per pair; false on Ctrl-C. */
static bool bench_allocator(struct machine *m, const char *name,
			    void (*pair)(struct machine *m), uint64_t pairs)
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
		pair(m);
	}
	console_printf("bench %s ns_per_pair=%llu\n", name,
		       (unsigned long long)((platform_time_ns() - start) / pairs));
	return true;
}

static enum cmd_result cmd_bench(struct shell *sh, int argc, char **argv)
{
	struct machine *m = sh->ctx;
	uint64_t pairs = BENCH_DEFAULT_PAIRS;

	if (!memory_require(&m->mem, argv[0]))
		return CMD_FAIL;
	if (argc > 1 && arg_u64("PAIRS", argv[1], &pairs))
		return CMD_FAIL;
	if (pairs == 0 || pairs > BENCH_MAX_PAIRS) {
		console_printf("error: bad PAIRS '%s': must be 1..%u\n", argv[1], BENCH_MAX_PAIRS);
		return CMD_FAIL;
	}
	if (!bench_allocator(m, "heap", bench_heap_pair, pairs) ||
	    !bench_allocator(m, "frames", bench_frames_pair, pairs))
		return progress_interrupted();
	return CMD_OK;
}

static const struct command stress_commands[] = {
	{ "stress", 0, 2, cmd_stress, "random alloc/free/realloc with pattern checks",
	  "[OPS] [SEED]\n  OPS operations (default 10000, at most 100000000) from SEED (default 1);\n  a progress line each second, Ctrl-C stops it" },
	{ "bench", 0, 1, cmd_bench, "time alloc+free pairs of each allocator",
	  "[PAIRS]\n  PAIRS pairs per allocator (default 10000, at most 10000000);\n  a progress line each second, Ctrl-C stops it" },
};

const struct command_group cmd_stress_group = COMMAND_GROUP(stress_commands);
