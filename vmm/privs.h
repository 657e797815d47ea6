/* SPDX-License-Identifier: GPL-2.0 */
/* Giving up privileges before the guest runs. */
#ifndef VMM_PRIVS_H
#define VMM_PRIVS_H

/*
 * Drop every capability (effective, permitted, inheritable, ambient and,
 * when allowed, the bounding set) and set no_new_privs. The open device fd
 * keeps working: minivmm and KVM check permissions at open only. Returns
 * 0, or -1 after a one-line message.
 */
int drop_privileges(void);

#endif
