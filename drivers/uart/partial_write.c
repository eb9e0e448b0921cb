/*
 * Writing through a firmware call that may take fewer bytes than asked:
 * SBI DBCN's write returns how many bytes it took, possibly none. The SBI
 * console (sbi_console.c) uses this so every byte is written; portable, so
 * the host tests drive it with a fake call.
 */
#include "drivers/uart/uart.h"
#include "lib/errors.h"

int uart_write_all(long (*write)(const char *buf, size_t len), const char *buf, size_t len)
{
	unsigned idle = 0;

	while (len > 0) {
		long n = write(buf, len);
		if (n < 0)
			return -E_IO;
		if (n == 0 && ++idle == UART_READY_POLLS)
			return -E_TIMEOUT;
		if (n > 0) {
			size_t took = (size_t)n < len ? (size_t)n : len;
			idle = 0;
			buf += took;
			len -= took;
		}
	}
	return 0;
}
