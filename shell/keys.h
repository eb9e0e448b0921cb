/*
 * Terminal input decoding for the line editor: raw bytes from the serial
 * line in, keys out. Folds the VT100/xterm escape sequences for the arrow
 * and editing keys into single key codes, and the three line endings
 * (CR, LF, CR LF) into one KEY_ENTER each. One byte in gives at most one
 * key out, so the caller can handle every byte as it arrives.
 */
#ifndef SHELL_KEYS_H
#define SHELL_KEYS_H

#define KEY_CTRL(letter)	((letter) & 0x1f)
#define KEY_BELL		0x07
#define KEY_BACKSPACE		0x08
#define KEY_TAB			0x09
#define KEY_ESC			0x1b
#define KEY_DEL			0x7f	/* what most terminals send for Backspace */

/* Decoded keys beyond plain bytes (which decode to themselves, 0..255). */
enum key {
	KEY_NONE = -1,		/* byte consumed, no key yet */
	KEY_ENTER = 0x100,
	KEY_UP,
	KEY_DOWN,
	KEY_RIGHT,
	KEY_LEFT,
	KEY_HOME,
	KEY_END,
	KEY_DELETE,
};

struct key_decoder {
	int state;		/* enum decode_state, private to keys.c */
	unsigned param;		/* first numeric parameter of a CSI sequence */
	int after_cr;		/* last byte was a CR: a following LF is swallowed */
};

void key_decoder_init(struct key_decoder *kd);

/* Feed one byte; returns a key, or KEY_NONE while inside a sequence. */
int key_decode(struct key_decoder *kd, unsigned char byte);

#endif
