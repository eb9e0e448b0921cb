/* Tests for shell/parse.c: the numbers and sizes every command accepts. */
#include <stdint.h>
#include <string.h>

#include "lib/errors.h"
#include "shell/parse.h"
#include "tap.h"
#include "tests/host/support/fake_console.h"

#define UNTOUCHED 0xdeadbeefULL

/* parse_u64 result, leaving *value at UNTOUCHED on failure. */
static int u64(const char *text, uint64_t *value)
{
	*value = UNTOUCHED;
	return parse_u64(text, value);
}

static int size(const char *text, uint64_t *value)
{
	*value = UNTOUCHED;
	return parse_size(text, value);
}

static void test_decimal(void)
{
	uint64_t v;

	TAP_CHECK_EQ(u64("0", &v), 0);
	TAP_CHECK_EQ(v, 0);
	TAP_CHECK_EQ(u64("4096", &v), 0);
	TAP_CHECK_EQ(v, 4096);
	TAP_CHECK_EQ(u64("010", &v), 0);	/* decimal, not octal */
	TAP_CHECK_EQ(v, 10);
}

static void test_hex(void)
{
	uint64_t v;

	TAP_CHECK_EQ(u64("0x1000", &v), 0);
	TAP_CHECK_EQ(v, 0x1000);
	TAP_CHECK_EQ(u64("0XaBcD", &v), 0);
	TAP_CHECK_EQ(v, 0xabcd);
	TAP_CHECK_EQ(u64("0x0", &v), 0);
	TAP_CHECK_EQ(v, 0);
}

static void test_limits(void)
{
	uint64_t v;

	TAP_CHECK_EQ(u64("18446744073709551615", &v), 0);
	TAP_CHECK(v == UINT64_MAX);
	TAP_CHECK_EQ(u64("0xffffffffffffffff", &v), 0);
	TAP_CHECK(v == UINT64_MAX);
	TAP_CHECK_EQ(u64("18446744073709551616", &v), -E_RANGE);
	TAP_CHECK_EQ(u64("0x10000000000000000", &v), -E_RANGE);
	TAP_CHECK_EQ(u64("99999999999999999999999", &v), -E_RANGE);
	TAP_CHECK(v == UNTOUCHED);
}

static void test_malformed(void)
{
	uint64_t v;
	static const char *const bad[] = {
		"", "-1", "-0", "+1", " 1", "1 ", "\t1", "12zz", "0x", "0X",
		"0xg", "0x0x10", "x10", "abc", "1.5", "0b101", "1K",
	};

	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		int err = u64(bad[i], &v);

		if (err != -E_INVAL)
			printf("#   '%s' gave %d\n", bad[i], err);
		TAP_CHECK_EQ(err, -E_INVAL);
		TAP_CHECK(v == UNTOUCHED);
	}
}

static void test_sizes(void)
{
	uint64_t v;

	TAP_CHECK_EQ(size("512", &v), 0);
	TAP_CHECK_EQ(v, 512);
	TAP_CHECK_EQ(size("4K", &v), 0);
	TAP_CHECK_EQ(v, 4096);
	TAP_CHECK_EQ(size("4k", &v), 0);
	TAP_CHECK_EQ(v, 4096);
	TAP_CHECK_EQ(size("3M", &v), 0);
	TAP_CHECK_EQ(v, 3 << 20);
	TAP_CHECK_EQ(size("2g", &v), 0);
	TAP_CHECK(v == 2ULL << 30);
	TAP_CHECK_EQ(size("0x10M", &v), 0);
	TAP_CHECK(v == 16ULL << 20);
	TAP_CHECK_EQ(size("0K", &v), 0);
	TAP_CHECK_EQ(v, 0);
}

static void test_size_limits(void)
{
	uint64_t v;

	TAP_CHECK_EQ(size("17179869183G", &v), 0);	/* (2^64 - 1) >> 30 */
	TAP_CHECK(v == 17179869183ULL << 30);
	TAP_CHECK_EQ(size("17179869184G", &v), -E_RANGE);
	TAP_CHECK_EQ(size("0x40000000000000K", &v), -E_RANGE);
	TAP_CHECK_EQ(size("18446744073709551615", &v), 0);
	TAP_CHECK(v == UINT64_MAX);
	TAP_CHECK_EQ(size("18446744073709551616", &v), -E_RANGE);
	TAP_CHECK(v == UNTOUCHED);
}

static void test_bad_sizes(void)
{
	uint64_t v;
	static const char *const bad[] = {
		"", "K", "-4K", " 4K", "4K ", "4KB", "4KiB", "4T", "4 K", "4KK",
		"0xK", "4.5M",
	};

	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		int err = size(bad[i], &v);

		if (err != -E_INVAL)
			printf("#   '%s' gave %d\n", bad[i], err);
		TAP_CHECK_EQ(err, -E_INVAL);
		TAP_CHECK(v == UNTOUCHED);
	}
}

/* arg_* print exactly one error line naming the argument and the reason. */
static void check_arg_message(int (*arg)(const char *, const char *, uint64_t *),
			      const char *text, const char *expected)
{
	uint64_t v;

	fake_console_clear_output();
	TAP_CHECK(arg("SIZE", text, &v) != 0);
	if (strcmp(fake_console_output(), expected) != 0)
		printf("#   got '%s'\n", fake_console_output());
	TAP_CHECK(strcmp(fake_console_output(), expected) == 0);
}

static void test_arg_messages(void)
{
	check_arg_message(arg_size, "xyz", "error: bad SIZE 'xyz': not a number\r\n");
	check_arg_message(arg_size, "", "error: bad SIZE '': empty\r\n");
	check_arg_message(arg_size, "-4", "error: bad SIZE '-4': negative\r\n");
	check_arg_message(arg_size, "0x", "error: bad SIZE '0x': no digits after '0x'\r\n");
	check_arg_message(arg_size, "4X",
			  "error: bad SIZE '4X': unknown suffix (use K, M or G)\r\n");
	check_arg_message(arg_size, "4Kb",
			  "error: bad SIZE '4Kb': unexpected characters after the number\r\n");
	check_arg_message(arg_u64, "4K",
			  "error: bad SIZE '4K': unexpected characters after the number\r\n");
	check_arg_message(arg_u64, "99999999999999999999",
			  "error: bad SIZE '99999999999999999999': too large\r\n");
}

static void test_arg_success_is_silent(void)
{
	uint64_t v = 0;

	fake_console_clear_output();
	TAP_CHECK_EQ(arg_size("SIZE", "8M", &v), 0);
	TAP_CHECK_EQ(v, 8 << 20);
	TAP_CHECK_EQ(arg_u64("ADDR", "0x80200000", &v), 0);
	TAP_CHECK_EQ(v, 0x80200000);
	TAP_CHECK_EQ(fake_console_output_len(), 0);
}

/* U-Boot's spelling for md/mw/cmp/cp: hex with or without 0x. */
static void test_uboot_hex(void)
{
	uint64_t v = UNTOUCHED;

	TAP_CHECK_EQ(parse_hex("80200000", &v), 0);
	TAP_CHECK_EQ(v, 0x80200000);
	TAP_CHECK_EQ(parse_hex("0x10", &v), 0);
	TAP_CHECK_EQ(v, 0x10);
	TAP_CHECK_EQ(parse_hex("deadBEEF", &v), 0);
	TAP_CHECK_EQ(v, 0xdeadbeef);
	TAP_CHECK_EQ(parse_hex("ffffffffffffffff", &v), 0);
	TAP_CHECK(v == UINT64_MAX);
	v = UNTOUCHED;
	TAP_CHECK_EQ(parse_hex("10000000000000000", &v), -E_RANGE);
	TAP_CHECK_EQ(parse_hex("", &v), -E_INVAL);
	TAP_CHECK_EQ(parse_hex("0x", &v), -E_INVAL);
	TAP_CHECK_EQ(parse_hex("-1", &v), -E_INVAL);
	TAP_CHECK_EQ(parse_hex("12g", &v), -E_INVAL);
	TAP_CHECK_EQ(parse_hex(" 1", &v), -E_INVAL);
	TAP_CHECK_EQ(parse_hex("zz", &v), -E_INVAL);
	TAP_CHECK_EQ(v, UNTOUCHED);
}

int main(void)
{
	TAP_RUN(test_decimal);
	TAP_RUN(test_hex);
	TAP_RUN(test_limits);
	TAP_RUN(test_malformed);
	TAP_RUN(test_sizes);
	TAP_RUN(test_size_limits);
	TAP_RUN(test_bad_sizes);
	TAP_RUN(test_arg_messages);
	TAP_RUN(test_arg_success_is_silent);
	TAP_RUN(test_uboot_hex);
	return tap_done();
}
