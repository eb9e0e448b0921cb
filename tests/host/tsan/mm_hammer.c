/*
 * The threads of the allocator TSan tests (mm_hammer.h): workers with a
 * live set each, the pattern they write and check, the locked queue that
 * hands blocks between them, and the thread that observes meanwhile (the
 * double-free race is in mm_double_free.c).
 *
 * Each worker alternates phases of PHASE_STEPS steps that mostly allocate
 * and mostly free, so its live set grows and shrinks and a heap that grows
 * from frames takes chunks and gives them back during the run.
 */
#include <pthread.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "lib/harts.h"
#include "lib/random.h"
#include "tests/host/support/harts_host.h"
#include "tests/host/tap.h"
#include "tests/host/tsan/mm_hammer.h"

#define MAX_LIVE 256u
#define QUEUE_SLOTS 64u
#define PHASE_STEPS 1000u
#define TAG_THREAD_SHIFT 48
#define PATTERN_MIX 0x9e3779b97f4a7c15ull
#define PERCENT 100u
#define OBSERVER_HART (MM_HAMMER_THREADS - 1)	/* the workers use 0..2 and the last */
#define OBSERVE_PAUSE_US 2000

struct block {
	uint64_t *p;
	size_t size;
	uint64_t tag;		/* writer thread << TAG_THREAD_SHIFT | serial */
};

enum op { OP_ALLOC, OP_REALLOC, OP_HAND_OVER, OP_TAKE_OVER, OP_FREE, OPS };

/* Cumulative percentages of each operation, in the growing phase and in
 * the shrinking phase. */
static const unsigned op_upto[2][OPS] = {
	{ 45, 60, 70, 80, 100 },
	{ 15, 25, 35, 50, 100 },
};

struct worker {
	const struct mm_hammer_ops *ops;
	unsigned id;
	unsigned steps;
	uint64_t rng;
	uint32_t serial;
	unsigned nlive;
	struct block live[MAX_LIVE];
	struct mm_hammer_counts counts;
};

static struct {
	pthread_mutex_t lock;
	unsigned n;
	struct block slot[QUEUE_SLOTS];
} queue = { .lock = PTHREAD_MUTEX_INITIALIZER };

static pthread_barrier_t start_line;

/* The workers' hart indices: the last is past the harts that get caches
 * of their own in a zone (BUDDY_CACHE_HARTS), so that path runs too. */
static const unsigned worker_hart[MM_HAMMER_THREADS] = { 0, 1, 2, HARTS_MAX - 1 };

/* --- the pattern ------------------------------------------------------------ */

static uint64_t pattern_word(uint64_t tag, size_t i)
{
	return tag ^ (i * PATTERN_MIX);	/* word 0 is the tag itself */
}

static bool patterned(size_t i, size_t words, size_t stride)
{
	return i % stride == 0 || i == words - 1;
}

static void fill(const struct block *b, size_t stride)
{
	size_t words = b->size / sizeof(uint64_t);

	for (size_t i = 0; i < words; i++)
		if (patterned(i, words, stride))
			b->p[i] = pattern_word(b->tag, i);
}

/* Whether the first `limit` words of b still hold what fill wrote. */
static bool pattern_holds(const struct block *b, size_t limit, size_t stride)
{
	size_t words = b->size / sizeof(uint64_t);

	for (size_t i = 0; i < words && i < limit; i++)
		if (patterned(i, words, stride) && b->p[i] != pattern_word(b->tag, i))
			return false;
	return true;
}

static uint64_t new_tag(struct worker *w)
{
	return (uint64_t)w->id << TAG_THREAD_SHIFT | ++w->serial;
}

static unsigned writer_of(const struct block *b)
{
	return (unsigned)(b->tag >> TAG_THREAD_SHIFT);
}

/* --- one worker's operations -------------------------------------------------- */

/* Checks b and frees it. */
static void release(struct worker *w, const struct block *b)
{
	if (!pattern_holds(b, SIZE_MAX, w->ops->pattern_stride))
		w->counts.broken_patterns++;
	if (w->ops->free(w->ops->ctx, b->p))
		w->counts.free_errors++;
	w->counts.frees++;
	w->counts.freed_by_other += writer_of(b) != w->id;
}

static void forget(struct worker *w, unsigned i)
{
	w->live[i] = w->live[--w->nlive];
}

static unsigned random_live(struct worker *w)
{
	return (unsigned)(rng_next(&w->rng) % w->nlive);
}

static void free_own(struct worker *w)
{
	unsigned i;

	if (!w->nlive)
		return;
	i = random_live(w);
	release(w, &w->live[i]);
	forget(w, i);
}

static void alloc_new(struct worker *w)
{
	struct block b = { NULL, w->ops->random_size(&w->rng), new_tag(w) };

	if (w->nlive == MAX_LIVE) {
		free_own(w);
		return;
	}
	b.p = w->ops->alloc(w->ops->ctx, b.size);
	if (!b.p) {
		w->counts.failed_allocs++;
		return;
	}
	fill(&b, w->ops->pattern_stride);
	w->live[w->nlive++] = b;
	w->counts.allocs++;
}

/* The old contents up to the smaller size must survive; a failed
 * reallocation leaves the whole block as it was. */
static void realloc_own(struct worker *w)
{
	struct block *b;
	size_t size, kept;
	uint64_t *p;

	if (!w->ops->realloc || !w->nlive) {
		alloc_new(w);
		return;
	}
	b = &w->live[random_live(w)];
	size = w->ops->random_size(&w->rng);
	p = w->ops->realloc(w->ops->ctx, b->p, size);
	if (!p) {
		w->counts.failed_allocs++;
		w->counts.broken_patterns += !pattern_holds(b, SIZE_MAX, w->ops->pattern_stride);
		return;
	}
	kept = (size < b->size ? size : b->size) / sizeof(uint64_t);
	w->counts.reallocs++;
	w->counts.moved_reallocs += p != b->p;
	b->p = p;
	w->counts.broken_patterns += !pattern_holds(b, kept, w->ops->pattern_stride);
	b->size = size;
	b->tag = new_tag(w);
	fill(b, w->ops->pattern_stride);
}

static void hand_over(struct worker *w)
{
	unsigned i;

	if (!w->nlive)
		return;
	i = random_live(w);
	pthread_mutex_lock(&queue.lock);
	if (queue.n < QUEUE_SLOTS) {
		queue.slot[queue.n++] = w->live[i];
		pthread_mutex_unlock(&queue.lock);
		forget(w, i);
		w->counts.handed_over++;
		return;
	}
	pthread_mutex_unlock(&queue.lock);
	free_own(w);
}

static bool take_from_queue(struct block *b)
{
	bool got;

	pthread_mutex_lock(&queue.lock);
	got = queue.n > 0;
	if (got)
		*b = queue.slot[--queue.n];
	pthread_mutex_unlock(&queue.lock);
	return got;
}

/* Frees a block another thread handed over, or adopts it (it may then be
 * reallocated here). */
static void take_over(struct worker *w)
{
	struct block b;

	if (!take_from_queue(&b)) {
		free_own(w);
		return;
	}
	if (rng_next(&w->rng) % 2 && w->nlive < MAX_LIVE) {
		w->counts.broken_patterns += !pattern_holds(&b, SIZE_MAX, w->ops->pattern_stride);
		w->live[w->nlive++] = b;
		return;
	}
	release(w, &b);
}

static void step(struct worker *w, unsigned n)
{
	const unsigned *upto = op_upto[n / PHASE_STEPS % 2];
	unsigned r = (unsigned)(rng_next(&w->rng) % PERCENT);

	if (r < upto[OP_ALLOC])
		alloc_new(w);
	else if (r < upto[OP_REALLOC])
		realloc_own(w);
	else if (r < upto[OP_HAND_OVER])
		hand_over(w);
	else if (r < upto[OP_TAKE_OVER])
		take_over(w);
	else
		free_own(w);
}

static void *work(void *arg)
{
	struct worker *w = arg;

	harts_host_set_index(worker_hart[w->id]);
	pthread_barrier_wait(&start_line);
	for (unsigned n = 0; n < w->steps; n++)
		step(w, n);
	while (w->nlive)
		free_own(w);
	return NULL;
}

/* Observes until the workers are done, at least once. */
static struct {
	const struct mm_hammer_ops *ops;
	int workers_done;		/* atomic */
	struct mm_hammer_counts counts;
} observer;

static void *observe(void *arg)
{
	(void)arg;
	harts_host_set_index(OBSERVER_HART);
	do {
		observer.counts.bad_observations += observer.ops->observe(observer.ops->ctx) != 0;
		observer.counts.observations++;
		usleep(OBSERVE_PAUSE_US);
	} while (!__atomic_load_n(&observer.workers_done, __ATOMIC_ACQUIRE));
	return NULL;
}

static void add_counts(struct mm_hammer_counts *sum, const struct mm_hammer_counts *c)
{
	sum->allocs += c->allocs;
	sum->failed_allocs += c->failed_allocs;
	sum->reallocs += c->reallocs;
	sum->moved_reallocs += c->moved_reallocs;
	sum->frees += c->frees;
	sum->handed_over += c->handed_over;
	sum->freed_by_other += c->freed_by_other;
	sum->broken_patterns += c->broken_patterns;
	sum->free_errors += c->free_errors;
	sum->observations += c->observations;
	sum->bad_observations += c->bad_observations;
}

void mm_hammer_run(const struct mm_hammer_ops *ops, unsigned steps, struct mm_hammer_counts *out)
{
	static struct worker workers[MM_HAMMER_THREADS], leftovers;
	pthread_t t[MM_HAMMER_THREADS], observer_thread;
	struct block b;

	memset(out, 0, sizeof(*out));
	memset(&observer, 0, sizeof(observer));
	observer.ops = ops;
	pthread_barrier_init(&start_line, NULL, MM_HAMMER_THREADS);
	for (unsigned i = 0; i < MM_HAMMER_THREADS; i++) {
		workers[i] = (struct worker){ .ops = ops, .id = i, .steps = steps, .rng = i + 1 };
		pthread_create(&t[i], NULL, work, &workers[i]);
	}
	if (ops->observe)
		pthread_create(&observer_thread, NULL, observe, NULL);
	for (unsigned i = 0; i < MM_HAMMER_THREADS; i++) {
		pthread_join(t[i], NULL);
		add_counts(out, &workers[i].counts);
	}
	__atomic_store_n(&observer.workers_done, 1, __ATOMIC_RELEASE);
	if (ops->observe) {
		pthread_join(observer_thread, NULL);
		add_counts(out, &observer.counts);
	}
	pthread_barrier_destroy(&start_line);
	harts_host_set_index(0);
	leftovers = (struct worker){ .ops = ops, .id = 0 };
	while (take_from_queue(&b))
		release(&leftovers, &b);
	add_counts(out, &leftovers.counts);
}

void mm_hammer_check(const struct mm_hammer_counts *c)
{
	printf("# allocs=%lu failed=%lu reallocs=%lu moved=%lu frees=%lu handed_over=%lu "
	       "freed_by_other=%lu broken_patterns=%lu free_errors=%lu observations=%lu "
	       "bad_observations=%lu\n",
	       (unsigned long)c->allocs, (unsigned long)c->failed_allocs,
	       (unsigned long)c->reallocs, (unsigned long)c->moved_reallocs,
	       (unsigned long)c->frees, (unsigned long)c->handed_over,
	       (unsigned long)c->freed_by_other, (unsigned long)c->broken_patterns,
	       (unsigned long)c->free_errors, (unsigned long)c->observations,
	       (unsigned long)c->bad_observations);
	TAP_CHECK_EQ(c->broken_patterns, 0);
	TAP_CHECK_EQ(c->free_errors, 0);
	TAP_CHECK_EQ(c->failed_allocs, 0);
	TAP_CHECK_EQ(c->frees, c->allocs);
	TAP_CHECK(c->freed_by_other > 0);
	TAP_CHECK_EQ(c->bad_observations, 0);
}
