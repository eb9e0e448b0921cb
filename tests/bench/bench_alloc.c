/*
 * Allocator benchmark, run by `make bench` (tests/bench/run_bench.sh):
 *
 *   bench_alloc <buddymon|glibc|frames> <W1|W2|W3> [--no-util]
 *   bench_alloc metadata
 *
 * prints "pairs=<n> ns_per_pair=<x> util=<u>" for one workload on a 64 MiB
 * arena. The measured phase is bracketed by callgrind client requests, so
 * under `valgrind --tool=callgrind --instr-atstart=no` the collected
 * instruction count is that phase alone; random choices are drawn into
 * arrays beforehand so the PRNG stays out of it.
 *
 *   W1  10,000 live blocks, then 1,000,000 steps each freeing a random live
 *       block and allocating 16..4096 bytes (uniform)
 *   W2  4096-byte 4096-aligned blocks until failure (glibc: as many as the
 *       arena holds), then all freed in random order; frames: single 4 KiB
 *       frames until failure, freed in random order
 *   W3  as W1 with Pareto (alpha 1) sizes from 16 B to 256 KiB
 *
 * Utilisation: requested bytes live at the first failure of a fill from
 * empty with the workload's size distribution, over the arena bytes. The
 * buddymon heap keeps its metadata outside the arena (24 KiB per MiB).
 * glibc has no arena, so it is measured in a child process that disables
 * mmap (mallopt M_MMAP_MAX 0) and gets RLIMIT_DATA = its data size before
 * the fill + 64 MiB: glibc's brk heap then fails where 64 MiB are used up.
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

#include "lib/random.h"
#include "mm/frames.h"
#include "mm/heap.h"

#define ARENA_BYTES ((size_t)64 << 20)
#define LIVE 10000u
#define STEPS 1000000u
#define PAGE 4096u
#define PARETO_MIN 16.0
#define PARETO_MAX 262144.0

struct allocator {
	void *(*alloc)(size_t size);
	void *(*alloc_page)(void);	/* 4096 bytes, 4096-aligned */
	void (*free)(void *p);
};

/* --- the two heaps behind one interface ----------------------------------- */

static struct heap heap;
static void *arena;
static uint64_t *heap_meta;

static void buddymon_setup(void)
{
	if (!arena) {
		arena = aligned_alloc(ARENA_BYTES, ARENA_BYTES);
		heap_meta = malloc(heap_metadata_size(ARENA_BYTES));
		memset(arena, 0, ARENA_BYTES);	/* page faults out of the timing */
	}
	if (heap_init_arena(&heap, arena, ARENA_BYTES, heap_meta, heap_metadata_size(ARENA_BYTES))) {
		fprintf(stderr, "heap_init_arena failed\n");
		exit(1);
	}
}

static void *buddymon_alloc(size_t size) { return heap_alloc(&heap, size); }
static void *buddymon_alloc_page(void) { return heap_alloc_aligned(&heap, PAGE, PAGE); }
static void buddymon_free(void *p) { heap_free(&heap, p); }
static void *glibc_alloc(size_t size) { return malloc(size); }
static void *glibc_alloc_page(void) { return aligned_alloc(PAGE, PAGE); }
static void glibc_free(void *p) { free(p); }

static const struct allocator buddymon = { buddymon_alloc, buddymon_alloc_page, buddymon_free };
static const struct allocator glibc = { glibc_alloc, glibc_alloc_page, glibc_free };

/* --- measurement ------------------------------------------------------------ */

static struct timespec t0;
static double elapsed_ns;

static void measure_start(void)
{
	CALLGRIND_START_INSTRUMENTATION;
	clock_gettime(CLOCK_MONOTONIC, &t0);
}

static void measure_stop(void)
{
	struct timespec t1;

	clock_gettime(CLOCK_MONOTONIC, &t1);
	CALLGRIND_STOP_INSTRUMENTATION;
	elapsed_ns += (double)(t1.tv_sec - t0.tv_sec) * 1e9 + (double)(t1.tv_nsec - t0.tv_nsec);
}

/* --- size distributions -------------------------------------------------- */

static uint64_t rng = 42;

static size_t uniform_size(void)
{
	return (size_t)rng_range(&rng, 16, 4096);
}

static size_t pareto_size(void)
{
	double u = (double)(rng_next(&rng) >> 11) / (double)(1ull << 53);
	double x = PARETO_MIN / (1.0 - u * (1.0 - PARETO_MIN / PARETO_MAX));

	return x > PARETO_MAX ? (size_t)PARETO_MAX : (size_t)x;
}

/* --- workloads ------------------------------------------------------------ */

static void shuffle(void **v, size_t n)
{
	for (size_t i = n - 1; i > 0; i--) {
		size_t j = rng_next(&rng) % (i + 1);
		void *t = v[i];

		v[i] = v[j];
		v[j] = t;
	}
}

/* W1/W3: free a random live block, allocate a new one; returns pairs. */
static uint64_t churn(const struct allocator *a, size_t (*size)(void))
{
	static void *live[LIVE];
	uint32_t *victim = malloc(STEPS * sizeof(*victim));
	uint32_t *sizes = malloc(STEPS * sizeof(*sizes));
	uint64_t failures = 0;

	for (unsigned i = 0; i < LIVE; i++)
		live[i] = a->alloc(size());
	for (unsigned i = 0; i < STEPS; i++) {
		victim[i] = (uint32_t)(rng_next(&rng) % LIVE);
		sizes[i] = (uint32_t)size();
	}
	measure_start();
	for (unsigned i = 0; i < STEPS; i++) {
		void **slot = &live[victim[i]];

		a->free(*slot);
		*slot = a->alloc(sizes[i]);
		failures += !*slot;
	}
	measure_stop();
	for (unsigned i = 0; i < LIVE; i++)
		a->free(live[i]);
	if (failures)
		fprintf(stderr, "warning: %lu allocations failed\n", (unsigned long)failures);
	free(victim);
	free(sizes);
	return STEPS;
}

/* W2: pages until failure or the arena's worth, then freed in random order. */
static uint64_t pages(const struct allocator *a)
{
	static void *page[ARENA_BYTES / PAGE];
	size_t n = 0;

	measure_start();
	while (n < ARENA_BYTES / PAGE && (page[n] = a->alloc_page()))
		n++;
	measure_stop();
	shuffle(page, n);
	measure_start();
	for (size_t i = 0; i < n; i++)
		a->free(page[i]);
	measure_stop();
	return n;
}

static uint64_t frames_pages(uint64_t *count)
{
	static struct frames frames;
	static uintptr_t frame[ARENA_BYTES / PAGE];
	void *ram = aligned_alloc(ARENA_BYTES, ARENA_BYTES);
	struct frame_range r = { (uintptr_t)ram, ARENA_BYTES };
	size_t n = 0;

	memset(ram, 0, ARENA_BYTES);	/* page faults out of the timing */

	if (frames_init(&frames, &r, 1, malloc(frames_metadata_size(&r, 1)),
			frames_metadata_size(&r, 1)))
		exit(1);
	measure_start();
	while (frames_alloc_order(&frames, 0, &frame[n]) == 0)
		n++;
	measure_stop();
	shuffle((void **)frame, n);
	measure_start();
	for (size_t i = 0; i < n; i++)
		frames_free(&frames, frame[i]);
	measure_stop();
	*count = n;
	return n;
}

/* --- utilisation ------------------------------------------------------------ */

static double fill_until_failure(const struct allocator *a, size_t (*size)(void))
{
	uint64_t requested = 0;

	for (;;) {
		size_t s = size ? size() : PAGE;
		void *p = size ? a->alloc(s) : a->alloc_page();

		if (!p)
			return (double)requested / (double)ARENA_BYTES;
		requested += s;
	}
}

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

/* glibc's fill in a child limited to 64 MiB more data (see the top). */
static double glibc_util(size_t (*size)(void))
{
	int fd[2];
	double util = 0;

	if (pipe(fd))
		return 0;
	if (fork() == 0) {
		mallopt(M_MMAP_MAX, 0);
		struct rlimit lim = { (rlim_t)data_bytes() + ARENA_BYTES, RLIM_INFINITY };

		setrlimit(RLIMIT_DATA, &lim);
		util = fill_until_failure(&glibc, size);
		if (write(fd[1], &util, sizeof(util)) != sizeof(util))
			_exit(1);
		_exit(0);
	}
	if (read(fd[0], &util, sizeof(util)) != sizeof(util))
		util = 0;
	wait(NULL);
	return util;
}

static double buddymon_util(size_t (*size)(void))
{
	buddymon_setup();
	return fill_until_failure(&buddymon, size);
}

/* The metadata cost of both allocators per MiB managed. */
static void print_metadata(void)
{
	struct heap_stats hs;
	struct frame_stats fs;
	struct frames frames;
	struct frame_range r = { 0, ARENA_BYTES };

	buddymon_setup();
	heap_stats(&heap, &hs);
	printf("bench buddymon metadata_bytes_per_mib=%lu\n",
	       (unsigned long)(hs.metadata_bytes / (ARENA_BYTES >> 20)));
	/* frames_init writes free-list nodes into the range: use the arena */
	r.base = (uintptr_t)arena;
	frames_init(&frames, &r, 1, malloc(frames_metadata_size(&r, 1)), frames_metadata_size(&r, 1));
	frames_stats(&frames, &fs);
	printf("bench frames metadata_bytes_per_mib=%lu\n", (unsigned long)fs.metadata_bytes_per_mib);
}

int main(int argc, char **argv)
{
	if (argc == 2 && strcmp(argv[1], "metadata") == 0) {
		print_metadata();
		return 0;
	}
	if (argc < 3) {
		fprintf(stderr, "usage: %s buddymon|glibc|frames W1|W2|W3 [--no-util]\n", argv[0]);
		return 2;
	}

	const char *alloc = argv[1], *wl = argv[2];
	bool want_util = argc < 4 || strcmp(argv[3], "--no-util") != 0;
	const struct allocator *a = strcmp(alloc, "glibc") == 0 ? &glibc : &buddymon;
	size_t (*size)(void) = strcmp(wl, "W3") == 0 ? pareto_size :
			       strcmp(wl, "W1") == 0 ? uniform_size : NULL;
	uint64_t pairs, count = 0;
	double util = 0;

	/* utilisation first, while glibc's heap is still untouched */
	if (want_util && a == &glibc)
		util = glibc_util(size);
	else if (want_util && strcmp(alloc, "frames") != 0)
		util = buddymon_util(size);
	if (a == &buddymon)
		buddymon_setup();
	if (strcmp(alloc, "frames") == 0) {
		pairs = frames_pages(&count);
		util = (double)count * PAGE / ARENA_BYTES;
	} else if (size) {
		pairs = churn(a, size);
	} else {
		pairs = pages(a);
	}
	printf("pairs=%lu ns_per_pair=%.1f util=%.3f\n", (unsigned long)pairs,
	       elapsed_ns / (double)pairs, util);
	return 0;
}
