/*
 * RAM test patterns (see memtest.h). Every test is a sequence of passes
 * over all ranges, slice by slice: a write pass, a verify pass, or (moving
 * inversions) a pass that verifies each word and writes its complement.
 * The hot loops are unrolled and verify eight words per branch, so a test
 * runs at about the speed of memset and a compare loop.
 */
#include <string.h>

#include "lib/memtest.h"
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

/* What a word should hold: a constant, or a function of its address or
 * of its place in a pseudo-random stream. */
enum pattern_kind { PATTERN_FIXED, PATTERN_ADDRESS, PATTERN_WALK_ONES, PATTERN_WALK_ZEROS,
		    PATTERN_RANDOM };

struct pattern {
	enum pattern_kind kind;
	uint64_t value;		/* the constant, or the random stream's state */
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

void __attribute__((noinline, noipa)) memtest_between_phases(struct memtest *mt)
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

/* The walking bit of the word at addr: bit (word index mod 64). */
static uint64_t walking_one(uintptr_t addr)
{
	return 1ull << ((addr / MEMTEST_WORD_BYTES) % WORD_BITS);
}

static uint64_t address_pattern(enum pattern_kind kind, uintptr_t addr)
{
	if (kind == PATTERN_ADDRESS)
		return addr;
	return kind == PATTERN_WALK_ONES ? walking_one(addr) : ~walking_one(addr);
}

static void write_fixed(volatile uint64_t *w, size_t n, uint64_t value)
{
#pragma GCC unroll 8
	for (size_t i = 0; i < n; i++)
		w[i] = value;
}

static void verify_words(struct memtest *mt, volatile uint64_t *w, size_t n, uint64_t value)
{
	for (size_t i = 0; i < n; i++) {
		uint64_t got = w[i];
		if (got != value)
			report(mt, &w[i], value, got);
	}
}

/* Eight words per branch; a group with a mismatch is rechecked word by word. */
static void verify_fixed(struct memtest *mt, volatile uint64_t *w, size_t n, uint64_t value)
{
	size_t i = 0;

	for (; i + UNROLL <= n; i += UNROLL) {
		uint64_t diff = 0;
#pragma GCC unroll 8
		for (size_t j = 0; j < UNROLL; j++)
			diff |= w[i + j] ^ value;
		if (diff)
			verify_words(mt, w + i, UNROLL, value);
	}
	verify_words(mt, w + i, n - i, value);
}

static void write_slice(volatile uint64_t *w, size_t n, struct pattern *p)
{
	switch (p->kind) {
	case PATTERN_FIXED:
		write_fixed(w, n, p->value);
		break;
	case PATTERN_RANDOM:
		for (size_t i = 0; i < n; i++)
			w[i] = rng_next(&p->value);
		break;
	default:
		for (size_t i = 0; i < n; i++)
			w[i] = address_pattern(p->kind, (uintptr_t)&w[i]);
	}
}

static void verify_slice(struct memtest *mt, volatile uint64_t *w, size_t n, struct pattern *p)
{
	switch (p->kind) {
	case PATTERN_FIXED:
		verify_fixed(mt, w, n, p->value);
		break;
	case PATTERN_RANDOM:
		for (size_t i = 0; i < n; i++) {
			uint64_t want = rng_next(&p->value), got = w[i];
			if (got != want)
				report(mt, &w[i], want, got);
		}
		break;
	default:
		for (size_t i = 0; i < n; i++) {
			uint64_t want = address_pattern(p->kind, (uintptr_t)&w[i]), got = w[i];
			if (got != want)
				report(mt, &w[i], want, got);
		}
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
 * verify_words loop, without verify_fixed's grouping). */
static void memset_slice(struct memtest *mt, volatile uint64_t *w, size_t n, bool verify,
			 uint8_t byte)
{
	uint64_t value = byte * 0x0101010101010101ull;

	if (!verify) {
		memset((void *)w, byte, n * MEMTEST_WORD_BYTES);
		return;
	}
	verify_words(mt, w, n, value);
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

/* One pass over every range, slice by slice (downwards for PASS_INVERT_DOWN). */
static bool pass(struct memtest *mt, enum pass_op op, struct pattern p)
{
	bool down = op == PASS_INVERT_DOWN;
	const size_t slice_words = MEMTEST_SLICE_BYTES / MEMTEST_WORD_BYTES;
	uint64_t cost = op == PASS_INVERT_UP || op == PASS_INVERT_DOWN ? 2 : 1;

	for (size_t k = 0; k < mt->count; k++) {
		const struct memtest_range *r = &mt->ranges[down ? mt->count - 1 - k : k];
		uint64_t words = r->bytes / MEMTEST_WORD_BYTES;
		for (uint64_t done = 0; done < words;) {
			size_t n = words - done < slice_words ? (size_t)(words - done) : slice_words;
			uint64_t first = down ? words - done - n : done;
			run_slice(mt, op, (volatile uint64_t *)r->base + first, n, &p);
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

bool memtest_run(struct memtest *mt, enum memtest_test test)
{
	uint64_t bytes = 0;

	for (size_t k = 0; k < mt->count; k++)
		bytes += mt->ranges[k].bytes;
	mt->done = 0;
	mt->total = bytes * memtest_passes(test);
	switch (test) {
	case MEMTEST_ADDRESS:
		return write_then_verify(mt, (struct pattern){ PATTERN_ADDRESS, 0 });
	case MEMTEST_WALK:
		return write_then_verify(mt, (struct pattern){ PATTERN_WALK_ONES, 0 }) &&
		       write_then_verify(mt, (struct pattern){ PATTERN_WALK_ZEROS, 0 });
	case MEMTEST_FIXED:
		return fixed_test(mt);
	case MEMTEST_MOVINV:
		return movinv_test(mt);
	case MEMTEST_RANDOM:
		return write_then_verify(mt, (struct pattern){ PATTERN_RANDOM, mt->seed });
	default:
		return memset_test(mt);
	}
}
