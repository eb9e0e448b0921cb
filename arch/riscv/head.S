/*
 * Payload entry. The first 64 bytes are a RISC-V Linux Image header, so
 * U-Boot's booti accepts the binary; OpenSBI jumps straight to byte 0.
 * Contract on entry (OpenSBI / U-Boot): S-mode, MMU off, a0 = hart id,
 * a1 = DTB physical address. Only the boot hart should arrive here; a
 * second one that a firmware lets through (OpenSBI keeps the others in
 * HSM STOPPED) would clear .bss under the first, so the first hart to
 * claim boot_claimed goes on and any other parks in wfi.
 *
 * Flow: header -> mask interrupts, enable the FPU -> claim the boot -> apply our own
 * R_RISCV_RELATIVE relocations (linked at 0, running anywhere) -> clear .bss
 * -> stack and TLS pointer -> boot_main(hartid, dtb) in boot.c.
 */
#include "csr.h"

#define R_RISCV_NONE		0
#define R_RISCV_RELATIVE	3
#define RELA_SIZE		24
#define IMAGE_TEXT_OFFSET	0x200000
#define IMAGE_VERSION_0_2	2

	.section .text.head, "ax"
	.globl _start
_start:
	.option push
	.option norvc
	j	real_start			/* code0: 4 bytes, jumps over the header */
	.option pop
	.word	0				/* code1 */
	.dword	IMAGE_TEXT_OFFSET		/* text_offset */
	.dword	_end - _start			/* image_size: image, .bss and boot stack */
	.dword	0				/* flags: little endian */
	.word	IMAGE_VERSION_0_2		/* version */
	.word	0				/* res1 */
	.dword	0				/* res2 */
	.ascii	"RISCV\0\0\0"			/* magic (deprecated) */
	.ascii	"RSC\x05"			/* magic2 */
	.word	0				/* res3 */

real_start:
	csrw	CSR_SIE, zero
	li	t0, SSTATUS_SIE
	csrc	CSR_SSTATUS, t0
	li	t0, SSTATUS_FS_INITIAL
	csrs	CSR_SSTATUS, t0

	lla	t0, boot_claimed
	li	t1, 1
	amoswap.w.aq t1, t1, (t0)
	bnez	t1, halt

	/* The link address is 0, so the load address is the relocation delta. */
	lla	t0, _start
	lla	t1, __rela_start
	lla	t2, __rela_end
	li	t5, R_RISCV_RELATIVE
1:	bgeu	t1, t2, 3f
	ld	t3, 8(t1)			/* r_info: only RELATIVE and NONE (Makefile checks) */
	beqz	t3, 2f				/* R_RISCV_NONE: a slot the linker left unused */
	bne	t3, t5, halt
	ld	t3, 0(t1)			/* r_offset */
	ld	t4, 16(t1)			/* r_addend */
	add	t3, t3, t0
	add	t4, t4, t0
	sd	t4, 0(t3)
2:	addi	t1, t1, RELA_SIZE
	j	1b

3:	lla	t1, __bss_start
	lla	t2, __bss_end
4:	bgeu	t1, t2, 5f
	sd	zero, 0(t1)
	addi	t1, t1, 8
	j	4b

5:	lla	sp, __boot_stack_top
	lla	tp, __boot_tls
	call	boot_main
halt:
	wfi
	j	halt

	/* In .data, not .bss: the winner clears .bss while a latecomer may
	   still be on its way to the claim. */
	.section .data
	.balign 4
boot_claimed:
	.word	0
