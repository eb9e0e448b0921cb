/*
 * The allocator benchmark's shared pieces (tests/bench/bench_*.c, run by
 * run_bench.sh for `make bench`): every allocator behind one table of
 * functions, the workloads that drive them, the measured-phase brackets and
 * the probe that finds the slowest single call.
 *
 * A workload only calls the functions of struct bench_allocator, so the same
 * request sequence (drawn from one fixed-seed PRNG) reaches every allocator.
 * Its measured phase is bracketed by bench_measure_start/stop: callgrind
 * counts instructions there only, the clock times it, and the worst-call
 * probe (bench_worst.c) looks only at calls made inside it.
 */
#ifndef TESTS_BENCH_BENCH_H
#define TESTS_BENCH_BENCH_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define BENCH_ARENA_MIB_DEFAULT 64u
#define BENCH_PAGE 4096u

struct bench_allocator {
	const char *name;
	/* Manages one arena that init() hands it (utilisation is measured
	 * on it); false for malloc-style allocators that get their memory
	 * from the kernel. */
	bool fixed_arena;
	void (*init)(void *arena, size_t bytes);
	void *(*alloc)(size_t size);
	void *(*alloc_aligned)(size_t size, size_t align);	/* align: power of two */
	void *(*realloc)(void *p, size_t size);
	void (*free)(void *p);
};

/* The allocators compiled in (bench_allocators.c), NULL-terminated. */
extern const struct bench_allocator *const bench_allocators[];
const struct bench_allocator *bench_find_allocator(const char *name);

/* The arena of fixed-arena allocators: bench_arena_bytes long, aligned to
 * its size and touched once, so page faults stay out of the measurement. */
extern size_t bench_arena_bytes;
void *bench_arena(void);

/* Shuffles with the workloads' PRNG (the frees of W2 in random order). */
void bench_shuffle(void **v, size_t n);

/* Step counts are divided by this (--quick for the smoke test:
 * BENCH_QUICK_SCALE_DOWN). */
#define BENCH_QUICK_SCALE_DOWN 100u
extern unsigned bench_scale_down;

struct bench_workload {
	const char *name;
	/* Runs the workload from an empty allocator, measured phases
	 * bracketed; returns the number of alloc/free pairs it measured. */
	uint64_t (*run)(const struct bench_allocator *a);
	/* From an empty allocator: the workload's utilisation figure. */
	double (*util)(const struct bench_allocator *a);
};

/* bench_churn.c: W1, W3, MA, LB; bench_workloads.c: W2, FR, RG. */
extern const struct bench_workload bench_w1, bench_w2, bench_w3, bench_ma,
	bench_fr, bench_lb, bench_rg;
extern const struct bench_workload *const bench_workloads[];	/* NULL-terminated */
const struct bench_workload *bench_find_workload(const char *name);

/* Called, when set, once a utilisation fill has allocated its own arrays
 * (bench_alloc.c bounds glibc's data size from there). */
extern void (*bench_fill_begins)(void);

/* For the workloads (bench_workloads.c): the fixed-seed PRNG they all draw
 * from, 16..4096 bytes uniform, steps / bench_scale_down, malloc or exit,
 * and the call that marks the start of a utilisation fill. */
extern uint64_t bench_rng;
size_t bench_uniform_size(void);
unsigned bench_scaled(unsigned steps);
void *bench_xmalloc(size_t bytes);
void bench_fill_started(void);

/* Frames W2 (single 4 KiB frames, no function table): pairs measured,
 * *count frames obtained before the first failure. */
uint64_t bench_frames_pages(uint64_t *count);
/* The same sequence through a function table, for the worst-call probe. */
extern const struct bench_allocator bench_frames_allocator;

/* RG: the bytes each moving realloc had to copy (bench_workloads.c records
 * them when bench_record_copies is set). */
extern bool bench_record_copies;
extern uint64_t bench_copy_count;
extern uint64_t *bench_copy_sizes;

/* `bench_alloc ALLOCATOR threads N [--quick]` (bench_threads.c): argv
 * holds what follows "threads"; returns the exit status. */
int bench_threads(const char *allocator, int argc, char **argv);

void bench_measure_start(void);
void bench_measure_stop(void);
extern double bench_elapsed_ns;

/* The slowest single call (bench_worst.c): instructions of the slowest
 * call of the measured phases of run(a), or -1 with a message on stderr;
 * what that call was goes to what, e.g. "free@1234" (its index). */
long bench_worst_call(const struct bench_allocator *a,
		      uint64_t (*run)(const struct bench_allocator *a), char *what, size_t len);
/* Steps a function of known length: 0 when the count is exact. */
int bench_worst_selftest(void);

/* Traces the child pid, which has just called PTRACE_TRACEME and stops
 * itself before the first bracket (bench_step.c): counts[n] is the number
 * of instructions of bracket n (from one SIGSTOP to the next) up to
 * bench_step_cap (a step costs microseconds), or BENCH_SKIPPED when
 * wanted(n, instructions counted so far) said no.
 * Returns the number of brackets once the child exits with status 0,
 * else -1 (the child is then killed). */
#define BENCH_SKIPPED (-2L)
#define BENCH_STEP_CAP_DEFAULT 200000L
extern long bench_step_cap;	/* a count this high means at least this */
int bench_trace_brackets(int pid, long *counts, int max, bool (*wanted)(int n, long total));

/* Called by bench_measure_start/stop (bench_worst.c). */
void bench_probe_phase(bool measuring);

#endif
