/* SPDX-License-Identifier: GPL-2.0 */
/*
 * A writer for the Linux initramfs "newc" cpio format (the kernel's
 * Documentation/driver-api/early-userspace/buffer-format.rst), building
 * the archive in memory. Pure logic, runs in user mode on the host:
 * unit-tested.
 *
 * Entries are reproducible: uid and gid 0, mtime 0, inode numbers 1, 2, ...
 * in the order they are added, nlink 2 for directories and 1 otherwise
 * (so the kernel never takes two entries for hard links of one file).
 */
#ifndef VMM_CPIO_H
#define VMM_CPIO_H

#include <stddef.h>
#include <stdint.h>

#define CPIO_NAME_MAX	4095		/* bytes in a name, without its NUL */

struct cpio {				/* a growable buffer with the archive so far */
	uint8_t *buf;
	size_t len, cap;
	uint32_t next_ino;		/* 0: all inode numbers are used */
	int error;			/* sticky: 0 or an errno value */
	int finished;			/* the trailer is written */
};

/*
 * Each add returns 0, or -1 with c->error set: ENOMEM, EINVAL (a bad name,
 * perm, device number or target, or after cpio_finish), ENAMETOOLONG,
 * EFBIG (a file of 4 GiB or more) or EOVERFLOW (no inode number left).
 * Once c->error is set, every later call fails without writing.
 *
 * Names are archive paths without a leading "/", not empty, with no ".."
 * component, at most CPIO_NAME_MAX bytes, and not "TRAILER!!!".
 */
void cpio_init(struct cpio *c);
/* Add a directory (mode bits 0777 only, S_IFDIR is added). */
int cpio_add_dir(struct cpio *c, const char *name, unsigned int perm);
/* Add a regular file with its contents. */
int cpio_add_file(struct cpio *c, const char *name, unsigned int perm, const void *data,
		  size_t len);
/* Add a symbolic link name -> target (the target is the entry's data). */
int cpio_add_symlink(struct cpio *c, const char *name, const char *target);
/* Add a character device node (e.g. dev/console 5:1); major < 4096, minor < 2^20. */
int cpio_add_chardev(struct cpio *c, const char *name, unsigned int perm,
		     unsigned int major, unsigned int minor);
/* Append the trailer; after it nothing more may be added (EINVAL). */
int cpio_finish(struct cpio *c);
/* Free the buffer; c is then empty, as after cpio_init. */
void cpio_free(struct cpio *c);

#endif
