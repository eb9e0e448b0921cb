/*
 * The slowest single call of a workload, in instructions (bench.h).
 * There are no hardware counters to read here, so it takes three steps:
 *
 * 1. The workload runs natively TIMING_RUNS times, each in a child forked
 *    from the same state (so each sees the same addresses and the same
 *    requests), timing every call of the measured phases with the cycle
 *    counter; a call's time is its least over the runs, which drops the
 *    interrupts and preemptions that hit one run.
 * 2. The CANDIDATES slowest calls by that time are chosen.
 * 3. One more child runs the same sequence under ptrace: around each chosen
 *    call it stops itself (raise(SIGSTOP)) before and after, and the parent
 *    single-steps it in between, counting instructions (bench_step.c). The
 *    count of an empty bracket (the end of raise(), the dispatch, the start
 *    of the next raise()) is measured first and subtracted. A step costs
 *    microseconds, so the ALWAYS_STEPPED slowest by time are always
 *    stepped and the others only until STEP_BUDGET instructions were.
 *
 * The figure is the largest of those counts: the allocator function's
 * instructions plus the 2-4 of the dispatch that calls it (perform()); a
 * call of bench_step_cap or more is reported as that, "at least".
 * bench_worst_selftest() checks the method on a function of known length.
 */
#define _GNU_SOURCE
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/ptrace.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
#if defined(__x86_64__)
#include <x86intrin.h>
#endif

#include "tests/bench/bench.h"

#define TIMING_RUNS 2
#define CANDIDATES 32
#define CALIBRATIONS 3
#define MAX_CALLS ((size_t)64 << 20)		/* timed calls per run */
#define ALWAYS_STEPPED 4	/* the slowest candidates by time */
#define STEP_BUDGET 500000L	/* instructions for the other candidates */
#define KNOWN_LOOPS 1000
#define KNOWN_INSTRUCTIONS (2 * KNOWN_LOOPS + 3)	/* call, mov, loops, ret */

enum call_kind { CALL_NOTHING, CALL_KNOWN, CALL_ALLOC, CALL_ALIGNED, CALL_REALLOC, CALL_FREE };

struct call {
	enum call_kind kind;
	size_t size, align;
	void *p;
};

enum probe_mode { PROBE_OFF, PROBE_TIMING, PROBE_STEPPING };

static const struct bench_allocator *real;
static enum probe_mode mode;
static bool measuring;
static uint64_t call_index;
static int timing_run;
/* Shared with the parent: calls per run, each call's least time, and the
 * calls the stepping child bracketed. */
static struct timings {
	uint64_t calls;
	struct call stepped[CANDIDATES];
	uint32_t ticks[MAX_CALLS];
} *timings;
static uint64_t targets[CANDIDATES];
static bool among_slowest[CANDIDATES];	/* by time: always stepped */
static unsigned ntargets, next_target;

#if defined(__x86_64__)
/* KNOWN_INSTRUCTIONS when called: a loop of known length. */
void bench_known_instructions(void);
__asm__(".text\n"
	".globl bench_known_instructions\n"
	".type bench_known_instructions, @function\n"
	"bench_known_instructions:\n"
	"\tmov $" "1000" ", %ecx\n"
	"1:\tdec %ecx\n"
	"\tjnz 1b\n"
	"\tret\n");
_Static_assert(KNOWN_LOOPS == 1000, "the loop count is written in the asm above");

static uint64_t ticks(void)
{
	return __rdtsc();
}
#else
static uint64_t ticks(void)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return (uint64_t)t.tv_sec * 1000000000u + (uint64_t)t.tv_nsec;
}
#endif

/* The one place that calls the allocator, kept out of line so the code
 * between the two raise() calls is the same for every kind of call. */
static __attribute__((noinline)) void *perform(const struct call *c)
{
	switch (c->kind) {
	case CALL_ALLOC:
		return real->alloc(c->size);
	case CALL_ALIGNED:
		return real->alloc_aligned(c->size, c->align);
	case CALL_REALLOC:
		return real->realloc(c->p, c->size);
	case CALL_FREE:
		real->free(c->p);
		return NULL;
	case CALL_KNOWN:
#if defined(__x86_64__)
		bench_known_instructions();
#endif
		return NULL;
	case CALL_NOTHING:
		break;
	}
	return NULL;
}

static void *bracketed(const struct call *c)
{
	void *r;

	raise(SIGSTOP);
	r = perform(c);
	raise(SIGSTOP);
	return r;
}

static void *probe(const struct call *c)
{
	uint64_t i, t0, dt;
	void *r;

	if (!measuring || mode == PROBE_OFF)
		return perform(c);
	i = call_index++;
	if (mode == PROBE_STEPPING) {
		if (next_target < ntargets && targets[next_target] == i) {
			timings->stepped[next_target++] = *c;
			return bracketed(c);
		}
		return perform(c);
	}
	t0 = ticks();
	r = perform(c);
	dt = ticks() - t0;
	if (dt > UINT32_MAX)
		dt = UINT32_MAX;
	if (i < MAX_CALLS && (timing_run == 0 || dt < timings->ticks[i]))
		timings->ticks[i] = (uint32_t)dt;
	return r;
}

static void *probe_alloc(size_t size)
{
	return probe(&(struct call){ .kind = CALL_ALLOC, .size = size });
}

static void *probe_aligned(size_t size, size_t align)
{
	return probe(&(struct call){ .kind = CALL_ALIGNED, .size = size, .align = align });
}

static void *probe_realloc(void *p, size_t size)
{
	return probe(&(struct call){ .kind = CALL_REALLOC, .size = size, .p = p });
}

static void probe_free(void *p)
{
	probe(&(struct call){ .kind = CALL_FREE, .p = p });
}

void bench_probe_phase(bool on)
{
	measuring = on;
}

/* --- the children ------------------------------------------------------------ */

static void run_probed(const struct bench_allocator *a,
		       uint64_t (*run)(const struct bench_allocator *a))
{
	struct bench_allocator probed = {
		a->name, a->fixed_arena, a->init, probe_alloc, probe_aligned,
		probe_realloc, probe_free,
	};

	real = a;
	call_index = 0;
	if (a->init)
		a->init(bench_arena(), bench_arena_bytes);
	run(&probed);
}

static void timing_child(const struct bench_allocator *a,
			 uint64_t (*run)(const struct bench_allocator *a))
{
	mode = PROBE_TIMING;
	run_probed(a, run);
	timings->calls = call_index;
	_exit(0);
}

static void stepping_child(const struct bench_allocator *a,
			   uint64_t (*run)(const struct bench_allocator *a))
{
	const struct call nothing = { .kind = CALL_NOTHING };
	const struct call known = { .kind = CALL_KNOWN };

	if (ptrace(PTRACE_TRACEME, 0, NULL, NULL))
		_exit(1);
	raise(SIGSTOP);		/* the parent takes over from here */
	for (unsigned i = 0; i < CALIBRATIONS; i++)
		bracketed(&nothing);
	bracketed(&known);
	mode = PROBE_STEPPING;
	if (run)
		run_probed(a, run);
	_exit(0);
}

/* --- the parent ---------------------------------------------------------------- */

/* Whether to single-step bracket n (the calibrations, then the targets),
 * with total instructions stepped so far. Stepping costs some microseconds
 * an instruction, so past STEP_BUDGET only the slowest few by time are
 * counted: one that took a fraction of their time is not the longest. */
static bool step_wanted(int n, long total)
{
	int target = n - CALIBRATIONS - 1;

	return target < 0 || among_slowest[target] || total < STEP_BUDGET;
}

static int by_index(const void *x, const void *y)
{
	uint64_t a = *(const uint64_t *)x, b = *(const uint64_t *)y;

	return a < b ? -1 : a > b;
}

/* The CANDIDATES calls with the largest least time, by index. */
static void choose_targets(uint64_t ncalls)
{
	ntargets = 0;
	const uint32_t *t = timings->ticks;

	for (uint64_t i = 0; i < ncalls && i < MAX_CALLS; i++) {
		unsigned slot = ntargets, least = 0;

		if (ntargets == CANDIDATES) {
			for (unsigned k = 1; k < CANDIDATES; k++)
				if (t[targets[k]] < t[targets[least]])
					least = k;
			if (t[i] <= t[targets[least]])
				continue;
			slot = least;
		} else {
			ntargets++;
		}
		targets[slot] = i;
	}
	qsort(targets, ntargets, sizeof(targets[0]), by_index);
	for (unsigned k = 0; k < ntargets; k++) {
		unsigned slower = 0;

		for (unsigned j = 0; j < ntargets; j++)
			slower += t[targets[j]] > t[targets[k]];
		among_slowest[k] = slower < ALWAYS_STEPPED;
	}
}

static pid_t fork_child(void (*child)(const struct bench_allocator *,
				      uint64_t (*)(const struct bench_allocator *)),
			const struct bench_allocator *a,
			uint64_t (*run)(const struct bench_allocator *a))
{
	pid_t pid;

	fflush(NULL);
	pid = fork();
	if (pid == 0)
		child(a, run);
	return pid;
}

/* What call target k was, e.g. "aligned:4096/4096@1234" (@ its index). */
static void describe(unsigned k, char *what, size_t len)
{
	const struct call *c = &timings->stepped[k];

	switch (c->kind) {
	case CALL_ALLOC:
		snprintf(what, len, "alloc:%zu@%lu", c->size, (unsigned long)targets[k]);
		break;
	case CALL_ALIGNED:
		snprintf(what, len, "aligned:%zu/%zu@%lu", c->size, c->align, (unsigned long)targets[k]);
		break;
	case CALL_REALLOC:
		snprintf(what, len, "realloc:%zu@%lu", c->size, (unsigned long)targets[k]);
		break;
	default:
		snprintf(what, len, "free@%lu", (unsigned long)targets[k]);
		break;
	}
}

/* Brackets: CALIBRATIONS empty ones, the known function, the targets. */
static long step_targets(const struct bench_allocator *a,
			 uint64_t (*run)(const struct bench_allocator *a), long *known,
			 char *what, size_t len)
{
	long counts[CALIBRATIONS + 1 + CANDIDATES], empty, value, worst = 0;
	int stepped = 0;
	pid_t pid = fork_child(stepping_child, a, run);
	int n = pid < 0 ? -1 : bench_trace_brackets(pid, counts, CALIBRATIONS + 1 + CANDIDATES, step_wanted);

	if (n != CALIBRATIONS + 1 + (int)ntargets) {
		fprintf(stderr, "bench: single-stepping failed (%d brackets)\n", n);
		return -1;
	}
	empty = counts[0];
	for (int i = 1; i < CALIBRATIONS; i++)
		if (counts[i] != empty) {
			fprintf(stderr, "bench: empty brackets differ (%ld, %ld)\n", empty, counts[i]);
			return -1;
		}
	*known = counts[CALIBRATIONS] - empty;
	for (int i = CALIBRATIONS + 1; i < n; i++) {
		if (counts[i] == BENCH_SKIPPED)
			continue;
		/* stepping stopped at the cap: at least that many */
		value = counts[i] == bench_step_cap ? bench_step_cap : counts[i] - empty;
		stepped++;
		if (value > worst) {
			worst = value;
			describe((unsigned)(i - CALIBRATIONS - 1), what, len);
		}
	}
	if (ntargets)
		fprintf(stderr, "bench: stepped %d of the %u slowest calls\n", stepped, ntargets);
	return worst;
}

long bench_worst_call(const struct bench_allocator *a,
		      uint64_t (*run)(const struct bench_allocator *a), char *what, size_t len)
{
	long known;

	timings = mmap(NULL, sizeof(*timings), PROT_READ | PROT_WRITE,
		       MAP_SHARED | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
	if (timings == MAP_FAILED)
		return -1;
	bench_arena();		/* the children share the touched arena */
	for (timing_run = 0; timing_run < TIMING_RUNS; timing_run++) {
		pid_t pid = fork_child(timing_child, a, run);
		int status;

		if (pid < 0 || waitpid(pid, &status, 0) != pid || !WIFEXITED(status) ||
		    WEXITSTATUS(status) != 0) {
			fprintf(stderr, "bench: the timing run failed\n");
			return -1;
		}
	}
	if (timings->calls > MAX_CALLS)
		fprintf(stderr, "bench: only the first %zu calls are timed\n", MAX_CALLS);
	choose_targets(timings->calls);
	return step_targets(a, run, &known, what, len);
}

int bench_worst_selftest(void)
{
	static const struct bench_allocator none = { "none", false, NULL, NULL, NULL, NULL, NULL };
	long known;

	ntargets = 0;
	if (step_targets(&none, NULL, &known, NULL, 0) < 0)
		return -1;
	printf("known_function_instr=%d counted=%ld\n", KNOWN_INSTRUCTIONS, known);
	return known >= KNOWN_INSTRUCTIONS && known <= KNOWN_INSTRUCTIONS + 4 ? 0 : -1;
}
