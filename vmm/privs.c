// SPDX-License-Identifier: GPL-2.0
/*
 * Least privilege: once /dev/minivmm (or /dev/kvm) is open and the image
 * read, vmm needs no capability at all. A guest that finds a hole in the
 * device emulation then lands in a process that can do nothing root-only,
 * and cannot regain privileges by executing a setuid program.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/capability.h>
#include <sys/prctl.h>

#include "privs.h"

int drop_privileges(void)
{
	cap_flag_value_t setpcap = CAP_CLEAR;
	cap_t caps = cap_get_proc();
	int ok;

	if (!caps) {
		fprintf(stderr, "vmm: reading capabilities: %s\n", strerror(errno));
		return -1;
	}
	cap_get_flag(caps, CAP_SETPCAP, CAP_EFFECTIVE, &setpcap);
	cap_free(caps);

	/* The bounding set can only shrink while CAP_SETPCAP is held. */
	if (setpcap == CAP_SET) {
		cap_value_t c;

		for (c = 0; c < (cap_value_t)cap_max_bits(); c++)
			if (cap_drop_bound(c)) {
				fprintf(stderr, "vmm: dropping capability %d from the bounding set: %s\n",
					c, strerror(errno));
				return -1;
			}
	}
	if (cap_reset_ambient()) {
		fprintf(stderr, "vmm: clearing ambient capabilities: %s\n", strerror(errno));
		return -1;
	}
	caps = cap_init();		/* every flag clear */
	ok = caps && !cap_set_proc(caps);
	if (caps)
		cap_free(caps);
	if (!ok) {
		fprintf(stderr, "vmm: dropping capabilities: %s\n", strerror(errno));
		return -1;
	}
	if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0)) {
		fprintf(stderr, "vmm: setting no_new_privs: %s\n", strerror(errno));
		return -1;
	}
	return 0;
}
