/*
 * Unit tests of the md/mw/cmp/cp access rules (shell/mem_access.c) on
 * dts/mem-access.dts: reads of RAM (reserved parts too) and of enabled
 * devices' reg ranges (translated through a bus's ranges), writes only to
 * shell allocations and devices, and nothing for a disabled node, a reg
 * without a size, a range crossing an edge or wrapping around.
 */
#include <stdlib.h>
#include <string.h>

#include "shell/mem_access.h"
#include "tests/host/support/dtb_file.h"
#include "tests/host/support/fake_console.h"
#include "tests/host/tap.h"

static struct machine m;

static bool setup(void)
{
	size_t size;
	void *fdt = dtb_load("mem-access.dtb", &size);

	memset(&m, 0, sizeof(m));
	if (!fdt)
		return false;
	m.fdt = fdt;
	return memmap_from_dt(&m.mem.map, fdt, size) == 0;
}

static void test_areas(void)
{
	TAP_CHECK(setup());
	TAP_CHECK_EQ(mem_access_area(&m, 0x80000000, 16), MEM_AREA_RAM);	/* reserved, still RAM */
	TAP_CHECK_EQ(mem_access_area(&m, 0x80fffff8, 8), MEM_AREA_RAM);
	TAP_CHECK_EQ(mem_access_area(&m, 0x80fffff8, 16), MEM_AREA_NONE);	/* past the end */
	TAP_CHECK_EQ(mem_access_area(&m, 0x10000000, 0x100), MEM_AREA_DEVICE);
	TAP_CHECK_EQ(mem_access_area(&m, 0x100000fc, 8), MEM_AREA_NONE);
	TAP_CHECK_EQ(mem_access_area(&m, 0x11000000, 4), MEM_AREA_NONE);	/* disabled */
	TAP_CHECK_EQ(mem_access_area(&m, 0x30000200, 0x20), MEM_AREA_DEVICE);	/* translated */
	TAP_CHECK_EQ(mem_access_area(&m, 0x200, 4), MEM_AREA_NONE);		/* untranslated */
	TAP_CHECK_EQ(mem_access_area(&m, 0x30000400, 4), MEM_AREA_DEVICE);
	TAP_CHECK_EQ(mem_access_area(&m, 0x48, 1), MEM_AREA_NONE);		/* reg without size */
	TAP_CHECK_EQ(mem_access_area(&m, UINT64_MAX - 0xff, 0x200), MEM_AREA_NONE);
	free((void *)m.fdt);
}

static void test_shell_allocations(void)
{
	TAP_CHECK(setup());
	TAP_CHECK_EQ(alloc_table_add(&m.allocs, 0x80100000, 0x1000, ALLOC_FRAMES), 0);
	TAP_CHECK_EQ(mem_access_area(&m, 0x80100000, 0x1000), MEM_AREA_SHELL);
	TAP_CHECK_EQ(mem_access_area(&m, 0x80100ff0, 0x20), MEM_AREA_RAM);
	free((void *)m.fdt);
}

static void test_checks_print_the_reason(void)
{
	TAP_CHECK(setup());
	alloc_table_add(&m.allocs, 0x80100000, 0x1000, ALLOC_HEAP);
	fake_console_clear_output();
	TAP_CHECK(mem_access_check_read(&m, "md", 0x80000000, 4));
	TAP_CHECK(mem_access_check_write(&m, "mw", 0x80100000, 8));
	TAP_CHECK(mem_access_check_write(&m, "mw", 0x30000200, 4));
	TAP_CHECK(fake_console_expect_output(""));
	TAP_CHECK(!mem_access_check_write(&m, "mw", 0x80200000, 4));
	TAP_CHECK(fake_console_expect_output(
		"error: mw: 0x80200000..0x80200003 is RAM outside the shell's allocations"
		" (writes go only to memory from alloc)\r\n"));
	TAP_CHECK(!mem_access_check_read(&m, "md", 0x11000000, 16));
	TAP_CHECK(fake_console_expect_output(
		"error: md: 0x11000000..0x1100000f is not inside RAM or one device's registers"
		" in the device tree\r\n"));
	TAP_CHECK(!mem_access_check_write(&m, "cp", 0x1000, 4));
	TAP_CHECK(fake_console_expect_output(
		"error: cp: 0x1000..0x1003 is not inside a shell allocation or one device's"
		" registers\r\n"));
	free((void *)m.fdt);
}

int main(void)
{
	TAP_RUN(test_areas);
	TAP_RUN(test_shell_allocations);
	TAP_RUN(test_checks_print_the_reason);
	return tap_done();
}
