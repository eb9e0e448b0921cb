/*
 * The benchmark's workloads (bench.h): each drives one allocator through
 * its function table from empty, with request sequences drawn from one
 * fixed-seed PRNG into arrays before the measured phase, so every
 * allocator gets the same requests and the PRNG stays out of the counts.
 *
 *   W1  10,000 live blocks, then 1,000,000 steps each freeing a random live
 *       block and allocating 16..4096 bytes (uniform)
 *   W2  4096-byte 4096-aligned blocks until failure (or the arena's worth),
 *       then all freed in random order
 *   W3  as W1 with Pareto (alpha 1) sizes from 16 B to 256 KiB
 *   MA  1,024 live blocks, then 100,000 steps each freeing a random one and
 *       allocating 16 B..128 KiB (log-uniform) aligned to 16 B..64 KiB (a
 *       power of two, uniform exponent)
 *   FR  16..256-byte blocks until failure, every other one freed, then
 *       4..64 KiB blocks until failure, then everything freed; util is the
 *       fraction of the freed bytes that the big blocks got back
 *   LB  256 live blocks, then 50,000 steps each freeing a random one and
 *       allocating one of 256 KiB..16 MiB (log-uniform) with chance 1/32,
 *       else 16..1024 bytes
 *   RG  2,048 blocks each growing by realloc from 16 B, doubling, to 64 KiB
 *       and then starting again at 16 B, laid out between 2,048 other live
 *       blocks of 16..4096 bytes; 100,000 steps each growing a random one
 *
 * Utilisation (W1..W3, MA, LB, RG): requested bytes live at the first
 * failure of a fill from empty with the workload's requests, over the
 * arena bytes. Allocators without an arena (malloc) never fail in the
 * measured runs: FR stops its fills at the arena's worth for them.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lib/random.h"
#include "tests/bench/bench.h"

#define FR_SMALL_MIN 16u
#define FR_SMALL_MAX 256u
#define FR_LARGE_MIN 4096u
#define FR_LARGE_MAX 65536u
#define RG_GROWERS 2048u
#define RG_STEPS 100000u
#define RG_START 16u
#define RG_END 65536u
#define RG_MIN_PAIR_BYTES 1024u	/* a grower and an other block take more */

uint64_t bench_rng = 42;

void (*bench_fill_begins)(void);
bool bench_record_copies;
uint64_t bench_copy_count;
uint64_t *bench_copy_sizes;

unsigned bench_scaled(unsigned steps)
{
	return steps / bench_scale_down;
}

size_t bench_uniform_size(void)
{
	return (size_t)rng_range(&bench_rng, 16, 4096);
}

void bench_shuffle(void **v, size_t n)
{
	for (size_t i = n - 1; i > 0; i--) {
		size_t j = rng_next(&bench_rng) % (i + 1);
		void *t = v[i];

		v[i] = v[j];
		v[j] = t;
	}
}

/* A utilisation fill starts: the workload's own arrays are allocated. */
void bench_fill_started(void)
{
	if (bench_fill_begins)
		bench_fill_begins();
}

void *bench_xmalloc(size_t bytes)
{
	void *p = malloc(bytes);

	if (!p) {
		fprintf(stderr, "bench: out of memory for the workload's arrays\n");
		exit(1);
	}
	return p;
}

/* --- W2: pages until failure or the arena's worth, freed in random order -- */

static uint64_t run_w2(const struct bench_allocator *a)
{
	size_t max = bench_arena_bytes / BENCH_PAGE;
	void **page = bench_xmalloc(max * sizeof(*page));
	size_t n = 0;

	bench_measure_start();
	while (n < max && (page[n] = a->alloc_aligned(BENCH_PAGE, BENCH_PAGE)))
		n++;
	bench_measure_stop();
	bench_shuffle(page, n);
	bench_measure_start();
	for (size_t i = 0; i < n; i++)
		a->free(page[i]);
	bench_measure_stop();
	free(page);
	return n;
}

static double util_w2(const struct bench_allocator *a)
{
	uint64_t n = 0;

	bench_fill_started();
	while (a->alloc_aligned(BENCH_PAGE, BENCH_PAGE))
		n++;
	return (double)(n * BENCH_PAGE) / (double)bench_arena_bytes;
}

/* --- FR: fragmentation recovery ------------------------------------------ */

static double fr_recovered;

static uint64_t run_fr(const struct bench_allocator *a)
{
	size_t max_small = bench_arena_bytes / FR_SMALL_MIN;
	size_t max_large = bench_arena_bytes / FR_LARGE_MIN;
	void **small = bench_xmalloc(max_small * sizeof(*small));
	void **large = bench_xmalloc(max_large * sizeof(*large));
	uint16_t *small_size = bench_xmalloc(max_small * sizeof(*small_size));
	uint32_t *large_size = bench_xmalloc(max_large * sizeof(*large_size));
	uint64_t requested = 0, freed = 0, recovered = 0;
	size_t ns = 0, nl = 0;

	for (size_t i = 0; i < max_small; i++)
		small_size[i] = (uint16_t)rng_range(&bench_rng, FR_SMALL_MIN, FR_SMALL_MAX);
	for (size_t i = 0; i < max_large; i++)
		large_size[i] = (uint32_t)rng_range(&bench_rng, FR_LARGE_MIN, FR_LARGE_MAX);
	bench_fill_started();
	bench_measure_start();
	while (requested < bench_arena_bytes && (small[ns] = a->alloc(small_size[ns])))
		requested += small_size[ns++];
	for (size_t i = 0; i < ns; i += 2) {
		a->free(small[i]);
		freed += small_size[i];
	}
	/* without an arena nothing fails: stop once the freed bytes are back */
	while (nl < max_large && (a->fixed_arena || recovered < freed) &&
	       (large[nl] = a->alloc(large_size[nl])))
		recovered += large_size[nl++];
	for (size_t i = 1; i < ns; i += 2)
		a->free(small[i]);
	for (size_t i = 0; i < nl; i++)
		a->free(large[i]);
	bench_measure_stop();
	fr_recovered = freed ? (double)recovered / (double)freed : 0;
	free(small);
	free(large);
	free(small_size);
	free(large_size);
	return ns + nl;
}

static double util_fr(const struct bench_allocator *a)
{
	run_fr(a);
	return fr_recovered;
}

/* --- RG: realloc growth ---------------------------------------------------- */

struct grower {
	void *p;
	uint32_t size;
};

/* Doubles g, or starts it again at RG_START once it reached RG_END; false
 * when the allocator fails (g is then unchanged). */
static bool grow(const struct bench_allocator *a, struct grower *g)
{
	void *p;

	if (g->size >= RG_END) {
		a->free(g->p);
		g->p = a->alloc(RG_START);
		g->size = g->p ? RG_START : 0;
		return g->p != NULL;
	}
	p = a->realloc(g->p, (size_t)g->size * 2);
	if (!p)
		return false;
	if (bench_record_copies && p != g->p)
		bench_copy_sizes[bench_copy_count++] = g->size;
	g->p = p;
	g->size *= 2;
	return true;
}

static uint64_t run_rg(const struct bench_allocator *a)
{
	struct grower *g = bench_xmalloc(RG_GROWERS * sizeof(*g));
	void **other = bench_xmalloc(RG_GROWERS * sizeof(*other));
	unsigned steps = bench_scaled(RG_STEPS);
	uint32_t *victim = bench_xmalloc(steps * sizeof(*victim));
	uint64_t failures = 0;

	for (unsigned i = 0; i < RG_GROWERS; i++) {
		g[i].p = a->alloc(RG_START);
		g[i].size = RG_START;
		other[i] = a->alloc(bench_uniform_size());
	}
	for (unsigned i = 0; i < steps; i++)
		victim[i] = (uint32_t)(rng_next(&bench_rng) % RG_GROWERS);
	if (bench_record_copies) {
		bench_copy_count = 0;
		bench_copy_sizes = bench_xmalloc(steps * sizeof(*bench_copy_sizes));
	}
	bench_measure_start();
	for (unsigned i = 0; i < steps; i++)
		failures += !grow(a, &g[victim[i]]);
	bench_measure_stop();
	for (unsigned i = 0; i < RG_GROWERS; i++) {
		a->free(g[i].p);
		a->free(other[i]);
	}
	if (failures)
		fprintf(stderr, "warning: %lu reallocations failed\n", (unsigned long)failures);
	free(g);
	free(other);
	free(victim);
	return steps;
}

/* Adds a grower and an other block, then grows a random grower, until the
 * first failure; the requested bytes then live over the arena. */
static double util_rg(const struct bench_allocator *a)
{
	size_t max = bench_arena_bytes / RG_MIN_PAIR_BYTES;
	struct grower *g = bench_xmalloc(max * sizeof(*g));
	uint64_t others = 0, growers = 0;
	size_t n = 0;
	double util;

	bench_fill_started();
	while (n < max) {
		size_t s = bench_uniform_size();
		struct grower *victim;

		g[n].p = a->alloc(RG_START);
		g[n].size = RG_START;
		if (!g[n].p || !a->alloc(s))
			break;
		others += s;
		n++;
		victim = &g[rng_next(&bench_rng) % n];
		if (!grow(a, victim))
			break;
	}
	for (size_t i = 0; i < n; i++)
		growers += g[i].size;
	util = (double)(others + growers) / (double)bench_arena_bytes;
	free(g);
	return util;
}

/* --- the table -------------------------------------------------------------- */

const struct bench_workload bench_w2 = { "W2", run_w2, util_w2 };
const struct bench_workload bench_fr = { "FR", run_fr, util_fr };
const struct bench_workload bench_rg = { "RG", run_rg, util_rg };

const struct bench_workload *const bench_workloads[] = {
	&bench_w1, &bench_w2, &bench_w3, &bench_ma, &bench_fr, &bench_lb, &bench_rg, NULL,
};

const struct bench_workload *bench_find_workload(const char *name)
{
	for (unsigned i = 0; bench_workloads[i]; i++)
		if (strcmp(bench_workloads[i]->name, name) == 0)
			return bench_workloads[i];
	return NULL;
}
