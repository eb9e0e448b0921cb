/* memtest on every hart (see memtest_harts.h). */
#include "lib/spinlock.h"
#include "shell/hart_team.h"
#include "shell/memtest_harts.h"


struct memtest_harts;

struct memtest_hart_share {
	struct memtest_harts *all;
	struct memtest mt;
	uint64_t done;			/* mt.done, for hart 0's progress line */
	bool finished;
} __attribute__((aligned(TEAM_CACHE_LINE_BYTES)));

struct memtest_harts {
	struct team team;
	struct memtest *whole;
	enum memtest_test test;
	struct spinlock fault_lock;
	struct memtest_hart_share shares[HARTS_MAX];
};

static struct memtest_harts memtest_harts_state;	/* too large for the shell's stack */

static void share_fault(void *ctx, const struct memtest_fault *f)
{
	struct memtest_hart_share *s = ctx;
	struct memtest *whole = s->all->whole;

	spin_lock(&s->all->fault_lock);
	if (whole->hooks.fault)
		whole->hooks.fault(whole->hooks.ctx, f);
	spin_unlock(&s->all->fault_lock);
}

static bool share_keep_going(void *ctx, uint64_t done, uint64_t total)
{
	struct memtest_hart_share *s = ctx;

	(void)total;
	__atomic_store_n(&s->done, done, __ATOMIC_RELAXED);
	return !team_should_stop(&s->all->team);
}

static void share_after_write(void *ctx)
{
	struct memtest_hart_share *s = ctx;
	struct memtest *whole = s->all->whole;

	if (whole->hooks.after_write)
		whole->hooks.after_write(whole->hooks.ctx);
}

static void share_job(void *arg)
{
	struct memtest_hart_share *s = arg;

	s->finished = memtest_run(&s->mt, s->all->test);
}

/* The team's progress: the caller's keep_going sees every share's work.
 * Its answer is not needed: the team sees the Ctrl-C itself. */
static void report_progress(void *ctx)
{
	struct memtest_harts *all = ctx;
	struct memtest *whole = all->whole;
	uint64_t done = 0;

	for (unsigned i = 0; i < all->team.size; i++)
		done += __atomic_load_n(&all->shares[i].done, __ATOMIC_RELAXED);
	if (whole->hooks.keep_going)
		whole->hooks.keep_going(whole->hooks.ctx, done,
					memtest_bytes(whole) * memtest_passes(all->test));
}

bool memtest_run_on_harts(struct memtest *mt, enum memtest_test test, unsigned harts,
			  struct team_failure *failure)
{
	struct memtest_harts *all = &memtest_harts_state;
	bool finished = true;

	*all = (struct memtest_harts){ .whole = mt, .test = test,
				       .fault_lock = SPINLOCK_INIT };
	team_init(&all->team, harts, report_progress, all);
	for (unsigned i = 0; i < harts; i++) {
		struct memtest_hart_share *s = &all->shares[i];
		s->all = all;
		s->mt = (struct memtest){ .ranges = mt->ranges, .count = mt->count,
					  .seed = mt->seed,
					  .hooks = { share_fault, share_keep_going,
						     share_after_write, s } };
		memtest_share(&s->mt, i, harts);
	}
	int err = team_run(&all->team, "memtest", share_job, all->shares, sizeof(all->shares[0]));
	*failure = all->team.failure;
	mt->done = mt->total = 0;
	for (unsigned i = 0; i < harts; i++) {
		mt->done += all->shares[i].mt.done;
		mt->total += all->shares[i].mt.total;
		mt->errors += all->shares[i].mt.errors;
		finished = finished && all->shares[i].finished;
	}
	return finished && !err;
}
