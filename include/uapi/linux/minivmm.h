/* SPDX-License-Identifier: GPL-2.0 WITH Linux-syscall-note */
/*
 * minivmm userspace ABI: the one header shared by kmod/ and vmm/.
 *
 * Conventions (stable forever once released):
 *  - one ioctl magic, MINIVMM_IO; numbers grouped by fd level:
 *      0x00-0x3f  system fd (/dev/minivmm)
 *      0x40-0x7f  VM fd     (returned by MINIVMM_CREATE_VM)
 *      0x80-0xbf  VCPU fd
 *    a retired number stays reserved, direction bits never change;
 *  - structures use only __u8..__u64, explicit padding, pointers as __u64;
 *  - every "flags" word rejects unknown bits with -EINVAL;
 *  - MINIVMM_API_VERSION never changes: new features are announced as
 *    capabilities (MINIVMM_CHECK_CAPABILITY) that userspace checks at start.
 *
 * Errors common to every ioctl: -ENOTTY for an unknown ioctl number.
 */
#ifndef _UAPI_LINUX_MINIVMM_H
#define _UAPI_LINUX_MINIVMM_H

#include <linux/types.h>
#include <linux/ioctl.h>

#define MINIVMM_API_VERSION	1

#define MINIVMM_IO		0xB7

/* ---- System fd (/dev/minivmm) ---- */

/*
 * MINIVMM_GET_API_VERSION: no argument (must be 0, else -EINVAL).
 * Returns MINIVMM_API_VERSION.
 */
#define MINIVMM_GET_API_VERSION	_IO(MINIVMM_IO, 0x00)

/*
 * MINIVMM_CREATE_VM: argument is a flags word; no flag is defined yet, so it
 * must be 0 (else -EINVAL). Returns a new VM fd (O_CLOEXEC); closing it
 * destroys the VM and frees everything it holds.
 * Errors: -EBUSY when another hypervisor already owns VMX on some CPU (the
 * module logs the likely owner and the fix), -ENOMEM, -EMFILE.
 */
#define MINIVMM_CREATE_VM	_IO(MINIVMM_IO, 0x01)

/*
 * MINIVMM_CHECK_CAPABILITY: argument is a MINIVMM_CAP_* number.
 * Returns the capability's value: 0 for an absent or unknown capability,
 * 1 (or a number, where the capability says so) when present.
 */
#define MINIVMM_CHECK_CAPABILITY	_IO(MINIVMM_IO, 0x02)

/* ---- Capabilities ---- */

/* VMX "unrestricted guest": real-mode and unpaged guests run natively. */
#define MINIVMM_CAP_UNRESTRICTED_GUEST	1
/* EPT (extended page tables): guest memory is mapped by second-level paging. */
#define MINIVMM_CAP_EPT			2
/* VPID: guest TLB entries are tagged, so VM exits need no TLB flush. */
#define MINIVMM_CAP_VPID		3
/* EPT accessed and dirty flags are available. */
#define MINIVMM_CAP_EPT_AD		4
/* Returns the maximum number of VMs that may exist at once. */
#define MINIVMM_CAP_MAX_VMS		5

#endif /* _UAPI_LINUX_MINIVMM_H */
