/*
 * Allocator benchmark, run by `make bench` (tests/bench/run_bench.sh) for
 * every allocator and workload of bench_allocators.c and
 * bench_workloads.c:
 *
 *   bench_alloc ALLOCATOR WORKLOAD [--no-util] [--quick] [--arena-mib N]
 *       "pairs=<n> ns_per_pair=<x> util=<u>": one run of the workload on a
 *       64 MiB arena (N MiB). The measured phase is bracketed by callgrind
 *       client requests, so under `valgrind --tool=callgrind
 *       --instr-atstart=no` the collected instruction count is that phase
 *       alone. util is measured in a child from an empty allocator first.
 *   bench_alloc ALLOCATOR WORKLOAD --worst [--step-cap N] [...]
 *       "worst_call_instr=<n> worst_call=<what>": the slowest single call
 *       (bench_worst.c) and what it was, e.g. free@1234 (its index); <n>
 *       with a "+" means at least that many: stepping stops at N
 *       instructions (200,000 unless given)
 *   bench_alloc ALLOCATOR RG --copies
 *       "copies=<n> copied_bytes=<b>": runs RG unmeasured, then measures
 *       only memcpy of the bytes each moving realloc had to keep, so that
 *       RG's allocator work is its count less this one
 *   bench_alloc frames W2 [--worst]      buddymon's frame allocator
 *   bench_alloc ALLOCATOR threads N [--quick]   N threads at once (bench_threads.c)
 *   bench_alloc list | metadata | selftest
 *
 * Utilisation of glibc, which has no arena, is measured in a child that
 * disables mmap (mallopt M_MMAP_MAX 0) and gets RLIMIT_DATA = its data size
 * before the fill + the arena size: glibc's brk heap then fails where the
 * arena would be used up. jemalloc and mimalloc map their memory their own
 * way, so they get "util=n/a".
 */
#define _GNU_SOURCE
#include <malloc.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
#include <valgrind/callgrind.h>

#include "mm/frames.h"
#include "mm/heap.h"
#include "tests/bench/bench.h"

#define COPY_BUFFER_BYTES ((size_t)64 << 10)

unsigned bench_scale_down = 1;
double bench_elapsed_ns;
static bool measure_enabled = true;
static struct timespec t0;

void bench_measure_start(void)
{
	if (!measure_enabled)
		return;
	CALLGRIND_START_INSTRUMENTATION;
	bench_probe_phase(true);
	clock_gettime(CLOCK_MONOTONIC, &t0);
}

void bench_measure_stop(void)
{
	struct timespec t1;

	if (!measure_enabled)
		return;
	clock_gettime(CLOCK_MONOTONIC, &t1);
	bench_probe_phase(false);
	CALLGRIND_STOP_INSTRUMENTATION;
	bench_elapsed_ns += (double)(t1.tv_sec - t0.tv_sec) * 1e9 + (double)(t1.tv_nsec - t0.tv_nsec);
}

/* --- utilisation, in a child ---------------------------------------------------- */

static long data_bytes(void)
{
	FILE *f = fopen("/proc/self/status", "r");
	char line[256];
	long kib = -1;

	while (f && fgets(line, sizeof(line), f))
		if (sscanf(line, "VmData: %ld kB", &kib) == 1)
			break;
	if (f)
		fclose(f);
	return kib * 1024;
}

/* glibc's heap, from here on, may grow by the arena's size and no more. */
static void limit_data(void)
{
	struct rlimit lim = { (rlim_t)data_bytes() + bench_arena_bytes, RLIM_INFINITY };

	mallopt(M_MMAP_MAX, 0);
	setrlimit(RLIMIT_DATA, &lim);
}

static bool util_applies(const struct bench_allocator *a)
{
	return a->fixed_arena || strcmp(a->name, "glibc") == 0;
}

static double measure_util(const struct bench_allocator *a, const struct bench_workload *w)
{
	int fd[2];
	double util = -1;

	if (pipe(fd))
		return -1;
	fflush(NULL);
	if (fork() == 0) {
		if (a->fixed_arena)
			a->init(bench_arena(), bench_arena_bytes);
		else
			bench_fill_begins = limit_data;
		util = w->util(a);
		if (write(fd[1], &util, sizeof(util)) != sizeof(util))
			_exit(1);
		_exit(0);
	}
	if (read(fd[0], &util, sizeof(util)) != sizeof(util))
		util = -1;
	wait(NULL);
	close(fd[0]);
	close(fd[1]);
	return util;
}

/* --- the modes ------------------------------------------------------------------- */

static int run_once(const struct bench_allocator *a, const struct bench_workload *w, bool want_util)
{
	char util[32] = "-";
	uint64_t pairs, count;

	if (a == &bench_frames_allocator) {
		pairs = bench_frames_pages(&count);
		if (want_util)
			snprintf(util, sizeof(util), "%.3f",
				 (double)(count * BENCH_PAGE) / (double)bench_arena_bytes);
	} else {
		if (want_util && util_applies(a))
			snprintf(util, sizeof(util), "%.3f", measure_util(a, w));
		else if (want_util)
			snprintf(util, sizeof(util), "n/a");
		if (a->init)
			a->init(bench_arena(), bench_arena_bytes);
		pairs = w->run(a);
	}
	printf("pairs=%lu ns_per_pair=%.1f util=%s\n", (unsigned long)pairs,
	       pairs ? bench_elapsed_ns / (double)pairs : 0.0, util);
	return pairs ? 0 : 1;
}

static int run_copies(const struct bench_allocator *a, const struct bench_workload *w)
{
	static char src[COPY_BUFFER_BYTES], dst[COPY_BUFFER_BYTES];
	uint64_t bytes = 0;

	measure_enabled = false;
	bench_record_copies = true;
	if (a->init)
		a->init(bench_arena(), bench_arena_bytes);
	w->run(a);
	measure_enabled = true;
	bench_measure_start();
	for (uint64_t i = 0; i < bench_copy_count; i++) {
		memcpy(dst, src, bench_copy_sizes[i]);
		__asm__ volatile("" : : "r"(dst) : "memory");
	}
	bench_measure_stop();
	for (uint64_t i = 0; i < bench_copy_count; i++)
		bytes += bench_copy_sizes[i];
	printf("copies=%lu copied_bytes=%lu\n", (unsigned long)bench_copy_count,
	       (unsigned long)bytes);
	return 0;
}

/* The metadata cost of the heap and the frames per MiB managed. */
static int print_metadata(void)
{
	static struct heap heap;
	static struct frames frames;
	struct heap_stats hs;
	struct frame_stats fs;
	struct frame_range r = { (uintptr_t)bench_arena(), bench_arena_bytes };
	size_t heap_meta = heap_metadata_size(bench_arena_bytes);

	if (heap_init_arena(&heap, bench_arena(), bench_arena_bytes, malloc(heap_meta), heap_meta))
		return 1;
	heap_stats(&heap, &hs);
	printf("bench buddymon metadata_bytes_per_mib=%lu\n",
	       (unsigned long)(hs.metadata_bytes / (bench_arena_bytes >> 20)));
	/* frames_init writes free-list nodes into the range: the arena */
	if (frames_init(&frames, &r, 1, malloc(frames_metadata_size(&r, 1)), frames_metadata_size(&r, 1)))
		return 1;
	frames_stats(&frames, &fs);
	printf("bench frames metadata_bytes_per_mib=%lu\n", (unsigned long)fs.metadata_bytes_per_mib);
	return 0;
}

static int usage(const char *prog)
{
	fprintf(stderr, "usage: %s ALLOCATOR WORKLOAD [--no-util|--worst [--step-cap N]|--copies]\n"
		"       [--quick] [--arena-mib N]\n"
		"       %s ALLOCATOR threads N [--quick]\n"
		"       %s list|metadata|selftest\n", prog, prog, prog);
	return 2;
}

static int run_single_word(const char *word)
{
	if (strcmp(word, "list") == 0) {
		for (unsigned i = 0; bench_allocators[i]; i++)
			printf("%s\n", bench_allocators[i]->name);
		return 0;
	}
	if (strcmp(word, "metadata") == 0)
		return print_metadata();
	if (strcmp(word, "selftest") == 0)
		return bench_worst_selftest() ? 1 : 0;
	return -1;
}

int main(int argc, char **argv)
{
	const struct bench_allocator *a;
	const struct bench_workload *w;
	bool want_util = true, worst = false, copies = false;
	char what[64] = "none";
	long instr;

	if (argc == 2) {
		int status = run_single_word(argv[1]);

		return status >= 0 ? status : usage(argv[0]);
	}
	if (argc < 3)
		return usage(argv[0]);
	if (strcmp(argv[2], "threads") == 0)
		return bench_threads(argv[1], argc - 3, argv + 3);
	a = bench_find_allocator(argv[1]);
	w = bench_find_workload(argv[2]);
	for (int i = 3; i < argc; i++) {
		if (strcmp(argv[i], "--no-util") == 0)
			want_util = false;
		else if (strcmp(argv[i], "--worst") == 0)
			worst = true;
		else if (strcmp(argv[i], "--copies") == 0)
			copies = true;
		else if (strcmp(argv[i], "--quick") == 0)
			bench_scale_down = BENCH_QUICK_SCALE_DOWN;
		else if (strcmp(argv[i], "--step-cap") == 0 && i + 1 < argc)
			bench_step_cap = strtol(argv[++i], NULL, 0);
		else if (strcmp(argv[i], "--arena-mib") == 0 && i + 1 < argc)
			bench_arena_bytes = (size_t)strtoul(argv[++i], NULL, 0) << 20;
		else
			return usage(argv[0]);
	}
	if (!a || !w || (a == &bench_frames_allocator && strcmp(w->name, "W2") != 0)) {
		fprintf(stderr, "bench: no allocator %s or workload %s (frames runs W2 only)\n",
			argv[1], argv[2]);
		return 2;
	}
	if (copies)
		return run_copies(a, w);
	if (!worst)
		return run_once(a, w, want_util);
	instr = bench_worst_call(a, w->run, what, sizeof(what));
	if (instr < 0)
		return 1;
	printf("worst_call_instr=%ld%s worst_call=%s\n", instr,
	       instr >= bench_step_cap ? "+" : "", what);
	return 0;
}
