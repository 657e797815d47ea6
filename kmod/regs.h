/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Indexes of the guest's general-purpose registers in the VCPU's shadow
 * state, in the x86 encoding order. Shared by C and vmenter.S. RSP lives in
 * the VMCS guest area (GUEST_RSP); its slot is unused here.
 */
#ifndef MINIVMM_REGS_H
#define MINIVMM_REGS_H

#define REG_RAX		0
#define REG_RCX		1
#define REG_RDX		2
#define REG_RBX		3
#define REG_RSP		4
#define REG_RBP		5
#define REG_RSI		6
#define REG_RDI		7
#define REG_R8		8
#define REG_R9		9
#define REG_R10		10
#define REG_R11		11
#define REG_R12		12
#define REG_R13		13
#define REG_R14		14
#define REG_R15		15
#define NR_REGS		16

#endif
