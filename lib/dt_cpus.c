/*
 * Hart discovery in /cpus (see dt_cpus.h). The RISC-V cpus binding has no
 * letter for S-mode in riscv,isa, so S-mode is read from mmu-type: a hart
 * with an MMU has S-mode; a monitor core has none. The ISA comes from
 * riscv,isa ("rv64imafdc_zicsr...") or, on newer trees, from
 * riscv,isa-base and riscv,isa-extensions.
 */
#include <stdbool.h>
#include <string.h>

#include <libfdt.h>

#include "lib/dt.h"
#include "lib/dt_cpus.h"

#define HART_REG_CELLS 1

/* The single-letter extensions rv64gc needs, and what a hart without one lacks. */
static const struct {
	char letter;
	const char *missing;
} needed_extensions[] = {
	{ 'i', "no base integer ISA" },
	{ 'm', "no multiply (M)" },
	{ 'a', "no atomics (A)" },
	{ 'f', "no FPU (F)" },
	{ 'd', "no FPU (D)" },
	{ 'c', "no compressed instructions (C)" },
};

static bool is_hart_node(const void *fdt, int node)
{
	int len;
	const char *type = fdt_getprop(fdt, node, "device_type", &len);
	const void *reg = fdt_getprop(fdt, node, "reg", &len);

	return type && !strcmp(type, "cpu") && reg && len == HART_REG_CELLS * 4;
}

static int hart_at_or_after(const void *fdt, int node)
{
	while (node >= 0 && !is_hart_node(fdt, node))
		node = fdt_next_subnode(fdt, node);
	return node;
}

int dt_first_hart(const void *fdt)
{
	int cpus = fdt_path_offset(fdt, "/cpus");

	if (cpus < 0)
		return cpus;
	return hart_at_or_after(fdt, fdt_first_subnode(fdt, cpus));
}

int dt_next_hart(const void *fdt, int node)
{
	return hart_at_or_after(fdt, fdt_next_subnode(fdt, node));
}

unsigned long dt_hart_id(const void *fdt, int node)
{
	return (unsigned long)dt_read_cells(fdt_getprop(fdt, node, "reg", NULL), HART_REG_CELLS);
}

static bool has_mmu(const void *fdt, int node)
{
	int len;
	const char *mmu = fdt_getprop(fdt, node, "mmu-type", &len);

	return mmu && len > 0 && mmu[len - 1] == '\0' && strcmp(mmu, "riscv,none") != 0;
}

/* "rv64imafdc_zicsr": the letters between "rv64" and the first '_'; 'g' is imafd. */
static bool isa_string_has(const char *isa, char letter)
{
	const char *end = strchr(isa, '_');
	size_t len = end ? (size_t)(end - isa) : strlen(isa);

	for (size_t i = strlen("rv64"); i < len; i++)
		if (isa[i] == letter || (isa[i] == 'g' && strchr("imafd", letter)))
			return true;
	return false;
}

static bool isa_extensions_have(const void *fdt, int node, char letter)
{
	int len;
	const char *list = fdt_getprop(fdt, node, "riscv,isa-extensions", &len);
	const char name[] = { letter, '\0' };

	return list && fdt_stringlist_contains(list, len, name);
}

static const char *isa_shortfall(const void *fdt, int node)
{
	int len;
	const char *isa = fdt_getprop(fdt, node, "riscv,isa", &len);
	bool string_ok = isa && len > 0 && isa[len - 1] == '\0';
	const char *base = string_ok ? isa :
			   fdt_getprop(fdt, node, "riscv,isa-base", &len);

	if (!base || len <= 0 || base[len - 1] != '\0')
		return "no riscv,isa";
	if (strncmp(base, "rv64", strlen("rv64")) != 0)
		return "not RV64";
	for (size_t i = 0; i < sizeof(needed_extensions) / sizeof(needed_extensions[0]); i++) {
		char letter = needed_extensions[i].letter;
		bool has = string_ok ? isa_string_has(isa, letter) :
			   letter == 'i' || isa_extensions_have(fdt, node, letter);
		if (!has)
			return needed_extensions[i].missing;
	}
	return NULL;
}

const char *dt_hart_unusable(const void *fdt, int node)
{
	if (!dt_node_enabled(fdt, node))
		return "disabled";
	if (!has_mmu(fdt, node))
		return "no MMU";
	return isa_shortfall(fdt, node);
}
