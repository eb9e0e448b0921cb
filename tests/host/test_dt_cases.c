/*
 * Host tests of the memory bring-up on the cases real trees bring
 * (issue 10): RAM at address 0, more reservations, banks or usable ranges
 * than the fixed tables hold, duplicate and overlapping banks, no memory
 * node, one malformed reservation, and banks that fault when touched.
 * Trees come from dts/. Where the frame allocator and heap must run on a
 * tree, its RAM (at 0x40000000, below the sanitizer's shadow memory) is
 * mapped at its own address, so memory_init runs unchanged.
 */
#define _GNU_SOURCE
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

#include <libfdt.h>

#include "lib/dt.h"
#include "lib/errors.h"
#include "mm/memory.h"
#include "shell/memory_report.h"
#include "tests/host/support/dtb_file.h"
#include "tests/host/support/fake_console.h"
#include "tests/host/support/mm_arena.h"
#include "tests/host/tap.h"

#define MIB (1024ull * 1024)
#define TEST_RAM_BASE 0x40000000ull	/* where the reservations-* trees put RAM */
#define TEST_RAM_SIZE (512 * MIB)

static const struct mem_region *find_owner(const struct mem_list *l, const char *owner)
{
	for (unsigned i = 0; i < l->count; i++)
		if (!strcmp(l->r[i].owner, owner))
			return &l->r[i];
	return NULL;
}

static int usable_covers(const struct memmap *m, uint64_t addr)
{
	for (unsigned i = 0; i < m->usable.count; i++)
		if (addr >= m->usable.r[i].base && addr - m->usable.r[i].base < m->usable.r[i].size)
			return 1;
	return 0;
}

static void *load_map(const char *name, struct memmap *m, int expect_err)
{
	size_t size;
	void *fdt = dtb_load(name, &size);
	TAP_CHECK(fdt != NULL);
	if (!fdt)
		return NULL;
	TAP_CHECK_EQ(memmap_from_dt(m, fdt, size), expect_err);
	return fdt;
}

/*
 * Page 0 is reserved as "null-page" and never usable. The frame allocator
 * and the heap then run on the map's usable ranges moved into a host arena
 * (address 0 of the tree is the arena's start): allocating every frame and
 * many heap blocks never returns the arena's first page.
 */
static void test_ram_at_zero(void)
{
	struct memmap m;
	void *fdt = load_map("ram-at-zero.dtb", &m, 0);
	if (!fdt)
		return;
	const struct mem_region *null_page = find_owner(&m.reserved, MEMMAP_NULL_PAGE_OWNER);
	TAP_CHECK(null_page && null_page->base == 0 && null_page->size == MEMMAP_PAGE_SIZE);
	TAP_CHECK(!usable_covers(&m, 0));
	TAP_CHECK(usable_covers(&m, MEMMAP_PAGE_SIZE));
	TAP_CHECK_EQ(m.usable.r[0].base, MEMMAP_PAGE_SIZE);

	uint64_t ram = mem_list_total(&m.banks);
	uint8_t *arena = mm_arena_map(ram, 2 * MIB);
	struct frame_range ranges[FRAMES_MAX_ZONES];
	unsigned n = m.usable.count;
	for (unsigned i = 0; i < n; i++)
		ranges[i] = (struct frame_range){ (uintptr_t)arena + m.usable.r[i].base,
						  m.usable.r[i].size };
	size_t meta_size = frames_metadata_size(ranges, n);
	void *meta = aligned_alloc(8, meta_size);
	struct frames frames;
	struct heap heap;
	TAP_CHECK_EQ(frames_init(&frames, ranges, n, meta, meta_size), 0);
	TAP_CHECK_EQ(heap_init(&heap, &frames, MEMORY_HEAP_INITIAL_BYTES), 0);
	for (int i = 0; i < 1000; i++) {
		uint8_t *p = heap_alloc(&heap, 16 + (size_t)i * 8);
		TAP_CHECK(p != NULL && (p < arena || p >= arena + MEMMAP_PAGE_SIZE));
	}
	uintptr_t frame;
	uint64_t count = 0;
	while (frames_alloc_order(&frames, 0, &frame) == 0) {
		count++;
		if (frame >= (uintptr_t)arena && frame < (uintptr_t)arena + MEMMAP_PAGE_SIZE)
			TAP_CHECK(!"frame at the tree's address 0");
	}
	TAP_CHECK(count > 0);
	free(meta);
	mm_arena_unmap(arena, ram);
	free(fdt);
}

/* The same bank twice and an overlapping one: their union, counted once. */
static void test_duplicate_banks(void)
{
	struct memmap m;
	void *fdt = load_map("duplicate-banks.dtb", &m, 0);
	if (!fdt)
		return;
	TAP_CHECK_EQ(m.banks.count, 1);
	TAP_CHECK_EQ(m.banks.r[0].base, 0x80000000);
	TAP_CHECK_EQ(mem_list_total(&m.banks), 384 * MIB);
	TAP_CHECK_EQ(mem_list_total(&m.usable) + memmap_reserved_in_ram(&m), 384 * MIB);
	free(fdt);
}

static void test_no_memory_node(void)
{
	struct memmap m;
	void *fdt = load_map("no-memory.dtb", &m, -E_NORAM);
	if (!fdt)
		return;
	TAP_CHECK(!strcmp(err_str(-E_NORAM), "the device tree lists no memory"));
	TAP_CHECK_EQ(m.usable.count, 0);
	free(fdt);
}

/* The node is named; no RAM is handed out (memmap.h says why). */
static void test_malformed_reservation(void)
{
	struct memmap m;
	void *fdt = load_map("bad-reserved-cells.dtb", &m, -E_BADDT);
	if (!fdt)
		return;
	TAP_CHECK(!strcmp(m.bad_node, "/reserved-memory/weird@90000000"));
	TAP_CHECK_EQ(m.usable.count, 0);
	TAP_CHECK_EQ(m.banks.count, 0);
	free(fdt);
}

/* 70 banks: 64 in the table, 6 counted (2 MiB each) and never usable. */
static void test_banks_past_the_table(void)
{
	struct memmap m;
	void *fdt = load_map("banks-70.dtb", &m, 0);
	if (!fdt)
		return;
	TAP_CHECK_EQ(m.banks.count, MEMMAP_MAX_REGIONS);
	TAP_CHECK_EQ(m.lost.banks, 70 - MEMMAP_MAX_REGIONS);
	TAP_CHECK_EQ(m.lost.bank_bytes, (70 - MEMMAP_MAX_REGIONS) * 2 * MIB);
	TAP_CHECK_EQ(mem_list_total(&m.banks) + m.lost.bank_bytes, 70 * 2 * MIB);
	free(fdt);
}

/* Every reservation of the tree is still covered by some reserved row. */
static void check_reservations_kept(const void *fdt, const struct memmap *m)
{
	int parent = fdt_path_offset(fdt, "/reserved-memory"), node;
	fdt_for_each_subnode(node, fdt, parent) {
		uint64_t base, size;
		TAP_CHECK_EQ(dt_reg(fdt, node, 0, &base, &size), 0);
		TAP_CHECK(!usable_covers(m, base));
		int covered = 0;
		for (unsigned i = 0; i < m->reserved.count; i++)
			covered |= base >= m->reserved.r[i].base &&
				   base - m->reserved.r[i].base < m->reserved.r[i].size;
		TAP_CHECK(covered);
	}
}

/* Runs memory_init on a tree whose RAM is mapped at TEST_RAM_BASE. */
static int init_on_mapped_ram(const char *name, struct memory *mem, void **fdt)
{
	size_t size;
	const struct boot_region payload = { TEST_RAM_BASE + 2 * MIB, 256 * 1024, "payload" };
	const char *stage;

	*fdt = dtb_load(name, &size);
	TAP_CHECK(*fdt != NULL);
	if (!*fdt)
		return -E_NOENT;
	return memory_init(mem, *fdt, size, &payload, 1, &stage);
}

static void *map_test_ram(void)
{
	void *ram = mmap((void *)(uintptr_t)TEST_RAM_BASE, TEST_RAM_SIZE, PROT_READ | PROT_WRITE,
			 MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE | MAP_FIXED_NOREPLACE, -1, 0);
	if (ram != (void *)(uintptr_t)TEST_RAM_BASE) {
		printf("# cannot map test RAM at 0x%llx\n", TEST_RAM_BASE);
		return NULL;
	}
	return ram;
}

/*
 * 40 reservations: 41 usable ranges, more than FRAMES_MAX_ZONES. The
 * largest become zones; the others are counted in lost.beyond_zones, and
 * what the frames manage plus what is lost is all the usable RAM.
 */
static void test_more_ranges_than_zones(void)
{
	static struct memory mem;
	void *fdt, *ram = map_test_ram();
	TAP_CHECK(ram != NULL);
	if (!ram)
		return;
	TAP_CHECK_EQ(init_on_mapped_ram("reservations-40.dtb", &mem, &fdt), 0);
	TAP_CHECK(mem.ready);
	TAP_CHECK_EQ(mem.frames.nzones, FRAMES_MAX_ZONES);
	TAP_CHECK(mem.map.lost.beyond_zones > 0);
	TAP_CHECK_EQ(mem.map.lost.beyond_zones + FRAMES_MAX_ZONES, mem.map.usable.count);
	TAP_CHECK_EQ(mem.frames.total_frames * FRAME_SIZE + mem.map.lost.beyond_zones_bytes,
		     mem_list_total(&mem.map.usable));
	check_reservations_kept(fdt, &mem.map);

	char line[160];
	snprintf(line, sizeof(line), "error: memory: %u usable ranges past the frame "
		 "allocator's zones are not used (", mem.map.lost.beyond_zones);
	fake_console_reset();
	memory_report_losses(&mem);
	TAP_CHECK(strncmp(fake_console_output(), line, strlen(line)) == 0);
	free(fdt);
	munmap(ram, TEST_RAM_SIZE);
}

/*
 * 70 reservations: past the table the closest rows merge. Every
 * reservation stays reserved, the merges and their gaps are counted, and
 * the allocators come up.
 */
static void test_more_reservations_than_rows(void)
{
	static struct memory mem;
	void *fdt, *ram = map_test_ram();
	TAP_CHECK(ram != NULL);
	if (!ram)
		return;
	TAP_CHECK_EQ(init_on_mapped_ram("reservations-70.dtb", &mem, &fdt), 0);
	TAP_CHECK(mem.ready);
	TAP_CHECK_EQ(mem.map.reserved.count, MEMMAP_MAX_REGIONS);
	TAP_CHECK(mem.map.lost.reservations_merged >= 70 - MEMMAP_MAX_REGIONS);
	TAP_CHECK(mem.map.lost.merge_gap_bytes > 0);
	TAP_CHECK(find_owner(&mem.map.reserved, "merged") != NULL);
	check_reservations_kept(fdt, &mem.map);
	uint64_t accounted = mem_list_total(&mem.map.usable) + memmap_reserved_in_ram(&mem.map);
	TAP_CHECK_EQ(accounted, TEST_RAM_SIZE);
	fake_console_reset();
	memory_report_losses(&mem);
	TAP_CHECK(strstr(fake_console_output(), "reservations merged with a neighbour") != NULL);
	free(fdt);
	munmap(ram, TEST_RAM_SIZE);
}

/* A fake probe: everything from 0x88000000 up faults, as past QEMU's -m 128M. */
#define FAKE_RAM_END 0x88000000u
static int probe_below_fake_end(uintptr_t addr, uint32_t *value)
{
	*value = 0;
	return addr + sizeof(*value) <= FAKE_RAM_END ? 0 : -E_FAULT;
}

static int probe_all_ok(uintptr_t addr, uint32_t *value)
{
	(void)addr;
	*value = 0;
	return 0;
}

/* A bank that faults at its end is dropped and counted; one that does not stays. */
static void test_faulting_bank(void)
{
	struct memmap m;
	void *fdt = load_map("duplicate-banks.dtb", &m, 0);
	if (!fdt)
		return;
	TAP_CHECK_EQ(memmap_drop_faulting_banks(&m, probe_all_ok), 0);
	TAP_CHECK_EQ(m.banks.count, 1);
	TAP_CHECK_EQ(memmap_drop_faulting_banks(&m, probe_below_fake_end), 1);
	TAP_CHECK_EQ(m.banks.count, 0);
	TAP_CHECK_EQ(m.usable.count, 0);
	TAP_CHECK_EQ(m.lost.banks_faulting, 1);
	TAP_CHECK_EQ(m.lost.faulting_bytes, 384 * MIB);
	free(fdt);
}

/* The boot code's own image must lie in RAM the tree describes. */
static void test_payload_outside_ram(void)
{
	static struct memory mem;
	size_t size;
	void *fdt = dtb_load("duplicate-banks.dtb", &size);
	const struct boot_region outside = { 0x40000000, 0x1000, "payload" };
	const char *stage;
	TAP_CHECK(fdt != NULL);
	if (!fdt)
		return;
	TAP_CHECK_EQ(memory_init(&mem, fdt, size, &outside, 1, &stage), -E_OUTSIDE);
	TAP_CHECK(stage && !strcmp(stage, "payload"));
	TAP_CHECK(!mem.ready);
	fake_console_reset();
	TAP_CHECK(!memory_require(&mem, "alloc"));
	TAP_CHECK(fake_console_expect_output(
		"error: alloc: no memory allocator (memory set-up failed at boot)\r\n"));
	free(fdt);
}

int main(void)
{
	TAP_RUN(test_ram_at_zero);
	TAP_RUN(test_duplicate_banks);
	TAP_RUN(test_no_memory_node);
	TAP_RUN(test_malformed_reservation);
	TAP_RUN(test_banks_past_the_table);
	TAP_RUN(test_more_ranges_than_zones);
	TAP_RUN(test_more_reservations_than_rows);
	TAP_RUN(test_faulting_bank);
	TAP_RUN(test_payload_outside_ram);
	return tap_done();
}
