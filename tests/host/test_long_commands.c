/*
 * Tests for the long commands (shell/cmd_stress.c with shell/progress.c):
 * stress and bench run on a frame allocator and a heap over host memory,
 * stop at a Ctrl-C waiting on the console with "error: interrupted", and
 * leave the allocators as they found them: every block freed, the checks
 * passing.
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
	shell_init(&sh, groups, &machine);
	fake_console_reset();
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
	TAP_RUN(test_bench_stops_at_ctrl_c);
	TAP_RUN(test_ctrl_c_at_the_prompt_is_not_carried);
	return tap_done();
}
