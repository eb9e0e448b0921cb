/*
 * libFuzzer harness for the shell: each input is a byte stream typed into
 * a fresh shell with the real command groups (all but `stress` and `bench`,
 * whose run time grows with their argument; the expect tests cover them),
 * one byte at a time through shell_input, as the firmware's loop does. After
 * every byte the line editor's invariants are checked; sanitizers catch
 * the rest. Output goes to the fake console and is thrown away.
 *
 * Commands get a zeroed struct machine whose device tree is an empty but
 * valid one, so machine-reading commands run instead of dereferencing NULL.
 * With no RAM, no frames and no devices there, memtest finds nothing to
 * take and md/mw/cmp/cp refuse every address: their parsing is what runs.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "shell/machine.h"
#include "shell/shell.h"
#include "tests/host/support/fake_console.h"

#define OUTPUT_FLUSH_AT (64 * 1024)

/* A version 17 device tree holding only an empty root node (big endian). */
static const uint32_t empty_tree[] __attribute__((aligned(8))) = {
	__builtin_bswap32(0xd00dfeed),	/* magic */
	__builtin_bswap32(72),		/* totalsize */
	__builtin_bswap32(56),		/* off_dt_struct */
	__builtin_bswap32(72),		/* off_dt_strings */
	__builtin_bswap32(40),		/* off_mem_rsvmap */
	__builtin_bswap32(17),		/* version */
	__builtin_bswap32(16),		/* last_comp_version */
	0,				/* boot_cpuid_phys */
	0,				/* size_dt_strings */
	__builtin_bswap32(16),		/* size_dt_struct */
	0, 0, 0, 0,			/* memory reservation map terminator */
	__builtin_bswap32(1), 0,	/* FDT_BEGIN_NODE "" */
	__builtin_bswap32(2),		/* FDT_END_NODE */
	__builtin_bswap32(9),		/* FDT_END */
};

extern const struct command_group cmd_core_group, cmd_mem_group, cmd_alloc_group,
	cmd_stats_group, cmd_sys_group, cmd_memtest_group, cmd_md_group, cmd_sbi_group,
	cmd_map_group;

static const struct command_group *const fuzzed_groups[] = {
	&cmd_core_group, &cmd_mem_group, &cmd_alloc_group, &cmd_stats_group,
	&cmd_sys_group, &cmd_memtest_group, &cmd_md_group, &cmd_sbi_group, &cmd_map_group, NULL
};

static struct machine machine;
static struct shell sh;

static void check_editor(const struct line_editor *ed)
{
	if (ed->len > LINE_MAX_CHARS || ed->cursor > ed->len ||
	    ed->line[ed->len] != '\0' || strlen(ed->line) != ed->len)
		abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	memset(&machine, 0, sizeof(machine));
	machine.fdt = empty_tree;
	fake_console_reset();
	shell_init(&sh, fuzzed_groups, &machine);
	shell_start(&sh);
	for (size_t i = 0; i < size; i++) {
		shell_input(&sh, data[i]);
		check_editor(&sh.editor);
		if (fake_console_output_len() > OUTPUT_FLUSH_AT)
			fake_console_clear_output();
	}
	return 0;
}
