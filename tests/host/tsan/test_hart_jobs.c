/*
 * The job slots harts hand work through (lib/hart_jobs.c), with threads
 * standing in for harts, under ThreadSanitizer: a job's arguments reach
 * the hart and its results come back to whoever waited (the release and
 * acquire on the state word order them, or TSan reports a race), only one
 * of several posters wins a slot, and a hart that is busy, starting, in
 * the shell or halted takes no job.
 */
#include <pthread.h>
#include <sched.h>
#include <string.h>

#include "lib/errors.h"
#include "lib/hart_jobs.h"
#include "tests/host/tap.h"

#define HARTS 3
#define ROUNDS 2000
#define POSTERS 4

struct work {
	uint64_t input;		/* plain data: written by the poster */
	uint64_t output;	/* plain data: written by the hart */
};

static struct hart_jobs slots[HARTS];
static int stop;		/* atomic */

static void square(void *arg)
{
	struct work *w = arg;
	w->output = w->input * w->input;
}

/* A hart's idle loop, with sched_yield where the firmware has wfi. */
static void *hart_loop(void *arg)
{
	struct hart_jobs *j = arg;

	hart_jobs_set_state(j, HART_IDLE);
	while (!__atomic_load_n(&stop, __ATOMIC_RELAXED))
		if (!hart_jobs_run_posted(j))
			sched_yield();
	return NULL;
}

static void wait_idle(const struct hart_jobs *j)
{
	while (hart_jobs_busy(j) || hart_jobs_state(j) == HART_STARTING)
		sched_yield();
}

static void test_jobs_run_on_every_hart_and_results_come_back(void)
{
	pthread_t t[HARTS];
	struct work work[HARTS];
	unsigned wrong = 0, refused = 0;

	memset(slots, 0, sizeof(slots));	/* HART_STARTING */
	__atomic_store_n(&stop, 0, __ATOMIC_RELAXED);
	for (unsigned i = 0; i < HARTS; i++)
		pthread_create(&t[i], NULL, hart_loop, &slots[i]);
	for (uint64_t round = 1; round <= ROUNDS; round++) {
		for (unsigned i = 0; i < HARTS; i++) {
			wait_idle(&slots[i]);
			work[i].input = round * HARTS + i;
			work[i].output = 0;
			refused += hart_jobs_post(&slots[i], "square", square, &work[i]) != 0;
		}
		for (unsigned i = 0; i < HARTS; i++) {
			wait_idle(&slots[i]);
			wrong += work[i].output != work[i].input * work[i].input;
		}
	}
	__atomic_store_n(&stop, 1, __ATOMIC_RELAXED);
	for (unsigned i = 0; i < HARTS; i++)
		pthread_join(t[i], NULL);
	TAP_CHECK_EQ(refused, 0);
	TAP_CHECK_EQ(wrong, 0);
	for (unsigned i = 0; i < HARTS; i++)
		TAP_CHECK_EQ(hart_jobs_done_count(&slots[i]), ROUNDS);
}

/* Several threads post to one idle slot at once: one wins, the rest get -E_BUSY. */
static struct hart_jobs contested;
static int post_results[POSTERS];
static unsigned winner_ran = POSTERS;

static void record_winner(void *arg)
{
	winner_ran = *(unsigned *)arg;
}

static void *post_once(void *arg)
{
	unsigned id = *(unsigned *)arg;

	post_results[id] = hart_jobs_post(&contested, "contest", record_winner, arg);
	return NULL;
}

static void test_one_of_several_posters_wins(void)
{
	pthread_t t[POSTERS];
	unsigned ids[POSTERS], winners = 0, busy = 0, winner = POSTERS;

	hart_jobs_set_state(&contested, HART_IDLE);
	for (unsigned i = 0; i < POSTERS; i++) {
		ids[i] = i;
		pthread_create(&t[i], NULL, post_once, &ids[i]);
	}
	for (unsigned i = 0; i < POSTERS; i++)
		pthread_join(t[i], NULL);
	for (unsigned i = 0; i < POSTERS; i++) {
		if (post_results[i] == 0) {
			winners++;
			winner = i;
		}
		busy += post_results[i] == -E_BUSY;
	}
	TAP_CHECK_EQ(winners, 1);
	TAP_CHECK_EQ(busy, POSTERS - 1);
	TAP_CHECK(!strcmp(hart_jobs_doing(&contested), "contest"));
	TAP_CHECK(hart_jobs_run_posted(&contested));
	TAP_CHECK_EQ(winner_ran, winner);
	TAP_CHECK(!hart_jobs_run_posted(&contested));
	TAP_CHECK(!strcmp(hart_jobs_doing(&contested), "idle"));
}

static void nothing(void *arg)
{
	(void)arg;
}

static void test_only_an_idle_hart_takes_a_job(void)
{
	static const struct {
		enum hart_state state;
		const char *doing;
	} refusing[] = {
		{ HART_STARTING, "starting" },
		{ HART_SHELL, "shell" },
		{ HART_TRAPPED, "halted after a trap" },
	};
	struct hart_jobs j;

	memset(&j, 0, sizeof(j));
	for (unsigned i = 0; i < sizeof(refusing) / sizeof(refusing[0]); i++) {
		hart_jobs_set_state(&j, refusing[i].state);
		TAP_CHECK_EQ(hart_jobs_post(&j, "x", nothing, NULL), -E_BUSY);
		TAP_CHECK(!strcmp(hart_jobs_doing(&j), refusing[i].doing));
		TAP_CHECK(!hart_jobs_busy(&j));
	}
	hart_jobs_set_state(&j, HART_IDLE);
	TAP_CHECK_EQ(hart_jobs_post(&j, "first", nothing, NULL), 0);
	TAP_CHECK(hart_jobs_busy(&j));
	TAP_CHECK_EQ(hart_jobs_post(&j, "second", nothing, NULL), -E_BUSY);
	TAP_CHECK(!strcmp(hart_jobs_doing(&j), "first"));
	hart_jobs_run_here(&j, nothing, NULL);
	TAP_CHECK_EQ(hart_jobs_done_count(&j), 1);
	TAP_CHECK(hart_jobs_run_posted(&j));
	TAP_CHECK_EQ(hart_jobs_done_count(&j), 2);
	TAP_CHECK(!hart_jobs_busy(&j));
}

int main(void)
{
	TAP_RUN(test_jobs_run_on_every_hart_and_results_come_back);
	TAP_RUN(test_one_of_several_posters_wins);
	TAP_RUN(test_only_an_idle_hart_takes_a_job);
	return tap_done();
}
