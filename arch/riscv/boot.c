/*
 * boot_main: the C entry of the boot hart, called by head.S with the hart id
 * and the DTB address. Brings the machine up in the order of the boot flow:
 * hart TLS and traps, device tree check, console, timer, memory (map,
 * frames, heap), the other harts, banner, the commands of the kernel
 * command line, then the shell, which never returns. Without a valid
 * device tree (a1 = 0, bad magic, truncated) it still reaches the shell,
 * on the SBI console, with no allocator and no other hart.
 */
#include <stdio.h>

#include <libfdt.h>

#include "arch/riscv/hart.h"
#include "arch/riscv/hart_start.h"
#include "arch/riscv/idle.h"
#include "arch/riscv/sbi.h"
#include "arch/riscv/timer.h"
#include "arch/riscv/trap.h"
#include "drivers/power/sifive_test.h"
#include "drivers/uart/uart.h"
#include "lib/bootargs.h"
#include "lib/console.h"
#include "lib/dt.h"
#include "lib/platform.h"
#include "shell/banner.h"
#include "shell/machine.h"
#include "shell/memory_report.h"
#include "shell/script.h"
#include "shell/shell.h"

#define SBI_VERSION_MAJOR(v)	(((v) >> 24) & 0x7f)
#define SBI_VERSION_MINOR(v)	((v) & 0xffffff)
#define OPENSBI_IMPL_ID		1
#define OPENSBI_VERSION_MAJOR(v) ((v) >> 16)
#define OPENSBI_VERSION_MINOR(v) ((v) & 0xffff)

extern char __image_start[], __boot_stack_bottom[], _end[];

void boot_main(unsigned long hartid, uintptr_t dtb) __attribute__((noreturn));

static struct machine machine;
static struct shell shell;

#define FDT_ALIGN 8	/* the device tree specification's alignment */

/*
 * Why the tree at a1 cannot be used, or NULL when it can: its first and
 * last words are read through the fault-catching probe before libfdt
 * trusts its header.
 */
static const char *dtb_problem(uintptr_t dtb)
{
	uint32_t word;

	if (dtb == 0)
		return "a1 is 0";
	if (dtb % FDT_ALIGN)
		return "not 8-byte aligned";
	if (platform_read32(dtb, &word) < 0)
		return "nothing readable there";
	if (fdt_check_header((const void *)dtb) != 0)
		return "bad magic or header";
	size_t size = fdt_totalsize((const void *)dtb);
	uintptr_t last = (dtb + size - sizeof(word)) & ~(uintptr_t)(sizeof(word) - 1);
	if (platform_read32(last, &word) < 0)
		return "truncated: its end is not readable";
	if (dt_check_blob((const void *)dtb, size) < 0)
		return "misaligned structure block";
	return NULL;
}

/* "OpenSBI 1.1, SBI spec 1.0"; other firmware shows its raw version. */
static void describe_firmware(struct boot_info *boot)
{
	struct sbi_info sbi;
	char version[MACHINE_TEXT_MAX / 2];

	sbi_probe(&sbi);
	if (sbi.impl_id == OPENSBI_IMPL_ID)
		snprintf(version, sizeof(version), "%lu.%lu",
			 OPENSBI_VERSION_MAJOR(sbi.impl_version),
			 OPENSBI_VERSION_MINOR(sbi.impl_version));
	else
		snprintf(version, sizeof(version), "version 0x%lx", sbi.impl_version);
	snprintf(boot->firmware, sizeof(boot->firmware), "%s %s, SBI spec %lu.%lu",
		 sbi_impl_name(sbi.impl_id), version,
		 SBI_VERSION_MAJOR(sbi.spec_version), SBI_VERSION_MINOR(sbi.spec_version));
}

static void start_console(struct machine *m)
{
	struct uart uart;
	const char *why;
	int err = uart_from_dt(m->fdt, &uart, &why);

	console_use(&uart);
	m->boot.console_driver = uart.ops->name;
	m->boot.console_base = uart.base;
	m->boot.console_why = err < 0 ? why : NULL;
	if (err < 0)
		banner_console_error(why);
}

static void start_sbi_console(struct machine *m)
{
	struct uart uart;

	uart_sbi_console(&uart);
	console_use(&uart);
	m->boot.console_driver = uart.ops->name;
	m->boot.console_why = "no valid device tree";
}

static void start_memory(struct machine *m)
{
	struct boot_region regions[MEMORY_IMAGE_REGIONS];
	unsigned count = memory_image_regions(regions, (uintptr_t)__image_start,
					      (uintptr_t)__boot_stack_bottom, (uintptr_t)_end);
	const char *stage;
	uint64_t start = timer_ticks();

	int err = memory_init_probed(&m->mem, m->fdt, fdt_totalsize(m->fdt), regions, count,
				     platform_read32, &stage);
	m->boot.mem_init_ns = timer_ticks_to_ns(timer_ticks() - start);
	if (err < 0)
		memory_report_init_error(&m->mem, err, stage);
}

static void start_harts(struct machine *m)
{
	struct hart_start_summary harts;

	harts_start(m->fdt, &m->mem.frames, &harts);
	m->boot.harts_started = harts.started;
	m->boot.harts_skipped = harts.skipped;
	m->boot.harts_failed = harts.failed;
	if (harts.failed)
		console_printf("error: hart %lu did not start: %s\n", harts.failed_hart,
			       harts.failure);
}

void boot_main(unsigned long hartid, uintptr_t dtb)
{
	hart_init_boot(hartid);
	trap_init();

	machine.fdt = (const void *)dtb;
	machine.boot.boot_hart = hartid;
	machine.boot.dtb = dtb;
	machine.boot.image_base = (uintptr_t)__image_start;
	machine.boot.image_end = (uintptr_t)_end;
	const char *dtb_error = dtb_problem(dtb);
	if (dtb_error) {
		machine.fdt = NULL;
		start_sbi_console(&machine);
		console_printf("error: no valid device tree at 0x%lx (%s): SBI console, "
			       "no memory allocator\n", dtb, dtb_error);
	} else {
		start_console(&machine);
		if (timer_init(machine.fdt) < 0)
			console_puts("error: no /cpus timebase-frequency; times are approximate\n");
	}
	describe_firmware(&machine.boot);
	if (machine.fdt) {
		sifive_test_probe(machine.fdt);	/* none is fine: SBI SRST then */
		idle_init(machine.fdt, hartid);
		start_memory(&machine);
		if (machine.mem.ready)
			start_harts(&machine);
	}
	char idle[MACHINE_TEXT_MAX];
	idle_describe(idle, sizeof(idle));
	banner_print(&machine, idle);

	shell_init(&shell, shell_command_groups, &machine);
	if (machine.fdt)
		shell_run_bootargs(&shell, bootargs_from_dt(machine.fdt));
	shell_run(&shell);
}
