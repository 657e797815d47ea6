/* SPDX-License-Identifier: GPL-2.0 */
/* The kernel's fixed-width type names, for kernel code unit-tested on the host. */
#ifndef MINIVMM_KTYPES_H
#define MINIVMM_KTYPES_H

#include <stdbool.h>
#include <stdint.h>

typedef uint8_t u8;
typedef uint16_t u16;
typedef uint32_t u32;
typedef uint64_t u64;

#ifndef BIT_ULL
#define BIT_ULL(n)	(1ULL << (n))
#endif

#endif
