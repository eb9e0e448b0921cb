/*
 * The baseline of the boot benchmark: a payload that powers the machine off
 * the moment it is entered, so timing it measures QEMU and OpenSBI alone.
 */
#define SBI_EXT_SRST		0x53525354
#define SBI_SRST_RESET		0
#define SBI_SRST_SHUTDOWN	0

	.text
	.globl _start
_start:
	li	a7, SBI_EXT_SRST
	li	a6, SBI_SRST_RESET
	li	a0, SBI_SRST_SHUTDOWN
	li	a1, 0
	ecall
1:	wfi
	j	1b
