/* Key=value lookup in the kernel command line (bootargs.h). */
#include <string.h>

#include <libfdt.h>

#include "lib/bootargs.h"
#include "lib/errors.h"

#define QUOTE '"'

static int is_space(char c)
{
	return c == ' ' || c == '\t' || c == '\n';
}

/* Length of the word at s: up to a space outside double quotes. */
static size_t word_length(const char *s)
{
	int quoted = 0;
	size_t n = 0;

	for (; s[n] && (quoted || !is_space(s[n])); n++)
		if (s[n] == QUOTE)
			quoted = !quoted;
	return n;
}

/* Copies value[0..len) without its double quotes; -E_RANGE if it does not fit. */
static int copy_unquoted(const char *value, size_t len, char *out, size_t out_size)
{
	size_t n = 0;

	for (size_t i = 0; i < len; i++) {
		if (value[i] == QUOTE)
			continue;
		if (n + 1 >= out_size)
			return -E_RANGE;
		out[n++] = value[i];
	}
	if (out_size == 0)
		return -E_RANGE;
	out[n] = '\0';
	return (int)n;
}

int bootargs_get(const char *cmdline, const char *key, char *out, size_t out_size)
{
	size_t key_len = strlen(key);
	const char *value = NULL;
	size_t value_len = 0;

	for (const char *s = cmdline; *s;) {
		while (is_space(*s))
			s++;
		size_t len = word_length(s);
		if (len > key_len && strncmp(s, key, key_len) == 0 && s[key_len] == '=') {
			value = s + key_len + 1;
			value_len = len - key_len - 1;
		}
		s += len;
	}
	if (!value)
		return -E_NOENT;
	return copy_unquoted(value, value_len, out, out_size);
}

const char *bootargs_from_dt(const void *fdt)
{
	int len;
	int chosen = fdt_path_offset(fdt, "/chosen");
	const char *args = chosen < 0 ? NULL : fdt_getprop(fdt, chosen, "bootargs", &len);

	return args && len > 0 && args[len - 1] == '\0' ? args : "";
}
