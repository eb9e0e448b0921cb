/*
 * System commands: poweroff [CODE], reboot, uptime and fdt (a summary of the
 * device tree the firmware handed over: model, harts, memory, reserved
 * regions and the console; `fdt list|print [PATH]` browses it, see
 * fdt_browse.h).
 */
#include <string.h>

#include <libfdt.h>

#include "lib/console.h"
#include "lib/dt.h"
#include "lib/errors.h"
#include "lib/platform.h"
#include "shell/command.h"
#include "shell/fdt_browse.h"
#include "shell/machine.h"
#include "shell/parse.h"
#include "shell/shell.h"

#define NS_PER_MS 1000000ull
#define MS_PER_SEC 1000ull
#define POWEROFF_MAX_CODE 255u	/* what an exit status holds */

static enum cmd_result report_power_failure(const char *what, int err)
{
	console_printf("error: %s failed: %s (the firmware has no system reset)\n",
		       what, err_str(err));
	return CMD_FAIL;
}

/*
 * Where the firmware cannot power off (QEMU sifive_u with OpenSBI 1.1) a
 * reset is the next best end: QEMU started with -no-reboot exits on it.
 */
static enum cmd_result cmd_poweroff(struct shell *sh, int argc, char **argv)
{
	(void)sh;
	uint64_t code = 0;

	if (argc > 1 && arg_u64("CODE", argv[1], &code))
		return CMD_FAIL;
	if (code > POWEROFF_MAX_CODE) {
		console_printf("error: bad CODE '%s': must be 0..%u\n", argv[1], POWEROFF_MAX_CODE);
		return CMD_FAIL;
	}
	int err = platform_poweroff((unsigned)code);
	if (err != -E_NOTSUPP)
		return report_power_failure("poweroff", err);
	console_printf("poweroff: the firmware cannot power off; resetting instead%s\n",
		       code ? " (the exit code is lost)" : "");
	return report_power_failure("poweroff", platform_reboot());
}

static enum cmd_result cmd_reboot(struct shell *sh, int argc, char **argv)
{
	(void)sh, (void)argc, (void)argv;
	return report_power_failure("reboot", platform_reboot());
}

static enum cmd_result cmd_uptime(struct shell *sh, int argc, char **argv)
{
	(void)sh, (void)argc, (void)argv;
	uint64_t ms = platform_time_ns() / NS_PER_MS;
	console_printf("uptime: %llu.%03llu s\n", (unsigned long long)(ms / MS_PER_SEC),
		       (unsigned long long)(ms % MS_PER_SEC));
	return CMD_OK;
}

static const char *string_prop(const void *fdt, int node, const char *name)
{
	int len;
	const char *s = fdt_getprop(fdt, node, name, &len);
	return s && len > 0 && s[len - 1] == '\0' ? s : "-";
}

static void print_harts(const void *fdt)
{
	int cpus = fdt_path_offset(fdt, "/cpus");
	int node;

	if (cpus < 0)
		return;
	fdt_for_each_subnode(node, fdt, cpus) {
		int len;
		const char *type = fdt_getprop(fdt, node, "device_type", &len);
		const void *reg = fdt_getprop(fdt, node, "reg", &len);
		if (!type || strcmp(type, "cpu") || !reg || len != 4)
			continue;
		unsigned hartid = (unsigned)dt_read_cells(reg, 1);
		console_printf("hart:       %u %s %s isa %s mmu %s\n", hartid,
			       dt_node_enabled(fdt, node) ? "okay" : "disabled",
			       platform_hart_state(hartid),
			       string_prop(fdt, node, "riscv,isa"),
			       string_prop(fdt, node, "mmu-type"));
	}
}

static void print_regions(const char *label, const struct mem_list *l)
{
	for (unsigned i = 0; i < l->count; i++)
		console_printf("%-11s 0x%016llx size 0x%llx %s\n", label,
			       (unsigned long long)l->r[i].base,
			       (unsigned long long)l->r[i].size, l->r[i].owner);
}

static enum cmd_result fdt_list_or_print(const void *fdt, int argc, char **argv)
{
	bool print = !strcmp(argv[1], "print");

	if (!print && strcmp(argv[1], "list"))
		return CMD_USAGE;
	return fdt_browse(fdt, argc > 2 ? argv[2] : "/", print) ? CMD_OK : CMD_FAIL;
}

static enum cmd_result cmd_fdt(struct shell *sh, int argc, char **argv)
{
	const struct machine *m = sh->ctx;
	const void *fdt = m->fdt;
	const char *options = NULL;

	if (!fdt) {
		console_printf("error: fdt: no valid device tree (a1 was 0x%lx)\n", m->boot.dtb);
		return CMD_FAIL;
	}
	if (argc > 1)
		return fdt_list_or_print(fdt, argc, argv);

	console_printf("dtb:        0x%lx, %u bytes, version %u\n", m->boot.dtb,
		       fdt_totalsize(fdt), fdt_version(fdt));
	console_printf("model:      %s\n", string_prop(fdt, 0, "model"));
	console_printf("compatible: %s\n", string_prop(fdt, 0, "compatible"));
	print_harts(fdt);
	print_regions("memory:", &m->mem.map.banks);
	print_regions("reserved:", &m->mem.map.reserved);
	for (unsigned i = 0; i < m->mem.map.size_only.count; i++)
		console_printf("size-only:  size 0x%llx align 0x%llx %s\n",
			       (unsigned long long)m->mem.map.size_only.r[i].size,
			       (unsigned long long)m->mem.map.size_only.r[i].align,
			       m->mem.map.size_only.r[i].owner);
	int node = dt_stdout_node(fdt, &options);
	console_puts("console:    ");
	if (node >= 0)
		fdt_print_path(fdt, node);
	else
		console_puts("-");
	console_printf("%s%s -> %s at 0x%lx\n", options ? ":" : "",
		       options ? options : "", m->boot.console_driver, m->boot.console_base);
	return CMD_OK;
}

static const struct command sys_commands[] = {
	{ "fdt", 0, 2, cmd_fdt, "summarise or browse the device tree",
	  "[list|print [PATH]]\n"
	  "  no argument  a summary: model, harts, memory, reservations, console\n"
	  "  list PATH    the node's properties and its children's names (default /)\n"
	  "  print PATH   the node and everything below it" },
	{ "poweroff", 0, 1, cmd_poweroff, "power the machine off, QEMU exits with CODE",
	  "[CODE]\n  CODE 0..255 (default 0): the exit status through a test finisher;\n"
	  "  else SBI SRST, a failure reason for CODE > 0; else a reset" },
	{ "reboot", 0, 0, cmd_reboot, "reboot the machine (SBI SRST)", "" },
	{ "uptime", 0, 0, cmd_uptime, "time since boot", "" },
};

const struct command_group cmd_sys_group = COMMAND_GROUP(sys_commands);
