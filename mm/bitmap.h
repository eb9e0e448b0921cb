/*
 * Bit helpers for the allocator metadata: bitmaps are arrays of 64-bit
 * words, bit i lives in word i / 64. Inline so the buddy hot paths compile
 * to a few instructions.
 */
#ifndef MM_BITMAP_H
#define MM_BITMAP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define BITMAP_WORD_BITS 64u

static inline size_t bitmap_words(uint64_t bits)
{
	return (size_t)((bits + BITMAP_WORD_BITS - 1) / BITMAP_WORD_BITS);
}

static inline bool bit_test(const uint64_t *map, uint64_t i)
{
	return (map[i / BITMAP_WORD_BITS] >> (i % BITMAP_WORD_BITS)) & 1;
}

static inline void bit_set(uint64_t *map, uint64_t i)
{
	map[i / BITMAP_WORD_BITS] |= (uint64_t)1 << (i % BITMAP_WORD_BITS);
}

static inline void bit_clear(uint64_t *map, uint64_t i)
{
	map[i / BITMAP_WORD_BITS] &= ~((uint64_t)1 << (i % BITMAP_WORD_BITS));
}

/* Inverts bit i: clears or sets a bit known to be set or clear in one
 * instruction fewer than bit_clear on some machines. */
static inline void bit_flip(uint64_t *map, uint64_t i)
{
	map[i / BITMAP_WORD_BITS] ^= (uint64_t)1 << (i % BITMAP_WORD_BITS);
}

/* Sets the bits from, from + 2^k, from + 2 * 2^k, ... below to. Below
 * k = 6 a word takes a repeating pattern at once. */
static inline void bit_set_every(uint64_t *map, uint64_t from, uint64_t to, unsigned k)
{
	if (k >= 6) {
		for (; from < to; from += (uint64_t)1 << k)
			bit_set(map, from);
		return;
	}

	/* ones at every multiple of 2^k: ~0 / (2^(2^k) - 1) */
	const uint64_t pattern = ~(uint64_t)0 / (((uint64_t)1 << (1u << k)) - 1);

	while (from < to) {
		uint64_t w = from / BITMAP_WORD_BITS, word_end = (w + 1) * BITMAP_WORD_BITS;
		uint64_t mask = pattern << (from % BITMAP_WORD_BITS);

		if (to < word_end)
			mask &= ~(~(uint64_t)0 << (to % BITMAP_WORD_BITS));
		map[w] |= mask;
		/* the first bit of the next word in step with from */
		from = word_end + ((from - word_end) & (((uint64_t)1 << k) - 1));
	}
}

/* Index of the first set bit in [from, limit), or limit if there is none. */
static inline uint64_t bit_next_set(const uint64_t *map, uint64_t from, uint64_t limit)
{
	uint64_t w = from / BITMAP_WORD_BITS;
	uint64_t word = map[w] & (~(uint64_t)0 << (from % BITMAP_WORD_BITS));

	while (!word) {
		if (++w * BITMAP_WORD_BITS >= limit)
			return limit;
		word = map[w];
	}
	uint64_t i = w * BITMAP_WORD_BITS + (uint64_t)__builtin_ctzll(word);
	return i < limit ? i : limit;
}

/* Index of the last set bit below from; the caller knows there is one. */
static inline uint64_t bit_prev_set(const uint64_t *map, uint64_t from)
{
	uint64_t w = from / BITMAP_WORD_BITS;
	uint64_t word = map[w] & (((uint64_t)1 << (from % BITMAP_WORD_BITS)) - 1);

	while (!word)
		word = map[--w];
	return w * BITMAP_WORD_BITS + 63 - (uint64_t)__builtin_clzll(word);
}

/* Number of trailing zero bits; 64 for zero. */
static inline unsigned ctz64(uint64_t x)
{
	return x ? (unsigned)__builtin_ctzll(x) : 64;
}

/* floor(log2(x)) for x > 0; 63 ^ clz rather than 63 - clz, which is the
 * same for clz <= 63 and lets compilers emit one bit-scan instruction. */
static inline unsigned log2_floor(uint64_t x)
{
	return 63 ^ (unsigned)__builtin_clzll(x);
}

/* ceil(log2(x)) for 1 <= x <= 2^63, without a branch: floor(log2(2x - 1)). */
static inline unsigned log2_ceil(uint64_t x)
{
	return log2_floor(2 * x - 1);
}

#endif
