/*
 * Error codes shared by every part of buddymon. Library code (mm/, lib/,
 * drivers/) returns these as negative values and never prints; the shell
 * turns them into "error: ..." lines with err_str().
 */
#ifndef LIB_ERRORS_H
#define LIB_ERRORS_H

enum err {
	E_OK = 0,
	E_INVAL,	/* invalid argument */
	E_NOMEM,	/* out of memory */
	E_RANGE,	/* value out of range */
	E_NOENT,	/* not found */
	E_NOTALLOC,	/* address is not the start of an allocated block */
	E_ALIGN,	/* misaligned address or bad alignment */
	E_OUTSIDE,	/* address outside every managed range */
	E_FAULT,	/* access fault */
	E_NOTSUPP,	/* not supported by the firmware or hardware */
	E_BADDT,	/* malformed device tree */
	E_FULL,		/* a fixed-size table is full */
	E_BUSY,		/* resource in use */
	E_IO,		/* device or firmware call failed */
	E_CORRUPT,	/* an invariant check failed */
	E_FREED,	/* the block is already free */
	E_NORAM,	/* the device tree lists no memory */
	E_DISABLED,	/* status = "disabled" in the device tree */
	E_TIMEOUT,	/* a device never became ready */
	E_ISRAM,	/* a device's reg lies in RAM */
	E_COUNT
};

/* Message for a code given as positive or negative value. */
const char *err_str(int code);

#endif
