/*
 * `stress -s [OPS] [SEED]`: the stress workload on every hart at once
 * (see stress_harts.h). Hart i runs its own stress_run, with the i-th
 * number of SEED's random stream as its seed and its own table of live
 * blocks, whose patterns name the hart and the slot; so a block handed
 * out twice, or written by another hart, shows as a changed pattern. The
 * first hart to find one stops the others. When all are done the shell's
 * hart runs the allocator check (as `check` does) and prints each hart's
 * counts:
 *   stress: hart I ops N allocs N frees N reallocs N failures N
 * then `ok`, or an `error: ...` line for each violation.
 */
#include "lib/console.h"
#include "lib/random.h"
#include "shell/allocator_check.h"
#include "shell/hart_team.h"
#include "shell/stress_harts.h"
#include "shell/stress_run.h"

struct stress_share {
	struct team *team;
	uint64_t ops;
	struct stress_run run;
};

struct stress_harts {
	struct team team;
	uint64_t ops;
	struct stress_share shares[HARTS_MAX];
};

/* Static, as the shell runs one command at a time: 32 tables of blocks
 * are too large for the shell's stack. */
static struct stress_harts stress_state;

static void stress_share_job(void *arg)
{
	struct stress_share *s = arg;

	for (uint64_t i = 0; i < s->ops && !s->run.broken && !team_should_stop(s->team); i++)
		stress_step(&s->run);
	stress_free_all(&s->run);
	if (s->run.broken)
		team_stop(s->team);
}

static void print_progress(void *ctx)
{
	struct stress_harts *st = ctx;
	uint64_t done = 0;

	for (unsigned i = 0; i < st->team.size; i++)
		done += stress_steps_seen(&st->shares[i].run);
	console_printf("stress: %llu of %llu ops\n", (unsigned long long)done,
		       (unsigned long long)(st->ops * st->team.size));
}

static void print_counts(const struct stress_run *run)
{
	console_printf("stress: hart %u ops %llu allocs %llu frees %llu reallocs %llu failures %llu\n",
		       run->hart, (unsigned long long)run->steps,
		       (unsigned long long)run->allocs, (unsigned long long)run->frees,
		       (unsigned long long)run->reallocs, (unsigned long long)run->failures);
}

static bool pattern_changed(const struct stress_harts *st)
{
	for (unsigned i = 0; i < st->team.size; i++)
		if (st->shares[i].run.broken)
			return true;
	return false;
}

static void report_changed_patterns(const struct stress_harts *st)
{
	for (unsigned i = 0; i < st->team.size; i++) {
		const struct stress_run *run = &st->shares[i].run;
		if (run->broken)
			console_printf("error: stress: hart %u: pattern changed at 0x%lx (its block of slot %u)\n",
				       run->hart, (unsigned long)run->broken,
				       stress_tag_slot(run->broken_tag));
	}
}

enum cmd_result stress_on_harts(struct memory *mem, uint64_t ops, uint64_t seed)
{
	struct stress_harts *st = &stress_state;
	uint64_t seeds = seed;

	team_init(&st->team, hart_count(), print_progress, st);
	st->ops = ops;
	for (unsigned i = 0; i < st->team.size; i++) {
		st->shares[i].team = &st->team;
		st->shares[i].ops = ops;
		stress_run_init(&st->shares[i].run, mem, i, rng_next(&seeds));
	}
	int err = team_run(&st->team, "stress", stress_share_job, st->shares,
			   sizeof(st->shares[0]));
	bool changed = pattern_changed(st);
	if (st->team.interrupted && !changed && !err)
		return progress_interrupted();
	for (unsigned i = 0; i < st->team.size; i++)
		print_counts(&st->shares[i].run);
	report_changed_patterns(st);
	team_print_failure("stress", &st->team.failure);
	bool ok = allocator_check_report(mem) && !changed && !err;
	if (!ok)
		return CMD_FAIL;
	console_puts("ok\n");
	return CMD_OK;
}
