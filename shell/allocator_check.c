/* The allocators' invariant walks in words (see allocator_check.h). */
#include "lib/console.h"
#include "shell/allocator_check.h"

static bool report_check(const char *name, int err, const char *why, uintptr_t where)
{
	if (err == 0)
		return true;
	console_printf("error: check: %s: %s at 0x%lx\n", name, why, (unsigned long)where);
	return false;
}

bool allocator_check_report(const struct memory *mem)
{
	const char *why = "";
	uintptr_t where = 0;
	/* each check runs before its report reads why and where */
	int err = frames_check(&mem->frames, &why, &where);
	bool ok = report_check("frames", err, why, where);

	err = heap_check(&mem->heap, &why, &where);
	return report_check("heap", err, why, where) && ok;
}
