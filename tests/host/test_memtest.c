/*
 * Unit tests of the RAM test patterns (lib/memtest.c) over a host buffer
 * that plays faulty RAM: the after_write hook, called where the firmware
 * calls memtest_between_phases, forces a stuck bit or copies words across a
 * shorted address line, as broken memory would have stored them. Each test
 * must find the fault it is built for, report that word and bit, and find
 * nothing in good memory. Shares (several harts each testing a part) cover
 * every word of the ranges exactly once.
 */
#include <stdlib.h>
#include <string.h>

#include "lib/memtest.h"
#include "tests/host/tap.h"

#define BUF_BYTES (1024 * 1024 + 4096)	/* more than 4 slices' worth, not a multiple */
#define WORDS (BUF_BYTES / 8)
#define MAX_FAULTS 64
#define VICTIM 1234			/* word index of the stuck bit */
#define SHARES 3
#define SENTINEL 0x5e5e5e5e5e5e5e5eull	/* in words outside the ranges */

static uint64_t *buf;

enum fault_model { GOOD, STUCK_AT_1, STUCK_AT_0, SHORTED_LINE };

struct bench {
	enum fault_model model;
	unsigned bit;			/* stuck bit, or shorted address line */
	size_t faults;
	struct memtest_fault seen[MAX_FAULTS];
	uint64_t slices, stop_after;	/* stop_after 0: never */
};

static void apply_fault(void *ctx)
{
	struct bench *b = ctx;

	switch (b->model) {
	case STUCK_AT_1:
		buf[VICTIM] |= 1ull << b->bit;
		break;
	case STUCK_AT_0:
		buf[VICTIM] &= ~(1ull << b->bit);
		break;
	case SHORTED_LINE: {
		/* Address line `bit` ignored: a word and its partner share one
		 * cell, which holds what was written last (the upper one). */
		uintptr_t line = 1ull << b->bit;
		for (size_t i = 0; i < WORDS; i++) {
			uintptr_t a = (uintptr_t)&buf[i];
			if (!(a & line) && (a | line) < (uintptr_t)&buf[WORDS])
				buf[i] = *(uint64_t *)(a | line);
		}
		break;
	}
	case GOOD:
		break;
	}
}

static void record_fault(void *ctx, const struct memtest_fault *f)
{
	struct bench *b = ctx;

	if (b->faults < MAX_FAULTS)
		b->seen[b->faults] = *f;
	b->faults++;
}

static bool count_slice(void *ctx, uint64_t done, uint64_t total)
{
	struct bench *b = ctx;

	(void)done, (void)total;
	return !b->stop_after || ++b->slices < b->stop_after;
}

static bool run(struct bench *b, enum memtest_test test, uint64_t seed)
{
	struct memtest_range r = { (uintptr_t)buf, BUF_BYTES };
	struct memtest mt = { .ranges = &r, .count = 1, .seed = seed,
			      .hooks = { record_fault, count_slice, apply_fault, b } };
	bool finished = memtest_run(&mt, test);

	TAP_CHECK_EQ(mt.errors, b->faults);
	return finished;
}

/* The first fault names the victim word and exactly the stuck bit. */
static bool found_victim(const struct bench *b)
{
	return b->faults > 0 && b->seen[0].addr == (uintptr_t)&buf[VICTIM] &&
	       (b->seen[0].expected ^ b->seen[0].got) == 1ull << b->bit;
}

static void test_good_memory_passes_every_test(void)
{
	for (int t = 0; t < MEMTEST_TESTS; t++) {
		struct bench b = { .model = GOOD };
		TAP_CHECK(run(&b, t, 42));
		TAP_CHECK_EQ(b.faults, 0);
	}
}

static void test_stuck_bit_found_by_every_test(void)
{
	static const unsigned bits[] = { 0, 8, 31, 63 };

	for (int t = 0; t < MEMTEST_TESTS; t++)
		for (size_t i = 0; i < sizeof(bits) / sizeof(bits[0]); i++) {
			struct bench one = { .model = STUCK_AT_1, .bit = bits[i] };
			struct bench zero = { .model = STUCK_AT_0, .bit = bits[i] };
			run(&one, t, 7);
			run(&zero, t, 7);
			if (t == MEMTEST_ADDRESS || t == MEMTEST_RANDOM || t == MEMTEST_MEMSET)
				continue;	/* their data need not hold that bit at 0 and 1 */
			TAP_CHECK(found_victim(&one));
			TAP_CHECK(found_victim(&zero));
		}
}

/* Walking ones and zeros put every bit of every word at 0 and at 1. */
static void test_walk_finds_each_stuck_data_line(void)
{
	for (unsigned bit = 0; bit < 64; bit++) {
		struct bench one = { .model = STUCK_AT_1, .bit = bit };
		struct bench zero = { .model = STUCK_AT_0, .bit = bit };
		run(&one, MEMTEST_WALK, 0);
		run(&zero, MEMTEST_WALK, 0);
		TAP_CHECK(found_victim(&one));
		TAP_CHECK(found_victim(&zero));
	}
}

/* A shorted address line is invisible to constant patterns; the
 * address test sees it in every lower partner word. */
static void test_shorted_address_line(void)
{
	struct bench fixed = { .model = SHORTED_LINE, .bit = 12 };
	struct bench address = { .model = SHORTED_LINE, .bit = 12 };

	run(&fixed, MEMTEST_FIXED, 0);
	run(&address, MEMTEST_ADDRESS, 0);
	TAP_CHECK_EQ(fixed.faults, 0);
	TAP_CHECK(address.faults > 0);
	TAP_CHECK_EQ(address.seen[0].expected ^ address.seen[0].got, 1ull << 12);
	TAP_CHECK_EQ(address.seen[0].addr, address.seen[0].expected);
	TAP_CHECK_EQ(address.seen[0].addr & (1ull << 12), 0);
}

/* The same seed writes the same data, so a failure can be repeated. */
static void test_random_seed_repeats(void)
{
	struct bench b = { .model = GOOD };
	uint64_t *copy = malloc(BUF_BYTES);

	run(&b, MEMTEST_RANDOM, 99);
	memcpy(copy, buf, BUF_BYTES);
	run(&b, MEMTEST_RANDOM, 12345);
	TAP_CHECK(memcmp(copy, buf, BUF_BYTES) != 0);
	run(&b, MEMTEST_RANDOM, 99);
	TAP_CHECK(memcmp(copy, buf, BUF_BYTES) == 0);
	TAP_CHECK_EQ(b.faults, 0);
	free(copy);
}

/* keep_going false stops a test at once: one slice, not the whole run. */
static void test_stop_after_one_slice(void)
{
	for (int t = 0; t < MEMTEST_TESTS; t++) {
		struct bench b = { .model = GOOD, .stop_after = 1 };
		TAP_CHECK(!run(&b, t, 1));
		TAP_CHECK_EQ(b.slices, 1);
	}
}

static void test_names_and_passes(void)
{
	TAP_CHECK_EQ(memtest_find("address"), MEMTEST_ADDRESS);
	TAP_CHECK_EQ(memtest_find("memset"), MEMTEST_MEMSET);
	TAP_CHECK_EQ(memtest_find("bogus"), -1);
	TAP_CHECK(!strcmp(memtest_name(MEMTEST_MOVINV), "movinv"));
	TAP_CHECK_EQ(memtest_passes(MEMTEST_FIXED), 34);	/* 17 patterns */
	TAP_CHECK_EQ(memtest_passes(MEMTEST_ADDRESS), 2);
	TAP_CHECK_EQ(MEMTEST_DEFAULT_SET & (1u << MEMTEST_MEMSET), 0);
}

/* done reaches total: progress ends at 100%. */
static void test_progress_reaches_total(void)
{
	struct memtest_range r = { (uintptr_t)buf, BUF_BYTES };
	struct memtest mt = { .ranges = &r, .count = 1 };

	for (int t = 0; t < MEMTEST_TESTS; t++) {
		TAP_CHECK(memtest_run(&mt, t));
		TAP_CHECK_EQ(mt.done, mt.total);
		TAP_CHECK_EQ(mt.total, (uint64_t)BUF_BYTES * memtest_passes(t));
	}
}

/* Three ranges with gaps, split in SHARES shares: the address test leaves
 * every word of the ranges holding its address, and the gaps untouched;
 * the shares' totals add up to the whole; a stuck bit is reported as
 * often as by one run over all the ranges. */
static void test_shares_cover_every_word_once(void)
{
	struct memtest_range r[] = {
		{ (uintptr_t)&buf[8], 40960 }, { (uintptr_t)&buf[8192], 300000 },
		{ (uintptr_t)&buf[65536], 8 * (WORDS - 65536) },
	};
	uint64_t total = 0, whole = 0, bytes = 0;
	struct bench b = { .model = STUCK_AT_1, .bit = 5 };

	for (size_t i = 0; i < WORDS; i++)
		buf[i] = SENTINEL;
	for (unsigned k = 0; k < SHARES; k++) {
		struct memtest mt = { .ranges = r, .count = 3 };
		memtest_share(&mt, k, SHARES);
		TAP_CHECK_EQ(mt.share_offset % MEMTEST_SHARE_ALIGN, 0);
		TAP_CHECK(memtest_run(&mt, MEMTEST_ADDRESS));
		total += mt.total;
		bytes += memtest_bytes(&mt);
	}
	for (size_t k = 0; k < 3; k++)
		whole += r[k].bytes;
	TAP_CHECK_EQ(bytes, whole);
	TAP_CHECK_EQ(total, whole * memtest_passes(MEMTEST_ADDRESS));
	size_t wrong = 0;
	for (size_t i = 0; i < WORDS; i++) {
		bool inside = (i >= 8 && i < 8 + 40960 / 8) || (i >= 8192 && i < 8192 + 300000 / 8) ||
			      i >= 65536;
		wrong += buf[i] != (inside ? (uint64_t)(uintptr_t)&buf[i] : SENTINEL);
	}
	TAP_CHECK_EQ(wrong, 0);
	for (unsigned k = 0; k < SHARES; k++) {
		struct memtest mt = { .ranges = r, .count = 3,
				      .hooks = { record_fault, NULL, apply_fault, &b } };
		memtest_share(&mt, k, SHARES);
		memtest_run(&mt, MEMTEST_FIXED);
	}
	struct bench unshared = { .model = STUCK_AT_1, .bit = 5 };
	struct memtest mt = { .ranges = r, .count = 3,
			      .hooks = { record_fault, NULL, apply_fault, &unshared } };
	memtest_run(&mt, MEMTEST_FIXED);
	TAP_CHECK(found_victim(&b));
	TAP_CHECK(b.faults > 0);
	TAP_CHECK_EQ(b.faults, unshared.faults);
}

/* Each share's random stream is its own. */
static void test_shares_hold_different_random_data(void)
{
	struct memtest_range r = { (uintptr_t)buf, 2 * MEMTEST_SHARE_ALIGN };
	struct memtest first = { .ranges = &r, .count = 1, .seed = 9 }, second = first;

	memtest_share(&first, 0, 2);
	memtest_share(&second, 1, 2);
	TAP_CHECK(memtest_run(&first, MEMTEST_RANDOM) && memtest_run(&second, MEMTEST_RANDOM));
	TAP_CHECK(memcmp(buf, &buf[MEMTEST_SHARE_ALIGN / 8], MEMTEST_SHARE_ALIGN) != 0);
}

int main(void)
{
	buf = aligned_alloc(1 << 20, (BUF_BYTES + (1 << 20) - 1) & ~((1 << 20) - 1));
	TAP_RUN(test_good_memory_passes_every_test);
	TAP_RUN(test_stuck_bit_found_by_every_test);
	TAP_RUN(test_walk_finds_each_stuck_data_line);
	TAP_RUN(test_shorted_address_line);
	TAP_RUN(test_random_seed_repeats);
	TAP_RUN(test_stop_after_one_slice);
	TAP_RUN(test_names_and_passes);
	TAP_RUN(test_progress_reaches_total);
	TAP_RUN(test_shares_cover_every_word_once);
	TAP_RUN(test_shares_hold_different_random_data);
	free(buf);
	return tap_done();
}
