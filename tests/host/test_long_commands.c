/*
 * Tests for the long commands (shell/cmd_stress.c with shell/progress.c):
 * stress and bench run on a frame allocator and a heap over host memory,
 * stop at a Ctrl-C waiting on the console with "error: interrupted", and
 * leave the allocators as they found them: every block freed, the checks
 * passing; bytes typed while they run wait for the shell (the type-ahead).
 */
#include <string.h>

#include "lib/console.h"
#include "shell/interrupt.h"
#include "shell/machine.h"
#include "shell/shell.h"
#include "tap.h"
#include "tests/host/support/fake_console.h"
#include "tests/host/support/mm_arena.h"

#define RAM_BYTES (64ull << 20)
#define RAM_ALIGN (1ull << 30)
#define HEAP_BYTES (1u << 20)
#define CTRL_C "\x03"
#define STRESS_POLLS_BEFORE_CTRL_C 40	/* of 256 steps each: > 1000 allocations */

extern const struct command_group cmd_stress_group;
static const struct command_group *const groups[] = { &cmd_stress_group, NULL };

static struct machine machine;
static struct shell sh;
static uint64_t frame_meta[1 << 12];

static void setup(void)
{
	static void *ram;

	if (!ram)
		ram = mm_arena_map(RAM_BYTES, RAM_ALIGN);
	struct frame_range r = { (uintptr_t)ram, RAM_BYTES };
	memset(&machine, 0, sizeof(machine));
	TAP_CHECK_EQ(frames_init(&machine.mem.frames, &r, 1, frame_meta, sizeof(frame_meta)), 0);
	TAP_CHECK_EQ(heap_init(&machine.mem.heap, &machine.mem.frames, HEAP_BYTES), 0);
	machine.mem.ready = true;
	shell_init(&sh, groups, &machine);
	fake_console_reset();
}

static char typed[TYPEAHEAD_MAX + 8];

/* What the shell would read next, up to `max` - 1 bytes; false if more waits. */
static bool read_typeahead(size_t max)
{
	size_t n = 0;
	int c;

	while (n + 1 < max && (c = typeahead_getc()) >= 0)
		typed[n++] = (char)c;
	typed[n] = '\0';
	return typeahead_getc() < 0;
}

static bool allocators_ok(void)
{
	const char *why = "";
	uintptr_t where = 0;

	return frames_check(&machine.mem.frames, &why, &where) == 0 &&
	       heap_check(&machine.mem.heap, &why, &where) == 0;
}

/* Runs `line` and checks it ends with exactly `last_line`. */
static enum cmd_result run(const char *line, const char *last_line)
{
	char buf[64];

	snprintf(buf, sizeof(buf), "%s", line);
	enum cmd_result r = shell_execute(&sh, buf);
	const char *out = fake_console_output();
	size_t len = strlen(out), tail = strlen(last_line);
	TAP_CHECK(len >= tail && strcmp(out + len - tail, last_line) == 0);
	if (len < tail || strcmp(out + len - tail, last_line) != 0)
		printf("#   output of '%s':\n#   %s\n", line, out);
	fake_console_clear_output();
	return r;
}

static void test_stress_runs_to_ok(void)
{
	setup();
	TAP_CHECK_EQ(run("stress 2000 7", "ok\r\n"), CMD_OK);
	TAP_CHECK(allocators_ok());
}

/* Frames free plus the heap's chunks: what the two allocators hold for others. */
static uint64_t bytes_not_lent(void)
{
	struct frame_stats fs;
	struct heap_stats hs;

	frames_stats(&machine.mem.frames, &fs);
	heap_stats(&machine.mem.heap, &hs);
	return fs.free_frames * FRAME_SIZE + hs.held_bytes;
}

static void test_stress_stops_at_ctrl_c_and_frees_everything(void)
{
	struct heap_stats hs;

	setup();
	uint64_t before = bytes_not_lent();
	/* The Ctrl-C comes in the middle of the run, with blocks live; bytes
	 * typed before it are dropped, as a tty would. */
	fake_console_feed_str("abc" CTRL_C "help\r");
	fake_console_hold_input(STRESS_POLLS_BEFORE_CTRL_C);
	TAP_CHECK_EQ(run("stress 100000000", "error: interrupted\r\n"), CMD_FAIL);
	TAP_CHECK(strstr(fake_console_output(), "ok") == NULL);
	heap_stats(&machine.mem.heap, &hs);
	TAP_CHECK_EQ(hs.requested_bytes, 0);
	TAP_CHECK(hs.allocs > 1000);
	TAP_CHECK_EQ(bytes_not_lent(), before);
	TAP_CHECK(allocators_ok());
	/* The Ctrl-C is spent: the next command runs to its end. */
	TAP_CHECK_EQ(run("stress 100", "ok\r\n"), CMD_OK);
	/* "abc" went with the Ctrl-C; what came after it is still to be read. */
	TAP_CHECK(read_typeahead(sizeof("help\r")) && strcmp(typed, "help\r") == 0);
}

static void test_bytes_typed_during_a_command_are_kept(void)
{
	setup();
	fake_console_feed_str("check\rversion\r");
	fake_console_hold_input(STRESS_POLLS_BEFORE_CTRL_C);
	TAP_CHECK_EQ(run("stress 20000", "ok\r\n"), CMD_OK);
	TAP_CHECK(read_typeahead(sizeof("check\rversion\r")) &&
		  strcmp(typed, "check\rversion\r") == 0);
}

/* A full type-ahead reads no more: the Ctrl-C behind it waits its turn. */
static void test_full_typeahead_stops_reading(void)
{
	static char flood[TYPEAHEAD_MAX + 2];

	setup();
	memset(flood, 'x', TYPEAHEAD_MAX);
	flood[TYPEAHEAD_MAX] = 'y';
	fake_console_feed_str(flood);
	fake_console_feed_str(CTRL_C);
	TAP_CHECK_EQ(run("stress 3000", "ok\r\n"), CMD_OK);
	TAP_CHECK(read_typeahead(TYPEAHEAD_MAX + 3));
	TAP_CHECK_EQ(strlen(typed), TYPEAHEAD_MAX + 2);
	TAP_CHECK(strcmp(typed + TYPEAHEAD_MAX, "y" CTRL_C) == 0);
}

static void test_bench_stops_at_ctrl_c(void)
{
	setup();
	uint64_t before = bytes_not_lent();
	fake_console_feed_str(CTRL_C);
	fake_console_hold_input(10);
	TAP_CHECK_EQ(run("bench 10000000", "error: interrupted\r\n"), CMD_FAIL);
	TAP_CHECK_EQ(bytes_not_lent(), before);
	TAP_CHECK(allocators_ok());
	TAP_CHECK_EQ(run("bench 1000", "\r\n"), CMD_OK);
}

static void test_ctrl_c_at_the_prompt_is_not_carried(void)
{
	setup();
	TAP_CHECK(!interrupt_requested());
	fake_console_feed_str(CTRL_C);
	TAP_CHECK(interrupt_requested());
	/* shell_execute clears the request before the command runs. */
	TAP_CHECK_EQ(run("stress 100", "ok\r\n"), CMD_OK);
}

int main(void)
{
	TAP_RUN(test_stress_runs_to_ok);
	TAP_RUN(test_stress_stops_at_ctrl_c_and_frees_everything);
	TAP_RUN(test_bytes_typed_during_a_command_are_kept);
	TAP_RUN(test_full_typeahead_stops_reading);
	TAP_RUN(test_bench_stops_at_ctrl_c);
	TAP_RUN(test_ctrl_c_at_the_prompt_is_not_carried);
	return tap_done();
}
