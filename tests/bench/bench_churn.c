/*
 * The workloads that keep a set of live blocks and churn it (bench.h,
 * bench_workloads.c describes them all): each step frees a random live
 * block and allocates a new one.
 *
 *   W1  10,000 live blocks, 1,000,000 steps, 16..4096 bytes (uniform)
 *   W3  as W1 with Pareto (alpha 1) sizes from 16 B to 256 KiB
 *   MA  1,024 live blocks, 100,000 steps, 16 B..128 KiB (log-uniform)
 *       aligned to 16 B..64 KiB (a power of two, uniform exponent)
 *   LB  256 live blocks, 50,000 steps, one of 256 KiB..16 MiB
 *       (log-uniform) with chance 1/32, else 16..1024 bytes
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>

#include "lib/random.h"
#include "tests/bench/bench.h"

#define LIVE 10000u
#define STEPS 1000000u
#define PARETO_MIN 16.0
#define PARETO_MAX 262144.0
#define MA_LIVE 1024u
#define MA_STEPS 100000u
#define MA_MIN_SHIFT 4		/* 16 B */
#define MA_SIZE_SHIFTS 13	/* up to 128 KiB */
#define MA_ALIGN_SHIFTS 12	/* up to 64 KiB */
#define LB_LIVE 256u
#define LB_STEPS 50000u
#define LB_LARGE_ONE_IN 32u
#define LB_LARGE_MIN_SHIFT 18	/* 256 KiB */
#define LB_LARGE_SHIFTS 6	/* up to 16 MiB */
#define LB_SMALL_MAX 1024u

/* --- size distributions -------------------------------------------------- */

static size_t pareto_size(void)
{
	double u = (double)(rng_next(&bench_rng) >> 11) / (double)(1ull << 53);
	double x = PARETO_MIN / (1.0 - u * (1.0 - PARETO_MIN / PARETO_MAX));

	return x > PARETO_MAX ? (size_t)PARETO_MAX : (size_t)x;
}

/* 2^min_shift .. 2^(min_shift + shifts), uniform in the logarithm. */
static size_t log_uniform_size(unsigned min_shift, unsigned shifts)
{
	double u = (double)(rng_next(&bench_rng) >> 11) / (double)(1ull << 53);

	return (size_t)exp2((double)min_shift + u * shifts);
}

static size_t ma_align(void)
{
	return (size_t)1 << (MA_MIN_SHIFT + rng_next(&bench_rng) % (MA_ALIGN_SHIFTS + 1));
}

static size_t lb_size(void)
{
	if (rng_next(&bench_rng) % LB_LARGE_ONE_IN == 0)
		return log_uniform_size(LB_LARGE_MIN_SHIFT, LB_LARGE_SHIFTS);
	return (size_t)rng_range(&bench_rng, 16, LB_SMALL_MAX);
}

/* --- W1, W3, MA, LB: free a random live block, allocate a new one -------- */

struct churn {
	unsigned live, steps;
	size_t (*size)(void);
	bool aligned;		/* MA: sizes come with alignments */
};

static void *churn_alloc(const struct bench_allocator *a, const struct churn *c,
			 size_t size, size_t align)
{
	return c->aligned ? a->alloc_aligned(size, align) : a->alloc(size);
}

/* The measured loops, one per kind of request: the unaligned one is W1's
 * and W3's loop as it always was, so their figures stay comparable. */
static __attribute__((noinline)) uint64_t
churn_steps(const struct bench_allocator *a, void **live, unsigned steps,
			    const uint32_t *victim, const uint32_t *sizes)
{
	uint64_t failures = 0;

	for (unsigned i = 0; i < steps; i++) {
		void **slot = &live[victim[i]];

		a->free(*slot);
		*slot = a->alloc(sizes[i]);
		failures += !*slot;
	}
	return failures;
}

static __attribute__((noinline)) uint64_t
churn_steps_aligned(const struct bench_allocator *a, void **live,
				    unsigned steps, const uint32_t *victim,
				    const uint32_t *sizes, const uint32_t *aligns)
{
	uint64_t failures = 0;

	for (unsigned i = 0; i < steps; i++) {
		void **slot = &live[victim[i]];

		a->free(*slot);
		*slot = a->alloc_aligned(sizes[i], aligns[i]);
		failures += !*slot;
	}
	return failures;
}

static uint64_t churn(const struct bench_allocator *a, const struct churn *c)
{
	void **live = bench_xmalloc(c->live * sizeof(*live));
	unsigned steps = bench_scaled(c->steps);
	uint32_t *victim = bench_xmalloc(steps * sizeof(*victim));
	uint32_t *sizes = bench_xmalloc(steps * sizeof(*sizes));
	uint32_t *aligns = bench_xmalloc(steps * sizeof(*aligns));
	uint64_t failures;

	for (unsigned i = 0; i < c->live; i++) {
		size_t size = c->size();

		live[i] = churn_alloc(a, c, size, c->aligned ? ma_align() : 0);
	}
	for (unsigned i = 0; i < steps; i++) {
		victim[i] = (uint32_t)(rng_next(&bench_rng) % c->live);
		sizes[i] = (uint32_t)c->size();
		aligns[i] = c->aligned ? (uint32_t)ma_align() : 0;
	}
	bench_measure_start();
	if (c->aligned)
		failures = churn_steps_aligned(a, live, steps, victim, sizes, aligns);
	else
		failures = churn_steps(a, live, steps, victim, sizes);
	bench_measure_stop();
	for (unsigned i = 0; i < c->live; i++)
		a->free(live[i]);
	if (failures)
		fprintf(stderr, "warning: %lu allocations failed\n", (unsigned long)failures);
	free(live);
	free(victim);
	free(sizes);
	free(aligns);
	return steps;
}

static const struct churn w1 = { LIVE, STEPS, bench_uniform_size, false };
static const struct churn w3 = { LIVE, STEPS, pareto_size, false };

static size_t ma_size(void)
{
	return log_uniform_size(MA_MIN_SHIFT, MA_SIZE_SHIFTS);
}

static const struct churn ma = { MA_LIVE, MA_STEPS, ma_size, true };
static const struct churn lb = { LB_LIVE, LB_STEPS, lb_size, false };

static uint64_t run_w1(const struct bench_allocator *a) { return churn(a, &w1); }
static uint64_t run_w3(const struct bench_allocator *a) { return churn(a, &w3); }
static uint64_t run_ma(const struct bench_allocator *a) { return churn(a, &ma); }
static uint64_t run_lb(const struct bench_allocator *a) { return churn(a, &lb); }

/* Requested bytes live at the first failure of a fill from empty. */
static double fill_until_failure(const struct bench_allocator *a, const struct churn *c)
{
	uint64_t requested = 0;

	bench_fill_started();
	for (;;) {
		size_t s = c->size();
		void *p = churn_alloc(a, c, s, c->aligned ? ma_align() : 0);

		if (!p)
			return (double)requested / (double)bench_arena_bytes;
		requested += s;
	}
}

static double util_w1(const struct bench_allocator *a) { return fill_until_failure(a, &w1); }
static double util_w3(const struct bench_allocator *a) { return fill_until_failure(a, &w3); }
static double util_ma(const struct bench_allocator *a) { return fill_until_failure(a, &ma); }
static double util_lb(const struct bench_allocator *a) { return fill_until_failure(a, &lb); }

const struct bench_workload bench_w1 = { "W1", run_w1, util_w1 };
const struct bench_workload bench_w3 = { "W3", run_w3, util_w3 };
const struct bench_workload bench_ma = { "MA", run_ma, util_ma };
const struct bench_workload bench_lb = { "LB", run_lb, util_lb };
