/*
 * A ticket lock: the lock shared by every hart (the console today, the
 * allocators next). A hart takes the next ticket with one atomic add and
 * waits until `serving` reaches it, so harts enter in the order they asked:
 * the lock is fair (FIFO) and no hart starves, unlike a plain test-and-set.
 *
 * Portable C: the GCC __atomic builtins compile to the A extension's AMOs
 * on RISC-V (amoadd.w, loads and stores with fences) and to the host's
 * atomics, so the same code runs on the host under ThreadSanitizer
 * (tests/host/tsan/test_spinlock.c).
 *
 *	struct spinlock lock = SPINLOCK_INIT;
 *	spin_lock(&lock);  ... critical section ...  spin_unlock(&lock);
 */
#ifndef LIB_SPINLOCK_H
#define LIB_SPINLOCK_H

#include <stdbool.h>
#include <stdint.h>

struct spinlock {
	uint32_t next;		/* the ticket the next arrival takes */
	uint32_t serving;	/* the ticket allowed in */
};

#define SPINLOCK_INIT { 0, 0 }

/*
 * What a waiter does between two looks at `serving`: nothing on harts.
 * Host tests with more threads than cores define it as sched_yield(), so a
 * descheduled ticket holder gets the core back instead of every waiter
 * spinning out its time slice.
 */
#ifndef SPIN_RELAX
#define SPIN_RELAX() ((void)0)
#endif

/* Takes a ticket; the caller then waits for it with spin_wait_turn. */
static inline uint32_t spin_take_ticket(struct spinlock *l)
{
	return __atomic_fetch_add(&l->next, 1, __ATOMIC_RELAXED);
}

/* Acquire: the holder's writes before its unlock are visible after this. */
static inline void spin_wait_turn(struct spinlock *l, uint32_t ticket)
{
	while (__atomic_load_n(&l->serving, __ATOMIC_ACQUIRE) != ticket)
		SPIN_RELAX();
}

/* The wait of a lock that was taken, out of line: a caller's fast path
 * stays a ticket and one load (a SPIN_RELAX call inside it would make
 * every caller save registers for the call). */
static __attribute__((noinline, cold, unused)) void spin_wait_contended(struct spinlock *l,
								      uint32_t ticket)
{
	spin_wait_turn(l, ticket);
}

static inline void spin_lock(struct spinlock *l)
{
	uint32_t ticket = spin_take_ticket(l);

	if (__atomic_load_n(&l->serving, __ATOMIC_ACQUIRE) != ticket)
		spin_wait_contended(l, ticket);
}

/* Takes the lock only if no one holds it or waits for it. */
static inline bool spin_trylock(struct spinlock *l)
{
	/* acquire: the previous holder's release of `serving` is what this
	 * taker synchronises with (the CAS is on `next`, which it never
	 * released) */
	uint32_t serving = __atomic_load_n(&l->serving, __ATOMIC_ACQUIRE);
	uint32_t expected = serving;

	return __atomic_compare_exchange_n(&l->next, &expected, serving + 1, false,
					   __ATOMIC_ACQUIRE, __ATOMIC_RELAXED);
}

/* Only the holder calls this: it alone writes `serving`. */
static inline void spin_unlock(struct spinlock *l)
{
	uint32_t next = __atomic_load_n(&l->serving, __ATOMIC_RELAXED) + 1;

	__atomic_store_n(&l->serving, next, __ATOMIC_RELEASE);
}

static inline bool spin_is_locked(struct spinlock *l)
{
	return __atomic_load_n(&l->next, __ATOMIC_RELAXED) !=
	       __atomic_load_n(&l->serving, __ATOMIC_RELAXED);
}

#endif
