/*
 * RAM test patterns (see memtest.h). Every test is a sequence of passes
 * over all ranges, slice by slice: a write pass, a verify pass, or (moving
 * inversions) a pass that verifies each word and writes its complement.
 * The hot loops are unrolled and verify eight words per branch, so a test
 * runs at about the speed of memset and a compare loop.
 */
#include <string.h>

#include "lib/memtest.h"
#include "lib/memtest_share.h"
#include "lib/random.h"

#define WORD_BITS 64u
#define UNROLL 8u
#define MOVINV_PATTERNS 2u
#define FIXED_PATTERNS (sizeof(fixed_patterns) / sizeof(fixed_patterns[0]))
#define PASSES_WRITE_VERIFY 2u
#define MEMSET_BYTE 0x55u
#define PASSES_MOVINV (1u + 2u + 2u)	/* fill, then two verify-and-write passes */

/* Linux mm/memtest.c's patterns: 0 first, so memory ends zeroed there. */
static const uint64_t fixed_patterns[] = {
	0x0000000000000000ull, 0xffffffffffffffffull, 0x5555555555555555ull,
	0xaaaaaaaaaaaaaaaaull, 0x1111111111111111ull, 0x2222222222222222ull,
	0x4444444444444444ull, 0x8888888888888888ull, 0x3333333333333333ull,
	0x6666666666666666ull, 0x9999999999999999ull, 0xccccccccccccccccull,
	0x7777777777777777ull, 0xbbbbbbbbbbbbbbbbull, 0xddddddddddddddddull,
	0xeeeeeeeeeeeeeeeeull, 0x7a6c7258554e494cull,
};

static const uint64_t movinv_patterns[MOVINV_PATTERNS] = {
	0x0000000000000000ull,		/* ones and zeros */
	0x5555555555555555ull,		/* alternating bits */
};

static const char *const test_names[MEMTEST_TESTS] = {
	[MEMTEST_ADDRESS] = "address", [MEMTEST_WALK] = "walk", [MEMTEST_FIXED] = "fixed",
	[MEMTEST_MOVINV] = "movinv", [MEMTEST_RANDOM] = "random", [MEMTEST_MEMSET] = "memset",
};

/*
 * What the words should hold, as a stream: each word's value follows from
 * the one before (next_value), so every pattern is one store and one step
 * per word. A fixed pattern repeats; the address pattern adds 8; a
 * walking bit rotates by one (walking zeros rotate ~1); the random stream
 * is xorshift64. A slice's first value comes from its address (slice_start),
 * except the random stream's, which continues from the previous slice.
 */
enum pattern_kind { PATTERN_FIXED, PATTERN_ADDRESS, PATTERN_WALK, PATTERN_RANDOM };

struct pattern {
	enum pattern_kind kind;
	uint64_t value;		/* fixed: the value; walk: 1 or ~1 (the value of
				   word 0 of each 64); random: the next value */
};

const char *memtest_name(enum memtest_test test)
{
	return test < MEMTEST_TESTS ? test_names[test] : "?";
}

int memtest_find(const char *name)
{
	for (int t = 0; t < MEMTEST_TESTS; t++)
		if (!strcmp(name, test_names[t]))
			return t;
	return -1;
}

unsigned memtest_passes(enum memtest_test test)
{
	switch (test) {
	case MEMTEST_WALK:
		return 2 * PASSES_WRITE_VERIFY;
	case MEMTEST_FIXED:
		return FIXED_PATTERNS * PASSES_WRITE_VERIFY;
	case MEMTEST_MOVINV:
		return MOVINV_PATTERNS * PASSES_MOVINV;
	default:
		return PASSES_WRITE_VERIFY;
	}
}

void __attribute__((noinline)) memtest_between_phases(struct memtest *mt)
{
	if (mt->hooks.after_write)
		mt->hooks.after_write(mt->hooks.ctx);
	__asm__ volatile ("" ::: "memory");
}

static void report(struct memtest *mt, const volatile uint64_t *word, uint64_t expected,
		   uint64_t got)
{
	struct memtest_fault f = { (uintptr_t)word, expected, got };

	mt->errors++;
	if (mt->hooks.fault)
		mt->hooks.fault(mt->hooks.ctx, &f);
}

/* Marsaglia's xorshift64: three shifts and no multiply, so the random
 * test runs near memory speed. Never 0 from a state that is not 0. */
static uint64_t xorshift64(uint64_t x)
{
	x ^= x << 13;
	x ^= x >> 7;
	return x ^ x << 17;
}

static inline __attribute__((always_inline)) uint64_t next_value(enum pattern_kind kind,
								  uint64_t v)
{
	switch (kind) {
	case PATTERN_FIXED:
		return v;
	case PATTERN_ADDRESS:
		return v + MEMTEST_WORD_BYTES;
	case PATTERN_WALK:
		return v << 1 | v >> (WORD_BITS - 1);
	default:
		return xorshift64(v);
	}
}

static uint64_t slice_start(const struct pattern *p, volatile uint64_t *w)
{
	unsigned shift = ((uintptr_t)w / MEMTEST_WORD_BYTES) % WORD_BITS;

	switch (p->kind) {
	case PATTERN_ADDRESS:
		return (uintptr_t)w;
	case PATTERN_WALK:
		return shift ? p->value << shift | p->value >> (WORD_BITS - shift) : p->value;
	default:
		return p->value;
	}
}

/* Word by word: the slow path, and the tail of a slice. Returns the value
 * after the last word. */
static uint64_t verify_words(struct memtest *mt, volatile uint64_t *w, size_t n,
			     enum pattern_kind kind, uint64_t v)
{
	for (size_t i = 0; i < n; i++) {
		uint64_t got = w[i];
		if (got != v)
			report(mt, &w[i], v, got);
		v = next_value(kind, v);
	}
	return v;
}

static inline __attribute__((always_inline)) uint64_t write_stream(volatile uint64_t *w,
								    size_t n,
								    enum pattern_kind kind,
								    uint64_t v)
{
#pragma GCC unroll 8
	for (size_t i = 0; i < n; i++) {
		w[i] = v;
		v = next_value(kind, v);
	}
	return v;
}

/* Eight words per branch; a group with a mismatch is rechecked word by word. */
static inline __attribute__((always_inline)) uint64_t verify_stream(struct memtest *mt,
								     volatile uint64_t *w,
								     size_t n,
								     enum pattern_kind kind,
								     uint64_t v)
{
	size_t i = 0;

	for (; i + UNROLL <= n; i += UNROLL) {
		uint64_t first = v, diff = 0;
#pragma GCC unroll 8
		for (size_t j = 0; j < UNROLL; j++) {
			diff |= w[i + j] ^ v;
			v = next_value(kind, v);
		}
		if (diff)
			verify_words(mt, w + i, UNROLL, kind, first);
	}
	return verify_words(mt, w + i, n - i, kind, v);
}

/* The switch picks a loop compiled for each kind. */
static void write_slice(volatile uint64_t *w, size_t n, struct pattern *p)
{
	uint64_t v = slice_start(p, w);

	switch (p->kind) {
	case PATTERN_FIXED:
		write_stream(w, n, PATTERN_FIXED, v);
		break;
	case PATTERN_ADDRESS:
		write_stream(w, n, PATTERN_ADDRESS, v);
		break;
	case PATTERN_WALK:
		write_stream(w, n, PATTERN_WALK, v);
		break;
	case PATTERN_RANDOM:
		p->value = write_stream(w, n, PATTERN_RANDOM, v);
		break;
	}
}

static void verify_slice(struct memtest *mt, volatile uint64_t *w, size_t n, struct pattern *p)
{
	uint64_t v = slice_start(p, w);

	switch (p->kind) {
	case PATTERN_FIXED:
		verify_stream(mt, w, n, PATTERN_FIXED, v);
		break;
	case PATTERN_ADDRESS:
		verify_stream(mt, w, n, PATTERN_ADDRESS, v);
		break;
	case PATTERN_WALK:
		verify_stream(mt, w, n, PATTERN_WALK, v);
		break;
	case PATTERN_RANDOM:
		p->value = verify_stream(mt, w, n, PATTERN_RANDOM, v);
		break;
	}
}

/* Moving inversions: each word must hold p->value; it gets ~p->value. */
static void invert_slice(struct memtest *mt, volatile uint64_t *w, size_t n, bool down,
			 uint64_t value)
{
	for (size_t k = 0; k < n; k++) {
		size_t i = down ? n - 1 - k : k;
		uint64_t got = w[i];
		if (got != value)
			report(mt, &w[i], value, got);
		w[i] = ~value;
	}
}

/* The memset test: the C library fills, a plain loop compares (the
 * verify_words loop, without verify_stream's grouping). */
static void memset_slice(struct memtest *mt, volatile uint64_t *w, size_t n, bool verify,
			 uint8_t byte)
{
	uint64_t value = byte * 0x0101010101010101ull;

	if (!verify) {
		memset((void *)w, byte, n * MEMTEST_WORD_BYTES);
		return;
	}
	verify_words(mt, w, n, PATTERN_FIXED, value);
}

enum pass_op { PASS_WRITE, PASS_VERIFY, PASS_INVERT_UP, PASS_INVERT_DOWN, PASS_MEMSET,
	       PASS_MEMSET_VERIFY };

static void run_slice(struct memtest *mt, enum pass_op op, volatile uint64_t *w, size_t n,
		      struct pattern *p)
{
	switch (op) {
	case PASS_WRITE:
		write_slice(w, n, p);
		break;
	case PASS_VERIFY:
		verify_slice(mt, w, n, p);
		break;
	case PASS_INVERT_UP:
	case PASS_INVERT_DOWN:
		invert_slice(mt, w, n, op == PASS_INVERT_DOWN, p->value);
		break;
	case PASS_MEMSET:
	case PASS_MEMSET_VERIFY:
		memset_slice(mt, w, n, op == PASS_MEMSET_VERIFY, (uint8_t)p->value);
		break;
	}
}

static bool keep_going(struct memtest *mt)
{
	return !mt->hooks.keep_going || mt->hooks.keep_going(mt->hooks.ctx, mt->done, mt->total);
}

/* One pass over every range (the share's part of it), slice by slice
 * (downwards for PASS_INVERT_DOWN). */
static bool pass(struct memtest *mt, enum pass_op op, struct pattern p)
{
	bool down = op == PASS_INVERT_DOWN;
	const size_t slice_words = MEMTEST_SLICE_BYTES / MEMTEST_WORD_BYTES;
	uint64_t cost = op == PASS_INVERT_UP || op == PASS_INVERT_DOWN ? 2 : 1;
	uint64_t offset = down ? memtest_ranges_bytes(mt) : 0;	/* along the line */

	for (size_t j = 0; j < mt->count; j++) {
		size_t k = down ? mt->count - 1 - j : j;
		uint64_t at = down ? offset - mt->ranges[k].bytes : offset, first = 0;
		uint64_t words = memtest_share_words(mt, k, at, &first);
		volatile uint64_t *base = (volatile uint64_t *)mt->ranges[k].base + first;
		offset = down ? at : at + mt->ranges[k].bytes;
		for (uint64_t done = 0; done < words;) {
			size_t n = words - done < slice_words ? (size_t)(words - done) : slice_words;
			run_slice(mt, op, base + (down ? words - done - n : done), n, &p);
			done += n;
			mt->done += cost * n * MEMTEST_WORD_BYTES;
			if (!keep_going(mt))
				return false;
		}
	}
	return true;
}

static bool write_then_verify(struct memtest *mt, struct pattern p)
{
	if (!pass(mt, PASS_WRITE, p))
		return false;
	memtest_between_phases(mt);
	return pass(mt, PASS_VERIFY, p);
}

static bool fixed_test(struct memtest *mt)
{
	for (size_t i = 0; i < FIXED_PATTERNS; i++)
		if (!write_then_verify(mt, (struct pattern){ PATTERN_FIXED, fixed_patterns[i] }))
			return false;
	return true;
}

static bool movinv_test(struct memtest *mt)
{
	for (size_t i = 0; i < MOVINV_PATTERNS; i++) {
		uint64_t v = movinv_patterns[i];
		if (!pass(mt, PASS_WRITE, (struct pattern){ PATTERN_FIXED, v }))
			return false;
		memtest_between_phases(mt);
		if (!pass(mt, PASS_INVERT_UP, (struct pattern){ PATTERN_FIXED, v }))
			return false;
		memtest_between_phases(mt);
		if (!pass(mt, PASS_INVERT_DOWN, (struct pattern){ PATTERN_FIXED, ~v }))
			return false;
	}
	return true;
}

static bool memset_test(struct memtest *mt)
{
	struct pattern p = { PATTERN_FIXED, MEMSET_BYTE };

	if (!pass(mt, PASS_MEMSET, p))
		return false;
	memtest_between_phases(mt);
	return pass(mt, PASS_MEMSET_VERIFY, p);
}

/* Any seed, 0 included, gives a distinct non-zero xorshift state; each
 * share starts its own stream. */
static uint64_t random_state(const struct memtest *mt)
{
	uint64_t seed = mt->seed + (mt->shared ? mt->share_offset : 0);

	return rng_next(&seed) | 1;
}

bool memtest_run(struct memtest *mt, enum memtest_test test)
{
	mt->done = 0;
	mt->total = memtest_bytes(mt) * memtest_passes(test);
	switch (test) {
	case MEMTEST_ADDRESS:
		return write_then_verify(mt, (struct pattern){ PATTERN_ADDRESS, 0 });
	case MEMTEST_WALK:
		return write_then_verify(mt, (struct pattern){ PATTERN_WALK, 1 }) &&
		       write_then_verify(mt, (struct pattern){ PATTERN_WALK, ~1ull });
	case MEMTEST_FIXED:
		return fixed_test(mt);
	case MEMTEST_MOVINV:
		return movinv_test(mt);
	case MEMTEST_RANDOM:
		return write_then_verify(mt, (struct pattern){ PATTERN_RANDOM, random_state(mt) });
	default:
		return memset_test(mt);
	}
}
