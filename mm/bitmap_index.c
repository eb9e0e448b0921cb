/*
 * Searches and summary upkeep of the levelled bitmap (bitmap_index.h).
 */
#include "mm/bitmap_index.h"

#include <string.h>

#define WORD_BITS ((uint64_t)BITMAP_WORD_BITS)

/* Bits of each level: level l + 1 has one bit per word of level l. */
static unsigned level_sizes(uint64_t bits, uint64_t sizes[BITMAP_INDEX_MAX_LEVELS])
{
	unsigned levels = 0;

	do {
		sizes[levels++] = bits;
		bits = bitmap_words(bits);
	} while (sizes[levels - 1] > WORD_BITS && levels < BITMAP_INDEX_MAX_LEVELS);
	return levels;
}

size_t bitmap_index_words(uint64_t bits)
{
	uint64_t sizes[BITMAP_INDEX_MAX_LEVELS];
	unsigned levels = level_sizes(bits, sizes);
	size_t words = 0;

	for (unsigned l = 0; l < levels; l++)
		words += bitmap_words(sizes[l]);
	return words;
}

void bitmap_index_init(struct bitmap_index *x, uint64_t bits, uint64_t *words)
{
	uint64_t sizes[BITMAP_INDEX_MAX_LEVELS];

	x->levels = level_sizes(bits, sizes);
	x->bits = bits;
	for (unsigned l = 0; l < x->levels; l++) {
		x->level[l] = words;
		words += bitmap_words(sizes[l]);
	}
	memset(x->level[0], 0, bitmap_index_words(bits) * sizeof(uint64_t));
}

void bitmap_index_word_set(struct bitmap_index *x, uint64_t word)
{
	for (unsigned l = 1; l < x->levels; l++) {
		uint64_t *w = &x->level[l][word / WORD_BITS];
		uint64_t old = word_load(w);

		word_store(w, old | bit_mask(word));
		if (old)
			return;
		word /= WORD_BITS;
	}
}

void bitmap_index_word_cleared(struct bitmap_index *x, uint64_t word)
{
	for (unsigned l = 1; l < x->levels; l++) {
		uint64_t *w = &x->level[l][word / WORD_BITS];
		uint64_t now = word_load(w) & ~bit_mask(word);

		word_store(w, now);
		if (now)
			return;
		word /= WORD_BITS;
	}
}

/* Descends from a set bit at level l to the first set bit of level 0
 * below it. */
static uint64_t first_below(const struct bitmap_index *x, unsigned l, uint64_t bit)
{
	while (l--)
		bit = bit * WORD_BITS + (uint64_t)__builtin_ctzll(word_load(&x->level[l][bit]));
	return bit;
}

static uint64_t last_below(const struct bitmap_index *x, unsigned l, uint64_t bit)
{
	while (l--)
		bit = bit * WORD_BITS + 63 - (uint64_t)__builtin_clzll(word_load(&x->level[l][bit]));
	return bit;
}

uint64_t bitmap_index_next_slow(const struct bitmap_index *x, uint64_t from)
{
	uint64_t limit = x->bits;

	for (unsigned l = 0; l < x->levels; l++) {
		if (from >= limit)
			return x->bits;

		uint64_t word = word_load(&x->level[l][from / WORD_BITS]) >> (from % WORD_BITS);

		if (word)
			return first_below(x, l, from + (uint64_t)__builtin_ctzll(word));
		from = from / WORD_BITS + 1;	/* the next word, one level up */
		limit = bitmap_words(limit);
	}
	return x->bits;
}

uint64_t bitmap_index_prev(const struct bitmap_index *x, uint64_t from)
{
	if (from >= x->bits)
		from = x->bits - 1;
	for (unsigned l = 0; l < x->levels; l++) {
		unsigned shift = 63 - (unsigned)(from % WORD_BITS);
		uint64_t word = word_load(&x->level[l][from / WORD_BITS]) << shift;

		if (word)
			return last_below(x, l, from - (uint64_t)__builtin_clzll(word));
		if (from < WORD_BITS)
			return UINT64_MAX;
		from = from / WORD_BITS - 1;	/* the word before, one level up */
	}
	return UINT64_MAX;
}
