/*
 * A bitmap with summary levels, so that the next or previous set bit is
 * found in a few word operations however long the bitmap is. Level 0 is
 * the bitmap itself; bit w of level l + 1 is set exactly when word w of
 * level l is not zero. The top level is one word. With 64-bit words, six
 * levels cover 2^36 bits and a search reads at most two words per level.
 *
 * The buddy core keeps its block-start bits in one (buddy.h): the length
 * of a live allocation is the distance to the next block start, and this
 * makes finding it cost the same for a 16-byte block and a 1 GiB one. It
 * is the two-level bitmap of TLSF, grown to as many levels as needed.
 *
 * One writer at a time (the buddy core changes it under the zone lock);
 * readers need no lock: words are read and written whole (bitmap.h), so a
 * search sees every word either before or after a change, and the bits of
 * words that do not change read right throughout.
 */
#ifndef MM_BITMAP_INDEX_H
#define MM_BITMAP_INDEX_H

#include <stddef.h>
#include <stdint.h>

#include "mm/bitmap.h"

#define BITMAP_INDEX_MAX_LEVELS 6u

struct bitmap_index {
	uint64_t *level[BITMAP_INDEX_MAX_LEVELS];
	uint64_t bits;			/* bits of level 0 */
	unsigned levels;
};

/* Words of all levels of an index over bits bits. */
size_t bitmap_index_words(uint64_t bits);

/* Sets up an index over bits bits (at most 2^36) in words
 * (bitmap_index_words long), all bits clear. */
void bitmap_index_init(struct bitmap_index *x, uint64_t bits, uint64_t *words);

/* Summary upkeep when a level-0 word becomes non-zero or zero. */
void bitmap_index_word_set(struct bitmap_index *x, uint64_t word);
void bitmap_index_word_cleared(struct bitmap_index *x, uint64_t word);

static inline bool bitmap_index_test(const struct bitmap_index *x, uint64_t i)
{
	return bit_test(x->level[0], i);
}

static inline void bitmap_index_set(struct bitmap_index *x, uint64_t i)
{
	uint64_t *w = &x->level[0][i / BITMAP_WORD_BITS];
	uint64_t old = word_load(w);

	word_store(w, old | bit_mask(i));
	if (!old && x->levels > 1)
		bitmap_index_word_set(x, i / BITMAP_WORD_BITS);
}

static inline void bitmap_index_clear(struct bitmap_index *x, uint64_t i)
{
	uint64_t *w = &x->level[0][i / BITMAP_WORD_BITS];
	uint64_t now = word_load(w) & ~bit_mask(i);

	word_store(w, now);
	if (!now && x->levels > 1)
		bitmap_index_word_cleared(x, i / BITMAP_WORD_BITS);
}

/* The first set bit at or after from, or x->bits when there is none. */
uint64_t bitmap_index_next_slow(const struct bitmap_index *x, uint64_t from);

/* Inline: the word of from, then the next non-zero word among the 64
 * words that one summary word covers; further searches are out of line. */
static inline uint64_t bitmap_index_next(const struct bitmap_index *x, uint64_t from)
{
	if (from < x->bits) {
		uint64_t w = from / BITMAP_WORD_BITS;
		uint64_t word = word_load(&x->level[0][w]) >> (from % BITMAP_WORD_BITS);

		if (word)
			return from + (uint64_t)__builtin_ctzll(word);
		w++;
		if (x->levels > 1 && w % BITMAP_WORD_BITS) {
			uint64_t words = word_load(&x->level[1][w / BITMAP_WORD_BITS]) >>
					 (w % BITMAP_WORD_BITS);

			if (words) {
				w += (uint64_t)__builtin_ctzll(words);
				return w * BITMAP_WORD_BITS +
				       (uint64_t)__builtin_ctzll(word_load(&x->level[0][w]));
			}
		}
	}
	return bitmap_index_next_slow(x, from);
}

/* The last set bit at or before from, or UINT64_MAX when there is none. */
uint64_t bitmap_index_prev(const struct bitmap_index *x, uint64_t from);

#endif
