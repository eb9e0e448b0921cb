/*
 * The console lock (lib/console.c) with threads standing in for harts,
 * under ThreadSanitizer: the fake console's buffer is shared and only the
 * lock protects it. Lines printed at once from every thread arrive whole
 * and in each thread's order, a block held with console_lock stays
 * together, and console_break_lock frees the lock only for the thread
 * that holds it (a trap report), so the others do not deadlock.
 */
#include <pthread.h>
#include <sched.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#define SPIN_RELAX() sched_yield()	/* before lib/spinlock.h: see test_spinlock.c */
#include "lib/console.h"
#include "lib/spinlock.h"
#include "tests/host/support/fake_console.h"
#include "tests/host/support/harts_host.h"
#include "tests/host/tap.h"

#define THREADS 4
#define LINES 300
#define LINE_FMT "hart %u line %u: the quick brown fox\r\n"
#define SETTLE_US 50000

static unsigned ids[THREADS];

static void *print_lines(void *arg)
{
	unsigned id = *(unsigned *)arg;

	harts_host_set_index(id);
	for (unsigned line = 0; line < LINES; line++)
		console_printf("hart %u line %u: the quick brown fox\n", id, line);
	return NULL;
}

/* One line in three pieces, held together by console_lock. */
static void *print_pieces(void *arg)
{
	unsigned id = *(unsigned *)arg;

	harts_host_set_index(id);
	for (unsigned line = 0; line < LINES; line++) {
		console_lock();
		console_printf("hart %u ", id);
		console_printf("line %u: ", line);
		console_puts("the quick brown fox\n");
		console_unlock();
	}
	return NULL;
}

static void run_threads(void *(*fn)(void *))
{
	pthread_t t[THREADS];

	fake_console_clear_output();
	for (unsigned i = 0; i < THREADS; i++) {
		ids[i] = i;
		pthread_create(&t[i], NULL, fn, &ids[i]);
	}
	for (unsigned i = 0; i < THREADS; i++)
		pthread_join(t[i], NULL);
}

/* Every line of the output is one whole line of one thread, in its order. */
static void check_lines_whole(void)
{
	const char *out = fake_console_output();
	unsigned next[THREADS] = { 0 };
	unsigned broken = 0;

	TAP_CHECK(!fake_console_output_lost());
	while (*out) {
		unsigned id, line;
		int used = 0;
		char expected[64];

		if (sscanf(out, "hart %u line %u", &id, &line) != 2 || id >= THREADS ||
		    line != next[id]) {
			broken++;
			break;
		}
		used = snprintf(expected, sizeof(expected), LINE_FMT, id, line);
		if (strncmp(out, expected, (size_t)used) != 0) {
			broken++;
			break;
		}
		next[id]++;
		out += used;
	}
	TAP_CHECK_EQ(broken, 0);
	for (unsigned i = 0; i < THREADS; i++)
		TAP_CHECK_EQ(next[i], LINES);
}

static void test_lines_from_every_hart_stay_whole(void)
{
	run_threads(print_lines);
	check_lines_whole();
}

static void test_a_held_block_stays_together(void)
{
	run_threads(print_pieces);
	check_lines_whole();
}

/* Hart 1 takes the lock and "traps": its report breaks the lock. */
static void *trap_while_holding(void *arg)
{
	(void)arg;
	harts_host_set_index(1);
	console_lock();
	console_puts("half a li");
	console_break_lock();
	console_puts("ne, then the report\n");
	return NULL;	/* halts: never unlocks */
}

static void *print_one_line(void *arg)
{
	harts_host_set_index(*(unsigned *)arg);
	console_puts("another hart\n");
	return NULL;
}

static void test_break_lock_frees_a_lock_held_by_the_trapping_hart(void)
{
	pthread_t t;
	unsigned other = 2;

	fake_console_clear_output();
	pthread_create(&t, NULL, trap_while_holding, NULL);
	pthread_join(t, NULL);
	pthread_create(&t, NULL, print_one_line, &other);
	pthread_join(t, NULL);	/* would hang if the lock were still held */
	TAP_CHECK(!strcmp(fake_console_output(),
			  "half a line, then the report\r\nanother hart\r\n"));
}

/* Hart 3's trap report must not free the lock hart 2 holds. */
static void test_break_lock_leaves_another_harts_lock(void)
{
	pthread_t t;
	unsigned waiter = 4;

	fake_console_clear_output();
	harts_host_set_index(2);
	console_lock();
	console_puts("hart 2 holds the lock ");
	harts_host_set_index(3);
	console_break_lock();
	pthread_create(&t, NULL, print_one_line, &waiter);
	usleep(SETTLE_US);	/* time enough for it to get in if the lock were free */
	harts_host_set_index(2);
	console_puts("to the end of its line\n");
	console_unlock();
	pthread_join(t, NULL);
	TAP_CHECK(!strcmp(fake_console_output(),
			  "hart 2 holds the lock to the end of its line\r\nanother hart\r\n"));
	harts_host_set_index(0);
}

int main(void)
{
	TAP_RUN(test_lines_from_every_hart_stay_whole);
	TAP_RUN(test_a_held_block_stays_together);
	TAP_RUN(test_break_lock_frees_a_lock_held_by_the_trapping_hart);
	TAP_RUN(test_break_lock_leaves_another_harts_lock);
	return tap_done();
}
