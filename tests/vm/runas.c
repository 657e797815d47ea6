// SPDX-License-Identifier: GPL-2.0
/*
 * runas UID GID COMMAND...: run COMMAND as an unprivileged user, with GID
 * as its only group (the test machine has no su or setpriv --reuid).
 */
#include <grp.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

int main(int argc, char **argv)
{
	gid_t gid;

	if (argc < 4) {
		fprintf(stderr, "usage: runas UID GID COMMAND...\n");
		return 2;
	}
	gid = atoi(argv[2]);
	if (setgroups(1, &gid) || setgid(gid) || setuid(atoi(argv[1]))) {
		perror("runas");
		return 2;
	}
	execvp(argv[3], argv + 3);
	perror(argv[3]);
	return 127;
}
