/* Memory bring-up failures and losses as "error: " lines (memory_report.h). */
#include "lib/console.h"
#include "lib/errors.h"
#include "lib/format.h"
#include "shell/memory_report.h"

void memory_report_init_error(const struct memory *mem, int err, const char *stage)
{
	const struct memmap *map = &mem->map;

	if (err == -E_NORAM)
		console_printf("error: %s\n", err_str(err));
	else if (err == -E_BADDT && map->bad_node[0])
		console_printf("error: device tree: %s cannot be read (%s); no RAM is handed out, "
			       "since what it describes may be in use\n", map->bad_node,
			       err_str(err));
	else if (err == -E_OUTSIDE)
		console_printf("error: the %s lies outside the RAM the device tree describes; "
			       "no allocator\n", stage);
	else
		console_printf("error: memory set-up failed at %s: %s\n", stage, err_str(err));
}

static void report(unsigned count, uint64_t bytes, const char *what)
{
	char human[FORMAT_SIZE_MAX];

	if (count == 0)
		return;
	format_size(human, sizeof(human), bytes);
	console_printf("error: memory: %u %s (%s)\n", count, what, human);
}

void memory_report_losses(const struct memory *mem)
{
	const struct memmap_losses *lost = &mem->map.lost;

	report(lost->banks, lost->bank_bytes,
	       "memory ranges past the memory map's table are not used");
	report(lost->banks_faulting, lost->faulting_bytes,
	       "memory banks fault when read and are not used");
	report(lost->reservations_merged, lost->merge_gap_bytes,
	       "reservations merged with a neighbour to fit the table; the gaps stay reserved");
	report(lost->usable, lost->usable_bytes,
	       "usable ranges past the memory map's table are not used");
	report(lost->beyond_zones, lost->beyond_zones_bytes,
	       "usable ranges past the frame allocator's zones are not used");
	if (lost->size_only)
		console_printf("error: memory: %u size-only reservations past the table are "
			       "not listed\n", lost->size_only);
}

bool memory_require(const struct memory *mem, const char *cmd)
{
	if (mem->ready)
		return true;
	console_printf("error: %s: no memory allocator (memory set-up failed at boot)\n", cmd);
	return false;
}
