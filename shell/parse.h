/*
 * Numbers and sizes typed at the shell: the one place where command
 * arguments become integers, so every command accepts the same spellings
 * and words a bad argument the same way.
 *
 *   number: decimal "4096" or hex "0x1000" (0X too); nothing else, no sign,
 *           no spaces, nothing after the digits, at most UINT64_MAX.
 *   size:   a number optionally followed by one of K, M, G (or k, m, g),
 *           binary multiples: "4K" = 4096, "0x10M" = 16 MiB.
 *   hex:    U-Boot's spelling, for md/mw/cmp/cp: hex digits with or
 *           without "0x" ("80200000" = "0x80200000"), nothing else.
 */
#ifndef SHELL_PARSE_H
#define SHELL_PARSE_H

#include <stdint.h>

/*
 * Return 0 and set *out, or return -E_INVAL (malformed) / -E_RANGE (too
 * large) and leave *out alone; print nothing.
 */
int parse_u64(const char *text, uint64_t *out);
int parse_size(const char *text, uint64_t *out);
int parse_hex(const char *text, uint64_t *out);

/*
 * The same, for command handlers: on failure print
 * "error: bad WHAT 'TEXT': REASON" and return the code, so a handler reads
 *   if (arg_size("SIZE", argv[2], &size)) return CMD_FAIL;
 */
int arg_u64(const char *what, const char *text, uint64_t *out);
int arg_size(const char *what, const char *text, uint64_t *out);
int arg_hex(const char *what, const char *text, uint64_t *out);

#endif
