/*
 * TLSF (github.com/mattconte/tlsf) as a benchmark peer: built only by
 * `make bench PEERS=DIR` when DIR/tlsf holds tlsf.c and tlsf.h (README,
 * Benchmarks). One pool over the benchmark's arena.
 */
#include <stdio.h>
#include <stdlib.h>

#include "tests/bench/bench.h"
#include "tlsf.h"

static tlsf_t tlsf;

static void tlsf_bench_init(void *arena, size_t bytes)
{
	tlsf = tlsf_create_with_pool(arena, bytes);
	if (!tlsf) {
		fprintf(stderr, "bench: tlsf_create_with_pool failed\n");
		exit(1);
	}
}

static void *tlsf_bench_alloc(size_t size) { return tlsf_malloc(tlsf, size); }
static void *tlsf_bench_alloc_aligned(size_t size, size_t align) { return tlsf_memalign(tlsf, align, size); }
static void *tlsf_bench_realloc(void *p, size_t size) { return tlsf_realloc(tlsf, p, size); }
static void tlsf_bench_free(void *p) { tlsf_free(tlsf, p); }

const struct bench_allocator bench_tlsf = {
	"tlsf", true, tlsf_bench_init, tlsf_bench_alloc, tlsf_bench_alloc_aligned,
	tlsf_bench_realloc, tlsf_bench_free,
};
