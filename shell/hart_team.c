/* Work on several harts at once (see hart_team.h). */
#include "lib/console.h"
#include "lib/errors.h"
#include "shell/hart_team.h"

void team_init(struct team *t, unsigned size, void (*report)(void *ctx), void *ctx)
{
	*t = (struct team){ .size = size, .report = report, .ctx = ctx };
	progress_start(&t->progress);
}

void team_stop(struct team *t)
{
	__atomic_store_n(&t->stop, 1, __ATOMIC_RELAXED);
}

/* Hart 0 only: the console and the clock. */
static void poll_console(struct team *t)
{
	enum progress_event e = progress_tick(&t->progress);

	if (e == PROGRESS_STOP && !t->interrupted) {
		t->interrupted = true;
		team_stop(t);
	} else if (e == PROGRESS_REPORT && t->report) {
		t->report(t->ctx);
	}
}

bool team_should_stop(struct team *t)
{
	if (hart_index() == 0)
		poll_console(t);
	return __atomic_load_n(&t->stop, __ATOMIC_RELAXED);
}

static bool note_error(struct team *t, unsigned index, int err)
{
	if (err >= 0)
		return true;
	if (t->failure.err == 0)
		t->failure = (struct team_failure){ err, index };
	team_stop(t);
	return false;
}

int team_run(struct team *t, const char *name, hart_job job, void *args, size_t arg_size)
{
	char *arg = args;
	bool posted[HARTS_MAX];

	for (unsigned i = 1; i < t->size; i++)
		posted[i] = note_error(t, i, hart_run(i, name, job, arg + i * arg_size));
	note_error(t, 0, hart_run(0, name, job, arg));
	for (unsigned i = 1; i < t->size; i++) {
		if (!posted[i])
			continue;
		while (hart_busy(i))
			poll_console(t);
		note_error(t, i, hart_wait(i));
	}
	return t->failure.err;
}

void team_print_failure(const char *cmd, const struct team_failure *f)
{
	if (f->err)
		console_printf("error: %s: hart %lu (index %u): %s\n", cmd, hart_id_at(f->hart),
			       f->hart, err_str(f->err));
}
