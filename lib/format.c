/* Human-readable sizes (see format.h). */
#include <stdio.h>

#include "lib/format.h"

#define FORMAT_HUNDREDTHS 100

void format_size(char *buf, size_t len, uint64_t bytes)
{
	static const char *const units[] = { "B", "KiB", "MiB", "GiB", "TiB", "PiB", "EiB" };
	unsigned unit = 0;

	while (unit + 1 < sizeof(units) / sizeof(units[0]) && bytes >> (10 * (unit + 1)))
		unit++;
	uint64_t whole = bytes >> (10 * unit);
	uint64_t rest = bytes - (whole << (10 * unit));
	if (rest == 0) {
		snprintf(buf, len, "%llu %s", (unsigned long long)whole, units[unit]);
		return;
	}
	/* Two decimals, truncated: never shows more than there is. */
	uint64_t hundredths = (rest >> (10 * unit - 7)) * FORMAT_HUNDREDTHS >> 7;
	snprintf(buf, len, "%llu.%02llu %s", (unsigned long long)whole,
		 (unsigned long long)hundredths, units[unit]);
}
