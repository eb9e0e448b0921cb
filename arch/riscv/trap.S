/*
 * Supervisor trap entry: saves every general register and the trap CSRs in a
 * struct trap_frame, calls trap_handle() (trap.c), then restores and returns
 * with sret (trap_handle may change the saved sepc).
 *
 * The frame goes on the hart's own trap stack, never on the interrupted
 * stack: sscratch holds the top of its free part (trap_init), so a trap
 * taken with a broken sp (a stack overflow into memory that faults) is
 * still reported. While the handler runs, sscratch points below the frame,
 * so a trap inside the handler stacks under it.
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
	csrrw	sp, CSR_SSCRATCH, sp		/* sp: trap stack; sscratch: interrupted sp */
	addi	sp, sp, -FRAME_SIZE
	for_each_saved_reg save_reg
	csrr	t0, CSR_SSCRATCH
	sd	t0, (2 * REG_SIZE)(sp)		/* the interrupted sp */
	csrw	CSR_SSCRATCH, sp
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
	addi	t0, sp, FRAME_SIZE
	csrw	CSR_SSCRATCH, t0		/* the frame's space is free again */
	for_each_saved_reg load_reg
	ld	sp, (2 * REG_SIZE)(sp)		/* back to the interrupted stack */
	sret
