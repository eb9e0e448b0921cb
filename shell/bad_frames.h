/*
 * Frames that failed a RAM test (`memtest`). A retired frame stays
 * allocated from the frame allocator for the rest of the boot, so no later
 * allocation can get it; this table remembers which they are, for `stats`
 * (frames_bad), for `memtest ADDR LEN` refusals and for the memory map,
 * where each shows as a reservation owned by BAD_FRAMES_OWNER.
 */
#ifndef SHELL_BAD_FRAMES_H
#define SHELL_BAD_FRAMES_H

#include <stdbool.h>
#include <stdint.h>

#define BAD_FRAMES_MAX 64
#define BAD_FRAMES_OWNER "bad"

struct bad_frames {
	unsigned count;
	uintptr_t frame[BAD_FRAMES_MAX];	/* page-aligned addresses */
};

/* Adds the frame holding addr once: true when it is (now) in the table,
 * false when the table is full. */
bool bad_frames_add(struct bad_frames *b, uintptr_t addr);
/* Whether a frame from index `from` on lies in [base, base + bytes). */
bool bad_frames_within(const struct bad_frames *b, unsigned from, uintptr_t base,
		       uint64_t bytes);
void bad_frames_remove(struct bad_frames *b, unsigned index);

#endif
