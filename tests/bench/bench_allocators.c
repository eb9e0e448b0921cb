/*
 * The allocators the benchmark compares, each behind struct bench_allocator
 * (bench.h): buddymon's heap and frame allocator through their public APIs
 * (mm/heap.h, mm/frames.h), the C library's malloc, and the peers built
 * from sources the user supplies (bench_peer_*.c, `make bench PEERS=DIR`).
 *
 * "malloc" is whatever malloc this binary is linked with: glibc's, or
 * jemalloc's or mimalloc's when bench.mk links those libraries in, which
 * then replace malloc for the whole process. BENCH_MALLOC_NAME names it.
 */
#define _GNU_SOURCE
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

#include "mm/frames.h"
#include "mm/heap.h"
#include "tests/bench/bench.h"

#ifndef BENCH_MALLOC_NAME
#define BENCH_MALLOC_NAME "glibc"
#endif

size_t bench_arena_bytes = (size_t)BENCH_ARENA_MIB_DEFAULT << 20;

/* Shared, so that the children bench_worst.c forks use the pages the
 * parent touched instead of copying each one they write to. */
void *bench_arena(void)
{
	static uint8_t *arena;

	if (!arena) {
		size_t bytes = bench_arena_bytes;
		uint8_t *map = mmap(NULL, 2 * bytes, PROT_READ | PROT_WRITE,
				    MAP_SHARED | MAP_ANONYMOUS, -1, 0);
		uintptr_t aligned = ((uintptr_t)map + bytes - 1) & ~(uintptr_t)(bytes - 1);

		if (map == MAP_FAILED) {
			fprintf(stderr, "bench: no memory for a %zu MiB arena\n", bytes >> 20);
			exit(1);
		}
		arena = (uint8_t *)aligned;
		munmap(map, (size_t)(arena - map));
		munmap(arena + bytes, (size_t)(map + bytes - arena));
		memset(arena, 0, bytes);	/* page faults out of the timing */
	}
	return arena;
}

/* --- buddymon's heap --------------------------------------------------------- */

static struct heap heap;

static void buddymon_init(void *arena, size_t bytes)
{
	static void *meta;

	if (!meta)
		meta = malloc(heap_metadata_size(bytes));
	if (!meta || heap_init_arena(&heap, arena, bytes, meta, heap_metadata_size(bytes))) {
		fprintf(stderr, "bench: heap_init_arena failed\n");
		exit(1);
	}
}

static void *buddymon_alloc(size_t size) { return heap_alloc(&heap, size); }
static void *buddymon_alloc_aligned(size_t size, size_t align) { return heap_alloc_aligned(&heap, size, align); }
static void *buddymon_realloc(void *p, size_t size) { return heap_realloc(&heap, p, size); }
static void buddymon_free(void *p) { heap_free(&heap, p); }

static const struct bench_allocator buddymon = {
	"buddymon", true, buddymon_init, buddymon_alloc, buddymon_alloc_aligned,
	buddymon_realloc, buddymon_free,
};

/* --- buddymon's frames: single 4 KiB frames only (W2) ------------------------ */

static struct frames frames;

static void frames_bench_init(void *arena, size_t bytes)
{
	static void *meta;
	struct frame_range r = { (uintptr_t)arena, bytes };

	if (!meta)
		meta = malloc(frames_metadata_size(&r, 1));
	if (!meta || frames_init(&frames, &r, 1, meta, frames_metadata_size(&r, 1))) {
		fprintf(stderr, "bench: frames_init failed\n");
		exit(1);
	}
}

static void *frames_bench_page(size_t size, size_t align)
{
	uintptr_t addr;

	(void)size;
	(void)align;
	return frames_alloc_order(&frames, 0, &addr) ? NULL : (void *)addr;
}

static void frames_bench_free(void *p) { frames_free(&frames, (uintptr_t)p); }

const struct bench_allocator bench_frames_allocator = {
	"frames", true, frames_bench_init, NULL, frames_bench_page, NULL, frames_bench_free,
};

uint64_t bench_frames_pages(uint64_t *count)
{
	static uintptr_t frame[((size_t)BENCH_ARENA_MIB_DEFAULT << 20) / BENCH_PAGE];
	size_t n = 0;

	if (bench_arena_bytes > sizeof(frame) / sizeof(frame[0]) * BENCH_PAGE) {
		fprintf(stderr, "bench: frames W2 runs on the default arena only\n");
		exit(2);
	}
	frames_bench_init(bench_arena(), bench_arena_bytes);
	bench_measure_start();
	while (frames_alloc_order(&frames, 0, &frame[n]) == 0)
		n++;
	bench_measure_stop();
	bench_shuffle((void **)frame, n);
	bench_measure_start();
	for (size_t i = 0; i < n; i++)
		frames_free(&frames, frame[i]);
	bench_measure_stop();
	*count = n;
	return n;
}

/* --- the C library's malloc (or the one linked in its place) ---------------- */

static void *malloc_alloc_aligned(size_t size, size_t align) { return aligned_alloc(align, size); }

static const struct bench_allocator system_malloc = {
	BENCH_MALLOC_NAME, false, NULL, malloc, malloc_alloc_aligned, realloc, free,
};

/* --- the table --------------------------------------------------------------- */

#ifdef BENCH_HAVE_TLSF
extern const struct bench_allocator bench_tlsf;
#endif
#ifdef BENCH_HAVE_ZEPHYR
extern const struct bench_allocator bench_zephyr;
#endif

const struct bench_allocator *const bench_allocators[] = {
	&buddymon,
	&system_malloc,
#ifdef BENCH_HAVE_TLSF
	&bench_tlsf,
#endif
#ifdef BENCH_HAVE_ZEPHYR
	&bench_zephyr,
#endif
	NULL,
};

const struct bench_allocator *bench_find_allocator(const char *name)
{
	for (unsigned i = 0; bench_allocators[i]; i++)
		if (strcmp(bench_allocators[i]->name, name) == 0)
			return bench_allocators[i];
	return strcmp(name, "frames") == 0 ? &bench_frames_allocator : NULL;
}
