/*
 * `harts`: every hart /cpus lists, as the firmware sees it: its id, its
 * index among the harts buddymon runs on (lib/harts.h; "-" for one it did
 * not start), its SBI HSM state, the jobs it finished, how often it woke
 * from its idle wait, and what it is doing (or why it was skipped).
 *
 * `harts -t` runs a test job on every hart at once: each prints
 * HARTS_TEST_LINES lines naming itself, so a script can check that every
 * hart ran it and that the console lock kept every line whole.
 */
#include <stdbool.h>
#include <string.h>

#include <libfdt.h>

#include "lib/console.h"
#include "lib/dt_cpus.h"
#include "lib/errors.h"
#include "lib/harts.h"
#include "lib/platform.h"
#include "shell/command.h"
#include "shell/machine.h"
#include "shell/shell.h"

#define HARTS_TEST_LINES 8
#define NOT_STARTED (~0u)

static unsigned index_of_hart(unsigned long hartid)
{
	for (unsigned i = 0; i < hart_count(); i++)
		if (hart_id_at(i) == hartid)
			return i;
	return NOT_STARTED;
}

static void print_hart(const void *fdt, int node)
{
	unsigned long hartid = dt_hart_id(fdt, node);
	unsigned index = index_of_hart(hartid);
	const char *unusable = dt_hart_unusable(fdt, node);

	console_lock();		/* one row, two calls */
	console_printf("%4lu  ", hartid);
	if (index == NOT_STARTED)
		console_printf("    -  %-13s     -        -  %s%s\n", platform_hart_state(hartid),
			       unusable ? "skipped: " : "not started", unusable ? unusable : "");
	else
		console_printf("%5u  %-13s %5llu  %7llu  %s\n", index, platform_hart_state(hartid),
			       (unsigned long long)hart_jobs_done(index),
			       (unsigned long long)hart_wakeups(index), hart_doing(index));
	console_unlock();
}

static void say_hello(void *arg)
{
	(void)arg;
	unsigned index = hart_index();

	for (unsigned line = 1; line <= HARTS_TEST_LINES; line++)
		console_printf("hart %lu (index %u) line %u of %u: the quick brown fox jumps over the lazy dog\n",
			       hart_id_at(index), index, line, HARTS_TEST_LINES);
}

static bool report(int err, unsigned index)
{
	if (err < 0)
		console_printf("error: hart %lu: %s\n", hart_id_at(index), err_str(err));
	return err >= 0;
}

/* The others first, so they print while this hart prints too. */
static enum cmd_result run_test_job(void)
{
	unsigned count = hart_count(), ran = 0;
	bool posted[HARTS_MAX];

	for (unsigned i = 1; i < count; i++)
		posted[i] = report(hart_run(i, "harts -t", say_hello, NULL), i);
	posted[0] = report(hart_run(0, "harts -t", say_hello, NULL), 0);
	for (unsigned i = 0; i < count; i++)
		ran += posted[i] && report(hart_wait(i), i);
	console_printf("harts -t: %u of %u harts ran the job\n", ran, count);
	return ran == count ? CMD_OK : CMD_FAIL;
}

static enum cmd_result cmd_harts(struct shell *sh, int argc, char **argv)
{
	const struct machine *m = sh->ctx;
	int node;

	if (argc == 2)
		return strcmp(argv[1], "-t") == 0 ? run_test_job() : CMD_USAGE;
	console_puts("hart  index  hsm            jobs  wakeups  doing\n");
	dt_for_each_hart(m->fdt, node)
		print_hart(m->fdt, node);
	return CMD_OK;
}

static const struct command harts_commands[] = {
	{ "harts", 0, 1, cmd_harts, "list the harts and what each is doing",
	  "[-t]\n"
	  "  -t  run a test job on every hart: each prints its id in whole lines" },
};

const struct command_group cmd_harts_group = COMMAND_GROUP(harts_commands);
