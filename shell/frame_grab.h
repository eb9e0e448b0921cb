/*
 * Taking every free frame from the frame allocator, and giving them back:
 * how `memtest` gets RAM that nothing else uses. The grab first takes a few
 * frames for its own list of blocks, then every free frame, largest blocks
 * first (2^k frames aligned to their size, so a few dozen blocks cover a
 * whole RAM). The list frames are the only taken memory that is never
 * tested. Giving back keeps newly found bad frames allocated, one frame
 * each (bad_frames.h): their blocks are split in halves down to single
 * frames, and every half without a bad frame is freed.
 */
#ifndef SHELL_FRAME_GRAB_H
#define SHELL_FRAME_GRAB_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "lib/memtest.h"
#include "mm/frames.h"
#include "shell/bad_frames.h"

struct frame_grab {
	struct frames *frames;
	struct memtest_range *blocks;	/* taken blocks, in the list frames */
	struct memtest_range *clipped;	/* room for frame_grab_clip, after them */
	size_t count, capacity;
	uintptr_t list;			/* the list frames */
	uint64_t list_bytes;
	uint64_t bytes;			/* in the taken blocks */
	bool incomplete;		/* the list filled up before the free frames ran out */
};

/* Takes every free frame: 0, or -E_NOMEM when there is none (nothing
 * taken). The list frames go outside [avoid, avoid + avoid_len) when they
 * can (the range `memtest ADDR LEN` tests; avoid_len 0 for none). */
int frame_grab_all(struct frame_grab *g, struct frames *f, uintptr_t avoid, uint64_t avoid_len);

/* Whether the taken blocks cover [addr, addr + len); if not, *gap is the
 * first address in it that was not free. */
bool frame_grab_covers(const struct frame_grab *g, uintptr_t addr, uint64_t len,
		       uintptr_t *gap);

/* Fills g->clipped with the taken blocks' parts inside [addr, addr + len);
 * returns how many. */
size_t frame_grab_clip(struct frame_grab *g, uintptr_t addr, uint64_t len);

/* Gives every taken frame back, except the frames bad->frame[from..] hold:
 * those stay allocated. A bad frame that could not be kept is dropped from
 * the table. Returns how many frames were retired. */
unsigned frame_grab_release(struct frame_grab *g, struct bad_frames *bad, unsigned from);

#endif
