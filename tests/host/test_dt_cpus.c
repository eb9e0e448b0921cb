/*
 * Host tests of hart discovery (lib/dt_cpus.c): which /cpus harts buddymon
 * starts and why it skips the others, on a tree with one hart of each kind
 * (dts/cpus-mixed.dts) and on the real board trees, whose monitor cores
 * (the S7 of the JH7110 and FU740) must be skipped.
 */
#include <stdlib.h>
#include <string.h>

#include <libfdt.h>

#include "lib/dt_cpus.h"
#include "tests/host/support/dtb_file.h"
#include "tests/host/tap.h"

#define MAX_HARTS 16

struct hart_row {
	unsigned long id;
	const char *why;	/* NULL: usable */
};

/* Fills rows in /cpus order; returns how many harts the tree lists. */
static unsigned list_harts(const char *dtb, struct hart_row *rows)
{
	size_t size;
	void *fdt = dtb_load(dtb, &size);
	unsigned n = 0;
	int node;

	if (!fdt || fdt_check_header(fdt) != 0) {
		free(fdt);
		return 0;
	}
	dt_for_each_hart(fdt, node) {
		if (n == MAX_HARTS)
			break;
		rows[n].id = dt_hart_id(fdt, node);
		rows[n].why = dt_hart_unusable(fdt, node);
		n++;
	}
	free(fdt);	/* the reasons are constant strings, not the tree's */
	return n;
}

static bool same_reason(const char *got, const char *want)
{
	return got == want || (got && want && !strcmp(got, want));
}

static void test_each_kind_of_hart(void)
{
	static const struct hart_row want[] = {
		{ 0, "no MMU" },
		{ 1, NULL },
		{ 2, "no MMU" },
		{ 3, "no FPU (F)" },
		{ 4, "not RV64" },
		{ 5, NULL },
		{ 6, NULL },
		{ 7, "no atomics (A)" },
		{ 8, "disabled" },
	};
	struct hart_row rows[MAX_HARTS];
	unsigned n = list_harts("cpus-mixed.dtb", rows);

	TAP_CHECK_EQ(n, sizeof(want) / sizeof(want[0]));
	for (unsigned i = 0; i < n && i < sizeof(want) / sizeof(want[0]); i++) {
		TAP_CHECK_EQ(rows[i].id, want[i].id);
		if (!same_reason(rows[i].why, want[i].why))
			printf("#   hart %lu: got '%s', want '%s'\n", rows[i].id,
			       rows[i].why ? rows[i].why : "usable",
			       want[i].why ? want[i].why : "usable");
		TAP_CHECK(same_reason(rows[i].why, want[i].why));
	}
}

/* Both boards: hart 0 is the disabled monitor core, harts 1-4 the U74s. */
static void check_board(const char *dtb)
{
	struct hart_row rows[MAX_HARTS];
	unsigned n = list_harts(dtb, rows);

	TAP_CHECK_EQ(n, 5);
	for (unsigned i = 0; i < n; i++) {
		TAP_CHECK_EQ(rows[i].id, i);
		TAP_CHECK(same_reason(rows[i].why, i == 0 ? "disabled" : NULL));
	}
}

static void test_hifive_unmatched(void)
{
	check_board("board/hifive-unmatched-a00.dtb");
}

static void test_visionfive2(void)
{
	check_board("board/jh7110-starfive-visionfive-2-v1.3b.dtb");
}

static void test_tree_without_cpus(void)
{
	size_t size;
	void *fdt = dtb_load("translated-uart.dtb", &size);

	TAP_CHECK(fdt != NULL);
	TAP_CHECK(fdt && dt_first_hart(fdt) < 0);
	free(fdt);
}

int main(void)
{
	TAP_RUN(test_each_kind_of_hart);
	TAP_RUN(test_hifive_unmatched);
	TAP_RUN(test_visionfive2);
	TAP_RUN(test_tree_without_cpus);
	return tap_done();
}
