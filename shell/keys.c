/*
 * Byte-to-key decoder (see keys.h). Understands the sequences terminals
 * send for the editing keys:
 *   ESC [ A/B/C/D      Up, Down, Right, Left
 *   ESC [ H/F, ESC O H/F   Home, End
 *   ESC [ n ~          1 and 7 Home, 4 and 8 End, 3 Delete
 * Only the first parameter counts: xterm's modified keys (ESC [ 3 ; 5 ~ for
 * Ctrl-Delete, ESC [ 1 ; 5 C for Ctrl-Right) act as the plain key.
 * Other well-formed CSI sequences (with any parameters) are swallowed. A
 * control byte inside a sequence abandons it and is decoded normally, so a
 * stray ESC cannot eat the line ending that follows.
 */
#include "shell/keys.h"

#define CSI_INTRO	'['
#define CSI_PARAM_SEPARATOR ';'
#define SS3_INTRO	'O'
#define CSI_PARAM_MAX	1000	/* larger parameters mean nothing to us */

enum decode_state {
	DECODE_GROUND,
	DECODE_ESC,	/* seen ESC */
	DECODE_CSI,	/* seen ESC [ and maybe digits of the first parameter */
	DECODE_CSI_REST,	/* past the first parameter: skip to the final byte */
	DECODE_SS3,	/* seen ESC O */
};

/* Final bytes shared by CSI and SS3 sequences. */
static const struct {
	char final;
	enum key key;
} final_keys[] = {
	{ 'A', KEY_UP }, { 'B', KEY_DOWN }, { 'C', KEY_RIGHT }, { 'D', KEY_LEFT },
	{ 'H', KEY_HOME }, { 'F', KEY_END },
};

/* Parameters of ESC [ n ~ (rxvt, linux console and xterm spellings). */
static const struct {
	unsigned param;
	enum key key;
} tilde_keys[] = {
	{ 1, KEY_HOME }, { 7, KEY_HOME }, { 4, KEY_END }, { 8, KEY_END },
	{ 3, KEY_DELETE },
};

#define ARRAY_LEN(a) (sizeof(a) / sizeof((a)[0]))

void key_decoder_init(struct key_decoder *kd)
{
	kd->state = DECODE_GROUND;
	kd->param = 0;
	kd->after_cr = 0;
}

static int key_for_final(unsigned char final)
{
	for (unsigned i = 0; i < ARRAY_LEN(final_keys); i++)
		if (final_keys[i].final == final)
			return final_keys[i].key;
	return KEY_NONE;
}

static int key_for_tilde(unsigned param)
{
	for (unsigned i = 0; i < ARRAY_LEN(tilde_keys); i++)
		if (tilde_keys[i].param == param)
			return tilde_keys[i].key;
	return KEY_NONE;
}

static int decode_ground(struct key_decoder *kd, unsigned char byte)
{
	int was_after_cr = kd->after_cr;

	kd->after_cr = byte == '\r';
	switch (byte) {
	case KEY_ESC:
		kd->state = DECODE_ESC;
		return KEY_NONE;
	case '\r':
		return KEY_ENTER;
	case '\n':
		return was_after_cr ? KEY_NONE : KEY_ENTER;
	default:
		return byte;
	}
}

static int decode_csi(struct key_decoder *kd, unsigned char byte)
{
	if (kd->state == DECODE_CSI && byte >= '0' && byte <= '9') {
		if (kd->param < CSI_PARAM_MAX)
			kd->param = kd->param * 10 + (byte - '0');
		return KEY_NONE;
	}
	if (byte == CSI_PARAM_SEPARATOR)
		kd->state = DECODE_CSI_REST;
	if (byte >= 0x20 && byte <= 0x3f)	/* later parameters, other parameter bytes */
		return KEY_NONE;
	kd->state = DECODE_GROUND;
	if (byte == '~')
		return key_for_tilde(kd->param);
	return key_for_final(byte);
}

int key_decode(struct key_decoder *kd, unsigned char byte)
{
	if (kd->state != DECODE_GROUND && byte < 0x20) {
		kd->state = DECODE_GROUND;	/* abandon the sequence */
		return decode_ground(kd, byte);
	}
	switch (kd->state) {
	case DECODE_ESC:
		kd->param = 0;
		kd->state = byte == CSI_INTRO ? DECODE_CSI :
			    byte == SS3_INTRO ? DECODE_SS3 : DECODE_GROUND;
		return kd->state == DECODE_GROUND ? byte : KEY_NONE;
	case DECODE_CSI:
	case DECODE_CSI_REST:
		return decode_csi(kd, byte);
	case DECODE_SS3:
		kd->state = DECODE_GROUND;
		return key_for_final(byte);
	default:
		return decode_ground(kd, byte);
	}
}
