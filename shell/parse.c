/*
 * Number and size parsing for command arguments (see parse.h). libc's
 * strtoull does the digits; the code here refuses what strtoull would
 * quietly accept (leading spaces, a sign, octal) and names what was wrong.
 */
#include <ctype.h>
#include <errno.h>
#include <stdlib.h>

#include "lib/console.h"
#include "lib/errors.h"
#include "shell/parse.h"

#define HEX_PREFIX_LEN 2

enum parse_status {
	PARSE_OK,
	PARSE_EMPTY,
	PARSE_NEGATIVE,
	PARSE_NOT_NUMBER,
	PARSE_NO_HEX_DIGITS,
	PARSE_TRAILING,
	PARSE_BAD_SUFFIX,
	PARSE_TOO_LARGE,
};

static const struct {
	int err;
	const char *reason;
} parse_failures[] = {
	[PARSE_OK] = { 0, "ok" },
	[PARSE_EMPTY] = { -E_INVAL, "empty" },
	[PARSE_NEGATIVE] = { -E_INVAL, "negative" },
	[PARSE_NOT_NUMBER] = { -E_INVAL, "not a number" },
	[PARSE_NO_HEX_DIGITS] = { -E_INVAL, "no digits after '0x'" },
	[PARSE_TRAILING] = { -E_INVAL, "unexpected characters after the number" },
	[PARSE_BAD_SUFFIX] = { -E_INVAL, "unknown suffix (use K, M or G)" },
	[PARSE_TOO_LARGE] = { -E_RANGE, "too large" },
};

/* Size suffixes and the power of two each one multiplies by. */
static const struct {
	char suffix;
	unsigned shift;
} size_suffixes[] = {
	{ 'K', 10 }, { 'k', 10 },
	{ 'M', 20 }, { 'm', 20 },
	{ 'G', 30 }, { 'g', 30 },
};

_Static_assert(sizeof(unsigned long long) == sizeof(uint64_t),
	       "strtoull covers exactly the uint64_t range");

static int is_hex_prefix(const char *text)
{
	return text[0] == '0' && (text[1] == 'x' || text[1] == 'X');
}

/* Digits at the start of text; *end gets the first character after them. */
static enum parse_status scan_digits(const char *text, uint64_t *out,
				     const char **end)
{
	int base = 10;

	if (text[0] == '\0')
		return PARSE_EMPTY;
	if (text[0] == '-')
		return PARSE_NEGATIVE;
	if (!isdigit((unsigned char)text[0]))
		return PARSE_NOT_NUMBER;
	if (is_hex_prefix(text)) {
		if (!isxdigit((unsigned char)text[HEX_PREFIX_LEN]))
			return PARSE_NO_HEX_DIGITS;
		base = 16;
	}
	errno = 0;
	char *stop;
	unsigned long long value = strtoull(text, &stop, base);
	if (errno == ERANGE)
		return PARSE_TOO_LARGE;
	*out = value;
	*end = stop;
	return PARSE_OK;
}

static enum parse_status scan_u64(const char *text, uint64_t *out)
{
	const char *end;
	uint64_t value;
	enum parse_status status = scan_digits(text, &value, &end);

	if (status != PARSE_OK)
		return status;
	if (*end != '\0')
		return PARSE_TRAILING;
	*out = value;
	return PARSE_OK;
}

/* U-Boot's numbers: hex with or without "0x", nothing else. */
static enum parse_status scan_hex(const char *text, uint64_t *out)
{
	const char *digits = is_hex_prefix(text) ? text + HEX_PREFIX_LEN : text;
	char *stop;

	if (text[0] == '\0')
		return PARSE_EMPTY;
	if (text[0] == '-')
		return PARSE_NEGATIVE;
	if (!isxdigit((unsigned char)digits[0]))
		return digits == text ? PARSE_NOT_NUMBER : PARSE_NO_HEX_DIGITS;
	errno = 0;
	unsigned long long value = strtoull(digits, &stop, 16);
	if (errno == ERANGE)
		return PARSE_TOO_LARGE;
	if (*stop != '\0')
		return PARSE_TRAILING;
	*out = value;
	return PARSE_OK;
}

static enum parse_status scan_size(const char *text, uint64_t *out)
{
	const char *end;
	uint64_t value;
	enum parse_status status = scan_digits(text, &value, &end);

	if (status != PARSE_OK)
		return status;
	if (*end == '\0') {
		*out = value;
		return PARSE_OK;
	}
	for (size_t i = 0; i < sizeof(size_suffixes) / sizeof(size_suffixes[0]); i++) {
		unsigned shift = size_suffixes[i].shift;

		if (*end != size_suffixes[i].suffix)
			continue;
		if (end[1] != '\0')
			return PARSE_TRAILING;
		if (value > (UINT64_MAX >> shift))
			return PARSE_TOO_LARGE;
		*out = value << shift;
		return PARSE_OK;
	}
	return PARSE_BAD_SUFFIX;
}

static int report(const char *what, const char *text, enum parse_status status)
{
	if (status != PARSE_OK)
		console_printf("error: bad %s '%s': %s\n", what, text,
			       parse_failures[status].reason);
	return parse_failures[status].err;
}

int parse_u64(const char *text, uint64_t *out)
{
	return parse_failures[scan_u64(text, out)].err;
}

int parse_size(const char *text, uint64_t *out)
{
	return parse_failures[scan_size(text, out)].err;
}

int arg_u64(const char *what, const char *text, uint64_t *out)
{
	return report(what, text, scan_u64(text, out));
}

int parse_hex(const char *text, uint64_t *out)
{
	return parse_failures[scan_hex(text, out)].err;
}

int arg_hex(const char *what, const char *text, uint64_t *out)
{
	return report(what, text, scan_hex(text, out));
}

int arg_size(const char *what, const char *text, uint64_t *out)
{
	return report(what, text, scan_size(text, out));
}
