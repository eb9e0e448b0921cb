/*
 * sbi: what the SBI firmware below buddymon offers: the spec and
 * implementation versions, the machine ids, and the probe result of every
 * standard extension (and of the legacy calls), as the base extension's
 * probe_extension call reports it.
 */
#include "lib/console.h"
#include "lib/errors.h"
#include "lib/platform.h"
#include "shell/command.h"
#include "shell/machine.h"
#include "shell/shell.h"

/* Base extension functions (SBI spec, chapter 4). */
#define SBI_GET_SPEC_VERSION	0
#define SBI_GET_IMPL_ID		1
#define SBI_GET_IMPL_VERSION	2
#define SBI_PROBE_EXTENSION	3
#define SBI_GET_MVENDORID	4
#define SBI_GET_MARCHID		5
#define SBI_GET_MIMPID		6
#define SBI_SPEC_MAJOR_SHIFT	24
#define SBI_SPEC_MINOR_MASK	0xffffffUL

struct sbi_extension {
	const char *name;
	unsigned long id;
};

static const struct sbi_extension extensions[] = {
	{ "base", 0x10 },		{ "time", 0x54494d45 },	/* "TIME" */
	{ "ipi", 0x735049 },		/* "sPI" */
	{ "rfence", 0x52464e43 },	/* "RFNC" */
	{ "hsm", 0x48534d },		{ "srst", 0x53525354 },
	{ "pmu", 0x504d55 },		{ "dbcn", 0x4442434e },
	{ "susp", 0x53555350 },		{ "cppc", 0x43505043 },
	{ "nacl", 0x4e41434c },		{ "sta", 0x535441 },
	{ "sse", 0x535345 },		{ "fwft", 0x46574654 },
	{ "dbtr", 0x44425452 },		{ "mpxy", 0x4d505859 },
	{ "legacy set_timer", 0x00 },	{ "legacy putchar", 0x01 },
	{ "legacy getchar", 0x02 },	{ "legacy clear_ipi", 0x03 },
	{ "legacy send_ipi", 0x04 },	{ "legacy fence_i", 0x05 },
	{ "legacy sfence_vma", 0x06 },	{ "legacy sfence_asid", 0x07 },
	{ "legacy shutdown", 0x08 },
};

static void print_probe(const struct sbi_extension *e)
{
	long value;
	int err = platform_sbi_base(SBI_PROBE_EXTENSION, e->id, &value);

	console_printf("%-19s 0x%08lx  ", e->name, e->id);
	if (err < 0)
		console_printf("probe failed: %s\n", err_str(err));
	else if (value == 0)
		console_puts("not available\n");
	else if (value == 1)
		console_puts("available\n");
	else
		console_printf("available (0x%lx)\n", (unsigned long)value);
}

static void print_id(const char *label, unsigned long fid)
{
	long value = 0;
	int err = platform_sbi_base(fid, 0, &value);

	if (err < 0)
		console_printf("%-15s %s\n", label, err_str(err));
	else
		console_printf("%-15s 0x%lx\n", label, (unsigned long)value);
}

static enum cmd_result cmd_sbi(struct shell *sh, int argc, char **argv)
{
	const struct machine *m = sh->ctx;
	long spec, impl_id = 0, impl_version = 0;

	(void)argc, (void)argv;
	int err = platform_sbi_base(SBI_GET_SPEC_VERSION, 0, &spec);
	if (err < 0) {
		console_printf("error: sbi: %s (no SBI firmware answers)\n", err_str(err));
		return CMD_FAIL;
	}
	platform_sbi_base(SBI_GET_IMPL_ID, 0, &impl_id);
	platform_sbi_base(SBI_GET_IMPL_VERSION, 0, &impl_version);
	console_printf("%-15s %lu.%lu\n", "spec:", (unsigned long)spec >> SBI_SPEC_MAJOR_SHIFT,
		       (unsigned long)spec & SBI_SPEC_MINOR_MASK);
	console_printf("%-15s %s\n", "firmware:", m->boot.firmware);
	console_printf("%-15s id %ld, version 0x%lx\n", "implementation:", impl_id,
		       (unsigned long)impl_version);
	print_id("mvendorid:", SBI_GET_MVENDORID);
	print_id("marchid:", SBI_GET_MARCHID);
	print_id("mimpid:", SBI_GET_MIMPID);
	console_printf("%-19s %-10s  %s\n", "extension", "id", "probe");
	for (size_t i = 0; i < sizeof(extensions) / sizeof(extensions[0]); i++)
		print_probe(&extensions[i]);
	return CMD_OK;
}

static const struct command sbi_commands[] = {
	{ "sbi", 0, 0, cmd_sbi, "SBI firmware versions and extensions", "" },
};

const struct command_group cmd_sbi_group = COMMAND_GROUP(sbi_commands);
