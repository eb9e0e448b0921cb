/*
 * Host tests of the memory map (mm/memmap.c) and the device tree helpers
 * (lib/dt.c) on trees built from dts/ and on the real board trees built
 * from Debian's linux-source: banks, reservations of every kind, usable
 * ranges, console discovery, and malformed blobs.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <libfdt.h>

#include "lib/dt.h"
#include "lib/errors.h"
#include "mm/memmap.h"
#include "tests/host/support/dtb_file.h"
#include "tests/host/support/memmap_check.h"
#include "tests/host/tap.h"

#define MIB (1024ull * 1024)
#define GIB (1024 * MIB)

static const struct mem_region *find_owner(const struct mem_list *l, const char *owner)
{
	for (unsigned i = 0; i < l->count; i++)
		if (!strcmp(l->r[i].owner, owner))
			return &l->r[i];
	return NULL;
}

/* Invariants every map must keep, whatever the tree. */
static void check_map_invariants(const struct memmap *m)
{
	const char *why = memmap_check_invariants(m);
	if (why)
		printf("#   %s\n", why);
	TAP_CHECK(why == NULL);
}

static void test_qemu_virt_holes(void)
{
	size_t size;
	void *fdt = dtb_load("qemu-virt-holes.dtb", &size);
	struct memmap m;
	TAP_CHECK(fdt != NULL);
	if (!fdt)
		return;
	TAP_CHECK_EQ(memmap_from_dt(&m, fdt, size), 0);

	TAP_CHECK_EQ(m.banks.count, 3);	/* the disabled node is skipped */
	TAP_CHECK_EQ(m.banks.r[0].base, 0x80000000);
	TAP_CHECK_EQ(m.banks.r[0].size, 96 * MIB);
	TAP_CHECK_EQ(m.banks.r[1].base, 0x88000000);
	TAP_CHECK_EQ(m.banks.r[2].base, 0x8a000000);
	TAP_CHECK_EQ(mem_list_total(&m.banks), 224 * MIB);

	const struct mem_region *fb = find_owner(&m.reserved, "framebuffer");
	const struct mem_region *dma = find_owner(&m.reserved, "shared-dma");
	const struct mem_region *initrd = find_owner(&m.reserved, "initrd");
	const struct mem_region *dtb = find_owner(&m.reserved, "dtb");
	TAP_CHECK(fb && fb->base == 0x84000000 && fb->size == 2 * MIB);
	TAP_CHECK(dma && dma->base == 0x8b000000 && dma->size == 1 * MIB);
	TAP_CHECK(initrd && initrd->base == 0x8c000000 && initrd->size == 0x123000);
	TAP_CHECK(dtb && dtb->base == (uintptr_t)fdt && dtb->size == fdt_totalsize(fdt));
	unsigned memreserve = 0;
	for (unsigned i = 0; i < m.reserved.count; i++)
		memreserve += !strcmp(m.reserved.r[i].owner, "memreserve");
	TAP_CHECK_EQ(memreserve, 2);

	TAP_CHECK_EQ(m.size_only.count, 1);
	TAP_CHECK(!strcmp(m.size_only.r[0].owner, "cma-pool"));
	TAP_CHECK_EQ(m.size_only.r[0].size, 4 * MIB);
	TAP_CHECK_EQ(m.size_only.r[0].align, 1 * MIB);

	static const uint64_t expect[][2] = {
		{ 0x80000000, 0x84000000 }, { 0x84200000, 0x86000000 },
		{ 0x88000000, 0x8b000000 }, { 0x8b100000, 0x8c000000 },
		{ 0x8c123000, 0x8e000000 }, { 0x8e010000, 0x8e100000 },
		{ 0x8e103000, 0x90000000 },
	};
	TAP_CHECK_EQ(m.usable.count, 7);
	for (unsigned i = 0; i < m.usable.count && i < 7; i++) {
		TAP_CHECK_EQ(m.usable.r[i].base, expect[i][0]);
		TAP_CHECK_EQ(m.usable.r[i].base + m.usable.r[i].size, expect[i][1]);
	}
	check_map_invariants(&m);

	const char *options;
	int node = dt_stdout_node(fdt, &options);
	TAP_CHECK(node >= 0);
	TAP_CHECK(options && !strcmp(options, "115200n8"));
	TAP_CHECK_EQ(fdt_node_check_compatible(fdt, node, "ns16550a"), 0);
	free(fdt);
}

static void test_cells32_initrd(void)
{
	size_t size;
	void *fdt = dtb_load("cells32-initrd.dtb", &size);
	struct memmap m;
	TAP_CHECK(fdt != NULL);
	if (!fdt)
		return;
	TAP_CHECK_EQ(memmap_from_dt(&m, fdt, size), 0);
	TAP_CHECK_EQ(m.banks.count, 2);
	TAP_CHECK_EQ(mem_list_total(&m.banks), 48 * MIB);
	const struct mem_region *initrd = find_owner(&m.reserved, "initrd");
	TAP_CHECK(initrd && initrd->base == 0x81000000 && initrd->size == 0x80800);
	/* The initrd's end is not page aligned: usable resumes at the next page. */
	TAP_CHECK_EQ(m.usable.count, 3);
	TAP_CHECK_EQ(m.usable.r[1].base, 0x81081000);
	check_map_invariants(&m);

	const char *options;
	int node = dt_stdout_node(fdt, &options);
	uint64_t base, rsize;
	TAP_CHECK(node >= 0 && options == NULL);
	TAP_CHECK_EQ(dt_reg(fdt, node, 0, &base, &rsize), 0);
	TAP_CHECK_EQ(base, 0x10010000);
	free(fdt);
}

static void test_translated_and_unaligned(void)
{
	size_t size;
	void *fdt = dtb_load("translated-uart.dtb", &size);
	struct memmap m;
	TAP_CHECK(fdt != NULL);
	if (!fdt)
		return;
	TAP_CHECK_EQ(memmap_from_dt(&m, fdt, size), 0);
	/* Bank 0x80000800..0x80fff800 trims inwards to 0x80001000..0x80fff000,
	 * minus the overlapping reservations 0x80400000..0x80430000. */
	TAP_CHECK_EQ(m.usable.count, 2);
	TAP_CHECK_EQ(m.usable.r[0].base, 0x80001000);
	TAP_CHECK_EQ(m.usable.r[0].size, 0x80400000 - 0x80001000);
	TAP_CHECK_EQ(m.usable.r[1].base, 0x80430000);
	TAP_CHECK_EQ(m.usable.r[1].base + m.usable.r[1].size, 0x80fff000);
	check_map_invariants(&m);

	const char *options;
	int node = dt_stdout_node(fdt, &options);
	uint64_t base, rsize;
	TAP_CHECK(node >= 0 && options && !strcmp(options, "9600"));
	TAP_CHECK_EQ(dt_reg(fdt, node, 0, &base, &rsize), 0);
	TAP_CHECK_EQ(base, 0x20000100);
	TAP_CHECK_EQ(dt_u32(fdt, node, "reg-shift", 0), 2);
	free(fdt);
}

static void test_reserve_and_take(void)
{
	size_t size;
	void *fdt = dtb_load("cells32-initrd.dtb", &size);
	struct memmap m;
	uint64_t addr;
	if (!fdt) {
		TAP_CHECK(fdt != NULL);
		return;
	}
	TAP_CHECK_EQ(memmap_from_dt(&m, fdt, size), 0);
	uint64_t before = mem_list_total(&m.usable);
	TAP_CHECK_EQ(memmap_reserve(&m, 0x80200000, 0x30000, "payload"), 0);
	TAP_CHECK_EQ(mem_list_total(&m.usable), before - 0x30000);
	TAP_CHECK_EQ(memmap_take(&m, 5000, 4096, "frame-metadata", &addr), 0);
	/* From the top of the highest range, rounded up to pages. */
	TAP_CHECK_EQ(addr, 0x91000000 - 0x2000);
	TAP_CHECK_EQ(mem_list_total(&m.usable), before - 0x30000 - 0x2000);
	TAP_CHECK(find_owner(&m.reserved, "frame-metadata") != NULL);
	TAP_CHECK_EQ(memmap_take(&m, 1ull << 40, 4096, "huge", &addr), -E_NOMEM);
	TAP_CHECK_EQ(memmap_take(&m, 4096, 3, "bad", &addr), -E_INVAL);
	check_map_invariants(&m);
	free(fdt);
}

static void test_malformed_blobs(void)
{
	size_t size;
	uint8_t *fdt = dtb_load("qemu-virt-holes.dtb", &size);
	struct memmap m;
	if (!fdt) {
		TAP_CHECK(fdt != NULL);
		return;
	}
	/* Truncated: the header promises more than the buffer holds. */
	TAP_CHECK_EQ(memmap_from_dt(&m, fdt, size - 64), -E_BADDT);
	TAP_CHECK_EQ(m.usable.count, 0);
	TAP_CHECK_EQ(m.banks.count, 0);
	/* Bad magic. */
	fdt[0] ^= 0xff;
	TAP_CHECK_EQ(memmap_from_dt(&m, fdt, size), -E_BADDT);
	TAP_CHECK_EQ(m.usable.count, 0);
	fdt[0] ^= 0xff;
	/* A header whose structure block runs past totalsize. */
	struct fdt_header *h = (struct fdt_header *)fdt;
	uint32_t struct_size = fdt_size_dt_struct(fdt);
	h->size_dt_struct = cpu_to_fdt32(fdt_totalsize(fdt));
	TAP_CHECK_EQ(memmap_from_dt(&m, fdt, size), -E_BADDT);
	TAP_CHECK_EQ(m.usable.count, 0);
	h->size_dt_struct = cpu_to_fdt32(struct_size);
	/* A reservation block off its 8-byte alignment (libfdt reads its
	 * 64-bit entries as structs: fuzz_dt found it). */
	uint32_t rsvmap = fdt_off_mem_rsvmap(fdt);
	h->off_mem_rsvmap = cpu_to_fdt32(rsvmap + 4);
	TAP_CHECK_EQ(memmap_from_dt(&m, fdt, size), -E_BADDT);
	h->off_mem_rsvmap = cpu_to_fdt32(rsvmap);
	/* Inputs shorter than a header: nothing past them is read (ASan checks). */
	for (size_t len = 0; len < sizeof(struct fdt_header); len++) {
		uint8_t *head = malloc(len ? len : 1);
		memcpy(head, fdt, len);
		TAP_CHECK_EQ(memmap_from_dt(&m, head, len), -E_BADDT);
		free(head);
	}
	/* Every truncation of a valid blob, with a header that claims the
	 * truncated size, fails cleanly or yields a consistent map. */
	free(fdt);
	fdt = dtb_load("qemu-virt-holes.dtb", &size);
	for (size_t cut = 40; cut < size; cut += 7) {
		uint8_t *copy = malloc(cut);
		memcpy(copy, fdt, cut);
		((struct fdt_header *)copy)->totalsize = cpu_to_fdt32((uint32_t)cut);
		int err = memmap_from_dt(&m, copy, cut);
		TAP_CHECK(err == 0 || err == -E_BADDT);
		check_map_invariants(&m);
		free(copy);
	}
	free(fdt);
}

/* What a board's DTS says about its RAM and its console. */
struct board_tree {
	const char *dtb;
	uint64_t ram_base, ram_size;
	const char *stdout_options;	/* NULL: none */
	const char *uart_compatible;
	uint64_t uart_base;
	uint32_t reg_shift, reg_io_width;
};

static void check_board(const struct board_tree *b)
{
	size_t size;
	void *fdt = dtb_load(b->dtb, &size);
	struct memmap m;
	if (!fdt) {
		TAP_CHECK(fdt != NULL);
		return;
	}
	TAP_CHECK_EQ(memmap_from_dt(&m, fdt, size), 0);
	TAP_CHECK_EQ(m.banks.count, 1);
	TAP_CHECK_EQ(m.banks.r[0].base, b->ram_base);
	TAP_CHECK_EQ(m.banks.r[0].size, b->ram_size);
	check_map_invariants(&m);

	const char *options;
	int node = dt_stdout_node(fdt, &options);
	uint64_t base, rsize;
	TAP_CHECK(node >= 0 && dt_node_enabled(fdt, node));
	TAP_CHECK(b->stdout_options ? options && !strcmp(options, b->stdout_options) : !options);
	TAP_CHECK_EQ(fdt_node_check_compatible(fdt, node, b->uart_compatible), 0);
	TAP_CHECK_EQ(dt_reg(fdt, node, 0, &base, &rsize), 0);
	TAP_CHECK_EQ(base, b->uart_base);
	TAP_CHECK_EQ(dt_u32(fdt, node, "reg-shift", 0), b->reg_shift);
	TAP_CHECK_EQ(dt_u32(fdt, node, "reg-io-width", 1), b->reg_io_width);
	/* No clock-frequency: the driver must keep the firmware's baud rate. */
	TAP_CHECK(fdt_getprop(fdt, node, "clock-frequency", NULL) == NULL);
	free(fdt);
}

/* jh7110-starfive-visionfive-2-v1.3b.dts: 4 GiB at 0x40000000, DesignWare UART. */
static void test_board_visionfive2(void)
{
	static const struct board_tree vf2 = {
		"board/jh7110-starfive-visionfive-2-v1.3b.dtb", 0x40000000, 4 * GIB,
		"115200n8", "snps,dw-apb-uart", 0x10000000, 2, 4,
	};
	check_board(&vf2);
}

/* hifive-unmatched-a00.dts: 16 GiB at 0x80000000, SiFive UART, "serial0". */
static void test_board_unmatched(void)
{
	static const struct board_tree unmatched = {
		"board/hifive-unmatched-a00.dtb", 0x80000000, 16 * GIB,
		NULL, "sifive,uart0", 0x10010000, 0, 1,
	};
	check_board(&unmatched);
}

int main(void)
{
	TAP_RUN(test_qemu_virt_holes);
	TAP_RUN(test_cells32_initrd);
	TAP_RUN(test_translated_and_unaligned);
	TAP_RUN(test_reserve_and_take);
	TAP_RUN(test_malformed_blobs);
	TAP_RUN(test_board_visionfive2);
	TAP_RUN(test_board_unmatched);
	return tap_done();
}
