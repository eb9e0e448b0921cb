/*
 * Bit helpers for the allocator metadata: bitmaps are arrays of 64-bit
 * words, bit i lives in word i / 64 (searches are in bitmap_index.h).
 * Inline so the buddy hot paths compile to a few instructions.
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
