/*
 * memtest [-p PASSES] [-t TESTS] [-s SEED] [ADDR LEN]: the RAM test.
 * It takes every free frame (frame_grab.h), so nothing the firmware, the
 * heap, the shell's allocations or a reservation holds is touched, runs
 * the pattern tests of lib/memtest.h over them, and gives them back. A
 * frame that failed stays allocated for the rest of the boot (retired:
 * bad_frames.h) and shows in `mem` as a reservation owned by "bad".
 * With ADDR LEN only that range is tested, and only when all of it is free.
 *
 * Output (stable, for scripts):
 *   memtest: fail 0xADDR expected 0x%016x got 0x%016x (bits 0x%016x)
 *   memtest: pass P/N TEST NN%                      (about once a second)
 *   memtest: pass P/N TEST 100% N MiB/s             (each test's end)
 *   memtest: tested N MiB, N passes, N errors, N frames retired, N MiB/s
 * With several harts (shell/memtest_harts.h) each test runs on all of them
 * at once, each over its share (of a slice, 256 KiB, at least: a smaller
 * range takes fewer harts), and the figures above are theirs together;
 * in pass 1, hart 0 first runs each test alone over its share. Then:
 *   memtest: N harts test a share each; hart 0 first tests its share alone
 *                                                   (after the plan)
 *   memtest: speed 1 hart N MiB/s, N harts N MiB/s  (after the summary)
 * Ctrl-C stops within a slice of work and gives every frame back.
 */
#include <string.h>

#include "lib/console.h"
#include "lib/errors.h"
#include "lib/format.h"
#include "lib/harts.h"
#include "lib/memtest.h"
#include "lib/platform.h"
#include "shell/command.h"
#include "shell/frame_grab.h"
#include "shell/interrupt.h"
#include "shell/machine.h"
#include "shell/memtest_harts.h"
#include "shell/memtest_owner.h"
#include "shell/parse.h"
#include "shell/progress.h"
#include "shell/shell.h"

#define MEMTEST_MAX_PASSES 1000000
#define MEMTEST_FAIL_LINES 20		/* failure lines printed per run */
#define PERCENT 100
#define KIB 1024ull
#define NS_PER_SEC 1000000000ull
#define HUNDREDTHS 100
#define MEMTEST_TESTS_TEXT_MAX 64	/* longest -t list: every name once, and more */

struct memtest_options {
	uint64_t passes;
	unsigned tests;			/* bit per enum memtest_test */
	uint64_t seed;
	bool range;
	uint64_t addr, len;
};

struct memtest_session {
	struct machine *m;
	uint64_t pass, passes;
	enum memtest_test test;
	uint64_t last_progress_ns;
	uint64_t fail_lines;
	bool table_full;
	unsigned harts;			/* testing at once */
	uint64_t pass_bytes, ns;	/* all of them, as the summary counts */
	uint64_t alone_bytes, alone_ns;	/* hart 0 alone over its share */
};

static enum cmd_result bad_tests(const char *text)
{
	console_printf("error: bad TESTS '%s': a comma-separated list of", text);
	for (int t = 0; t < MEMTEST_TESTS; t++)
		console_printf(" %s", memtest_name(t));
	console_puts(", or all\n");
	return CMD_FAIL;
}

/* "address,fixed" or "all" into a bit set. */
static enum cmd_result parse_tests(char *text, unsigned *tests)
{
	char copy[MEMTEST_TESTS_TEXT_MAX];
	char *save = copy;

	if (!strcmp(text, "all")) {
		*tests = MEMTEST_DEFAULT_SET;
		return CMD_OK;
	}
	if (strlen(text) >= sizeof(copy))
		return bad_tests(text);
	strcpy(copy, text);
	*tests = 0;
	for (char *name = copy; name; name = save) {
		save = strchr(name, ',');
		if (save)
			*save++ = '\0';
		int t = memtest_find(name);
		if (t < 0)
			return bad_tests(text);
		*tests |= 1u << t;
	}
	return CMD_OK;
}

static enum cmd_result parse_options(int argc, char **argv, struct memtest_options *o)
{
	int i = 1;

	*o = (struct memtest_options){ .passes = 1, .tests = MEMTEST_DEFAULT_SET,
				       .seed = platform_time_ns() };
	for (; i + 1 < argc && argv[i][0] == '-'; i += 2) {
		if (!strcmp(argv[i], "-p")) {
			if (arg_u64("PASSES", argv[i + 1], &o->passes))
				return CMD_FAIL;
			if (o->passes == 0 || o->passes > MEMTEST_MAX_PASSES) {
				console_printf("error: bad PASSES '%s': must be 1..%u\n",
					       argv[i + 1], MEMTEST_MAX_PASSES);
				return CMD_FAIL;
			}
		} else if (!strcmp(argv[i], "-t")) {
			if (parse_tests(argv[i + 1], &o->tests) != CMD_OK)
				return CMD_FAIL;
		} else if (!strcmp(argv[i], "-s")) {
			if (arg_u64("SEED", argv[i + 1], &o->seed))
				return CMD_FAIL;
		} else {
			return CMD_USAGE;
		}
	}
	if (argc - i == 0)
		return CMD_OK;
	if (argc - i != 2)
		return CMD_USAGE;
	if (arg_u64("ADDR", argv[i], &o->addr) || arg_size("LEN", argv[i + 1], &o->len))
		return CMD_FAIL;
	if (o->addr % FRAME_SIZE || o->len % FRAME_SIZE || o->len == 0 ||
	    o->addr + o->len < o->addr) {
		console_puts("error: memtest: ADDR and LEN must be multiples of 4 KiB, LEN not 0\n");
		return CMD_FAIL;
	}
	o->range = true;
	return CMD_OK;
}

/* "N" or "N.NN" MiB, without floating point. */
static void print_mib(uint64_t bytes)
{
	uint64_t mib = bytes >> 20, rest = (bytes & ((1ull << 20) - 1)) * HUNDREDTHS >> 20;

	if (rest)
		console_printf("%llu.%02llu MiB", (unsigned long long)mib, (unsigned long long)rest);
	else
		console_printf("%llu MiB", (unsigned long long)mib);
}

/* One write-and-verify sweep counts once: see memtest_passes(). */
static uint64_t mib_per_sec(uint64_t pass_bytes, uint64_t ns)
{
	return ns ? pass_bytes / 2 / KIB * NS_PER_SEC / ns / KIB : 0;
}

static void on_fault(void *ctx, const struct memtest_fault *f)
{
	struct memtest_session *s = ctx;

	if (s->fail_lines < MEMTEST_FAIL_LINES)
		console_printf("memtest: fail 0x%lx expected 0x%016llx got 0x%016llx (bits 0x%016llx)\n",
			       (unsigned long)f->addr, (unsigned long long)f->expected,
			       (unsigned long long)f->got,
			       (unsigned long long)(f->expected ^ f->got));
	else if (s->fail_lines == MEMTEST_FAIL_LINES)
		console_puts("memtest: more failures, not shown\n");
	s->fail_lines++;
	if (!bad_frames_add(&s->m->bad, f->addr) && !s->table_full) {
		s->table_full = true;
		console_printf("memtest: more than %u bad frames: the rest stay in use\n",
			       BAD_FRAMES_MAX);
	}
}

static bool on_slice(void *ctx, uint64_t done, uint64_t total)
{
	struct memtest_session *s = ctx;
	uint64_t now = platform_time_ns();

	if (now - s->last_progress_ns >= PROGRESS_INTERVAL_NS) {
		s->last_progress_ns = now;
		console_printf("memtest: pass %llu/%llu %s %llu%%\n", (unsigned long long)s->pass,
			       (unsigned long long)s->passes, memtest_name(s->test),
			       (unsigned long long)(total ? done / (total / PERCENT + 1) : 0));
	}
	return !interrupt_requested();
}

static bool still_going(void *ctx, uint64_t done, uint64_t total)
{
	(void)ctx, (void)done, (void)total;
	return !interrupt_requested();
}

/* With several harts, pass 1 runs each test on this hart alone over its
 * share first, without progress lines: the 1-hart speed. */
static bool run_alone(struct memtest_session *s, struct memtest *mt, enum memtest_test t)
{
	struct memtest alone = *mt;

	alone.hooks.keep_going = still_going;
	memtest_share(&alone, 0, s->harts);
	uint64_t start = platform_time_ns();
	bool finished = memtest_run(&alone, t);
	s->alone_ns += platform_time_ns() - start;
	s->alone_bytes += alone.done;
	mt->errors = alone.errors;
	return finished;
}

/* One test, on every hart; *ns is how long it took. False, with a line
 * saying why, when it was stopped. */
static bool run_test(struct memtest_session *s, struct memtest *mt, enum memtest_test t,
		     uint64_t *ns)
{
	struct team_failure failure = { 0, 0 };

	if (s->harts > 1 && s->pass == 1 && !run_alone(s, mt, t)) {
		console_puts("memtest: stopped by Ctrl-C\n");
		return false;
	}
	uint64_t start = s->last_progress_ns = platform_time_ns();
	bool finished = s->harts == 1 ? memtest_run(mt, t)
				      : memtest_run_on_harts(mt, t, s->harts, &failure);
	*ns = platform_time_ns() - start;
	s->ns += *ns;
	s->pass_bytes += mt->done;
	if (failure.err)
		team_print_failure("memtest", &failure);
	else if (!finished)
		console_puts("memtest: stopped by Ctrl-C\n");
	return finished;
}

/* Runs every selected test PASSES times; returns the passes completed. */
static uint64_t run_passes(struct memtest_session *s, struct memtest *mt,
			   const struct memtest_options *o)
{
	for (s->pass = 1; s->pass <= o->passes; s->pass++) {
		for (int t = 0; t < MEMTEST_TESTS; t++) {
			if (!(o->tests & (1u << t)))
				continue;
			s->test = t;
			uint64_t ns;
			if (!run_test(s, mt, t, &ns))
				return s->pass - 1;
			console_printf("memtest: pass %llu/%llu %s 100%% %llu MiB/s\n",
				       (unsigned long long)s->pass, (unsigned long long)o->passes,
				       memtest_name(t), (unsigned long long)mib_per_sec(mt->done, ns));
		}
	}
	return o->passes;
}

/* Every hart, as long as each gets a slice of work at least. */
static unsigned harts_to_use(uint64_t bytes)
{
	uint64_t slices = bytes / MEMTEST_SLICE_BYTES;

	if (slices >= hart_count())
		return hart_count();
	return slices ? (unsigned)slices : 1;
}

static void print_plan(const struct frame_grab *g, const struct memtest *mt,
		       const struct memtest_options *o, unsigned harts)
{
	uint64_t bytes = memtest_bytes(mt);

	console_puts("memtest: testing ");
	print_mib(bytes);
	console_printf(" in %zu blocks, tests", mt->count);
	for (int t = 0; t < MEMTEST_TESTS; t++)
		if (o->tests & (1u << t))
			console_printf(" %s", memtest_name(t));
	console_printf(", seed 0x%llx\n", (unsigned long long)mt->seed);
	console_printf("memtest: %llu KiB at 0x%lx hold the block list (not tested)\n",
		       (unsigned long long)(g->list_bytes / KIB), (unsigned long)g->list);
	if (g->incomplete)
		console_puts("memtest: the block list is full: some free frames are not tested\n");
	if (harts > 1)
		console_printf("memtest: %u harts test a share each; hart 0 first tests its share alone\n",
			       harts);
}

/* The ranges to test: every taken block, or their parts in ADDR LEN. */
static enum cmd_result choose_ranges(struct machine *m, struct frame_grab *g,
				     const struct memtest_options *o, struct memtest *mt)
{
	uintptr_t gap;

	mt->ranges = g->blocks;
	mt->count = g->count;
	if (!o->range)
		return CMD_OK;
	if (!frame_grab_covers(g, o->addr, o->len, &gap)) {
		char owner[MEMTEST_OWNER_MAX];
		memtest_owner(m, g, gap, owner, sizeof(owner));
		console_printf("error: memtest: 0x%lx is not free: %s\n", (unsigned long)gap, owner);
		return CMD_FAIL;
	}
	mt->ranges = g->clipped;
	mt->count = frame_grab_clip(g, o->addr, o->len);
	return CMD_OK;
}

static void print_summary(const struct memtest_session *s, uint64_t bytes, uint64_t passes,
			  uint64_t errors, unsigned retired)
{
	console_puts("memtest: tested ");
	print_mib(bytes);
	console_printf(", %llu passes, %llu errors, %u frames retired, %llu MiB/s\n",
		       (unsigned long long)passes, (unsigned long long)errors, retired,
		       (unsigned long long)mib_per_sec(s->pass_bytes, s->ns));
	if (s->harts > 1)
		console_printf("memtest: speed 1 hart %llu MiB/s, %u harts %llu MiB/s\n",
			       (unsigned long long)mib_per_sec(s->alone_bytes, s->alone_ns), s->harts,
			       (unsigned long long)mib_per_sec(s->pass_bytes, s->ns));
}

static enum cmd_result cmd_memtest(struct shell *sh, int argc, char **argv)
{
	struct machine *m = sh->ctx;
	struct memtest_options o;
	struct frame_grab g;
	enum cmd_result result = parse_options(argc, argv, &o);

	if (result != CMD_OK)
		return result;
	if (frame_grab_all(&g, &m->mem.frames, o.addr, o.len) < 0) {
		console_puts("error: memtest: no free frames to test\n");
		return CMD_FAIL;
	}
	struct memtest_session s = { .m = m, .passes = o.passes };
	struct memtest mt = { .seed = o.seed,
			      .hooks = { .fault = on_fault, .keep_going = on_slice, .ctx = &s } };
	unsigned bad_before = m->bad.count;
	if (choose_ranges(m, &g, &o, &mt) != CMD_OK) {
		frame_grab_release(&g, &m->bad, bad_before);
		return CMD_FAIL;
	}
	s.harts = harts_to_use(memtest_bytes(&mt));
	print_plan(&g, &mt, &o, s.harts);
	uint64_t passes = run_passes(&s, &mt, &o), tested = memtest_bytes(&mt);
	/* The ranges live in the list frames, which the release frees. */
	unsigned retired = frame_grab_release(&g, &m->bad, bad_before);
	memtest_mark_retired(m, bad_before);
	print_summary(&s, tested, passes, mt.errors, retired);
	return CMD_OK;
}

static const struct command memtest_commands[] = {
	{ "memtest", 0, 8, cmd_memtest, "test the free RAM, retire bad frames",
	  "[-p PASSES] [-t TESTS] [-s SEED] [ADDR LEN]\n"
	  "  takes every free frame, tests it and gives it back; a frame that\n"
	  "  fails stays allocated (owner 'bad') for the rest of the boot\n"
	  "  -p PASSES  run the tests PASSES times (default 1)\n"
	  "  -t TESTS   comma-separated: address walk fixed movinv random memset,\n"
	  "             or all (default: all but memset, the speed reference)\n"
	  "  -s SEED    seed of the random test (default: from the clock, printed)\n"
	  "  ADDR LEN   only this range, page aligned, and only if all of it is free\n"
	  "  with several harts, each tests a share at once; the summary is followed\n"
	  "  by the speed of one hart alone and of all of them\n"
	  "  Ctrl-C stops the test and gives every frame back" },
};

const struct command_group cmd_memtest_group = COMMAND_GROUP(memtest_commands);
