/*
 * `bench -s [PAIRS]`: alloc+free pairs of each allocator on 1, 2, 4 and 8
 * harts at once (see stress_harts.h), so how they scale can be read off.
 * Each participating hart runs PAIRS pairs; they wait for each other
 * before the clock starts, and the figure is every pair done divided by
 * the time from the first hart's start to the last one's end:
 *   bench: skipped harts=N (harts running: M)    (counts above hart_count)
 *   bench heap harts=N pairs_per_sec=N
 *   bench frames harts=N pairs_per_sec=N
 * A progress line about once a second, Ctrl-C stops it.
 */
#include "lib/console.h"
#include "lib/platform.h"
#include "shell/bench_pairs.h"
#include "shell/hart_team.h"
#include "shell/stress_harts.h"

#define NS_PER_SEC 1000000000ull

static const unsigned bench_team_sizes[] = { 1, 2, 4, 8 };
#define BENCH_TEAM_SIZES (sizeof(bench_team_sizes) / sizeof(bench_team_sizes[0]))

struct bench_round;

struct bench_share {
	struct bench_round *round;
	uint64_t done;			/* pairs so far, read by hart 0 */
	uint64_t start_ns, end_ns;
} __attribute__((aligned(TEAM_CACHE_LINE_BYTES)));

struct bench_round {
	struct team team;
	struct memory *mem;
	const char *name;
	bench_pair pair;
	uint64_t pairs;			/* per hart */
	uint32_t arrived;		/* harts at the start line */
	struct bench_share shares[HARTS_MAX];
};

static struct bench_round bench_state;	/* too large for the shell's stack */

/* Everyone at the start line, so the harts run their pairs together. */
static void wait_for_team(struct bench_round *r)
{
	__atomic_add_fetch(&r->arrived, 1, __ATOMIC_ACQ_REL);
	while (__atomic_load_n(&r->arrived, __ATOMIC_ACQUIRE) < r->team.size &&
	       !team_should_stop(&r->team))
		;
}

static void bench_share_job(void *arg)
{
	struct bench_share *s = arg;
	struct bench_round *r = s->round;

	wait_for_team(r);
	s->start_ns = platform_time_ns();
	for (uint64_t i = 0; i < r->pairs && !team_should_stop(&r->team); i++) {
		r->pair(r->mem);
		__atomic_store_n(&s->done, i + 1, __ATOMIC_RELAXED);
	}
	s->end_ns = platform_time_ns();
}

static void print_progress(void *ctx)
{
	struct bench_round *r = ctx;
	uint64_t done = 0;

	for (unsigned i = 0; i < r->team.size; i++)
		done += __atomic_load_n(&r->shares[i].done, __ATOMIC_RELAXED);
	console_printf("bench %s harts=%u: %llu of %llu pairs\n", r->name, r->team.size,
		       (unsigned long long)done, (unsigned long long)(r->pairs * r->team.size));
}

static uint64_t pairs_per_sec(const struct bench_round *r)
{
	uint64_t first = r->shares[0].start_ns, last = r->shares[0].end_ns;

	for (unsigned i = 1; i < r->team.size; i++) {
		if (r->shares[i].start_ns < first)
			first = r->shares[i].start_ns;
		if (r->shares[i].end_ns > last)
			last = r->shares[i].end_ns;
	}
	uint64_t ns = last > first ? last - first : 1;
	return r->pairs * r->team.size * NS_PER_SEC / ns;
}

/* One allocator on `harts` harts: CMD_OK once its line is printed. */
static enum cmd_result bench_round(struct memory *mem, const char *name, bench_pair pair,
				   uint64_t pairs, unsigned harts)
{
	struct bench_round *r = &bench_state;

	*r = (struct bench_round){ .mem = mem, .name = name, .pair = pair, .pairs = pairs };
	team_init(&r->team, harts, print_progress, r);
	for (unsigned i = 0; i < harts; i++)
		r->shares[i].round = r;
	int err = team_run(&r->team, "bench", bench_share_job, r->shares, sizeof(r->shares[0]));
	if (err) {
		team_print_failure("bench", &r->team.failure);
		return CMD_FAIL;
	}
	if (r->team.interrupted)
		return progress_interrupted();
	console_printf("bench %s harts=%u pairs_per_sec=%llu\n", name, harts,
		       (unsigned long long)pairs_per_sec(r));
	return CMD_OK;
}

static enum cmd_result bench_allocator(struct memory *mem, const char *name, bench_pair pair,
				       uint64_t pairs)
{
	for (unsigned k = 0; k < BENCH_TEAM_SIZES; k++) {
		if (bench_team_sizes[k] > hart_count())
			break;
		enum cmd_result result = bench_round(mem, name, pair, pairs, bench_team_sizes[k]);
		if (result != CMD_OK)
			return result;
	}
	return CMD_OK;
}

enum cmd_result bench_on_harts(struct memory *mem, uint64_t pairs)
{
	for (unsigned k = 0; k < BENCH_TEAM_SIZES; k++)
		if (bench_team_sizes[k] > hart_count())
			console_printf("bench: skipped harts=%u (harts running: %u)\n",
				       bench_team_sizes[k], hart_count());
	enum cmd_result result = bench_allocator(mem, "heap", bench_heap_pair, pairs);
	if (result != CMD_OK)
		return result;
	return bench_allocator(mem, "frames", bench_frames_pair, pairs);
}
