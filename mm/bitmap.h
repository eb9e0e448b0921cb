/*
 * Bit helpers for the allocator metadata: bitmaps are arrays of 64-bit
 * words, bit i lives in word i / 64 (searches are in bitmap_index.h).
 * Inline so the buddy hot paths compile to a few instructions.
 *
 * Harts share the words: a hart's cache marks its own blocks in a word
 * whose other bits another hart may be changing under the zone lock. So
 * every access is atomic: loads and stores are relaxed (a plain load or
 * store on RISC-V and x86), and a bit is set or cleared with one atomic
 * read-modify-write (amoor.d / amoand.d on RISC-V), never by a load and a
 * store that could undo another hart's change between them.
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

static inline uint64_t word_load(const uint64_t *w)
{
	return __atomic_load_n(w, __ATOMIC_RELAXED);
}

static inline void word_store(uint64_t *w, uint64_t v)
{
	__atomic_store_n(w, v, __ATOMIC_RELAXED);
}

static inline uint64_t bit_mask(uint64_t i)
{
	return (uint64_t)1 << (i % BITMAP_WORD_BITS);
}

static inline bool bit_test(const uint64_t *map, uint64_t i)
{
	return (word_load(&map[i / BITMAP_WORD_BITS]) >> (i % BITMAP_WORD_BITS)) & 1;
}

static inline void bit_set(uint64_t *map, uint64_t i)
{
	__atomic_fetch_or(&map[i / BITMAP_WORD_BITS], bit_mask(i), __ATOMIC_RELAXED);
}

static inline void bit_clear(uint64_t *map, uint64_t i)
{
	__atomic_fetch_and(&map[i / BITMAP_WORD_BITS], ~bit_mask(i), __ATOMIC_RELAXED);
}

/* Sets bit i: whether it was set already. Of two harts setting it at
 * once, exactly one sees it clear. */
static inline bool bit_test_and_set(uint64_t *map, uint64_t i)
{
	return __atomic_fetch_or(&map[i / BITMAP_WORD_BITS], bit_mask(i), __ATOMIC_RELAXED) &
	       bit_mask(i);
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
