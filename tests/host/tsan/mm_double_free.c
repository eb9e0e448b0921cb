/*
 * Two harts free the same block at the same moment (mm_hammer.h,
 * mm_hammer_double_free): the allocator must let exactly one of them
 * succeed and refuse the other, whichever comes first, for the TSan tests
 * of the heap and the frames. A barrier releases both racers at once each
 * round; another brings their results back to the main thread.
 */
#include <pthread.h>
#include <stdbool.h>
#include <stdio.h>

#include "lib/errors.h"
#include "tests/host/support/harts_host.h"
#include "tests/host/tsan/mm_hammer.h"

#define RACERS 2u
#define RACE_PARTIES (RACERS + 1)	/* and the main thread */

static struct {
	const struct mm_hammer_ops *ops;
	unsigned rounds;
	void *block;			/* written by the main thread only */
	int result[RACERS];
	pthread_barrier_t go, done;
} race;

static void *race_to_free(void *arg)
{
	unsigned racer = (unsigned)(uintptr_t)arg;

	harts_host_set_index(racer + 1);
	for (unsigned round = 0; round < race.rounds; round++) {
		pthread_barrier_wait(&race.go);
		race.result[racer] = race.ops->free(race.ops->ctx, race.block);
		pthread_barrier_wait(&race.done);
	}
	return NULL;
}

/* The loser's free finds the block free, or, when the winner's free
 * merged it with its free buddy, no block starting there at all. */
static bool refused(int err)
{
	return err == -E_FREED || err == -E_NOTALLOC;
}

static bool one_free_won(void)
{
	return (race.result[0] == 0 && refused(race.result[1])) ||
	       (race.result[1] == 0 && refused(race.result[0]));
}

void mm_hammer_double_free(const struct mm_hammer_ops *ops, unsigned rounds, unsigned *won)
{
	pthread_t t[RACERS];
	uint64_t rng = 1;
	unsigned merged = 0;

	race.ops = ops;
	race.rounds = rounds;
	pthread_barrier_init(&race.go, NULL, RACE_PARTIES);
	pthread_barrier_init(&race.done, NULL, RACE_PARTIES);
	harts_host_set_index(0);
	for (unsigned i = 0; i < RACERS; i++)
		pthread_create(&t[i], NULL, race_to_free, (void *)(uintptr_t)i);
	*won = 0;
	for (unsigned round = 0; round < rounds; round++) {
		race.block = ops->alloc(ops->ctx, ops->random_size(&rng));
		pthread_barrier_wait(&race.go);
		pthread_barrier_wait(&race.done);
		if (race.block && one_free_won()) {
			(*won)++;
			merged += race.result[0] == -E_NOTALLOC || race.result[1] == -E_NOTALLOC;
		} else if (race.block) {
			printf("# round %u: the frees of %p returned %d and %d\n", round,
			       race.block, race.result[0], race.result[1]);
		}
	}
	printf("# %u of %u rounds won, %u of them refused as not allocated (merged)\n",
	       *won, rounds, merged);
	for (unsigned i = 0; i < RACERS; i++)
		pthread_join(t[i], NULL);
	pthread_barrier_destroy(&race.go);
	pthread_barrier_destroy(&race.done);
}
