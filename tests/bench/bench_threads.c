/*
 * The threads benchmark (bench.h): `bench_alloc ALLOCATOR threads N
 * [--quick]` runs N threads at once on one shared allocator, each standing
 * in for a hart (hart index = its number, as the allocators' per-hart
 * caches expect), and prints "threads=N pairs=<n> pairs_per_s=<x>
 * failures=<f>"; run_bench.sh runs it for 1, 2 and 4 threads.
 *
 * Each thread runs a churn like W1 on a live set of its own: THREAD_LIVE
 * blocks of 16..4096 bytes (uniform), then THREAD_STEPS steps each
 * freeing a random one of its blocks and allocating a new one (the frame
 * allocator: single 4 KiB frames). The requests are drawn before the
 * threads start; the clock runs from the moment all threads have filled
 * their live sets and are released at once until the last one is done.
 */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "lib/harts.h"
#include "lib/random.h"
#include "tests/bench/bench.h"
#include "tests/host/support/harts_host.h"

#define THREAD_LIVE 2000u
#define THREAD_STEPS 2000000u
#define NS_PER_S 1e9

struct churner {
	const struct bench_allocator *a;
	unsigned index;
	unsigned steps;
	uint32_t *size;		/* THREAD_LIVE + steps requests */
	uint32_t *victim;	/* the live block each step frees */
	void **live;
	uint64_t failures;
};

static pthread_barrier_t filled, finished;

/* The frame allocator hands out single frames only (no alloc). */
static void *request(const struct bench_allocator *a, size_t size)
{
	return a->alloc ? a->alloc(size) : a->alloc_aligned(BENCH_PAGE, BENCH_PAGE);
}

static void *churn(void *arg)
{
	struct churner *c = arg;
	const struct bench_allocator *a = c->a;

	harts_host_set_index(c->index);
	for (unsigned i = 0; i < THREAD_LIVE; i++)
		c->failures += !(c->live[i] = request(a, c->size[i]));
	pthread_barrier_wait(&filled);
	for (unsigned i = 0; i < c->steps; i++) {
		void **slot = &c->live[c->victim[i]];

		if (*slot)
			a->free(*slot);
		c->failures += !(*slot = request(a, c->size[THREAD_LIVE + i]));
	}
	pthread_barrier_wait(&finished);
	for (unsigned i = 0; i < THREAD_LIVE; i++)
		if (c->live[i])
			a->free(c->live[i]);
	return NULL;
}

static void draw_requests(struct churner *c)
{
	c->size = bench_xmalloc((THREAD_LIVE + c->steps) * sizeof(*c->size));
	c->victim = bench_xmalloc(c->steps * sizeof(*c->victim));
	c->live = bench_xmalloc(THREAD_LIVE * sizeof(*c->live));
	for (unsigned i = 0; i < THREAD_LIVE + c->steps; i++)
		c->size[i] = (uint32_t)bench_uniform_size();
	for (unsigned i = 0; i < c->steps; i++)
		c->victim[i] = (uint32_t)(rng_next(&bench_rng) % THREAD_LIVE);
}

static double now_ns(void)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return (double)t.tv_sec * NS_PER_S + (double)t.tv_nsec;
}

/* Runs the churn on n threads; returns the nanoseconds it took. */
static double run_threads(struct churner *c, unsigned n)
{
	pthread_t t[HARTS_MAX];
	double start, stop;

	pthread_barrier_init(&filled, NULL, n + 1);
	pthread_barrier_init(&finished, NULL, n + 1);
	for (unsigned i = 0; i < n; i++)
		pthread_create(&t[i], NULL, churn, &c[i]);
	pthread_barrier_wait(&filled);
	start = now_ns();
	pthread_barrier_wait(&finished);
	stop = now_ns();
	for (unsigned i = 0; i < n; i++)
		pthread_join(t[i], NULL);
	pthread_barrier_destroy(&filled);
	pthread_barrier_destroy(&finished);
	return stop - start;
}

int bench_threads(const char *allocator, int argc, char **argv)
{
	const struct bench_allocator *a = bench_find_allocator(allocator);
	unsigned n = argc > 0 ? (unsigned)strtoul(argv[0], NULL, 0) : 0;
	struct churner c[HARTS_MAX];
	uint64_t failures = 0, pairs;
	double ns;

	if (argc > 1 && strcmp(argv[1], "--quick") == 0)
		bench_scale_down = BENCH_QUICK_SCALE_DOWN;
	if (!a || n == 0 || n > HARTS_MAX || argc > 2) {
		fprintf(stderr, "usage: bench_alloc ALLOCATOR threads N [--quick] (1 <= N <= %u)\n",
			HARTS_MAX);
		return 2;
	}
	if (a->init)
		a->init(bench_arena(), bench_arena_bytes);
	for (unsigned i = 0; i < n; i++) {
		c[i] = (struct churner){ .a = a, .index = i, .steps = bench_scaled(THREAD_STEPS) };
		draw_requests(&c[i]);
	}
	ns = run_threads(c, n);
	pairs = (uint64_t)n * c[0].steps;
	for (unsigned i = 0; i < n; i++) {
		failures += c[i].failures;
		free(c[i].size);
		free(c[i].victim);
		free(c[i].live);
	}
	printf("threads=%u pairs=%lu pairs_per_s=%.0f failures=%lu\n", n, (unsigned long)pairs,
	       (double)pairs / ns * NS_PER_S, (unsigned long)failures);
	return failures ? 1 : 0;
}
