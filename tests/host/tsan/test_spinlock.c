/*
 * The ticket lock (lib/spinlock.h) under real concurrency: host threads
 * (pthreads) built with ThreadSanitizer, which reports any access to the
 * shared data that the lock's acquire/release ordering does not protect.
 * Checks mutual exclusion, that harts get the lock in the order they took
 * their tickets (FIFO), and trylock. Built on its own (TSan cannot share a
 * binary with ASan): see the tsan rule in the Makefile.
 */
#include <pthread.h>
#include <sched.h>
#include <stdbool.h>
#include <stdint.h>

/* More threads than the machine's cores: let a waiter give its core away. */
#define SPIN_RELAX() sched_yield()
#include "lib/spinlock.h"
#include "tests/host/tap.h"

#define THREADS 4
#define ROUNDS 20000
#define QUEUED 6

static struct spinlock lock = SPINLOCK_INIT;
static uint64_t counter;		/* plain data: only the lock protects it */
static uint64_t shadow;			/* always equal to counter inside the lock */
static int inside;			/* atomic: threads in the critical section */
static int overlaps;			/* atomic */

static void *count_under_lock(void *arg)
{
	(void)arg;
	for (int i = 0; i < ROUNDS; i++) {
		spin_lock(&lock);
		if (__atomic_fetch_add(&inside, 1, __ATOMIC_RELAXED) != 0)
			__atomic_fetch_add(&overlaps, 1, __ATOMIC_RELAXED);
		uint64_t seen = counter;
		if (shadow != seen)
			__atomic_fetch_add(&overlaps, 1, __ATOMIC_RELAXED);
		counter = seen + 1;
		shadow = seen + 1;
		__atomic_fetch_sub(&inside, 1, __ATOMIC_RELAXED);
		spin_unlock(&lock);
	}
	return NULL;
}

static void run_threads(void *(*fn)(void *))
{
	pthread_t t[THREADS];

	for (unsigned i = 0; i < THREADS; i++)
		pthread_create(&t[i], NULL, fn, NULL);
	for (unsigned i = 0; i < THREADS; i++)
		pthread_join(t[i], NULL);
}

static void test_mutual_exclusion(void)
{
	counter = shadow = 0;
	run_threads(count_under_lock);
	TAP_CHECK_EQ(counter, (uint64_t)THREADS * ROUNDS);
	TAP_CHECK_EQ(overlaps, 0);
	TAP_CHECK(!spin_is_locked(&lock));
}

/* Every grant is logged with its ticket: the log must count 0, 1, 2, ... */
static uint32_t grant_log[THREADS * ROUNDS];
static unsigned grants;

static void *log_tickets(void *arg)
{
	(void)arg;
	for (int i = 0; i < ROUNDS; i++) {
		uint32_t ticket = spin_take_ticket(&lock);
		spin_wait_turn(&lock, ticket);
		grant_log[grants++] = ticket;
		spin_unlock(&lock);
	}
	return NULL;
}

static void test_grants_follow_ticket_order(void)
{
	struct spinlock fresh = SPINLOCK_INIT;
	unsigned out_of_order = 0;

	lock = fresh;
	grants = 0;
	run_threads(log_tickets);
	TAP_CHECK_EQ(grants, THREADS * ROUNDS);
	for (unsigned i = 0; i < grants; i++)
		out_of_order += grant_log[i] != i;
	TAP_CHECK_EQ(out_of_order, 0);
}

/* Threads queue one at a time behind a held lock; they must enter in that order. */
static unsigned entry_order[QUEUED];
static unsigned entries;

static void *enter_once(void *arg)
{
	unsigned id = *(unsigned *)arg;

	spin_lock(&lock);
	entry_order[entries++] = id;
	spin_unlock(&lock);
	return NULL;
}

static void test_waiters_enter_in_arrival_order(void)
{
	struct spinlock fresh = SPINLOCK_INIT;
	pthread_t t[QUEUED];
	unsigned ids[QUEUED];

	lock = fresh;
	entries = 0;
	spin_lock(&lock);
	for (unsigned i = 0; i < QUEUED; i++) {
		ids[i] = i;
		pthread_create(&t[i], NULL, enter_once, &ids[i]);
		/* wait until thread i holds its ticket before starting the next */
		while (__atomic_load_n(&lock.next, __ATOMIC_RELAXED) != i + 2)
			sched_yield();
	}
	spin_unlock(&lock);
	for (unsigned i = 0; i < QUEUED; i++)
		pthread_join(t[i], NULL);
	TAP_CHECK_EQ(entries, QUEUED);
	for (unsigned i = 0; i < QUEUED; i++)
		TAP_CHECK_EQ(entry_order[i], i);
}

static void test_trylock(void)
{
	struct spinlock l = SPINLOCK_INIT;

	TAP_CHECK(spin_trylock(&l));
	TAP_CHECK(spin_is_locked(&l));
	TAP_CHECK(!spin_trylock(&l));
	spin_unlock(&l);
	TAP_CHECK(!spin_is_locked(&l));
	spin_lock(&l);
	spin_unlock(&l);
	TAP_CHECK(spin_trylock(&l));
	spin_unlock(&l);
}

int main(void)
{
	TAP_RUN(test_mutual_exclusion);
	TAP_RUN(test_grants_follow_ticket_order);
	TAP_RUN(test_waiters_enter_in_arrival_order);
	TAP_RUN(test_trylock);
	return tap_done();
}
