/*
 * Supervisor trap entry: saves every general register and the trap CSRs in a
 * struct trap_frame on the current stack, calls trap_handle() (trap.c), then
 * restores and returns with sret (trap_handle may change the saved sepc).
 */
#include "csr.h"

#define REG_SIZE	8
#define FRAME_REGS	32	/* x0 slot holds sepc, then x1..x31 */
#define FRAME_SIZE	((FRAME_REGS + 4) * REG_SIZE)
#define FRAME_SSTATUS	(32 * REG_SIZE)
#define FRAME_SCAUSE	(33 * REG_SIZE)
#define FRAME_STVAL	(34 * REG_SIZE)

.macro for_each_saved_reg op
	\op x1, 1
	\op x3, 3
	\op x4, 4
	\op x5, 5
	\op x6, 6
	\op x7, 7
	\op x8, 8
	\op x9, 9
	\op x10, 10
	\op x11, 11
	\op x12, 12
	\op x13, 13
	\op x14, 14
	\op x15, 15
	\op x16, 16
	\op x17, 17
	\op x18, 18
	\op x19, 19
	\op x20, 20
	\op x21, 21
	\op x22, 22
	\op x23, 23
	\op x24, 24
	\op x25, 25
	\op x26, 26
	\op x27, 27
	\op x28, 28
	\op x29, 29
	\op x30, 30
	\op x31, 31
.endm

.macro save_reg reg, index
	sd	\reg, (\index * REG_SIZE)(sp)
.endm
.macro load_reg reg, index
	ld	\reg, (\index * REG_SIZE)(sp)
.endm

	.text
	.balign 4
	.globl trap_entry
trap_entry:
	addi	sp, sp, -FRAME_SIZE
	for_each_saved_reg save_reg
	addi	t0, sp, FRAME_SIZE
	sd	t0, (2 * REG_SIZE)(sp)		/* the interrupted sp */
	csrr	t0, CSR_SEPC
	sd	t0, 0(sp)
	csrr	t0, CSR_SSTATUS
	sd	t0, FRAME_SSTATUS(sp)
	csrr	t0, CSR_SCAUSE
	sd	t0, FRAME_SCAUSE(sp)
	csrr	t0, CSR_STVAL
	sd	t0, FRAME_STVAL(sp)

	mv	a0, sp
	call	trap_handle

	ld	t0, 0(sp)
	csrw	CSR_SEPC, t0
	ld	t0, FRAME_SSTATUS(sp)
	csrw	CSR_SSTATUS, t0
	for_each_saved_reg load_reg
	addi	sp, sp, FRAME_SIZE
	sret
