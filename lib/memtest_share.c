/* Shares of a RAM test's ranges for several harts (see memtest.h). */
#include "lib/memtest_share.h"

uint64_t memtest_ranges_bytes(const struct memtest *mt)
{
	uint64_t bytes = 0;

	for (size_t k = 0; k < mt->count; k++)
		bytes += mt->ranges[k].bytes;
	return bytes;
}

static uint64_t align_down(uint64_t bytes)
{
	return bytes / MEMTEST_SHARE_ALIGN * MEMTEST_SHARE_ALIGN;
}

void memtest_share(struct memtest *mt, unsigned index, unsigned count)
{
	uint64_t total = memtest_ranges_bytes(mt), each = total / count;
	uint64_t start = align_down(each * index);
	uint64_t end = index + 1 == count ? total : align_down(each * (index + 1));

	mt->shared = true;
	mt->share_offset = start;
	mt->share_bytes = end - start;
}

uint64_t memtest_bytes(const struct memtest *mt)
{
	return mt->shared ? mt->share_bytes : memtest_ranges_bytes(mt);
}

uint64_t memtest_share_words(const struct memtest *mt, size_t k, uint64_t offset,
			     uint64_t *first)
{
	uint64_t lo = offset, hi = offset + mt->ranges[k].bytes;

	if (mt->shared) {
		uint64_t share_end = mt->share_offset + mt->share_bytes;
		lo = lo > mt->share_offset ? lo : mt->share_offset;
		hi = hi < share_end ? hi : share_end;
	}
	if (hi <= lo)
		return 0;
	*first = (lo - offset) / MEMTEST_WORD_BYTES;
	return (hi - lo) / MEMTEST_WORD_BYTES;
}
