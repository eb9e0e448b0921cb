/* The table of retired frames (see bad_frames.h). */
#include "mm/frames.h"
#include "shell/bad_frames.h"

bool bad_frames_add(struct bad_frames *b, uintptr_t addr)
{
	uintptr_t frame = addr & ~(uintptr_t)(FRAME_SIZE - 1);

	if (bad_frames_within(b, 0, frame, FRAME_SIZE))
		return true;
	if (b->count == BAD_FRAMES_MAX)
		return false;
	b->frame[b->count++] = frame;
	return true;
}

bool bad_frames_within(const struct bad_frames *b, unsigned from, uintptr_t base,
		       uint64_t bytes)
{
	for (unsigned i = from; i < b->count; i++)
		if (b->frame[i] >= base && b->frame[i] - base < bytes)
			return true;
	return false;
}

void bad_frames_remove(struct bad_frames *b, unsigned index)
{
	for (unsigned i = index + 1; i < b->count; i++)
		b->frame[i - 1] = b->frame[i];
	b->count--;
}
