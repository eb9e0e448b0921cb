/*
 * Messages for the codes in errors.h, one table so every "error: ..." line
 * in the shell words the same failure the same way.
 */
#include "errors.h"

static const char *const err_messages[E_COUNT] = {
	[E_OK] = "success",
	[E_INVAL] = "invalid argument",
	[E_NOMEM] = "out of memory",
	[E_RANGE] = "value out of range",
	[E_NOENT] = "not found",
	[E_NOTALLOC] = "not the start of an allocated block",
	[E_ALIGN] = "misaligned",
	[E_OUTSIDE] = "outside every managed range",
	[E_FAULT] = "access fault",
	[E_NOTSUPP] = "not supported",
	[E_BADDT] = "malformed device tree",
	[E_FULL] = "table full",
	[E_BUSY] = "in use",
	[E_IO] = "I/O error",
	[E_CORRUPT] = "invariant violated",
	[E_FREED] = "already free",
	[E_NORAM] = "the device tree lists no memory",
	[E_DISABLED] = "disabled in the device tree",
	[E_TIMEOUT] = "device never became ready",
	[E_ISRAM] = "its reg lies in RAM, not on a device",
};

const char *err_str(int code)
{
	if (code < 0)
		code = -code;
	if (code >= E_COUNT)
		return "unknown error";
	return err_messages[code];
}
