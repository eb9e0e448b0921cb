/*
 * Entry of a secondary hart, started by hart_start.c with SBI HSM
 * hart_start: S-mode, MMU off, a0 = hart id, a1 = its struct hart (the
 * opaque argument). The boot hart has already relocated the image and
 * cleared .bss, so this path only sets up the hart itself: interrupts
 * masked, FPU on, the stack and TLS pointer from its struct hart, then
 * hart_secondary_main(h) in hart.c, which never returns.
 */
#include "csr.h"
#include "hart.h"

	.text
	.balign 4
	.globl hart_entry
hart_entry:
	csrw	CSR_SIE, zero
	li	t0, SSTATUS_SIE
	csrc	CSR_SSTATUS, t0
	li	t0, SSTATUS_FS_INITIAL
	csrs	CSR_SSTATUS, t0

	ld	sp, HART_OFFSET_STACK_TOP(a1)
	ld	tp, HART_OFFSET_TLS(a1)
	mv	a0, a1
	call	hart_secondary_main
1:	wfi
	j	1b
