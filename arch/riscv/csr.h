/*
 * RISC-V supervisor CSR numbers and bits used by the entry code, the trap
 * handler and the timer. Usable from assembly and C.
 */
#ifndef ARCH_RISCV_CSR_H
#define ARCH_RISCV_CSR_H

#define CSR_SSTATUS	0x100
#define CSR_SIE		0x104
#define CSR_STVEC	0x105
#define CSR_SSCRATCH	0x140
#define CSR_SEPC	0x141
#define CSR_SCAUSE	0x142
#define CSR_STVAL	0x143
#define CSR_SIP		0x144

#define SSTATUS_SIE		(1 << 1)
#define SIE_STIE		(1 << 5)	/* supervisor timer interrupt */
#define SIE_SEIE		(1 << 9)	/* supervisor external interrupt */
#define SSTATUS_FS_INITIAL	(1 << 13)
#define SIE_SSIE		(1 << 1)	/* supervisor software interrupt (IPI) */
#define SIP_SSIP		(1 << 1)

#define SCAUSE_INTERRUPT_BIT	63

#ifndef __ASSEMBLER__
#define csr_read(csr) ({ unsigned long __v; \
	__asm__ volatile ("csrr %0, " #csr : "=r"(__v) :: "memory"); __v; })
#define csr_write(csr, val) ({ unsigned long __v = (unsigned long)(val); \
	__asm__ volatile ("csrw " #csr ", %0" :: "rK"(__v) : "memory"); })
#define csr_set(csr, bits) ({ unsigned long __v = (unsigned long)(bits); \
	__asm__ volatile ("csrs " #csr ", %0" :: "rK"(__v) : "memory"); })
#define csr_clear(csr, bits) ({ unsigned long __v = (unsigned long)(bits); \
	__asm__ volatile ("csrc " #csr ", %0" :: "rK"(__v) : "memory"); })
#endif

#endif
